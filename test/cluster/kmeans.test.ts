import { beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, kmeans, kmeansPlusPlus, type Matrix } from '../../src/index';
import { adjustedRand, blobs, digits, expectWasmeansError, fixture, maxRelativeError, referenceLloyd, samePartition, type Rows } from '../reference';

const fx = fixture('sklearn-kmeans.json');
const silent = { onWarning: () => {} };
const rowsOf = (m: Matrix): Rows => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
const flat = (rows: Rows) => rows.flat();

beforeAll(() => init());

describe('hand-computed toy (scikit-learn test_kmeans_results)', () => {
  // Weights 3,1,1,3 and centers (0,0), (1,1): the first two points go to center 0, the last two to center 1;
  // the weighted means are (3·(0,0) + (0.5,0))/4 = (0.125, 0) and ((0.5,1) + 3·(1,1))/4 = (0.875, 1); the labels
  // do not change in the second iteration, so nIter = 2; inertia = 6·0.125² + 2·0.375² = 0.375.
  const X = [[0, 0], [0.5, 0], [0.5, 1], [1, 1]];
  const sampleWeight = [3, 1, 1, 3];
  const initCenters = [[0, 0], [1, 1]];

  test('labels, centers, inertia and nIter', () => {
    const km = new KMeans({ nClusters: 2, init: initCenters, ...silent }).fit(X, { sampleWeight });
    expect(Array.from(km.labels)).toEqual([0, 0, 1, 1]);
    expect(Array.from(km.clusterCenters.data)).toEqual([0.125, 0, 0.875, 1]);
    expect(km.inertia).toBe(0.375);
    expect(km.nIter).toBe(2);
  });

  test('predict, transform and score use the fitted centers', () => {
    const km = new KMeans({ nClusters: 2, init: initCenters }).fit(X, { sampleWeight });
    expect(Array.from(km.predict([[0.1, 0.1], [0.9, 0.8]]))).toEqual([0, 1]);
    const t = km.transform([[0.125, 0]]);
    expect(t.rows).toBe(1);
    expect(t.cols).toBe(2);
    expect(t.data[0]).toBe(0);
    expect(t.data[1]).toBeCloseTo(Math.hypot(0.75, 1), 6);
    expect(km.score(X, { sampleWeight })).toBeCloseTo(-0.375, 12);
    expect(km.score(X)).toBeCloseTo(-(2 * 0.125 ** 2 + 2 * 0.375 ** 2), 12);
  });
});

describe('fixed initial centers ≡ a plain float64 Lloyd', () => {
  const cases = [
    { name: '2 features, 5 clusters', data: blobs(600, 2, 5, 1, 1.5), k: 5, tol: 1e-4 },
    { name: '7 features (d % 4 = 3), 17 clusters', data: blobs(900, 7, 17, 2, 2.5), k: 17, tol: 0 },
    { name: '1 feature, 3 clusters', data: blobs(300, 1, 3, 3, 0.5), k: 3, tol: 1e-2 },
    { name: '33 features, 40 clusters', data: blobs(1000, 33, 40, 4, 4), k: 40, tol: 1e-8 },
  ];
  for (const { name, data, k, tol } of cases) {
    test(name, () => {
      const initRows = data.X.slice(0, k);
      const ref = referenceLloyd(data.X, initRows, { maxIter: 300, tol });
      const got = kmeans(data.X, k, { init: initRows, tol, ...silent });
      expect(Array.from(got.labels)).toEqual(ref.labels);
      expect(got.nIter).toBe(ref.nIter);
      expect(maxRelativeError(got.centers.data, flat(ref.centers))).toBeLessThan(1e-6);
      expect(Math.abs(got.inertia - ref.inertia) / ref.inertia).toBeLessThan(1e-7);
    });
  }

  test('weighted, with an empty cluster relocated', () => {
    const { X } = blobs(400, 3, 4, 5);
    const initRows = [...X.slice(0, 3), [1000, 1000, 1000]];
    const weights = X.map((_, i) => 0.5 + (i % 7));
    const ref = referenceLloyd(X, initRows, { maxIter: 300, tol: 1e-4, weights });
    const got = kmeans(X, 4, { init: initRows, sampleWeight: weights, ...silent });
    expect(Array.from(got.labels)).toEqual(ref.labels);
    expect(got.nIter).toBe(ref.nIter);
    expect(maxRelativeError(got.centers.data, flat(ref.centers))).toBeLessThan(1e-6);
  });

  test('k = n: every point its own cluster, zero inertia', () => {
    const X = [[0, 1], [2, 3], [4, 5], [6, 7.5], [-1, 2]];
    const got = kmeans(X, 5, { init: X, ...silent });
    expect(Array.from(got.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(got.inertia).toBe(0);
  });

  test('k = 1: the weighted mean', () => {
    const { X } = blobs(200, 5, 2, 6);
    const weights = X.map((_, i) => 1 + (i % 3));
    const got = kmeans(X, 1, { sampleWeight: weights, randomState: 0 });
    const total = weights.reduce((a, b) => a + b, 0);
    const mean = [0, 1, 2, 3, 4].map((t) => X.reduce((s, x, i) => s + weights[i] * x[t], 0) / total);
    expect(maxRelativeError(got.centers.data, mean)).toBeLessThan(1e-6);
    expect(Array.from(new Set(got.labels))).toEqual([0]);
  });
});

describe('scikit-learn 1.2.1 fixtures', () => {
  const data: Record<string, Rows> = { digits: digits().X, blobs: fx.blobs.X };
  for (const c of fx.fixedInit) {
    test(c.name, () => {
      const X = c.name.startsWith('digits') ? data.digits : data.blobs;
      const got = kmeans(X, c.options.n_clusters, {
        init: c.init, tol: c.options.tol, maxIter: c.options.max_iter, sampleWeight: c.sampleWeight, ...silent,
      });
      expect(Array.from(got.labels)).toEqual(c.labels);
      expect(got.nIter).toBe(c.nIter);
      expect(maxRelativeError(got.centers.data, flat(c.centers))).toBeLessThan(1e-4);
      expect(Math.abs(got.inertia - c.inertia) / c.inertia).toBeLessThan(1e-6);
    });
  }

  test('k-means++ picks the same rows as scikit-learn for the same seed', () => {
    for (const [name, c] of Object.entries<{ nClusters: number; randomState: number; indices: number[] }>(fx.kmeansPlusPlus)) {
      const X = data[name];
      const got = kmeansPlusPlus(X, c.nClusters, { randomState: c.randomState });
      expect(Array.from(got.indices), name).toEqual(c.indices);
      expect(Array.from(got.centers.data)).toEqual(c.indices.flatMap((i) => X[i]));
    }
  });

  test("the handbook's digits fit: KMeans(10, randomState 0, nInit 10)", () => {
    const c = fx.seeded.digitsHandbook;
    const km = new KMeans({ nClusters: 10, randomState: 0, nInit: 10 }).fit(data.digits);
    expect(Math.abs(km.inertia - c.inertia) / c.inertia).toBeLessThan(1e-6);
    expect(Array.from(km.labels)).toEqual(c.labels);
    expect(km.nIter).toBe(c.nIter);
  });

  test('seeded k-means++ and random-init restarts match scikit-learn', () => {
    for (const key of ['digitsPlusPlusSingle', 'blobsRandomInit', 'handbookBlobs']) {
      const c = fx.seeded[key];
      const X = key.startsWith('digits') ? data.digits : key === 'blobsRandomInit' ? data.blobs : fx.handbookBlobs.X;
      const km = new KMeans({
        nClusters: c.options.n_clusters, randomState: c.options.random_state, nInit: c.options.n_init, init: c.options.init ?? 'k-means++',
      }).fit(X);
      expect(Array.from(km.labels), key).toEqual(c.labels);
      expect(km.nIter, key).toBe(c.nIter);
      expect(maxRelativeError(km.clusterCenters.data, flat(c.centers)), key).toBeLessThan(1e-4);
    }
  });
});

describe('weights', () => {
  const { X } = blobs(500, 4, 3, 11, 2);
  const initRows = X.slice(0, 3);

  test('no weights ≡ all ones ≡ all 2.5', () => {
    const none = kmeans(X, 3, { randomState: 3, nInit: 3 });
    const ones = kmeans(X, 3, { randomState: 3, nInit: 3, sampleWeight: X.map(() => 1) });
    const scaled = kmeans(X, 3, { randomState: 3, nInit: 3, sampleWeight: X.map(() => 2.5) });
    expect(Array.from(ones.labels)).toEqual(Array.from(none.labels));
    expect(Array.from(scaled.labels)).toEqual(Array.from(none.labels));
    expect(maxRelativeError(scaled.centers.data, none.centers.data)).toBeLessThan(1e-12);
    expect(scaled.inertia).toBeCloseTo(2.5 * none.inertia, 6);
  });

  test('scaling non-uniform weights changes nothing but the inertia scale', () => {
    const w = X.map((_, i) => 1 + (i % 5));
    const a = kmeans(X, 3, { init: initRows, sampleWeight: w });
    const b = kmeans(X, 3, { init: initRows, sampleWeight: w.map((v) => v * 7) });
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(maxRelativeError(b.centers.data, a.centers.data)).toBeLessThan(1e-12);
    expect(b.nIter).toBe(a.nIter);
  });

  test('weight 2 ≡ the row repeated', () => {
    const w = X.map((_, i) => (i % 4 === 0 ? 2 : 1));
    const repeated = [...X, ...X.filter((_, i) => i % 4 === 0)];
    const a = kmeans(X, 3, { init: initRows, sampleWeight: w });
    const b = kmeans(repeated, 3, { init: initRows });
    expect(Array.from(b.labels.subarray(0, X.length))).toEqual(Array.from(a.labels));
    expect(maxRelativeError(a.centers.data, b.centers.data)).toBeLessThan(1e-6);
    expect(a.inertia).toBeCloseTo(b.inertia, 3);
  });
});

describe('properties of the fit', () => {
  const { X } = blobs(1500, 6, 12, 21, 3);

  test('more restarts never give a higher inertia', () => {
    // Runs share one seeded stream, so the runs of nInit = m are a prefix of those of nInit = m + 1.
    let previous = Infinity;
    for (const nInit of [1, 2, 4, 8]) {
      const { inertia } = kmeans(X, 12, { nInit, randomState: 5, ...silent });
      expect(inertia).toBeLessThanOrEqual(previous);
      previous = inertia;
    }
  });

  test('tol = 0 still stops before maxIter on easy data', () => {
    const easy = blobs(300, 2, 3, 8, 0.3);
    const got = kmeans(easy.X, 3, { tol: 0, randomState: 1 });
    expect(got.converged).toBe(true);
    expect(got.nIter).toBeLessThan(300);
  });

  test('inertia never increases from one iteration to the next', () => {
    const initRows = X.slice(0, 12);
    let previous = Infinity;
    for (let maxIter = 1; maxIter <= 15; maxIter++) {
      const { inertia } = kmeans(X, 12, { init: initRows, maxIter, tol: 0, ...silent });
      expect(inertia).toBeLessThanOrEqual(previous * (1 + 1e-12));
      previous = inertia;
    }
  });

  test('the same randomState gives identical output', () => {
    const a = new KMeans({ nClusters: 12, randomState: 99, nInit: 3 }).fit(X);
    const b = new KMeans({ nClusters: 12, randomState: 99, nInit: 3 }).fit(X);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.clusterCenters.data)).toEqual(Array.from(a.clusterCenters.data));
    expect(b.inertia).toBe(a.inertia);
  });

  test('float32, float64 matrices and number[][] give the same fit', () => {
    const flatX = X.flat();
    const opts = { randomState: 4 };
    const a = kmeans(X, 12, opts);
    const b = kmeans({ data: Float64Array.from(flatX), rows: X.length, cols: 6 }, 12, opts);
    const c = kmeans({ data: Float32Array.from(flatX), rows: X.length, cols: 6 }, 12, opts);
    const d = kmeans(X.map((r) => Float32Array.from(r)), 12, opts);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(samePartition(c.labels, a.labels)).toBe(true);
    expect(samePartition(d.labels, a.labels)).toBe(true);
    expect(maxRelativeError(c.centers.data, a.centers.data)).toBeLessThan(1e-5);
  });

  test('float64 data far from the origin is clustered as precisely as data near it', () => {
    const near = kmeans(X, 12, { randomState: 6 });
    const far = kmeans(X.map((r) => r.map((v) => v + 1e6)), 12, { randomState: 6 });
    expect(Array.from(far.labels)).toEqual(Array.from(near.labels));
    const shiftedBack = far.centers.data.map((v) => v - 1e6);
    expect(maxRelativeError(shiftedBack, near.centers.data)).toBeLessThan(1e-6);
  });

  test('inputs are never mutated', () => {
    const rows = X.map((r) => [...r]);
    const matrixData = Float32Array.from(X.flat());
    const weights = X.map((_, i) => 1 + (i % 3));
    const initRows = X.slice(0, 12).map((r) => [...r]);
    const km = new KMeans({ nClusters: 12, init: initRows }).fit(rows, { sampleWeight: weights });
    km.predict(rows);
    km.transform({ data: matrixData, rows: X.length, cols: 6 });
    km.score(rows, { sampleWeight: weights });
    expect(rows).toEqual(X);
    expect(Array.from(matrixData)).toEqual(Array.from(Float32Array.from(X.flat())));
    expect(weights).toEqual(X.map((_, i) => 1 + (i % 3)));
    expect(initRows).toEqual(X.slice(0, 12));
  });

  test('predict ≡ the labels of the fit, transform ≡ naive distances', () => {
    const km = new KMeans({ nClusters: 12, randomState: 2 }).fit(X);
    expect(Array.from(km.predict(X))).toEqual(Array.from(km.labels));
    const centers = rowsOf(km.clusterCenters);
    const t = km.transform(X.slice(0, 50));
    const naive = X.slice(0, 50).flatMap((x) => centers.map((c) => Math.sqrt(c.reduce((s, v, i) => s + (x[i] - v) ** 2, 0))));
    expect(maxRelativeError(t.data, naive, 1e-3)).toBeLessThan(1e-5);
    expect(-km.score(X) / km.inertia).toBeCloseTo(1, 9);
  });

  test('results are copies, not views into wasm memory', () => {
    const km = new KMeans({ nClusters: 3, randomState: 0 }).fit(X);
    const labels = km.predict(X);
    expect(labels.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(labels.buffer.byteLength).toBe(labels.byteLength);
    expect(km.clusterCenters.data.buffer.byteLength).toBe(km.clusterCenters.data.byteLength);
  });
});

describe("the handbook's first example", () => {
  test('four well-separated blobs are recovered (ARI 1)', () => {
    // make_blobs(n_samples=300, centers=4, cluster_std=0.60, random_state=0), as the book generates it.
    const { X, y } = fx.handbookBlobs;
    for (let seed = 0; seed < 20; seed++) {
      const labels = new KMeans({ nClusters: 4, randomState: seed }).fit(X).predict(X);
      expect(adjustedRand(labels, y), `randomState ${seed}`).toBe(1);
    }
  });
});

describe('errors name the offending value', () => {
  const expectError = expectWasmeansError;

  test('bad data', () => {
    expectError(() => kmeans([[1, 2], [3, NaN]], 1), 'INVALID_INPUT', /NaN at row 1, column 1/);
    expectError(() => kmeans([[1, 2], [3, Infinity]], 1), 'INVALID_INPUT', /Infinity at row 1, column 1/);
    expectError(() => kmeans([[1, 2], [3]], 1), 'INVALID_INPUT', /ragged: row 1 has 1 values, row 0 has 2/);
    expectError(() => kmeans([[1, 2], [3, 4]], 3), 'INVALID_INPUT', /nSamples=2 should be >= nClusters=3/);
    expectError(() => kmeans([], 1), 'INVALID_INPUT', /0 rows/);
    expectError(() => kmeans({ data: new Float32Array(5), rows: 2, cols: 3 }, 1), 'INVALID_INPUT', /length 5, but rows=2 × cols=3 = 6/);
    expect(Array.from(kmeans([[1e30, 0]], 1).centers.data)).toEqual([1e30, 0]);
    // @ts-expect-error: strings are not numbers
    expectError(() => kmeans([[1, '2']], 1), 'INVALID_INPUT', /"2" at row 0, column 1/);
  });

  test('bad options', () => {
    expectError(() => new KMeans({ nClusters: 0 }), 'INVALID_PARAMETER', /nClusters must be an integer >= 1, got 0/);
    expectError(() => new KMeans({ nClusters: 2.5 }), 'INVALID_PARAMETER', /got 2.5/);
    expectError(() => new KMeans({ maxIter: -1 }), 'INVALID_PARAMETER', /maxIter .* got -1/);
    expectError(() => new KMeans({ tol: NaN }), 'INVALID_PARAMETER', /tol .* got NaN/);
    expectError(() => new KMeans({ nInit: 0 }), 'INVALID_PARAMETER', /nInit .* got 0/);
    // @ts-expect-error: not an algorithm
    expectError(() => new KMeans({ algorithm: 'fast' }), 'INVALID_PARAMETER', /algorithm .* got "fast"/);
    // @ts-expect-error: not an init
    expectError(() => new KMeans({ init: 'kmeans++' }), 'INVALID_PARAMETER', /init .* got "kmeans\+\+"/);
    expectError(() => new KMeans({ randomState: -3 }), 'INVALID_PARAMETER', /randomState .* got -3/);
    // @ts-expect-error: misspelt option
    expectError(() => new KMeans({ nCluster: 3 }), 'INVALID_PARAMETER', /unknown option "nCluster"/);
  });

  test('bad weights, init and shapes', () => {
    const X = [[0, 0], [1, 1], [2, 2]];
    expectError(() => kmeans(X, 2, { sampleWeight: [1, 2] }), 'INVALID_INPUT', /sampleWeight has length 2, but X has 3 rows/);
    expectError(() => kmeans(X, 2, { sampleWeight: [1, -2, 1] }), 'INVALID_INPUT', /sampleWeight\[1\] is -2/);
    expectError(() => kmeans(X, 2, { sampleWeight: [0, 0, 0] }), 'INVALID_INPUT', /sums to 0/);
    expectError(() => kmeans(X, 2, { init: [[0, 0, 0], [1, 1, 1]] }), 'INVALID_PARAMETER', /init has shape 2×3/);
    expectError(() => kmeans(X, 2, { init: [[0, NaN], [1, 1]] }), 'INVALID_INPUT', /init contains NaN at row 0, column 1/);
    const km = new KMeans({ nClusters: 2 });
    expectError(() => km.predict(X), 'NOT_FITTED', /not fitted/);
    km.fit(X);
    expectError(() => km.predict([[1, 2, 3]]), 'INVALID_INPUT', /X has 3 features, but KMeans was fitted with 2/);
  });

  test('warnings go through onWarning', () => {
    const warnings: string[] = [];
    const X = [[0, 0], [0, 0], [0, 0], [1, 1]];
    kmeans(X, 3, { randomState: 0, onWarning: (message, kind) => warnings.push(`${kind}: ${message}`) });
    expect(warnings).toEqual([expect.stringMatching(/^DISTINCT_CLUSTERS: number of distinct clusters \(2\) found smaller than nClusters \(3\)/)]);
  });
});

describe('float32 input, copied straight into place', () => {
  test('gives bitwise the fit of the same values as float64 rows', () => {
    const { X } = blobs(5000, 7, 6, 41, 2);
    const flat32 = Float32Array.from(X.flat());
    const asRows = Array.from({ length: X.length }, (_, i) => Array.from(flat32.subarray(i * 7, (i + 1) * 7)));
    const options = { nClusters: 6, randomState: 3, nInit: 2 };
    const fromF32 = new KMeans(options).fit({ data: flat32, rows: X.length, cols: 7 });
    const fromRows = new KMeans(options).fit(asRows);
    expect(Array.from(fromF32.labels)).toEqual(Array.from(fromRows.labels));
    expect(Array.from(fromF32.clusterCenters.data)).toEqual(Array.from(fromRows.clusterCenters.data));
    expect(fromF32.inertia).toBe(fromRows.inertia);
  });

  test('NaN is refused, naming row and column; any finite value is taken, up to the float32 limit', () => {
    const data = new Float32Array(40).fill(1);
    data[3 * 4 + 1] = NaN;
    expectWasmeansError(() => new KMeans({ nClusters: 2 }).fit({ data, rows: 10, cols: 4 }), 'INVALID_INPUT', /NaN at row 3, column 1/);
    data[3 * 4 + 1] = 1;
    data[7 * 4 + 2] = -3e38;
    const fit = new KMeans({ nClusters: 2, randomState: 0 }).fit({ data, rows: 10, cols: 4 });
    // The outlier is a cluster of its own, and the inertia is finite.
    expect(Array.from(fit.labels).filter((label) => label === fit.labels[7]).length).toBe(1);
    expect(fit.inertia).toBe(0);
  });
});
