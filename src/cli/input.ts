// Reading a numeric table from CSV/TSV (csv-parse), .npy or JSON lines. Every refusal is a CliError naming the
// file and, where there is one, the row (the file's line, from 1, header included) and the column (from 1).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CliError } from './errors';

export interface Table {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
  /** Column names: the header's, or c1, c2, … */
  names: string[];
}

export interface ReadOptions {
  /** true / false force a header row or its absence; undefined detects it (a first row with a non-numeric cell). */
  header?: boolean;
  /** Column names or 1-based numbers, comma-separated; ranges like 2-5. */
  columns?: string;
}

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? (error as Error).message})`;
    throw new CliError(`${file}: ${why}`);
  }
}

export function readTable(file: string, options: ReadOptions = {}): Table {
  const bytes = readBytes(file);
  if (bytes.length === 0) throw new CliError(`${file}: empty file`);
  const lower = file.toLowerCase();
  if (lower.endsWith('.npy')) return selectColumns(file, readNpy(file, bytes), options.columns);
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return readJsonLines(file, bytes.toString('utf8'), options.columns);
  return readDelimited(file, bytes.toString('utf8'), options);
}

const columnCount = (n: number) => `${n} column${n === 1 ? '' : 's'}`;

function defaultNames(cols: number): string[] {
  return Array.from({ length: cols }, (_, j) => `c${j + 1}`);
}

/** Column indices (0-based) for --columns, against the table's names. */
function pickColumns(file: string, spec: string | undefined, names: string[]): number[] {
  if (spec === undefined) return names.map((_, j) => j);
  const picked: number[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const byName = names.indexOf(part);
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (byName >= 0) picked.push(byName);
    else if (range) {
      const from = Number(range[1]);
      const to = range[2] === undefined ? from : Number(range[2]);
      if (from < 1 || to > names.length || from > to) throw new CliError(`${file}: --columns ${part} is outside columns 1..${names.length}`);
      for (let j = from; j <= to; j++) picked.push(j - 1);
    } else throw new CliError(`${file}: --columns names no column ${JSON.stringify(part)} (columns: ${names.join(', ')})`);
  }
  if (picked.length === 0) throw new CliError(`${file}: --columns selects no column`);
  return picked;
}

function selectColumns(file: string, table: Table, spec: string | undefined): Table {
  if (spec === undefined) return table;
  const picked = pickColumns(file, spec, table.names);
  const data = new Float64Array(table.rows * picked.length);
  for (let i = 0; i < table.rows; i++) picked.forEach((j, k) => { data[i * picked.length + k] = table.data[i * table.cols + j]; });
  return { data, rows: table.rows, cols: picked.length, names: picked.map((j) => table.names[j]) };
}

/** A cell's number, or a CliError naming where it is and why it is not one. */
function numberAt(file: string, text: unknown, row: number, col: number): number {
  const where = `${file}: row ${row}, column ${col}`;
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new CliError(`${where}: ${text} is not a finite number`);
    return text;
  }
  if (typeof text !== 'string' || text.trim() === '') throw new CliError(`${where}: ${typeof text === 'string' ? 'empty cell' : `${JSON.stringify(text)} is not a number`}`);
  const value = Number(text);
  if (Number.isNaN(value) && /^\s*[+-]?nan\s*$/i.test(text)) throw new CliError(`${where}: NaN`);
  if (Number.isNaN(value)) throw new CliError(`${where}: ${JSON.stringify(text)} is not a number`);
  if (!Number.isFinite(value)) throw new CliError(`${where}: ${text.trim()} is not a finite number`);
  return value;
}

const numeric = (text: string) => text.trim() !== '' && !Number.isNaN(Number(text)) || /^\s*[+-]?(nan|inf(inity)?)\s*$/i.test(text);

function readDelimited(file: string, text: string, options: ReadOptions): Table {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  // Tabs in .tsv files, or in a first line that has tabs and no commas.
  const delimiter = file.toLowerCase().endsWith('.tsv') || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, bom: true }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new CliError(`${file}: ${line === undefined ? '' : `row ${line}: `}not valid CSV (${(error as Error).message.replace(/\s+/g, ' ')})`);
  }
  if (records.length === 0) throw new CliError(`${file}: no rows`);
  const first = records[0].record;
  const hasHeader = options.header ?? !first.every(numeric);
  const names = hasHeader ? first.map((name, j) => name.trim() || `c${j + 1}`) : defaultNames(first.length);
  const body = hasHeader ? records.slice(1) : records;
  if (body.length === 0) throw new CliError(`${file}: a header and no data rows`);
  const picked = pickColumns(file, options.columns, names);
  const data = new Float64Array(body.length * picked.length);
  body.forEach(({ record, info }, i) => {
    if (record.length !== names.length) {
      throw new CliError(`${file}: row ${info.lines}, column ${Math.min(record.length, names.length) + 1}: ${columnCount(record.length)} where the first row has ${names.length}`);
    }
    picked.forEach((j, k) => { data[i * picked.length + k] = numberAt(file, record[j], info.lines, j + 1); });
  });
  return { data, rows: body.length, cols: picked.length, names: picked.map((j) => names[j]) };
}

function readJsonLines(file: string, text: string, columns: string | undefined): Table {
  const lines = text.split('\n');
  let names: string[] | undefined;
  let keys: string[] | undefined;
  let picked: number[] | undefined;
  const values: number[] = [];
  let rows = 0;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const row = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new CliError(`${file}: row ${row}: not valid JSON`);
    }
    let cells: unknown[];
    if (Array.isArray(value)) cells = value;
    else if (typeof value === 'object' && value !== null) {
      // Objects: the first line's keys name the columns; later lines must carry the same keys.
      keys ??= Object.keys(value);
      const object = value as Record<string, unknown>;
      const missing = keys.find((key) => !(key in object));
      if (missing !== undefined) throw new CliError(`${file}: row ${row}, column ${keys.indexOf(missing) + 1}: no key ${JSON.stringify(missing)}`);
      cells = keys.map((key) => object[key]);
    } else throw new CliError(`${file}: row ${row}: neither an array nor an object`);
    if (names === undefined) {
      names = keys ?? defaultNames(cells.length);
      picked = pickColumns(file, columns, names);
    }
    if (cells.length !== names.length) throw new CliError(`${file}: row ${row}, column ${Math.min(cells.length, names.length) + 1}: ${columnCount(cells.length)} where the first row has ${names.length}`);
    for (const j of picked!) values.push(numberAt(file, cells[j], row, j + 1));
    rows++;
  });
  if (names === undefined || rows === 0) throw new CliError(`${file}: no rows`);
  return { data: Float64Array.from(values), rows, cols: picked!.length, names: picked!.map((j) => names![j]) };
}

/**
 * numpy's .npy format, parsed here directly (its header is simple: magic, version, header length, a Python dict
 * literal): little-endian float32 or float64 in C order. Other dtypes and Fortran order are refused.
 */
export function readNpy(file: string, bytes: Buffer): Table {
  if (bytes.length < 10 || bytes.subarray(0, 6).toString('latin1') !== '\x93NUMPY') throw new CliError(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new CliError(`${file}: .npy version ${major}.${bytes[7]} is not supported`);
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  if (bytes.length < start + headerLength) throw new CliError(`${file}: truncated .npy header`);
  const header = bytes.subarray(start, start + headerLength).toString(major === 3 ? 'utf8' : 'latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new CliError(`${file}: unreadable .npy header ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') throw new CliError(`${file}: Fortran-order .npy arrays are not supported (save with numpy.ascontiguousarray)`);
  if (descr !== '<f4' && descr !== '<f8') throw new CliError(`${file}: .npy dtype ${descr} is not supported (only float32 '<f4' and float64 '<f8')`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.length === 0 || shape.length > 2) throw new CliError(`${file}: .npy array of shape (${shapeText}) is not a 1-D or 2-D array`);
  const [rows, cols] = shape.length === 1 ? [shape[0], 1] : shape;
  if (rows === 0 || cols === 0) throw new CliError(`${file}: empty .npy array (shape (${shapeText}))`);
  const size = descr === '<f4' ? 4 : 8;
  const offset = start + headerLength;
  if (bytes.length - offset < rows * cols * size) throw new CliError(`${file}: truncated .npy data (${bytes.length - offset} bytes for ${rows}×${cols} values of ${size} bytes)`);
  // A copy: Buffer's offset need not be aligned for a typed-array view.
  const raw = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + rows * cols * size);
  const data = size === 4 ? new Float32Array(raw) : new Float64Array(raw);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new CliError(`${file}: row ${Math.floor(i / cols) + 1}, column ${(i % cols) + 1}: ${data[i]} is not a finite number`);
  }
  return { data, rows, cols, names: defaultNames(cols) };
}
