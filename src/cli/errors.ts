/** A failure the CLI reports as one line on stderr, with exit status 2 (bad input or usage). */
export class CliError extends Error {}
