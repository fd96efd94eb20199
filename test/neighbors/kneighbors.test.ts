// kneighborsGraph against a naive float64 reference (every pairwise distance, sorted by (distance, index))
// and against scikit-learn 1.2.1's kneighbors_graph (test/fixtures/make_neighbors_fixtures.py).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init, kneighborsGraph, type CsrMatrix } from '../../src/index';
import { readData } from '../../src/core/data';
import { searchOthers } from '../../src/neighbors/kneighbors';
import { shutdownThreads, withThreads } from '../../src/cluster/threads';
import { makeBlobs } from '../../src/datasets';
import { expectWasmeansError, sqDist, testRng, type Rows, fixture } from '../reference';

interface NeighborsCase {
  includeSelf: boolean;
  mode: 'connectivity' | 'distance';
  indptr: number[];
  indices: number[];
  data?: number[];
}
const sklearn: { X: Rows; nNeighbors: number; cases: NeighborsCase[] } = fixture('sklearn-neighbors.json');

/** Each row's k neighbours by brute force in float64: (distance, index) order, self first when included. */
function referenceNeighbors(X: Rows, k: number, includeSelf: boolean): { indices: number[][]; distances: number[][] } {
  const indices: number[][] = [];
  const distances: number[][] = [];
  for (let i = 0; i < X.length; i++) {
    const others = X.map((row, j) => ({ j, d: Math.sqrt(sqDist(X[i], row)) })).filter(({ j }) => j !== i);
    others.sort((a, b) => a.d - b.d || a.j - b.j);
    const row = includeSelf ? [{ j: i, d: 0 }, ...others] : others;
    indices.push(row.slice(0, k).map(({ j }) => j));
    distances.push(row.slice(0, k).map(({ d }) => d));
  }
  return { indices, distances };
}

function rowOf(graph: CsrMatrix, i: number): { indices: number[]; data: number[] } {
  const start = graph.indptr[i];
  const end = graph.indptr[i + 1];
  return { indices: Array.from(graph.indices.subarray(start, end)), data: Array.from(graph.data.subarray(start, end)) };
}

function gaussian(n: number, d: number, seed: number): Rows {
  const rng = testRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
}

function smallIntegers(n: number, d: number, seed: number, values = 4): Rows {
  const rng = testRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(values)));
}

function expectEqualToReference(X: Rows, k: number, includeSelf: boolean): void {
  const ref = referenceNeighbors(X, k, includeSelf);
  const connectivity = kneighborsGraph(X, k, { includeSelf });
  const distance = kneighborsGraph(X, k, { includeSelf, mode: 'distance' });
  for (const graph of [connectivity, distance]) {
    expect(graph.rows).toBe(X.length);
    expect(graph.cols).toBe(X.length);
    expect(Array.from(graph.indptr)).toEqual(Array.from({ length: X.length + 1 }, (_, i) => i * k));
  }
  for (let i = 0; i < X.length; i++) {
    const c = rowOf(connectivity, i);
    const d = rowOf(distance, i);
    expect(c.indices, `row ${i}`).toEqual(ref.indices[i]);
    expect(d.indices, `row ${i}`).toEqual(ref.indices[i]);
    expect(c.data).toEqual(ref.indices[i].map(() => 1));
    for (let s = 0; s < k; s++) expect(d.data[s]).toBeCloseTo(ref.distances[i][s], 12);
  }
}

beforeAll(async () => {
  await init();
});

describe('kneighborsGraph ≡ a naive float64 reference', () => {
  // d = 1, 2, 3 (below one SIMD vector), 4..9 (remainders), 16; n not a multiple of 4 nor of the 256-row query chunk.
  const shapes: [number, number][] = [[37, 1], [50, 2], [61, 3], [64, 4], [77, 5], [102, 6], [129, 7], [257, 8], [301, 9], [90, 16]];
  for (const [n, d] of shapes) {
    test(`gaussian ${n}×${d}`, () => {
      const X = gaussian(n, d, n * 31 + d);
      for (const includeSelf of [false, true]) {
        for (const k of [1, 5, 12]) expectEqualToReference(X, k, includeSelf);
      }
    });
  }

  test('ties on small integer data go to the lower index (duplicates at distance 0 included)', () => {
    for (const [n, d] of [[150, 1], [150, 2], [203, 3], [99, 5]]) {
      const X = smallIntegers(n, d, n + d);
      for (const includeSelf of [false, true]) {
        for (const k of [1, 3, 10, 40]) expectEqualToReference(X, k, includeSelf);
      }
    }
  });

  test('nNeighbors = n − 1 without self and n with self: every row', () => {
    const X = gaussian(23, 3, 7);
    expectEqualToReference(X, 22, false);
    expectEqualToReference(X, 23, true);
    expectEqualToReference(smallIntegers(31, 2, 3, 3), 30, false);
    expectEqualToReference(smallIntegers(31, 2, 3, 3), 31, true);
  });

  test('more rows than one query chunk, with far-off data', () => {
    const X = gaussian(600, 3, 11).map((row) => row.map((v) => 1000 + v));
    expectEqualToReference(X, 7, false);
  });

  test('a Float32Array or Float64Array Matrix gives the same graph as rows; the input is not mutated', () => {
    const X = gaussian(70, 5, 5);
    const flat = new Float64Array(X.flat());
    const copy = flat.slice();
    const fromRows = kneighborsGraph(X, 6, { mode: 'distance' });
    const fromMatrix = kneighborsGraph({ data: flat, rows: 70, cols: 5 }, 6, { mode: 'distance' });
    expect(fromMatrix).toEqual(fromRows);
    expect(flat).toEqual(copy);
    const f32 = new Float32Array(X.flat());
    const rows32 = Array.from({ length: 70 }, (_, i) => Array.from(f32.subarray(i * 5, i * 5 + 5)));
    expect(kneighborsGraph({ data: f32, rows: 70, cols: 5 }, 6, { mode: 'distance' })).toEqual(kneighborsGraph(rows32, 6, { mode: 'distance' }));
  });

  test('a single neighbour of two points, with and without self', () => {
    const g = kneighborsGraph([[0, 0], [3, 4]], 1, { mode: 'distance' });
    expect(Array.from(g.indices)).toEqual([1, 0]);
    expect(Array.from(g.data)).toEqual([5, 5]);
    const self = kneighborsGraph([[0, 0], [3, 4]], 1, { includeSelf: true, mode: 'distance' });
    expect(Array.from(self.indices)).toEqual([0, 1]);
    expect(Array.from(self.data)).toEqual([0, 0]);
  });
});

describe('the grid search (d ≤ 3) ≡ the brute force', () => {
  const expectSame = (X: Rows, k: number) => {
    const data = readData(X);
    expect(searchOthers(data, k, 'grid').indices).toEqual(searchOthers(data, k, 'brute').indices);
  };

  test('gaussian, uniform and two-moon-like data in 1, 2 and 3 dimensions', () => {
    const rng = testRng(5);
    for (const d of [1, 2, 3]) {
      const X = gaussian(3001, d, 40 + d);
      for (const k of [1, 10, 57]) expectSame(X, k);
      expectSame(Array.from({ length: 2500 }, () => Array.from({ length: d }, () => rng.uniform() * 100)), 15);
    }
    const moons = Array.from({ length: 2600 }, (_, i) => {
      const a = Math.PI * rng.uniform();
      const upper = i % 2 === 0;
      return upper ? [Math.cos(a) + 0.05 * rng.normal(), Math.sin(a) + 0.05 * rng.normal()] : [1 - Math.cos(a) + 0.05 * rng.normal(), 0.5 - Math.sin(a) + 0.05 * rng.normal()];
    });
    expectSame(moons, 10);
  });

  test('ties and duplicates on integer data, a flat dimension, one point repeated, an outlier', () => {
    for (const d of [1, 2, 3]) {
      for (const k of [1, 5, 30]) expectSame(smallIntegers(2100, d, d + k, 6), k);
    }
    expectSame(smallIntegers(2100, 3, 9, 40).map((row) => [row[0], 7, row[2]]), 8);
    expectSame(Array.from({ length: 2050 }, () => [3, -1]), 4);
    const X = gaussian(2200, 2, 3);
    X[17] = [1e6, -1e6];
    expectSame(X, 6);
  });

  test('small n and nNeighbors = n − 1', () => {
    expectSame(gaussian(40, 2, 8), 39);
    expectSame(smallIntegers(33, 3, 2, 3), 32);
    expectSame(gaussian(5, 1, 8), 1);
  });

  test('kneighborsGraph on large 2-d data (the grid path) equals the reference', () => {
    const X = smallIntegers(2300, 2, 77, 30);
    const graph = kneighborsGraph(X, 4);
    for (const i of [0, 1, 500, 1234, 2299]) {
      const others = X.map((row, j) => ({ j, d: sqDist(X[i], row) })).filter(({ j }) => j !== i);
      others.sort((a, b) => a.d - b.d || a.j - b.j);
      expect(rowOf(graph, i).indices).toEqual(others.slice(0, 4).map(({ j }) => j));
    }
  });
});

describe('the groups search (d > 3) ≡ the brute force', () => {
  afterAll(() => shutdownThreads());
  type Found = ReturnType<typeof searchOthers>;
  // The first entry where two searches differ in neighbour or float32 squared distance (Object.is: bit for bit but
  // NaN's payload); a loop, as toEqual takes seconds on arrays this long.
  const firstDifference = (a: Found, b: Found): string => {
    for (let s = 0; s < a.indices.length; s++) {
      if (a.indices[s] !== b.indices[s] || !Object.is(a.sqDistances[s], b.sqDistances[s])) {
        return `entry ${s}: ${a.indices[s]} at ${a.sqDistances[s]}, not ${b.indices[s]} at ${b.sqDistances[s]}`;
      }
    }
    return a.indices.length === b.indices.length ? 'none' : 'the lengths';
  };
  const expectSame = (X: Rows, k: number) => {
    const data = readData(X);
    expect(firstDifference(searchOthers(data, k, 'groups'), searchOthers(data, k, 'brute'))).toBe('none');
  };

  test('gaussian data, n not a multiple of 4', () => {
    for (const [n, d] of [[301, 4], [1003, 7], [2051, 16]]) {
      for (const k of [1, 10, 91]) expectSame(gaussian(n, d, n + d), k);
    }
  });

  test('clustered blobs, far apart and overlapping', () => {
    for (const [std, box] of [[1, 10], [4, 2]]) {
      const { X } = makeBlobs({ nSamples: 2503, nFeatures: 12, centers: 7, clusterStd: std, centerBox: [-box, box], randomState: 3 });
      const rows = Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));
      for (const k of [5, 60]) expectSame(rows, k);
    }
  });

  test('ties and duplicates on small integer grids in 4 to 8 dimensions, duplicated rows, one point repeated', () => {
    for (const d of [4, 5, 6, 8]) {
      for (const k of [1, 7, 40]) expectSame(smallIntegers(1501, d, d * k, 3), k);
    }
    const X = smallIntegers(700, 5, 2, 4);
    expectSame([...X, ...X.slice(0, 350), ...X.slice(100, 200)], 12);
    expectSame(Array.from({ length: 203 }, () => [3, -1, 0, 2]), 9);
  });

  test('small n, nNeighbors up to n − 1, an outlier, far-off data', () => {
    expectSame(gaussian(5, 4, 1), 4);
    expectSame(gaussian(41, 6, 2), 40);
    expectSame(smallIntegers(37, 5, 3, 2), 36);
    const X = gaussian(900, 5, 4);
    X[17] = [1e6, -1e6, 3, 0, 1];
    expectSame(X, 15);
    expectSame(gaussian(800, 4, 6).map((row) => row.map((v) => 1000 + v)), 20);
  });

  test.each([1, 2, 3])('the same lists on %i threads', async (threads) => {
    const data = readData(smallIntegers(3001, 6, 11, 5));
    const sync = searchOthers(data, 31, 'brute');
    const threaded = await withThreads(threads, (engine) => searchOthers(data, 31, 'groups', engine));
    expect(firstDifference(threaded, sync)).toBe('none');
  });
});

describe('kneighborsGraph ≡ scikit-learn 1.2.1 on make_moons(200, noise=0.05)', () => {
  for (const c of sklearn.cases) {
    test(`includeSelf=${c.includeSelf}, mode=${c.mode}`, () => {
      const graph = kneighborsGraph(sklearn.X, sklearn.nNeighbors, { includeSelf: c.includeSelf, mode: c.mode });
      expect(Array.from(graph.indptr)).toEqual(c.indptr);
      for (let i = 0; i < sklearn.X.length; i++) {
        const ours = rowOf(graph, i);
        const expected = c.indices.slice(c.indptr[i], c.indptr[i + 1]);
        expect(ours.indices.slice().sort((a, b) => a - b), `row ${i}`).toEqual(expected.slice().sort((a, b) => a - b));
        if (c.includeSelf) expect(ours.indices[0]).toBe(i);
        if (c.mode === 'connectivity') {
          expect(ours.data.every((v) => v === 1)).toBe(true);
        } else {
          const theirs = new Map(expected.map((j, s) => [j, (c.data as number[])[c.indptr[i] + s]]));
          ours.indices.forEach((j, s) => {
            const want = theirs.get(j) as number;
            expect(Math.abs(ours.data[s] - want)).toBeLessThanOrEqual(1e-6 * Math.max(want, 1e-12) + (j === i ? 1e-7 : 0));
          });
        }
      }
    });
  }
});

describe('kneighborsGraph validation', () => {
  test('nNeighbors out of range names the value and the bound', () => {
    const X = gaussian(10, 2, 1);
    expectWasmeansError(() => kneighborsGraph(X, 10), 'INVALID_PARAMETER', /nNeighbors must be an integer in \[1, 9\].*got 10/);
    expectWasmeansError(() => kneighborsGraph(X, 11, { includeSelf: true }), 'INVALID_PARAMETER', /\[1, 10\].*got 11/);
    expectWasmeansError(() => kneighborsGraph(X, 0), 'INVALID_PARAMETER', /got 0/);
    expectWasmeansError(() => kneighborsGraph(X, 2.5), 'INVALID_PARAMETER', /got 2\.5/);
    // @ts-expect-error: a string is not a count
    expectWasmeansError(() => kneighborsGraph(X, '3'), 'INVALID_PARAMETER', /got "3"/);
    expectWasmeansError(() => kneighborsGraph([[1, 2]], 1), 'INVALID_INPUT', /X has 1 row, which has no other rows.*includeSelf: true/);
    expect(kneighborsGraph([[1, 2]], 1, { includeSelf: true }).indices).toEqual(new Int32Array([0]));
  });

  test('bad options and bad data', () => {
    const X = gaussian(10, 2, 1);
    // @ts-expect-error: not a mode
    expectWasmeansError(() => kneighborsGraph(X, 3, { mode: 'weights' }), 'INVALID_PARAMETER', /mode.*"weights"/);
    // @ts-expect-error: not a boolean
    expectWasmeansError(() => kneighborsGraph(X, 3, { includeSelf: 'auto' }), 'INVALID_PARAMETER', /includeSelf.*"auto"/);
    expectWasmeansError(() => kneighborsGraph([[0, 1], [NaN, 2], [3, 4]], 1), 'INVALID_INPUT', /NaN at row 1, column 0/);
  });
});
