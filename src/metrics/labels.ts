// Labels for the metrics: validation, LabelEncoder's encoding, contingency tables and numpy's summation.
import { describe, WasmeansError } from '../core/errors';
import type { Labels } from '../core/data';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Labels as an Int32Array copy: every entry an integer in the int32 range, else INVALID_INPUT naming it. */
export function readLabels(labels: Labels, name: string): Int32Array {
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `${name} must be an array of integers, got ${describe(labels)}`);
  }
  if (labels instanceof Int32Array) return labels.slice();
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
      throw new WasmeansError('INVALID_INPUT', `${name}[${i}] is ${describe(v)}; labels must be integers in [${INT32_MIN}, ${INT32_MAX}]`);
    }
    out[i] = v;
  }
  return out;
}

/** Two labellings of the same samples, validated. */
export function readLabelPair(a: Labels, aName: string, b: Labels, bName: string): [Int32Array, Int32Array] {
  const first = readLabels(a, aName);
  const second = readLabels(b, bName);
  if (first.length !== second.length) {
    throw new WasmeansError('INVALID_INPUT', `${aName} has length ${first.length}, but ${bName} has length ${second.length}`);
  }
  return [first, second];
}

/** LabelEncoder: the sorted distinct values (`classes`) and each sample's index among them (`codes`). */
export interface Encoded {
  readonly codes: Int32Array;
  readonly classes: Int32Array;
}

export function encodeLabels(labels: Int32Array): Encoded {
  const sorted = labels.slice().sort();
  let count = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[count++] = sorted[i];
  const classes = sorted.slice(0, count);
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) codes[i] = indexOf(classes, labels[i]);
  return { codes, classes };
}

/** Index of a value in a sorted array of distinct values (binary search; the value is present). */
function indexOf(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Samples per class: numpy's `bincount(codes)`. */
export function classCounts(encoded: Encoded): Float64Array {
  const counts = new Float64Array(encoded.classes.length);
  for (const code of encoded.codes) counts[code]++;
  return counts;
}

/**
 * The sparse contingency table of two encodings (classes of `rows` × classes of `cols`): its nonzero cells in
 * column-major order, the order in which scipy's `sparse.find` lists them, with the row and column sums.
 */
export interface Contingency {
  readonly nRows: number;
  readonly nCols: number;
  readonly row: Int32Array;
  readonly col: Int32Array;
  readonly count: Float64Array;
  readonly rowSums: Float64Array;
  readonly colSums: Float64Array;
}

export function contingency(rows: Encoded, cols: Encoded): Contingency {
  const nRows = rows.classes.length;
  const nCols = cols.classes.length;
  const n = rows.codes.length;
  // Column-major cell keys (< nRows · nCols ≤ n², exact in float64 for any n an array can hold here).
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = cols.codes[i] * nRows + rows.codes[i];
  keys.sort();
  let cells = 0;
  for (let i = 0; i < n; i++) if (i === 0 || keys[i] !== keys[i - 1]) cells++;
  const row = new Int32Array(cells);
  const col = new Int32Array(cells);
  const count = new Float64Array(cells);
  let cell = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || keys[i] !== keys[i - 1]) {
      cell++;
      row[cell] = keys[i] % nRows;
      col[cell] = Math.floor(keys[i] / nRows);
    }
    count[cell]++;
  }
  return { nRows, nCols, row, col, count, rowSums: classCounts(rows), colSums: classCounts(cols) };
}

/** Below this many values numpy adds one by one; up to 128 in eight interleaved partial sums. */
const PAIRWISE_BLOCK = 128;

function pairwiseSum(values: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i];
    return sum;
  }
  if (n <= PAIRWISE_BLOCK) {
    const r = new Float64Array(8);
    for (let j = 0; j < 8; j++) r[j] = values[start + j];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += values[start + i + j];
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/** numpy's `np.sum` of a contiguous float64 array: pairwise summation, so results agree to the last bit. */
export function numpySum(values: ArrayLike<number>): number {
  return pairwiseSum(values, 0, values.length);
}
