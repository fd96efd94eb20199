// Validation at the entry: shapes, finiteness, weights and options. Everything past this point assumes
// valid input, as scikit-learn's private functions assume "prior validation".
import { describe, WasmeansError } from './errors';

/** Dense row-major matrix. */
export type Matrix = { data: Float32Array | Float64Array; rows: number; cols: number };
/** A `Matrix` whose data is float64: what every wasmeans result is. */
export type Matrix64 = Matrix & { data: Float64Array };
/** A `Matrix`, `number[][]`, or an array of typed-array rows. */
export type DataInput = Matrix | ArrayLike<number>[];
export type Labels = Int32Array | ArrayLike<number>;

/** Validated data: either a flat row-major array or rows, never copied. */
export interface Data {
  readonly rows: number;
  readonly cols: number;
  readonly flat?: Float32Array | Float64Array;
  readonly rowArrays?: ArrayLike<number>[];
}

function isMatrix(x: unknown): x is Matrix {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && 'data' in x && 'rows' in x && 'cols' in x;
}

/** The error for a value that is NaN or infinite. */
export function badValue(name: string, value: number, row: number, col: number): WasmeansError {
  return new WasmeansError('INVALID_INPUT', `${name} contains ${value} at row ${row}, column ${col}; values must be finite`);
}

/**
 * Checks the shape (and, for plain arrays, that every value is a number). Values themselves are checked on
 * their way into wasm memory (workspace.ts), or by `checkValues` for small inputs.
 */
export function readData(x: DataInput, name = 'X'): Data {
  if (isMatrix(x)) {
    const { data, rows, cols } = x;
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      throw new WasmeansError('INVALID_INPUT', `${name}.data must be a Float32Array or Float64Array, got ${describe(data)}`);
    }
    if (!Number.isInteger(rows) || rows < 1) throw new WasmeansError('INVALID_INPUT', `${name}.rows must be a positive integer, got ${describe(rows)}`);
    if (!Number.isInteger(cols) || cols < 1) throw new WasmeansError('INVALID_INPUT', `${name}.cols must be a positive integer, got ${describe(cols)}`);
    if (data.length !== rows * cols) {
      throw new WasmeansError('INVALID_INPUT', `${name}.data has length ${data.length}, but rows=${rows} × cols=${cols} = ${rows * cols}`);
    }
    return { rows, cols, flat: data };
  }
  if (!Array.isArray(x)) {
    throw new WasmeansError('INVALID_INPUT', `${name} must be a Matrix {data, rows, cols} or an array of rows, got ${describe(x)}`);
  }
  const rows = x.length;
  if (rows === 0) throw new WasmeansError('INVALID_INPUT', `${name} has 0 rows; at least 1 is required`);
  const first = x[0];
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `${name}[0] must be an array of numbers, got ${describe(first)}`);
  }
  const cols = first.length;
  if (cols === 0) throw new WasmeansError('INVALID_INPUT', `${name} has 0 columns; at least 1 is required`);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new WasmeansError('INVALID_INPUT', `${name}[${i}] must be an array of numbers, got ${describe(row)}`);
    }
    if (row.length !== cols) {
      throw new WasmeansError('INVALID_INPUT', `${name} is ragged: row ${i} has ${row.length} values, row 0 has ${cols}`);
    }
    if (ArrayBuffer.isView(row)) continue;
    // Typed arrays would turn "2" into 2 and null into 0 without a word: plain arrays are checked here.
    for (let j = 0; j < cols; j++) {
      if (typeof row[j] !== 'number') {
        throw new WasmeansError('INVALID_INPUT', `${name} contains ${describe(row[j])} at row ${i}, column ${j}; numbers are required`);
      }
    }
  }
  return { rows, cols, rowArrays: x };
}

/** Value at (row, col) of validated data. */
export function valueAt(data: Data, row: number, col: number): number {
  return data.flat ? data.flat[row * data.cols + col] : (data.rowArrays as ArrayLike<number>[])[row][col];
}

/** Copies rows [start, start + count) into `target` as float64, natively (typed-array set). */
export function copyRows(data: Data, start: number, count: number, target: Float64Array): void {
  const cols = data.cols;
  if (data.flat) {
    target.set(data.flat.subarray(start * cols, (start + count) * cols));
  } else {
    const rows = data.rowArrays as ArrayLike<number>[];
    for (let i = 0; i < count; i++) target.set(rows[start + i], i * cols);
  }
}

/** Value check in JavaScript, for small inputs that do not go through wasm memory (initial centers). */
export function checkValues(data: Data, name: string): void {
  for (let i = 0; i < data.rows; i++) {
    for (let j = 0; j < data.cols; j++) {
      const v = valueAt(data, i, j);
      if (!Number.isFinite(v)) throw badValue(name, v, i, j);
    }
  }
}

/** Reads row i as float64. */
export function rowAt(data: Data, i: number): Float64Array {
  const out = new Float64Array(data.cols);
  if (data.flat) out.set(data.flat.subarray(i * data.cols, (i + 1) * data.cols));
  else out.set(Array.from((data.rowArrays as ArrayLike<number>[])[i]));
  return out;
}

/** Rows `indices` of the caller's data (float64, as given) minus `shift`. */
export function rowsOf(data: Data, indices: ArrayLike<number>, shift: Float64Array): Float64Array {
  const d = data.cols;
  const rows = new Float64Array(indices.length * d);
  for (let j = 0; j < indices.length; j++) {
    const row = rowAt(data, indices[j]);
    for (let t = 0; t < d; t++) rows[j * d + t] = row[t] - shift[t];
  }
  return rows;
}

/** 0, 1, …, count − 1. */
export function allRows(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** Sample weights: length n, finite, ≥ 0, positive sum. Absent means all ones. */
export function readSampleWeight(sampleWeight: ArrayLike<number> | undefined, nSamples: number): Float64Array {
  const weights = new Float64Array(nSamples);
  if (sampleWeight === undefined || sampleWeight === null) return weights.fill(1);
  if (typeof sampleWeight !== 'object' || typeof sampleWeight.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `sampleWeight must be an array of numbers, got ${describe(sampleWeight)}`);
  }
  if (sampleWeight.length !== nSamples) {
    throw new WasmeansError('INVALID_INPUT', `sampleWeight has length ${sampleWeight.length}, but X has ${nSamples} rows`);
  }
  let total = 0;
  for (let i = 0; i < nSamples; i++) {
    const w = sampleWeight[i];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new WasmeansError('INVALID_INPUT', `sampleWeight[${i}] is ${describe(w)}; weights must be finite and >= 0`);
    }
    weights[i] = w;
    total += w;
  }
  if (!(total > 0)) throw new WasmeansError('INVALID_INPUT', 'sampleWeight sums to 0; at least one weight must be positive');
  return weights;
}

/** k-means and spectral clustering need at least as many rows as clusters. */
export function checkEnoughSamples(nSamples: number, nClusters: number): void {
  if (nSamples < nClusters) throw new WasmeansError('INVALID_INPUT', `nSamples=${nSamples} should be >= nClusters=${nClusters}`);
}

/** A dense float64 matrix from row-major values. */
export function matrix(data: Float64Array, rows: number, cols: number): Matrix64 {
  return { data, rows, cols };
}
