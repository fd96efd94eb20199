// Small dense float64 linear algebra for spectral clustering: row-major Float64Array matrices, sizes up to a few
// hundred (eigen) or about fifty (SVD), where plain loops beat any setup cost. Inputs are never mutated.
import { WasmeansError } from '../core/errors';

const EPS = 2 ** -52;

/** Throws unless `a` holds a rows × cols matrix of finite numbers. */
export function checkMatrix(a: Float64Array, rows: number, cols: number, name: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || a.length !== rows * cols) {
    throw new WasmeansError('INVALID_INPUT', `${name}: expected a ${rows} × ${cols} matrix, got length ${a.length}`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new WasmeansError('INVALID_INPUT', `${name}: entry ${i} is ${a[i]}`);
  }
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a symmetric n × n matrix: eigenvector j is column j
 * of `vectors` (vectors[i * n + j]). Householder tridiagonalization and the implicit QL method with shifts,
 * EISPACK's tred2/tql2 as in JAMA's EigenvalueDecomposition; only the lower triangle is read.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  checkMatrix(a, n, n, 'symmetricEigen');
  const v = Float64Array.from(a);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) v[i * n + j] = v[j * n + i];
  tred2(v, d, e, n);
  tql2(v, d, e, n);
  return { values: d, vectors: v };
}

/** Householder reduction to tridiagonal form: d the diagonal, e the subdiagonal (e[0] = 0), v the transform. */
function tred2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j];
  for (let i = n - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[j * n + i] = f;
        g = e[j] + v[j * n + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j] * d[k];
          e[k] += v[k * n + j] * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        for (let k = j; k <= i - 1; k++) v[k * n + j] -= f * e[k] + g * d[k];
        d[j] = v[(i - 1) * n + j];
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i];
    v[i * n + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1] / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1] * v[k * n + j];
        for (let k = 0; k <= i; k++) v[k * n + j] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j];
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), accumulated into v; then sorts ascending. */
function tql2(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    // Find a small subdiagonal element; e[n - 1] = 0 ends the search.
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    // If m === l, d[l] is already an eigenvalue; otherwise iterate (converges in a few steps; the cap is a guard).
    for (let iter = 0; m > l && iter < 100; iter++) {
      // Compute the implicit shift.
      let g = d[l];
      let p = (d[l + 1] - g) / (2 * e[l]);
      let r = Math.hypot(p, 1);
      if (p < 0) r = -r;
      d[l] = e[l] / (p + r);
      d[l + 1] = e[l] * (p + r);
      const dl1 = d[l + 1];
      let h = g - d[l];
      for (let i = l + 2; i < n; i++) d[i] -= h;
      f += h;
      // Implicit QL transformation.
      p = d[m];
      let c = 1;
      let c2 = c;
      let c3 = c;
      const el1 = e[l + 1];
      let s = 0;
      let s2 = 0;
      for (let i = m - 1; i >= l; i--) {
        c3 = c2;
        c2 = c;
        s2 = s;
        g = c * e[i];
        h = c * p;
        r = Math.hypot(p, e[i]);
        e[i + 1] = s * r;
        s = e[i] / r;
        c = p / r;
        p = c * d[i] - s * g;
        d[i + 1] = h + s * (c * g + s * d[i]);
        for (let k = 0; k < n; k++) {
          const row = k * n;
          h = v[row + i + 1];
          v[row + i + 1] = s * v[row + i] + c * h;
          v[row + i] = c * v[row + i] - s * h;
        }
      }
      p = (-s * s2 * c3 * el1 * e[l]) / dl1;
      e[l] = s * p;
      d[l] = c * p;
      if (!(Math.abs(e[l]) > EPS * tst1)) break;
    }
    d[l] += f;
    e[l] = 0;
  }
  // Selection sort of the eigenvalues (and their columns) ascending.
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i];
    for (let j = i + 1; j < n; j++) {
      if (d[j] < p) {
        k = j;
        p = d[j];
      }
    }
    if (k !== i) {
      d[k] = d[i];
      d[i] = p;
      swapColumns(v, n, n, i, k);
    }
  }
}

function swapColumns(a: Float64Array, rows: number, cols: number, i: number, j: number): void {
  for (let r = 0; r < rows; r++) {
    const t = a[r * cols + i];
    a[r * cols + i] = a[r * cols + j];
    a[r * cols + j] = t;
  }
}

/**
 * Singular value decomposition A = U · diag(s) · Vt of a rows × cols matrix with rows ≥ cols, as numpy's
 * `svd(a, full_matrices=True)`: s descending (length cols), U rows × rows and Vt cols × cols orthogonal, the
 * columns of U beyond the rank completed to an orthonormal basis. One-sided Jacobi (Hestenes), accurate for
 * the small matrices spectral clustering needs (k × k); signs of singular vector pairs are arbitrary.
 */
export function svd(a: Float64Array, rows: number, cols: number): { u: Float64Array; s: Float64Array; vt: Float64Array } {
  checkMatrix(a, rows, cols, 'svd');
  if (rows < cols) throw new WasmeansError('INVALID_INPUT', `svd: needs rows ≥ cols, got ${rows} × ${cols}`);
  // Work column-major: w[j * rows + i] = A[i][j], so that each rotation touches two contiguous columns.
  const w = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[j * rows + i] = a[i * cols + j];
  const v = new Float64Array(cols * cols); // column-major too: v[j * cols + i] = V[i][j]
  for (let j = 0; j < cols; j++) v[j * cols + j] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const x = w[p * rows + i];
          const y = w[q * rows + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        // Columns orthogonal to working precision (or zero) need no rotation.
        if (!(Math.abs(gamma) > EPS * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        rotate(w, rows, p, q, c, c * t);
        rotate(v, cols, p, q, c, c * t);
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += w[j * rows + i] ** 2;
    norms[j] = Math.sqrt(sum);
  }
  const order = Array.from({ length: cols }, (_, j) => j).sort((x, y) => norms[y] - norms[x] || x - y);
  const s = new Float64Array(cols);
  const u = new Float64Array(rows * rows);
  const vt = new Float64Array(cols * cols);
  // Columns of U from the rotated columns of A, in descending order; those of (numerically) zero norm are left
  // empty and filled in by the completion below.
  const tiny = rows * EPS * norms[order[0]];
  const uColumns = new Float64Array(rows * rows); // column-major
  for (let r = 0; r < cols; r++) {
    const j = order[r];
    s[r] = norms[j];
    for (let i = 0; i < cols; i++) vt[r * cols + i] = v[j * cols + i];
    if (norms[j] > tiny) for (let i = 0; i < rows; i++) uColumns[r * rows + i] = w[j * rows + i] / norms[j];
  }
  orthonormalize(uColumns, rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < rows; j++) u[i * rows + j] = uColumns[j * rows + i];
  return { u, s, vt };
}

/** Plane rotation of columns p and q of a column-major matrix with `len` rows: (p, q) ← (c·p − s·q, s·p + c·q). */
function rotate(m: Float64Array, len: number, p: number, q: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const x = m[p * len + i];
    const y = m[q * len + i];
    m[p * len + i] = c * x - s * y;
    m[q * len + i] = s * x + c * y;
  }
}

/**
 * Makes the n columns of a column-major n × n matrix orthonormal in order (Gram–Schmidt, twice for
 * stability); a column that loses most of its norm (or was zero) is replaced by the standard basis vector
 * least represented so far, which completes the basis.
 */
function orthonormalize(q: Float64Array, n: number): void {
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.set(q.subarray(j * n, (j + 1) * n));
    let norm = project(q, n, j, column);
    if (norm < 0.5) {
      // The basis vector e_b with the smallest component in the span so far is the furthest from it.
      let best = 0;
      let bestWeight = Infinity;
      for (let b = 0; b < n; b++) {
        let weight = 0;
        for (let k = 0; k < j; k++) weight += q[k * n + b] ** 2;
        if (weight < bestWeight) {
          bestWeight = weight;
          best = b;
        }
      }
      column.fill(0);
      column[best] = 1;
      norm = project(q, n, j, column);
    }
    for (let i = 0; i < n; i++) q[j * n + i] = column[i] / norm;
  }
}

/** Removes from `column` its components along the first j columns of q (twice), returning its remaining norm. */
function project(q: Float64Array, n: number, j: number, column: Float64Array): number {
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[k * n + i] * column[i];
      for (let i = 0; i < n; i++) column[i] -= dot * q[k * n + i];
    }
  }
  let sum = 0;
  for (let i = 0; i < n; i++) sum += column[i] ** 2;
  return Math.sqrt(sum);
}

/**
 * The column permutation of QR with column pivoting, as LAPACK's dgeqp3 (scipy's `qr(a, pivoting=True)`)
 * chooses it: step i swaps into position i the remaining column of largest residual norm (ties to the lowest
 * position), for min(rows, cols) steps. Residual norms are recomputed from the reflected columns at every step
 * rather than downdated, so they are exact to rounding.
 */
export function qrPivotColumns(a: Float64Array, rows: number, cols: number): Int32Array {
  checkMatrix(a, rows, cols, 'qrPivotColumns');
  // Column-major copy: c[j * rows + i] = A[i][j].
  const c = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) c[j * rows + i] = a[i * cols + j];
  const perm = new Int32Array(cols);
  for (let j = 0; j < cols; j++) perm[j] = j;
  const steps = Math.min(rows, cols);
  const reflector = new Float64Array(rows);
  for (let i = 0; i < steps; i++) {
    let pivot = i;
    let best = -1;
    for (let j = i; j < cols; j++) {
      let sum = 0;
      for (let r = i; r < rows; r++) sum += c[j * rows + r] ** 2;
      if (sum > best) {
        best = sum;
        pivot = j;
      }
    }
    if (pivot !== i) {
      for (let r = 0; r < rows; r++) {
        const t = c[i * rows + r];
        c[i * rows + r] = c[pivot * rows + r];
        c[pivot * rows + r] = t;
      }
      const t = perm[i];
      perm[i] = perm[pivot];
      perm[pivot] = t;
    }
    // Householder reflector H = I − 2·w·wᵀ/(wᵀw) mapping column i's rows i.. onto a multiple of e_i.
    const norm = Math.sqrt(best);
    if (norm === 0 || i === rows - 1) continue;
    const x0 = c[i * rows + i];
    const alpha = x0 >= 0 ? -norm : norm;
    reflector.fill(0);
    for (let r = i; r < rows; r++) reflector[r] = c[i * rows + r];
    reflector[i] = x0 - alpha;
    let wtw = 0;
    for (let r = i; r < rows; r++) wtw += reflector[r] ** 2;
    for (let j = i; j < cols; j++) {
      let dot = 0;
      for (let r = i; r < rows; r++) dot += reflector[r] * c[j * rows + r];
      const scale = (2 * dot) / wtw;
      for (let r = i; r < rows; r++) c[j * rows + r] -= scale * reflector[r];
    }
  }
  return perm;
}
