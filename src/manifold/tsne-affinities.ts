// t-SNE's input similarities P, as scikit-learn 1.2 computes them: each row's conditional probabilities over its
// ⌊3·perplexity + 1⌋ nearest neighbours (every other row, for the exact method), with the Gaussian's bandwidth
// found by bisection for the desired perplexity (wasm: perplexityRows), then P = (P + Pᵀ) / Σ.
//
// Distances are taken of X scaled by a power of two chosen from its largest magnitude (exact, and undone by the
// bandwidth search): any finite input gives the same P as X·2^k, where scikit-learn's float32 squared distances
// would overflow past 1.8e19 or underflow below 1e-19.
import { copyRows, type Data } from '../core/data';
import { addTranspose, type CsrMatrix } from '../core/sparse';
import { allocate, f32View, f64View } from '../runtime/arena';
import { powerOfTwoScale } from '../runtime/ingest';
import { graphKernels } from '../runtime/graph';
import { mapChunks } from '../runtime/chunks';
import { searchOthers } from '../neighbors/kneighbors';
import type { Engine } from '../cluster/threads';

const MACHINE_EPSILON = 2.220446049250313e-16;

/** The power of two that brings X's largest magnitude into [1, 2); NaN and ±Infinity named by row and column. */
function scaleOf(data: Data): number {
  let largest = 0;
  const row = new Float64Array(data.cols);
  for (let i = 0; i < data.rows; i++) {
    copyRows(data, i, 1, row);
    for (const v of row) largest = Math.max(largest, Math.abs(v));
  }
  return powerOfTwoScale(largest);
}

/** Squared distances of rows i and j of X·scale, in float64. */
function squaredDistance(a: Float64Array, b: Float64Array, scale: number): number {
  let sum = 0;
  for (let t = 0; t < a.length; t++) sum += (a[t] * scale - b[t] * scale) ** 2;
  return sum;
}

/** Conditional probabilities of nRows rows over nCols columns of f32 squared distances (wasm: perplexityRows), in rows shared by the engine's threads when there is one. */
function conditional(sqDistances: Float32Array, nRows: number, nCols: number, skipDiagonal: boolean, perplexity: number, engine?: Engine): Float64Array {
  const kernels = engine?.kernels ?? graphKernels();
  const map = engine?.map ?? mapChunks;
  const rows = Math.max(1, Math.floor(2 ** 16 / nCols));
  const ptr = allocate(
    kernels, { d: sqDistances.byteLength, p: nRows * nCols * 8, partials: Math.ceil(nRows / rows) * 8, args: 8 * 8 }, `t-SNE's input similarities for ${nRows} rows`,
    'use fewer rows, or method: \'barnes_hut\' (nearest neighbours only)',
  );
  f32View(kernels, ptr.d, sqDistances.length).set(sqDistances);
  map(kernels, 'perplexityRows', [ptr.d, nCols, skipDiagonal ? 1 : 0, perplexity, ptr.p, 0, 0], { startAt: 5, items: nRows, chunk: rows, partials: ptr.partials, argsPtr: ptr.args });
  return f64View(kernels, ptr.p, nRows * nCols).slice();
}

/**
 * scikit-learn's _joint_probabilities_nn: P over each row's k = min(n − 1, ⌊3·perplexity + 1⌋) nearest
 * neighbours, symmetrised and normalised. The squared distances are the neighbour search's own float32 ones (of X
 * scaled by a power of two), as scikit-learn's float32 copy of its squared distances; a row's neighbours come
 * nearest first rather than in index order, which changes the bisection's sums in their last bits only.
 */
export function nearestNeighbourAffinities(data: Data, perplexity: number, engine?: Engine): CsrMatrix {
  const n = data.rows;
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const { indices, sqDistances } = searchOthers(data, k, 'auto', engine);
  const p = conditional(sqDistances, n, k, false, perplexity, engine);
  const indptr = Int32Array.from({ length: n + 1 }, (_, i) => i * k);
  const joint = addTranspose({ indptr, indices, data: p, rows: n, cols: n }, 1, 1);
  let sum = 0;
  for (const v of joint.data) sum += v;
  const total = Math.max(sum, MACHINE_EPSILON);
  for (let e = 0; e < joint.data.length; e++) joint.data[e] /= total;
  return joint;
}

/** scikit-learn's _joint_probabilities: P over all pairs, n × n (the diagonal 0), each at least machine epsilon. */
export function exactAffinities(data: Data, perplexity: number): Float64Array {
  const n = data.rows;
  const scale = scaleOf(data);
  const rows = new Float64Array(n * data.cols);
  copyRows(data, 0, n, rows);
  const sq = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = rows.subarray(i * data.cols, (i + 1) * data.cols);
    for (let j = i + 1; j < n; j++) {
      const d = squaredDistance(a, rows.subarray(j * data.cols, (j + 1) * data.cols), scale);
      sq[i * n + j] = d;
      sq[j * n + i] = d;
    }
  }
  const p = conditional(sq, n, n, true, perplexity);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = p[i * n + j] + p[j * n + i];
      p[i * n + j] = v;
      p[j * n + i] = v;
      sum += 2 * v;
    }
    p[i * n + i] = 0;
  }
  const total = Math.max(sum, MACHINE_EPSILON);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) if (j !== i) p[i * n + j] = Math.max(p[i * n + j] / total, MACHINE_EPSILON);
  }
  return p;
}
