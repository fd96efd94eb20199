// The spectral embedding's multigrid preconditioner (src/manifold/amg.ts) on the Laplacian G = D − A of a random
// geometric graph, against its dense pseudo-inverse: one V-cycle is a symmetric operator, and as a stationary
// iteration x ← x + M·(b − G·x) it shrinks the error (energy norm) every cycle, five times over in five.
import { describe, expect, test } from 'vitest';
import { buildMultigrid, loadMultigrid, multigridCycle } from '../../src/manifold/amg';
import { symmetricEigen } from '../../src/manifold/linalg';
import { f64View } from '../../src/runtime/arena';
import { kernels, useKernels } from '../kernels';
import { testRng } from '../reference';

useKernels();

const n = 600;
/** G of 600 points in the unit square joined within radius 0.08 (one component, checked below), as dense and CSR. */
function laplacian() {
  const rng = testRng(7);
  const points = Array.from({ length: n }, () => [rng.uniform(), rng.uniform()]);
  const dense = new Float64Array(n * n);
  points.forEach((p, i) => points.forEach((q, j) => {
    if (i !== j && (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 < 0.08 ** 2) {
      dense[i * n + j] = -1;
      dense[i * n + i] += 1;
    }
  }));
  const indptr = new Int32Array(n + 1);
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (dense[i * n + j] !== 0) {
        indices.push(j);
        data.push(dense[i * n + j]);
      }
    }
    indptr[i + 1] = indices.length;
  }
  return { dense, csr: { indptr, indices: Int32Array.from(indices), data: Float64Array.from(data), rows: n, cols: n } };
}

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
/** a minus its mean: the component orthogonal to G's null vector (the constants). */
const centered = (a: Float64Array) => {
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  return a.map((v) => v - mean);
};

describe('multigrid preconditioner', () => {
  test('a coarse level below the graph; the V-cycle is symmetric and contracts the error of G·x = b', () => {
    const { dense, csr } = laplacian();
    const { values, vectors } = symmetricEigen(dense, n);
    // Connected: one zero eigenvalue.
    expect(values.filter((v) => v < 1e-9).length).toBe(1);
    const mg = buildMultigrid(csr);
    expect(mg.levels.length).toBeGreaterThanOrEqual(2);
    const loaded = loadMultigrid(kernels, mg, 'amg test');
    const apply = (b: Float64Array) => {
      f64View(kernels, loaded.b, n).set(b);
      multigridCycle(kernels, loaded);
      return f64View(kernels, loaded.x, n).slice();
    };
    const rng = testRng(8);
    const a = centered(Float64Array.from({ length: n }, () => rng.normal()));
    const b = centered(Float64Array.from({ length: n }, () => rng.normal()));
    const ma = apply(a);
    const mb = apply(b);
    expect(Math.abs(dot(ma, b) - dot(a, mb))).toBeLessThan(1e-10 * Math.sqrt(dot(ma, ma) * dot(b, b)));

    // The solution G⁺·b from the dense eigendecomposition.
    const exact = new Float64Array(n);
    for (let c = 0; c < n; c++) {
      if (values[c] < 1e-9) continue;
      let coefficient = 0;
      for (let i = 0; i < n; i++) coefficient += vectors[i * n + c] * b[i];
      for (let i = 0; i < n; i++) exact[i] += (coefficient / values[c]) * vectors[i * n + c];
    }
    const x = new Float64Array(n);
    const times = (v: Float64Array) => Float64Array.from({ length: n }, (_, i) => {
      let s = 0;
      for (let e = csr.indptr[i]; e < csr.indptr[i + 1]; e++) s += csr.data[e] * v[csr.indices[e]];
      return s;
    });
    // The energy norm √(eᵀ·G·e), in which a multigrid cycle contracts.
    const errorNorm = () => {
      const e = x.map((v, i) => v - exact[i]);
      return Math.sqrt(dot(e, times(e)));
    };
    const initial = errorNorm();
    let error = initial;
    for (let cycle = 0; cycle < 5; cycle++) {
      const gx = times(x);
      const correction = apply(b.map((v, i) => v - gx[i]));
      for (let i = 0; i < n; i++) x[i] += correction[i];
      const next = errorNorm();
      expect(next).toBeLessThan(0.9 * error);
      error = next;
    }
    expect(error).toBeLessThan(initial / 5);
  });
});
