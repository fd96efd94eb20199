// Property tests (fast-check): random shapes, values, seeds and weights. `npm test` runs a few dozen cases per
// property from a fixed seed; `npm run test:properties` runs many more from a fresh seed (WASMEANS_PROPERTY_RUNS,
// WASMEANS_PROPERTY_SEED to replay one that failed).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { init, KMeans, type KMeansAlgorithm, kneighborsGraph, type Matrix } from '../src/index';
import { maxRelativeError, sqDist } from './reference';

await init();

const runs = Number(process.env.WASMEANS_PROPERTY_RUNS ?? 40);
const seed = process.env.WASMEANS_PROPERTY_SEED ? Number(process.env.WASMEANS_PROPERTY_SEED) : process.env.WASMEANS_PROPERTY_RUNS ? undefined : 20261201;
fc.configureGlobal({ numRuns: runs, ...(seed === undefined ? {} : { seed }), endOnFailure: true });

const quiet = { onWarning: () => {} };
const algorithms: KMeansAlgorithm[] = ['lloyd', 'elkan', 'hamerly', 'yinyang'];

interface Case {
  rows: number[][];
  k: number;
  randomState: number;
  algorithm: KMeansAlgorithm;
  weights?: number[];
}

const matrixOf = (rows: number[][]): Matrix => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });

/** Random rows of any finite values, a k that fits them, a seed, an algorithm and sometimes weights. */
const anyCase: fc.Arbitrary<Case> = fc
  .record({ n: fc.integer({ min: 1, max: 120 }), d: fc.integer({ min: 1, max: 6 }) })
  .chain(({ n, d }) =>
    fc.record({
      rows: fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      k: fc.integer({ min: 1, max: Math.min(n, 6) }),
      randomState: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      algorithm: fc.constantFrom(...algorithms),
      weights: fc.option(fc.array(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }), { nil: undefined }),
    }),
  );

/**
 * Rows whose k-means arithmetic is exact: small integers and their negations (column means exactly 0), so that the
 * float64 sums of their float32 copies round nowhere, in any order.
 */
const exactRows = fc
  .record({ m: fc.integer({ min: 1, max: 40 }), d: fc.integer({ min: 1, max: 5 }) })
  .chain(({ m, d }) => fc.array(fc.array(fc.integer({ min: -30, max: 30 }), { minLength: d, maxLength: d }), { minLength: m, maxLength: m }))
  .map((half) => [...half, ...half.map((row) => row.map((v) => -v))]);

/** Well-separated blobs (integer centers 100 apart or more, noise within ±2) with the first row of each as the init. */
const separatedBlobs = fc
  .record({ k: fc.integer({ min: 1, max: 5 }), d: fc.integer({ min: 1, max: 4 }) })
  .chain(({ k, d }) =>
    fc.record({
      centers: fc.uniqueArray(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: d, maxLength: d }), { minLength: k, maxLength: k, selector: (c) => c.join() }),
      sizes: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: k, maxLength: k }),
      noise: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 15 * k * d, maxLength: 15 * k * d }),
    }),
  )
  .map(({ centers, sizes, noise }) => {
    const rows: number[][] = [];
    const truth: number[] = [];
    let used = 0;
    centers.forEach((center, c) => {
      for (let i = 0; i < sizes[c]; i++) {
        rows.push(center.map((v) => v * 100 + noise[used++]));
        truth.push(c);
      }
    });
    const init = centers.map((_, c) => rows[truth.indexOf(c)]);
    return { rows, truth, init };
  });

const fit = ({ rows, k, randomState, algorithm, weights }: Case, X: Matrix | number[][] = rows) =>
  new KMeans({ nClusters: k, randomState, algorithm, ...quiet }).fit(X, { sampleWeight: weights });

describe('KMeans on random data', () => {
  test('labels in range; inertia is the float64 Σ w·‖x − center‖²; predict on the training data gives the labels', () => {
    fc.assert(
      fc.property(anyCase, (c) => {
        const model = fit(c);
        const d = c.rows[0].length;
        const centers = Array.from({ length: c.k }, (_, j) => model.clusterCenters.data.subarray(j * d, (j + 1) * d));
        let inertia = 0;
        let spread = 0;
        const mean = Array.from({ length: d }, (_, t) => c.rows.reduce((s, row) => s + row[t], 0) / c.rows.length);
        c.rows.forEach((row, i) => {
          const label = model.labels[i];
          expect(label >= 0 && label < c.k && Number.isInteger(label)).toBe(true);
          inertia += (c.weights?.[i] ?? 1) * sqDist(row, centers[label]);
          spread += (c.weights?.[i] ?? 1) * sqDist(row, mean);
        });
        // The kernels work in float32 on the centred data: agreement to float32's precision of its spread.
        expect(Math.abs(model.inertia - inertia)).toBeLessThanOrEqual(1e-5 * spread + 1e-12);
        expect(model.predict(c.rows)).toEqual(model.labels);
      }),
    );
  });

  test('the same seed gives the same fit, bit for bit', () => {
    fc.assert(
      fc.property(anyCase, (c) => {
        const [a, b] = [fit(c), fit(c)];
        expect(b.labels).toEqual(a.labels);
        expect(b.clusterCenters.data).toEqual(a.clusterCenters.data);
        expect(Object.is(b.inertia, a.inertia)).toBe(true);
        expect(b.nIter).toBe(a.nIter);
      }),
    );
  });

  test('X scaled by 2^k: the same labels, centers times 2^k and inertia times 4^k, exactly', () => {
    // Exact while nothing scaled, squares included, falls below float64's normal numbers: no values in (0, 1e-100).
    const normal = anyCase.map((c) => ({ ...c, rows: c.rows.map((row) => row.map((v) => (Math.abs(v) < 1e-100 ? 0 : v))) }));
    fc.assert(
      fc.property(normal, fc.integer({ min: -100, max: 100 }), (c, k) => {
        const base = fit(c);
        const scaled = fit(c, c.rows.map((row) => row.map((v) => v * 2 ** k)));
        expect(scaled.labels).toEqual(base.labels);
        expect(Array.from(scaled.clusterCenters.data)).toEqual(Array.from(base.clusterCenters.data, (v) => v * 2 ** k));
        expect(scaled.inertia).toBe(base.inertia * 4 ** k);
      }),
    );
  });
});

describe('KMeans on data whose arithmetic is exact', () => {
  const exactCase = exactRows.chain((rows) =>
    fc.record({
      rows: fc.constant(rows),
      k: fc.integer({ min: 1, max: Math.min(rows.length, 5) }),
      randomState: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      algorithm: fc.constantFrom(...algorithms),
    }),
  );

  test('translated by an integer vector: the same labels and inertia, centers translated', () => {
    fc.assert(
      fc.property(exactCase, fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 5, maxLength: 5 }), (c, shift) => {
        const base = fit(c);
        const moved = fit(c, c.rows.map((row) => row.map((v, t) => v + shift[t])));
        expect(moved.labels).toEqual(base.labels);
        expect(moved.inertia).toBe(base.inertia);
        const d = c.rows[0].length;
        expect(Math.max(...Array.from(moved.clusterCenters.data, (v, i) => Math.abs(v - shift[i % d] - base.clusterCenters.data[i])))).toBeLessThan(1e-9);
      }),
    );
  });
});

describe('KMeans on well-separated blobs, from the first row of each', () => {
  test('each row twice ≡ each row weighed 2', () => {
    fc.assert(
      fc.property(separatedBlobs, fc.constantFrom(...algorithms), ({ rows, init }, algorithm) => {
        const options = { nClusters: init.length, init, algorithm, ...quiet };
        const weighted = new KMeans(options).fit(rows, { sampleWeight: rows.map(() => 2) });
        const doubled = new KMeans(options).fit(rows.flatMap((row) => [row, row]));
        expect(Array.from(doubled.labels).filter((_, i) => i % 2 === 0)).toEqual(Array.from(weighted.labels));
        // Sums in another order: equal to the last bits of the data's magnitude.
        const magnitude = Math.max(1, ...rows.flat().map(Math.abs));
        expect(maxRelativeError(doubled.clusterCenters.data, weighted.clusterCenters.data, magnitude)).toBeLessThan(1e-13);
        expect(Math.abs(doubled.inertia - weighted.inertia)).toBeLessThanOrEqual(1e-13 * weighted.inertia);
      }),
    );
  });

  test('finds the blobs; permuting the rows permutes the labels; permuting the columns permutes the centers', () => {
    const permutation = (n: number) => fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n });
    const blobsCase = separatedBlobs.chain((blobs) =>
      fc.record({ blobs: fc.constant(blobs), rowOrder: permutation(blobs.rows.length), columnOrder: permutation(blobs.rows[0].length), algorithm: fc.constantFrom(...algorithms) }),
    );
    fc.assert(
      fc.property(blobsCase, ({ blobs: { rows, truth, init }, rowOrder, columnOrder, algorithm }) => {
        const options = { nClusters: init.length, algorithm, ...quiet };
        const base = new KMeans({ ...options, init }).fit(rows);
        expect(Array.from(base.labels)).toEqual(truth);
        const byRows = new KMeans({ ...options, init }).fit(rowOrder.map((i) => rows[i]));
        expect(Array.from(byRows.labels)).toEqual(rowOrder.map((i) => base.labels[i]));
        expect(maxRelativeError(byRows.clusterCenters.data, base.clusterCenters.data, 1)).toBeLessThan(1e-12);
        const permute = (row: number[]) => columnOrder.map((t) => row[t]);
        const byColumns = new KMeans({ ...options, init: init.map(permute) }).fit(rows.map(permute));
        expect(byColumns.labels).toEqual(base.labels);
        const d = columnOrder.length;
        const expected = Array.from(base.clusterCenters.data.keys(), (i) => base.clusterCenters.data[Math.floor(i / d) * d + columnOrder[i % d]]);
        expect(maxRelativeError(byColumns.clusterCenters.data, expected, 1)).toBeLessThan(1e-12);
      }),
    );
  });
});

describe('kneighborsGraph on random data', () => {
  test('each row\'s neighbours are its nearest other rows in float64, nearest first', () => {
    const graphCase = fc
      .record({ n: fc.integer({ min: 2, max: 80 }), d: fc.integer({ min: 1, max: 5 }) })
      .chain(({ n, d }) =>
        fc.record({
          rows: fc.array(fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
          k: fc.integer({ min: 1, max: n - 1 }),
        }),
      );
    fc.assert(
      fc.property(graphCase, ({ rows, k }) => {
        const graph = kneighborsGraph(matrixOf(rows), k, { mode: 'distance' });
        rows.forEach((row, i) => {
          const others = rows.map((other, j) => ({ j, dist: Math.sqrt(sqDist(row, other)) })).filter(({ j }) => j !== i);
          const kth = others.map(({ dist }) => dist).sort((a, b) => a - b)[k - 1];
          const mine = Array.from(graph.indices.subarray(i * k, (i + 1) * k));
          const dists = Array.from(graph.data.subarray(i * k, (i + 1) * k));
          expect(new Set(mine).size).toBe(k);
          expect(mine.includes(i)).toBe(false);
          // Float32 chooses them: none farther than the true k-th nearest by more than float32's rounding.
          for (const dist of dists) expect(dist).toBeLessThanOrEqual(kth + 1e-5 * (kth + 100));
          for (let s = 1; s < k; s++) expect(dists[s]).toBeGreaterThanOrEqual(dists[s - 1]);
          // The reported distance is the float64 one, free of over- and underflow (Math.hypot's).
          mine.forEach((j, s) => expect(Math.abs(dists[s] - Math.hypot(...row.map((v, t) => v - rows[j][t])))).toBeLessThanOrEqual(Math.max(1e-15 * dists[s], 2 ** -1074)));
        });
      }),
    );
  });
});
