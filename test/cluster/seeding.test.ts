// k-means|| and seeding on a subsample (initSampleSize).
import { beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, kmeans } from '../../src/index';
import { readData, readSampleWeight } from '../../src/core/data';
import { RandomState } from '../../src/core/random';
import { makeSeeder, sampleRows, type SeedingOptions } from '../../src/cluster/seeding';
import { getKernels } from '../../src/runtime/module';
import { prepareWorkspace } from '../../src/cluster/workspace';
import { blobs, expectWasmeansError, type Rows, samePartition } from '../reference';

beforeAll(() => init());

/** The rows one seeding draws, as `fitKMeans` makes them (without the Lloyd run that follows). */
function seedRows(X: Rows, k: number, seed: number, options: Partial<SeedingOptions> = {}, sampleWeight?: number[]): Int32Array {
  const data = readData(X);
  const weights = readSampleWeight(sampleWeight, data.rows);
  const ws = prepareWorkspace(getKernels(), data, weights, k, { what: 'test', advice: 'none' });
  const seeder = makeSeeder(ws, k, {
    init: 'k-means||', nLocalTrials: 2 + Math.floor(Math.log(k)), oversamplingFactor: 2 * k, initRounds: 2, initSampleSize: undefined, ...options,
  });
  return seeder(new RandomState(seed));
}

const distinctRows = (X: Rows, rows: Int32Array) => new Set(Array.from(rows, (r) => X[r].join(','))).size;

describe("init: 'k-means||'", () => {
  const { X, y } = blobs(3000, 5, 6, 11, 0.3); // well separated

  test('k distinct data rows, the same for a given randomState', () => {
    const rows = seedRows(X, 6, 3);
    expect(rows.length).toBe(6);
    for (const r of rows) expect(r >= 0 && r < X.length).toBe(true);
    expect(new Set(rows).size).toBe(6);
    expect(distinctRows(X, rows)).toBe(6);
    expect(Array.from(seedRows(X, 6, 3))).toEqual(Array.from(rows));
    expect(Array.from(seedRows(X, 6, 4))).not.toEqual(Array.from(rows));
  });

  test('one center per well-separated blob: the fit recovers the true partition', () => {
    const rows = seedRows(X, 6, 0);
    expect(new Set(Array.from(rows, (r) => y[r])).size).toBe(6);
    const fit = kmeans(X, 6, { init: 'k-means||', randomState: 0 });
    expect(samePartition(fit.labels, y)).toBe(true);
  });

  test('KMeans: deterministic, and inertia after Lloyd within a few % of k-means++', () => {
    const data = blobs(4000, 8, 20, 5, 2, 6).X; // overlapping blobs: the seeding matters
    for (const seed of [0, 1, 2]) {
      const parallel = new KMeans({ nClusters: 20, init: 'k-means||', randomState: seed }).fit(data);
      const again = new KMeans({ nClusters: 20, init: 'k-means||', randomState: seed }).fit(data);
      expect(Array.from(again.labels)).toEqual(Array.from(parallel.labels));
      expect(again.inertia).toBe(parallel.inertia);
      const plusPlus = new KMeans({ nClusters: 20, randomState: seed }).fit(data);
      expect(parallel.inertia / plusPlus.inertia).toBeLessThan(1.05);
    }
  });

  test('options: oversamplingFactor and initRounds change the draws; few candidates still give k rows', () => {
    const base = Array.from(seedRows(X, 6, 1));
    expect(Array.from(seedRows(X, 6, 1, { oversamplingFactor: 3 }))).not.toEqual(base);
    const few = seedRows(X, 6, 1, { oversamplingFactor: 1, initRounds: 1 }); // 2 candidates after the rounds: more rounds follow
    expect(new Set(few).size).toBe(6);
  });

  test('zero-weight rows are never chosen; weights shift the centers', () => {
    const weight = X.map((_, i) => (i % 3 === 0 ? 0 : 1 + (i % 5)));
    for (let seed = 0; seed < 5; seed++) {
      const rows = seedRows(X, 6, seed, {}, weight);
      for (const r of rows) expect(weight[r]).toBeGreaterThan(0);
      expect(new Set(rows).size).toBe(6);
    }
    // Only 4 rows of positive weight: fewer than k.
    const sparse = X.map((_, i) => (i < 4 ? 1 : 0));
    expectWasmeansError(
      () => kmeans(X, 6, { init: 'k-means||', randomState: 0, sampleWeight: sparse }),
      'INVALID_INPUT',
      /init='k-means\|\|' needs nClusters=6 rows of positive weight, but sampleWeight has 4/,
    );
  });

  test('duplicate rows: fewer distinct points than candidates asked for', () => {
    const dup: Rows = [];
    for (let i = 0; i < 200; i++) dup.push([i % 7, (i % 7) * 2]);
    const rows = seedRows(dup, 7, 0);
    expect(distinctRows(dup, rows)).toBe(7);
    const fit = kmeans(dup, 7, { init: 'k-means||', randomState: 0 });
    expect(fit.inertia).toBe(0);
  });

  test('edge cases: k = 1, k = n, oversamplingFactor beyond n, few weighted rows in a subsample', () => {
    const small = X.slice(0, 12);
    expect(seedRows(small, 1, 0).length).toBe(1);
    expect(Array.from(seedRows(small, 12, 0)).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(new Set(seedRows(small, 5, 0, { oversamplingFactor: 1000 })).size).toBe(5);
    expect(kmeans(small, 12, { init: 'k-means||', randomState: 0 }).inertia).toBe(0);
    const weight = X.map((_, i) => (i < 6 ? 1 : 0));
    expectWasmeansError(
      () => kmeans(X, 6, { init: 'k-means||', initSampleSize: 100, randomState: 0, sampleWeight: weight }),
      'INVALID_INPUT',
      /the seeding subsample \(initSampleSize=100\) has [0-5]$/,
    );
  });

  test('bad values are refused, by name', () => {
    expectWasmeansError(() => new KMeans({ init: 'k-means|' as 'k-means||' }), 'INVALID_PARAMETER', /init must be 'k-means\+\+', 'k-means\|\|'.*got "k-means\|"/);
    expectWasmeansError(() => new KMeans({ init: 'k-means||', oversamplingFactor: 0 }), 'INVALID_PARAMETER', /oversamplingFactor must be an integer >= 1, got 0/);
    expectWasmeansError(() => new KMeans({ oversamplingFactor: 2.5 }), 'INVALID_PARAMETER', /oversamplingFactor must be an integer >= 1, got 2\.5/);
    expectWasmeansError(() => new KMeans({ initRounds: 0 }), 'INVALID_PARAMETER', /initRounds must be an integer in \[1, 100\], got 0/);
    expectWasmeansError(() => new KMeans({ initRounds: 101 }), 'INVALID_PARAMETER', /initRounds must be an integer in \[1, 100\], got 101/);
  });
});

describe('initSampleSize', () => {
  const { X, y } = blobs(5000, 4, 5, 21);

  test('sampleRows: distinct, sorted, within [0, n), deterministic', () => {
    const rows = sampleRows(1_000_000, 1000, new RandomState(7));
    expect(new Set(rows).size).toBe(1000);
    for (let i = 0; i < rows.length; i++) {
      expect(rows[i]).toBeGreaterThanOrEqual(0);
      expect(rows[i]).toBeLessThan(1_000_000);
      if (i > 0) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
    }
    expect(Array.from(sampleRows(1_000_000, 1000, new RandomState(7)))).toEqual(Array.from(rows));
    expect(Array.from(sampleRows(10, 10, new RandomState(1))).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test.each(['k-means++', 'k-means||'] as const)('%s on a subsample: k distinct data rows, deterministic, the blobs recovered', (method) => {
    const rows = seedRows(X, 5, 2, { init: method, initSampleSize: 500 });
    expect(new Set(rows).size).toBe(5);
    for (const r of rows) expect(r >= 0 && r < X.length).toBe(true);
    expect(Array.from(seedRows(X, 5, 2, { init: method, initSampleSize: 500 }))).toEqual(Array.from(rows));
    const fit = kmeans(X, 5, { init: method, initSampleSize: 500, randomState: 3 });
    expect(samePartition(fit.labels, y)).toBe(true);
    const again = kmeans(X, 5, { init: method, initSampleSize: 500, randomState: 3 });
    expect(Array.from(again.labels)).toEqual(Array.from(fit.labels));
  });

  test('the subsample changes the draws; n rows means all rows (the draws of a plain fit)', () => {
    const full = kmeans(X, 5, { randomState: 4, maxIter: 1 });
    expect(kmeans(X, 5, { randomState: 4, maxIter: 1, initSampleSize: X.length }).centers.data).toEqual(full.centers.data);
    expect(kmeans(X, 5, { randomState: 4, maxIter: 1, initSampleSize: 100 }).centers.data).not.toEqual(full.centers.data);
  });

  test('nInit runs draw fresh subsamples; random init ignores it', () => {
    const fit = kmeans(X, 5, { initSampleSize: 50, nInit: 3, randomState: 0 });
    expect(samePartition(fit.labels, y)).toBe(true);
    const random = kmeans(X, 5, { init: 'random', randomState: 0 });
    expect(kmeans(X, 5, { init: 'random', initSampleSize: 50, randomState: 0 }).inertia).toBe(random.inertia);
  });

  test('bad values are refused, by name', () => {
    expectWasmeansError(() => new KMeans({ nClusters: 5, initSampleSize: 4 }), 'INVALID_PARAMETER', /initSampleSize must be an integer >= 5, got 4/);
    expectWasmeansError(() => new KMeans({ initSampleSize: 100.5 }), 'INVALID_PARAMETER', /initSampleSize must be an integer >= 8, got 100\.5/);
    expectWasmeansError(() => new KMeans({ initSampleSize: '100' as unknown as number }), 'INVALID_PARAMETER', /initSampleSize must be an integer >= 8, got "100"/);
    expectWasmeansError(() => kmeans(X, 5, { initSampleSize: 5001 }), 'INVALID_PARAMETER', /initSampleSize=5001 must be <= nSamples=5000/);
  });
});

