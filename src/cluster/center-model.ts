// What KMeans and MiniBatchKMeans share (scikit-learn's _BaseKMeans): the parameters they both declare, and what
// every fitted center model offers: predict, transform, score and the fitted attributes.
import { checkValues, type Data, type DataInput, matrix, type Matrix64, readData, readSampleWeight } from '../core/data';
import { describe, WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { warnOncePerKind, type WarningHandler } from '../core/warnings';
import { f64View } from '../runtime/arena';
import { getKernels } from '../runtime/module';
import { centersIn, inertiaOf, inertiaOut, loadCenters, MAX_LOCAL_TRIALS, type Metric, nearestCenters, prepareWorkspace, refuseTooLarge, type Workspace } from './workspace';

/** The first parameter of KMeans and MiniBatchKMeans (scikit-learn's first positional one). */
export const N_CLUSTERS = {
  /** Number of clusters k. */
  nClusters: { kind: 'integer', min: 1, fallback: 8 },
} as const;

/** init: one of the named methods, or explicit centers (checked against X's shape when fitting). */
export function checkInit<M extends string>(value: unknown, name: string, methods: readonly M[]): M | DataInput {
  if (typeof value === 'string' && !methods.includes(value as M)) {
    const named = methods.map((m) => `'${m}'`).join(', ');
    throw new WasmeansError('INVALID_PARAMETER', `${name} must be ${named} or an array of initial centers, got ${describe(value)}`);
  }
  return value as M | DataInput;
}

/** Parameters KMeans and MiniBatchKMeans share, after their own. */
export const CENTER_MODEL_PARAMS = {
  /**
   * 'euclidean', or 'cosine' for spherical k-means (Dhillon & Modha): rows are scaled to unit length (a row of norm 0
   * is refused), the centers are mean directions kept at unit length, inertia is Σ weight · (1 − cos(x, center)),
   * and transform gives cosine distances. For embeddings compared by cosine similarity.
   */
  metric: { values: ['euclidean', 'cosine'], fallback: 'euclidean' },
  /** Seed of numpy-compatible MT19937 draws (scikit-learn's random_state draws the same). @default random */
  randomState: { kind: 'seed' },
  /** k-means++ candidates per center, as scikit-learn. @default 2 + ⌊ln k⌋ */
  nLocalTrials: { kind: 'integer', min: 1, max: MAX_LOCAL_TRIALS },
  /** Receives warnings (message, kind): fewer distinct clusters than k, no convergence, nInit ignored. @default console.warn, once per kind */
  onWarning: { kind: 'function', fallback: warnOncePerKind },
} as const;

/** The options of fit, fitPredict, fitTransform, score and partialFit. */
export function fitParams() {
  return {
    /** A weight per row of X: finite, >= 0, not all 0. @default all 1 */
    sampleWeight: { check: (value): ArrayLike<number> | undefined => value as ArrayLike<number> },
  } as const satisfies ParamSpecs;
}
export type FitOptions = OptionsOf<ReturnType<typeof fitParams>>;

export interface FittedState {
  /** Centers in the caller's coordinates. */
  centers: Matrix64;
  /** None after a streamed fit, whose rows may not fit in memory. */
  labels?: Int32Array;
  inertia: number;
  nIter: number;
}

/** The explicit initial centers, validated against X's shape. */
export function readInitCenters(init: DataInput, nClusters: number, nFeatures: number): Data {
  const data = readData(init, 'init');
  if (data.rows !== nClusters || data.cols !== nFeatures) {
    throw new WasmeansError(
      'INVALID_PARAMETER',
      `init has shape ${data.rows}×${data.cols}, but nClusters=${nClusters} and X has ${nFeatures} features`,
    );
  }
  checkValues(data, 'init');
  return data;
}

export abstract class CenterModel {
  protected fitted?: FittedState;

  protected abstract readonly modelName: string;

  protected abstract readonly options: { readonly metric: Metric };

  abstract fit(x: DataInput, options?: FitOptions): this;

  fitPredict(x: DataInput, options?: FitOptions): Int32Array {
    return this.fit(x, options).labels.slice();
  }

  /** Index of the nearest center for each row. */
  predict(x: DataInput): Int32Array {
    const { ws, centers } = this.workspaceFor(x, undefined, 'predict');
    return nearestCenters(ws, centers);
  }

  /** Distance of each row to each center (n × k): Euclidean, or 1 − cos for metric 'cosine'. */
  transform(x: DataInput): Matrix64 {
    const { ws, centers } = this.workspaceFor(x, undefined, 'transform', true);
    const { kernels, nSamples, nClusters, ptr } = ws;
    loadCenters(ws, centers);
    kernels.distancesToCenters(ptr.args, ptr.extra);
    // Between unit vectors ‖x − c‖² / 2 = 1 − cos(x, c).
    const out = ws.metric === 'cosine' ? (distance: number) => (distance * distance) / 2 : (distance: number) => distance / ws.scale;
    return matrix(f64View(kernels, ptr.extra, nSamples * nClusters).map(out), nSamples, nClusters);
  }

  fitTransform(x: DataInput, options?: FitOptions): Matrix64 {
    return this.fit(x, options).transform(x);
  }

  /** −inertia of X against the fitted centers, as scikit-learn's `score`. */
  score(x: DataInput, options?: FitOptions): number {
    const { sampleWeight } = resolveParams(fitParams(), options, `${this.modelName}.score`);
    const { ws, centers } = this.workspaceFor(x, sampleWeight, 'score');
    nearestCenters(ws, centers);
    return -inertiaOut(ws, inertiaOf(ws));
  }

  get clusterCenters(): Matrix64 {
    return this.state().centers;
  }
  get labels(): Int32Array {
    const { labels } = this.state();
    if (!labels) throw new WasmeansError('NOT_FITTED', `this ${this.modelName} was fitted by fitStream, which keeps no labels: predict the rows chunk by chunk`);
    return labels;
  }
  get inertia(): number {
    return this.state().inertia;
  }
  get nIter(): number {
    return this.state().nIter;
  }
  get nFeaturesIn(): number {
    return this.state().centers.cols;
  }

  protected state(): FittedState {
    if (!this.fitted) throw new WasmeansError('NOT_FITTED', `this ${this.modelName} instance is not fitted yet: call fit() first`);
    return this.fitted;
  }

  /** X in wasm memory (centered on its own mean) and the fitted centers in the same coordinates. */
  private workspaceFor(x: DataInput, sampleWeight: ArrayLike<number> | undefined, method: string, distanceMatrix = false) {
    const { centers } = this.state();
    const data = readData(x);
    if (data.cols !== centers.cols) {
      throw new WasmeansError('INVALID_INPUT', `X has ${data.cols} features, but ${this.modelName} was fitted with ${centers.cols}`);
    }
    const extraBytes = distanceMatrix ? data.rows * centers.rows * 8 : 0;
    const advice = `call ${method} on chunks of the rows`;
    refuseTooLarge(getKernels(), data.rows, data.cols, centers.rows, `${this.modelName}.${method} on ${data.rows}×${data.cols}`, advice);
    const weights = sampleWeight === undefined ? undefined : readSampleWeight(sampleWeight, data.rows);
    const ws: Workspace = prepareWorkspace(getKernels(), data, weights, centers.rows, {
      what: `${this.modelName}.${method} on ${data.rows}×${data.cols}`, extraBytes, advice, metric: this.options.metric,
    });
    return { ws, centers: centersIn(ws, centers.data as Float64Array) };
  }
}
