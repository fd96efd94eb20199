// The two label assignments of scikit-learn 1.2.1's spectral clustering besides k-means: `discretize` (Yu & Shi)
// and `cluster_qr` (Damle, Minden & Ying), line for line, so that on the same embedding they give the same labels.
import { WasmeansError } from '../core/errors';
import { checkMatrix, qrPivotColumns, svd } from '../manifold/linalg';
import type { RandomState } from '../core/random';

/** numpy's machine epsilon, the ncut convergence threshold of `discretize`. */
const EPS = 2.220446049250313e-16;

/**
 * The partition closest to the embedding `vectors` (row-major nSamples × nComponents), searched by alternating
 * a discrete partition and a rotation (scikit-learn's `discretize`). The rotation's first column is the row
 * `rng.randint(nSamples)`: exactly one draw, as numpy's scalar `random_state.randint(n_samples)`. Our SVD
 * cannot fail, so there is never a restart (scikit-learn retries up to maxSvdRestarts times on LinAlgError).
 */
export function discretize(
  vectors: Float64Array,
  nSamples: number,
  nComponents: number,
  rng: RandomState,
  maxSvdRestarts = 30,
  nIterMax = 20,
): Int32Array {
  checkMatrix(vectors, nSamples, nComponents, 'discretize');
  if (!(maxSvdRestarts >= 1)) {
    throw new WasmeansError('INVALID_PARAMETER', `maxSvdRestarts must be at least 1, got ${maxSvdRestarts}`);
  }
  const n = nSamples;
  const k = nComponents;
  const v = Float64Array.from(vectors);
  // Columns to norm sqrt(n), each pointing negative at its first element.
  const normOnes = Math.sqrt(n);
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += v[i * k + j] ** 2;
    const norm = Math.sqrt(sum);
    for (let i = 0; i < n; i++) v[i * k + j] = (v[i * k + j] / norm) * normOnes;
    const sign = Math.sign(v[j]);
    if (sign !== 0) for (let i = 0; i < n; i++) v[i * k + j] = -1 * v[i * k + j] * sign;
  }
  // Rows onto the unit sphere.
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += v[i * k + j] ** 2;
    const norm = Math.sqrt(sum);
    for (let j = 0; j < k; j++) v[i * k + j] /= norm;
  }

  // The initial rotation: a random row, then rows as orthogonal as possible to those already taken.
  let rotation = new Float64Array(k * k);
  const setColumn = (j: number, row: number) => {
    for (let a = 0; a < k; a++) rotation[a * k + j] = v[row * k + a];
  };
  setColumn(0, rng.randint(n));
  const c = new Float64Array(n);
  for (let j = 1; j < k; j++) {
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let a = 0; a < k; a++) dot += v[i * k + a] * rotation[a * k + j - 1];
      c[i] += Math.abs(dot);
    }
    let best = 0;
    for (let i = 1; i < n; i++) if (c[i] < c[best]) best = i;
    setColumn(j, best);
  }

  let lastObjective = 0;
  for (let iter = 1; ; iter++) {
    const labels = argmaxRows(matmul(v, rotation, n, k, k), n, k, false);
    // Per cluster, the sum of its rows: the partition matrix transposed times the embedding.
    const tSvd = new Float64Array(k * k);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) tSvd[labels[i] * k + a] += v[i * k + a];
    const { u, s, vt } = svd(tSvd, k, k);
    let sumS = 0;
    for (let a = 0; a < k; a++) sumS += s[a];
    const ncut = 2 * (n - sumS);
    if (Math.abs(ncut - lastObjective) < EPS || iter > nIterMax) return labels;
    lastObjective = ncut;
    // rotation = Vhᵀ · Uᵀ
    rotation = new Float64Array(k * k);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let sum = 0;
        for (let m = 0; m < k; m++) sum += vt[m * k + a] * u[b * k + m];
        rotation[a * k + b] = sum;
      }
    }
  }
}

/**
 * Labels from the embedding `vectors` (row-major nSamples × nComponents) by QR with column pivoting on its
 * transpose (scikit-learn's `cluster_qr`): the first nComponents pivots pick representative rows, whose
 * orthogonal polar factor rotates the embedding; each row takes the column of largest magnitude.
 */
export function clusterQr(vectors: Float64Array, nSamples: number, nComponents: number): Int32Array {
  checkMatrix(vectors, nSamples, nComponents, 'clusterQr');
  const n = nSamples;
  const k = nComponents;
  if (k > n) throw new WasmeansError('INVALID_INPUT', `clusterQr: needs nComponents ≤ nSamples, got ${k} > ${n}`);
  const transposed = new Float64Array(k * n);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) transposed[a * n + i] = vectors[i * k + a];
  const pivots = qrPivotColumns(transposed, k, n);
  // vectors[piv[:k], :].T and the orthogonal factor U · Vh of its SVD.
  const picked = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) picked[a * k + b] = vectors[pivots[b] * k + a];
  const { u, vt } = svd(picked, k, k);
  return argmaxRows(matmul(vectors, matmul(u, vt, k, k, k), n, k, k), n, k, true);
}

/** C = A · B for row-major A (n × m) and B (m × p). */
function matmul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) {
      let sum = 0;
      for (let t = 0; t < m; t++) sum += a[i * m + t] * b[t * p + j];
      out[i * p + j] = sum;
    }
  }
  return out;
}

/** Each row's argmax (of the absolute values if `abs`), as numpy: the first maximum, or the first NaN. */
function argmaxRows(a: Float64Array, rows: number, cols: number, abs: boolean): Int32Array {
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) {
      const x = abs ? Math.abs(a[i * cols + j]) : a[i * cols + j];
      if (Number.isNaN(x)) {
        best = j;
        break;
      }
      if (x > max) {
        max = x;
        best = j;
      }
    }
    labels[i] = best;
  }
  return labels;
}
