// scikit-learn's KMeans: its parameters, declared once, the estimator, and the function forms kmeans() and
// kmeansAsync(). The fit itself is fit.ts.
import type { DataInput, Matrix } from '../core/data';
import { checkOptions, type OptionsOf, type ParamSpecs, type Resolved, resolveParams } from '../core/params';
import { CENTER_MODEL_PARAMS, CenterModel, checkInit, fitParams, type FitOptions, N_CLUSTERS } from './center-model';
import { fitKMeans, fitKMeansAsync } from './fit';

export type KMeansInit = 'k-means++' | 'random' | DataInput;
export type KMeansAlgorithm = 'auto' | 'lloyd' | 'elkan' | 'hamerly' | 'yinyang';

/** KMeans' parameters after nClusters: what kmeans(X, nClusters, options) takes too. */
const KMEANS_OPTIONS = {
  /**
   * How the centers start: 'k-means++' (greedy, as scikit-learn), 'k-means||' (Bahmani et al.'s scalable k-means++:
   * a few oversampling rounds, then weighted k-means++ on the candidates), 'random' rows, or k explicit centers.
   */
  init: {
    check: (value, name): 'k-means++' | 'k-means||' | 'random' | DataInput => checkInit(value, name, ['k-means++', 'k-means||', 'random'] as const),
    fallback: 'k-means++',
  },
  /** Runs from different seeds, the lowest inertia kept; 'auto': 1 for k-means++, k-means|| or explicit centers, 10 for 'random'. */
  nInit: { kind: 'integer', min: 1, literal: 'auto', fallback: 'auto' },
  /** Iterations at most per run. */
  maxIter: { kind: 'integer', min: 1, fallback: 300 },
  /** Relative tolerance on the summed squared center shift, scaled by the mean per-feature variance of X. */
  tol: { kind: 'number', min: 0, fallback: 1e-4 },
  /**
   * 'lloyd', or one of the exact accelerations 'elkan', 'hamerly' and 'yinyang' (Lloyd's result with fewer distance
   * evaluations); 'auto': Hamerly when k ≥ 16 and k·d ≥ 192 (1024 in a threaded fit), else Lloyd.
   */
  algorithm: { values: ['auto', 'lloyd', 'elkan', 'hamerly', 'yinyang'], fallback: 'auto' },
  /** k-means||: rows drawn per round. @default 2 · nClusters */
  oversamplingFactor: { kind: 'integer', min: 1, derive: (r) => 2 * (r.nClusters as number) },
  /** k-means||: sampling rounds (Spark MLlib's initSteps). */
  initRounds: { kind: 'integer', min: 1, max: 100, fallback: 2 },
  /**
   * Seed ('k-means++' or 'k-means||') on this many rows drawn uniformly without replacement (a fresh draw per run),
   * then run on all rows; at least nClusters, at most the rows of X.
   * @default all rows
   */
  initSampleSize: { kind: 'integer', min: (r) => r.nClusters as number },
  ...CENTER_MODEL_PARAMS,
} as const satisfies ParamSpecs;

export function kmeansParams() {
  return { ...N_CLUSTERS, ...KMEANS_OPTIONS } as const satisfies ParamSpecs;
}

export type KMeansOptions = OptionsOf<ReturnType<typeof kmeansParams>>;
export type KMeansParams = Resolved<ReturnType<typeof kmeansParams>>;

/** Options of `fitAsync`: fit's, and the threads. */
const THREADS = {
  /**
   * Threads sharing each Lloyd iteration (worker_threads, or Web Workers on a crossOriginIsolated page; this thread
   * counts as one). Results are identical whatever the count.
   * @default the cores available
   */
  threads: { kind: 'integer', min: 1, max: 1024 },
} as const;
export function fitAsyncParams() {
  return { ...fitParams(), ...THREADS } as const satisfies ParamSpecs;
}
export type ThreadOptions = OptionsOf<typeof THREADS>;

/** kmeans(X, nClusters, options): KMeans' parameters but nClusters, and fit's. */
export function kmeansFunctionParams() {
  return { ...KMEANS_OPTIONS, ...fitParams() } as const satisfies ParamSpecs;
}
/** kmeansAsync(X, nClusters, options): kmeans' and the threads. */
export function kmeansAsyncParams() {
  return { ...kmeansFunctionParams(), ...THREADS } as const satisfies ParamSpecs;
}

export interface KMeansResult {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** A function form's options: KMeans' parameters with nClusters, and fit's (and the threads). */
function split(options: unknown, specs: ParamSpecs, nClusters: number, where: string) {
  const { sampleWeight, threads, ...rest } = checkOptions(specs, options, where);
  return { params: resolveParams(kmeansParams(), { ...rest, nClusters }, where), ...resolveParams(fitAsyncParams(), { sampleWeight, threads }, where) };
}

function result({ centers, labels, inertia, nIter, converged }: KMeansResult): KMeansResult {
  return { centers, labels, inertia, nIter, converged };
}

/** k-means on X: the function form of `KMeans.fit`. */
export function kmeans(x: DataInput, nClusters: number, options?: OptionsOf<ReturnType<typeof kmeansFunctionParams>>): KMeansResult {
  const { params, sampleWeight } = split(options, kmeansFunctionParams(), nClusters, 'kmeans');
  return result(fitKMeans(x, params, sampleWeight));
}

/** `kmeans` with its Lloyd iterations shared by threads; resolves to the same result as `kmeans`. */
export async function kmeansAsync(x: DataInput, nClusters: number, options?: OptionsOf<ReturnType<typeof kmeansAsyncParams>>): Promise<KMeansResult> {
  const { params, sampleWeight, threads } = split(options, kmeansAsyncParams(), nClusters, 'kmeansAsync');
  return result(await fitKMeansAsync(x, params, sampleWeight, threads));
}

/** Stops the worker threads of `fitAsync` (idle ones keep no process alive anyway); later fits start new ones. */
export async function shutdownThreads(): Promise<void> {
  const { shutdownThreads: shutdown } = await import('./threads');
  return shutdown();
}

/** scikit-learn's KMeans estimator. */
export class KMeans extends CenterModel {
  protected readonly modelName = 'KMeans';
  private readonly options: KMeansParams;

  constructor(options?: KMeansOptions) {
    super();
    this.options = resolveParams(kmeansParams(), options, 'KMeans');
  }

  get nClusters(): number {
    return this.options.nClusters;
  }

  fit(x: DataInput, options?: FitOptions): this {
    const { sampleWeight } = resolveParams(fitParams(), options, 'KMeans.fit');
    const { centers, labels, inertia, nIter } = fitKMeans(x, this.options, sampleWeight);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }

  /** `fit` with its Lloyd iterations shared by threads; the same model as `fit`. */
  async fitAsync(x: DataInput, options?: FitOptions & ThreadOptions): Promise<this> {
    const { sampleWeight, threads } = resolveParams(fitAsyncParams(), options, 'KMeans.fitAsync');
    const { centers, labels, inertia, nIter } = await fitKMeansAsync(x, this.options, sampleWeight, threads);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }
}
