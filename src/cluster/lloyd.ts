// One Lloyd run from given centers, with scikit-learn's semantics (sklearn/cluster/_kmeans.py
// `_kmeans_single_lloyd`): strict convergence when no label changes, otherwise stop when the summed squared
// center shift is <= tol; after a non-strict stop one more E-step so that labels match the centers.
import { f32View, f64View, i32View } from '../runtime/arena';
import { type BeginChunks, beginChunks } from '../runtime/chunks';
import { BIN_LEVELS, binnedAddOne, binnedTotals, sumBound } from '../core/reproducible';
import { assignAll, beginInertia, inertiaOf, loadCenters, type Metric, partialLayout, toUnitLength, type Workspace } from './workspace';

/**
 * One E-step with the M-step's accumulation: labels every row and leaves the weighted sums and weights per
 * cluster in ws.ptr.sums and ws.ptr.weightInClusters; returns how many labels changed.
 */
export type EStep = (ws: Workspace) => number;

/** Labels every row with its nearest loaded center, into ws.ptr.labels (the last E-step after a shift-based stop). */
export type Assign = (ws: Workspace) => void;

const assignHere: Assign = (ws) => void assignAll(ws);

/** Bounds of one chunk's partial sums Σ w·x and Σ w, for the binned sums. */
export function chunkBounds(ws: Pick<Workspace, 'xBound' | 'maxWeight' | 'chunkRows'>): { sums: number; weights: number } {
  return { sums: sumBound(ws.xBound * ws.maxWeight, ws.chunkRows), weights: sumBound(ws.maxWeight, ws.chunkRows) };
}

/** Empties the binned sums and weights the E-step's chunks are added into. */
export function clearBins(ws: Workspace): void {
  f64View(ws.kernels, ws.ptr.binnedSums, BIN_LEVELS * ws.nClusters * ws.nFeatures).fill(0);
  f64View(ws.kernels, ws.ptr.binnedWeights, BIN_LEVELS * ws.nClusters).fill(0);
}

/**
 * Adds one chunk's partial sums and weights (partialLayout) into the binned totals: in any order, to the same bits, so
 * that chunks on threads, shards or machines add up as they do here.
 */
function addPartial(ws: Workspace, partial: number): void {
  const { kernels, nClusters, nFeatures, ptr } = ws;
  const bounds = chunkBounds(ws);
  kernels.binnedAdd(partial, nClusters * nFeatures, bounds.sums, ptr.binnedSums);
  kernels.binnedAdd(partial + partialLayout(nClusters, nFeatures).weightsOffset, nClusters, bounds.weights, ptr.binnedWeights);
}

/** Chunks' partial sums laid out one after another from `base` (partialLayout) added as binned sums, and settled. */
export function addPartials(ws: Workspace, base: number, nChunks: number): void {
  const { stride } = partialLayout(ws.nClusters, ws.nFeatures);
  clearBins(ws);
  for (let c = 0; c < nChunks; c++) addPartial(ws, base + c * stride);
  settleSums(ws);
}

/**
 * An E-step's kernel over one chunk of rows [start, end) into the partial sums at `partial` (partialLayout, zeroed
 * by the kernel); returns its changed labels.
 */
export type ChunkStep = (start: number, end: number, partial: number) => number;

/** Runs `chunk` over the fixed row chunks on this thread, each into ws.ptr.partial then binned; settles the totals; returns the sum of its results. */
export function sequentialChunks(ws: Workspace, chunk: ChunkStep): number {
  const { nSamples, chunkRows: rows, ptr } = ws;
  clearBins(ws);
  let total = 0;
  for (let start = 0; start < nSamples; start += rows) {
    total += chunk(start, Math.min(start + rows, nSamples), ptr.partial);
    addPartial(ws, ptr.partial);
  }
  settleSums(ws);
  return total;
}

/** The binned totals rounded into ws.ptr.sums and ws.ptr.weightInClusters, where the M-step reads them. */
export function settleSums(ws: Workspace): void {
  const { kernels, nClusters, nFeatures, ptr } = ws;
  const kd = nClusters * nFeatures;
  binnedTotals(f64View(kernels, ptr.binnedSums, BIN_LEVELS * kd), kd, f64View(kernels, ptr.sums, kd));
  binnedTotals(f64View(kernels, ptr.binnedWeights, BIN_LEVELS * nClusters), nClusters, f64View(kernels, ptr.weightInClusters, nClusters));
}

/** The E-step on this thread, chunk by chunk. */
export const sequentialEStep: EStep = (ws) => sequentialChunks(ws, (start, end, partial) => ws.kernels.lloydChunk(ws.ptr.args, start, end, partial));

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
  assign: Assign = assignHere, begin: BeginChunks = beginChunks,
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
    relocateEmptyClusters(ws, begin);
    const sums = f64View(kernels, ptr.sums, nClusters * nFeatures);
    const shift = moveCenters(sums, f64View(kernels, ptr.weightInClusters, nClusters), centers, centersNew, nFeatures, ws.metric);
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
  // The labels copied out while the threads take the inertia's chunks.
  const inertia = beginInertia(ws, begin);
  const labels = i32View(kernels, ptr.labels, nSamples).slice();
  return { centers, labels, inertia: inertia(), nIter, converged };
}

/** A row an empty cluster may take: its squared distance to its center, its label and weight, and its stored values. */
export interface FarRow {
  label: number;
  weight: number;
  values: ArrayLike<number>;
}

/**
 * Moves rows (farthest first) into the empty clusters `empty`, on binned sums (3 · k · d) and weights (3 · k): each
 * row's weighted values leave its cluster's sums for the empty one's (its label is left as it is; the next E-step
 * settles it), as scikit-learn's `_relocate_empty_clusters_dense`. On the binned sums, so that it rounds as the
 * totals do, here and in a merged partial alike.
 */
export function relocateOnBins(
  sums: Float64Array, clusterWeights: Float64Array, nClusters: number, nFeatures: number, empty: number[], rows: FarRow[],
  bounds: { sums: number; weights: number },
): void {
  const kd = nClusters * nFeatures;
  empty.forEach((newCluster, e) => {
    const { label, weight, values } = rows[e];
    for (let t = 0; t < nFeatures; t++) {
      const value = values[t] * weight;
      binnedAddOne(sums, kd, label * nFeatures + t, -value, bounds.sums);
      binnedAddOne(sums, kd, newCluster * nFeatures + t, value, bounds.sums);
    }
    binnedAddOne(clusterWeights, nClusters, newCluster, weight, bounds.weights);
    binnedAddOne(clusterWeights, nClusters, label, -weight, bounds.weights);
  });
}

/** The clusters with no weight. */
export function emptyClusters(weightInClusters: Float64Array): number[] {
  return Array.from(weightInClusters.keys()).filter((j) => weightInClusters[j] === 0);
}

/**
 * Clusters with no weight take the points farthest from their current centers (farthest first, the lower index on
 * ties), by relocateOnBins. Assumes the centers of this iteration are loaded and the labels are in wasm memory.
 */
function relocateEmptyClusters(ws: Workspace, begin: BeginChunks): void {
  const { kernels, nSamples, nFeatures, nClusters, ptr, weights } = ws;
  const empty = emptyClusters(f64View(kernels, ptr.weightInClusters, nClusters));
  if (empty.length === 0) return;
  inertiaOf(ws, begin);
  const labels = i32View(kernels, ptr.labels, nSamples);
  const x = f32View(kernels, ptr.x, nSamples * nFeatures);
  const rows = Array.from(topIndices(f64View(kernels, ptr.sqDist, nSamples), empty.length), (i) => ({
    label: labels[i], weight: weights[i], values: x.subarray(i * nFeatures, (i + 1) * nFeatures),
  }));
  const kd = nClusters * nFeatures;
  relocateOnBins(
    f64View(kernels, ptr.binnedSums, BIN_LEVELS * kd), f64View(kernels, ptr.binnedWeights, BIN_LEVELS * nClusters), nClusters, nFeatures, empty, rows,
    chunkBounds(ws),
  );
  settleSums(ws);
}

/** Indices of the `count` largest values, largest first, lower index first among equals. */
export function topIndices(values: Float64Array, count: number): Int32Array {
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
/**
 * The M-step, here and in finalizePartial: `next` = sums / weight per cluster (times the reciprocal, as scikit-learn;
 * a cluster with no weight keeps its sums), the mean directions for 'cosine' (a center whose rows cancel out keeps
 * its place). Returns Σⱼ ‖nextⱼ − previousⱼ‖² from per-center Euclidean shifts, as scikit-learn's `_center_shift`.
 */
export function moveCenters(
  sums: Float64Array, weightInClusters: Float64Array, previous: Float64Array, next: Float64Array, nFeatures: number, metric: Metric,
): number {
  next.set(sums);
  for (let j = 0; j < weightInClusters.length; j++) {
    if (weightInClusters[j] > 0) {
      const alpha = 1 / weightInClusters[j];
      for (let t = j * nFeatures; t < (j + 1) * nFeatures; t++) next[t] *= alpha;
    }
  }
  if (metric === 'cosine') toUnitLength(next, nFeatures, previous);
  let total = 0;
  for (let j = 0; j < weightInClusters.length; j++) {
    let sq = 0;
    for (let t = j * nFeatures; t < (j + 1) * nFeatures; t++) {
      const diff = next[t] - previous[t];
      sq += diff * diff;
    }
    const shift = Math.sqrt(sq);
    total += shift * shift;
  }
  return total;
}
