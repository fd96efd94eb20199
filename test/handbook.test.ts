// The Python Data Science Handbook's k-means chapter, example by example, with wasmeans. Bracketed numbers
// are scikit-learn 1.2.1's on the same data, and the book's.
import { describe, expect, test } from 'vitest';
import { loadDigits, loadSampleImage, makeBlobs, makeMoons } from '../src/datasets';
import {
  accuracyScore, adjustedRandScore, confusionMatrix, init, KMeans, type Matrix, matchLabels, MiniBatchKMeans,
  pairwiseDistancesArgmin, quantize, RandomState, takeRows, toArrays,
} from '../src/index';
import { SpectralClustering } from '../src/spectral';

// Fits run while the suites are collected, so the module loads first.
await init();

// numpy's X[rows], as nested arrays.
const rowsOf = (m: Matrix, rows: ArrayLike<number>) => toArrays(takeRows(m, rows));

describe('Introducing k-means: four blobs', () => {
  const { X, y } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });

  test('KMeans(n_clusters=4).fit(X).predict(X) recovers the blobs', () => {
    const kmeans = new KMeans({ nClusters: 4, randomState: 0 });
    kmeans.fit(X);
    expect(adjustedRandScore(y, kmeans.predict(X))).toBe(1);
    expect(kmeans.clusterCenters.rows).toBe(4);
  });

  // In[5]: the book's own E–M loop, written with pairwiseDistancesArgmin and numpy's permutation.
  function findClusters(nClusters: number, rseed: number) {
    const rng = new RandomState(rseed);
    let centers = rowsOf(X, rng.permutation(X.rows).subarray(0, nClusters));
    for (;;) {
      const labels = pairwiseDistancesArgmin(X, centers);
      const next = centers.map((_, j) => {
        const members = rowsOf(X, Array.from(labels.keys()).filter((i) => labels[i] === j));
        return [0, 1].map((t) => members.reduce((s, r) => s + r[t], 0) / members.length);
      });
      if (next.every((c, j) => c.every((v, t) => v === centers[j][t]))) return { centers, labels };
      centers = next;
    }
  }

  test('find_clusters(X, 4) converges to the blobs; with rseed=0 to a poor local optimum (Figure 5-114)', () => {
    expect(adjustedRandScore(y, findClusters(4, 2).labels)).toBe(1);
    expect(adjustedRandScore(y, findClusters(4, 0).labels)).toBeLessThan(0.9);
  });

  test('KMeans(6, random_state=0).fit_predict(X) happily finds six clusters', () => {
    expect(new Set(new KMeans({ nClusters: 6, randomState: 0 }).fitPredict(X)).size).toBe(6);
  });
});

test('k-means fails on non-linear boundaries: make_moons(200, noise=.05) [ARI 0.256]', () => {
  const { X, y } = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });
  const labels = new KMeans({ nClusters: 2, randomState: 0 }).fitPredict(X);
  expect(adjustedRandScore(y, labels)).toBeCloseTo(0.256, 3);
});

test("SpectralClustering(n_clusters=2, affinity='nearest_neighbors', assign_labels='kmeans') finds the moons [ARI 1.0]", () => {
  const { X, y } = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });
  const model = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels: 'kmeans', onWarning: () => {} });
  expect(adjustedRandScore(y, model.fitPredict(X))).toBe(1);
});

describe('Example 1: k-means on digits', () => {
  const digits = loadDigits();
  const kmeans = new KMeans({ nClusters: 10, nInit: 10, randomState: 0 });
  const clusters = kmeans.fitPredict(digits.data);
  const labels = matchLabels(clusters, digits.target, { method: 'mode' });

  test('ten 64-dimensional centers, inertia within 0.5% of [1165177.7]', () => {
    expect(kmeans.clusterCenters.rows).toBe(10);
    expect(kmeans.clusterCenters.cols).toBe(64);
    expect(Math.abs(kmeans.inertia / 1165177.7 - 1)).toBeLessThan(0.005);
  });

  test('the centers look like digits: each is nearest to the mean image of the digit it is matched to', () => {
    const means = Array.from({ length: 10 }, (_, d) => {
      const members = Array.from(digits.target.keys()).filter((i) => digits.target[i] === d);
      return Array.from({ length: 64 }, (_, t) => members.reduce((s, i) => s + digits.data.data[i * 64 + t], 0) / members.length);
    });
    const centers = rowsOf(kmeans.clusterCenters, Array.from({ length: 10 }, (_, j) => j));
    const nearestDigit = pairwiseDistancesArgmin(centers, means);
    for (let j = 0; j < 10; j++) {
      const member = clusters.indexOf(j);
      // The book notes that 1 and 8 are the doubtful ones; every other center is its digit's.
      if (labels[member] !== 1 && labels[member] !== 8) expect(nearestDigit[j]).toBe(labels[member]);
    }
  });

  test('mode-matched accuracy ≥ 0.78 [0.7935]', () => {
    const accuracy = accuracyScore(digits.target, labels);
    expect(accuracy).toBeGreaterThanOrEqual(0.78);
    expect(accuracy).toBeCloseTo(0.79354479688369506, 6);
  });

  test('the confusion matrix is 10×10, and its largest off-diagonal cell confuses 8 and 1', () => {
    const mat = confusionMatrix(digits.target, labels);
    expect([mat.rows, mat.cols]).toEqual([10, 10]);
    let worst = { count: -1, truth: -1, predicted: -1 };
    for (let i = 0; i < 10; i++) {
      for (let j = 0; j < 10; j++) {
        const count = mat.data[i * 10 + j];
        if (i !== j && count > worst.count) worst = { count, truth: i, predicted: j };
      }
    }
    expect([worst.truth, worst.predicted].sort()).toEqual([1, 8]);
  });
});

describe('Example 2: colour compression of the china photo', () => {
  const china = loadSampleImage('china');
  const n = china.width * china.height;
  const data = { data: Float32Array.from(china.pixels, (v) => v / 255), rows: n, cols: 3 };

  test('the image is 427 × 640 × 3, 273 280 pixels', () => {
    expect([china.height, china.width, china.channels]).toEqual([427, 640, 3]);
    expect(n).toBe(273280);
  });

  test('MiniBatchKMeans(16): full-data inertia at most 1.02 × [1518.9]', () => {
    const kmeans = new MiniBatchKMeans({ nClusters: 16, nInit: 3, randomState: 0 }).fit(data);
    expect(kmeans.inertia).toBeLessThanOrEqual(1.02 * 1518.9);
    const newColors = kmeans.predict(data);
    expect(newColors.length).toBe(n);
  });

  test('KMeans(16): inertia at most 1.01 × [1489.4]', () => {
    const kmeans = new KMeans({ nClusters: 16, randomState: 0 }).fit(data);
    expect(kmeans.inertia).toBeLessThanOrEqual(1.01 * 1489.4);
  });

  test('quantize() does the same in one call', () => {
    const result = quantize(china.pixels, { width: china.width, height: china.height, nColors: 16, randomState: 0 });
    expect(result.inertia).toBeLessThanOrEqual(1.02 * 1518.9);
    expect(new Set(result.indices).size).toBe(16);
  });
});
