// Exact accelerated k-means (Hamerly, Elkan, Yinyang) ≡ Lloyd, in the style of scikit-learn's
// test_kmeans_elkan_results / test_kmeans_results: same explicit init, identical labels and nIter, the same
// centers and inertia; and fewer distance evaluations.
import { beforeAll, describe, expect, test } from 'vitest';
import { type AcceleratedAlgorithm, elkanRun, hamerlyRun, yinyangRun } from '../../src/cluster/accelerated';
import { init, KMeans, kmeans, WasmeansError } from '../../src/index';
import { autoAlgorithm } from '../../src/cluster/fit';
import { allRows, readData, rowsOf } from '../../src/core/data';
import { lloydRun } from '../../src/cluster/lloyd';
import { getKernels } from '../../src/runtime/module';
import { prepareWorkspace } from '../../src/cluster/workspace';
import { blobs, digits, type Rows, testRng } from '../reference';

beforeAll(() => init());

const runs = { hamerly: hamerlyRun, elkan: elkanRun, yinyang: yinyangRun };
const algorithms = Object.keys(runs) as AcceleratedAlgorithm[];

interface Case {
  name: string;
  X: Rows;
  init: Rows;
  weights?: number[];
  maxIter?: number;
}

/** Lloyd and one accelerated algorithm on one workspace from the same initial centers. */
function compare(algorithm: AcceleratedAlgorithm, { X, init: initRows, weights, maxIter = 300 }: Case, tol: number) {
  const kernels = getKernels();
  const data = readData(X);
  const w = Float64Array.from(weights ?? X.map(() => 1));
  const ws = prepareWorkspace(kernels, data, w, initRows.length, { what: 'test', advice: 'none' });
  const centers = rowsOf(readData(initRows), allRows(initRows.length), ws.shift);
  const tolerance = tol * ws.meanVariance;
  const lloyd = lloydRun(ws, centers, maxIter, tolerance);
  const fast = runs[algorithm](ws, centers, maxIter, tolerance);
  return { lloyd, fast, n: X.length, k: initRows.length };
}

function expectSame(algorithm: AcceleratedAlgorithm, c: Case, tol: number) {
  const { lloyd, fast } = compare(algorithm, c, tol);
  expect(Array.from(fast.labels)).toEqual(Array.from(lloyd.labels));
  expect(fast.nIter).toBe(lloyd.nIter);
  expect(fast.converged).toBe(lloyd.converged);
  // The sums are accumulated in the same order as Lloyd's: the centers are bitwise equal.
  expect(Array.from(fast.centers)).toEqual(Array.from(lloyd.centers));
  expect(Math.abs(fast.inertia - lloyd.inertia)).toBeLessThanOrEqual(1e-12 * Math.abs(lloyd.inertia));
}

function jitteredDuplicates(): Rows {
  const { X } = blobs(300, 3, 4, 11, 0.5);
  return [...X, ...X.slice(0, 150), ...X.slice(0, 40)];
}

function cases(): Case[] {
  const b2 = blobs(2000, 2, 8, 1);
  const b1 = blobs(500, 1, 3, 2, 0.5);
  const b7 = blobs(900, 7, 17, 3, 2.5);
  const b33 = blobs(1000, 33, 40, 4, 4);
  const b3 = blobs(400, 3, 4, 5);
  const b5 = blobs(200, 5, 2, 6);
  const overlapping = blobs(1500, 4, 30, 7, 6);
  const many = blobs(3000, 8, 100, 8, 1.5);
  // 2^21 / (16·24) rounds to 4096-row chunks: five of them, so Lloyd's chunked sums are what must be matched.
  const chunked = blobs(20000, 16, 24, 13, 2);
  const dup = jitteredDuplicates();
  const wide = blobs(600, 5, 6, 12, 1e-3, 0.01).X.map((x, i) => (i % 97 === 0 ? x.map((v) => v + 1e5 * (i % 2 ? 1 : -1)) : x));
  const rng = testRng(9);
  const digitsX = digits().X;
  const digitsInit = Array.from({ length: 10 }, (_, j) => digitsX[j * 97]);
  return [
    { name: 'blobs 2000×2, k=8', X: b2.X, init: b2.X.slice(0, 8) },
    { name: 'blobs 2000×2, k=8, maxIter=2 (not converged)', X: b2.X, init: b2.X.slice(0, 8), maxIter: 2 },
    { name: 'd=1, k=3', X: b1.X, init: b1.X.slice(0, 3) },
    {
      name: '20000×16, k=24, weighted: five row chunks', X: chunked.X, init: chunked.X.slice(0, 24),
      // Weights of full precision: with short ones every f64 sum is exact and any order gives the same bits.
      weights: chunked.X.map((_, i) => 1 + 0.5 * Math.sin(i)),
    },
    { name: 'd=7, k=17', X: b7.X, init: b7.X.slice(0, 17) },
    { name: 'd=33, k=40', X: b33.X, init: b33.X.slice(0, 40) },
    { name: 'overlapping blobs d=4, k=30', X: overlapping.X, init: overlapping.X.slice(0, 30) },
    { name: 'd=8, k=100 (10 Yinyang groups)', X: many.X, init: many.X.slice(0, 100) },
    { name: 'd=8, k=100, maxIter=3', X: many.X, init: many.X.slice(0, 100), maxIter: 3 },
    { name: 'k=1, weighted', X: b5.X, init: b5.X.slice(0, 1), weights: b5.X.map((_, i) => 1 + (i % 3)) },
    { name: 'k=n', X: [[0, 1], [2, 3], [4, 5], [6, 7.5], [-1, 2]], init: [[0, 1], [2, 3], [4, 5], [6, 7.5], [-1, 2]] },
    { name: 'tiny n=3, k=2', X: [[0, 0], [1, 0], [5, 5]], init: [[0, 0], [1, 0]] },
    { name: 'duplicated points', X: dup, init: dup.slice(295, 301) },
    {
      name: 'weights with zeros',
      X: b3.X,
      init: b3.X.slice(10, 14),
      weights: b3.X.map((_, i) => (i % 5 === 0 ? 0 : 0.25 + rng.uniform() * 3)),
    },
    {
      name: 'empty clusters relocated (far center, duplicate centers), weighted',
      X: b3.X,
      init: [b3.X[0], b3.X[1], b3.X[1], [1000, 1000, 1000], b3.X[2]],
      weights: b3.X.map((_, i) => 0.5 + (i % 7)),
    },
    { name: 'digits 1797×64, k=10', X: digitsX, init: digitsInit },
    { name: 'wide dynamic range (outliers at 1e5, spread 1e-3)', X: wide, init: wide.slice(0, 9) },
  ];
}

describe.each(algorithms)('%s ≡ Lloyd from the same explicit init', (algorithm) => {
  const all = cases();
  for (const tol of [1e-2, 1e-8, 0]) {
    test.each(all.map((c) => [c.name, c] as const))(`%s, tol=${tol}`, (_name, c) => {
      expectSame(algorithm, c, tol);
    });
  }
});

describe('randomized ≡ Lloyd: near-ties, duplicates, zero weights, small maxIter', () => {
  // Data on a coarse grid (many exact ties and duplicate rows), a few far points, random weights with zeros.
  const rng = testRng(77);
  const trials = Array.from({ length: 24 }, (_, trial) => {
    const n = 5 + rng.int(400);
    const d = 1 + rng.int(trial % 3 === 0 ? 40 : 6);
    const k = 1 + rng.int(Math.min(n, trial % 4 === 0 ? 60 : 12));
    const grid = [0.5, 1, 4][trial % 3];
    const X = Array.from({ length: n }, () => Array.from({ length: d }, () => Math.round(rng.normal() * 3 / grid) * grid + (rng.uniform() < 0.02 ? 50 : 0)));
    const weights: number[] | undefined = trial % 2 === 0 ? X.map(() => (rng.uniform() < 0.2 ? 0 : rng.uniform() * 4)) : undefined;
    if (weights && !weights.some((w) => w > 0)) weights[0] = 1;
    const init = Array.from({ length: k }, () => X[rng.int(n)]);
    const tol = [0, 1e-8, 1e-2][trial % 3];
    const maxIter = trial % 5 === 0 ? 1 + rng.int(3) : 300;
    return { name: `#${trial}: n=${n} d=${d} k=${k}`, X, init, weights, maxIter, tol };
  });
  test.each(trials.map((t) => [t.name, t] as const))('%s', (_name, t) => {
    for (const algorithm of algorithms) expectSame(algorithm, t, t.tol);
  });
});

describe('distance counts', () => {
  // Observed (2026-11-23): 5.7× (Hamerly), 9.5× (Elkan), 5.2× (Yinyang) fewer than Lloyd's n·k·nIter.
  test.each(algorithms)('%s: at least 3× fewer than Lloyd on blobs 3000×5, k=20', (algorithm) => {
    const { X } = blobs(3000, 5, 20, 21);
    const { lloyd, fast, n, k } = compare(algorithm, { name: '', X, init: X.slice(0, 20) }, 0);
    expect(fast.distanceCount * 3).toBeLessThan(n * k * lloyd.nIter);
  });

  // Observed: 8.9× fewer (21 iterations).
  test('hamerly at d=2, k=8, n=20000: at least 6× fewer than Lloyd', () => {
    const { X } = blobs(20000, 2, 8, 22);
    const { lloyd, fast, n, k } = compare('hamerly', { name: '', X, init: X.slice(0, 8) }, 1e-8);
    expect(fast.distanceCount * 6).toBeLessThan(n * k * lloyd.nIter);
  });
});

describe('KMeans estimator', () => {
  test.each(algorithms)('%s fit ≡ lloyd fit with k-means++, nInit=3, randomState', (algorithm) => {
    const { X } = blobs(3000, 6, 12, 31, 2);
    const options = { nClusters: 12, nInit: 3, randomState: 42, onWarning: () => {} };
    const lloyd = new KMeans({ ...options, algorithm: 'lloyd' }).fit(X);
    const fast = new KMeans({ ...options, algorithm }).fit(X);
    expect(Array.from(fast.labels)).toEqual(Array.from(lloyd.labels));
    expect(fast.nIter).toBe(lloyd.nIter);
    expect(Array.from(fast.clusterCenters.data)).toEqual(Array.from(lloyd.clusterCenters.data));
    expect(fast.inertia).toBe(lloyd.inertia);
  });

  test("'auto' runs Hamerly from k ≥ 16 and k·d ≥ 192, else Lloyd; either way Lloyd's result", () => {
    expect([autoAlgorithm(2, 8), autoAlgorithm(8, 16), autoAlgorithm(64, 10), autoAlgorithm(2, 64)]).toEqual(['lloyd', 'lloyd', 'lloyd', 'lloyd']);
    expect([autoAlgorithm(8, 24), autoAlgorithm(16, 64), autoAlgorithm(64, 256), autoAlgorithm(12, 16)]).toEqual(['hamerly', 'hamerly', 'hamerly', 'hamerly']);
    // Threaded, Lloyd's shared E-step wins until Hamerly saves more than the threads give.
    expect([autoAlgorithm(8, 24, true), autoAlgorithm(16, 64, true), autoAlgorithm(64, 10, true)]).toEqual(['lloyd', 'hamerly', 'lloyd']);
    const { X } = blobs(4000, 16, 20, 33, 2);
    const options = { nClusters: 20, nInit: 2, randomState: 7, onWarning: () => {} };
    const lloyd = new KMeans({ ...options, algorithm: 'lloyd' }).fit(X);
    const auto = new KMeans(options).fit(X);
    expect(Array.from(auto.labels)).toEqual(Array.from(lloyd.labels));
    expect(auto.nIter).toBe(lloyd.nIter);
    expect(Array.from(auto.clusterCenters.data)).toEqual(Array.from(lloyd.clusterCenters.data));
  });

  test('kmeans() with sample weights and tol=0', () => {
    const { X } = blobs(1000, 3, 6, 32);
    const sampleWeight = X.map((_, i) => (i % 4) * 0.5);
    const base = { init: X.slice(0, 6), tol: 0, sampleWeight };
    const lloyd = kmeans(X, 6, { ...base, algorithm: 'lloyd' });
    for (const algorithm of algorithms) {
      const fast = kmeans(X, 6, { ...base, algorithm });
      expect(Array.from(fast.labels)).toEqual(Array.from(lloyd.labels));
      expect(fast.nIter).toBe(lloyd.nIter);
      expect(fast.inertia).toBe(lloyd.inertia);
    }
  });

  test('unknown algorithm is refused', () => {
    // @ts-expect-error: not an algorithm
    expect(() => new KMeans({ algorithm: 'full' })).toThrow(/algorithm must be one of 'auto', 'lloyd', 'elkan', 'hamerly', 'yinyang'/);
  });

  test.skipIf(!algorithms.includes('elkan'))("elkan refuses with OUT_OF_MEMORY when n·k bounds do not fit in wasm32", () => {
    const n = 100_000;
    const k = 6000;
    const X = new Float64Array(n).map((_, i) => i % 977);
    const initCenters = new Float64Array(k).map((_, j) => j);
    const fit = () => kmeans({ data: X, rows: n, cols: 1 }, k, { init: { data: initCenters, rows: k, cols: 1 }, algorithm: 'elkan' });
    expect(fit).toThrow(WasmeansError);
    expect(fit).toThrow(/n·k lower bounds \(4\.47 GiB\), beyond wasm32/);
  });
});
