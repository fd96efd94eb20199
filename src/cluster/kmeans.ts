// KMeans with scikit-learn's semantics: validation here, then one workspace per fit, nInit runs, best kept.
import { describe, WasmeansError } from '../core/errors';
import { allRows, checkInteger, checkNumber, type DataInput, matrix, type Matrix, readData, readSampleWeight, rowsOf } from '../core/data';
import { lloydRun, type LloydResult } from './lloyd';
import { elkanRun, hamerlyRun, yinyangRun } from './accelerated';
import { RandomState } from '../core/random';
import { defaultLocalTrials, kmeansPlusPlusIndices, makeSeeder } from './seeding';
import { warnOncePerKind, type WarningHandler } from '../core/warnings';
import { getKernels } from '../runtime/module';
import { CenterModel, type FitOptions, readInitCenters } from './center-model';
import { prepareWorkspace } from './workspace';
import type { Engine } from './threads';

export type KMeansInit = 'k-means++' | 'random' | DataInput;
export type KMeansAlgorithm = 'auto' | 'lloyd' | 'elkan' | 'hamerly' | 'yinyang';
const ALGORITHMS: readonly KMeansAlgorithm[] = ['auto', 'lloyd', 'elkan', 'hamerly', 'yinyang'];

export interface KMeansOptions {
  /** Number of clusters k. Default 8. */
  nClusters?: number;
  /**
   * 'k-means++' (default, greedy, as scikit-learn), 'k-means||' (Bahmani et al.'s scalable k-means++: a few
   * oversampling rounds, then weighted k-means++ on the candidates; see src/cluster/seeding.ts), 'random' rows, or k
   * explicit initial centers.
   */
  init?: KMeansInit | 'k-means||';
  /** Runs from different seeds, best inertia kept. 'auto' (default): 1 for k-means++ or explicit centers, 10 for 'random'. */
  nInit?: 'auto' | number;
  /** Iteration cap per run. Default 300. */
  maxIter?: number;
  /** Relative tolerance: scaled by the mean per-feature variance of X. Default 1e-4. */
  tol?: number;
  /** Seed (integer in [0, 2³²−1]) for numpy-compatible MT19937 draws; random when absent. */
  randomState?: number;
  /**
   * 'auto' (default: Hamerly when k ≥ 16 and k·d ≥ 192 — 1024 in a threaded fit — else Lloyd; see BENCHMARKS.md) or 'lloyd', or one of the
   * exact accelerations 'elkan', 'hamerly' and 'yinyang':
   * the same result as Lloyd's (labels, nIter, centers, inertia) with fewer distance evaluations. Elkan keeps k
   * bounds per point and refuses with OUT_OF_MEMORY when n·k of them do not fit.
   */
  algorithm?: KMeansAlgorithm;
  /** k-means++ candidates per center. Default 2 + ⌊ln k⌋. */
  nLocalTrials?: number;
  /** k-means||: rows drawn per round (ℓ), an integer >= 1. Default 2 · nClusters. Ignored by other inits. */
  oversamplingFactor?: number;
  /** k-means||: sampling rounds, an integer in [1, 100]. Default 2 (as Spark MLlib; see src/cluster/seeding.ts). Ignored by other inits. */
  initRounds?: number;
  /**
   * Seed ('k-means++' or 'k-means||') on this many rows drawn uniformly without replacement with the
   * RandomState (a fresh draw per run), then run Lloyd on all rows. An integer in [nClusters, n_samples];
   * default: all rows. Ignored by 'random' and explicit centers.
   */
  initSampleSize?: number;
  /** Receives warnings (fewer distinct clusters than k, no convergence, nInit ignored). Default: console.warn once per kind. */
  onWarning?: WarningHandler;
}

/** Options of `fitAsync` and `kmeansAsync`. */
export interface ThreadOptions {
  /**
   * Threads sharing each Lloyd iteration (Node's worker_threads; this thread counts as one). Default: the cores
   * available. Results are identical whatever the count. Where there are no worker_threads (browsers, Cloudflare
   * Workers) the fit runs on this thread.
   */
  threads?: number;
}

export interface KMeansResult {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

interface ResolvedOptions {
  nClusters: number;
  init: KMeansInit | 'k-means||';
  nInit: 'auto' | number;
  maxIter: number;
  tol: number;
  randomState: number | undefined;
  algorithm: KMeansAlgorithm;
  nLocalTrials: number | undefined;
  oversamplingFactor: number;
  initRounds: number;
  initSampleSize: number | undefined;
  onWarning: WarningHandler;
}

const KNOWN_OPTIONS = new Set([
  'nClusters', 'init', 'nInit', 'maxIter', 'tol', 'randomState', 'algorithm', 'nLocalTrials', 'onWarning',
  'oversamplingFactor', 'initRounds', 'initSampleSize',
]);

export function resolveOptions(options: KMeansOptions | undefined): ResolvedOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new WasmeansError('INVALID_PARAMETER', `options must be an object, got ${describe(options)}`);
  }
  const given = options ?? {};
  for (const key of Object.keys(given)) {
    if (!KNOWN_OPTIONS.has(key)) throw new WasmeansError('INVALID_PARAMETER', `unknown option ${JSON.stringify(key)}`);
  }
  const resolved: ResolvedOptions = {
    nClusters: checkInteger('nClusters', given.nClusters ?? 8, 1),
    init: given.init ?? 'k-means++',
    nInit: given.nInit ?? 'auto',
    maxIter: checkInteger('maxIter', given.maxIter ?? 300, 1),
    tol: checkNumber('tol', given.tol ?? 1e-4, 0),
    randomState: given.randomState,
    algorithm: given.algorithm ?? 'auto',
    nLocalTrials: given.nLocalTrials === undefined ? undefined : checkInteger('nLocalTrials', given.nLocalTrials, 1, 64),
    onWarning: given.onWarning ?? warnOncePerKind,
    oversamplingFactor: 0,
    initRounds: checkInteger('initRounds', given.initRounds ?? 2, 1, 100),
    initSampleSize: undefined,
  };
  resolved.oversamplingFactor = checkInteger('oversamplingFactor', given.oversamplingFactor ?? 2 * resolved.nClusters, 1);
  if (given.initSampleSize !== undefined) resolved.initSampleSize = checkInteger('initSampleSize', given.initSampleSize, resolved.nClusters);
  if (resolved.nInit !== 'auto') checkInteger('nInit', resolved.nInit, 1);
  if (!ALGORITHMS.includes(resolved.algorithm)) {
    throw new WasmeansError('INVALID_PARAMETER', `algorithm must be one of ${ALGORITHMS.map((a) => `'${a}'`).join(', ')}, got ${describe(resolved.algorithm)}`);
  }
  if (typeof resolved.init === 'string' && resolved.init !== 'k-means++' && resolved.init !== 'k-means||' && resolved.init !== 'random') {
    throw new WasmeansError(
      'INVALID_PARAMETER', `init must be 'k-means++', 'k-means||', 'random' or an array of initial centers, got ${describe(resolved.init)}`,
    );
  }
  if (resolved.randomState !== undefined) new RandomState(resolved.randomState); // validates the seed
  if (typeof resolved.onWarning !== 'function') {
    throw new WasmeansError('INVALID_PARAMETER', `onWarning must be a function, got ${describe(resolved.onWarning)}`);
  }
  return resolved;
}

/**
 * What 'auto' runs, from fits on blobs (BENCHMARKS.md): Hamerly's bounds pay once a distance costs enough to
 * skip (k·d ≥ 192) and there are enough centers to skip (k ≥ 16); below that the SIMD Lloyd E-step, a few
 * nanoseconds a row, wins. With threads Lloyd's E-step is shared and Hamerly's is not, so Hamerly must save
 * more than the threads give: from k·d ≥ 1024, where it is 2.3× Lloyd or better. Elkan and Yinyang were slower
 * than Hamerly on every case measured.
 */
export function autoAlgorithm(nFeatures: number, nClusters: number, threaded = false): 'lloyd' | 'hamerly' {
  return nClusters >= 16 && nClusters * nFeatures >= (threaded ? 1024 : 192) ? 'hamerly' : 'lloyd';
}

/** Whether two labellings are the same partition up to renaming (scikit-learn's `_is_same_clustering`). */
function sameClustering(a: Int32Array, b: Int32Array, nClusters: number): boolean {
  const mapping = new Int32Array(nClusters).fill(-1);
  for (let i = 0; i < a.length; i++) {
    if (mapping[a[i]] === -1) mapping[a[i]] = b[i];
    else if (mapping[a[i]] !== b[i]) return false;
  }
  return true;
}

function countDistinct(labels: Int32Array, nClusters: number): number {
  const seen = new Uint8Array(nClusters);
  let distinct = 0;
  for (const label of labels) if (!seen[label]++) distinct++;
  return distinct;
}

/**
 * The whole fit: validate, copy X into wasm once, nInit seeded Lloyd runs, keep the best. `rng` lets a caller
 * continue its own stream, as scikit-learn's spectral clustering hands its random_state on to k_means.
 */
export function fitKMeans(
  x: DataInput, options: ResolvedOptions, sampleWeight: ArrayLike<number> | undefined, rng = RandomState.fromOptional(options.randomState),
  engine?: Engine,
) {
  const kernels = engine?.kernels ?? getKernels();
  const data = readData(x);
  const { rows: nSamples, cols: nFeatures } = data;
  const { nClusters, init, maxIter } = options;
  if (nSamples < nClusters) {
    throw new WasmeansError('INVALID_INPUT', `n_samples=${nSamples} should be >= n_clusters=${nClusters}`);
  }
  if (options.initSampleSize !== undefined && options.initSampleSize > nSamples) {
    throw new WasmeansError('INVALID_PARAMETER', `initSampleSize=${options.initSampleSize} must be <= n_samples=${nSamples}`);
  }
  const weights = readSampleWeight(sampleWeight, nSamples);
  const initData = typeof init === 'string' ? undefined : readInitCenters(init, nClusters, nFeatures);
  let nInit = options.nInit === 'auto' ? (init === 'random' ? 10 : 1) : options.nInit;
  if (initData && nInit !== 1) {
    options.onWarning(`explicit initial centers were given, so nInit=${nInit} is ignored and 1 run is done`, 'N_INIT_IGNORED');
    nInit = 1;
  }
  if (init === 'random') {
    let positive = 0;
    for (const w of weights) if (w > 0) positive++;
    if (positive < nClusters) {
      throw new WasmeansError('INVALID_INPUT', `init='random' needs nClusters=${nClusters} rows of positive weight, but sampleWeight has ${positive}`);
    }
  }
  const ws = prepareWorkspace(kernels, data, weights, nClusters, { what: `KMeans.fit on ${nSamples}×${nFeatures} with nClusters=${nClusters}` });
  const { shift } = ws;
  const explicit = initData && rowsOf(initData, allRows(nClusters), shift);
  const tolerance = options.tol * ws.meanVariance;
  const nLocalTrials = options.nLocalTrials ?? defaultLocalTrials(nClusters);
  const seed = explicit ? undefined : makeSeeder(ws, nClusters, { ...options, init: init as 'k-means++' | 'k-means||' | 'random', nLocalTrials });
  const algorithm = options.algorithm === 'auto' ? autoAlgorithm(nFeatures, nClusters, engine !== undefined) : options.algorithm;
  const runOnce = { lloyd: lloydRun, elkan: elkanRun, hamerly: hamerlyRun, yinyang: yinyangRun }[algorithm];
  let best: LloydResult | undefined;
  for (let run = 0; run < nInit; run++) {
    const centers = explicit ?? rowsOf(data, (seed as NonNullable<typeof seed>)(rng), shift);
    // Threads share Lloyd's E-step; the accelerated ones run on this thread (in the threads' memory when threaded).
    const result =
      algorithm === 'lloyd' ? lloydRun(ws, centers, maxIter, tolerance, engine?.eStep, engine?.assign) : runOnce(ws, centers, maxIter, tolerance);
    if (!best || (result.inertia < best.inertia && !sameClustering(result.labels, best.labels, nClusters))) best = result;
  }
  const result = best as LloydResult;
  const distinct = countDistinct(result.labels, nClusters);
  if (distinct < nClusters) {
    options.onWarning(
      `number of distinct clusters (${distinct}) found smaller than nClusters (${nClusters}); possibly due to duplicate points in X`,
      'DISTINCT_CLUSTERS',
    );
  }
  if (!result.converged && options.tol > 0) {
    options.onWarning(`KMeans did not converge within maxIter=${maxIter} iterations; raise maxIter or tol`, 'CONVERGENCE');
  }
  const centers = result.centers;
  for (let j = 0; j < nClusters; j++) for (let t = 0; t < nFeatures; t++) centers[j * nFeatures + t] += shift[t];
  return { ...result, centers: matrix(centers, nClusters, nFeatures) };
}

/** k-means on X: the function form of `KMeans.fit`. */
export function kmeans(x: DataInput, nClusters: number, options: Omit<KMeansOptions, 'nClusters'> & FitOptions = {}): KMeansResult {
  const { sampleWeight, ...rest } = options;
  const { centers, labels, inertia, nIter, converged } = fitKMeans(x, resolveOptions({ ...rest, nClusters }), sampleWeight);
  return { centers, labels, inertia, nIter, converged };
}

/** Fits of fewer rows run on the calling thread in fitAsync (see fitKMeansAsync). */
const MIN_THREADED_ROWS = 8192;

/** `fitKMeans` over threads (see ThreadOptions); the options are checked before anything starts. */
async function fitKMeansAsync(x: DataInput, options: ResolvedOptions, sampleWeight: ArrayLike<number> | undefined, threads: number | undefined) {
  if (threads !== undefined) checkInteger('threads', threads, 1, 1024);
  const rng = RandomState.fromOptional(options.randomState);
  // Below MIN_THREADED_ROWS the waking and waiting of each iteration costs more than the shared work (digits:
  // 0.2 ms iterations took twice as long on two threads); the result is the same either way.
  if (readData(x).rows < MIN_THREADED_ROWS) threads = 1;
  // The threads run the plain build: with the relaxed-SIMD one loaded they would round differently from fit.
  if (getKernels().relaxedSimd() === 1) threads = 1;
  // A chunk of its own: the core's size budget stays for the synchronous path.
  const { withThreads } = await import('./threads');
  return withThreads(threads, (engine) => fitKMeans(x, options, sampleWeight, rng, engine));
}

/** `kmeans` with its Lloyd iterations shared by threads (Node); resolves to the same result as `kmeans`. */
export async function kmeansAsync(
  x: DataInput, nClusters: number, options: Omit<KMeansOptions, 'nClusters'> & FitOptions & ThreadOptions = {},
): Promise<KMeansResult> {
  const { sampleWeight, threads, ...rest } = options;
  const { centers, labels, inertia, nIter, converged } = await fitKMeansAsync(x, resolveOptions({ ...rest, nClusters }), sampleWeight, threads);
  return { centers, labels, inertia, nIter, converged };
}

/** Stops the worker threads of `fitAsync` (idle ones keep no process alive anyway); later fits start new ones. */
export async function shutdownThreads(): Promise<void> {
  const { shutdownThreads: shutdown } = await import('./threads');
  return shutdown();
}

export interface KMeansPlusPlusOptions {
  randomState?: number;
  sampleWeight?: ArrayLike<number>;
  nLocalTrials?: number;
}

/** Greedy k-means++ seeding alone: the chosen rows (as given, float64) and their indices. */
export function kmeansPlusPlus(x: DataInput, nClusters: number, options: KMeansPlusPlusOptions = {}): { centers: Matrix; indices: Int32Array } {
  const kernels = getKernels();
  checkInteger('nClusters', nClusters, 1);
  const nLocalTrials = options.nLocalTrials === undefined ? defaultLocalTrials(nClusters) : checkInteger('nLocalTrials', options.nLocalTrials, 1, 64);
  const rng = RandomState.fromOptional(options.randomState);
  const data = readData(x);
  if (data.rows < nClusters) throw new WasmeansError('INVALID_INPUT', `n_samples=${data.rows} should be >= n_clusters=${nClusters}`);
  const weights = readSampleWeight(options.sampleWeight, data.rows);
  const ws = prepareWorkspace(kernels, data, weights, nClusters, { what: `kmeansPlusPlus on ${data.rows}×${data.cols}` });
  const indices = kmeansPlusPlusIndices(ws, nClusters, rng, nLocalTrials);
  return { centers: matrix(rowsOf(data, indices, new Float64Array(data.cols)), nClusters, data.cols), indices };
}

/** scikit-learn's KMeans estimator. */
export class KMeans extends CenterModel {
  protected readonly modelName = 'KMeans';
  private readonly options: ResolvedOptions;

  constructor(options: KMeansOptions = {}) {
    super();
    this.options = resolveOptions(options);
  }

  get nClusters(): number {
    return this.options.nClusters;
  }

  fit(x: DataInput, options: FitOptions = {}): this {
    const { centers, labels, inertia, nIter } = fitKMeans(x, this.options, options.sampleWeight);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }

  /** `fit` with its Lloyd iterations shared by threads (Node's worker_threads); the same model as `fit`. */
  async fitAsync(x: DataInput, options: FitOptions & ThreadOptions = {}): Promise<this> {
    const { centers, labels, inertia, nIter } = await fitKMeansAsync(x, this.options, options.sampleWeight, options.threads);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }
}
