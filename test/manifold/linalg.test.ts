// symmetricEigen, svd and qrPivotColumns against known spectra, their defining identities, and scipy's pivots
// (test/fixtures/make_spectral_assign_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { qrPivotColumns, svd, symmetricEigen } from '../../src/manifold/linalg';
import { expectWasmeansError, testRng, fixture } from '../reference';

interface AssignCase {
  name: string;
  nSamples: number;
  nComponents: number;
  vectors: number[];
  qrPivots: number[];
}
const sklearn: { cases: AssignCase[] } = fixture('sklearn-spectral-assign.json');

/** C = A · B for row-major A (n × m) and B (m × p). */
function matmul(a: Float64Array, b: Float64Array, n: number, m: number, p: number): Float64Array {
  const c = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) for (let j = 0; j < p; j++) c[i * p + j] += a[i * m + k] * b[k * p + j];
  return c;
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max |QᵀQ − I| for a row-major n × n Q. */
function orthogonalityError(q: Float64Array, n: number): number {
  const g = matmul(transpose(q, n, n), q, n, n, n);
  for (let i = 0; i < n; i++) g[i * n + i] -= 1;
  return maxAbs(g);
}

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rng = testRng(seed);
  return Float64Array.from({ length: rows * cols }, () => rng.normal());
}

function randomSymmetric(n: number, seed: number): Float64Array {
  const b = randomMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = b[i * n + j] + b[j * n + i];
  return a;
}

/** Checks A·V = V·Λ, VᵀV = I and ascending values; returns the values. */
function checkEigen(a: Float64Array, n: number, tol = 1e-12): Float64Array {
  const copy = Float64Array.from(a);
  const { values, vectors } = symmetricEigen(a, n);
  expect(a).toEqual(copy);
  const scale = Math.max(maxAbs(a), 1);
  const av = matmul(a, vectors, n, n, n);
  const vl = vectors.map((x, idx) => x * values[idx % n]);
  expect(maxDiff(av, vl) / scale).toBeLessThan(tol * n);
  expect(orthogonalityError(vectors, n)).toBeLessThan(1e-13 * n);
  for (let j = 1; j < n; j++) expect(values[j]).toBeGreaterThanOrEqual(values[j - 1]);
  return values;
}

/** The normalized Laplacian I − D^{-1/2} W D^{-1/2} of a graph given by its edges. */
function normalizedLaplacian(n: number, edges: [number, number][]): Float64Array {
  const degree = new Float64Array(n);
  for (const [i, j] of edges) {
    degree[i]++;
    degree[j]++;
  }
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) l[i * n + i] = 1;
  for (const [i, j] of edges) {
    const w = 1 / Math.sqrt(degree[i] * degree[j]);
    l[i * n + j] -= w;
    l[j * n + i] -= w;
  }
  return l;
}

const path = (n: number, offset = 0): [number, number][] => Array.from({ length: n - 1 }, (_, i) => [offset + i, offset + i + 1]);
const cycle = (n: number, offset = 0): [number, number][] => [...path(n, offset), [offset + n - 1, offset]];
const ascending = (values: number[]) => Float64Array.from(values).sort();

function expectSpectrum(values: Float64Array, expected: Float64Array): void {
  expect(maxDiff(values, expected)).toBeLessThan(1e-12);
}

describe('symmetricEigen', () => {
  test.each([2, 3, 5, 10, 40, 100])('random symmetric %i × %i', (n) => {
    checkEigen(randomSymmetric(n, n), n);
  });

  test('reads only the lower triangle', () => {
    const a = randomSymmetric(6, 1);
    const lower = a.map((x, idx) => (idx % 6 > Math.floor(idx / 6) ? 99 : x));
    expect(symmetricEigen(lower, 6).values).toEqual(symmetricEigen(a, 6).values);
  });

  test.each([2, 3, 10, 57])('normalized Laplacian of the path P_%i: 1 − cos(πk/(n−1))', (n) => {
    const values = checkEigen(normalizedLaplacian(n, path(n)), n);
    expectSpectrum(values, ascending(Array.from({ length: n }, (_, k) => 1 - Math.cos((Math.PI * k) / (n - 1)))));
  });

  test.each([3, 4, 9, 64])('normalized Laplacian of the cycle C_%i: 1 − cos(2πk/n), with double eigenvalues', (n) => {
    const values = checkEigen(normalizedLaplacian(n, cycle(n)), n);
    expectSpectrum(values, ascending(Array.from({ length: n }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / n))));
  });

  test('disjoint union of P_7, C_10 and C_5: the union of the spectra, 0 three times', () => {
    const n = 22;
    const values = checkEigen(normalizedLaplacian(n, [...path(7), ...cycle(10, 7), ...cycle(5, 17)]), n);
    expectSpectrum(values, ascending([
      ...Array.from({ length: 7 }, (_, k) => 1 - Math.cos((Math.PI * k) / 6)),
      ...Array.from({ length: 10 }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / 10)),
      ...Array.from({ length: 5 }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / 5)),
    ]));
    expect(Math.abs(values[2])).toBeLessThan(1e-14);
    expect(values[3]).toBeGreaterThan(0.1);
  });

  test('identity, zero matrix and n = 1', () => {
    const n = 7;
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    expect(Array.from(checkEigen(identity, n))).toEqual(new Array(n).fill(1));
    expect(Array.from(checkEigen(new Float64Array(n * n), n))).toEqual(new Array(n).fill(0));
    const one = symmetricEigen(Float64Array.of(-3.5), 1);
    expect(Array.from(one.values)).toEqual([-3.5]);
    expect(Array.from(one.vectors)).toEqual([1]);
  });

  test('block diagonal with repeated blocks: each eigenvalue twice', () => {
    const b = randomSymmetric(4, 3);
    const n = 8;
    const a = new Float64Array(n * n);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        a[i * n + j] = b[i * 4 + j];
        a[(i + 4) * n + j + 4] = b[i * 4 + j];
      }
    }
    const values = checkEigen(a, n);
    const single = symmetricEigen(b, 4).values;
    expectSpectrum(values, ascending(Array.from(single).flatMap((x) => [x, x])));
  });

  test('diagonal matrix with a wide range of magnitudes', () => {
    const diag = [1e-8, -3, 1e6, 0, 2.5, 1e-300];
    const n = diag.length;
    const a = new Float64Array(n * n);
    diag.forEach((x, i) => (a[i * n + i] = x));
    expect(Array.from(checkEigen(a, n))).toEqual([...diag].sort((x, y) => x - y));
  });

  test('rejects a wrong length or non-finite entries', () => {
    expectWasmeansError(() => symmetricEigen(new Float64Array(5), 2), 'INVALID_INPUT', /2 × 2/);
    expectWasmeansError(() => symmetricEigen(Float64Array.of(1, NaN, NaN, 1), 2), 'INVALID_INPUT', /NaN/);
  });
});

/** Checks U·diag(s)·Vt = A, orthogonality and descending s; returns s. */
function checkSvd(a: Float64Array, rows: number, cols: number): Float64Array {
  const copy = Float64Array.from(a);
  const { u, s, vt } = svd(a, rows, cols);
  expect(a).toEqual(copy);
  expect(orthogonalityError(u, rows)).toBeLessThan(1e-13 * rows);
  expect(orthogonalityError(vt, cols)).toBeLessThan(1e-13 * cols);
  const us = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) us[i * cols + j] = u[i * rows + j] * s[j];
  const scale = Math.max(maxAbs(a), Number.MIN_VALUE);
  expect(maxDiff(matmul(us, vt, rows, cols, cols), a) / scale).toBeLessThan(1e-13 * cols);
  for (let j = 1; j < cols; j++) expect(s[j]).toBeLessThanOrEqual(s[j - 1]);
  expect(s[cols - 1]).toBeGreaterThanOrEqual(0);
  return s;
}

describe('svd', () => {
  test.each([
    [1, 1],
    [2, 2],
    [5, 5],
    [20, 20],
    [50, 50],
    [7, 3],
  ])('random %i × %i', (rows, cols) => {
    checkSvd(randomMatrix(rows, cols, rows * 100 + cols), rows, cols);
  });

  test('singular values of A are the square roots of the eigenvalues of AᵀA', () => {
    const n = 12;
    const a = randomMatrix(n, n, 5);
    const s = checkSvd(a, n, n);
    const eigen = symmetricEigen(matmul(transpose(a, n, n), a, n, n, n), n).values;
    expect(maxDiff(s, Array.from(eigen).reverse().map(Math.sqrt)) / s[0]).toBeLessThan(1e-12);
  });

  test('rank-deficient: exact zeros and a completed basis', () => {
    // Rank 2 in 6 × 6 (outer products), a zero column, and a zero matrix.
    const n = 6;
    const x = randomMatrix(n, 2, 8);
    const y = randomMatrix(2, n, 9);
    const s = checkSvd(matmul(x, y, n, 2, n), n, n);
    expect(s[1] / s[0]).toBeGreaterThan(1e-3);
    expect(maxAbs(s.subarray(2)) / s[0]).toBeLessThan(1e-14);
    const a = randomMatrix(n, n, 10);
    for (let i = 0; i < n; i++) a[i * n + 2] = 0;
    expect(checkSvd(a, n, n)[n - 1]).toBe(0);
    expect(Array.from(checkSvd(new Float64Array(16), 4, 4))).toEqual([0, 0, 0, 0]);
    // Tall rank-1: U must still be a full 5 × 5 orthogonal matrix.
    checkSvd(Float64Array.from({ length: 10 }, (_, i) => (i % 2 ? 2 : 1) * (Math.floor(i / 2) + 1)), 5, 2);
  });

  test('repeated singular values (an orthogonal matrix times 3)', () => {
    const q = symmetricEigen(randomSymmetric(5, 4), 5).vectors.map((v) => 3 * v);
    const s = checkSvd(q, 5, 5);
    expect(maxDiff(s, [3, 3, 3, 3, 3])).toBeLessThan(1e-14);
  });

  test('rejects rows < cols', () => {
    expectWasmeansError(() => svd(new Float64Array(6), 2, 3), 'INVALID_INPUT', /rows ≥ cols/);
  });
});

describe('qrPivotColumns', () => {
  test('a hand-checkable case', () => {
    // Column norms 1, 5, 3, 5: column 1 first (tie with 3, lowest index). Removing the direction (3, 4, 0)
    // leaves column 3 = (0, 0, 5) with 5, column 2 = (0, 3, 0) with 3·3/5, column 0 = (1, 0, 0) with 4/5.
    const a = Float64Array.from([
      [1, 3, 0, 0],
      [0, 4, 3, 0],
      [0, 0, 0, 5],
    ].flat());
    expect(Array.from(qrPivotColumns(a, 3, 4))).toEqual([1, 3, 2, 0]);
    // Full rank, identity-like: no swaps needed; a zero matrix keeps the order.
    expect(Array.from(qrPivotColumns(Float64Array.of(2, 0, 0, 1), 2, 2))).toEqual([0, 1]);
    expect(Array.from(qrPivotColumns(new Float64Array(6), 2, 3))).toEqual([0, 1, 2]);
  });

  test.each(sklearn.cases.map((c) => [c.name, c] as const))("scipy's qr(vectors.T, pivoting=True) on %s", (_, c) => {
    const t = transpose(Float64Array.from(c.vectors), c.nSamples, c.nComponents);
    const pivots = qrPivotColumns(t, c.nComponents, c.nSamples);
    expect(Array.from(pivots.subarray(0, c.nComponents))).toEqual(c.qrPivots.slice(0, c.nComponents));
    expect(Array.from(pivots)).toEqual(c.qrPivots);
  });
});
