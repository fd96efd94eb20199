// A fit's buffers in wasm memory: the centered float32 copy of X, the weights, labels and the center
// buffers, laid out once per call in the arena.
import { allocate, arenaBytes, f32View, f64View, i32View } from '../runtime/arena';
import { BLOCK } from '../constants';
import { badValue, copyRows, type Data, MAX_ABS_VALUE, valueAt } from '../core/data';
import type { Kernels } from '../runtime/module';

export interface Workspace {
  readonly kernels: Kernels;
  readonly nSamples: number;
  readonly nFeatures: number;
  readonly nClusters: number;
  /** Sample weights as given (ones when absent). */
  readonly weights: Float64Array;
  /** What was subtracted from every row of X: its column mean (scikit-learn centers X before fitting). */
  readonly shift: Float64Array;
  /** Mean over features of the per-feature variances of X: scales `tol`. */
  readonly meanVariance: number;
  readonly ptr: {
    x: number;
    weights: number;
    labels: number;
    sqDist: number;
    centers: number;
    centersT: number;
    centerNorms: number;
    sums: number;
    weightInClusters: number;
    /** One E-step chunk's partial sums and weights (see lloydChunkRows). */
    partialSums: number;
    partialWeights: number;
    candidates: number;
    potentials: number;
    /** Room a caller asked for on top (transform's n × k output). */
    extra: number;
    staging: number;
    columnSums: number;
    shift: number;
    squares: number;
  };
}

/** Rows per block staged as float64 on the way into wasm memory: about 256 KiB, at least one row. */
function stagingRows(nFeatures: number): number {
  return Math.max(1, Math.floor(2 ** 18 / (nFeatures * 8)));
}

/** Most k-means++ local trials a workspace has room for. */
export const MAX_SEEDING_TRIALS = 64;

function regionSizes(nSamples: number, nFeatures: number, nClusters: number, extraBytes = 0) {
  const nPadded = Math.ceil(nClusters / BLOCK) * BLOCK;
  return {
    x: nSamples * nFeatures * 4,
    weights: nSamples * 8,
    labels: nSamples * 4,
    sqDist: nSamples * 8,
    centers: nClusters * nFeatures * 4,
    centersT: nPadded * nFeatures * 4,
    centerNorms: nPadded * 4,
    sums: nClusters * nFeatures * 8,
    weightInClusters: nClusters * 8,
    partialSums: nClusters * nFeatures * 8,
    partialWeights: nClusters * 8,
    candidates: MAX_SEEDING_TRIALS * 4,
    potentials: MAX_SEEDING_TRIALS * 8,
    extra: extraBytes,
    staging: stagingRows(nFeatures) * nFeatures * 8,
    columnSums: nFeatures * 8,
    shift: nFeatures * 8,
    squares: nFeatures * 8,
  };
}

/** Bytes of wasm memory a fit of this shape needs (before the heap base). */
export function workspaceBytes(nSamples: number, nFeatures: number, nClusters: number): number {
  return arenaBytes(regionSizes(nSamples, nFeatures, nClusters));
}

/**
 * Copies data into wasm memory once, as float32 shifted by `shift` (by default the column mean, which
 * scikit-learn subtracts before fitting; predict passes the fitted mean). Values are checked on the way:
 * blocks of rows are staged as float64 (a native typed-array copy) and scanned in wasm.
 */
export function prepareWorkspace(
  kernels: Kernels, data: Data, weights: Float64Array, nClusters: number,
  { what, name = 'X', shift, extraBytes = 0 }: { what: string; name?: string; shift?: Float64Array; extraBytes?: number },
): Workspace {
  const { rows: nSamples, cols: nFeatures } = data;
  const ptr = allocate(kernels, regionSizes(nSamples, nFeatures, nClusters, extraBytes), what);
  const columnSums = f64View(kernels, ptr.columnSums, nFeatures).fill(0);
  const squares = f64View(kernels, ptr.squares, nFeatures).fill(0);
  const badAt = (index: number) => {
    const row = Math.floor(index / nFeatures);
    return badValue(name, valueAt(data, row, index % nFeatures), row, index % nFeatures);
  };
  let offset: Float64Array;
  if (data.flat instanceof Float32Array) {
    // float32 in: one copy straight into place, then checked and centered there (the same values, half the passes).
    f32View(kernels, ptr.x, nSamples * nFeatures).set(data.flat);
    const bad = kernels.scanColumnsF32(ptr.x, nSamples, nFeatures, MAX_ABS_VALUE, ptr.columnSums);
    if (bad >= 0) throw badAt(bad);
    offset = shift ?? columnSums.map((sum) => sum / nSamples);
    f64View(kernels, ptr.shift, nFeatures).set(offset);
    kernels.shiftRowsF32(ptr.x, nSamples, nFeatures, ptr.shift, ptr.squares);
  } else {
    offset = stageAndShift(kernels, data, ptr, shift, badAt);
  }
  let meanVariance = 0;
  for (const sq of squares) meanVariance += sq / nSamples / nFeatures;
  f64View(kernels, ptr.weights, nSamples).set(weights);
  return { kernels, nSamples, nFeatures, nClusters, weights, shift: Float64Array.from(offset), meanVariance, ptr };
}

/** Any other input: through a float64 staging block, checked, summed, then written shifted as float32. */
function stageAndShift(
  kernels: Kernels, data: Data, ptr: Workspace['ptr'], shift: Float64Array | undefined, badAt: (index: number) => Error,
): Float64Array {
  const { rows: nSamples, cols: nFeatures } = data;
  const blockRows = stagingRows(nFeatures);
  const staging = f64View(kernels, ptr.staging, blockRows * nFeatures);
  const columnSums = f64View(kernels, ptr.columnSums, nFeatures);
  for (let start = 0; start < nSamples; start += blockRows) {
    const count = Math.min(blockRows, nSamples - start);
    copyRows(data, start, count, staging);
    const bad = kernels.scanColumns(ptr.staging, count, nFeatures, MAX_ABS_VALUE, ptr.columnSums);
    if (bad >= 0) throw badAt(start * nFeatures + bad);
  }
  const offset = shift ?? columnSums.map((sum) => sum / nSamples);
  f64View(kernels, ptr.shift, nFeatures).set(offset);
  for (let start = 0; start < nSamples; start += blockRows) {
    const count = Math.min(blockRows, nSamples - start);
    copyRows(data, start, count, staging);
    kernels.writeShiftedRows(ptr.staging, count, nFeatures, ptr.shift, ptr.x + start * nFeatures * 4, ptr.squares);
  }
  return offset;
}

/** Writes centers (float64, shifted coordinates) as float32 and packs them for the E-step; returns nBlocks. */
export function loadCenters(ws: Workspace, centers: Float64Array): number {
  const { kernels, nClusters, nFeatures, ptr } = ws;
  f32View(kernels, ptr.centers, nClusters * nFeatures).set(centers);
  return kernels.packCenters(ptr.centers, nClusters, nFeatures, ptr.centersT, ptr.centerNorms);
}

/** Labels every row with its nearest loaded center; returns a copy. */
export function assignAll(ws: Workspace, nBlocks: number): Int32Array {
  const { kernels, nSamples, nFeatures, ptr } = ws;
  kernels.assignLabels(ptr.x, 0, nSamples, nFeatures, ptr.centersT, ptr.centerNorms, nBlocks, ptr.labels);
  return i32View(kernels, ptr.labels, nSamples).slice();
}

/** Inertia of the loaded centers with the labels in wasm memory; per-row squared distances go to sqDist when asked. */
export function inertiaOf(ws: Workspace, keepDistances = false): number {
  const { kernels, nSamples, nFeatures, ptr } = ws;
  return kernels.assignedSqDistances(ptr.x, ptr.weights, nSamples, nFeatures, ptr.centers, ptr.labels, keepDistances ? ptr.sqDist : 0);
}

/**
 * A workspace for `nRows` rows drawn from `parent` (mini-batches, seeding subsamples), in the same shifted
 * coordinates, laid out after the parent's regions. Fill it with `gatherInto`.
 */
export function subsetWorkspace(parent: Workspace, nRows: number, what: string): Workspace {
  const { kernels, nFeatures, nClusters, shift, meanVariance } = parent;
  const ptr = allocate(kernels, regionSizes(nRows, nFeatures, nClusters, nRows * 4), what, true);
  return { kernels, nSamples: nRows, nFeatures, nClusters, weights: new Float64Array(nRows), shift, meanVariance, ptr };
}

/** Copies the parent's rows `rows` (and their weights) into a subset workspace; rows.length must be its size. */
export function gatherInto(subset: Workspace, parent: Workspace, rows: Int32Array): void {
  const { kernels, ptr } = subset;
  i32View(kernels, ptr.extra, rows.length).set(rows);
  kernels.gatherRows(parent.ptr.x, parent.ptr.weights, parent.nFeatures, ptr.extra, rows.length, ptr.x, ptr.weights);
  for (let r = 0; r < rows.length; r++) subset.weights[r] = parent.weights[rows[r]];
}
