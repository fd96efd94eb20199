// Every kernel against a scalar reference, on shapes that hit every remainder: d % 4 ∈ {0,1,2,3}, k % 16 ≠ 0,
// d = 1, k = 1, k = n, and row ranges that end in a partial chunk. Small integer data makes the float32
// arithmetic exact, so ties (and the lowest-index rule) reproduce exactly.
import { beforeAll, describe, expect, test } from 'vitest';
import { allocate, f32View, f64View, i32View } from '../../src/runtime/arena';
import { init } from '../../src/index';
import { CLUSTER_ARGS_BYTES, writeClusterArgs } from '../../src/generated/kernels';
import { getKernels, type Kernels } from '../../src/runtime/module';
import { nearest, sqDist, testRng } from '../reference';

let kernels: Kernels;
beforeAll(async () => {
  await init();
  kernels = getKernels();
});

function integerData(n: number, d: number, seed: number, range = 7): number[][] {
  const rng = testRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(2 * range + 1) - range));
}

function setup(X: number[][], C: number[][]) {
  const n = X.length;
  const d = X[0].length;
  const k = C.length;
  const nPadded = Math.ceil(k / 16) * 16;
  const ptr = allocate(kernels, {
    x: n * d * 4, weights: n * 8, labels: n * 4, sqDist: n * 8, centers: k * d * 4, centersT: nPadded * d * 4,
    norms: nPadded * 4, sums: k * d * 8, weightInClusters: k * 8, candidates: 64 * 4, potentials: 64 * 8, out: n * k * 8,
    args: CLUSTER_ARGS_BYTES,
  }, 'kernel test');
  f32View(kernels, ptr.x, n * d).set(X.flat());
  f32View(kernels, ptr.centers, k * d).set(C.flat());
  const weights = X.map((_, i) => 1 + (i % 3) * 0.5);
  f64View(kernels, ptr.weights, n).set(weights);
  const nBlocks = kernels.packCenters(ptr.centers, k, d, ptr.centersT, ptr.norms);
  writeClusterArgs(kernels.memory, ptr.args, {
    x: ptr.x, weights: ptr.weights, nSamples: n, nFeatures: d, nClusters: k, centers: ptr.centers, centersT: ptr.centersT, centerNorms: ptr.norms,
    labels: ptr.labels,
  });
  return { n, d, k, ptr, nBlocks, weights };
}

const shapes: [number, number, number][] = [];
for (const d of [1, 2, 3, 4, 5, 6, 7, 8, 17]) for (const k of [1, 2, 15, 16, 17, 33]) shapes.push([53, d, k]);
shapes.push([16, 3, 16], [17, 5, 17], [40, 64, 10], [31, 9, 31]);

describe('packCenters', () => {
  test('transposes into blocks of 16 with padding and norms', () => {
    const C = integerData(17, 3, 1);
    const { ptr, nBlocks } = setup(integerData(4, 3, 2), C);
    expect(nBlocks).toBe(2);
    const t = f32View(kernels, ptr.centersT, 2 * 16 * 3);
    const norms = f32View(kernels, ptr.norms, 32);
    for (let c = 0; c < 32; c++) {
      const b = Math.floor(c / 16);
      for (let f = 0; f < 3; f++) expect(t[(b * 3 + f) * 16 + (c % 16)]).toBe(c < 17 ? C[c][f] : 0);
      expect(norms[c]).toBe(c < 17 ? C[c].reduce((s, v) => s + v * v, 0) : Infinity);
    }
  });
});

describe('lloydChunk ≡ scalar E-step + weighted sums', () => {
  for (const [n, d, k] of shapes) {
    test(`n=${n} d=${d} k=${k}`, () => {
      const X = integerData(n, d, n * 1000 + d * 10 + k);
      const C = k === n ? X : integerData(k, d, d * 7 + k);
      const { ptr, nBlocks, weights } = setup(X, C);
      const labels = i32View(kernels, ptr.labels, n);
      labels.fill(-1);
      labels[0] = nearest(X[0], C).label; // one unchanged label: the count must not include it
      f64View(kernels, ptr.sums, k * d).fill(0);
      f64View(kernels, ptr.weightInClusters, k).fill(0);
      // Two calls over [0, split) and [split, n): chunk edges must not matter.
      const split = Math.floor(n / 3);
      const changed =
        kernels.lloydChunk(ptr.args, 0, split, ptr.sums, ptr.weightInClusters) +
        kernels.lloydChunk(ptr.args, split, n, ptr.sums, ptr.weightInClusters);
      const expected = X.map((x) => nearest(x, C).label);
      expect(Array.from(i32View(kernels, ptr.labels, n))).toEqual(expected);
      expect(changed).toBe(n - 1);
      const sums = new Array(k * d).fill(0);
      const weightIn = new Array(k).fill(0);
      X.forEach((x, i) => {
        weightIn[expected[i]] += weights[i];
        x.forEach((v, t) => (sums[expected[i] * d + t] += weights[i] * v));
      });
      expect(Array.from(f64View(kernels, ptr.sums, k * d))).toEqual(sums);
      expect(Array.from(f64View(kernels, ptr.weightInClusters, k))).toEqual(weightIn);
      // A second pass with the same centers changes nothing.
      expect(kernels.lloydChunk(ptr.args, 0, n, ptr.sums, ptr.weightInClusters)).toBe(0);
    });
  }
});

describe('assignLabels, assignedSqDistances, distancesToCenters', () => {
  for (const [n, d, k] of shapes.filter((_, i) => i % 3 === 0)) {
    test(`n=${n} d=${d} k=${k}`, () => {
      const X = integerData(n, d, n + d + k);
      const C = integerData(k, d, 3 * k + d);
      const { ptr, nBlocks, weights } = setup(X, C);
      kernels.assignLabels(ptr.args, 0, n);
      const expected = X.map((x) => nearest(x, C));
      expect(Array.from(i32View(kernels, ptr.labels, n))).toEqual(expected.map((e) => e.label));
      const inertia = kernels.assignedSqDistances(ptr.args, ptr.sqDist);
      expect(Array.from(f64View(kernels, ptr.sqDist, n))).toEqual(expected.map((e) => e.dist));
      expect(inertia).toBeCloseTo(expected.reduce((s, e, i) => s + weights[i] * e.dist, 0), 9);
      kernels.distancesToCenters(ptr.args, ptr.out);
      expect(Array.from(f64View(kernels, ptr.out, n * k))).toEqual(X.flatMap((x) => C.map((c) => Math.sqrt(sqDist(x, c)))));
    });
  }

  test('ties go to the lowest index across lanes and blocks', () => {
    // Centers 3, 19 and 35 are equally near (identical); 3 must win, though 19 and 35 sit in later blocks.
    const C = integerData(40, 4, 9, 3).map((c) => c.map((v) => v + 50));
    C[3] = [1, 1, 1, 1];
    C[19] = [1, 1, 1, 1];
    C[35] = [1, 1, 1, 1];
    C[2] = [-1, -1, -1, -1]; // equally near to (0,0,0,0) too but its distance differs for x = (1,1,1,1)
    const X = [[1, 1, 1, 1], [0, 0, 0, 0]];
    const { ptr, nBlocks } = setup(X, C);
    kernels.assignLabels(ptr.args, 0, 2);
    expect(Array.from(i32View(kernels, ptr.labels, 2))).toEqual([3, 2]);
  });
});

describe('k-means++ kernels', () => {
  for (const [n, d] of [[53, 1], [53, 3], [60, 4], [61, 17], [20, 64]]) {
    test(`updateClosest and seedingPotentials, n=${n} d=${d}`, () => {
      const X = integerData(n, d, n * d);
      const { ptr, weights } = setup(X, [X[0]]);
      const closest = f64View(kernels, ptr.sqDist, n);
      closest.fill(Infinity);
      const potential = kernels.updateClosest(ptr.x, ptr.weights, n, d, 5, ptr.sqDist);
      const expected = X.map((x) => sqDist(x, X[5]));
      expect(Array.from(f64View(kernels, ptr.sqDist, n))).toEqual(expected);
      expect(potential).toBe(expected.reduce((s, v, i) => s + weights[i] * v, 0));
      const candidates = [0, n - 1, 7, 7];
      i32View(kernels, ptr.candidates, 4).set(candidates);
      kernels.seedingPotentials(ptr.x, ptr.weights, n, d, ptr.candidates, 4, ptr.sqDist, ptr.potentials);
      const pots = candidates.map((c) => X.reduce((s, x, i) => s + weights[i] * Math.min(expected[i], sqDist(x, X[c])), 0));
      expect(Array.from(f64View(kernels, ptr.potentials, 4))).toEqual(pots);
    });
  }
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
