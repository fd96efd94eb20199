// scikit-learn's SpectralClustering: an affinity graph, its spectral embedding (manifold/spectral-embedding.ts), then labels by
// k-means, discretize or cluster_qr on the embedding. One random stream runs through all of it, as in
// scikit-learn: the embedding's start vector, then k-means++ — so the same randomState gives the same labels.
import { checkEnoughSamples, checkValues, type DataInput, readData, valueAt } from '../core/data';
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, type Resolved as ResolvedParams, positional, resolveParams } from '../core/params';
import { RandomState } from '../core/random';
import { addTranspose, type CsrMatrix, isCsr, readSquareNonNegative } from '../core/sparse';
import { EIGEN_PARAMS, embedSymmetric, readAdjacency } from '../manifold/spectral-embedding';
import { kneighborsGraph } from '../neighbors/kneighbors';
import { fitKMeans, kmeansParams } from './fit';
import { clusterQr, discretize } from './spectral-assign';

export type SpectralAffinity = 'rbf' | 'nearest_neighbors' | 'precomputed' | 'precomputed_nearest_neighbors';
export type SpectralAssignLabels = 'kmeans' | 'discretize' | 'cluster_qr';

export function spectralClusteringParams() {
  return {
    /** Number of clusters. */
    nClusters: { kind: 'integer', min: 1, fallback: 8 },
    /**
     * 'rbf': exp(−gamma·‖xᵢ − xⱼ‖²), dense; 'nearest_neighbors': 0.5·(A + Aᵀ) for the nNeighbors graph with self;
     * 'precomputed': X is the affinity (dense or CSR); 'precomputed_nearest_neighbors': X is a sparse distance graph,
     * of which each row's nNeighbors smallest stored entries are kept.
     */
    affinity: { values: ['rbf', 'nearest_neighbors', 'precomputed', 'precomputed_nearest_neighbors'], fallback: 'rbf' },
    /** Neighbours per row for the nearest-neighbour affinities. */
    nNeighbors: { kind: 'integer', min: 1, fallback: 10 },
    /** The rbf kernel's coefficient. */
    gamma: { kind: 'number', min: 0, fallback: 1 },
    /** 'kmeans', 'discretize' (Yu & Shi) or 'cluster_qr' (Damle et al.), each as scikit-learn. */
    assignLabels: { values: ['kmeans', 'discretize', 'cluster_qr'], fallback: 'kmeans' },
    /** k-means restarts on the embedding. */
    nInit: { kind: 'integer', min: 1, fallback: 10 },
    /** Embedding columns. @default nClusters */
    nComponents: { kind: 'integer', min: 1, derive: (r) => r.nClusters as number },
    /** Seed of the eigensolver's start vector and of the label assignment: one stream, as scikit-learn's. @default random */
    randomState: { kind: 'seed' },
    /** The dense rbf affinity's memory cap in bytes (12 a stored entry). @default 1 GiB */
    maxAffinityBytes: { kind: 'number', min: 0, fallback: 2 ** 30 },
    ...EIGEN_PARAMS,
  } as const satisfies ParamSpecs;
}

export type SpectralClusteringOptions = OptionsOf<ReturnType<typeof spectralClusteringParams>>;
type Resolved = ResolvedParams<ReturnType<typeof spectralClusteringParams>>;

/** Bytes a stored CSR entry takes: an int32 column and a float64 value. */
const ENTRY_BYTES = 12;

/** exp(−gamma·‖xᵢ − xⱼ‖²) for every pair, as a full CSR matrix (diagonal 1), refused beyond the memory cap. */
function rbfAffinity(x: DataInput, gamma: number, maxBytes: number): CsrMatrix {
  const data = readData(x);
  const n = data.rows;
  const bytes = n * n * ENTRY_BYTES;
  if (bytes > maxBytes) {
    throw new WasmeansError(
      'OUT_OF_MEMORY',
      `affinity='rbf' on nSamples=${n} needs a dense ${n}×${n} affinity, ${(bytes / 2 ** 20).toFixed(0)} MiB, more than ` +
        `maxAffinityBytes=${maxBytes}; use affinity='nearest_neighbors' (memory O(n·nNeighbors)) or raise maxAffinityBytes`,
    );
  }
  checkValues(data, 'X');
  const d = data.cols;
  const rows = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) rows[i * d + t] = valueAt(data, i, t);
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    values[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let sq = 0;
      for (let t = 0; t < d; t++) sq += (rows[i * d + t] - rows[j * d + t]) ** 2;
      const k = Math.exp(-gamma * sq);
      values[i * n + j] = k;
      values[j * n + i] = k;
    }
  }
  const indptr = Int32Array.from({ length: n + 1 }, (_, i) => i * n);
  const indices = Int32Array.from({ length: n * n }, (_, e) => e % n);
  return { indptr, indices, data: values, rows: n, cols: n };
}

/**
 * scikit-learn's NearestNeighbors(metric='precomputed').kneighbors_graph(D): each row's nNeighbors smallest
 * stored distances (stable by value, so equal distances keep their stored order); self only if stored.
 */
function precomputedNeighbors(distances: CsrMatrix, nNeighbors: number): CsrMatrix {
  const n = distances.rows;
  const indptr = Int32Array.from({ length: n + 1 }, (_, i) => i * nNeighbors);
  const indices = new Int32Array(n * nNeighbors);
  for (let i = 0; i < n; i++) {
    const start = distances.indptr[i];
    const stored = distances.indptr[i + 1] - start;
    if (stored < nNeighbors) {
      throw new WasmeansError(
        'INVALID_INPUT',
        `row ${i} of the precomputed distance graph stores ${stored} entries, fewer than nNeighbors=${nNeighbors}`,
      );
    }
    const order = Array.from({ length: stored }, (_, s) => start + s);
    order.sort((p, q) => distances.data[p] - distances.data[q] || p - q);
    for (let s = 0; s < nNeighbors; s++) indices[i * nNeighbors + s] = distances.indices[order[s]];
  }
  return { indptr, indices, data: new Float64Array(n * nNeighbors).fill(1), rows: n, cols: n };
}

function buildAffinity(x: DataInput | CsrMatrix, options: Resolved): CsrMatrix {
  const { affinity, nNeighbors } = options;
  switch (affinity) {
    case 'rbf':
    case 'nearest_neighbors':
      if (isCsr(x)) throw new WasmeansError('INVALID_INPUT', `affinity='${affinity}' needs X as samples × features, got a sparse matrix`);
      return affinity === 'rbf'
        ? rbfAffinity(x, options.gamma, options.maxAffinityBytes)
        : addTranspose(kneighborsGraph(x, nNeighbors, { includeSelf: true }), 0.5, 0.5);
    case 'precomputed':
      return readAdjacency(x, options.onWarning, 'X');
    case 'precomputed_nearest_neighbors': {
      if (!isCsr(x)) throw new WasmeansError('INVALID_INPUT', "affinity='precomputed_nearest_neighbors' needs X as a CsrMatrix of distances");
      return addTranspose(precomputedNeighbors(readSquareNonNegative(x, 'X'), nNeighbors), 0.5, 0.5);
    }
  }
}

interface Fitted {
  labels: Int32Array;
  affinityMatrix: CsrMatrix;
}

/** scikit-learn's SpectralClustering estimator. */
export class SpectralClustering {
  private readonly options: Resolved;
  private fitted: Fitted | undefined;

  /** `options` or, as scikit-learn's first positional argument, nClusters. */
  constructor(options?: SpectralClusteringOptions | number) {
    this.options = resolveParams(spectralClusteringParams(), positional('nClusters', options), 'SpectralClustering');
  }

  /** Affinity, embedding, labels. X is samples × features, or the affinity / distance graph for the precomputed kinds. */
  fit(x: DataInput | CsrMatrix): this {
    const options = this.options;
    const { nClusters, nComponents } = options;
    const affinityMatrix = buildAffinity(x, options);
    const n = affinityMatrix.rows;
    checkEnoughSamples(n, nClusters);
    const rng = RandomState.fromOptional(options.randomState);
    const { embedding } = embedSymmetric(affinityMatrix, nComponents, false, rng, options);
    const maps = embedding.data as Float64Array;
    let labels: Int32Array;
    switch (options.assignLabels) {
      case 'kmeans': {
        const kmeansOptions = resolveParams(kmeansParams(), { nClusters, nInit: options.nInit, onWarning: options.onWarning }, 'SpectralClustering');
        labels = fitKMeans(embedding, kmeansOptions, undefined, rng).labels;
        break;
      }
      case 'discretize':
        labels = discretize(maps, n, nComponents, rng);
        break;
      case 'cluster_qr':
        labels = clusterQr(maps, n, nComponents);
        break;
    }
    this.fitted = { labels, affinityMatrix };
    return this;
  }

  fitPredict(x: DataInput | CsrMatrix): Int32Array {
    return this.fit(x).labels;
  }

  get labels(): Int32Array {
    return this.state().labels;
  }
  /** The affinity the embedding was computed from (symmetric, canonical CSR). */
  get affinityMatrix(): CsrMatrix {
    return this.state().affinityMatrix;
  }
  get nClusters(): number {
    return this.options.nClusters;
  }

  private state(): Fitted {
    if (!this.fitted) throw new WasmeansError('NOT_FITTED', 'this SpectralClustering instance is not fitted yet: call fit() first');
    return this.fitted;
  }
}
