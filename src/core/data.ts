// Validation at the entry: shapes, finiteness, weights and options. Everything past this point assumes
// valid input, as scikit-learn's private functions assume "prior validation".
import { describe, WasmeansError } from './errors';

/** Dense row-major matrix. */
export type Matrix = { data: Float32Array | Float64Array; rows: number; cols: number };
/** A `Matrix` whose data is float64: what every wasmeans result is. */
export type Matrix64 = Matrix & { data: Float64Array };
/** ndarray's shape (`ndarray` package): any strides and offset. */
export type NdArrayLike = { data: ArrayLike<number>; shape: number[]; stride: number[]; offset: number };
/** ml-matrix's `Matrix`, TensorFlow.js's `Tensor`: duck-typed, never imported. */
export type ForeignMatrix =
  | { rows: number; columns: number; to2DArray(): number[][] }
  | { shape: number[]; dtype: string; dataSync(): ArrayLike<number> };
/** A `Matrix`, `number[][]`, an array of typed-array rows, or a 2-D ndarray, ml-matrix or tfjs tensor (an Arrow table through `fromArrow`). */
export type DataInput = Matrix | ArrayLike<number>[] | NdArrayLike | ForeignMatrix;
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
  const f = foreign(x, name);
  if (f) return f;
  if (isMatrix(x)) {
    const { data, rows, cols } = x;
    if (!(data instanceof Float32Array || data instanceof Float64Array) || data.length !== rows * cols) {
      throw bad(name, `must be {data: Float32Array | Float64Array, rows, cols}; got ${describe(data)}, length ${data?.length}, but rows=${rows} × cols=${cols} = ${rows * cols}`);
    }
    return strided(data, [rows, cols], cols, 1, 0, name);
  }
  if (!Array.isArray(x)) {
    const arrow = (x as { schema?: unknown })?.schema ? ' (an Apache Arrow table: pass fromArrow(table, columns?))' : '';
    throw new WasmeansError('INVALID_INPUT', `${name} must be a Matrix {data, rows, cols} or an array of rows, got ${describe(x)}${arrow}`);
  }
  const rows = x.length;
  if (rows === 0) throw new WasmeansError('INVALID_INPUT', `${name} has 0 rows; at least 1 is required`);
  const cols = x[0]?.length; // row 0 is checked below
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

const bad = (name: string, what: string): WasmeansError => new WasmeansError('INVALID_INPUT', `${name} ${what}`);

/**
 * Copies n × d values at off + i·s0 + j·s1 of src into float64 (row i of `flat` at i·w + j0), or, with no
 * `flat` given, reuses src if it is row-major float already.
 */
function strided(src: ArrayLike<number>, shape: number[], s0: number, s1: number, off: number, name: string, flat?: Float64Array, w = shape[1], j0 = 0): Data {
  const [n, d] = shape;
  if (shape.length !== 2 || !(n >= 1 && d >= 1 && (n % 1) + (d % 1) === 0)) throw bad(name, `must be 2-D, at least 1 × 1, got shape [${shape}]`);
  if (!flat && s1 === 1 && s0 === d && (src instanceof Float32Array || src instanceof Float64Array) && off + n * d <= src.length) {
    return { rows: n, cols: d, flat: src.subarray(off, off + n * d) };
  }
  flat ??= new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = src[off + i * s0 + j * s1];
      if (typeof v !== 'number') throw bad(name, `contains ${describe(v)} at row ${i}, column ${j}; numbers are required`);
      flat[i * w + j0 + j] = v;
    }
  }
  return { rows: n, cols: d, flat };
}

/** The ecosystem's matrices, duck-typed: ndarray, ml-matrix, tfjs tensors; undefined if none. */
function foreign(x: any, name: string): Data | undefined {
  if (x == null) return;
  if (x.dataSync && x.shape) {
    if (x.dtype !== 'float32' && x.dtype !== 'int32') throw bad(name, `has dtype ${x.dtype}; float32 or int32 is required`);
    return strided(x.dataSync(), x.shape, x.shape[1], 1, 0, name);
  }
  if (x.shape && x.stride) return strided(x.data, x.shape, x.stride[0], x.stride[1], x.offset || 0, name);
  if (x.to2DArray) {
    const r = x.data; // ml-matrix's rows, if they are what they seem; else its public copy
    return readData(Array.isArray(r) && r.length === x.rows && ArrayBuffer.isView(r[0]) ? r : x.to2DArray(), name);
  }
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

/** Ones for fits without sampleWeight, shared and never written: a fresh n-sized array costs each fit its page faults. */
let ones = new Float64Array(0);

/**
 * Sample weights checked (length n, finite, ≥ 0, positive sum), as float64; all ones when absent (a view of a shared array of ones, which the caller must not
 * write: it stays as long as the largest fit's, as wasm memory does).
 */
export function readSampleWeight(sampleWeight: ArrayLike<number> | undefined, nSamples: number): Float64Array {
  if (sampleWeight === undefined || sampleWeight === null) {
    if (ones.length < nSamples) ones = new Float64Array(nSamples).fill(1);
    return ones.subarray(0, nSamples);
  }
  const weights = new Float64Array(nSamples);
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
