// The whole k-means fit behind KMeans, kmeans() and their threaded forms, and the parameters that drive it:
// validate against X, copy X into wasm once, nInit seeded runs of the chosen algorithm, the best kept; and when a
// fit is worth sharing with threads.
import { allRows, checkEnoughSamples, type DataInput, matrix, readData, readSampleWeight } from '../core/data';
import { WasmeansError } from '../core/errors';
import { Mt19937 } from '../core/random';
import { type OptionsOf, type ParamSpecs, type Resolved } from '../core/params';
import { getKernels } from '../runtime/module';
import { elkanRun, hamerlyRun, refuseBoundsTooLarge, yinyangRun } from './accelerated';
import { CENTER_MODEL_PARAMS, checkInit, N_CLUSTERS, readInitCenters } from './center-model';
import { type LloydResult, lloydRun } from './lloyd';
import { defaultLocalTrials, makeSeeder } from './seeding';
import type { Engine } from './threads';
import { centersOut, inertiaOut, prepareWorkspace, rowsInWorkspace, workspaceBytes } from './workspace';

export type KMeansInit = 'k-means++' | 'random' | DataInput;
export type KMeansAlgorithm = 'auto' | 'lloyd' | 'elkan' | 'hamerly' | 'yinyang';

/** KMeans' parameters after nClusters: what kmeans(X, nClusters, options) takes too. */
export const KMEANS_OPTIONS = {
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
   * evaluations); 'auto': Hamerly when k ≥ 16 and k·d ≥ 192 (512 in a threaded fit), else Lloyd.
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

/**
 * What 'auto' runs, from fits on blobs (BENCHMARKS.md): Hamerly's bounds pay once a distance costs enough to
 * skip (k·d ≥ 192) and there are enough centers to skip (k ≥ 16); below that the SIMD Lloyd E-step, a few
 * nanoseconds a row, wins. Threads share both E-steps, but Hamerly's cheap iterations gain less from them (their
 * waking and joining weigh more): on two threads Hamerly won at k·d = 512 (0.20 s against Lloyd's 0.28 s) and lost
 * at 240 (0.48 s against 0.42 s), hence k·d ≥ 512 in a threaded fit. Elkan and Yinyang were slower than Hamerly on
 * every case measured.
 */
export function autoAlgorithm(nFeatures: number, nClusters: number, threaded = false): 'lloyd' | 'hamerly' {
  return nClusters >= 16 && nClusters * nFeatures >= (threaded ? 512 : 192) ? 'hamerly' : 'lloyd';
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
  for (const label of labels) {
    if (seen[label]) continue;
    seen[label] = 1;
    distinct++;
  }
  return distinct;
}

/**
 * The whole fit: validate, copy X into wasm once, nInit seeded runs, keep the best. `rng` lets a caller continue
 * its own stream, as scikit-learn's spectral clustering hands its random_state on to k_means; `engine` shares the
 * seeding's, the E-steps' and the inertia's passes with threads.
 */
export function fitKMeans(
  x: DataInput, options: KMeansParams, sampleWeight: ArrayLike<number> | undefined, rng = Mt19937.fromOptional(options.randomState),
  engine?: Engine,
) {
  const kernels = engine?.kernels ?? getKernels();
  const data = readData(x);
  const { rows: nSamples, cols: nFeatures } = data;
  const { nClusters, init, maxIter } = options;
  checkEnoughSamples(nSamples, nClusters);
  const what = `KMeans.fit on ${nSamples}×${nFeatures} with nClusters=${nClusters}`;
  const advice = 'fit MiniBatchKMeans with partialFit on chunks of the rows';
  const algorithm = options.algorithm === 'auto' ? autoAlgorithm(nFeatures, nClusters, engine !== undefined) : options.algorithm;
  const workspace = workspaceBytes(nSamples, nFeatures, nClusters);
  refuseBoundsTooLarge(kernels, algorithm, { nSamples, nFeatures, nClusters, workspaceBytes: workspace, slots: engine?.slots }, what, advice);
  if (options.initSampleSize !== undefined && options.initSampleSize > nSamples) {
    throw new WasmeansError('INVALID_PARAMETER', `initSampleSize=${options.initSampleSize} must be <= nSamples=${nSamples}`);
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
  const ws = prepareWorkspace(kernels, data, weights, nClusters, { what, advice, metric: options.metric, map: engine?.map });
  const explicit = initData && rowsInWorkspace(ws, initData, allRows(nClusters), 'init');
  const tolerance = options.tol * ws.meanVariance;
  const nLocalTrials = options.nLocalTrials ?? defaultLocalTrials(nClusters);
  const seed = explicit ? undefined : makeSeeder(ws, nClusters, { ...options, init: init as 'k-means++' | 'k-means||' | 'random', nLocalTrials }, engine?.map);
  const runBounded = algorithm === 'lloyd' ? undefined : { elkan: elkanRun, hamerly: hamerlyRun, yinyang: yinyangRun }[algorithm];
  let best: LloydResult | undefined;
  for (let run = 0; run < nInit; run++) {
    const centers = explicit ?? rowsInWorkspace(ws, data, (seed as NonNullable<typeof seed>)(rng));
    // Threads share the E-steps of every algorithm.
    const result =
      runBounded ? runBounded(ws, centers, maxIter, tolerance, engine) : lloydRun(ws, centers, maxIter, tolerance, engine?.eStep, engine?.assign, engine?.begin);
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
  return { ...result, centers: matrix(centersOut(ws, result.centers), nClusters, nFeatures), inertia: inertiaOut(ws, result.inertia) };
}

/** `fitKMeans` with its passes over the rows shared by `threads` threads (default: the cores available). */
export async function fitKMeansAsync(x: DataInput, options: KMeansParams, sampleWeight: ArrayLike<number> | undefined, threads: number | undefined) {
  // A chunk of its own, with the threads: the core's size budget stays for the synchronous path.
  const { fitKMeansThreaded } = await import('./fit-async');
  return fitKMeansThreaded(x, options, sampleWeight, threads);
}
