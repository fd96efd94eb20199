// The module's own kernels and the way into wasm memory (assembly/runtime/), each against a direct reference.
import { describe, expect, test } from 'vitest';
import { allocate, f64View } from '../../src/runtime/arena';
import { f32, f64, i32, inWasm, integerData, kernels, useKernels } from '../kernels';
import { testRng } from '../reference';

useKernels();

describe('heapBase, graphDataEnd, relaxedSimd', () => {
  test('the arena starts at the heap base, inside memory', () => {
    const base = kernels.heapBase();
    expect(base).toBeGreaterThan(0);
    expect(base).toBeLessThan(kernels.memory.buffer.byteLength);
    expect(allocate(kernels, { first: 8 }, 'kernel test', 'none').first).toBe(Math.ceil(base / 16) * 16);
  });

  test("the graph module's static data, which it writes into the core's memory, ends below the arena", () => {
    // Its 256-byte compaction table and the t-SNE grid's scratch: more than nothing, all under the heap base.
    expect(kernels.graphDataEnd()).toBeGreaterThan(1024);
    expect(kernels.graphDataEnd()).toBeLessThanOrEqual(kernels.heapBase());
  });

  test('the plain build says so (Node 20 has no relaxed SIMD without a flag)', () => {
    expect(kernels.relaxedSimd()).toBe(0);
  });
});

describe('scanColumns and writeShiftedRows (the way into wasm memory)', () => {
  for (const [n, d, scale] of [[1, 1, 1], [7, 3, 2 ** -20], [33, 5, 2 ** -19], [64, 16, 2 ** 3], [29, 11, 2 ** -3]]) {
    test(`n=${n} d=${d}, scale ${scale}`, () => {
      const rng = testRng(n * 31 + d);
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 1e6 + rng.normal() * 3));
      const ptr = inWasm({ src: Float64Array.from(X.flat()), sums: d * 8, maxAbs: 8, shift: d * 8, dst: n * d * 4, squares: d * 8 });
      expect(kernels.scanColumns(ptr.src, n, d, scale, ptr.sums, ptr.maxAbs)).toBe(-1);
      const sums = Array.from({ length: d }, (_, t) => X.reduce((s, x) => s + x[t] * scale, 0));
      expect(f64(ptr.sums, d)).toEqual(sums);
      expect(f64(ptr.maxAbs, 1)).toEqual([Math.max(...X.flat().map(Math.abs))]);
      const mean = sums.map((s) => s / n);
      f64View(kernels, ptr.shift, d).set(mean);
      kernels.writeShiftedRows(ptr.src, n, d, scale, ptr.shift, ptr.dst, ptr.squares);
      // Shifting in float64 before rounding keeps what rounding 1e6-sized values to float32 would lose.
      const shifted = X.flatMap((x) => x.map((v, t) => v * scale - mean[t]));
      expect(f32(ptr.dst, n * d)).toEqual(Array.from(Float32Array.from(shifted)));
      const squares = mean.map((_, t) => X.reduce((s, x) => s + (x[t] * scale - mean[t]) ** 2, 0));
      expect(f64(ptr.squares, d)).toEqual(squares);
    });
  }

  test('the first NaN or infinity is found by its flat index; any finite value passes', () => {
    for (const [index, bad] of [[0, NaN], [5, Infinity], [11, -Infinity]] as const) {
      const values = new Float64Array(12).fill(1.7e308);
      values[index] = bad;
      values[Math.min(index + 1, 11)] = index === 11 ? bad : NaN; // a later bad value must not be reported first
      const ptr = inWasm({ src: values, sums: 3 * 8, maxAbs: 8 });
      expect(kernels.scanColumns(ptr.src, 4, 3, 1, ptr.sums, ptr.maxAbs)).toBe(index);
    }
    const ptr = inWasm({ src: Float64Array.of(-1.7e308, 5e-324, 1e-300), sums: 8, maxAbs: 8 });
    expect(kernels.scanColumns(ptr.src, 3, 1, 2 ** -1000, ptr.sums, ptr.maxAbs)).toBe(-1);
    expect(f64(ptr.maxAbs, 1)).toEqual([1.7e308]);
  });
});

describe('scanColumnsF32 and shiftRowsF32: float32 input checked and shifted in place', () => {
  for (const [n, d, scale] of [[1, 1, 1], [7, 3, 2 ** -10], [33, 5, 2 ** 4], [64, 16, 2 ** -9], [29, 11, 2 ** 5]]) {
    test(`n=${n} d=${d}, scale ${scale}: the values and sums of the float64 path`, () => {
      const rng = testRng(n * 17 + d);
      const X = Float32Array.from({ length: n * d }, () => 1000 + rng.normal() * 3);
      const ptr = inWasm({ x: X, sums: d * 8, maxAbs: 8, shift: d * 8, squares: d * 8 });
      expect(kernels.scanColumnsF32(ptr.x, 0, n, d, scale, 1024, ptr.sums, ptr.maxAbs)).toBe(-1);
      const sums = Array.from({ length: d }, (_, t) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += X[i * d + t] * scale;
        return s;
      });
      expect(f64(ptr.sums, d)).toEqual(sums);
      expect(f64(ptr.maxAbs, 1)).toEqual([Math.max(...Array.from(X, Math.abs))]);
      const mean = sums.map((s) => s / n);
      f64View(kernels, ptr.shift, d).set(mean);
      kernels.shiftRowsF32(ptr.x, 0, n, d, scale, ptr.shift, 1024, ptr.squares);
      const shifted = Array.from(X, (v, i) => v * scale - mean[i % d]);
      expect(f32(ptr.x, n * d)).toEqual(Array.from(Float32Array.from(shifted)));
      const squares = mean.map((_, t) => shifted.filter((_, i) => i % d === t).reduce((s, v) => s + v * v, 0));
      expect(f64(ptr.squares, d)).toEqual(squares);
    });
  }

  test('by statistics chunks: a range of rows, each chunk its own sums, squares and largest |x|; a bad value counted from the range', () => {
    const [n, d, statsRows] = [23, 3, 4];
    const rng = testRng(5);
    const X = Float32Array.from({ length: n * d }, () => rng.normal() * 9);
    const nChunks = Math.ceil(n / statsRows);
    const ptr = inWasm({ x: X, sums: nChunks * d * 8, maxAbs: nChunks * 8, shift: d * 8 });
    // Rows 8 … 23 (chunks 2 … 5), then 0 … 8: chunk c's statistics at slot c whichever range holds it.
    expect(kernels.scanColumnsF32(ptr.x, 8, n, d, 1, statsRows, ptr.sums, ptr.maxAbs)).toBe(-1);
    expect(kernels.scanColumnsF32(ptr.x, 0, 8, d, 1, statsRows, ptr.sums, ptr.maxAbs)).toBe(-1);
    for (let c = 0; c < nChunks; c++) {
      const rows = Array.from({ length: Math.min(statsRows, n - c * statsRows) }, (_, r) => c * statsRows + r);
      expect(f64(ptr.sums + c * d * 8, d)).toEqual(Array.from({ length: d }, (_, t) => rows.reduce((sum, i) => sum + X[i * d + t], 0)));
      expect(f64(ptr.maxAbs + c * 8, 1)).toEqual([Math.max(...rows.flatMap((i) => Array.from(X.subarray(i * d, (i + 1) * d), Math.abs)))]);
    }
    f64View(kernels, ptr.sums, nChunks * d).fill(0);
    f64View(kernels, ptr.shift, d).fill(0);
    kernels.shiftRowsF32(ptr.x, 4, n, d, 1, ptr.shift, statsRows, ptr.sums);
    expect(f64(ptr.sums, d)).toEqual([0, 0, 0]);
    expect(f64(ptr.sums + d * 8, d)).toEqual(Array.from({ length: d }, (_, t) => [4, 5, 6, 7].reduce((sum, i) => sum + X[i * d + t] ** 2, 0)));
    new Float32Array(kernels.memory.buffer, ptr.x, n * d)[13 * d + 2] = NaN;
    expect(kernels.scanColumnsF32(ptr.x, 8, n, d, 1, statsRows, ptr.sums, ptr.maxAbs)).toBe((13 - 8) * d + 2);
  });

  test('the first NaN or infinity is found by its flat index', () => {
    for (const [index, bad] of [[0, NaN], [5, Infinity], [7, -Infinity]] as const) {
      const values = new Float32Array(12).fill(3e38);
      values[index] = bad;
      values[11] = NaN;
      const ptr = inWasm({ x: values, sums: 3 * 8, maxAbs: 8 });
      expect(kernels.scanColumnsF32(ptr.x, 0, 4, 3, 1, 1024, ptr.sums, ptr.maxAbs)).toBe(index);
    }
  });

  test('a bad value past the vector lanes (the scalar tail) is found too, f32 and f64, and leaves maxAbs alone', () => {
    for (const [index, bad] of [[13, NaN], [12, -Infinity], [3, Infinity]] as const) {
      const f32 = new Float32Array(14).fill(2);
      f32[index] = bad;
      const f64 = new Float64Array(7).fill(2);
      f64[Math.min(index, 6)] = bad;
      const ptr = inWasm({ x32: f32, x64: f64, sums: 2 * 8, maxAbs: 8 });
      new Float64Array(kernels.memory.buffer, ptr.maxAbs, 1)[0] = 0.5;
      expect(kernels.scanColumnsF32(ptr.x32, 0, 7, 2, 1, 1024, ptr.sums, ptr.maxAbs)).toBe(index);
      expect(kernels.scanColumns(ptr.x64, 7, 1, 1, ptr.sums, ptr.maxAbs)).toBe(Math.min(index, 6));
      expect(new Float64Array(kernels.memory.buffer, ptr.maxAbs, 1)[0]).toBe(0.5);
    }
  });
});

describe('normalizeRows: rows to unit length for cosine k-means', () => {
  /** x / ‖x‖ in float64 by the textbook route, with the norm of x / max |x| where x's squares would not survive. */
  const unitRow = (x: number[]) => {
    const largest = Math.max(...x.map(Math.abs));
    const norm = Math.sqrt(x.reduce((s, v) => s + (v / largest) ** 2, 0));
    return x.map((v) => v / largest / norm);
  };
  for (const [n, d, magnitude] of [[1, 1, 1], [5, 3, 1e-200], [9, 7, 1], [16, 33, 1e200], [4, 384, 1e-310]]) {
    test(`n=${n} d=${d}, values near ${magnitude}: float32 of the float64 unit rows`, () => {
      const rng = testRng(n * 7 + d);
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal() * magnitude));
      const ptr = inWasm({ src: Float64Array.from(X.flat()), dst: n * d * 4 });
      expect(kernels.normalizeRows(ptr.src, n, d, ptr.dst)).toBe(-1);
      const expected = Array.from(Float32Array.from(X.flatMap(unitRow)));
      const got = f32(ptr.dst, n * d);
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThanOrEqual(2 ** -23 * Math.max(Math.abs(expected[i]), 2 ** -10));
    });
  }

  test('the first bad value by its flat index, the first zero row as −2 − row', () => {
    const ptr = inWasm({ src: Float64Array.of(1, 2, 3, NaN, 0, 0, Infinity, 1), dst: 8 * 4 });
    expect(kernels.normalizeRows(ptr.src, 4, 2, ptr.dst)).toBe(3);
    const zero = inWasm({ src: Float64Array.of(1, 2, 0, 0, 5e-324, 0, 0, -0), dst: 8 * 4 });
    expect(kernels.normalizeRows(zero.src, 4, 2, zero.dst)).toBe(-3);
    expect(f32(zero.dst, 2)).toEqual(Array.from(Float32Array.of(1 / Math.sqrt(5), 2 / Math.sqrt(5))));
    // The subnormal row after it is a direction: (1, 0).
    expect(kernels.normalizeRows(zero.src + 32, 1, 2, zero.dst)).toBe(-1);
    expect(f32(zero.dst, 2)).toEqual([1, 0]);
  });
});

describe('binnedAdd: order-independent sums', () => {
  test('the same bits whatever the order and grouping, and within 2^(bound − 95) of the exact sum', () => {
    const rng = testRng(5);
    const n = 7;
    const bound = 12; // every value below 2^12 in magnitude, and so every sum of up to 2^20 of them below 2^32
    // Multiples of 2^-60, so that a BigInt count of 2^-60 units sums them exactly.
    const values = Array.from({ length: 300 }, () =>
      Float64Array.from({ length: n }, () => Math.round(rng.normal() * 10 ** rng.int(4) * (rng.uniform() < 0.2 ? 1e-9 : 1) * 2 ** 40) / 2 ** 60 * 2 ** 20),
    );
    const totals = (order: Float64Array[], groups: number) => {
      // `groups` accumulators filled apart, then added level by level, as shards' partials are merged.
      const accs = Array.from({ length: groups }, () => inWasm({ acc: 3 * n * 8 }).acc);
      order.forEach((v, i) => {
        const ptr = inWasm({ src: v });
        kernels.binnedAdd(ptr.src, n, bound, accs[i % groups]);
      });
      const merged = new Float64Array(3 * n);
      for (const acc of accs) f64(acc, 3 * n).forEach((v, j) => (merged[j] += v));
      return Array.from({ length: n }, (_, i) => merged[i] + merged[n + i] + merged[2 * n + i]);
    };
    const reference = totals(values, 1);
    const shuffled = [...values].sort(() => rng.uniform() - 0.5);
    expect(totals(shuffled, 1)).toEqual(reference);
    expect(totals(shuffled, 4)).toEqual(reference);
    expect(totals([...values].reverse(), 3)).toEqual(reference);
    // Against the exact sum: every value is a whole number of 2^-40, counted in BigInt.
    for (let i = 0; i < n; i++) {
      const exact = values.reduce((s, v) => s + BigInt(v[i] * 2 ** 40), 0n);
      expect(Math.abs(reference[i] - Number(exact) / 2 ** 40)).toBeLessThanOrEqual(Math.abs(reference[i]) * 2 ** -52);
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
