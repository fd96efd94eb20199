// Cosine (spherical) k-means against a naive float64 spherical k-means (Dhillon & Modha) from the same centers, and
// the properties that define it: rows and centers on the unit sphere, inertia Σ w (1 − cos), transform 1 − cos.
import { beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, kmeans, kmeansAsync, MiniBatchKMeans, shutdownThreads } from '../../src/index';
import { adjustedRand, expectWasmeansError, maxRelativeError, samePartition, testRng, type Rows } from '../reference';

beforeAll(() => init());

const silent = { onWarning: () => {} };
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += a[t] * b[t];
  return s;
};
const unit = (x: ArrayLike<number>) => {
  const norm = Math.sqrt(dot(x, x));
  return Array.from(x, (v) => v / norm);
};
const rowsOf = (data: Float64Array, cols: number): Rows => Array.from({ length: data.length / cols }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));

/**
 * A von Mises–Fisher-like set: k random unit directions in d dimensions, each row a direction plus Gaussian noise of
 * `spread`, at a random length (cosine ignores it), rows interleaved.
 */
function directions(n: number, d: number, k: number, seed: number, spread = 0.15) {
  const rng = testRng(seed);
  const means = Array.from({ length: k }, () => unit(Array.from({ length: d }, () => rng.normal())));
  const X: Rows = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i % k;
    const length = 0.1 + 10 * rng.uniform();
    X.push(means[j].map((m) => length * (m + spread * rng.normal())));
    y.push(j);
  }
  return { X, y, means };
}

/** Spherical k-means in float64: argmax x·c (the lower index on ties), centers the normalised means, until no label changes. */
function referenceSpherical(X: Rows, initCenters: Rows, maxIter = 300, weights = X.map(() => 1)) {
  const U = X.map(unit);
  let centers = initCenters.map(unit);
  let labels: number[] = [];
  let nIter = 0;
  for (; nIter < maxIter; nIter++) {
    const next = U.map((x) => {
      let best = 0;
      for (let j = 1; j < centers.length; j++) if (dot(x, centers[j]) > dot(x, centers[best])) best = j;
      return best;
    });
    const sums = centers.map((c) => c.map(() => 0));
    U.forEach((x, r) => x.forEach((v, t) => (sums[next[r]][t] += weights[r] * v)));
    centers = sums.map(unit);
    const same = next.every((l, r) => l === labels[r]);
    labels = next;
    if (same) break;
  }
  const inertia = U.reduce((s, x, r) => s + weights[r] * (1 - dot(x, centers[labels[r]])), 0);
  return { labels, centers, inertia, nIter: nIter + 1 };
}

describe("KMeans({ metric: 'cosine' }) is spherical k-means", () => {
  const { X } = directions(900, 24, 6, 1, 0.45);
  const initRows = [3, 10, 50, 100, 200, 301].map((r) => X[r]);
  const reference = referenceSpherical(X, initRows);

  test.each(['lloyd', 'elkan', 'hamerly', 'yinyang'] as const)('%s from the same centers: the float64 reference’s labels, centers and inertia', (algorithm) => {
    const km = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows, algorithm, tol: 0, ...silent }).fit(X);
    expect(Array.from(km.labels)).toEqual(reference.labels);
    expect(maxRelativeError(km.clusterCenters.data, reference.centers.flat())).toBeLessThan(1e-6);
    expect(Math.abs(km.inertia / reference.inertia - 1)).toBeLessThan(1e-5);
    expect(km.nIter).toBe(reference.nIter);
    // The reference needed several iterations: the test exercises the M-step's renormalisation.
    expect(reference.nIter).toBeGreaterThan(2);
  });

  test('float32 rows (as embedding APIs return them) give what float64 rows give, and the input is not changed', () => {
    const rows = X.map((x) => Float32Array.from(x));
    const before = rows.map((r) => r.slice());
    const a = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows.map((r) => Array.from(Float32Array.from(r))), tol: 0 }).fit(rows);
    const b = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows.map((r) => Array.from(Float32Array.from(r))), tol: 0 }).fit(rows.map((r) => Array.from(r)));
    expect(a.labels).toEqual(b.labels);
    expect(a.clusterCenters.data).toEqual(b.clusterCenters.data);
    expect(rows).toEqual(before);
  });

  test('centers have unit length; transform is 1 − cos; score is −Σ (1 − cos); predict is the fitted labels', () => {
    const km = new KMeans({ nClusters: 6, metric: 'cosine', randomState: 0 }).fit(X);
    const centers = rowsOf(km.clusterCenters.data, 24);
    for (const c of centers) expect(Math.abs(dot(c, c) - 1)).toBeLessThan(1e-12);
    const distances = km.transform(X.slice(0, 50));
    const expected = X.slice(0, 50).flatMap((x) => centers.map((c) => 1 - dot(unit(x), c)));
    for (let i = 0; i < expected.length; i++) expect(Math.abs(distances.data[i] - expected[i])).toBeLessThan(1e-6);
    const inertia = X.reduce((s, x, r) => s + 1 - dot(unit(x), centers[km.labels[r]]), 0);
    expect(Math.abs(km.inertia / inertia - 1)).toBeLessThan(1e-5);
    expect(Math.abs(-km.score(X) / inertia - 1)).toBeLessThan(1e-5);
    expect(km.predict(X)).toEqual(km.labels);
  });

  test('a row’s length changes nothing, whatever its magnitude (1e-300 to 1e300)', () => {
    const scaled = X.map((x, r) => x.map((v) => v * 10 ** (((r * 37) % 601) - 300)));
    const a = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows, tol: 0 }).fit(X);
    const b = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows, tol: 0 }).fit(scaled);
    expect(b.labels).toEqual(a.labels);
    expect(maxRelativeError(b.clusterCenters.data, a.clusterCenters.data)).toBeLessThan(1e-6);
  });

  test('a row counted twice is the row with weight 2', () => {
    const weights = X.map((_, r) => 1 + (r % 2));
    const twice = X.flatMap((x, r) => (r % 2 ? [x, x] : [x]));
    const a = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows, tol: 0 }).fit(X, { sampleWeight: weights });
    const b = new KMeans({ nClusters: 6, metric: 'cosine', init: initRows, tol: 0 }).fit(twice);
    expect(maxRelativeError(a.clusterCenters.data, b.clusterCenters.data)).toBeLessThan(1e-6);
    expect(Math.abs(a.inertia / b.inertia - 1)).toBeLessThan(1e-6);
    const ref = referenceSpherical(X, initRows, 300, weights);
    expect(Array.from(a.labels)).toEqual(ref.labels);
  });
});

describe('cosine and euclidean agree where they must', () => {
  test("on rows of unit length with well-separated directions, 'cosine' and 'euclidean' give the same partition", () => {
    const { X, y } = directions(1200, 32, 8, 2, 0.1);
    const U = X.map(unit);
    const cosine = new KMeans({ nClusters: 8, metric: 'cosine', randomState: 3 }).fit(U);
    const euclidean = new KMeans({ nClusters: 8, randomState: 3 }).fit(U);
    expect(samePartition(cosine.labels, euclidean.labels)).toBe(true);
    expect(samePartition(cosine.labels, y)).toBe(true);
    // Between unit vectors ‖x − c‖² = 2 (1 − cos): the euclidean inertia is about twice the cosine one (its centers are
    // means inside the sphere, so a little less).
    expect(euclidean.inertia / cosine.inertia).toBeGreaterThan(1.8);
    expect(euclidean.inertia / cosine.inertia).toBeLessThanOrEqual(2);
  });

  test('clusters around random directions at random lengths are recovered (k-means++ and k-means||)', () => {
    const { X, y, means } = directions(3000, 64, 12, 4, 0.1);
    for (const initMethod of ['k-means++', 'k-means||'] as const) {
      const km = new KMeans({ nClusters: 12, metric: 'cosine', init: initMethod, nInit: 3, randomState: 5 }).fit(X);
      expect(samePartition(km.labels, y)).toBe(true);
      // Each fitted center is its cluster's direction.
      const centers = rowsOf(km.clusterCenters.data, 64);
      for (const c of centers) expect(Math.max(...means.map((m) => dot(m, c)))).toBeGreaterThan(0.99);
    }
    // Euclidean k-means on the raw rows mixes lengths into it and does not recover them.
    const euclidean = new KMeans({ nClusters: 12, randomState: 5 }).fit(X);
    expect(adjustedRand(euclidean.labels, y)).toBeLessThan(0.9);
  });
});

describe('the function forms, threads and MiniBatchKMeans', () => {
  const { X, y } = directions(10_000, 16, 5, 6, 0.15);

  test('kmeans() and kmeansAsync() on two threads give KMeans.fit’s result bit for bit', async () => {
    const fitted = new KMeans({ nClusters: 5, metric: 'cosine', randomState: 1, algorithm: 'lloyd' }).fit(X);
    const direct = kmeans(X, 5, { metric: 'cosine', randomState: 1, algorithm: 'lloyd' });
    const threaded = await kmeansAsync(X, 5, { metric: 'cosine', randomState: 1, algorithm: 'lloyd', threads: 2 });
    for (const result of [direct, threaded]) {
      expect(result.labels).toEqual(fitted.labels);
      expect(result.centers.data).toEqual(fitted.clusterCenters.data);
      expect(result.inertia).toBe(fitted.inertia);
    }
    await shutdownThreads();
  });

  test('MiniBatchKMeans: one partialFit step from given centers is the normalised mean of the rows each center takes', () => {
    const initRows = [0, 1, 2, 3, 4].map((r) => X[r]);
    const batch = X.slice(0, 400);
    const mb = new MiniBatchKMeans({ nClusters: 5, metric: 'cosine', init: initRows, ...silent }).partialFit(batch);
    const initUnit = initRows.map(unit);
    const labels = batch.map((x) => {
      const u = unit(x);
      let best = 0;
      for (let j = 1; j < 5; j++) if (dot(u, initUnit[j]) > dot(u, initUnit[best])) best = j;
      return best;
    });
    const sums = initUnit.map((c) => c.map(() => 0));
    batch.forEach((x, r) => unit(x).forEach((v, t) => (sums[labels[r]][t] += v)));
    const expected = sums.map(unit).flat();
    expect(maxRelativeError(mb.clusterCenters.data, expected)).toBeLessThan(1e-6);
  });

  test('MiniBatchKMeans fit and partialFit on chunks recover the directions, with centers on the sphere', () => {
    const fitted = new MiniBatchKMeans({ nClusters: 5, metric: 'cosine', randomState: 2, batchSize: 512 }).fit(X);
    expect(adjustedRand(fitted.labels, y)).toBeGreaterThan(0.95);
    const streamed = new MiniBatchKMeans({ nClusters: 5, metric: 'cosine', randomState: 2 });
    for (let epoch = 0; epoch < 3; epoch++) for (let start = 0; start < X.length; start += 1000) streamed.partialFit(X.slice(start, start + 1000));
    expect(adjustedRand(streamed.predict(X), y)).toBeGreaterThan(0.95);
    for (const model of [fitted, streamed]) {
      for (const c of rowsOf(model.clusterCenters.data, 16)) expect(Math.abs(dot(c, c) - 1)).toBeLessThan(1e-12);
      expect(Math.abs(-model.score(X) / X.reduce((s, x, r) => s + 1 - Math.max(...rowsOf(model.clusterCenters.data, 16).map((c) => dot(unit(x), c))), 0) - 1)).toBeLessThan(1e-5);
    }
  });
});

describe('rows with no direction are refused, named', () => {
  const X = [[1, 2], [3, 1], [0, 0], [2, 2]];
  test.each([
    ['KMeans.fit', () => new KMeans({ nClusters: 2, metric: 'cosine' }).fit(X), /row 2 of X has norm 0/],
    ['float32 rows', () => new KMeans({ nClusters: 2, metric: 'cosine' }).fit(X.map((x) => Float32Array.from(x))), /row 2 of X has norm 0/],
    ['MiniBatchKMeans.partialFit', () => new MiniBatchKMeans({ nClusters: 2, metric: 'cosine' }).partialFit(X), /row 2 of X has norm 0/],
    ['explicit init', () => new KMeans({ nClusters: 2, metric: 'cosine', init: [[1, 0], [0, 0]] }).fit([[1, 2], [3, 1], [2, 2]]), /row 1 of init has norm 0/],
    ['predict', () => new KMeans({ nClusters: 2, metric: 'cosine' }).fit([[1, 2], [3, 1], [2, 2]]).predict(X), /row 2 of X has norm 0/],
    ['a NaN is still a bad value', () => new KMeans({ nClusters: 2, metric: 'cosine' }).fit([[1, 2], [3, NaN], [2, 2]]), /X contains NaN at row 1, column 1/],
  ])('%s', (_, fn, message) => expectWasmeansError(fn, 'INVALID_INPUT', message));

  test('an unknown metric is refused with the choices', () => {
    expectWasmeansError(() => new KMeans({ nClusters: 2, metric: 'manhattan' as 'cosine' }), 'INVALID_PARAMETER', /metric must be 'euclidean' or 'cosine'/);
  });
});
