// The step API for k-means over shards: statistics passes, Lloyd partials, merging (any order), finalising, bytes.
// The reference is the single-process fit from the same initial centers: bitwise when the shards are cut at
// multiples of the E-step's row chunk.
import { beforeAll, describe, expect, test } from 'vitest';
import {
  finalizePartial, frameOf, init, KMeans, type KMeansFrame, KMeansPartial, type KMeansStep, lloydPartial, mergePartials, statisticsPartial,
} from '../../src/index';
import { lloydChunkRows } from '../../src/cluster/workspace';
import { blobs, expectWasmeansError, testRng } from '../reference';

beforeAll(() => init());

const n = 40_000;
const d = 8;
const k = 16;
const rowsOf = (X: number[][], start: number, end: number) => X.slice(start, end);

/** Runs a fit over shards [cuts[i], cuts[i + 1]) with the step API, merging in `order`; returns the steps. */
function distributedFit(X: number[][], weights: number[] | undefined, init: number[][], cuts: number[], order: number[], maxIter = 300, tol = 1e-4, viaBytes = false) {
  const shards = order.map((s) => ({ rows: rowsOf(X, cuts[s], cuts[s + 1]), weights: weights?.slice(cuts[s], cuts[s + 1]), offset: cuts[s] }));
  const travel = (p: KMeansPartial) => (viaBytes ? KMeansPartial.fromBytes(p.toBytes()) : p);
  const merge = (parts: KMeansPartial[]) => parts.map(travel).reduce(mergePartials);
  let frame: KMeansFrame = frameOf(merge(shards.map((s) => statisticsPartial(s.rows, { sampleWeight: s.weights }))));
  frame = frameOf(merge(shards.map((s) => statisticsPartial(s.rows, { sampleWeight: s.weights, frame }))), 'euclidean', frame);
  let centers: number[][] | KMeansStep = init;
  let step: KMeansStep | undefined;
  let nIter = 0;
  for (; nIter < maxIter; nIter++) {
    const merged = merge(shards.map((s) => lloydPartial(s.rows, centers, { frame, sampleWeight: s.weights, rowOffset: s.offset })));
    step = finalizePartial(merged, centers, { frame, tol });
    centers = step;
    if (step.converged) break;
  }
  const last = finalizePartial(merge(shards.map((s) => lloydPartial(s.rows, centers, { frame, sampleWeight: s.weights, rowOffset: s.offset }))), centers, { frame, tol });
  return { step: step as KMeansStep, nIter: Math.min(nIter + 1, maxIter), inertia: last.inertia };
}

describe('a fit over shards cut at multiples of the E-step chunk is bitwise the single-process fit', () => {
  const { X } = blobs(n, d, k, 21, 2.5, 6);
  const initRows = Array.from({ length: k }, (_, j) => X[j * 7]);
  const chunk = lloydChunkRows(n, d, k);
  let single: KMeans;
  beforeAll(() => {
    single = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit(X);
  });

  test(`shards of ${chunk}-row chunks, merged in order, reversed and through bytes`, () => {
    expect(n).toBeGreaterThan(2 * chunk);
    expect(single.nIter).toBeGreaterThan(2);
    const cuts = [0, chunk, 2 * chunk, n];
    for (const [order, viaBytes] of [[[0, 1, 2], false], [[2, 0, 1], false], [[1, 2, 0], true]] as const) {
      const fitted = distributedFit(X, undefined, initRows, cuts, [...order], 300, 1e-4, viaBytes);
      expect(fitted.step.centers.data).toEqual(single.clusterCenters.data);
      expect(fitted.nIter).toBe(single.nIter);
      expect(fitted.inertia).toBe(single.inertia);
    }
  });

  test('with sample weights, and shards not at chunk boundaries agree within float64 summation order', () => {
    const rng = testRng(3);
    const weights = X.map(() => 0.5 + rng.uniform());
    const weighted = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit(X, { sampleWeight: weights });
    const aligned = distributedFit(X, weights, initRows, [0, chunk, n], [1, 0]);
    expect(aligned.step.centers.data).toEqual(weighted.clusterCenters.data);
    expect(aligned.inertia).toBe(weighted.inertia);
    const ragged = distributedFit(X, weights, initRows, [0, 12_345, 30_001, n], [0, 1, 2]);
    expect(ragged.nIter).toBe(weighted.nIter);
    for (let i = 0; i < k * d; i++) expect(Math.abs(ragged.step.centers.data[i] - weighted.clusterCenters.data[i])).toBeLessThan(1e-9);
  });

  test('an empty cluster takes the farthest row, over shards as in one process', () => {
    // Two initial centers far from everything: they start empty.
    const far = initRows.map((r, j) => (j < 2 ? r.map((v) => v + 1000 * (j + 1)) : r));
    const one = new KMeans({ nClusters: k, init: far, algorithm: 'lloyd', onWarning: () => {} }).fit(X);
    const sharded = distributedFit(X, undefined, far, [0, chunk, 2 * chunk, n], [2, 1, 0]);
    let frame = frameOf(statisticsPartial(X));
    frame = frameOf(statisticsPartial(X, { frame }), 'euclidean', frame);
    expect(Array.from(finalizePartial(lloydPartial(X, far, { frame }), far, { frame }).emptyClusters)).toEqual([0, 1]);
    expect(sharded.step.centers.data).toEqual(one.clusterCenters.data);
    expect(sharded.nIter).toBe(one.nIter);
  });
});

describe('the partials themselves', () => {
  const { X } = blobs(3000, 3, 4, 5);
  test('merging is associative and commutative to the bit; bytes round-trip', () => {
    const stats = [0, 1024, 2048].map((s) => statisticsPartial(X.slice(s, s + 1024)));
    let frame = frameOf(stats.reduce(mergePartials));
    frame = frameOf([0, 1024, 2048].map((s) => statisticsPartial(X.slice(s, s + 1024), { frame })).reduce(mergePartials), 'euclidean', frame);
    const centers = X.slice(0, 4);
    const parts = [0, 1024, 2048].map((s) => lloydPartial(X.slice(s, s + 1024), centers, { frame, rowOffset: s }));
    const left = mergePartials(mergePartials(parts[0], parts[1]), parts[2]);
    const right = mergePartials(parts[2], mergePartials(parts[1], parts[0]));
    expect(right.toBytes()).toEqual(left.toBytes());
    const back = KMeansPartial.fromBytes(left.toBytes());
    expect(back.toBytes()).toEqual(left.toBytes());
    expect(finalizePartial(back, centers, { frame }).centers).toEqual(finalizePartial(left, centers, { frame }).centers);
    // k·d binned sums (three levels) and k rows: the partial's size.
    expect(left.toBytes().length).toBeLessThan(3 * 8 * (4 * 3 + 4 + 1 + 3) + 4 * (3 * 8 + 200) + 1024);
  });

  test('misuse is refused', () => {
    const stats = statisticsPartial(X);
    const frame = frameOf(stats);
    expectWasmeansError(() => lloydPartial(X, X.slice(0, 4), { frame }), 'INVALID_PARAMETER', /both statistics passes/);
    const full = frameOf(statisticsPartial(X, { frame }), 'euclidean', frame);
    expectWasmeansError(() => lloydPartial(X.map((r) => r.map((v) => v * 10)), X.slice(0, 4), { frame: full }), 'INVALID_INPUT', /not within its frame/);
    const part = lloydPartial(X.slice(0, 1024), X.slice(0, 4), { frame: full });
    expectWasmeansError(() => finalizePartial(part, X.slice(0, 4), { frame: full }), 'INVALID_INPUT', /covers 1024 rows of the frame's 3000/);
    expectWasmeansError(() => mergePartials(part, stats), 'INVALID_INPUT', /cannot merge a lloyd partial/);
    expectWasmeansError(() => KMeansPartial.fromBytes(new Uint8Array(16)), 'INVALID_INPUT', /not a KMeansPartial/);
  });
});
