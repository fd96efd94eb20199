// The module's own kernels and the way into wasm memory (assembly/runtime/), each against a direct reference.
import { describe, expect, test } from 'vitest';
import { allocate, f32View, f64View } from '../../src/runtime/arena';
import { f32, f64, i32, inWasm, integerData, kernels, useKernels } from '../kernels';
import { testRng } from '../reference';

useKernels();

describe('heapBase, relaxedSimd', () => {
  test('the arena starts at the heap base, inside memory', () => {
    const base = kernels.heapBase();
    expect(base).toBeGreaterThan(0);
    expect(base).toBeLessThan(kernels.memory.buffer.byteLength);
    expect(allocate(kernels, { first: 8 }, 'kernel test').first).toBe(Math.ceil(base / 16) * 16);
  });

  test('the plain build says so (Node 20 has no relaxed SIMD without a flag)', () => {
    expect(kernels.relaxedSimd()).toBe(0);
  });
});

describe('scanColumns and writeShiftedRows (the way into wasm memory)', () => {
  for (const [n, d] of [[1, 1], [7, 3], [33, 5], [64, 16]]) {
    test(`n=${n} d=${d}`, () => {
      const rng = testRng(n * 31 + d);
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 1e6 + rng.normal() * 3));
      const ptr = allocate(kernels, { src: n * d * 8, sums: d * 8, shift: d * 8, dst: n * d * 4, squares: d * 8 }, 'kernel test');
      f64View(kernels, ptr.src, n * d).set(X.flat());
      f64View(kernels, ptr.sums, d).fill(0);
      expect(kernels.scanColumns(ptr.src, n, d, 1e18, ptr.sums)).toBe(-1);
      const sums = Array.from({ length: d }, (_, t) => X.reduce((s, x) => s + x[t], 0));
      expect(Array.from(f64View(kernels, ptr.sums, d))).toEqual(sums);
      const mean = sums.map((s) => s / n);
      f64View(kernels, ptr.shift, d).set(mean);
      f64View(kernels, ptr.squares, d).fill(0);
      kernels.writeShiftedRows(ptr.src, n, d, ptr.shift, ptr.dst, ptr.squares);
      // Shifting in float64 before rounding keeps what rounding 1e6-sized values to float32 would lose.
      expect(Array.from(f32View(kernels, ptr.dst, n * d))).toEqual(Array.from(Float32Array.from(X.flatMap((x) => x.map((v, t) => v - mean[t])))));
      const squares = mean.map((m, t) => X.reduce((s, x) => s + (x[t] - m) ** 2, 0));
      expect(Array.from(f64View(kernels, ptr.squares, d))).toEqual(squares);
    });
  }

  test('the first NaN, infinity or huge value is found by its flat index', () => {
    const ptr = allocate(kernels, { src: 12 * 8, sums: 3 * 8 }, 'kernel test');
    for (const [index, bad] of [[0, NaN], [5, Infinity], [11, -Infinity], [7, 2e18]] as const) {
      const values = new Float64Array(12).fill(1);
      values[index] = bad;
      values[Math.min(index + 1, 11)] = index === 11 ? bad : NaN; // a later bad value must not be reported first
      f64View(kernels, ptr.src, 12).set(values);
      expect(kernels.scanColumns(ptr.src, 4, 3, 1e18, ptr.sums)).toBe(index);
    }
  });
});

describe('scanColumnsF32 and shiftRowsF32: float32 input checked and shifted in place', () => {
  for (const [n, d] of [[1, 1], [7, 3], [33, 5], [64, 16]]) {
    test(`n=${n} d=${d}: the values and sums of the float64 path`, () => {
      const rng = testRng(n * 17 + d);
      const X = Float32Array.from({ length: n * d }, () => 1000 + rng.normal() * 3);
      const ptr = inWasm({ x: X, sums: d * 8, shift: d * 8, squares: d * 8 });
      expect(kernels.scanColumnsF32(ptr.x, n, d, 1e18, ptr.sums)).toBe(-1);
      const sums = Array.from({ length: d }, (_, t) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[i * d + t];
        return s;
      });
      expect(f64(ptr.sums, d)).toEqual(sums);
      const mean = sums.map((s) => s / n);
      f64View(kernels, ptr.shift, d).set(mean);
      kernels.shiftRowsF32(ptr.x, n, d, ptr.shift, ptr.squares);
      const shifted = Array.from(X, (v, i) => v - mean[i % d]);
      expect(f32(ptr.x, n * d)).toEqual(Array.from(Float32Array.from(shifted)));
      const squares = mean.map((_, t) => shifted.filter((_, i) => i % d === t).reduce((s, v) => s + v * v, 0));
      expect(f64(ptr.squares, d)).toEqual(squares);
    });
  }

  test('the first NaN or out-of-range value is found by its flat index', () => {
    for (const [index, bad] of [[0, NaN], [5, Infinity], [7, 2e18]] as const) {
      const values = new Float32Array(12).fill(1);
      values[index] = bad;
      values[11] = NaN;
      const ptr = inWasm({ x: values, sums: 3 * 8 });
      expect(kernels.scanColumnsF32(ptr.x, 4, 3, 1e18, ptr.sums)).toBe(index);
    }
  });
});

describe('gatherRows', () => {
  for (const d of [1, 3, 4, 9]) {
    test(`d=${d}: rows and weights by index, repeats and all`, () => {
      const X = integerData(10, d, d);
      const weights = Float64Array.from({ length: 10 }, (_, i) => 0.5 + i);
      const rows = Int32Array.from([9, 0, 3, 3, 7]);
      const ptr = inWasm({ x: Float32Array.from(X.flat()), w: weights, rows, outX: rows.length * d * 4, outW: rows.length * 8 });
      kernels.gatherRows(ptr.x, ptr.w, d, ptr.rows, rows.length, ptr.outX, ptr.outW);
      expect(f32(ptr.outX, rows.length * d)).toEqual(Array.from(rows).flatMap((r) => X[r]));
      expect(f64(ptr.outW, rows.length)).toEqual(Array.from(rows, (r) => weights[r]));
      expect(i32(ptr.rows, rows.length)).toEqual(Array.from(rows));
    });
  }
});
