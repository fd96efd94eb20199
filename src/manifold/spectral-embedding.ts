// scikit-learn's spectral_embedding: eigenvectors of the normalized Laplacian L = I − D^-½·A·D^-½ for its
// smallest eigenvalues, divided by √degree, signs fixed. The null space of L is known exactly: one vector
// D^½·1_C per connected component C. Those are written down, not iterated for, which is what makes graphs with
// several components (the case ARPACK's shift-invert takes minutes on) instant; the rest of the spectrum comes
// from a block Davidson iteration on the deflated operator, preconditioned by algebraic multigrid (amg.ts; wasm:
// sparse products, smoothing and Gram–Schmidt), or a dense symmetric solver for small graphs.
import { allocate, f64View } from '../runtime/arena';
import { describe, WasmeansError } from '../core/errors';
import { type DataInput, type Matrix, type Matrix64, matrix } from '../core/data';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { symmetricEigen } from './linalg';
import { buildMultigrid, loadMultigrid, multigridCycle } from './amg';
import { RandomState } from '../core/random';
import { addTranspose, asymmetry, connectedComponents, type CsrMatrix, readSquareNonNegative } from '../core/sparse';
import { warnOncePerKind, type WarningHandler } from '../core/warnings';
import { graphKernels } from '../runtime/graph';

export type EigenSolver = 'auto' | 'dense' | 'amg';

/** How the eigenvectors are found: the parameters spectralEmbedding and SpectralClustering share. */
export const EIGEN_PARAMS = {
  /** Residual norm at which an eigenpair counts as converged (‖L‖ ≤ 2). */
  eigenTol: { kind: 'number', min: 0, exclusive: true, fallback: 1e-10 },
  /** Restarts of the 'amg' solver's basis before giving up with a CONVERGENCE warning. */
  maxRestarts: { kind: 'integer', min: 0, fallback: 1000 },
  /**
   * 'dense': a full symmetric eigensolver; 'amg': block Davidson preconditioned by smoothed-aggregation multigrid,
   * whose cost grows about linearly with the graph; 'auto': dense for graphs up to 200 nodes, else amg.
   */
  eigenSolver: { values: ['auto', 'dense', 'amg'] satisfies EigenSolver[], fallback: 'auto' },
  /** Receives warnings (message, kind): disconnected graph, asymmetric affinity, no convergence. @default console.warn, once per kind */
  onWarning: { kind: 'function', fallback: warnOncePerKind },
} as const;

export function spectralEmbeddingParams() {
  return {
    /** Columns of the embedding. */
    nComponents: { kind: 'integer', min: 1, fallback: 8 },
    /** Drop the first eigenvector (constant on a connected graph). */
    dropFirst: { kind: 'boolean', fallback: true },
    /** Seed of the eigensolver's start vector; consumed as scikit-learn's ARPACK start vector is (n uniform draws). @default random */
    randomState: { kind: 'seed' },
    ...EIGEN_PARAMS,
  } as const satisfies ParamSpecs;
}
export type SpectralEmbeddingOptions = OptionsOf<ReturnType<typeof spectralEmbeddingParams>>;


/** What the embedding found, for callers that want more than the coordinates. */
export interface EmbeddingResult {
  /** n × nComponents, row-major. */
  embedding: Matrix64;
  /** The eigenvalues of L for the columns, ascending (the dropped first one excluded). */
  eigenvalues: Float64Array;
  nConnectedComponents: number;
}

/** Graphs up to this many nodes get the dense solver. */
const DENSE_MAX_NODES = 200;
/** The Davidson block's size cap: corrections added per step, for as many unconverged pairs. */
const MAX_BLOCK = 32;
/** The Davidson basis holds at least this many vectors (4 per wanted pair otherwise)... */
const MIN_BASIS = 24;
/** ...and keeps at least this many Ritz vectors beyond the wanted ones at a restart. */
const MIN_EXTRA_KEPT = 4;
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

/** G = D − A with D the (self-loop free) degrees, 1 for isolated nodes, so that L = D^-½·G·D^-½. */
function combinatorialLaplacian(lap: Laplacian): CsrMatrix {
  const { n, normalized, sqrtDegree } = lap;
  const indptr = new Int32Array(n + 1);
  const nnz = normalized.indptr[n] + n;
  const indices = new Int32Array(nnz);
  const data = new Float64Array(nnz);
  let out = 0;
  for (let i = 0; i < n; i++) {
    indices[out] = i;
    data[out++] = sqrtDegree[i] ** 2;
    for (let e = normalized.indptr[i]; e < normalized.indptr[i + 1]; e++) {
      const j = normalized.indices[e];
      indices[out] = j;
      data[out++] = -normalized.data[e] * sqrtDegree[i] * sqrtDegree[j];
    }
    indptr[i + 1] = out;
  }
  return { indptr, indices, data, rows: n, cols: n };
}

/**
 * Block Davidson with an algebraic multigrid preconditioner (scikit-learn's 'amg' idea, in a steadier outer
 * iteration than LOBPCG): the basis V, orthonormal and orthogonal to the null vectors, grows each step by the
 * preconditioned residuals M·(L·y − λ·y) of the Ritz pairs not yet converged, with M = D^½·G⁺·D^½ ≈ L⁺ from one
 * V-cycle (amg.ts); when full it restarts from its best Ritz vectors. The wanted eigenvalues of L sit just above 0
 * with tiny gaps on large graphs, where a polynomial method (Lanczos) needs ever more sparse products; with the
 * multigrid the step count hardly grows with the graph (16–19 from 2000 to 100000 nodes of make_moons).
 * Eigenpairs of N = I − L are computed (θ = 1 − λ); an eigenpair counts as converged when ‖N·y − θ·y‖ ≤ tol,
 * from an explicit product, not from the projected problem.
 */
function davidsonEigenpairs(lap: Laplacian, count: number, start: Float64Array, tol: number, maxRestarts: number): Eigenpairs {
  const kernels = graphKernels();
  const { n, normalized, sqrtDegree } = lap;
  const nNull = lap.nullVectors.length;
  const free = n - nNull;
  const block = Math.min(count, MAX_BLOCK);
  const basisSize = Math.min(free, Math.max(4 * count, count + 2 * block, MIN_BASIS));
  if (basisSize < count + block) return denseEigenpairs(lap, count);
  const keep = Math.min(basisSize - block, count + Math.max(MIN_EXTRA_KEPT, Math.ceil(count / 2)));
  const multigrid = buildMultigrid(combinatorialLaplacian(lap));
  const slots = nNull + basisSize;
  const nnz = normalized.indptr[n];
  const what = `spectralEmbedding on ${n} nodes (${nnz} edges, ${count} eigenvectors)`;
  const r = allocate(
    kernels,
    {
      indptr: (n + 1) * 4, indices: nnz * 4, values: nnz * 8, basis: slots * n * 8, w: n * 8, h: slots * 8,
      ritz: basisSize * basisSize * 8, ritzVectors: keep * n * 8, corrections: block * n * 8,
    },
    what,
    'embed fewer nodes, or a sparser graph (affinity: nearest_neighbors with fewer neighbours)',
  );
  new Int32Array(kernels.memory.buffer, r.indptr, n + 1).set(normalized.indptr);
  new Int32Array(kernels.memory.buffer, r.indices, nnz).set(normalized.indices);
  f64View(kernels, r.values, nnz).set(normalized.data);
  const preconditioner = loadMultigrid(kernels, multigrid, what);
  const slot = (s: number) => r.basis + s * n * 8;
  lap.nullVectors.forEach((z, s) => f64View(kernels, slot(s), n).set(z));

  const w = () => f64View(kernels, r.w, n);
  const normOf = (v: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
    return Math.sqrt(sum);
  };
  /** Removes the null vectors and basis vectors [0, upto) from w, twice (DGKS). */
  const orthogonalize = (upto: number) => {
    for (let pass = 0; pass < 2; pass++) {
      kernels.dotColumns(r.basis, n, nNull + upto, r.w, r.h);
      kernels.subtractColumns(r.basis, n, nNull + upto, r.h, r.w);
    }
  };
  // Extra start vectors and replacements for vanished ones: a private stream, so the caller's is not disturbed.
  const rng = new RandomState(0);
  // H = Vᵀ·N·V, basisSize × basisSize, of which the leading m × m is in use.
  const H = new Float64Array(basisSize * basisSize);
  /** Orthonormalizes w into basis vector m (a random direction if w lies in the basis) and fills H's row and column m. */
  const append = (m: number) => {
    const scale = normOf(w());
    orthogonalize(m);
    let norm = normOf(w());
    for (let attempt = 0; norm <= 1e-8 * scale && attempt < 5; attempt++) {
      const fresh = w();
      for (let i = 0; i < n; i++) fresh[i] = rng.uniform(-1, 1);
      orthogonalize(m);
      norm = normOf(w());
    }
    if (!(norm > 0)) throw new WasmeansError('UNSUPPORTED', `the eigensolver's basis could not be extended past ${m} vectors on a graph of ${n} nodes`);
    const v = f64View(kernels, slot(nNull + m), n);
    const from = w();
    for (let i = 0; i < n; i++) v[i] = from[i] / norm;
    kernels.csrMatvec(r.indptr, r.indices, r.values, n, slot(nNull + m), r.w);
    kernels.dotColumns(slot(nNull), n, m + 1, r.w, r.h);
    const column = f64View(kernels, r.h, m + 1);
    for (let s = 0; s <= m; s++) {
      H[s * basisSize + m] = column[s];
      H[m * basisSize + s] = column[s];
    }
  };

  let m = 0;
  for (let b = 0; b < block; b++) {
    const target = w();
    if (b === 0) target.set(start);
    else for (let i = 0; i < n; i++) target[i] = rng.uniform(-1, 1);
    append(m++);
  }
  const theta = new Float64Array(count);
  let converged = false;
  for (let restart = 0; ; ) {
    // Ritz pairs, largest θ first.
    const projected = new Float64Array(m * m);
    for (let s = 0; s < m; s++) projected.set(H.subarray(s * basisSize, s * basisSize + m), s * m);
    const eig = symmetricEigen(projected, m);
    const ritz = f64View(kernels, r.ritz, m * m);
    for (let c = 0; c < m; c++) for (let s = 0; s < m; s++) ritz[s * m + c] = eig.vectors[s * m + m - 1 - c];
    const full = m + block > basisSize;
    kernels.combineColumns(slot(nNull), n, m, r.ritz, m, full ? keep : count, r.ritzVectors);
    converged = true;
    let corrections = 0;
    for (let c = 0; c < count; c++) {
      const y = r.ritzVectors + c * n * 8;
      kernels.csrMatvec(r.indptr, r.indices, r.values, n, y, r.w);
      const yv = f64View(kernels, y, n);
      const residual = w();
      let rayleigh = 0;
      for (let i = 0; i < n; i++) rayleigh += yv[i] * residual[i];
      let norm = 0;
      for (let i = 0; i < n; i++) {
        residual[i] -= rayleigh * yv[i];
        norm += residual[i] ** 2;
      }
      theta[c] = rayleigh;
      if (Math.sqrt(norm) <= tol) continue;
      converged = false;
      if (corrections === block) continue;
      const rhs = f64View(kernels, preconditioner.b, n);
      for (let i = 0; i < n; i++) rhs[i] = residual[i] * sqrtDegree[i];
      multigridCycle(kernels, preconditioner);
      const solution = f64View(kernels, preconditioner.x, n);
      const correction = f64View(kernels, r.corrections + corrections++ * n * 8, n);
      for (let i = 0; i < n; i++) correction[i] = solution[i] * sqrtDegree[i];
    }
    if (converged) break;
    if (full) {
      if (restart++ === maxRestarts) break;
      // The best `keep` Ritz vectors become the basis; H on them is diagonal.
      new Uint8Array(kernels.memory.buffer).copyWithin(slot(nNull), r.ritzVectors, r.ritzVectors + keep * n * 8);
      H.fill(0);
      for (let c = 0; c < keep; c++) H[c * basisSize + c] = eig.values[m - 1 - c];
      m = keep;
    }
    for (let c = 0; c < corrections; c++) {
      w().set(f64View(kernels, r.corrections + c * n * 8, n));
      append(m++);
    }
  }
  const vectors = Array.from({ length: count }, (_, c) => f64View(kernels, r.ritzVectors + c * n * 8, n).slice());
  const values = Float64Array.from({ length: count }, (_, c) => 1 - theta[c]);
  return { values, vectors, converged };
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
    const pairs = dense ? denseEigenpairs(lap, rest) : davidsonEigenpairs(lap, rest, start, options.eigenTol, options.maxRestarts);
    if (!pairs.converged) {
      options.onWarning(
        `the 'amg' eigensolver did not reach eigenTol=${options.eigenTol} within maxRestarts=${options.maxRestarts}; the embedding is approximate`,
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
export function spectralEmbedding(adjacency: CsrMatrix | DataInput, options?: SpectralEmbeddingOptions): Matrix64 {
  return spectralEmbeddingResult(adjacency, options).embedding;
}
