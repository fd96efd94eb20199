// scikit-learn's spectral_embedding: eigenvectors of the normalized Laplacian L = I − D^-½·A·D^-½ for its
// smallest eigenvalues, divided by √degree, signs fixed. The null space of L is known exactly: one vector
// D^½·1_C per connected component C. Those are written down, not iterated for, which is what makes graphs with
// several components (the case ARPACK's shift-invert takes minutes on) instant; the rest of the spectrum comes
// from a thick-restart Lanczos iteration on the deflated operator (wasm: sparse products and Gram–Schmidt), or a
// dense symmetric solver for small graphs.
import { allocate, f64View } from '../runtime/arena';
import { describe, WasmeansError } from '../core/errors';
import { type DataInput, type Matrix, matrix } from '../core/data';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { symmetricEigen } from './linalg';
import { RandomState } from '../core/random';
import { addTranspose, asymmetry, connectedComponents, type CsrMatrix, readSquareNonNegative } from '../core/sparse';
import { warnOncePerKind, type WarningHandler } from '../core/warnings';
import { getKernels } from '../runtime/module';

export type EigenSolver = 'auto' | 'dense' | 'lanczos';

/** How the eigenvectors are found: the parameters spectralEmbedding and SpectralClustering share. */
export const EIGEN_PARAMS = {
  /** Residual norm at which an eigenpair counts as converged (‖L‖ ≤ 2). */
  eigenTol: { kind: 'number', min: 0, exclusive: true, fallback: 1e-10 },
  /** Lanczos restarts before giving up with a CONVERGENCE warning. */
  maxRestarts: { kind: 'integer', min: 0, fallback: 1000 },
  /** 'auto': dense for graphs up to 200 nodes, else Lanczos. */
  eigenSolver: { values: ['auto', 'dense', 'lanczos'] satisfies EigenSolver[], fallback: 'auto' },
  /** Receives warnings (message, kind): disconnected graph, asymmetric affinity, no convergence. @default console.warn, once per kind */
  onWarning: { kind: 'function', fallback: warnOncePerKind },
} as const;

export function spectralEmbeddingParams() {
  return {
    /** Columns of the embedding. */
    nComponents: { kind: 'integer', min: 1, fallback: 8 },
    /** Drop the first eigenvector (constant on a connected graph). */
    dropFirst: { kind: 'boolean', fallback: true },
    /** Seed of the Lanczos start vector; consumed as scikit-learn's ARPACK start vector is (n uniform draws). @default random */
    randomState: { kind: 'seed' },
    ...EIGEN_PARAMS,
  } as const satisfies ParamSpecs;
}
export type SpectralEmbeddingOptions = OptionsOf<ReturnType<typeof spectralEmbeddingParams>>;


/** What the embedding found, for callers that want more than the coordinates. */
export interface EmbeddingResult {
  /** n × nComponents, row-major. */
  embedding: Matrix;
  /** The eigenvalues of L for the columns, ascending (the dropped first one excluded). */
  eigenvalues: Float64Array;
  nConnectedComponents: number;
}

/** Graphs up to this many nodes get the dense solver. */
const DENSE_MAX_NODES = 200;
/** Sparse products per orthogonalization once the Chebyshev filter is on. */
const FILTER_DEGREE = 10;
/** Below this many free nodes a plain Lanczos run is already cheap. */
const FILTER_MIN_NODES = 2000;
/** The Lanczos block's size cap: eigenvalues repeated up to this many times are found in full. */
const MAX_BLOCK = 32;
/** Null vectors are shifted here, past L's spectrum [0, 2], in the dense solver. */
const NULL_SHIFT = 3;

interface Laplacian {
  n: number;
  /** N = D^-½·A·D^-½ without the diagonal (L = I − N); an isolated node's row is empty. */
  normalized: CsrMatrix;
  /** √degree, 1 for isolated nodes (scipy's `dd`). */
  sqrtDegree: Float64Array;
  /** Orthonormal null vectors of L, one per component with an edge, largest component first. */
  nullVectors: Float64Array[];
  nConnectedComponents: number;
}

function normalizedLaplacian(adjacency: CsrMatrix): Laplacian {
  const n = adjacency.rows;
  const { indptr, indices, data } = adjacency;
  // Degrees leave out self-loops, as scipy's laplacian does.
  const sqrtDegree = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) if (indices[e] !== i) degree += data[e];
    sqrtDegree[i] = degree > 0 ? Math.sqrt(degree) : 1;
  }
  const outIndptr = new Int32Array(n + 1);
  const outIndices = new Int32Array(indptr[n]);
  const outData = new Float64Array(indptr[n]);
  let out = 0;
  for (let i = 0; i < n; i++) {
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const j = indices[e];
      if (j === i || data[e] === 0) continue;
      outIndices[out] = j;
      outData[out++] = data[e] / sqrtDegree[i] / sqrtDegree[j];
    }
    outIndptr[i + 1] = out;
  }
  const normalized = { indptr: outIndptr, indices: outIndices.slice(0, out), data: outData.slice(0, out), rows: n, cols: n };

  const { labels, count } = connectedComponents(adjacency);
  const size = new Int32Array(count);
  for (let i = 0; i < n; i++) size[labels[i]]++;
  const withEdges: number[] = [];
  for (let c = 0; c < count; c++) if (size[c] > 1) withEdges.push(c);
  // Largest first; components are numbered by first node, so ties go to the earlier one.
  withEdges.sort((p, q) => size[q] - size[p] || p - q);
  const nullVectors = withEdges.map((c) => {
    const z = new Float64Array(n);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      if (labels[i] === c) {
        z[i] = sqrtDegree[i];
        norm += sqrtDegree[i] ** 2;
      }
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) z[i] /= norm;
    return z;
  });
  return { n, normalized, sqrtDegree, nullVectors, nConnectedComponents: count };
}

/** Eigenpairs of L orthogonal to the null vectors: the `count` smallest, ascending, vectors as rows. */
interface Eigenpairs {
  values: Float64Array;
  vectors: Float64Array[];
  converged: boolean;
}

function denseEigenpairs(lap: Laplacian, count: number): Eigenpairs {
  const { n, normalized } = lap;
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    dense[i * n + i] = 1;
    for (let e = normalized.indptr[i]; e < normalized.indptr[i + 1]; e++) dense[i * n + normalized.indices[e]] -= normalized.data[e];
  }
  for (const z of lap.nullVectors) {
    for (let i = 0; i < n; i++) {
      if (z[i] === 0) continue;
      for (let j = 0; j < n; j++) dense[i * n + j] += NULL_SHIFT * z[i] * z[j];
    }
  }
  const { values, vectors } = symmetricEigen(dense, n);
  const columns = Array.from({ length: count }, (_, c) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) v[i] = vectors[i * n + c];
    return v;
  });
  return { values: values.slice(0, count), vectors: columns, converged: true };
}

/**
 * Block thick-restart Lanczos for the largest eigenvalues θ of N on the complement of the null vectors; L's
 * eigenvalues are 1 − θ. The block holds one vector per wanted eigenpair, so an eigenvalue repeated up to that
 * many times (a cycle, identical components) is found in full, which one Krylov vector cannot do. H = Vᵀ·op·V is
 * kept whole from the twice-orthogonalized products, so a restart is a Rayleigh–Ritz step: keep the best Ritz
 * vectors, continue from the residual block.
 *
 * The wanted θ sit just below 1 with tiny gaps on large graphs, where plain Lanczos needs many steps and the
 * Gram–Schmidt sweeps, not the sparse products, dominate. So after a first cycle on N, the iteration starts over
 * from its best Ritz vectors on a Chebyshev polynomial of N that is bounded by 1 on [−1, c] and grows fast above
 * c, with c a Ritz value below the wanted ones (Ritz values bound eigenvalues from below): the same order of
 * eigenvectors, far larger gaps, and FILTER_DEGREE sparse products per orthogonalization.
 */
function lanczosEigenpairs(lap: Laplacian, count: number, start: Float64Array, tol: number, maxRestarts: number): Eigenpairs {
  const kernels = getKernels();
  const { n, normalized } = lap;
  const nNull = lap.nullVectors.length;
  const free = n - nNull;
  const block = Math.min(count, MAX_BLOCK);
  // Room for the Ritz vectors kept and several blocks of expansion; the basis and its residual block fit in `free`.
  const basisSize = Math.min(free - block, Math.max(2 * count + 6 * block, 48));
  if (basisSize < count) return denseEigenpairs(lap, count);
  const keep = Math.min(basisSize - block, count + Math.floor((basisSize - count) / 2));
  const slots = nNull + basisSize + block;
  const nnz = normalized.indptr[n];
  const r = allocate(
    kernels,
    {
      indptr: (n + 1) * 4, indices: nnz * 4, values: nnz * 8, basis: slots * n * 8, w: n * 8, h: slots * 8,
      ritz: basisSize * basisSize * 8, restart: Math.max(keep, count) * n * 8, chebyshev: 2 * n * 8,
    },
    `spectralEmbedding on ${n} nodes (${nnz} edges, ${count} eigenvectors)`,
    'embed fewer nodes, or a sparser graph (affinity: nearest_neighbors with fewer neighbours)',
  );
  new Int32Array(kernels.memory.buffer, r.indptr, n + 1).set(normalized.indptr);
  new Int32Array(kernels.memory.buffer, r.indices, nnz).set(normalized.indices);
  f64View(kernels, r.values, nnz).set(normalized.data);
  const slot = (s: number) => r.basis + s * n * 8;
  lap.nullVectors.forEach((z, s) => f64View(kernels, slot(s), n).set(z));

  const h = () => f64View(kernels, r.h, slots);
  const w = () => f64View(kernels, r.w, n);
  /** Removes the null vectors and basis vectors [0, upto) from w, twice (DGKS); returns w's coefficients on the basis. */
  const orthogonalize = (upto: number): Float64Array => {
    const vectors = nNull + upto;
    kernels.dotColumns(r.basis, n, vectors, r.w, r.h);
    const coefficients = h().slice(nNull, vectors);
    kernels.subtractColumns(r.basis, n, vectors, r.h, r.w);
    kernels.dotColumns(r.basis, n, vectors, r.w, r.h);
    const again = h();
    for (let s = 0; s < upto; s++) coefficients[s] += again[nNull + s];
    kernels.subtractColumns(r.basis, n, vectors, r.h, r.w);
    return coefficients;
  };
  const normOf = (v: Float64Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
  // Extra start vectors and replacements for vanished ones: a private stream, so the caller's is not disturbed.
  const rng = new RandomState(0);
  /** Puts w/‖w‖ in basis slot j (w already orthogonal to slots < j); a fresh random direction if w has vanished. Returns ‖w‖ or 0. */
  const place = (j: number, scale: number): number => {
    let beta = normOf(w());
    let vanished = beta <= 1e-10 * scale;
    for (let attempt = 0; vanished && attempt < 5; attempt++) {
      const fresh = w();
      for (let i = 0; i < n; i++) fresh[i] = rng.uniform(-1, 1);
      orthogonalize(j);
      const norm = normOf(w());
      if (norm > 1e-6 * Math.sqrt(n)) {
        beta = norm;
        vanished = false;
        f64View(kernels, slot(nNull + j), n).set(w().map((x) => x / beta));
        return 0;
      }
    }
    if (vanished) throw new WasmeansError('UNSUPPORTED', `the Lanczos basis could not be extended past ${j} vectors on a graph of ${n} nodes`);
    f64View(kernels, slot(nNull + j), n).set(w().map((x) => x / beta));
    return beta;
  };

  // The operator: N, or after the first cycle T_m(M) with M = (2N − (c + a)·I)/(c − a) mapping [a, c] to [−1, 1].
  let filter: { scale: number; shift: number; norm: number } | undefined;
  const apply = (from: number) => {
    if (!filter) {
      kernels.csrMatvec(r.indptr, r.indices, r.values, n, from, r.w);
      return;
    }
    const { scale, shift } = filter;
    // T_1 = M·x, T_{j+1} = 2M·T_j − T_{j−1}; step j writes buffer (j + offset) mod 3, so that step m lands in w.
    const buffers = [r.chebyshev, r.chebyshev + n * 8, r.w];
    const offset = (((2 - FILTER_DEGREE) % 3) + 3) % 3;
    const target = (step: number) => buffers[(step + offset) % 3];
    kernels.csrChebyshevStep(r.indptr, r.indices, r.values, n, from, from, target(1), scale, shift, 0);
    let previous = from;
    for (let step = 2; step <= FILTER_DEGREE; step++) {
      kernels.csrChebyshevStep(r.indptr, r.indices, r.values, n, target(step - 1), previous, target(step), 2 * scale, 2 * shift, -1);
      previous = target(step - 1);
    }
  };

  for (let b = 0; b < block; b++) {
    const target = w();
    if (b === 0) target.set(start);
    else for (let i = 0; i < n; i++) target[i] = rng.uniform(-1, 1);
    orthogonalize(b);
    place(b, 0);
  }
  const H = new Float64Array(basisSize * basisSize);
  // op·V = V·H + R·E: E[q·basisSize + j] = ⟨residual vector q, op·v_j⟩.
  const E = new Float64Array(block * basisSize);
  let filled = 0;
  let mu = new Float64Array(0);
  let ritz = new Float64Array(0);
  let theta = new Float64Array(count);
  let converged = false;
  const ritzVectors = (howMany: number) => {
    f64View(kernels, r.ritz, basisSize * basisSize).set(ritz);
    kernels.combineColumns(slot(nNull), n, basisSize, r.ritz, basisSize, howMany, r.restart);
  };
  for (let restart = 0; restart <= maxRestarts; restart++) {
    for (let j = filled; j < basisSize; j++) {
      apply(slot(nNull + j));
      const placed = j + block;
      const column = orthogonalize(placed);
      for (let s = 0; s <= j; s++) {
        H[s * basisSize + j] = column[s];
        H[j * basisSize + s] = column[s];
      }
      for (let s = basisSize; s < placed; s++) E[(s - basisSize) * basisSize + j] = column[s];
      const beta = place(placed, filter ? filter.norm : 1);
      if (placed >= basisSize) E[(placed - basisSize) * basisSize + j] = beta;
    }
    // Ritz pairs of the operator, largest first (the filter keeps N's order).
    const eig = symmetricEigen(H, basisSize);
    mu = new Float64Array(basisSize);
    ritz = new Float64Array(basisSize * basisSize);
    for (let c = 0; c < basisSize; c++) {
      const from = basisSize - 1 - c;
      mu[c] = eig.values[from];
      for (let s = 0; s < basisSize; s++) ritz[s * basisSize + c] = eig.vectors[s * basisSize + from];
    }
    // Convergence on N itself: θ = yᵀN·y and ‖N·y − θ·y‖ for the wanted Ritz vectors.
    ritzVectors(count);
    converged = true;
    for (let c = 0; c < count; c++) {
      const y = r.restart + c * n * 8;
      kernels.csrMatvec(r.indptr, r.indices, r.values, n, y, r.w);
      const yv = f64View(kernels, y, n);
      const ny = w();
      let rayleigh = 0;
      for (let i = 0; i < n; i++) rayleigh += yv[i] * ny[i];
      let residual = 0;
      for (let i = 0; i < n; i++) residual += (ny[i] - rayleigh * yv[i]) ** 2;
      theta[c] = rayleigh;
      if (Math.sqrt(residual) > tol) converged = false;
    }
    if (converged || restart === maxRestarts) break;
    if (!filter && free > FILTER_MIN_NODES) {
      // Start over on the filter from the best Ritz vectors, as the new start block.
      const c = mu[keep];
      filter = { scale: 2 / (c + 1), shift: -(c - 1) / (c + 1), norm: chebyshevAt(FILTER_DEGREE, (2 - (c - 1)) / (c + 1)) };
      ritzVectors(block);
      new Uint8Array(kernels.memory.buffer).copyWithin(slot(nNull), r.restart, r.restart + block * n * 8);
      H.fill(0);
      E.fill(0);
      filled = 0;
      continue;
    }
    // Restart: the first `keep` Ritz vectors, then the residual block as the next vectors.
    ritzVectors(keep);
    const bytes = new Uint8Array(kernels.memory.buffer);
    bytes.copyWithin(slot(nNull), r.restart, r.restart + keep * n * 8);
    bytes.copyWithin(slot(nNull + keep), slot(nNull + basisSize), slot(nNull + basisSize + block));
    H.fill(0);
    E.fill(0);
    for (let c = 0; c < keep; c++) H[c * basisSize + c] = mu[c];
    filled = keep;
  }
  ritzVectors(count);
  const vectors = Array.from({ length: count }, (_, c) => f64View(kernels, r.restart + c * n * 8, n).slice());
  const values = Float64Array.from({ length: count }, (_, c) => 1 - theta[c]);
  return { values, vectors, converged };
}

/** T_m(x) for |x| ≥ 1: the filter's largest value, the scale of its products. */
function chebyshevAt(degree: number, x: number): number {
  return Math.cosh(degree * Math.acosh(Math.max(1, Math.abs(x))));
}

/** The adjacency as scikit-learn uses it: validated, and replaced by 0.5·(A + Aᵀ) with a warning when not symmetric. */
export function readAdjacency(adjacency: CsrMatrix | DataInput, onWarning: WarningHandler, name = 'adjacency'): CsrMatrix {
  const a = readSquareNonNegative(adjacency, name);
  const symmetric = addTranspose(a, 0.5, 0.5);
  const worst = asymmetry(a, symmetric);
  // scikit-learn's check_symmetric tolerance.
  if (worst.value >= 2e-10) {
    onWarning(
      `${name} is not symmetric (|A[${worst.row}, ${worst.col}] − A[${worst.col}, ${worst.row}]| = ${worst.value.toPrecision(3)}); using 0.5·(A + Aᵀ)`,
      'ASYMMETRIC_AFFINITY',
    );
  }
  return symmetric;
}

/** The embedding of a validated symmetric adjacency; `rng` is consumed as scikit-learn consumes its random_state. */
export function embedSymmetric(
  adjacency: CsrMatrix,
  nComponents: number,
  dropFirst: boolean,
  rng: RandomState,
  options: { eigenTol: number; maxRestarts: number; eigenSolver: EigenSolver; onWarning: WarningHandler },
): EmbeddingResult {
  const n = adjacency.rows;
  const wanted = dropFirst ? nComponents + 1 : nComponents;
  if (wanted > n) {
    const why = dropFirst ? `nComponents + 1 = ${wanted} (dropFirst)` : `nComponents = ${wanted}`;
    throw new WasmeansError('INVALID_PARAMETER', `${why} eigenvectors were asked of a graph with ${n} nodes; at most ${n}`);
  }
  // scikit-learn's ARPACK start vector: the same n draws, so what follows (k-means) sees the same stream.
  const start = Float64Array.from({ length: n }, () => rng.uniform(-1, 1));
  const lap = normalizedLaplacian(adjacency);
  if (lap.nConnectedComponents > 1) {
    options.onWarning(
      `the graph is not fully connected (${lap.nConnectedComponents} connected components), spectral embedding may not work as expected`,
      'DISCONNECTED_GRAPH',
    );
  }
  const fromNull = Math.min(wanted, lap.nullVectors.length);
  const rest = wanted - fromNull;
  const columns = lap.nullVectors.slice(0, fromNull);
  const values = new Float64Array(wanted);
  if (rest > 0) {
    const dense = options.eigenSolver === 'dense' || (options.eigenSolver === 'auto' && n <= DENSE_MAX_NODES);
    const pairs = dense ? denseEigenpairs(lap, rest) : lanczosEigenpairs(lap, rest, start, options.eigenTol, options.maxRestarts);
    if (!pairs.converged) {
      options.onWarning(
        `the Lanczos eigensolver did not reach eigenTol=${options.eigenTol} within maxRestarts=${options.maxRestarts}; the embedding is approximate`,
        'CONVERGENCE',
      );
    }
    columns.push(...pairs.vectors);
    values.set(pairs.values, fromNull);
  }
  const first = dropFirst ? 1 : 0;
  const out = new Float64Array(n * nComponents);
  for (let c = first; c < wanted; c++) {
    const v = columns[c];
    // Divide by √degree, then flip so that the largest |entry| (first of equals) is positive.
    let at = 0;
    let largest = -1;
    for (let i = 0; i < n; i++) {
      v[i] /= lap.sqrtDegree[i];
      if (Math.abs(v[i]) > largest) {
        largest = Math.abs(v[i]);
        at = i;
      }
    }
    const sign = v[at] < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i * nComponents + c - first] = sign * v[i];
  }
  return { embedding: matrix(out, n, nComponents), eigenvalues: values.slice(first), nConnectedComponents: lap.nConnectedComponents };
}

/** The full result: embedding, eigenvalues and component count. */
export function spectralEmbeddingResult(adjacency: CsrMatrix | DataInput, options?: SpectralEmbeddingOptions): EmbeddingResult {
  const resolved = resolveParams(spectralEmbeddingParams(), options, 'spectralEmbedding');
  const symmetric = readAdjacency(adjacency, resolved.onWarning);
  return embedSymmetric(symmetric, resolved.nComponents, resolved.dropFirst, RandomState.fromOptional(resolved.randomState), resolved);
}

/**
 * scikit-learn's `spectral_embedding`: n × nComponents, column c the eigenvector of the normalized Laplacian
 * for its c-th smallest eigenvalue (after the dropped first), divided by √degree, largest |entry| positive.
 */
export function spectralEmbedding(adjacency: CsrMatrix | DataInput, options?: SpectralEmbeddingOptions): Matrix {
  return spectralEmbeddingResult(adjacency, options).embedding;
}
