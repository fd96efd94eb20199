// k-means over shards: the statistics and the Lloyd iterations of a fit as partial results that any engine can
// compute apart (one shard of rows each), merge in any order and finalise, with scikit-learn's rules. A shard is
// stored as the whole X would be (the whole's scale, shift and bounds: its `KMeansFrame`), its sums are binned sums
// (core/reproducible.ts), and its E-step chunks are Lloyd's: so when shards are cut at multiples of the E-step's row
// chunk (lloydChunkRows of the whole's shape, a power of two from 1024), a distributed fit is bitwise the
// single-process `fit` from the same initial centers, however the shards are grouped or ordered.
import { allRows, type DataInput, matrix, type Matrix64, readData, readSampleWeight } from '../core/data';
import { WasmeansError } from '../core/errors';
import { BIN_LEVELS, binnedTotals } from '../core/reproducible';
import { f32View, f64View, i32View } from '../runtime/arena';
import { ingest, powerOfTwoScale } from '../runtime/ingest';
import { getKernels } from '../runtime/module';
import { chunkBounds, emptyClusters, type FarRow, moveCenters, relocateOnBins, sequentialEStep, topIndices } from './lloyd';
import { binnedInertia, centersOut, inertiaOut, lloydChunkRows, loadCenters, type Metric, prepareWorkspace, rowsInWorkspace } from './workspace';

/**
 * The whole X's statistics that every shard is stored by, from `statisticsPartial` over all shards, merged, and
 * `frameOf`: first the rows, largest magnitude and largest weight; then (a second pass) the column means.
 */
export interface KMeansFrame {
  nSamples: number;
  nFeatures: number;
  metric: Metric;
  /** Largest |x| and largest sample weight over all shards. */
  maxAbs: number;
  maxWeight: number;
  /** The power of two X is stored multiplied by. */
  scale: number;
  /** Column means (X's units); absent until the second statistics pass (zeros for 'cosine'). */
  shift?: Float64Array;
  /** 'cosine': the unit rows' mean per-feature variance (what scales tol), from the second statistics pass. */
  meanVariance?: number;
}

/** A shard's (or merged shards') share of a statistics pass or of one Lloyd iteration. */
export class KMeansPartial {
  constructor(
    readonly kind: 'statistics' | 'lloyd' | 'seeding',
    /** Rows seen. */
    readonly nSamples: number,
    readonly nFeatures: number,
    readonly nClusters: number,
    /** statistics: the largest |x| and weight. */
    readonly maxAbs: number,
    readonly maxWeight: number,
    /** Binned sums: statistics — the column sums of x · scale (second pass); lloyd — Σ w·x per cluster, Σ w per cluster, inertia, the column squares. */
    readonly columnSums: Float64Array,
    readonly sums: Float64Array,
    readonly weights: Float64Array,
    readonly inertia: Float64Array,
    readonly squares: Float64Array,
    /**
     * lloyd: the rows farthest from their centers (up to nClusters), farthest first, for empty clusters. seeding: the
     * rows a k-means‖ round drew (distance: the row's uniform draw), by global index.
     */
    readonly farthest: (FarRow & { distance: number; index: number })[],
  ) {}

  /** The partial as bytes: a JSON header, then its float64 arrays. */
  toBytes(): Uint8Array {
    const arrays = [this.columnSums, this.sums, this.weights, this.inertia, this.squares, ...this.farthest.map((r) => Float64Array.from(r.values))];
    const header = {
      kind: this.kind, nSamples: this.nSamples, nFeatures: this.nFeatures, nClusters: this.nClusters, maxAbs: this.maxAbs, maxWeight: this.maxWeight,
      lengths: arrays.map((a) => a.length), farthest: this.farthest.map(({ distance, index, label, weight }) => [distance, index, label, weight]),
    };
    const text = new TextEncoder().encode(JSON.stringify(header));
    const start = Math.ceil((8 + text.length) / 8) * 8;
    const bytes = new Uint8Array(start + arrays.reduce((n, a) => n + a.length * 8, 0));
    new DataView(bytes.buffer).setUint32(0, 0x504b4d57, true); // 'WMKP'
    new DataView(bytes.buffer).setUint32(4, text.length, true);
    bytes.set(text, 8);
    let at = start;
    for (const a of arrays) {
      bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += a.byteLength;
    }
    return bytes;
  }

  static fromBytes(bytes: Uint8Array): KMeansPartial {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 8 || view.getUint32(0, true) !== 0x504b4d57) throw new WasmeansError('INVALID_INPUT', 'these bytes are not a KMeansPartial');
    const textLength = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + textLength)));
    let at = Math.ceil((8 + textLength) / 8) * 8;
    const arrays = (header.lengths as number[]).map((length) => {
      const a = new Float64Array(bytes.slice(at, at + length * 8).buffer);
      at += length * 8;
      return a;
    });
    const [columnSums, sums, weights, inertia, squares, ...rows] = arrays;
    const farthest = (header.farthest as number[][]).map(([distance, index, label, weight], r) => ({ distance, index, label, weight, values: rows[r] }));
    return new KMeansPartial(header.kind, header.nSamples, header.nFeatures, header.nClusters, header.maxAbs, header.maxWeight, columnSums, sums, weights, inertia, squares, farthest);
  }
}

const EMPTY = new Float64Array(0);

/** The whole's statistics as a shard's workspace takes them (prepareWorkspace's `frame`). */
function shardFrame(frame: KMeansFrame) {
  return { nSamples: frame.nSamples, scale: frame.scale, maxAbs: frame.maxAbs, maxWeight: frame.maxWeight, shift: frame.shift };
}

/**
 * One shard's pass of statistics. Without `frame`: its rows, largest |x| and largest weight. With the frame those
 * made (`frameOf`): its column sums, for the column means. Shards cut at multiples of 1024 rows add up to the whole's.
 */
export function statisticsPartial(x: DataInput, options: { sampleWeight?: ArrayLike<number>; metric?: Metric; frame?: KMeansFrame } = {}): KMeansPartial {
  const data = readData(x);
  const { frame } = options;
  const cosine = (frame?.metric ?? options.metric) === 'cosine';
  const ingested = ingest(getKernels(), data, {
    what: `statisticsPartial on ${data.rows}×${data.cols}`, advice: 'use smaller shards', regions: {}, normalize: cosine,
    frame: frame && { scale: frame.scale, maxAbs: frame.maxAbs },
  });
  if (frame) checkWithin(ingested.maxAbs, frame, data.cols);
  const maxWeight = options.sampleWeight === undefined ? 1 : readSampleWeight(options.sampleWeight, data.rows).reduce((m, w) => Math.max(m, w), 0);
  return new KMeansPartial('statistics', data.rows, data.cols, 0, ingested.maxAbs, maxWeight, frame ? (ingested.columnSums as Float64Array) : EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, []);
}

function checkWithin(maxAbs: number, frame: KMeansFrame, nFeatures: number): void {
  if (maxAbs > frame.maxAbs || nFeatures !== frame.nFeatures) {
    throw new WasmeansError('INVALID_INPUT', `this shard (${nFeatures} features, largest |x| ${maxAbs}) is not within its frame (${frame.nFeatures} features, largest |x| ${frame.maxAbs})`);
  }
}

/**
 * The frame the merged statistics give: after the first pass, the rows, scale and bounds (enough for 'cosine');
 * after the second (`statisticsPartial` with this frame, merged), the column means too.
 */
export function frameOf(p: KMeansPartial, metric: Metric = 'euclidean', previous?: KMeansFrame): KMeansFrame {
  if (!previous) {
    const cosine = metric === 'cosine';
    return { nSamples: p.nSamples, nFeatures: p.nFeatures, metric, maxAbs: cosine ? 1 : p.maxAbs, maxWeight: p.maxWeight, scale: cosine ? 1 : powerOfTwoScale(p.maxAbs), shift: cosine ? new Float64Array(p.nFeatures) : undefined };
  }
  const totals = binnedTotals(p.columnSums, p.nFeatures, new Float64Array(p.nFeatures));
  if (previous.metric === 'cosine') {
    // As the ingest computes it for unit rows: 1 − ‖mean‖², per feature.
    let meanNorm = 0;
    for (const sum of totals) meanNorm += (sum / p.nSamples) ** 2;
    return { ...previous, meanVariance: Math.max(0, 1 - meanNorm) / p.nFeatures };
  }
  return { ...previous, shift: totals.map((sum) => sum / p.nSamples / previous.scale) };
}

/** Centers in X's units to a frame's stored coordinates, as a fit keeps them between iterations. */
export interface FrameCenters {
  readonly frameCenters: Float64Array;
}

/**
 * One shard's share of one Lloyd iteration at `centers` (X's units, or a previous `finalizePartial`'s result, whose
 * stored centers it takes as they are): per-cluster binned sums and weights, inertia, column squares (for the
 * tolerance) and the farthest rows. `rowOffset`: the shard's first row in the whole X (ties between equally far
 * rows go to the lower index).
 */
export function lloydPartial(
  x: DataInput, centers: DataInput | FrameCenters, options: { frame: KMeansFrame; sampleWeight?: ArrayLike<number>; rowOffset?: number },
): KMeansPartial {
  const { frame, rowOffset = 0 } = options;
  if (!frame?.shift || (frame.metric === 'cosine' && frame.meanVariance === undefined)) {
    throw new WasmeansError('INVALID_PARAMETER', 'lloydPartial needs the frame of both statistics passes (frameOf twice)');
  }
  const data = readData(x);
  // Without weights (and where no shard has any) every row weighs 1 in wasm memory and no JavaScript copy is made.
  const weights = options.sampleWeight === undefined && frame.maxWeight === 1 ? undefined : readSampleWeight(options.sampleWeight, data.rows);
  const { nClusters, stored } = storedCenters(centers, frame, data.cols);
  const kernels = getKernels();
  const ws = prepareWorkspace(kernels, data, weights, nClusters, {
    what: `lloydPartial on ${data.rows}×${data.cols}`, advice: 'use smaller shards', metric: frame.metric, frame: shardFrame(frame),
  });
  if (ws.maxAbs > frame.maxAbs) checkWithin(ws.maxAbs, frame, data.cols);
  loadCenters(ws, stored);
  sequentialEStep(ws);
  const inertia = binnedInertia(ws);
  const { nSamples, nFeatures, ptr } = ws;
  const sqDist = f64View(kernels, ptr.sqDist, nSamples);
  const labels = i32View(kernels, ptr.labels, nSamples);
  const stored32 = f32View(kernels, ptr.x, nSamples * nFeatures);
  const farthest = Array.from(topIndices(sqDist, Math.min(nClusters, nSamples)), (i) => ({
    distance: sqDist[i], index: rowOffset + i, label: labels[i], weight: ws.weights.length ? ws.weights[i] : 1, values: Float64Array.from(stored32.subarray(i * nFeatures, (i + 1) * nFeatures)),
  }));
  const kd = nClusters * nFeatures;
  return new KMeansPartial(
    'lloyd', nSamples, nFeatures, nClusters, 0, 0, EMPTY, f64View(kernels, ptr.binnedSums, BIN_LEVELS * kd).slice(),
    f64View(kernels, ptr.binnedWeights, BIN_LEVELS * nClusters).slice(), inertia, ws.squares ?? EMPTY, farthest,
  );
}

function storedCenters(centers: DataInput | FrameCenters, frame: KMeansFrame, nFeatures: number) {
  if ('frameCenters' in centers) return { nClusters: centers.frameCenters.length / nFeatures, stored: centers.frameCenters };
  const c = readData(centers, 'centers');
  if (c.cols !== nFeatures) throw new WasmeansError('INVALID_INPUT', `centers have ${c.cols} features, but X has ${nFeatures}`);
  // The conversion a fit makes of explicit initial centers (rowsInWorkspace), with the frame's shift and scale.
  const ws = { shift: frame.shift ?? new Float64Array(nFeatures), scale: frame.scale, metric: frame.metric, nFeatures };
  return { nClusters: c.rows, stored: rowsInWorkspace(ws, c, allRows(c.rows), 'centers') };
}

/** Merges two partials of the same pass: sums add exactly (in any order, the same bits), the farthest rows are kept. */
export function mergePartials(a: KMeansPartial, b: KMeansPartial): KMeansPartial {
  if (a.kind !== b.kind || a.nFeatures !== b.nFeatures || a.nClusters !== b.nClusters) {
    throw new WasmeansError('INVALID_INPUT', `cannot merge a ${a.kind} partial (${a.nFeatures} features, k=${a.nClusters}) with a ${b.kind} one (${b.nFeatures}, k=${b.nClusters})`);
  }
  const add = (x: Float64Array, y: Float64Array) => (x.length ? x.map((v, i) => v + y[i]) : y.slice());
  const farthest =
    a.kind === 'seeding'
      ? [...a.farthest, ...b.farthest].sort((r, s) => r.index - s.index)
      : [...a.farthest, ...b.farthest].sort((r, s) => s.distance - r.distance || r.index - s.index).slice(0, a.nClusters);
  return new KMeansPartial(
    a.kind, a.nSamples + b.nSamples, a.nFeatures, a.nClusters, Math.max(a.maxAbs, b.maxAbs), Math.max(a.maxWeight, b.maxWeight),
    add(a.columnSums, b.columnSums), add(a.sums, b.sums), add(a.weights, b.weights), add(a.inertia, b.inertia), add(a.squares, b.squares), farthest,
  );
}

/** The outcome of one iteration: the new centers (X's units, and stored for the next `lloydPartial`). */
export interface KMeansStep extends FrameCenters {
  centers: Matrix64;
  /** Σ ‖new − old‖² over the centers (stored units, as scikit-learn's tolerance compares it). */
  centerShift: number;
  /** The centers did not move, or moved less than tol · the mean per-feature variance: scikit-learn's stopping rule. */
  converged: boolean;
  /** Inertia at the centers the partials were computed with (X's units). */
  inertia: number;
  /** Clusters that had no rows and took the farthest ones. */
  emptyClusters: Int32Array;
}

/** Finalises a merged Lloyd partial (all shards) at the centers it was computed with: scikit-learn's M-step, relocation and stopping rule. */
export function finalizePartial(p: KMeansPartial, centers: DataInput | FrameCenters, options: { frame: KMeansFrame; tol?: number }): KMeansStep {
  const { frame, tol = 1e-4 } = options;
  if (p.kind !== 'lloyd') throw new WasmeansError('INVALID_INPUT', 'finalizePartial takes a merged lloydPartial');
  if (p.nSamples !== frame.nSamples) throw new WasmeansError('INVALID_INPUT', `the partial covers ${p.nSamples} rows of the frame's ${frame.nSamples}: merge every shard's first`);
  const { nClusters, nFeatures } = p;
  const { stored } = storedCenters(centers, frame, nFeatures);
  const sums = p.sums.slice();
  const clusterWeights = p.weights.slice();
  const kd = nClusters * nFeatures;
  const weightScale = powerOfTwoScale(frame.maxWeight);
  // The bounds the shards' workspaces had (lloyd.ts chunkBounds), from the frame alone.
  const bounds = chunkBounds({
    xBound: 2 * frame.maxAbs * frame.scale, maxWeight: frame.maxWeight * weightScale, chunkRows: lloydChunkRows(frame.nSamples, nFeatures, nClusters),
  });
  const empty = emptyClusters(binnedTotals(clusterWeights, nClusters, new Float64Array(nClusters)));
  if (empty.length) relocateOnBins(sums, clusterWeights, nClusters, nFeatures, empty, p.farthest, bounds);
  const next = new Float64Array(kd);
  const centerShift = moveCenters(
    binnedTotals(sums, kd, new Float64Array(kd)), binnedTotals(clusterWeights, nClusters, new Float64Array(nClusters)), stored, next, nFeatures, frame.metric,
  );
  // The ingest's meanVariance: of the merged column squares (of the second statistics pass, for unit rows).
  let meanVariance = frame.meanVariance ?? 0;
  if (frame.metric !== 'cosine') for (const sq of binnedTotals(p.squares, nFeatures, new Float64Array(nFeatures))) meanVariance += sq / frame.nSamples / nFeatures;
  const ws = { shift: frame.shift ?? new Float64Array(nFeatures), scale: frame.scale, nFeatures, weightScale, metric: frame.metric };
  return {
    centers: matrix(centersOut(ws, next), nClusters, nFeatures), frameCenters: next, centerShift,
    converged: centerShift === 0 || centerShift <= tol * meanVariance,
    inertia: inertiaOut(ws, binnedTotals(p.inertia, 1, new Float64Array(1))[0]), emptyClusters: Int32Array.from(empty),
  };
}


/**
 * A uniform draw in [0, 1) for (seed, round, row), the same whichever shard holds the row (murmur3's finaliser
 * over the three, twice, for 53 bits): k-means‖'s draws do not depend on how the rows are sharded.
 */
export function uniformAt(seed: number, round: number, row: number): number {
  const mix = (h: number) => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const base = mix(mix(seed ^ 0x9e3779b9) ^ Math.imul(round + 1, 0x27d4eb2f)) ^ mix(row >>> 0) ^ mix(Math.floor(row / 2 ** 32) + 0x165667b1);
  const hi = mix(base) >>> 5;
  const lo = mix(base ^ 0x5bd1e995) >>> 6;
  return (hi * 67108864 + lo) / 9007199254740992;
}

/**
 * One shard's share of a round of k-means‖ (Bahmani et al.; Spark MLlib's scheme) over shards. Round 0, without
 * candidates: the shard's row of smallest draw (the merged partials' smallest is the first center, uniform over all
 * rows of positive weight). Later rounds, with the candidates so far (stored coordinates, as `KMeansStep` gives
 * centers) and `cost`, their total cost Σ w·d² (a merged `lloydPartial`'s inertia at them): the rows drawn with
 * probability min(1, oversampling · w · d² / cost). Draws come from (seed, round, global row), so the same seed gives
 * the same candidates whatever the sharding.
 */
export function kmeansParallelRound(
  x: DataInput,
  options: { frame: KMeansFrame; seed: number; round: number; candidates?: FrameCenters; cost?: number; oversampling: number; rowOffset?: number; sampleWeight?: ArrayLike<number> },
): KMeansPartial {
  const { frame, seed, round, candidates, cost = 0, oversampling, rowOffset = 0 } = options;
  const data = readData(x);
  const weights = readSampleWeight(options.sampleWeight, data.rows);
  const nCandidates = candidates ? candidates.frameCenters.length / data.cols : 1;
  const kernels = getKernels();
  const ws = prepareWorkspace(kernels, data, weights, nCandidates, {
    what: `kmeansParallelRound on ${data.rows}×${data.cols}`, advice: 'use smaller shards', metric: frame.metric, frame: shardFrame(frame),
  });
  const { nSamples, nFeatures, ptr } = ws;
  const stored32 = f32View(kernels, ptr.x, nSamples * nFeatures);
  const drawn: KMeansPartial['farthest'] = [];
  const take = (i: number, u: number) =>
    drawn.push({ distance: u, index: rowOffset + i, label: 0, weight: weights[i], values: Float64Array.from(stored32.subarray(i * nFeatures, (i + 1) * nFeatures)) });
  if (!candidates) {
    let best = -1;
    let bestDraw = Infinity;
    for (let i = 0; i < nSamples; i++) {
      const u = uniformAt(seed, 0, rowOffset + i);
      if (weights[i] > 0 && u < bestDraw) [best, bestDraw] = [i, u];
    }
    if (best >= 0) take(best, bestDraw);
  } else {
    loadCenters(ws, candidates.frameCenters);
    kernels.assignLabels(ptr.args, 0, nSamples);
    kernels.assignedSqDistances(ptr.args, 0, nSamples, ptr.sqDist);
    const sqDist = f64View(kernels, ptr.sqDist, nSamples);
    // The workspace's weights are scaled by the frame's power of two, as the cost is.
    const scaled = ws.weights;
    for (let i = 0; i < nSamples; i++) {
      const u = uniformAt(seed, round, rowOffset + i);
      if (u < (oversampling * scaled[i] * sqDist[i]) / cost) take(i, u);
    }
  }
  return new KMeansPartial('seeding', nSamples, nFeatures, 0, 0, 0, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY, drawn);
}
