// scikit-learn's KMeans: the estimator and the function forms kmeans() and kmeansAsync(). Its parameters and the
// fit itself are fit.ts.
import type { DataInput, Matrix64 } from '../core/data';
import { checkOptions, type OptionsOf, type ParamSpecs, type Resolved, positional, resolveParams } from '../core/params';
import { CenterModel, fitParams, type FitOptions } from './center-model';
import { fitKMeans, fitKMeansAsync, KMEANS_OPTIONS, type KMeansOptions, type KMeansParams, kmeansParams } from './fit';
import { fitKMeansStream, type StreamOptions, type StreamSource } from './stream';

export type { KMeansAlgorithm, KMeansInit, KMeansOptions } from './fit';

/** Options of `fitAsync`: fit's, and the threads. */
const THREADS = {
  /**
   * Threads sharing the fit's passes over the rows (worker_threads, or Web Workers on a crossOriginIsolated page;
   * this thread counts as one). Results are identical whatever the count.
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
  centers: Matrix64;
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

/** `kmeans` with its passes over the rows shared by threads; resolves to the same result as `kmeans`. */
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
  protected readonly options: KMeansParams;

  /** `options` or, as scikit-learn's first positional argument, nClusters. */
  constructor(options?: KMeansOptions | number) {
    super();
    this.options = resolveParams(kmeansParams(), positional('nClusters', options), 'KMeans');
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

  /**
   * `fit` over a stream (a `.npy` path, an iterable of chunks, or a function giving a fresh pass): one pass per
   * Lloyd iteration, seeded by k-means‖ over the stream ('k-means++', the default, is seeded by its scalable form),
   * 'random' or explicit centers; from the same initial centers, bitwise the in-memory fit. Memory: one block of
   * rows plus O(k·d). No labels are kept: predict the rows chunk by chunk.
   */
  async fitStream(source: StreamSource, options?: StreamOptions): Promise<this> {
    const { centers, inertia, nIter } = await fitKMeansStream(source, this.options, options);
    this.fitted = { centers, inertia, nIter };
    return this;
  }

  /** `fit` with its passes over the rows shared by threads; the same model as `fit`. */
  async fitAsync(x: DataInput, options?: FitOptions & ThreadOptions): Promise<this> {
    const { sampleWeight, threads } = resolveParams(fitAsyncParams(), options, 'KMeans.fitAsync');
    const { centers, labels, inertia, nIter } = await fitKMeansAsync(x, this.options, sampleWeight, threads);
    this.fitted = { centers, labels, inertia, nIter };
    return this;
  }
}
