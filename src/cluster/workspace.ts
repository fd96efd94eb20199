// A k-means fit's buffers in wasm memory: X as ingested (float32, centered), the weights, labels and center
// buffers, and the ClusterArgs block through which the kernels read them, laid out once per call in the arena.
import { type Data, rowsOf } from '../core/data';
import { CLUSTER_ARGS_BYTES, writeClusterArgs } from '../generated/kernels';
import { allocate, arenaBytes, f32View, f64View, i32View, refuseBeyondWasm32 } from '../runtime/arena';
import { ingest, powerOfTwoScale, scalbn, zeroNorm } from '../runtime/ingest';
import { BIN_LEVELS, binnedAddOne, binnedTotals, sumBound } from '../core/reproducible';
import { type BeginChunks, beginChunks, type MapChunks, type MapRange } from '../runtime/chunks';
import type { Kernels } from '../runtime/module';

/** Centers per SIMD block in the transposed center layout (assembly/cluster/score.ts). */
export const BLOCK = 16;

/** The weights of a workspace made without any: every row weighs 1 in wasm memory, and nothing reads them here. */
const UNIT_WEIGHTS = new Float64Array(0);

export type Metric = 'euclidean' | 'cosine';

/** What a shard is stored by (cluster/partial.ts): the whole X's rows, scale, largest |x| and weight, and mean. */
export interface ShardFrame {
  nSamples: number;
  scale: number;
  maxAbs: number;
  maxWeight: number;
  shift?: Float64Array;
}

/** Most k-means++ candidates per center that a workspace has room for (nLocalTrials). */
export const MAX_LOCAL_TRIALS = 64;

export interface Workspace {
  readonly kernels: Kernels;
  readonly nSamples: number;
  readonly nFeatures: number;
  readonly nClusters: number;
  /** Sample weights as stored: as given (ones when absent) times weightScale; empty where there were none (predict). */
  readonly weights: Float64Array;
  /** The power of two the weights were multiplied by, so that the largest is in [1, 2) and no sum of them overflows. */
  readonly weightScale: number;
  /** What was subtracted from every row of X: its column mean (scikit-learn centers X before fitting). */
  readonly shift: Float64Array;
  /** The power of two X was multiplied by (runtime/ingest.ts): the workspace's coordinates are (x − shift) · scale. */
  readonly scale: number;
  /** Rows per E-step chunk: lloydChunkRows of the whole fit's shape. */
  readonly chunkRows: number;
  /** Bounds every stored value's magnitude (2 · the largest |x| · scale), and the largest stored weight: they bound the binned sums. */
  readonly xBound: number;
  readonly maxWeight: number;
  /** The largest |x| of this data as given (a shard's may not exceed its frame's). */
  readonly maxAbs: number;
  /** The ingest's binned column squares about the shift (they give meanVariance): a shard's add up to the whole's. */
  readonly squares?: Float64Array;
  /** 'cosine': rows were scaled to unit length, and centers are kept on the unit sphere (spherical k-means). */
  readonly metric: Metric;
  /** Mean over features of the per-feature variances of X, in the workspace's coordinates: scales `tol`. */
  readonly meanVariance: number;
  /** What the caller can do instead when the call's memory runs out (its later regions are refused with it too). */
  readonly advice: string;
  readonly ptr: { x: number; weightInClusters: number } & ClusterRegions;
}

/** The regions' pointers, with the totals' weights where partialLayout puts them, after the sums. */
function clusterPointers<T extends ClusterRegions>(regions: T, nClusters: number, nFeatures: number): T & { weightInClusters: number } {
  return { ...regions, weightInClusters: regions.sums + partialLayout(nClusters, nFeatures).weightsOffset };
}

type ClusterRegions = { [K in keyof ReturnType<typeof clusterRegionSizes>]: number };

function clusterRegionSizes(nSamples: number, nFeatures: number, nClusters: number, extraBytes: number) {
  const nPadded = Math.ceil(nClusters / BLOCK) * BLOCK;
  return {
    /** The ClusterArgs block the kernels read. */
    args: CLUSTER_ARGS_BYTES,
    weights: nSamples * 8,
    labels: nSamples * 4,
    sqDist: nSamples * 8,
    centers: nClusters * nFeatures * 4,
    centersT: nPadded * nFeatures * 4,
    centerNorms: nPadded * 4,
    /** The E-step's totals: nClusters × nFeatures sums, then the weights (ptr.weightInClusters), as partialLayout. */
    sums: (nClusters * nFeatures + nClusters) * 8,
    /** The E-step's sums and weights as order-independent binned sums (core/reproducible.ts). */
    binnedSums: BIN_LEVELS * nClusters * nFeatures * 8,
    binnedWeights: BIN_LEVELS * nClusters * 8,
    /** One E-step chunk's partial sums and weights (see lloydChunkRows), as partialLayout. */
    partial: (nClusters * nFeatures + nClusters) * 8,
    candidates: MAX_LOCAL_TRIALS * 4,
    /** A chunk map's results (chunks have at least 1024 rows: lloydChunkRows) and arguments. */
    chunkResults: Math.ceil(nSamples / 1024) * 8,
    mapArgs: 16 * 8,
    /** Room a caller asked for on top (transform's n × k output, a subset's row indices). */
    extra: extraBytes,
  };
}

/** Bytes of a cache line: memory that threads write at once is laid out on lines of its own. */
export const CACHE_LINE = 64;

/** `ptr` rounded up to a cache line (allocate CACHE_LINE bytes more). */
export const lineAligned = (ptr: number): number => Math.ceil(ptr / CACHE_LINE) * CACHE_LINE;

/**
 * One chunk's partial sums in memory: nClusters × nFeatures sums (f64), then nClusters weights; where the weights
 * start, and the chunks' spacing, whole cache lines, so that two threads summing two chunks never write one line
 * (a row's sums go to its cluster's: a shared line would bounce between the cores every few rows).
 */
export function partialLayout(nClusters: number, nFeatures: number): { stride: number; weightsOffset: number } {
  return { stride: lineAligned((nClusters * nFeatures + nClusters) * 8), weightsOffset: nClusters * nFeatures * 8 };
}

/**
 * Rows per chunk of the E-step. The per-cluster sums are formed per chunk and the chunks' partial sums added as
 * binned sums (in any order, to the same bits), so the result depends on this chunking only, never on how many
 * threads, shards or machines share the chunks: it is a function of the shape alone (nSamples: all rows of the
 * fit, not of one shard). About 2²¹ multiply-adds per chunk, a power of two from 1024 rows (so that shards cut at
 * multiples of 1024 rows, as the ingest's column statistics are, cut at chunk boundaries where they are cut at
 * multiples of this), and at most 64 MiB of partial sums for a threaded fit.
 */
export function lloydChunkRows(nSamples: number, nFeatures: number, nClusters: number): number {
  const byWork = 2 ** Math.floor(Math.log2(2 ** 21 / (nClusters * nFeatures)));
  const maxChunks = Math.max(1, Math.floor(2 ** 26 / ((nClusters * nFeatures + nClusters) * 8)));
  return Math.max(Math.min(65536, Math.max(1024, byWork)), 2 ** Math.ceil(Math.log2(Math.ceil(nSamples / maxChunks))));
}

/** Bytes of wasm memory a fit of this shape needs (past the heap base): X and the k-means regions. */
export function workspaceBytes(nSamples: number, nFeatures: number, nClusters: number): number {
  return arenaBytes({ x: nSamples * nFeatures * 4, ...clusterRegionSizes(nSamples, nFeatures, nClusters, 0) });
}

/** Writes the workspace's ClusterArgs block: its data, centers and labels, as every k-means kernel reads them. */
function writeArgs(kernels: Kernels, nSamples: number, nFeatures: number, nClusters: number, ptr: Workspace['ptr']): void {
  writeClusterArgs(kernels.memory, ptr.args, {
    x: ptr.x, weights: ptr.weights, nSamples, nFeatures, nClusters,
    centers: ptr.centers, centersT: ptr.centersT, centerNorms: ptr.centerNorms, labels: ptr.labels,
  });
}

/** Refuses a fit of this shape with OUT_OF_MEMORY before anything of it is made, in JavaScript or in wasm. */
export function refuseTooLarge(kernels: Kernels, nSamples: number, nFeatures: number, nClusters: number, what: string, advice: string): void {
  refuseBeyondWasm32(kernels, workspaceBytes(nSamples, nFeatures, nClusters), what, advice);
}

/**
 * Copies data into wasm memory once (runtime/ingest.ts: float32, scaled by a power of two, centered on its column
 * mean) with the k-means regions beside it; the weights scaled by a power of two of their own. Without weights
 * (predict, transform) every row weighs 1 and no JavaScript copy of them is made.
 */
export function prepareWorkspace(
  kernels: Kernels, data: Data, givenWeights: Float64Array | undefined, nClusters: number,
  { what, name, extraBytes = 0, advice, metric = 'euclidean', frame, map }: {
    what: string; name?: string; extraBytes?: number; advice: string; metric?: Metric;
    /** When `data` is one shard of a larger X: the whole's statistics, so that the shard is stored as the whole would be. */
    frame?: ShardFrame;
    /** How the ingest's passes over float32 rows run: on threads, when it is theirs. */
    map?: MapChunks;
  },
): Workspace {
  const { rows: nSamples, cols: nFeatures } = data;
  const regions = clusterRegionSizes(nSamples, nFeatures, nClusters, extraBytes);
  const ingested = ingest(kernels, data, { what, name, regions, advice, normalize: metric === 'cosine', frame, shift: frame?.shift, map });
  const ptr = clusterPointers({ ...ingested.regions, x: ingested.x }, nClusters, nFeatures);
  let largest = frame?.maxWeight ?? (givenWeights ? 0 : 1);
  if (givenWeights && !frame) for (let i = 0; i < givenWeights.length; i++) largest = Math.max(largest, givenWeights[i]);
  const weightScale = powerOfTwoScale(largest);
  const weights = !givenWeights || weightScale === 1 ? givenWeights : givenWeights.map((w) => w * weightScale);
  if (weights) f64View(kernels, ptr.weights, nSamples).set(weights);
  else f64View(kernels, ptr.weights, nSamples).fill(1);
  writeArgs(kernels, nSamples, nFeatures, nClusters, ptr);
  const { shift, scale, meanVariance } = ingested;
  const chunkRows = lloydChunkRows(frame?.nSamples ?? nSamples, nFeatures, nClusters);
  const xBound = 2 * (frame?.maxAbs ?? ingested.maxAbs) * scale;
  return {
    kernels, nSamples, nFeatures, nClusters, weights: weights ?? UNIT_WEIGHTS, weightScale, shift, scale, metric, meanVariance, advice, chunkRows,
    xBound, maxWeight: largest * weightScale, squares: ingested.squares, maxAbs: ingested.maxAbs, ptr,
  };
}

/**
 * Rows `indices` of the caller's data in a workspace's coordinates, as X was stored: (x − shift) · scale, or x / ‖x‖
 * for 'cosine' (`name` is the data's name should a row have norm 0).
 */
export function rowsInWorkspace(ws: Pick<Workspace, 'shift' | 'scale' | 'metric' | 'nFeatures'>, data: Data, indices: ArrayLike<number>, name = 'X'): Float64Array {
  const rows = rowsOf(data, indices, ws.shift).map((v) => v * ws.scale);
  if (ws.metric === 'cosine') {
    const zero = toUnitLength(rows, ws.nFeatures);
    if (zero >= 0) throw zeroNorm(indices[zero], name);
  }
  return rows;
}

/**
 * Scales each row of `rows` to unit length in place (the norm rescaled by the row's largest magnitude, so that it
 * neither overflows nor underflows). A row of norm 0 takes `previous`'s row where given (a center whose points
 * cancel out stays where it was), else stays 0. Returns the first row of norm 0, or −1.
 */
export function toUnitLength(rows: Float64Array, nFeatures: number, previous?: Float64Array): number {
  let zero = -1;
  for (let start = 0; start < rows.length; start += nFeatures) {
    let largest = 0;
    for (let t = start; t < start + nFeatures; t++) largest = Math.max(largest, Math.abs(rows[t]));
    if (largest === 0) {
      if (zero < 0) zero = start / nFeatures;
      if (previous) rows.set(previous.subarray(start, start + nFeatures), start);
      continue;
    }
    let sq = 0;
    for (let t = start; t < start + nFeatures; t++) sq += (rows[t] / largest) ** 2;
    const norm = Math.sqrt(sq);
    for (let t = start; t < start + nFeatures; t++) rows[t] = rows[t] / largest / norm;
  }
  return zero;
}

/** Centers in the caller's units to a workspace's coordinates. */
export function centersIn(ws: Workspace, centers: Float64Array): Float64Array {
  const d = ws.nFeatures;
  return centers.map((v, i) => (v - ws.shift[i % d]) * ws.scale);
}

/** Centers in a workspace's coordinates back to the caller's units. */
export function centersOut(ws: Pick<Workspace, 'shift' | 'scale' | 'nFeatures'>, centers: Float64Array): Float64Array {
  const d = ws.nFeatures;
  return centers.map((v, i) => v / ws.scale + ws.shift[i % d]);
}

/** An inertia (Σ weight · squared distance) in a workspace's units back to the caller's; Σ weight · (1 − cos) for 'cosine'. */
export function inertiaOut(ws: Pick<Workspace, 'weightScale' | 'scale' | 'metric'>, inertia: number): number {
  // Between unit vectors ‖x − c‖² = 2 (1 − cos(x, c)).
  const halve = ws.metric === 'cosine' ? 1 : 0;
  return scalbn(inertia, -Math.round(Math.log2(ws.weightScale)) - 2 * Math.round(Math.log2(ws.scale)) - halve);
}

/** Writes centers (float64, shifted coordinates) as float32 and packs them for the E-step. */
export function loadCenters(ws: Workspace, centers: Float64Array): void {
  const { kernels, nClusters, nFeatures, ptr } = ws;
  f32View(kernels, ptr.centers, nClusters * nFeatures).set(centers);
  kernels.packCenters(ptr.centers, nClusters, nFeatures, ptr.centersT, ptr.centerNorms);
}

/** Labels every row with its nearest loaded center; returns a copy. */
export function assignAll(ws: Workspace): Int32Array {
  const { kernels, nSamples, ptr } = ws;
  kernels.assignLabels(ptr.args, 0, nSamples);
  return i32View(kernels, ptr.labels, nSamples).slice();
}

/** Loads centers (float64, shifted coordinates) and labels every row with its nearest one; returns a copy. */
export function nearestCenters(ws: Workspace, centers: Float64Array): Int32Array {
  loadCenters(ws, centers);
  return assignAll(ws);
}

/**
 * A workspace's E-step chunks (ws.chunkRows) as a map's range, the chunks' rows at arguments startAt and startAt + 1,
 * the results and arguments in the workspace's regions: every pass over its rows, on one thread or several.
 */
export function chunksOf(ws: Workspace, startAt: number): MapRange {
  return { startAt, items: ws.nSamples, chunk: ws.chunkRows, partials: ws.ptr.chunkResults, argsPtr: ws.ptr.mapArgs };
}

/**
 * Inertia of the loaded centers with the labels in wasm memory, its per-row squared distances left in sqDist: summed
 * per E-step chunk (started by `begin`: on threads, when they are its, which take the chunks while this thread does
 * something else until it joins), the chunks' sums added exactly, so that it does not depend on how the rows are
 * grouped. Joining gives the inertia.
 */
export function beginInertia(ws: Workspace, begin: BeginChunks = beginChunks): () => number {
  const join = beginBinnedInertia(ws, begin);
  return () => binnedTotals(join(), 1, new Float64Array(1))[0];
}

export const inertiaOf = (ws: Workspace, begin?: BeginChunks): number => beginInertia(ws, begin)();

/** The inertia's binned sum (BIN_LEVELS values), before it is rounded: shards' add up. */
export const binnedInertia = (ws: Workspace): Float64Array => beginBinnedInertia(ws, beginChunks)();

function beginBinnedInertia(ws: Workspace, begin: BeginChunks): () => Float64Array {
  const { kernels, ptr } = ws;
  const rows = ws.chunkRows;
  // A row's w · ‖x − c‖² is at most maxWeight · d · (xBound + the largest |center coordinate|)².
  let centerBound = 0;
  for (const v of f32View(kernels, ptr.centers, ws.nClusters * ws.nFeatures)) centerBound = Math.max(centerBound, Math.abs(v));
  const bound = sumBound(ws.maxWeight * ws.nFeatures * (ws.xBound + centerBound) ** 2, rows);
  const join = begin(kernels, 'assignedSqDistances', [ptr.args, 0, 0, ptr.sqDist], chunksOf(ws, 1));
  return () => {
    const total = new Float64Array(BIN_LEVELS);
    for (const chunk of join()) binnedAddOne(total, 1, 0, chunk, bound);
    return total;
  };
}

/**
 * A workspace for `nRows` rows drawn from `parent` (mini-batches, seeding subsamples), in the same shifted
 * coordinates, laid out after the parent's regions. Fill it with `gatherInto`.
 */
export function subsetWorkspace(parent: Workspace, nRows: number, what: string): Workspace {
  const { kernels, nFeatures, nClusters } = parent;
  const ptr = clusterPointers(allocate(kernels, { x: nRows * nFeatures * 4, ...clusterRegionSizes(nRows, nFeatures, nClusters, nRows * 4) }, what, parent.advice, true), nClusters, nFeatures);
  writeArgs(kernels, nRows, nFeatures, nClusters, ptr);
  return { ...parent, nSamples: nRows, weights: new Float64Array(nRows), ptr };
}

/** Copies the parent's rows `rows` (and their weights) into a subset workspace; rows.length must be its size. */
export function gatherInto(subset: Workspace, parent: Workspace, rows: Int32Array): void {
  const { kernels, ptr } = subset;
  i32View(kernels, ptr.extra, rows.length).set(rows);
  kernels.gatherRows(parent.ptr.x, parent.ptr.weights, parent.nFeatures, ptr.extra, rows.length, ptr.x, ptr.weights);
  for (let r = 0; r < rows.length; r++) subset.weights[r] = parent.weights[rows[r]];
}

/** A smaller workspace over the first `nRows` rows of `pool`'s regions (k-means||'s reduced candidate set). */
export function shrinkWorkspace(pool: Workspace, nRows: number): Workspace {
  writeArgs(pool.kernels, nRows, pool.nFeatures, pool.nClusters, pool.ptr);
  return { ...pool, nSamples: nRows, weights: new Float64Array(nRows) };
}

/**
 * Regions a workspace's runs need beside it (an algorithm's bounds, the seeding's scratch), by key: laid out once,
 * after the workspace and whatever followed it, and reused by every run of nInit.
 */
const regionCache = new WeakMap<Workspace, Map<string, Record<string, number>>>();

export function regionsFor(ws: Workspace, key: string, sizes: Record<string, number>, what: string): Record<string, number> {
  let byKey = regionCache.get(ws);
  if (!byKey) regionCache.set(ws, (byKey = new Map()));
  let regions = byKey.get(key);
  if (!regions) byKey.set(key, (regions = allocate(ws.kernels, sizes, what, ws.advice, true)));
  return regions;
}
