// One Lloyd run from given centers, with scikit-learn's semantics (sklearn/cluster/_kmeans.py
// `_kmeans_single_lloyd`): strict convergence when no label changes, otherwise stop when the summed squared
// center shift is <= tol; after a non-strict stop one more E-step so that labels match the centers.
import { f32View, f64View, i32View } from '../runtime/arena';
import type { Kernels } from '../runtime/module';
import { assignAll, inertiaOf, loadCenters, toUnitLength, type Workspace } from './workspace';

/**
 * One E-step with the M-step's accumulation: labels every row and leaves the weighted sums and weights per
 * cluster in ws.ptr.sums and ws.ptr.weightInClusters; returns how many labels changed.
 */
export type EStep = (ws: Workspace) => number;

/** Labels every row with its nearest loaded center, into ws.ptr.labels (the last E-step after a shift-based stop). */
export type Assign = (ws: Workspace) => void;

const assignHere: Assign = (ws) => void assignAll(ws);

/** One chunk's partial sums in memory: nClusters × nFeatures sums (f64), then nClusters weights; its bytes and where the weights start. */
export function partialLayout(nClusters: number, nFeatures: number): { stride: number; weightsOffset: number } {
  return { stride: (nClusters * nFeatures + nClusters) * 8, weightsOffset: nClusters * nFeatures * 8 };
}

/**
 * Rows per chunk of the E-step. The per-cluster sums are formed per chunk and the chunks' partial sums added
 * in chunk order, so the result depends on this chunking only, never on how many threads share the chunks:
 * it is a function of the shape alone. About 2²¹ multiply-adds per chunk (1024 to 65536 rows, even), and at
 * most 64 MiB of partial sums for a threaded fit.
 */
export function lloydChunkRows(nSamples: number, nFeatures: number, nClusters: number): number {
  const byWork = 2 ** Math.floor(Math.log2(2 ** 21 / (nClusters * nFeatures)));
  const maxChunks = Math.max(1, Math.floor(2 ** 26 / partialLayout(nClusters, nFeatures).stride));
  const rows = Math.max(Math.min(65536, Math.max(1024, byWork)), Math.ceil(nSamples / maxChunks));
  return rows + (rows & 1);
}

/** Zeroes per-cluster sums and weights: by default the totals (ws.ptr.sums, ws.ptr.weightInClusters). */
export function clearSums(ws: Workspace, sumsPtr = ws.ptr.sums, weightsPtr = ws.ptr.weightInClusters): void {
  f64View(ws.kernels, sumsPtr, ws.nClusters * ws.nFeatures).fill(0);
  f64View(ws.kernels, weightsPtr, ws.nClusters).fill(0);
}

/** Runs the fused E-step kernel on rows [start, end) into partial sums at sumsPtr, weights at weightsPtr. */
function runChunk(ws: Workspace, start: number, end: number, sumsPtr: number, weightsPtr: number): number {
  clearSums(ws, sumsPtr, weightsPtr);
  return ws.kernels.lloydChunk(ws.ptr.args, start, end, sumsPtr, weightsPtr);
}

/** Adds one chunk's partial sums and weights into the totals (ws.ptr.sums, ws.ptr.weightInClusters). */
export function addPartial(kernels: Kernels, ws: Workspace, sumsPtr: number, weightsPtr: number): void {
  const { nClusters, nFeatures, ptr } = ws;
  addF64(f64View(kernels, ptr.sums, nClusters * nFeatures), f64View(kernels, sumsPtr, nClusters * nFeatures));
  addF64(f64View(kernels, ptr.weightInClusters, nClusters), f64View(kernels, weightsPtr, nClusters));
}

function addF64(total: Float64Array, part: Float64Array): void {
  for (let t = 0; t < total.length; t++) total[t] += part[t];
}

/**
 * Runs `chunk` over the fixed row chunks in order, chunk 0 straight into the totals (ws.ptr.sums,
 * ws.ptr.weightInClusters), each later one into the partial sums then added in; returns the sum of its results.
 */
function inChunkOrder(ws: Workspace, chunk: (start: number, end: number, sumsPtr: number, weightsPtr: number) => number): number {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  const rows = lloydChunkRows(nSamples, nFeatures, nClusters);
  let total = chunk(0, Math.min(rows, nSamples), ptr.sums, ptr.weightInClusters);
  for (let start = rows; start < nSamples; start += rows) {
    total += chunk(start, Math.min(start + rows, nSamples), ptr.partialSums, ptr.partialWeights);
    addPartial(kernels, ws, ptr.partialSums, ptr.partialWeights);
  }
  return total;
}

/** The E-step on this thread, chunk by chunk. */
export const sequentialEStep: EStep = (ws) => inChunkOrder(ws, (start, end, sumsPtr, weightsPtr) => runChunk(ws, start, end, sumsPtr, weightsPtr));

/**
 * Re-forms the sums of the current labels in Lloyd's chunk order, for E-steps that summed all rows in one run:
 * with more than one chunk the two orders round differently. One pass over X, no distances.
 */
export function sumsInChunkOrder(ws: Workspace): void {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  if (nSamples <= lloydChunkRows(nSamples, nFeatures, nClusters)) return;
  inChunkOrder(ws, (start, end, sumsPtr, weightsPtr) => {
    clearSums(ws, sumsPtr, weightsPtr);
    kernels.chunkSums(ptr.args, start, end, sumsPtr, weightsPtr);
    return 0;
  });
}

export interface LloydResult {
  /** Centers in the workspace's shifted coordinates. */
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** Assumes prior validation: centers has nClusters × nFeatures finite values; tolerance is already scaled. */
export function lloydRun(
  ws: Workspace, initialCenters: Float64Array, maxIter: number, tolerance: number, eStep: EStep = sequentialEStep,
  assign: Assign = assignHere,
): LloydResult {
  const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
  let centers = Float64Array.from(initialCenters);
  let centersNew = new Float64Array(centers.length);
  i32View(kernels, ptr.labels, nSamples).fill(-1);
  let strictConvergence = false;
  let converged = false;
  let iteration = 0;
  for (; iteration < maxIter; iteration++) {
    loadCenters(ws, centers);
    const changed = eStep(ws);
    const sums = f64View(kernels, ptr.sums, nClusters * nFeatures);
    const weightInClusters = f64View(kernels, ptr.weightInClusters, nClusters);
    relocateEmptyClusters(ws, sums, weightInClusters);
    averageCenters(sums, weightInClusters, nFeatures, centersNew);
    // Spherical k-means' M-step: the mean direction.
    if (ws.metric === 'cosine') toUnitLength(centersNew, nFeatures, centers);
    const shift = centerShiftTotal(centers, centersNew, nClusters, nFeatures);
    [centers, centersNew] = [centersNew, centers];
    if (changed === 0) {
      strictConvergence = true;
      converged = true;
      break;
    }
    if (shift <= tolerance) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(iteration + 1, maxIter);
  loadCenters(ws, centers);
  if (!strictConvergence) assign(ws);
  const labels = i32View(kernels, ptr.labels, nSamples).slice();
  return { centers, labels, inertia: inertiaOf(ws), nIter, converged };
}

/**
 * Clusters with no weight take the points farthest from their current centers, as scikit-learn's
 * `_relocate_empty_clusters_dense`: the point's weighted row moves from its cluster's sum to the empty one's
 * (its label is left as it is; the next E-step settles it). Farthest first, the lower index on ties.
 * Assumes the centers of this iteration are loaded and the labels are in wasm memory.
 */
function relocateEmptyClusters(ws: Workspace, sums: Float64Array, weightInClusters: Float64Array): void {
  const empty: number[] = [];
  for (let j = 0; j < ws.nClusters; j++) if (weightInClusters[j] === 0) empty.push(j);
  if (empty.length === 0) return;
  const { kernels, nSamples, nFeatures, ptr, weights } = ws;
  inertiaOf(ws, true);
  const sqDist = f64View(kernels, ptr.sqDist, nSamples);
  const farthest = topIndices(sqDist, empty.length);
  const labels = i32View(kernels, ptr.labels, nSamples);
  const x = f32View(kernels, ptr.x, nSamples * nFeatures);
  for (let e = 0; e < empty.length; e++) {
    const newCluster = empty[e];
    const far = farthest[e];
    const weight = weights[far];
    const oldCluster = labels[far];
    for (let t = 0; t < nFeatures; t++) {
      const value = x[far * nFeatures + t] * weight;
      sums[oldCluster * nFeatures + t] -= value;
      sums[newCluster * nFeatures + t] = value;
    }
    weightInClusters[newCluster] = weight;
    weightInClusters[oldCluster] -= weight;
  }
}

/** Indices of the `count` largest values, largest first, lower index first among equals. */
function topIndices(values: Float64Array, count: number): Int32Array {
  // Insertion into a short sorted list: count (the number of empty clusters) is small and n may be large.
  const top = new Int32Array(Math.min(count, values.length));
  let size = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (size === top.length && !(v > values[top[size - 1]])) continue;
    let at = size < top.length ? size++ : size - 1;
    while (at > 0 && v > values[top[at - 1]]) {
      top[at] = top[at - 1];
      at--;
    }
    top[at] = i;
  }
  return top;
}

/** centers = sums / weight per cluster (times the reciprocal, as scikit-learn); clusters with no weight keep their sums. */
function averageCenters(sums: Float64Array, weightInClusters: Float64Array, nFeatures: number, out: Float64Array): void {
  out.set(sums);
  for (let j = 0; j < weightInClusters.length; j++) {
    if (weightInClusters[j] > 0) {
      const alpha = 1 / weightInClusters[j];
      for (let t = j * nFeatures; t < (j + 1) * nFeatures; t++) out[t] *= alpha;
    }
  }
}

/** Σⱼ ‖newⱼ − oldⱼ‖², from per-center Euclidean shifts as scikit-learn's `_center_shift`. */
function centerShiftTotal(old: Float64Array, next: Float64Array, nClusters: number, nFeatures: number): number {
  let total = 0;
  for (let j = 0; j < nClusters; j++) {
    let sq = 0;
    for (let t = j * nFeatures; t < (j + 1) * nFeatures; t++) {
      const diff = next[t] - old[t];
      sq += diff * diff;
    }
    const shift = Math.sqrt(sq);
    total += shift * shift;
  }
  return total;
}
