// The Lanczos iteration's kernels (assembly/manifold/krylov.ts) against naive float64 loops, on lengths that hit
// the odd last element and counts that hit the odd last vector.
import { describe, expect, test } from 'vitest';
import { f64, inWasm, kernels, useKernels } from '../kernels';
import { testRng } from '../reference';

useKernels();

const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));

/** A random sparse n × n matrix in CSR, each row with up to 5 entries (some rows empty), columns unsorted. */
function sparse(n: number, seed: number) {
  const rng = testRng(seed);
  const indptr = [0];
  const indices: number[] = [];
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const count = rng.int(6);
    for (let e = 0; e < count; e++) {
      indices.push(rng.int(n));
      data.push(rng.normal());
    }
    indptr.push(indices.length);
  }
  const times = (x: number[]) => Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) s += data[e] * x[indices[e]];
    return s;
  });
  return { indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), data: Float64Array.from(data), times };
}

const vector = (n: number, seed: number) => {
  const rng = testRng(seed);
  return Array.from({ length: n }, () => rng.normal());
};

describe('csrMatvec and csrChebyshevStep', () => {
  for (const n of [1, 2, 7, 30]) {
    test(`n=${n}`, () => {
      const A = sparse(n, n);
      const x = vector(n, 2 * n);
      const prev = vector(n, 3 * n);
      const ptr = inWasm({
        indptr: A.indptr, indices: A.indices, values: A.data, x: Float64Array.from(x), prev: Float64Array.from(prev), y: n * 8, out: n * 8,
      });
      kernels.csrMatvec(ptr.indptr, ptr.indices, ptr.values, n, ptr.x, ptr.y);
      const ax = A.times(x);
      close(f64(ptr.y, n), ax);
      kernels.csrChebyshevStep(ptr.indptr, ptr.indices, ptr.values, n, ptr.x, ptr.prev, ptr.out, 2, -0.5, -1);
      close(f64(ptr.out, n), ax.map((v, i) => 2 * v - 0.5 * x[i] - prev[i]));
    });
  }
});

describe('dotColumns, subtractColumns, combineColumns', () => {
  for (const [n, count] of [[1, 1], [7, 2], [8, 3], [29, 5]]) {
    test(`n=${n}, ${count} vectors`, () => {
      const V = Array.from({ length: count }, (_, c) => vector(n, 10 * c + n));
      const w = vector(n, 99);
      const S = Array.from({ length: count }, (_, j) => vector(2, 50 + j)); // count × 2, row-major
      const ptr = inWasm({ V: Float64Array.from(V.flat()), w: Float64Array.from(w), h: count * 8, S: Float64Array.from(S.flat()), out: 2 * n * 8 });
      kernels.dotColumns(ptr.V, n, count, ptr.w, ptr.h);
      const h = V.map((v) => v.reduce((s, x, i) => s + x * w[i], 0));
      close(f64(ptr.h, count), h);
      kernels.subtractColumns(ptr.V, n, count, ptr.h, ptr.w);
      close(f64(ptr.w, n), w.map((x, i) => x - V.reduce((s, v, c) => s + h[c] * v[i], 0)));
      kernels.combineColumns(ptr.V, n, count, ptr.S, 2, 2, ptr.out);
      const combined = [0, 1].flatMap((c) => Array.from({ length: n }, (_, i) => V.reduce((s, v, j) => s + v[i] * S[j][c], 0)));
      close(f64(ptr.out, 2 * n), combined);
    });
  }
});
