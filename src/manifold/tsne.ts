// scikit-learn 1.2's TSNE: input similarities P (tsne-affinities.ts), an initial embedding ('pca', 'random' or
// given), then gradient descent with gains and momentum in two stages, 250 iterations with P exaggerated at
// momentum 0.5 and the rest at 0.8, stopping on scikit-learn's rules. The gradient is Barnes-Hut's (a tree over
// the embedding, wasm), or exact (O(n²), for small n and to test the others against). Positions, gradients and
// the optimiser's state are float32, as scikit-learn's are. 'fft' takes the repulsive half by FIt-SNE's
// interpolation on a grid (tsne-grid.ts in wasm), the attractive half as Barnes-Hut does.
import { checkValues, type DataInput, type Matrix64, matrix, readData, type Data, copyRows } from '../core/data';
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, positional, type Resolved, resolveParams } from '../core/params';
import { RandomState } from '../core/random';
import { type CsrMatrix } from '../core/sparse';
import { allocate, f32View, f64View, i32View } from '../runtime/arena';
import { graphKernels } from '../runtime/graph';
import { beginChunks, mapChunks } from '../runtime/chunks';
import type { Engine } from '../cluster/threads';
import { exactAffinities, nearestNeighbourAffinities } from './tsne-affinities';
import { symmetricEigen } from './linalg';

export type TSNEMethod = 'barnes_hut' | 'exact' | 'fft';

/** What onProgress receives every 50 iterations (when scikit-learn checks its stopping rules). */
export interface TSNEProgress {
  /** 0-based, as scikit-learn's n_iter_. */
  iteration: number;
  /** KL divergence at that iteration (with P exaggerated during the first 250). */
  klDivergence: number;
  /** ‖gradient‖ after the gains. */
  gradientNorm: number;
}

export function tsneParams() {
  return {
    /** Dimensions of the embedding; Barnes-Hut takes at most 3. */
    nComponents: { kind: 'integer', min: 1, fallback: 2 },
    /** The effective number of neighbours each point's Gaussian is fitted to; less than nSamples. */
    perplexity: { kind: 'number', min: 0, exclusive: true, fallback: 30 },
    /** How much P is multiplied by for the first 250 iterations. */
    earlyExaggeration: { kind: 'number', min: 1, fallback: 12 },
    /** Step size; 'auto': max(nSamples / earlyExaggeration / 4, 50), as scikit-learn. */
    learningRate: { kind: 'number', min: 0, exclusive: true, literal: 'auto', fallback: 'auto' },
    /** Iterations at most, the 250 exaggerated ones included. */
    maxIter: { kind: 'integer', min: 250, fallback: 1000 },
    /** Stop after this many iterations without a lower KL divergence (checked every 50, after the first 250). */
    nIterWithoutProgress: { kind: 'integer', min: -1, fallback: 300 },
    /** Stop when the gradient's norm falls to this (checked every 50 iterations). */
    minGradNorm: { kind: 'number', min: 0, fallback: 1e-7 },
    /** The start: 'pca' (exact principal components, scaled to a standard deviation of 1e-4 in the first), 'random' (N(0, 1e-4²)), or an nSamples × nComponents Matrix. */
    init: {
      check: (value: unknown, name: string): 'pca' | 'random' | DataInput => {
        if (value === 'pca' || value === 'random') return value;
        if (typeof value === 'string') {
          throw new WasmeansError('INVALID_PARAMETER', `${name} must be 'pca', 'random' or an nSamples × nComponents matrix, got ${JSON.stringify(value)}`);
        }
        readData(value as DataInput, name);
        return value as DataInput;
      },
      fallback: 'pca',
    },
    /**
     * 'barnes_hut' (O(n log n), nComponents ≤ 3), 'exact' (O(n²)), or 'fft': FIt-SNE's interpolation on a grid
     * (Linderman et al. 2019; O(n) plus a grid whose side grows with the embedding's spread; nComponents ≤ 2).
     */
    method: { values: ['barnes_hut', 'exact', 'fft'] satisfies TSNEMethod[], fallback: 'barnes_hut' },
    /** Barnes-Hut's trade-off: a cell stands for its points when its width is below angle × its distance. */
    angle: { kind: 'number', min: 0, max: 1, fallback: 0.5 },
    /** 'fft': boxes a side of the grid at least (FIt-SNE's min_num_intervals); more is closer to the exact gradient. */
    minNumIntervals: { kind: 'integer', min: 1, fallback: 50 },
    /** 'fft': the boxes' widest, in the embedding's units, when that makes more than minNumIntervals boxes (FIt-SNE's intervals_per_integer). */
    intervalsPerInteger: { kind: 'number', min: 0, exclusive: true, fallback: 1 },
    /** Seed of the 'random' init: the same draws as scikit-learn's for the same seed. @default random */
    randomState: { kind: 'seed' },
    /** Called with { iteration, klDivergence, gradientNorm } every 50 iterations, when scikit-learn checks its stopping rules. @default none */
    onProgress: { kind: 'function', fallback: undefined as ((progress: TSNEProgress) => void) | undefined },
  } as const satisfies ParamSpecs;
}
export type TSNEOptions = OptionsOf<ReturnType<typeof tsneParams>>;

/** fitAsync's options. */
export function tsneFitAsyncParams() {
  return {
    /**
     * Threads sharing each gradient (worker_threads, or Web Workers on a crossOriginIsolated page; this thread counts
     * as one). The embedding is identical whatever the count.
     * @default the cores available
     */
    threads: { kind: 'integer', min: 1, max: 1024 },
  } as const satisfies ParamSpecs;
}
type TSNEParams = Resolved<ReturnType<typeof tsneParams>>;

const EXPLORATION_ITERATIONS = 250;
/** Chunks of the parallel passes: cells of the tree walked, rows of the attractive forces. */
const CELLS_A_CHUNK = 32;
const ROWS_A_CHUNK = 128;

/** Chunk results added in chunk order. */
function total(partials: Float64Array): number {
  let sum = 0;
  for (const v of partials) sum += v;
  return sum;
}
const CHECK_EVERY = 50;
const MIN_GAIN = 0.01;

/** scikit-learn's sklearn.manifold.TSNE. */
export class TSNE {
  private readonly options: TSNEParams;
  /** The embedding of the last fit: nSamples × nComponents. */
  embedding: Matrix64 | undefined;
  /** KL divergence after the optimisation, as scikit-learn's kl_divergence_. */
  klDivergence = NaN;
  /** The last iteration run (0-based), as scikit-learn's n_iter_. */
  nIter = 0;
  nFeaturesIn = 0;
  /** The learning rate used, as scikit-learn's learning_rate_. */
  learningRate = NaN;

  /** `options` or, as scikit-learn's first positional argument, nComponents. */
  constructor(options?: TSNEOptions | number) {
    this.options = resolveParams(tsneParams(), positional('nComponents', options), 'TSNE');
  }

  fit(x: DataInput): this {
    return this.finish(this.prepare(x));
  }

  /** fit with each gradient shared by `threads` threads: the same embedding, bit for bit. */
  async fitAsync(x: DataInput, options?: OptionsOf<ReturnType<typeof tsneFitAsyncParams>>): Promise<this> {
    const { threads } = resolveParams(tsneFitAsyncParams(), options, 'TSNE.fitAsync');
    // The threads run the plain build: with the relaxed-SIMD one loaded they would round differently from fit.
    const count = graphKernels().relaxedSimd() === 1 ? 1 : threads;
    const { withThreads } = await import('../cluster/threads');
    // The neighbour search too is shared.
    return withThreads(count, (engine) => this.finish(this.prepare(x, engine), engine));
  }

  /** Everything before the descent: checks, P, the start. */
  private prepare(x: DataInput, engine?: Engine) {
    const data = readData(x);
    checkValues(data, 'X');
    const o = this.options;
    const n = data.rows;
    if (n < 2) throw new WasmeansError('INVALID_INPUT', `TSNE needs at least 2 samples, got ${n}`);
    if (o.perplexity >= n) throw new WasmeansError('INVALID_PARAMETER', `perplexity must be less than nSamples=${n}, got ${o.perplexity}`);
    if (o.method === 'barnes_hut' && o.nComponents > 3) {
      throw new WasmeansError('INVALID_PARAMETER', `method 'barnes_hut' takes nComponents <= 3 (its tree splits each cell in 2^nComponents), got ${o.nComponents}; use method 'exact'`);
    }
    if (o.method === 'fft' && o.nComponents > 2) {
      throw new WasmeansError('INVALID_PARAMETER', `method 'fft' takes nComponents <= 2 (its grid has nodes^nComponents cells), got ${o.nComponents}; use method 'barnes_hut'`);
    }
    const rng = RandomState.fromOptional(o.randomState);
    const learningRate = o.learningRate === 'auto' ? Math.max(n / o.earlyExaggeration / 4, 50) : o.learningRate;
    const start = initialEmbedding(data, o, rng);
    const P = o.method === 'exact' ? { dense: exactAffinities(data, o.perplexity) } : { sparse: nearestNeighbourAffinities(data, o.perplexity, engine) };
    return { P, start, n, nFeatures: data.cols, learningRate };
  }

  /** The descent, on this thread or with an engine's threads, and the results. */
  private finish({ P, start, n, nFeatures, learningRate }: ReturnType<TSNE['prepare']>, engine?: Engine): this {
    const o = this.options;
    const result = optimise(P, start, n, o, learningRate, engine);
    this.embedding = matrix(Float64Array.from(result.positions), n, o.nComponents);
    this.klDivergence = result.klDivergence;
    this.nIter = result.nIter;
    this.nFeaturesIn = nFeatures;
    this.learningRate = learningRate;
    return this;
  }

  fitTransform(x: DataInput): Matrix64 {
    return this.fit(x).embedding as Matrix64;
  }
}

/** The start of the descent, float32: scikit-learn's 'pca' (scaled) or 'random' init, or the given matrix. */
function initialEmbedding(data: Data, o: TSNEParams, rng: RandomState): Float32Array {
  const n = data.rows;
  const k = o.nComponents;
  // scikit-learn: 1e-4 * standard_normal(...).astype(float32), a float32 product.
  if (o.init === 'random') return Float32Array.from({ length: n * k }, () => Math.fround(1e-4) * Math.fround(rng.normal(0, 1)));
  if (o.init === 'pca') {
    if (k > data.cols) throw new WasmeansError('INVALID_PARAMETER', `init 'pca' needs nComponents <= nFeatures=${data.cols}, got ${k}; use init 'random'`);
    const projected = Float32Array.from(principalComponents(data, k));
    let mean = 0;
    for (let i = 0; i < n; i++) mean += projected[i * k];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (projected[i * k] - mean) ** 2;
    const std = Math.sqrt(variance / n);
    return projected.map((v) => (v / std) * 1e-4);
  }
  const given = readData(o.init, 'init');
  if (given.rows !== n || given.cols !== k) {
    throw new WasmeansError('INVALID_INPUT', `init must be nSamples × nComponents = ${n} × ${k}, got ${given.rows} × ${given.cols}`);
  }
  checkValues(given, 'init');
  const out = new Float64Array(n * k);
  copyRows(given, 0, n, out);
  return Float32Array.from(out);
}

/**
 * X centred and projected on its first k principal axes (the covariance's top eigenvectors), each axis signed as
 * scikit-learn's svd_flip signs it: the projection largest in magnitude is positive.
 */
function principalComponents(data: Data, k: number): Float64Array {
  const { rows: n, cols: d } = data;
  const x = new Float64Array(n * d);
  copyRows(data, 0, n, x);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += x[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) x[i * d + t] -= mean[t];
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < d; s++) {
      const xs = x[i * d + s];
      if (xs === 0) continue;
      for (let t = s; t < d; t++) covariance[s * d + t] += xs * x[i * d + t];
    }
  }
  for (let s = 0; s < d; s++) for (let t = 0; t < s; t++) covariance[s * d + t] = covariance[t * d + s];
  const { values, vectors } = symmetricEigen(covariance, d);
  const order = Array.from({ length: d }, (_, c) => c).sort((a, b) => values[b] - values[a]).slice(0, k);
  const out = new Float64Array(n * k);
  order.forEach((c, at) => {
    let largest = 0;
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let t = 0; t < d; t++) v += x[i * d + t] * vectors[t * d + c];
      out[i * k + at] = v;
      if (Math.abs(v) > Math.abs(largest)) largest = v;
    }
    if (largest < 0) for (let i = 0; i < n; i++) out[i * k + at] = -out[i * k + at];
  });
  return out;
}

/** P: a symmetric CSR over the nearest neighbours (Barnes-Hut), or all pairs as a dense n × n matrix (exact). */
export interface Affinities {
  sparse?: CsrMatrix;
  dense?: Float64Array;
}

/** How the gradient's repulsive half is found: the options of TSNE that shape it. */
export type GradientMethod = Pick<TSNEParams, 'method' | 'angle' | 'minNumIntervals' | 'intervalsPerInteger'>;

/** The KL divergence and its gradient (times scikit-learn's c) at the given positions, as one step sees them. */
export function klGradientAt(P: Affinities, positions: Float32Array, n: number, dim: number, method: GradientMethod, exaggeration: number) {
  const work = workspace(P, n, dim, method);
  work.positions().set(positions);
  const kl = work.gradient(exaggeration, true);
  return { kl, grad: work.gradients().slice() };
}

/** Gradient descent in two stages, as scikit-learn's _tsne and _gradient_descent. */
function optimise(P: Affinities, start: Float32Array, n: number, o: TSNEParams, learningRate: number, engine?: Engine) {
  const dim = o.nComponents;
  const work = workspace(P, n, dim, o, engine);
  work.positions().set(start);
  const lr = Math.fround(learningRate);
  let klDivergence = NaN;
  let iteration = 0;
  // Stage 1: exaggerated P at momentum 0.5 for 250 iterations; stage 2: the rest at 0.8.
  const stages = [
    { exaggeration: o.earlyExaggeration, momentum: 0.5, first: 0, last: EXPLORATION_ITERATIONS, withoutProgress: EXPLORATION_ITERATIONS },
    { exaggeration: 1, momentum: 0.8, first: 0, last: o.maxIter, withoutProgress: o.nIterWithoutProgress },
  ];
  for (const [index, stage] of stages.entries()) {
    if (index === 1) {
      if (!(iteration < EXPLORATION_ITERATIONS || o.maxIter - EXPLORATION_ITERATIONS > 0)) break;
      stage.first = iteration + 1;
    }
    let bestError = Number.MAX_VALUE;
    let bestIteration = stage.first;
    let i = stage.first;
    for (; i < stage.last; i++) {
      const check = (i + 1) % CHECK_EVERY === 0;
      const error = work.gradient(stage.exaggeration, check || i === stage.last - 1);
      const norm = Math.sqrt(work.step(Math.fround(stage.momentum), lr));
      if (!Number.isNaN(error)) klDivergence = error;
      if (check) {
        o.onProgress?.({ iteration: i, klDivergence: error, gradientNorm: norm });
        if (error < bestError) {
          bestError = error;
          bestIteration = i;
        } else if (i - bestIteration > stage.withoutProgress) {
          break;
        }
        if (norm <= o.minGradNorm) break;
      }
    }
    iteration = Math.min(i, stage.last - 1);
  }
  return { positions: work.positions().slice(), klDivergence, nIter: iteration };
}

/** FIt-SNE's interpolation nodes a box, per side. */
const GRID_NODES = 3;
/**
 * The longest side of the padded FFT grid: 1296 in 2-D (94 MB of grid and kernels, 56 bytes a cell), so that an
 * embedding spread over more than 216 units gets wider boxes rather than more memory; 2^17 in 1-D.
 */
const MAX_GRID = [0, 2 ** 17, 1296];
/** Rows or columns the FFT kernels take at once (fft.ts's BLOCK): a chunk of the threads' work. */
const FFT_LANES = 8;
/** The ratio between the box widths 'fft' chooses from. */
const WIDTH_RATIO = 1.05;

/** The shortest FFT length 2^a·3^b (a ≥ 1) of at least `least`, with its radices (4s, then 3s, then a 2). */
export function fftLength(least: number): { length: number; radices: number[] } {
  let length = Infinity;
  for (let threes = 1; threes < 2 * least; threes *= 3) {
    let candidate = 2 * threes;
    while (candidate < least) candidate *= 2;
    length = Math.min(length, candidate);
  }
  const radices: number[] = [];
  let rest = length;
  while (rest % 4 === 0) {
    radices.push(4);
    rest /= 4;
  }
  while (rest % 3 === 0) {
    radices.push(3);
    rest /= 3;
  }
  if (rest === 2) radices.push(2);
  return { length, radices };
}

/**
 * t-SNE's regions in wasm memory, laid out in one go: P, the optimiser's state, and for Barnes-Hut the forces and
 * the tree, for 'fft' the grid. A tree that outgrows its room (deep chains of close points) gets twice as much, a
 * grid that outgrows its room (a wider embedding) what it needs, everything else carried over.
 */
function workspace(P: Affinities, n: number, dim: number, method: GradientMethod, engine?: Engine) {
  const kernels = engine?.kernels ?? graphKernels();
  const map = engine?.map ?? mapChunks;
  const begin = engine?.begin ?? beginChunks;
  const threadSlots = engine?.slots ?? 1;
  const count = n * dim;
  const dof = Math.max(dim - 1, 1);
  const c = Math.fround((2 * (dof + 1)) / dof);
  const theta2 = Math.fround(method.angle * method.angle);
  const csr = P.sparse;
  const nnz = csr ? csr.indptr[n] : 0;
  const tree = csr !== undefined && method.method !== 'fft';
  const fft = csr !== undefined && method.method === 'fft';
  const packedBytes = Math.ceil((1 << dim) / 4) * 96;
  let capacity = tree ? Math.ceil(n / 2) + 64 : 0;
  // The grid's side P as laid out: rows of 2P complex numbers (two grids of charges side by side), P rows in 2-D.
  let gridRoom = 0;
  const gridRows = (side: number) => (dim === 2 ? side : 1);
  const slots = () => n + 3 * capacity;
  const what = `t-SNE on ${n} samples`;
  const advice = csr ? 'use fewer samples' : "use fewer samples, or method 'barnes_hut'";
  const stackBytes = 64 * (1 << dim) * 4;
  const listBytes = () => 16 * (capacity + 4) + 16 * slots() + 4 * capacity;
  const layout = () => allocate(kernels, {
    dense: P.dense ? n * n * 8 : 0, indptr: csr ? (n + 1) * 4 : 0, indices: nnz * 4, values: nnz * 4,
    grad: count * 4, update: count * 4, gains: count * 4, pos: count * 4,
    attract: csr ? count * 4 : 0, repulse: csr ? count * 4 : 0, stack: tree ? threadSlots * stackBytes : 0,
    tree: capacity * 136, packed: capacity * packedBytes, next: tree ? n * 4 : 0,
    ordered: tree ? slots() * (dim + 1) * 4 : 0, index: tree ? slots() * 4 : 0, list: tree ? threadSlots * listBytes() : 0,
    partials: tree ? Math.ceil(capacity / CELLS_A_CHUNK) * 8 : 0, args: tree ? 16 * 8 : 0,
    attractPartials: csr ? Math.ceil(n / ROWS_A_CHUNK) * 8 : 0, attractArgs: csr ? 16 * 8 : 0,
    grid: gridRows(gridRoom) * 2 * gridRoom * 16, kernel: gridRows(gridRoom) * gridRoom * 24,
    scratch: threadSlots * gridRoom * FFT_LANES * 16, twiddle: gridRoom * 16, radices: fft ? 32 * 4 : 0,
    fftPartials: Math.ceil((2 * gridRoom) / FFT_LANES) * 8, fftArgs: fft ? 16 * 8 : 0,
    weights: fft ? n * GRID_NODES ** dim * 8 : 0, firstNode: fft ? n * 4 : 0,
  }, what, advice);
  let ptr = layout();
  if (P.dense) f64View(kernels, ptr.dense, n * n).set(P.dense);
  if (csr) {
    i32View(kernels, ptr.indptr, n + 1).set(csr.indptr);
    i32View(kernels, ptr.indices, nnz).set(csr.indices);
  }
  f32View(kernels, ptr.update, count).fill(0);
  f32View(kernels, ptr.gains, count).fill(1);
  let exaggerated = NaN;
  // Σ of P's float32 values as exaggerated, for the KL divergence.
  let sumP = 0;

  /** A new layout after `enlarge`, the state carried over. */
  const relayout = (enlarge: () => void) => {
    const saved = ['indptr', 'indices', 'values', 'update', 'gains', 'pos', 'attract'] as const;
    const sizes = { indptr: (n + 1) * 4, indices: nnz * 4, values: nnz * 4, update: count * 4, gains: count * 4, pos: count * 4, attract: count * 4 };
    const bytes = saved.map((name) => new Uint8Array(kernels.memory.buffer, ptr[name], sizes[name]).slice());
    enlarge();
    ptr = layout();
    saved.forEach((name, k) => new Uint8Array(kernels.memory.buffer, ptr[name], bytes[k].length).set(bytes[k]));
  };

  const buildTree = () => kernels.bhBuild(ptr.pos, n, dim, capacity, ptr.tree, ptr.packed, ptr.next, ptr.ordered, ptr.index);
  /** The repulsive half by Barnes-Hut over the built tree: Σ_j q_ij²·(y_i − y_j) into repulse; returns Σ q. */
  const walkTree = (cells: number) => total(map(kernels, 'bhRepulsive', [
    ptr.tree, ptr.packed, ptr.ordered, ptr.index, n, slots(), dim, Math.fround(dof), theta2, capacity, ptr.stack, ptr.list, ptr.repulse, 0, 0,
  ], { startAt: 13, items: cells, chunk: CELLS_A_CHUNK, partials: ptr.partials, argsPtr: ptr.args, scratch: { at: 10, stride: stackBytes, nextStride: listBytes() } }));

  let twiddlesOf = 0;
  /** The grid whose kernel transform is in place. */
  let kernelOf = { side: 0, rung: 0 };
  let nRadices = 0;
  /**
   * A 2-D (or 1-D) FFT over the grid's first `halves` halves; forward reads only the first `rows` rows and columns
   * (the rest taken as zeros), inverse writes only the first `rows` rows. Rows and columns go in chunks, shared by the threads; each is transformed alone, so the bits do not depend
   * on who takes which.
   */
  const gridTransform = (side: number, halves: number, rows: number, inverse: boolean) => {
    const width = 2 * side;
    const direction = inverse ? 1 : 0;
    const chunks = { chunk: FFT_LANES, partials: ptr.fftPartials, argsPtr: ptr.fftArgs, scratch: { at: 7, stride: side * FFT_LANES * 16, nextStride: 0 } };
    const alongRows = () => {
      for (let half = 0; half < halves; half++) {
        map(kernels, 'fftRows', [ptr.grid, width, half * side, side, ptr.radices, nRadices, ptr.twiddle, ptr.scratch, direction, inverse ? side : rows, 0, 0], {
          startAt: 10, items: dim === 2 ? rows : 1, ...chunks,
        });
      }
    };
    if (!inverse) alongRows();
    if (dim === 2) {
      map(kernels, 'fftColumns', [ptr.grid, width, side, ptr.radices, nRadices, ptr.twiddle, ptr.scratch, direction, inverse ? side : rows, 0, 0], {
        startAt: 9, items: halves * side, ...chunks, scratch: { ...chunks.scratch, at: 6 },
      });
    }
    if (inverse) alongRows();
  };

  /** The grid for the positions, its room made (before any thread reads the regions). */
  const planGrid = () => {
    const pos = f32View(kernels, ptr.pos, count);
    let low = Infinity;
    let high = -Infinity;
    for (const v of pos) {
      if (v < low) low = v;
      if (v > high) high = v;
    }
    const spread = high - low;
    // FIt-SNE's box count, then as many more as the FFT length (2^a·3^b ≥ 2 × nodes) has room for.
    const wanted = Math.max(method.minNumIntervals, Math.trunc(spread / method.intervalsPerInteger));
    const { length: side, radices } = fftLength(Math.min(2 * GRID_NODES * wanted, MAX_GRID[dim]));
    const nBoxes = Math.floor(side / (2 * GRID_NODES));
    // The boxes' width on a ladder (intervalsPerInteger × 1.05^rung), the narrowest whose boxes span the spread: the
    // kernel's transform changes only when the rung or the side does, not at every step.
    const least = Math.max(spread, Number.MIN_VALUE) / nBoxes;
    let rung = Math.ceil(Math.log(least / method.intervalsPerInteger) / Math.log(WIDTH_RATIO));
    if (method.intervalsPerInteger * WIDTH_RATIO ** rung < least) rung += 1;
    const boxWidth = method.intervalsPerInteger * WIDTH_RATIO ** rung;
    if (side > gridRoom) {
      relayout(() => { gridRoom = side; });
      kernelOf = { side: 0, rung: 0 };
    }
    if (side !== twiddlesOf) {
      const twiddle = f64View(kernels, ptr.twiddle, 2 * side);
      for (let k = 0; k < side; k++) {
        twiddle[2 * k] = Math.cos((2 * Math.PI * k) / side);
        twiddle[2 * k + 1] = -Math.sin((2 * Math.PI * k) / side);
      }
      i32View(kernels, ptr.radices, radices.length).set(radices);
      nRadices = radices.length;
      twiddlesOf = side;
    }
    return { low, side, nBoxes, boxWidth, rung };
  };

  /** The kernels' transforms for the grid, unless in place already. */
  const gridKernels = ({ side, boxWidth, rung }: ReturnType<typeof planGrid>) => {
    if (side === kernelOf.side && rung === kernelOf.rung) return;
    kernels.gridKernel(ptr.grid, side, dim, boxWidth / GRID_NODES);
    gridTransform(side, 2, side, false);
    // The inverse transform's 1/side^dim folded into the kernels'.
    kernels.gridKernelTransform(ptr.grid, side, dim, 1 / side ** dim, ptr.kernel);
    kernelOf = { side, rung };
  };

  const spreadCharges = ({ low, side, nBoxes, boxWidth }: ReturnType<typeof planGrid>) =>
    kernels.gridSpread(ptr.pos, n, dim, low, boxWidth, nBoxes, GRID_NODES, ptr.grid, side, ptr.weights, ptr.firstNode);

  /** The repulsive half by FIt-SNE's interpolation, the charges spread: Σ_j q_ij²·(y_i − y_j) into repulse; returns Σ q. */
  const gridRepulsion = ({ side, nBoxes }: ReturnType<typeof planGrid>) => {
    const nodes = nBoxes * GRID_NODES;
    gridTransform(side, 1, nodes, false);
    kernels.gridMultiply(ptr.grid, side, dim, ptr.kernel);
    gridTransform(side, 2, nodes, true);
    return kernels.gridInterpolate(ptr.pos, n, dim, GRID_NODES, ptr.grid, side, ptr.weights, ptr.firstNode, ptr.repulse);
  };

  return {
    positions: () => f32View(kernels, ptr.pos, count),
    gradients: () => f32View(kernels, ptr.grad, count),
    /** The gradient into grad; the KL divergence when asked, else NaN. */
    gradient(exaggeration: number, computeError: boolean): number {
      if (P.dense) {
        const kl = kernels.tsneExactGradient(ptr.dense, ptr.pos, n, dim, dof, exaggeration, ptr.grad);
        return computeError ? kl : NaN;
      }
      if (exaggeration !== exaggerated) {
        // scikit-learn's float32 copy of P times the exaggeration.
        const values = f32View(kernels, ptr.values, nnz);
        values.set((csr as CsrMatrix).data.map((v) => v * exaggeration));
        sumP = values.reduce((sum, v) => sum + v, 0);
        exaggerated = exaggeration;
      }
      const grid = fft ? planGrid() : undefined;
      if (grid) gridKernels(grid);
      // The attractive half needs no tree or grid: the threads take it while this thread builds the tree or spreads the
      // charges (then all walk the tree or transform the grid). Each half runs over fixed chunks whose sums are added in chunk order: the same bits on any number
      // of threads.
      const attractive = begin(kernels, 'tsneAttractive', [ptr.indptr, ptr.indices, ptr.values, ptr.pos, dim, Math.fround(dof), 1, computeError ? 1 : 0, ptr.attract, 0, 0], {
        startAt: 9, items: n, chunk: ROWS_A_CHUNK, partials: ptr.attractPartials, argsPtr: ptr.attractArgs,
      });
      let errorParts: Float64Array;
      let sumQ: number;
      if (grid) {
        spreadCharges(grid);
        errorParts = attractive().slice();
        sumQ = gridRepulsion(grid);
      } else {
        let cells = buildTree();
        errorParts = attractive().slice();
        // A tree that outgrew its room is built again in more, after the join (the regions move).
        while (cells < 0) {
          relayout(() => { capacity *= 2; });
          cells = buildTree();
        }
        sumQ = walkTree(cells);
      }
      // With computeError, Σ p·log(p/q) over the rows: KL = Σ p·log(p/(q/Σq)) = that + Σp·log Σq.
      const error = computeError ? total(errorParts) + sumP * Math.log(sumQ) : NaN;
      kernels.bhGradient(ptr.attract, ptr.repulse, count, Math.fround(sumQ), c, ptr.grad);
      return computeError ? error : NaN;
    },
    /** One step of the descent; returns ‖gradient‖² after the gains. */
    step: (momentum: number, learningRate: number) => kernels.tsneStep(ptr.grad, ptr.update, ptr.gains, ptr.pos, count, momentum, learningRate, Math.fround(MIN_GAIN)),
  };
}
