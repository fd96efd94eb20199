// What both browser apps write into the page: #result with their JSON, or an error's message with the class `error`.
export function show(text, isError = false) {
  const result = document.createElement('pre');
  result.textContent = text;
  if (isError) result.className = 'error';
  result.id = 'result';
  document.body.append(result);
}
