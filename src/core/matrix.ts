// The few numpy array moves the handbook's examples make (np.array, X[i], X[i, :], .tolist(), .reshape),
// for the row-major `Matrix`. Every helper returns a fresh float64 copy: inputs are never mutated or aliased.
import { type DataInput, type Matrix, type Matrix64, readData, valueAt } from './data';
import { describe, WasmeansError } from './errors';

function checkSize(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new WasmeansError('INVALID_INPUT', `${name} must be a positive integer, got ${describe(value)}`);
  }
  return value;
}

function checkValues(values: ArrayLike<number>, name: string): void {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `${name} must be an array of numbers, got ${describe(values)}`);
  }
  if (ArrayBuffer.isView(values)) return;
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== 'number') throw new WasmeansError('INVALID_INPUT', `${name}[${i}] is ${describe(values[i])}; numbers are required`);
  }
}

/**
 * A float64 `Matrix` (numpy's `np.array`): from rows (`[[1, 2], [3, 4]]`, or typed-array rows, or a `Matrix`),
 * or from flat row-major values and a shape (`toMatrix([1, 2, 3, 4], [2, 2])`).
 */
export function toMatrix(rows: DataInput): Matrix64;
export function toMatrix(values: ArrayLike<number>, shape: readonly [number, number]): Matrix64;
export function toMatrix(input: DataInput | ArrayLike<number>, shape?: readonly [number, number]): Matrix64 {
  if (shape === undefined) {
    const data = readData(input as DataInput, 'rows');
    const out = new Float64Array(data.rows * data.cols);
    for (let i = 0; i < data.rows; i++) for (let j = 0; j < data.cols; j++) out[i * data.cols + j] = valueAt(data, i, j);
    return { data: out, rows: data.rows, cols: data.cols };
  }
  const values = input as ArrayLike<number>;
  checkValues(values, 'values');
  if (!Array.isArray(shape) || shape.length !== 2) throw new WasmeansError('INVALID_INPUT', `shape must be [rows, cols], got ${describe(shape)}`);
  const rows = checkSize(shape[0], 'shape[0]');
  const cols = checkSize(shape[1], 'shape[1]');
  if (values.length !== rows * cols) {
    throw new WasmeansError('INVALID_INPUT', `values has length ${values.length}, but shape [${rows}, ${cols}] needs ${rows * cols}`);
  }
  return { data: Float64Array.from(values), rows, cols };
}

function checkRowIndex(index: unknown, rows: number, name: string): number {
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= rows) {
    throw new WasmeansError('INVALID_INPUT', `${name} must be an integer in [0, ${rows - 1}], got ${describe(index)}`);
  }
  return index;
}

/** Rows `indices` of `m`, in that order, repeats allowed: numpy's `m[indices]`, e.g. `centers[labels]`. */
export function takeRows(m: DataInput, indices: ArrayLike<number>): Matrix64 {
  const data = readData(m, 'm');
  checkValues(indices, 'indices');
  const cols = data.cols;
  const out = new Float64Array(indices.length * cols);
  for (let k = 0; k < indices.length; k++) {
    const i = checkRowIndex(indices[k], data.rows, `indices[${k}]`);
    for (let j = 0; j < cols; j++) out[k * cols + j] = valueAt(data, i, j);
  }
  return { data: out, rows: indices.length, cols };
}

/** Row `i` of `m` as a float64 copy: numpy's `m[i]`. */
export function getRow(m: DataInput, i: number): Float64Array {
  const data = readData(m, 'm');
  checkRowIndex(i, data.rows, 'i');
  return Float64Array.from({ length: data.cols }, (_, j) => valueAt(data, i, j));
}

/** Nested arrays of numbers: numpy's `m.tolist()`. */
export function toArrays(m: DataInput): number[][] {
  const data = readData(m, 'm');
  return Array.from({ length: data.rows }, (_, i) => Array.from({ length: data.cols }, (_, j) => valueAt(data, i, j)));
}

/**
 * The same row-major values in a new shape: numpy's `reshape(rows, cols)`; one of the two may be −1 and is
 * then inferred. Takes a `Matrix`, rows, or a flat array such as one row of the digits (64 values → 8 × 8).
 */
export function reshape(m: Matrix | ArrayLike<number>[] | ArrayLike<number>, rows: number, cols: number): Matrix64 {
  let values: ArrayLike<number>;
  if (Array.isArray(m) && m.length > 0 && typeof m[0] === 'object') values = toMatrix(m as ArrayLike<number>[]).data;
  else if (m !== null && typeof m === 'object' && 'data' in m && 'rows' in m && 'cols' in m) values = toMatrix(m as Matrix).data;
  else {
    checkValues(m as ArrayLike<number>, 'm');
    values = m as ArrayLike<number>;
  }
  const n = values.length;
  if (rows === -1 && cols === -1) throw new WasmeansError('INVALID_INPUT', 'only one of rows and cols can be -1');
  const r = rows === -1 ? n / checkSize(cols, 'cols') : checkSize(rows, 'rows');
  const c = cols === -1 ? n / r : checkSize(cols, 'cols');
  if (!Number.isInteger(r) || !Number.isInteger(c) || r * c !== n) {
    throw new WasmeansError('INVALID_INPUT', `cannot reshape ${n} values into rows=${rows} × cols=${cols}`);
  }
  return { data: Float64Array.from(values), rows: r, cols: c };
}
