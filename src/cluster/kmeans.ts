// scikit-learn's KMeans: its parameters, declared once, the estimator, and the function forms kmeans() and
// kmeansAsync(). The fit itself is fit.ts.
import type { DataInput, Matrix } from '../core/data';
import { checkOptions, declareParams, integer, number, oneOf, type OptionsOf, orLiteral, ownerOf, type Resolved, resolveParams } from '../core/params';
import { CENTER_MODEL_PARAMS, CenterModel, FIT_PARAMS, type FitOptions, initParam, N_CLUSTERS } from './center-model';
import { fitKMeans, fitKMeansAsync } from './fit';

export type KMeansInit = 'k-means++' | 'random' | DataInput;
export type KMeansAlgorithm = 'auto' | 'lloyd' | 'elkan' | 'hamerly' | 'yinyang';

export const KMEANS_PARAMS = declareParams('KMeans', {
  ...N_CLUSTERS,
  /**
   * How the centers start: 'k-means++' (greedy, as scikit-learn), 'k-means||' (Bahmani et al.'s scalable k-means++:
   * a few oversampling rounds, then weighted k-means++ on the candidates), 'random' rows, or k explicit centers.
   */
  init: initParam(['k-means++', 'k-means||', 'random'] as const),
  /** Runs from different seeds, the lowest inertia kept; 'auto': 1 for k-means++, k-means|| or explicit centers, 10 for 'random'. */
  nInit: orLiteral('auto', integer({ min: 1 }), 'auto'),
  /** Iterations at most per run. */
  maxIter: integer({ min: 1, fallback: 300 }),
  /** Relative tolerance on the summed squared center shift, scaled by the mean per-feature variance of X. */
  tol: number({ min: 0, fallback: 1e-4 }),
  /**
   * 'lloyd', or one of the exact accelerations 'elkan', 'hamerly' and 'yinyang' (Lloyd's result with fewer distance
   * evaluations); 'auto': Hamerly when k ≥ 16 and k·d ≥ 192 (1024 in a threaded fit), else Lloyd.
   */
  algorithm: oneOf<KMeansAlgorithm>(['auto', 'lloyd', 'elkan', 'hamerly', 'yinyang'], 'auto'),
  /** k-means||: rows drawn per round. @default 2 · nClusters */
  oversamplingFactor: integer({ min: 1, derive: (r) => 2 * (r.nClusters as number) }),
  /** k-means||: sampling rounds (Spark MLlib's initSteps). */
  initRounds: integer({ min: 1, max: 100, fallback: 2 }),
  /**
   * Seed ('k-means++' or 'k-means||') on this many rows drawn uniformly without replacement (a fresh draw per run),
   * then run on all rows; at least nClusters, at most the rows of X.
   * @default all rows
   */
  initSampleSize: integer({ min: (r) => r.nClusters as number }),
  ...CENTER_MODEL_PARAMS,
});

export type KMeansOptions = OptionsOf<typeof KMEANS_PARAMS>;
export type KMeansParams = Resolved<typeof KMEANS_PARAMS>;

const { nClusters: _nClusters, ...KMEANS_WITHOUT_N_CLUSTERS } = KMEANS_PARAMS;

/** Options of `fitAsync`: fit's, and the threads. */
const THREADS = {
  /**
   * Threads sharing each Lloyd iteration (worker_threads, or Web Workers on a crossOriginIsolated page; this thread
   * counts as one). Results are identical whatever the count.
   * @default the cores available
   */
  threads: integer({ min: 1, max: 1024 }),
};
export const FIT_ASYNC_PARAMS = declareParams('fitAsync', { ...FIT_PARAMS, ...THREADS });
export type ThreadOptions = OptionsOf<typeof THREADS>;

/** kmeans(X, nClusters, options): KMeans' parameters but nClusters, and fit's. */
export const KMEANS_FUNCTION_PARAMS = declareParams('kmeans', { ...KMEANS_WITHOUT_N_CLUSTERS, ...FIT_PARAMS });
/** kmeansAsync(X, nClusters, options): kmeans' and the threads. */
export const KMEANS_ASYNC_PARAMS = declareParams('kmeansAsync', { ...KMEANS_FUNCTION_PARAMS, ...THREADS });

export interface KMeansResult {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
}

/** A function form's options: KMeans' parameters with nClusters, and fit's (and the threads). */
function split(options: unknown, specs: typeof KMEANS_FUNCTION_PARAMS | typeof KMEANS_ASYNC_PARAMS, nClusters: number) {
  const { sampleWeight, threads, ...rest } = checkOptions(specs, options);
  return { params: resolveParams(KMEANS_PARAMS, { ...rest, nClusters }, ownerOf(specs)), ...resolveParams(FIT_ASYNC_PARAMS, { sampleWeight, threads }) };
}

function result({ centers, labels, inertia, nIter, converged }: KMeansResult): KMeansResult {
  return { centers, labels, inertia, nIter, converged };
}

/** k-means on X: the function form of `KMeans.fit`. */
export function kmeans(x: DataInput, nClusters: number, options?: OptionsOf<typeof KMEANS_FUNCTION_PARAMS>): KMeansResult {
  const { params, sampleWeight } = split(options, KMEANS_FUNCTION_PARAMS, nClusters);
  return result(fitKMeans(x, params, sampleWeight));
}

/** `kmeans` with its Lloyd iterations shared by threads; resolves to the same result as `kmeans`. */
export async function kmeansAsync(x: DataInput, nClusters: number, options?: OptionsOf<typeof KMEANS_ASYNC_PARAMS>): Promise<KMeansResult> {
  const { params, sampleWeight, threads } = split(options, KMEANS_ASYNC_PARAMS, nClusters);
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
    this.options = resolveParams(KMEANS_PARAMS, options);
  }

  get nClusters(): number {
    return this.options.nClusters;
  }

  fit(x: DataInput, options?: FitOptions): this {
    const { sampleWeight } = resolveParams(FIT_PARAMS, options, 'KMeans.fit');
    const { centers, labels, inertia, nIter } = fitKMeans(x, this.options, sampleWeight);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }

  /** `fit` with its Lloyd iterations shared by threads; the same model as `fit`. */
  async fitAsync(x: DataInput, options?: FitOptions & ThreadOptions): Promise<this> {
    const { sampleWeight, threads } = resolveParams(FIT_ASYNC_PARAMS, options, 'KMeans.fitAsync');
    const { centers, labels, inertia, nIter } = await fitKMeansAsync(x, this.options, sampleWeight, threads);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }
}
