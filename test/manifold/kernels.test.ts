// The spectral embedding's and t-SNE's kernels (assembly/manifold/) against naive float64 loops, on lengths that hit
// the odd last element and counts that hit the odd last vector.
import { describe, expect, test } from 'vitest';
import { f32, f64, inWasm, kernels, useKernels } from '../kernels';
import { f64View } from '../../src/runtime/arena';
import { testRng } from '../reference';
import { fftLength } from '../../src/manifold/tsne';

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

describe('csrMatvec, csrMultiplyAdd and csrGaussSeidel', () => {
  for (const n of [1, 2, 7, 30]) {
    test(`n=${n}`, () => {
      const A = sparse(n, n);
      const x = vector(n, 2 * n);
      const y0 = vector(n, 3 * n);
      const diag = vector(n, 4 * n).map((v, i) => (i % 5 === 3 ? 0 : 3 + Math.abs(v)));
      const b = vector(n, 5 * n);
      const ptr = inWasm({
        indptr: A.indptr, indices: A.indices, values: A.data, x: Float64Array.from(x), y: n * 8, acc: Float64Array.from(y0),
        diag: Float64Array.from(diag), b: Float64Array.from(b), forward: Float64Array.from(x), backward: Float64Array.from(x),
      });
      kernels.csrMatvec(ptr.indptr, ptr.indices, ptr.values, n, ptr.x, ptr.y);
      const ax = A.times(x);
      close(f64(ptr.y, n), ax);
      kernels.csrMultiplyAdd(ptr.indptr, ptr.indices, ptr.values, n, ptr.x, ptr.acc, -0.5);
      close(f64(ptr.acc, n), ax.map((v, i) => y0[i] - 0.5 * v));
      // Row by row, x_i += (b_i − (A·x)_i)/d_i with the rows already swept in place; d_i = 0 skips the row.
      for (const [forward, at] of [[1, ptr.forward], [0, ptr.backward]] as const) {
        kernels.csrGaussSeidel(ptr.indptr, ptr.indices, ptr.values, ptr.diag, n, ptr.b, at, forward);
        const expected = x.slice();
        for (let t = 0; t < n; t++) {
          const i = forward ? t : n - 1 - t;
          if (diag[i] === 0) continue;
          let sum = b[i];
          for (let e = A.indptr[i]; e < A.indptr[i + 1]; e++) sum -= A.data[e] * expected[A.indices[e]];
          expected[i] += sum / diag[i];
        }
        close(f64(at, n), expected);
      }
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

// t-SNE's kernels (assembly/manifold/tsne.ts) against naive float64 loops.
describe('t-SNE kernels', () => {
  const points = (n: number, dim: number, seed: number, spread = 3) => {
    const rng = testRng(seed);
    return Float32Array.from({ length: n * dim }, () => rng.normal() * spread);
  };
  const studentT = (d2: number, dof: number) => (dof / (dof + d2)) ** ((dof + 1) / 2);

  test('perplexityRows: each row sums to 1 at the desired entropy; the diagonal left out when asked', () => {
    const rng = testRng(5);
    for (const [nRows, nCols, skip] of [[6, 9, 0], [9, 9, 1]]) {
      const d = Float32Array.from({ length: nRows * nCols }, () => rng.int(50) + rng.normal() ** 2);
      const ptr = inWasm({ d, p: nRows * nCols * 8 });
      kernels.perplexityRows(ptr.d, nCols, skip, 4, ptr.p, 0, nRows);
      const p = f64(ptr.p, nRows * nCols);
      for (let i = 0; i < nRows; i++) {
        const row = p.slice(i * nCols, (i + 1) * nCols);
        if (skip) expect(row[i]).toBe(0);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        const entropy = -row.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);
        expect(Math.abs(entropy - Math.log(4))).toBeLessThan(1e-4);
      }
    }
  });

  for (const dim of [1, 2, 3]) {
    test(`tsneAttractive, bhGradient: ${dim} dimensions`, () => {
      const n = 23;
      const rng = testRng(dim);
      const y = points(n, dim, 10 + dim);
      const indptr = [0];
      const indices: number[] = [];
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) if (j !== i && rng.int(3) === 0) indices.push(j);
        indptr.push(indices.length);
      }
      const values = Float32Array.from(indices, () => rng.int(100) / 1000 + 0.001);
      const dof = Math.max(dim - 1, 1);
      const sumQ = 17.5;
      const ptr = inWasm({ indptr: Int32Array.from(indptr), indices: Int32Array.from(indices), values, y, force: n * dim * 4, repulse: points(n, dim, 3), grad: n * dim * 4 });
      for (const computeError of [0, 1]) {
        const error = kernels.tsneAttractive(ptr.indptr, ptr.indices, ptr.values, ptr.y, dim, dof, sumQ, computeError, ptr.force, 0, n);
        const force = f32(ptr.force, n * dim);
        let expectedError = 0;
        for (let i = 0; i < n; i++) {
          const expected = new Array(dim).fill(0);
          for (let e = indptr[i]; e < indptr[i + 1]; e++) {
            const j = indices[e];
            let d2 = 0;
            for (let t = 0; t < dim; t++) d2 += (y[i * dim + t] - y[j * dim + t]) ** 2;
            const q = studentT(d2, dof);
            for (let t = 0; t < dim; t++) expected[t] += values[e] * q * (y[i * dim + t] - y[j * dim + t]);
            expectedError += values[e] * Math.log(values[e] / (q / sumQ));
          }
          for (let t = 0; t < dim; t++) expect(force[i * dim + t]).toBeCloseTo(expected[t], 5);
        }
        if (computeError) expect(error).toBeCloseTo(expectedError, 5);
      }
      kernels.bhGradient(ptr.force, ptr.repulse, n * dim, sumQ, 4, ptr.grad);
      const force = f32(ptr.force, n * dim);
      const repulse = f32(ptr.repulse, n * dim);
      f32(ptr.grad, n * dim).forEach((g, k) => expect(g).toBeCloseTo((force[k] - repulse[k] / sumQ) * 4, 5));
    });

    test(`bhBuild and bhRepulsive: ${dim} dimensions, exact at angle 0, duplicates left out, room refused`, () => {
      const n = 150;
      const y = points(n, dim, 20 + dim);
      // Two duplicates of point 0 and a cluster of near points (deep cells).
      for (let t = 0; t < dim; t++) {
        y[dim + t] = y[t];
        y[2 * dim + t] = y[t] + 1e-7;
        for (let k = 3; k < 12; k++) y[k * dim + t] = 5 + k * 1e-3 * (t + 1);
      }
      const capacity = 4 * n;
      const slots = n + 3 * capacity;
      const ptr = inWasm({
        y, tree: capacity * 136, packed: capacity * Math.ceil((1 << dim) / 4) * 96, next: n * 4, ordered: slots * (dim + 1) * 4, index: slots * 4,
        stack: 64 * (1 << dim) * 4, list: 16 * (capacity + 4) + 16 * slots + 4 * capacity, neg: n * dim * 4,
      });
      expect(kernels.bhBuild(ptr.y, n, dim, 3, ptr.tree, ptr.packed, ptr.next, ptr.ordered, ptr.index)).toBe(-1);
      const cells = kernels.bhBuild(ptr.y, n, dim, capacity, ptr.tree, ptr.packed, ptr.next, ptr.ordered, ptr.index);
      expect(cells).toBeGreaterThan(1);
      const dof = Math.max(dim - 1, 1);
      const sumQ = kernels.bhRepulsive(ptr.tree, ptr.packed, ptr.ordered, ptr.index, n, slots, dim, dof, 0, capacity, ptr.stack, ptr.list, ptr.neg, 0, cells);
      const neg = f32(ptr.neg, n * dim);
      let expectedSum = 0;
      for (let i = 0; i < n; i++) {
        const expected = new Array(dim).fill(0);
        for (let j = 0; j < n; j++) {
          let d2 = 0;
          let duplicate = true;
          for (let t = 0; t < dim; t++) {
            const dt = y[i * dim + t] - y[j * dim + t];
            d2 += dt * dt;
            duplicate &&= Math.abs(dt) <= 1e-6;
          }
          if (duplicate) continue;
          const q = studentT(d2, dof);
          expectedSum += q;
          for (let t = 0; t < dim; t++) expected[t] += q * q * (y[i * dim + t] - y[j * dim + t]);
        }
        for (let t = 0; t < dim; t++) expect(neg[i * dim + t]).toBeCloseTo(expected[t], 4);
      }
      expect(sumQ / expectedSum).toBeCloseTo(1, 5);
    });
  }

  test('tsneExactGradient: the naive float64 gradient and KL', () => {
    for (const dim of [2, 4]) {
      const n = 12;
      const rng = testRng(dim + 40);
      const y = points(n, dim, dim + 41);
      const P = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) P[i * n + j] = P[j * n + i] = rng.int(20) / 1000 + 1e-4;
      const dof = Math.max(dim - 1, 1);
      const ptr = inWasm({ P, y, grad: n * dim * 4 });
      const kl = kernels.tsneExactGradient(ptr.P, ptr.y, n, dim, dof, 2, ptr.grad);
      const w = (i: number, j: number) => {
        let d2 = 0;
        for (let t = 0; t < dim; t++) d2 += (y[i * dim + t] - y[j * dim + t]) ** 2;
        return (1 + d2 / dof) ** (-(dof + 1) / 2);
      };
      let total = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) total += w(i, j);
      let expectedKl = 0;
      const grad = f32(ptr.grad, n * dim);
      for (let i = 0; i < n; i++) {
        const expected = new Array(dim).fill(0);
        for (let j = 0; j < n; j++) {
          if (j === i) continue;
          const q = w(i, j) / total;
          if (j > i) expectedKl += 2 * 2 * P[i * n + j] * Math.log((2 * P[i * n + j]) / q);
          for (let t = 0; t < dim; t++) expected[t] += ((2 * (dof + 1)) / dof) * (2 * P[i * n + j] - q) * w(i, j) * (y[i * dim + t] - y[j * dim + t]);
        }
        for (let t = 0; t < dim; t++) expect(grad[i * dim + t]).toBeCloseTo(expected[t], 5);
      }
      expect(kl).toBeCloseTo(expectedKl, 10);
    }
  });

  test('tsneStep: gains, momentum and the step in float32', () => {
    const count = 11;
    const rng = testRng(77);
    const grad = Float32Array.from({ length: count }, () => rng.normal());
    const update = Float32Array.from({ length: count }, () => rng.normal());
    const gains = Float32Array.from({ length: count }, () => (rng.int(3) === 0 ? 0.011 : 1 + rng.int(5) / 10));
    const pos = Float32Array.from({ length: count }, () => rng.normal());
    const ptr = inWasm({ grad, update, gains, pos });
    const norm2 = kernels.tsneStep(ptr.grad, ptr.update, ptr.gains, ptr.pos, count, Math.fround(0.8), Math.fround(150), Math.fround(0.01));
    const f = Math.fround;
    let expectedNorm = 0;
    for (let k = 0; k < count; k++) {
      let gain = update[k] * grad[k] < 0 ? f(gains[k] + f(0.2)) : f(gains[k] * f(0.8));
      gain = Math.max(gain, f(0.01));
      const g = f(grad[k] * gain);
      const u = f(f(f(0.8) * update[k]) - f(f(150) * g));
      expect(f32(ptr.gains, count)[k]).toBe(gain);
      expect(f32(ptr.update, count)[k]).toBe(u);
      expect(f32(ptr.pos, count)[k]).toBe(f(pos[k] + u));
      expectedNorm += g * g;
    }
    expect(norm2).toBeCloseTo(expectedNorm, 10);
  });
});

describe('fftRows and fftColumns ≡ a naive DFT', () => {
  /** The DFT of the complex sequence (re, im interleaved), e^(∓2πi·jk/n), unscaled. */
  const dft = (x: number[], inverse: boolean) => {
    const n = x.length / 2;
    const out = new Array<number>(2 * n).fill(0);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const angle = ((inverse ? 2 : -2) * Math.PI * ((j * k) % n)) / n;
        out[2 * k] += x[2 * j] * Math.cos(angle) - x[2 * j + 1] * Math.sin(angle);
        out[2 * k + 1] += x[2 * j] * Math.sin(angle) + x[2 * j + 1] * Math.cos(angle);
      }
    }
    return out;
  };
  const closeTo = (a: number[], b: number[], n: number) => {
    const scale = Math.max(1, ...b.map(Math.abs));
    a.forEach((v, i) => expect(Math.abs(v - b[i]) / scale).toBeLessThan(1e-13 * n));
  };

  for (const n of [2, 6, 8, 12, 18, 24, 54, 96, 162]) {
    test(`n=${n}, forward and inverse, rows and columns, zero padding`, () => {
      const { length, radices } = fftLength(n);
      expect(length).toBe(n);
      const twiddle = new Float64Array(2 * n);
      for (let k = 0; k < n; k++) {
        twiddle[2 * k] = Math.cos((2 * Math.PI * k) / n);
        twiddle[2 * k + 1] = -Math.sin((2 * Math.PI * k) / n);
      }
      const rng = testRng(n);
      // A grid of 3 rows × n + 2 columns; rows transform columns [1, n + 1), columns the first 3 rows' columns.
      const width = n + 2;
      for (const inverse of [0, 1]) {
        for (const nonzero of [n, Math.max(1, Math.floor(n / 2) - 1)]) {
          const grid = Array.from({ length: 3 * width * 2 }, () => rng.normal());
          const ptr = inWasm({ grid: Float64Array.from(grid), radices: Int32Array.from(radices), twiddle, scratch: n * 8 * 16 });
          kernels.fftRows(ptr.grid, width, 1, n, ptr.radices, radices.length, ptr.twiddle, ptr.scratch, inverse, nonzero, 0, 3);
          const rows = f64(ptr.grid, grid.length);
          for (let r = 0; r < 3; r++) {
            const input = grid.slice(2 * (r * width + 1), 2 * (r * width + 1 + n)).map((v, i) => (i < 2 * nonzero ? v : 0));
            closeTo(rows.slice(2 * (r * width + 1), 2 * (r * width + 1 + n)), dft(input, inverse === 1), n);
            // Outside the transformed columns nothing moves.
            expect(rows.slice(2 * r * width, 2 * r * width + 2)).toEqual(grid.slice(2 * r * width, 2 * r * width + 2));
          }
        }
      }
      // Columns: an n × 3 grid, columns [0, 3) transformed down the n rows, and [1, 2) alone left the rest alone.
      for (const inverse of [0, 1]) {
        const grid = Array.from({ length: n * 3 * 2 }, () => rng.normal());
        const ptr = inWasm({ grid: Float64Array.from(grid), radices: Int32Array.from(radices), twiddle, scratch: n * 8 * 16 });
        const nonzero = Math.max(1, n - 3);
        kernels.fftColumns(ptr.grid, 3, n, ptr.radices, radices.length, ptr.twiddle, ptr.scratch, inverse, nonzero, 1, 3);
        const out = f64(ptr.grid, grid.length);
        for (let c = 0; c < 3; c++) {
          const column = (g: number[]) => Array.from({ length: n }, (_, i) => [g[2 * (i * 3 + c)], g[2 * (i * 3 + c) + 1]]).flat();
          if (c === 0) expect(column(out)).toEqual(column(grid));
          else closeTo(column(out), dft(column(grid).map((v, i) => (i < 2 * nonzero ? v : 0)), inverse === 1), n);
        }
      }
    });
  }
});

describe("t-SNE's grid kernels (method 'fft')", () => {
  const offset = (a: number, P: number) => (a < P / 2 ? a : a - P);

  test('gridKernel: K₁ and G = d·K₁² between nodes h apart, in circulants', () => {
    const P = 12;
    const h = 0.37;
    const ptr = inWasm({ grid: P * 2 * P * 16 });
    kernels.gridKernel(ptr.grid, P, 2, h);
    const grid = f64(ptr.grid, P * 2 * P * 2);
    for (let r = 0; r < P; r++) {
      for (let c = 0; c < P; c++) {
        const dx = offset(c, P) * h;
        const dy = offset(r, P) * h;
        const q = 1 / (1 + dx * dx + dy * dy);
        const at = 2 * (r * 2 * P + c);
        close([grid[at], grid[at + 1], grid[at + 2 * P], grid[at + 2 * P + 1]], [q, 0, dx * q * q, dy * q * q]);
      }
    }
  });

  test('gridKernelTransform and gridMultiply: the scaled real and complex parts, and the products', () => {
    const P = 6;
    const rng = testRng(3);
    const grid = Array.from({ length: P * 2 * P * 2 }, () => rng.normal());
    const ptr = inWasm({ grid: Float64Array.from(grid), kernel: P * P * 24 });
    kernels.gridKernelTransform(ptr.grid, P, 2, 0.5, ptr.kernel);
    const kernel = f64(ptr.kernel, P * P * 3);
    for (let r = 0; r < P; r++) {
      for (let c = 0; c < P; c++) {
        const at = 2 * (r * 2 * P + c);
        const k = r * P + c;
        close([kernel[k], kernel[P * P + 2 * k], kernel[P * P + 2 * k + 1]], [0.5 * grid[at], 0.5 * grid[at + 2 * P], 0.5 * grid[at + 2 * P + 1]]);
      }
    }
    const charges = Array.from({ length: P * 2 * P * 2 }, () => rng.normal());
    const cptr = inWasm({ grid: Float64Array.from(charges) });
    kernels.gridMultiply(cptr.grid, P, 2, ptr.kernel);
    const out = f64(cptr.grid, charges.length);
    for (let r = 0; r < P; r++) {
      for (let c = 0; c < P; c++) {
        const at = 2 * (r * 2 * P + c);
        const k = r * P + c;
        const [re, im] = [charges[at], charges[at + 1]];
        const [gr, gi] = [kernel[P * P + 2 * k], kernel[P * P + 2 * k + 1]];
        close([out[at], out[at + 1], out[at + 2 * P], out[at + 2 * P + 1]], [re * kernel[k], im * kernel[k], re * gr - im * gi, re * gi + im * gr]);
      }
    }
  });

  // Quadratic Lagrange interpolation reproduces polynomials of degree 2 on each axis: the charges' moments are the
  // points' own, and a quadratic potential on the nodes is read back exactly at the points.
  for (const dim of [1, 2]) {
    test(`gridSpread and gridInterpolate reproduce moments and quadratics: ${dim}-D`, () => {
      const n = 40;
      const nBoxes = 5;
      const P = 36;
      const low = -1.5;
      const boxWidth = 0.8;
      const rng = testRng(dim);
      const pos = Float32Array.from({ length: n * dim }, () => low + rng.uniform() * nBoxes * boxWidth);
      const ptr = inWasm({ pos, grid: Float64Array.from({ length: (dim === 2 ? P : 1) * 2 * P * 2 }, () => 7), weights: n * 9 * 8, first: n * 4, neg: n * dim * 4 });
      kernels.gridSpread(ptr.pos, n, dim, low, boxWidth, nBoxes, 3, ptr.grid, P, ptr.weights, ptr.first);
      const grid = f64(ptr.grid, (dim === 2 ? P : 1) * 2 * P * 2);
      const node = (g: number) => low + (boxWidth / 3) * (g + 0.5);
      const rows = dim === 2 ? 3 * nBoxes : 1;
      const moments = [0, 0, 0, 0, 0];
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < 3 * nBoxes; c++) {
          const charge = grid[2 * (r * 2 * P + c)];
          const y = dim === 2 ? node(r) : 0;
          moments[0] += charge;
          moments[1] += charge * node(c);
          moments[2] += charge * y;
          moments[3] += charge * node(c) ** 2;
          moments[4] += charge * node(c) * y;
        }
      }
      const expected = [0, 0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        const x = pos[i * dim];
        const y = dim === 2 ? pos[i * dim + 1] : 0;
        expected[0] += 1;
        expected[1] += x;
        expected[2] += y;
        expected[3] += x * x;
        expected[4] += x * y;
      }
      moments.forEach((m, k) => expect(m).toBeCloseTo(expected[k], 10));
      // Quadratic potentials on the nodes: 1 + x² + x·y in [0, P), and (x − y², 2y) in [P, 2P).
      const potentials = new Float64Array(grid.length);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < 3 * nBoxes; c++) {
          const x = node(c);
          const y = dim === 2 ? node(r) : 0;
          potentials[2 * (r * 2 * P + c)] = 1 + x * x + x * y;
          potentials[2 * (r * 2 * P + P + c)] = x - y * y;
          potentials[2 * (r * 2 * P + P + c) + 1] = 2 * y;
        }
      }
      f64View(kernels, ptr.grid, potentials.length).set(potentials);
      const sumQ = kernels.gridInterpolate(ptr.pos, n, dim, 3, ptr.grid, P, ptr.weights, ptr.first, ptr.neg);
      const neg = f32(ptr.neg, n * dim);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const x = pos[i * dim];
        const y = dim === 2 ? pos[i * dim + 1] : 0;
        sum += 1 + x * x + x * y;
        expect(neg[i * dim]).toBeCloseTo(x - y * y, 5);
        if (dim === 2) expect(neg[i * dim + 1]).toBeCloseTo(2 * y, 5);
      }
      expect(sumQ).toBeCloseTo(sum - n, 9);
    });
  }
});
