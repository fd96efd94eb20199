// What the CLI writes: every output is rendered first, then written to a temporary file beside its destination
// and renamed into place, so that a failure (here or in a later output) leaves no partial file behind.
import { appendFileSync, existsSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError } from './errors';

/** An output's contents: whole, or pieces made while it is written (a streamed file's labels). */
export type Output = { path: string; contents: string | Uint8Array | AsyncIterable<string> };

/** Refuses, before any work, a destination whose directory is missing. */
export function checkWritable(path: string | undefined): void {
  if (path === undefined) return;
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${path}: directory ${dir} does not exist`);
}

/** Writes all outputs or none: each goes to a temporary file, and only when all are written are they renamed. */
export async function writeAll(outputs: Output[]): Promise<void> {
  const temporaries: string[] = [];
  try {
    for (const { path, contents } of outputs) {
      const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      temporaries.push(temporary);
      if (typeof contents === 'string' || contents instanceof Uint8Array) writeFileSync(temporary, contents);
      else {
        writeFileSync(temporary, '');
        for await (const piece of contents) appendFileSync(temporary, piece);
      }
    }
  } catch (error) {
    for (const temporary of temporaries) try { unlinkSync(temporary); } catch { /* never created */ }
    // Not the file system's failure (a bad row met while a streamed output was made): passed on as it is.
    if (!(error as NodeJS.ErrnoException).syscall) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`${outputs[temporaries.length - 1].path}: cannot write (${code ?? (error as Error).message})`);
  }
  outputs.forEach(({ path }, i) => renameSync(temporaries[i], path));
}

/** Shortest round-trip decimal, as Python's repr: what numpy.loadtxt reads back to the same value. */
const cell = (value: number) => String(value);

export function labelsCsv(labels: ArrayLike<number>, name = 'label'): string {
  const lines = [name];
  for (let i = 0; i < labels.length; i++) lines.push(String(labels[i]));
  return `${lines.join('\n')}\n`;
}

export function matrixCsv(data: ArrayLike<number>, rows: number, cols: number, header: string[]): string {
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const row: string[] = [];
    for (let j = 0; j < cols; j++) row.push(cell(data[i * cols + j]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}
