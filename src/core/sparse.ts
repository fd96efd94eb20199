// Compressed sparse rows: validation of what users pass, the symmetric part 0.5·(A + Aᵀ), and connected
// components. Rows come out with sorted column indices and duplicates summed, as scipy's canonical format.
import { describe, WasmeansError } from './errors';
import { checkValues, type DataInput, readData, valueAt } from './data';

/** Compressed sparse rows: row i's entries are indices/data[indptr[i] .. indptr[i + 1]). */
export type CsrMatrix = { indptr: Int32Array; indices: Int32Array; data: Float64Array; rows: number; cols: number };

export function isCsr(x: unknown): x is CsrMatrix {
  return typeof x === 'object' && x !== null && 'indptr' in x && 'indices' in x && 'data' in x;
}

function toInt32(name: string, values: unknown): Int32Array {
  if (values instanceof Int32Array) return values;
  if (typeof values !== 'object' || values === null || typeof (values as ArrayLike<number>).length !== 'number') {
    throw new WasmeansError('INVALID_INPUT', `${name} must be an Int32Array or an array of integers, got ${describe(values)}`);
  }
  const source = values as ArrayLike<number>;
  const out = new Int32Array(source.length);
  for (let e = 0; e < source.length; e++) {
    const v = source[e];
    if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      throw new WasmeansError('INVALID_INPUT', `${name}[${e}] must be an integer, got ${describe(v)}`);
    }
    out[e] = v;
  }
  return out;
}

/**
 * A square, non-negative, finite matrix given as CSR or dense, checked entry by entry, as CSR over the same
 * arrays when they already have the right types (never written to).
 */
export function readSquareNonNegative(x: CsrMatrix | DataInput, name: string): CsrMatrix {
  if (!isCsr(x)) return denseToCsr(x, name);
  const { rows, cols } = x;
  if (!Number.isInteger(rows) || rows < 1) throw new WasmeansError('INVALID_INPUT', `${name}.rows must be a positive integer, got ${describe(rows)}`);
  if (cols !== rows) throw new WasmeansError('INVALID_INPUT', `${name} must be square, got ${describe(rows)} rows × ${describe(cols)} columns`);
  const indptr = toInt32(`${name}.indptr`, x.indptr);
  const indices = toInt32(`${name}.indices`, x.indices);
  if (indptr.length !== rows + 1) {
    throw new WasmeansError('INVALID_INPUT', `${name}.indptr has length ${indptr.length}, but rows + 1 = ${rows + 1}`);
  }
  const nnz = indptr[rows];
  if (indptr[0] !== 0) throw new WasmeansError('INVALID_INPUT', `${name}.indptr[0] must be 0, got ${indptr[0]}`);
  for (let i = 0; i < rows; i++) {
    if (indptr[i + 1] < indptr[i]) {
      throw new WasmeansError('INVALID_INPUT', `${name}.indptr must not decrease, but indptr[${i + 1}]=${indptr[i + 1]} < indptr[${i}]=${indptr[i]}`);
    }
  }
  if (indices.length !== nnz) throw new WasmeansError('INVALID_INPUT', `${name}.indices has length ${indices.length}, but indptr[rows] = ${nnz}`);
  const values = x.data as unknown;
  if (typeof values !== 'object' || values === null || (values as ArrayLike<number>).length !== nnz) {
    throw new WasmeansError('INVALID_INPUT', `${name}.data must hold indptr[rows] = ${nnz} numbers, got ${describe(values)}`);
  }
  const data = values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
  for (let i = 0; i < rows; i++) {
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const j = indices[e];
      if (j < 0 || j >= cols) throw new WasmeansError('INVALID_INPUT', `${name}.indices[${e}] = ${j} is outside [0, ${cols}) (row ${i})`);
      const v = data[e];
      if (!Number.isFinite(v) || v < 0) {
        throw new WasmeansError('INVALID_INPUT', `${name} has ${describe((values as ArrayLike<number>)[e])} at row ${i}, column ${j}; entries must be finite and >= 0`);
      }
    }
  }
  return { indptr, indices, data, rows, cols };
}

function denseToCsr(x: DataInput, name: string): CsrMatrix {
  const dense = readData(x, name);
  const n = dense.rows;
  if (dense.cols !== n) throw new WasmeansError('INVALID_INPUT', `${name} must be square, got ${n} rows × ${dense.cols} columns`);
  checkValues(dense, name);
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = valueAt(dense, i, j);
      if (v < 0) throw new WasmeansError('INVALID_INPUT', `${name} has ${v} at row ${i}, column ${j}; entries must be >= 0`);
      if (v !== 0) nnz++;
    }
    indptr[i + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = valueAt(dense, i, j);
      if (v !== 0) {
        indices[e] = j;
        data[e++] = v;
      }
    }
  }
  return { indptr, indices, data, rows: n, cols: n };
}

/**
 * alpha·A + beta·Aᵀ for square A, canonical: column indices sorted within rows, duplicates summed. With
 * alpha = beta = 0.5 the result is exactly symmetric, since a + b and b + a round alike.
 */
export function addTranspose(a: CsrMatrix, alpha: number, beta: number): CsrMatrix {
  const n = a.rows;
  // Triplets of both terms, bucketed by row (counting sort), then each row sorted by column and merged.
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) {
      if (alpha !== 0) count[i + 1]++;
      if (beta !== 0) count[a.indices[e] + 1]++;
    }
  }
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const total = count[n];
  const cols = new Int32Array(total);
  const vals = new Float64Array(total);
  const fill = count.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) {
      const j = a.indices[e];
      if (alpha !== 0) {
        cols[fill[i]] = j;
        vals[fill[i]++] = alpha * a.data[e];
      }
      if (beta !== 0) {
        cols[fill[j]] = i;
        vals[fill[j]++] = beta * a.data[e];
      }
    }
  }
  // Each row's entries into column order by a stable counting sort over columns (rows visited in order), so that
  // equal columns meet in the order they were listed and are summed in it.
  const byColumn = new Int32Array(n + 1);
  for (let e = 0; e < total; e++) byColumn[cols[e] + 1]++;
  for (let j = 0; j < n; j++) byColumn[j + 1] += byColumn[j];
  const sortedRow = new Int32Array(total);
  const sortedEntry = new Int32Array(total);
  const at = byColumn.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let e = count[i]; e < count[i + 1]; e++) {
      const slot = at[cols[e]]++;
      sortedRow[slot] = i;
      sortedEntry[slot] = e;
    }
  }
  const indices = new Int32Array(total);
  const data = new Float64Array(total);
  const end = count.slice(0, n);
  for (let slot = 0; slot < total; slot++) {
    const i = sortedRow[slot];
    const e = sortedEntry[slot];
    if (end[i] > count[i] && indices[end[i] - 1] === cols[e]) data[end[i] - 1] += vals[e];
    else {
      indices[end[i]] = cols[e];
      data[end[i]++] = vals[e];
    }
  }
  const indptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) indptr[i + 1] = indptr[i] + (end[i] - count[i]);
  const outIndices = new Int32Array(indptr[n]);
  const outData = new Float64Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    outIndices.set(indices.subarray(count[i], end[i]), indptr[i]);
    outData.set(data.subarray(count[i], end[i]), indptr[i]);
  }
  return { indptr, indices: outIndices, data: outData, rows: n, cols: n };
}

/** The largest |A[i, j] − A[j, i]| and where, from A's canonical form and its symmetric part S (A − S = (A − Aᵀ)/2). */
export function asymmetry(a: CsrMatrix, symmetric: CsrMatrix): { value: number; row: number; col: number } {
  const canonical = addTranspose(a, 1, 0);
  let worst = { value: 0, row: 0, col: 0 };
  for (let i = 0; i < a.rows; i++) {
    let p = canonical.indptr[i];
    const pEnd = canonical.indptr[i + 1];
    // S's pattern contains A's, so walking S and advancing through A's row covers every entry.
    for (let e = symmetric.indptr[i]; e < symmetric.indptr[i + 1]; e++) {
      const j = symmetric.indices[e];
      const aij = p < pEnd && canonical.indices[p] === j ? canonical.data[p++] : 0;
      const diff = 2 * Math.abs(aij - symmetric.data[e]);
      if (diff > worst.value) worst = { value: diff, row: i, col: j };
    }
  }
  return worst;
}

/** Connected components through positive off-diagonal entries: a component number per node, numbered by first node. */
export function connectedComponents(a: CsrMatrix): { labels: Int32Array; count: number } {
  const n = a.rows;
  const labels = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  let count = 0;
  for (let start = 0; start < n; start++) {
    if (labels[start] !== -1) continue;
    labels[start] = count;
    let top = 0;
    stack[top++] = start;
    while (top > 0) {
      const i = stack[--top];
      for (let e = a.indptr[i]; e < a.indptr[i + 1]; e++) {
        const j = a.indices[e];
        if (labels[j] === -1 && a.data[e] > 0) {
          labels[j] = count;
          stack[top++] = j;
        }
      }
    }
    count++;
  }
  return { labels, count };
}
