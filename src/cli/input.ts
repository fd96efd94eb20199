// Reading a numeric table from CSV/TSV (csv-parse), .npy or JSON lines, whole or (CSV, TSV, .npy) a chunk of rows at
// a time. Every refusal is a CliError naming the file and, where there is one, the row (the file's line, from 1,
// header included) and the column (from 1).
import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { readNpy as readNpySlices, type Matrix } from '../index';
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

function unreadable(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code ?? (error as Error).message})`;
  return new CliError(`${file}: ${why}`);
}

export function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
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

/** Tabs in .tsv files, or in a first line that has tabs and no commas; else commas. */
function delimiterOf(file: string, firstLine: string): string {
  return file.toLowerCase().endsWith('.tsv') || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : ',';
}

const CSV_OPTIONS = { relax_column_count: true, skip_empty_lines: true, info: true, bom: true } as const;

type CsvRecord = { record: string[]; info: { lines: number } };

function notCsv(file: string, error: unknown): CliError {
  const line = (error as { lines?: number }).lines;
  return new CliError(`${file}: ${line === undefined ? '' : `row ${line}: `}not valid CSV (${(error as Error).message.replace(/\s+/g, ' ')})`);
}

/**
 * CSV records to numeric rows, one record at a time, for whole files and streams alike: the header (forced, or
 * detected on the first record: a non-numeric cell), the columns picked, every cell checked.
 */
class DelimitedRows {
  names: string[] = [];
  picked: number[] = [];
  /** The picked columns' names. */
  columns: string[] = [];
  rows = 0;
  private first = true;

  constructor(
    private readonly file: string,
    private readonly options: ReadOptions,
  ) {}

  /** Appends the record's picked values to `out` (a header record appends nothing). */
  add({ record, info }: CsvRecord, out: number[]): void {
    if (this.first) {
      this.first = false;
      const hasHeader = this.options.header ?? !record.every(numeric);
      this.names = hasHeader ? record.map((name, j) => name.trim() || `c${j + 1}`) : defaultNames(record.length);
      this.picked = pickColumns(this.file, this.options.columns, this.names);
      this.columns = this.picked.map((j) => this.names[j]);
      if (hasHeader) return;
    }
    if (record.length !== this.names.length) {
      throw new CliError(`${this.file}: row ${info.lines}, column ${Math.min(record.length, this.names.length) + 1}: ${columnCount(record.length)} where the first row has ${this.names.length}`);
    }
    for (const j of this.picked) out.push(numberAt(this.file, record[j], info.lines, j + 1));
    this.rows++;
  }

  /** The picked columns' names; refuses a file without data rows. */
  finish(): string[] {
    if (this.first) throw new CliError(`${this.file}: no rows`);
    if (this.rows === 0) throw new CliError(`${this.file}: a header and no data rows`);
    return this.columns;
  }
}

function readDelimited(file: string, text: string, options: ReadOptions): Table {
  let records: CsvRecord[];
  try {
    records = parse(text, { ...CSV_OPTIONS, delimiter: delimiterOf(file, text.slice(0, text.indexOf('\n') >>> 0)) }) as unknown as CsvRecord[];
  } catch (error) {
    throw notCsv(file, error);
  }
  const rows = new DelimitedRows(file, options);
  const values: number[] = [];
  for (const record of records) rows.add(record, values);
  const names = rows.finish();
  return { data: Float64Array.from(values), rows: rows.rows, cols: names.length, names };
}

/** A file read a chunk of rows at a time: its column names, and a pass over it (each call reads it afresh). */
export interface TableStream {
  names: string[];
  pass: () => AsyncGenerator<Matrix>;
}

/**
 * CSV, TSV or .npy, `chunkRows` rows at a time, in memory for one chunk only; every cell checked as readTable
 * checks it (a bad one ends the pass that meets it).
 */
export async function streamTable(file: string, options: ReadOptions, chunkRows: number): Promise<TableStream> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw unreadable(file, error);
  }
  if (size === 0) throw new CliError(`${file}: empty file`);
  const lower = file.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) throw new CliError(`${file}: --stream reads CSV, TSV or .npy files; convert JSON lines to CSV`);
  const pass = lower.endsWith('.npy') ? npyPass(file, options, chunkRows) : csvPass(file, options, chunkRows);
  // The names: from the first chunk of a first pass, cut short.
  const first = pass(1);
  await first.next();
  await first.return(undefined);
  return { names: pass.names(), pass: () => pass() };
}

type Pass = ((limit?: number) => AsyncGenerator<Matrix>) & { names(): string[] };

function csvPass(file: string, options: ReadOptions, chunkRows: number): Pass {
  const head = Buffer.alloc(65536);
  const fd = openSync(file, 'r');
  const headText = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString('utf8');
  closeSync(fd);
  const delimiter = delimiterOf(file, headText.slice(0, headText.indexOf('\n') >>> 0));
  let names: string[] = [];
  const pass = async function* (limit = chunkRows): AsyncGenerator<Matrix> {
    const rows = new DelimitedRows(file, options);
    let values: number[] = [];
    const chunk = (): Matrix => {
      names = rows.columns;
      return { data: Float64Array.from(values), rows: values.length / rows.picked.length, cols: rows.picked.length };
    };
    const parser = createReadStream(file).pipe(parseStream({ ...CSV_OPTIONS, delimiter }));
    try {
      for await (const record of parser) {
        rows.add(record as CsvRecord, values);
        if (values.length >= limit * rows.picked.length) {
          yield chunk();
          values = [];
        }
      }
    } catch (error) {
      throw error instanceof CliError ? error : notCsv(file, error);
    } finally {
      parser.destroy();
    }
    rows.finish();
    if (values.length > 0) yield chunk();
  };
  return Object.assign(pass, { names: () => names });
}

function npyPass(file: string, options: ReadOptions, chunkRows: number): Pass {
  let names: string[] = [];
  const pass = async function* (limit = chunkRows): AsyncGenerator<Matrix> {
    let row = 0;
    for await (const slice of readNpySlices(file, limit)) {
      const { data, rows, cols } = slice as Matrix;
      checkFinite(file, data, cols, row);
      const picked = selectColumns(file, { data: data as Float64Array, rows, cols, names: defaultNames(cols) }, options.columns);
      names = picked.names;
      row += rows;
      yield { data: picked.data, rows, cols: picked.cols };
    }
  };
  return Object.assign(pass, { names: () => names });
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

/** Refuses the first NaN or infinity of rows × cols values, naming its row (counted from `firstRow` + 1) and column. */
function checkFinite(file: string, data: ArrayLike<number>, cols: number, firstRow: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) throw new CliError(`${file}: row ${firstRow + Math.floor(i / cols) + 1}, column ${(i % cols) + 1}: ${data[i]} is not a finite number`);
  }
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
  checkFinite(file, data, cols, 0);
  return { data, rows, cols, names: defaultNames(cols) };
}
