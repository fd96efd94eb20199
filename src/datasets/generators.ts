// scikit-learn 1.2.1's make_blobs, make_moons and make_circles, draw for draw: with the same randomState the
// same numbers come out (to the last bit but for Math.log/cos/sin, which may differ from libm by an ulp).
// Draw order as scikit-learn: blobs draw the centers, then each center's normal block row-major, then the
// shuffle; moons and circles shuffle first, then draw the noise.
import { type DataInput, type Matrix, type Matrix64, readData, valueAt } from '../core/data';
import { describe, formatBytes, WasmeansError } from '../core/errors';
import { checkInteger, type OptionsOf, type ParamSpecs, type Resolved, resolveParams } from '../core/params';
import { RandomState } from '../core/random';

const SEED = {
  /** Integer seed, as scikit-learn's random_state. @default random */
  randomState: { kind: 'seed' },
} as const;

export function makeBlobsParams() {
  return {
    /** Total number of points, split evenly over the centers (the first ones get one more), or one count per center. */
    nSamples: {
      check: (value, name): number | number[] => (Array.isArray(value) ? readCounts(value) : checkInteger(name, value, 1)),
      fallback: 100,
    },
    /** Number of features; ignored when the centers are given. */
    nFeatures: { kind: 'integer', min: 1, fallback: 2 },
    /** Number of centers to draw uniformly in centerBox, or the centers themselves (rows). @default 3, or one per count of nSamples */
    centers: { check: (value, name): number | DataInput => (typeof value === 'number' ? checkInteger(name, value, 1) : (value as DataInput)) },
    /** Standard deviation of every cluster, or one per center. */
    clusterStd: { check: (value): number | ArrayLike<number> => value as number | ArrayLike<number>, fallback: 1 },
    /** Bounds [low, high] of the box the random centers are drawn from. */
    centerBox: {
      check: (value, name): [number, number] => {
        if (!Array.isArray(value) || value.length !== 2 || !value.every(Number.isFinite) || value[0] > value[1]) {
          throw new WasmeansError('INVALID_PARAMETER', `${name} must be [low, high] with finite low <= high, got ${describeArray(value)}`);
        }
        return value as [number, number];
      },
      fallback: [-10, 10],
    },
    /** Shuffle the points (otherwise they come center by center). */
    shuffle: { kind: 'boolean', fallback: true },
    ...SEED,
  } as const satisfies ParamSpecs;
}
export type MakeBlobsOptions = OptionsOf<ReturnType<typeof makeBlobsParams>>;

export interface Blobs {
  /** nSamples × nFeatures, row-major. */
  X: Matrix64;
  /** The center index of each point. */
  y: Int32Array;
  /** nCenters × nFeatures. */
  centers: Matrix64;
}

export function makeMoonsParams() {
  return {
    /** Total number of points (the outer shape gets ⌊n/2⌋), or [outer, inner]. */
    nSamples: {
      check: (value): number | [number, number] => {
        readPair(value as number | [number, number]);
        return value as number | [number, number];
      },
      fallback: 100,
    },
    /** Standard deviation of the Gaussian noise added to every coordinate. @default no noise */
    noise: {
      check: (value, name): number => {
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
          throw new WasmeansError('INVALID_PARAMETER', `${name} must be a finite number >= 0 or undefined, got ${describe(value)}`);
        }
        return value;
      },
    },
    /** Shuffle the points (otherwise the outer shape comes first). */
    shuffle: { kind: 'boolean', fallback: true },
    ...SEED,
  } as const satisfies ParamSpecs;
}
export type MakeMoonsOptions = OptionsOf<ReturnType<typeof makeMoonsParams>>;

export function makeCirclesParams() {
  return {
    ...makeMoonsParams(),
    /** Scale of the inner circle against the outer one, in [0, 1). */
    factor: {
      check: (value, name): number => {
        if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
          throw new WasmeansError('INVALID_PARAMETER', `${name} must be a number in [0, 1), got ${describe(value)}`);
        }
        return value;
      },
      fallback: 0.8,
    },
  } as const satisfies ParamSpecs;
}
export type MakeCirclesOptions = OptionsOf<ReturnType<typeof makeCirclesParams>>;

/** Two-dimensional points with their shape's label (0 outer, 1 inner). */
export interface LabeledPoints {
  X: Matrix64;
  y: Int32Array;
}

/** Isotropic Gaussian blobs, as scikit-learn's `make_blobs(..., return_centers=True)`. */
export function makeBlobs(options?: MakeBlobsOptions): Blobs {
  const { nSamples, nFeatures, clusterStd, centerBox, shuffle, randomState, centers: centersOption } = resolveParams(makeBlobsParams(), options, 'makeBlobs');
  const perCenter = Array.isArray(nSamples) ? nSamples : undefined;
  const fixedCenters = centersOption === undefined || typeof centersOption === 'number' ? undefined : readCenters(centersOption);
  const nCenters: number = fixedCenters ? fixedCenters.rows : ((centersOption as number | undefined) ?? perCenter?.length ?? 3);
  if (perCenter && perCenter.length !== nCenters) {
    throw new WasmeansError('INVALID_PARAMETER', `nSamples has ${perCenter.length} counts but there are ${nCenters} centers; give one count per center`);
  }
  let counts = perCenter;
  if (!counts) {
    const total = nSamples as number; // split evenly, the first centers taking one more
    counts = Array.from({ length: nCenters }, (_, i) => Math.floor(total / nCenters) + (i < total % nCenters ? 1 : 0));
  }
  const stds = readStds(clusterStd, nCenters);
  const rng = RandomState.fromOptional(randomState);

  const d = fixedCenters ? fixedCenters.cols : nFeatures;
  const n = sum(counts);
  let X = samples(n, d, 'makeBlobs');
  let y: Int32Array = new Int32Array(n);
  const centers = new Float64Array(nCenters * d);
  if (fixedCenters) centers.set(fixedCenters.data);
  else for (let i = 0; i < centers.length; i++) centers[i] = rng.uniform(centerBox[0], centerBox[1]);

  let row = 0;
  for (let c = 0; c < nCenters; c++) {
    for (let r = 0; r < counts[c]; r++, row++) {
      for (let j = 0; j < d; j++) X[row * d + j] = rng.normal(centers[c * d + j], stds[c]);
      y[row] = c;
    }
  }
  if (shuffle) [X, y] = shuffleRows(X, y, d, rng);
  const given = `makeBlobs: centerBox=${describeArray(centerBox)} and clusterStd=${typeof clusterStd === 'number' ? clusterStd : describe(clusterStd)}`;
  checkFinite(centers, 'centers', given);
  checkFinite(X, 'X', given);
  return { X: { data: X, rows: n, cols: d }, y, centers: { data: centers, rows: nCenters, cols: d } };
}

/** Two interleaving half circles, as scikit-learn's `make_moons`. */
export function makeMoons(options?: MakeMoonsOptions): LabeledPoints {
  const resolved = resolveParams(makeMoonsParams(), options, 'makeMoons');
  const [nOut, nIn] = readPair(resolved.nSamples);
  samples(nOut + nIn, 2, 'makeMoons');
  const outer = linspace(0, Math.PI, nOut, true);
  const inner = linspace(0, Math.PI, nIn, true);
  return finishShapes(
    resolved, 'makeMoons',
    outer.map(Math.cos),
    outer.map(Math.sin),
    inner.map((t) => 1 - Math.cos(t)),
    inner.map((t) => 1 - Math.sin(t) - 0.5),
  );
}

/** A large circle containing a smaller one, as scikit-learn's `make_circles`. */
export function makeCircles(options?: MakeCirclesOptions): LabeledPoints {
  const resolved = resolveParams(makeCirclesParams(), options, 'makeCircles');
  const { factor } = resolved;
  const [nOut, nIn] = readPair(resolved.nSamples);
  samples(nOut + nIn, 2, 'makeCircles');
  // endpoint=False, so that the first point is not also the last.
  const outer = linspace(0, 2 * Math.PI, nOut, false);
  const inner = linspace(0, 2 * Math.PI, nIn, false);
  return finishShapes(
    resolved, 'makeCircles',
    outer.map(Math.cos),
    outer.map(Math.sin),
    inner.map((t) => Math.cos(t) * factor),
    inner.map((t) => Math.sin(t) * factor),
  );
}

/** Stacks the outer then the inner shape, shuffles, then adds the noise: scikit-learn's order of draws. */
function finishShapes(
  { noise, shuffle, randomState }: Resolved<ReturnType<typeof makeMoonsParams>>, where: string,
  outerX: Float64Array, outerY: Float64Array, innerX: Float64Array, innerY: Float64Array,
): LabeledPoints {
  const rng = RandomState.fromOptional(randomState);
  const nOut = outerX.length;
  const n = nOut + innerX.length;
  let X: Float64Array = new Float64Array(n * 2);
  let y: Int32Array = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const outside = i < nOut;
    X[2 * i] = outside ? outerX[i] : innerX[i - nOut];
    X[2 * i + 1] = outside ? outerY[i] : innerY[i - nOut];
    y[i] = outside ? 0 : 1;
  }
  if (shuffle) [X, y] = shuffleRows(X, y, 2, rng);
  if (noise !== undefined) for (let i = 0; i < X.length; i++) X[i] += rng.normal(0, noise);
  checkFinite(X, 'X', `${where}: noise=${noise}`);
  return { X: { data: X, rows: n, cols: 2 }, y };
}

/**
 * The n × d values of a generated X, refused with OUT_OF_MEMORY (not the engine's RangeError) where this
 * JavaScript engine cannot hold them in one typed array.
 */
function samples(n: number, d: number, where: string): Float64Array {
  try {
    return new Float64Array(n * d);
  } catch (cause) {
    if (!(cause instanceof RangeError)) throw cause;
    throw new WasmeansError('OUT_OF_MEMORY', `${where}: nSamples=${n} × ${d} features is ${n * d} float64 values (${formatBytes(n * d * 8)}), more than one typed array holds here (${cause.message})`);
  }
}

/** Generated values beyond the float64 range are refused, naming the parameters that made them. */
function checkFinite(values: Float64Array, name: string, given: string): void {
  const at = values.findIndex((v) => !Number.isFinite(v));
  if (at >= 0) {
    throw new WasmeansError('INVALID_PARAMETER', `${given} put ${values[at]} into ${name} (index ${at}), beyond the float64 range; choose smaller values`);
  }
}

/**
 * numpy's `linspace(start, stop, num, endpoint)` in its arithmetic: i · step + start with step = (stop − start) / div,
 * and the last value set to `stop` when endpoint is true.
 */
export function linspace(start: number, stop: number, num: number, endpoint: boolean): Float64Array {
  const out = new Float64Array(num);
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = delta / div;
  for (let i = 0; i < num; i++) {
    if (div <= 0) out[i] = i * delta + start;
    else if (step === 0) out[i] = (i / div) * delta + start; // numpy's path for denormal steps
    else out[i] = i * step + start;
  }
  if (endpoint && num > 1) out[num - 1] = stop;
  return out;
}

/** sklearn.utils.shuffle: rows taken in the order of numpy's legacy permutation. */
function shuffleRows(X: Float64Array, y: Int32Array, d: number, rng: RandomState): [Float64Array, Int32Array] {
  const order = rng.permutation(y.length);
  const Xs = new Float64Array(X.length);
  const ys = new Int32Array(y.length);
  for (let i = 0; i < order.length; i++) {
    Xs.set(X.subarray(order[i] * d, order[i] * d + d), i * d);
    ys[i] = y[order[i]];
  }
  return [Xs, ys];
}

function readCenters(centers: DataInput): Matrix {
  const data = readData(centers, 'centers');
  const out = new Float64Array(data.rows * data.cols);
  for (let i = 0; i < data.rows; i++) {
    for (let j = 0; j < data.cols; j++) {
      const value = valueAt(data, i, j);
      if (!Number.isFinite(value)) {
        throw new WasmeansError('INVALID_PARAMETER', `centers contains ${value} at row ${i}, column ${j}; finite numbers are required`);
      }
      out[i * data.cols + j] = value;
    }
  }
  return { data: out, rows: data.rows, cols: data.cols };
}

function readStds(clusterStd: number | ArrayLike<number>, nCenters: number): Float64Array {
  const list = typeof clusterStd === 'number' ? new Array<number>(nCenters).fill(clusterStd) : clusterStd;
  if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
    throw new WasmeansError('INVALID_PARAMETER', `clusterStd must be a number or one number per center, got ${describe(clusterStd)}`);
  }
  if (list.length !== nCenters) {
    throw new WasmeansError('INVALID_PARAMETER', `clusterStd has ${list.length} values but there are ${nCenters} centers`);
  }
  const stds = new Float64Array(nCenters);
  for (let i = 0; i < nCenters; i++) {
    const std = list[i];
    if (typeof std !== 'number' || !Number.isFinite(std) || std < 0) {
      const where = typeof clusterStd === 'number' ? 'clusterStd' : `clusterStd[${i}]`;
      throw new WasmeansError('INVALID_PARAMETER', `${where} must be a finite number >= 0, got ${describe(std)}`);
    }
    stds[i] = std;
  }
  return stds;
}

/** Counts of points per center: integers >= 0, at least one point in all. */
function readCounts(counts: number[]): number[] {
  counts.forEach((n, i) => checkCount(`nSamples[${i}]`, n, 0));
  checkCount('the sum of nSamples', sum(counts), 1);
  return counts;
}

/** nSamples of moons and circles: a total split as ⌊n/2⌋ outer and the rest inner, or [outer, inner]. */
function readPair(nSamples: number | [number, number]): [number, number] {
  if (Array.isArray(nSamples)) {
    if (nSamples.length !== 2) {
      throw new WasmeansError('INVALID_PARAMETER', `nSamples must be a number or [outer, inner], got ${describe(nSamples)}`);
    }
    checkCount('nSamples[0]', nSamples[0], 0);
    checkCount('nSamples[1]', nSamples[1], 0);
    checkCount('nSamples[0] + nSamples[1]', nSamples[0] + nSamples[1], 1);
    return [nSamples[0], nSamples[1]];
  }
  checkCount('nSamples', nSamples, 1);
  const nOut = Math.floor(nSamples / 2);
  return [nOut, nSamples - nOut];
}

function checkCount(name: string, value: unknown, min: number): asserts value is number {
  checkInteger(name, value, min);
}

function describeArray(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(describe).join(', ')}]` : describe(value);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
