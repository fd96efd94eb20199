// MiniBatchKMeans with scikit-learn 1.2's algorithm (sklearn/cluster/_kmeans.py `MiniBatchKMeans`,
// `_mini_batch_step`, `_k_means_minibatch.pyx`): per-center learning rates from accumulated weights,
// random reassignment of nearly empty centers, early stop on the smoothed batch inertia, inits scored on a
// validation subset. Batches are gathered in wasm and go through the fused Lloyd kernel.
import { allRows, checkEnoughSamples, type Data, type DataInput, matrix, readData, readSampleWeight } from '../core/data';
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, type Resolved as ResolvedParams, positional, resolveParams } from '../core/params';
import { Mt19937 } from '../core/random';
import { f64View } from '../runtime/arena';
import { getKernels } from '../runtime/module';
import { CENTER_MODEL_PARAMS, CenterModel, checkInit, fitParams, type FitOptions, N_CLUSTERS, readInitCenters } from './center-model';
import { fitMiniBatchStream, type StreamOptions, type StreamSource } from './stream';
import { defaultLocalTrials, kmeansPlusPlusIndices, randomIndices } from './seeding';
import { centersIn, centersOut, gatherInto, inertiaOf, inertiaOut, loadCenters, nearestCenters, prepareWorkspace, refuseTooLarge, rowsInWorkspace, subsetWorkspace, toUnitLength, type Workspace } from './workspace';

export function miniBatchKMeansParams() {
  return {
    ...N_CLUSTERS,
    /** How the centers start: 'k-means++', 'random' rows, or k explicit centers. */
    init: { check: (value, name): 'k-means++' | 'random' | DataInput => checkInit(value, name, ['k-means++', 'random'] as const), fallback: 'k-means++' },
    /** Inits tried on initSize rows, the best on a validation subset kept; 'auto': 1 for k-means++, 3 for 'random'. */
    nInit: { kind: 'integer', min: 1, literal: 'auto', fallback: 'auto' },
    /** Rows per mini-batch. */
    batchSize: { kind: 'integer', min: 1, fallback: 1024 },
    /** Passes over the data, in batches: at most ⌊maxIter · n / batchSize⌋ steps. */
    maxIter: { kind: 'integer', min: 1, fallback: 100 },
    /** Relative tolerance on the squared center change per step (scaled by the mean feature variance); 0 disables it. */
    tol: { kind: 'number', min: 0, fallback: 0 },
    /** Stop after this many steps without improvement of the smoothed batch inertia; null disables. */
    maxNoImprovement: { kind: 'integer', min: 0, literal: null, fallback: 10 },
    /** Rows sampled for each init (and for the validation subset); at least 3 · nClusters. @default 3 · batchSize */
    initSize: { kind: 'integer', min: 1 },
    /** Centers whose accumulated weight falls below this fraction of the largest are moved to random batch rows. */
    reassignmentRatio: { kind: 'number', min: 0, fallback: 0.01 },
    ...CENTER_MODEL_PARAMS,
  } as const satisfies ParamSpecs;
}

export type MiniBatchKMeansOptions = OptionsOf<ReturnType<typeof miniBatchKMeansParams>>;
type Resolved = ResolvedParams<ReturnType<typeof miniBatchKMeansParams>>;

/** The running state of the stochastic updates, kept between `partialFit` calls. */
interface StreamState {
  rng: Mt19937;
  /** Accumulated weight per center: the inverse of its learning rate, in stored weight units (weightScale). */
  counts: Float64Array;
  /** The weight scale the counts are in (a workspace's weightScale). */
  weightScale: number;
  nSinceLastReassign: number;
  /** Batch size as resolved on the first data seen; it paces the reassignments. */
  batchSize: number;
  nSteps: number;
}

/** scikit-learn's MiniBatchKMeans. */
export class MiniBatchKMeans extends CenterModel {
  protected readonly modelName = 'MiniBatchKMeans';
  protected readonly options: Resolved;
  private stream?: StreamState;
  /** Steps taken by the last `fit` or all `partialFit` calls, as scikit-learn's `n_steps_`. */
  nSteps = 0;

  /** `options` or, as scikit-learn's first positional argument, nClusters. */
  constructor(options?: MiniBatchKMeansOptions | number) {
    super();
    this.options = resolveParams(miniBatchKMeansParams(), positional('nClusters', options), 'MiniBatchKMeans');
  }

  get nClusters(): number {
    return this.options.nClusters;
  }

  fit(x: DataInput, options?: FitOptions): this {
    const o = this.options;
    const { data, weights, initData, advice } = this.readInputs(x, resolveParams(fitParams(), options, 'MiniBatchKMeans.fit').sampleWeight, 'fit');
    const nSamples = data.rows;
    const batchSize = Math.min(o.batchSize, nSamples);
    const initSize = this.initSize(batchSize, nSamples);
    let nInit = o.nInit === 'auto' ? (o.init === 'random' ? 3 : 1) : o.nInit;
    if (initData && nInit !== 1) {
      o.onWarning(`explicit initial centers were given, so nInit=${nInit} is ignored and 1 init is done`, 'N_INIT_IGNORED');
      nInit = 1;
    }
    const kernels = getKernels();
    const ws = prepareWorkspace(kernels, data, weights, o.nClusters, {
      what: `MiniBatchKMeans.fit on ${nSamples}×${data.cols} with nClusters=${o.nClusters}`, advice, metric: o.metric,
    });
    const tolerance = o.tol * ws.meanVariance;
    const rng = Mt19937.fromOptional(o.randomState);

    // Inits on subsamples, each scored by its inertia on one validation subsample.
    const validation = subsetWorkspace(ws, initSize, 'MiniBatchKMeans validation subset');
    gatherInto(validation, ws, rng.randints(nSamples, initSize));
    const sample = initSize < nSamples ? subsetWorkspace(ws, initSize, 'MiniBatchKMeans init subset') : undefined;
    let centers: Float64Array | undefined;
    let bestInertia = Infinity;
    for (let run = 0; run < nInit; run++) {
      const candidate = this.initialCenters(data, ws, sample, initData, rng);
      nearestCenters(validation, candidate);
      const inertia = inertiaOf(validation);
      if (centers === undefined || inertia < bestInertia) {
        centers = candidate;
        bestInertia = inertia;
      }
    }

    const stream: StreamState = { rng, counts: new Float64Array(o.nClusters), weightScale: ws.weightScale, nSinceLastReassign: 0, batchSize, nSteps: 0 };
    const batch = subsetWorkspace(ws, batchSize, 'MiniBatchKMeans batch');
    const maxSteps = Math.floor((o.maxIter * nSamples) / batchSize);
    const monitor = new ConvergenceMonitor(batchSize, nSamples, tolerance, o.maxNoImprovement);
    let step = 0;
    for (; step < maxSteps; step++) {
      const rows = rng.randints(nSamples, batchSize);
      gatherInto(batch, ws, rows);
      const { inertia, centersNew } = this.step(batch, centers as Float64Array, stream, (r) => rows[r], data);
      const change = tolerance > 0 ? squaredChange(centers as Float64Array, centersNew) : 0;
      centers = centersNew;
      if (monitor.converged(step, change, inertia)) break;
    }
    const nSteps = Math.min(step + 1, maxSteps);
    stream.nSteps = nSteps;
    // Later partialFit calls continue from these counts with a fresh generator, as scikit-learn's do.
    stream.rng = Mt19937.fromOptional(o.randomState);
    this.stream = stream;
    this.nSteps = nSteps;
    const finalCenters = centers as Float64Array;
    const labels = nearestCenters(ws, finalCenters);
    this.fitted = {
      centers: matrix(centersOut(ws, finalCenters), o.nClusters, data.cols),
      labels,
      inertia: inertiaOut(ws, inertiaOf(ws)),
      nIter: Math.ceil((nSteps * batchSize) / nSamples),
    };
    return this;
  }

  /** One mini-batch step on X (all of it): for data that arrives in chunks or does not fit in memory at once. */
  partialFit(x: DataInput, options?: FitOptions): this {
    const o = this.options;
    const { data, weights, initData, advice } = this.readInputs(x, resolveParams(fitParams(), options, 'MiniBatchKMeans.partialFit').sampleWeight, 'partialFit');
    if (this.fitted && data.cols !== this.fitted.centers.cols) {
      throw new WasmeansError('INVALID_INPUT', `X has ${data.cols} features, but MiniBatchKMeans was fitted with ${this.fitted.centers.cols}`);
    }
    const ws = prepareWorkspace(getKernels(), data, weights, o.nClusters, {
      what: `MiniBatchKMeans.partialFit on ${data.rows}×${data.cols}`, advice, metric: o.metric,
    });
    let centers: Float64Array;
    if (!this.fitted) {
      const batchSize = Math.min(o.batchSize, data.rows);
      const initSize = this.initSize(batchSize, data.rows);
      const rng = Mt19937.fromOptional(o.randomState);
      const sample = initSize < data.rows ? subsetWorkspace(ws, initSize, 'MiniBatchKMeans init subset') : undefined;
      centers = this.initialCenters(data, ws, sample, initData, rng);
      this.stream = { rng, counts: new Float64Array(o.nClusters), weightScale: ws.weightScale, nSinceLastReassign: 0, batchSize, nSteps: 0 };
    } else {
      centers = centersIn(ws, this.fitted.centers.data as Float64Array);
    }
    const stream = this.stream as StreamState;
    const { centersNew } = this.step(ws, centers, stream, (r) => r, data);
    stream.nSteps += 1;
    this.nSteps = stream.nSteps;
    const labels = nearestCenters(ws, centersNew);
    this.fitted = {
      centers: matrix(centersOut(ws, centersNew), o.nClusters, data.cols),
      labels,
      inertia: inertiaOut(ws, inertiaOf(ws)),
      nIter: this.fitted?.nIter ?? 0,
    };
    return this;
  }

  /**
   * partialFit over data read a chunk at a time (a .npy path, or chunks: cluster/stream.ts), re-cut into batches of
   * batchSize rows: `passes` passes (default 1); memory one batch plus the centers. `labels` are the last batch's.
   */
  async fitStream(source: StreamSource, options?: StreamOptions & { passes?: number }): Promise<this> {
    await fitMiniBatchStream(this, source, this.options.batchSize, options);
    return this;
  }

  private readInputs(x: DataInput, sampleWeight: ArrayLike<number> | undefined, method: 'fit' | 'partialFit') {
    const { nClusters, init } = this.options;
    const data = readData(x);
    if (!this.fitted) checkEnoughSamples(data.rows, nClusters);
    const advice = method === 'fit' ? 'call partialFit on chunks of the rows instead' : 'call partialFit on smaller chunks';
    refuseTooLarge(getKernels(), data.rows, data.cols, nClusters, `MiniBatchKMeans.${method} on ${data.rows}×${data.cols}`, advice);
    const weights = readSampleWeight(sampleWeight, data.rows);
    const initData = typeof init === 'string' ? undefined : readInitCenters(init, nClusters, data.cols);
    return { data, weights, initData, advice };
  }

  /** scikit-learn's `_init_size`: 3 · batchSize by default, at least 3 · k, at most n. */
  private initSize(batchSize: number, nSamples: number): number {
    const { initSize, nClusters, onWarning } = this.options;
    let size = initSize ?? 3 * batchSize;
    if (size < nClusters) {
      if (initSize !== undefined) {
        onWarning(`initSize=${initSize} should be larger than nClusters=${nClusters}; using ${3 * nClusters}`, 'N_INIT_IGNORED');
      }
      size = 3 * nClusters;
    }
    return Math.min(size, nSamples);
  }

  /** Initial centers (workspace coordinates) from a fresh subsample of `initSize` rows, or all rows. */
  private initialCenters(data: Data, ws: Workspace, sample: Workspace | undefined, initData: Data | undefined, rng: Mt19937): Float64Array {
    const { nClusters, init } = this.options;
    // scikit-learn draws the subsample even when the centers are given: the stream must stay in step.
    const rows = sample ? rng.randints(ws.nSamples, sample.nSamples) : undefined;
    if (initData) return rowsInWorkspace(ws, initData, allRows(nClusters), 'init');
    let source = ws;
    let toDataRow = (r: number) => r;
    if (sample && rows) {
      gatherInto(sample, ws, rows);
      source = sample;
      toDataRow = (r) => rows[r];
    }
    const picked =
      init === 'random'
        ? randomIndices(source.weights, nClusters, rng)
        : kmeansPlusPlusIndices(source, nClusters, rng, this.options.nLocalTrials ?? defaultLocalTrials(nClusters));
    return rowsInWorkspace(ws, data, Array.from(picked, toDataRow));
  }

  /**
   * `_mini_batch_step`: label the batch with the fused Lloyd kernel (which also sums it per cluster), move
   * each center to the weighted mean of its past (count) and new points, then maybe reassign low-count
   * centers. Returns the batch inertia before the update and the new centers.
   */
  private step(batch: Workspace, centers: Float64Array, stream: StreamState, toDataRow: (r: number) => number, data: Data) {
    const { kernels, nSamples, nFeatures, nClusters, ptr } = batch;
    const reassign = this.shouldReassign(stream);
    loadCenters(batch, centers);
    kernels.lloydChunk(ptr.args, 0, nSamples, ptr.sums);
    const inertia = inertiaOf(batch);
    const sums = f64View(kernels, ptr.sums, nClusters * nFeatures);
    const batchWeight = f64View(kernels, ptr.weightInClusters, nClusters);
    const { counts } = stream;
    // A later partialFit's weights may be stored at another power of two than the counts: bring the counts to it.
    if (stream.weightScale !== batch.weightScale) {
      for (let j = 0; j < nClusters; j++) counts[j] *= batch.weightScale / stream.weightScale;
      stream.weightScale = batch.weightScale;
    }
    const centersNew = Float64Array.from(centers);
    for (let j = 0; j < nClusters; j++) {
      if (!(batchWeight[j] > 0)) continue;
      const previous = counts[j];
      counts[j] += batchWeight[j];
      const alpha = 1 / counts[j];
      for (let t = j * nFeatures; t < (j + 1) * nFeatures; t++) centersNew[t] = (centers[t] * previous + sums[t]) * alpha;
    }
    // Online spherical k-means: each moved center back onto the sphere.
    if (batch.metric === 'cosine') toUnitLength(centersNew, nFeatures, centers);
    if (reassign && this.options.reassignmentRatio > 0) {
      this.reassignLowCounts(centersNew, counts, nSamples, stream.rng, (r) => rowsInWorkspace(batch, data, [toDataRow(r)]));
    }
    return { inertia, centersNew };
  }

  /** `_random_reassign`: every 10 · k samples seen, or at once while a center has no weight. */
  private shouldReassign(stream: StreamState): boolean {
    stream.nSinceLastReassign += stream.batchSize;
    if (stream.counts.some((c) => c === 0) || stream.nSinceLastReassign >= 10 * this.options.nClusters) {
      stream.nSinceLastReassign = 0;
      return true;
    }
    return false;
  }

  /**
   * Centers whose count is below reassignmentRatio × the largest move to distinct random batch rows (at most
   * half the batch; the lowest counts first), and their counts are raised to the smallest remaining count.
   */
  private reassignLowCounts(
    centers: Float64Array, counts: Float64Array, batchRows: number, rng: Mt19937, batchRow: (r: number) => Float64Array,
  ): void {
    const nClusters = counts.length;
    const nFeatures = centers.length / nClusters;
    let max = 0;
    for (const c of counts) max = Math.max(max, c);
    const toReassign = Array.from(counts, (c) => c < this.options.reassignmentRatio * max);
    const limit = Math.floor(0.5 * batchRows);
    if (toReassign.filter(Boolean).length > 0.5 * batchRows) {
      const order = Array.from(counts.keys()).sort((a, b) => counts[a] - counts[b] || a - b);
      for (const j of order.slice(limit)) toReassign[j] = false;
    }
    const chosen = toReassign.flatMap((flag, j) => (flag ? [j] : []));
    if (chosen.length === 0) return;
    const rows = rng.permutation(batchRows).subarray(0, chosen.length);
    chosen.forEach((j, i) => centers.set(batchRow(rows[i]), j * nFeatures));
    let smallest = Infinity;
    toReassign.forEach((flag, j) => {
      if (!flag) smallest = Math.min(smallest, counts[j]);
    });
    for (const j of chosen) counts[j] = smallest;
  }
}

/** `_mini_batch_convergence`: an exponentially weighted average of the per-row batch inertia. */
class ConvergenceMonitor {
  private ewaInertia: number | undefined;
  private ewaInertiaMin: number | undefined;
  private noImprovement = 0;

  constructor(
    private readonly batchSize: number,
    private readonly nSamples: number,
    private readonly tolerance: number,
    private readonly maxNoImprovement: number | null,
  ) {}

  converged(step: number, centersSquaredChange: number, batchInertia: number): boolean {
    const inertia = batchInertia / this.batchSize;
    if (step === 0) return false; // the first step's inertia is that of the initial centers
    if (this.ewaInertia === undefined) {
      this.ewaInertia = inertia;
    } else {
      const alpha = Math.min((this.batchSize * 2) / (this.nSamples + 1), 1);
      this.ewaInertia = this.ewaInertia * (1 - alpha) + inertia * alpha;
    }
    if (this.tolerance > 0 && centersSquaredChange <= this.tolerance) return true;
    if (this.ewaInertiaMin === undefined || this.ewaInertia < this.ewaInertiaMin) {
      this.noImprovement = 0;
      this.ewaInertiaMin = this.ewaInertia;
    } else {
      this.noImprovement += 1;
    }
    return this.maxNoImprovement !== null && this.noImprovement >= this.maxNoImprovement;
  }
}

function squaredChange(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (b[i] - a[i]) ** 2;
  return sum;
}
