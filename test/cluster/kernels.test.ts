// Every kernel against a scalar reference, on shapes that hit every remainder: d % 4 ∈ {0,1,2,3}, k % 16 ≠ 0,
// d = 1, k = 1, k = n, and row ranges that end in a partial chunk. Small integer data makes the float32
// arithmetic exact, so ties (and the lowest-index rule) reproduce exactly.
import { describe, expect, test } from 'vitest';
import { allocate, f32View, f64View, i32View } from '../../src/runtime/arena';
import { yinyangLayout } from '../../src/cluster/accelerated';
import { BOUNDS_ARGS_BYTES, CLUSTER_ARGS_BYTES, writeBoundsArgs, writeClusterArgs } from '../../src/generated/kernels';
import { f32, f64, integerData, inWasm, kernels, useKernels } from '../kernels';
import { nearest, sqDist } from '../reference';

useKernels();

function setup(X: number[][], C: number[][]) {
  const n = X.length;
  const d = X[0].length;
  const k = C.length;
  const nPadded = Math.ceil(k / 16) * 16;
  const ptr = allocate(kernels, {
    x: n * d * 4, weights: n * 8, labels: n * 4, sqDist: n * 8, centers: k * d * 4, centersT: nPadded * d * 4,
    norms: nPadded * 4, sums: k * d * 8, weightInClusters: k * 8, candidates: 64 * 4, potentials: 64 * 8, out: n * k * 8,
    args: CLUSTER_ARGS_BYTES,
  }, 'kernel test', 'none');
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
      // Two chunks [0, split) and [split, n), each into partial sums of its own (zeroed by the kernel), added here.
      const split = Math.floor(n / 3);
      const at = inWasm({ first: (k * d + k) * 8, second: (k * d + k) * 8 });
      f64View(kernels, at.first, k * d + k).fill(NaN);
      f64View(kernels, at.second, k * d + k).fill(NaN);
      const changed = kernels.lloydChunk(ptr.args, 0, split, at.first) + kernels.lloydChunk(ptr.args, split, n, at.second);
      const expected = X.map((x) => nearest(x, C).label);
      expect(Array.from(i32View(kernels, ptr.labels, n))).toEqual(expected);
      expect(changed).toBe(n - 1);
      const sums = new Array(k * d + k).fill(0);
      X.forEach((x, i) => {
        sums[k * d + expected[i]] += weights[i];
        x.forEach((v, t) => (sums[expected[i] * d + t] += weights[i] * v));
      });
      // Small integers: the two chunks' sums add up exactly.
      const first = f64(at.first, k * d + k);
      expect(f64(at.second, k * d + k).map((v, t) => v + first[t])).toEqual(sums);
      // A second pass with the same centers changes nothing.
      expect(kernels.lloydChunk(ptr.args, 0, n, at.first)).toBe(0);
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
      // Two row ranges, each returning its weighted sum in row order.
      const cut = Math.floor(n / 3);
      const parts = [kernels.assignedSqDistances(ptr.args, 0, cut, ptr.sqDist), kernels.assignedSqDistances(ptr.args, cut, n, ptr.sqDist)];
      expect(Array.from(f64View(kernels, ptr.sqDist, n))).toEqual(expected.map((e) => e.dist));
      const partSum = (start: number, end: number) => expected.slice(start, end).reduce((s, e, i) => s + weights[start + i] * e.dist, 0);
      expect(parts).toEqual([partSum(0, cut), partSum(cut, n)]);
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
  /** ‖x − c‖² in float32 as sqDistF32 forms it: four lane sums over t ≡ j (mod 4), added ((l0 + l1) + l2) + l3, then the odd features. */
  const sqDistF32 = (x: number[], c: number[]) => {
    const f = Math.fround;
    const lanes = [0, 0, 0, 0];
    const whole = x.length & ~3;
    for (let t = 0; t < whole; t++) lanes[t & 3] = f(lanes[t & 3] + f(f(x[t] - c[t]) * f(x[t] - c[t])));
    let sum = f(f(f(lanes[0] + lanes[1]) + lanes[2]) + lanes[3]);
    for (let t = whole; t < x.length; t++) sum = f(sum + f(f(x[t] - c[t]) * f(x[t] - c[t])));
    return sum;
  };

  for (const d of [3, 8, 13, 64]) {
    test(`seedingPotentials' distances and potentials on non-integer data are sqDistF32's, d=${d}`, () => {
      const n = 37;
      const X = integerData(n, d, 11 * d, 1000).map((row) => row.map((v) => Math.fround(v / 7.3)));
      const { ptr, weights } = setup(X, [X[0]]);
      const at = inWasm({ distances: 4 * n * 4, closest: n * 4, potentials: 4 * 8 });
      const closest = X.map((x, i) => Math.fround(1 + (i % 5)));
      f32View(kernels, at.closest, n).set(closest);
      const candidates = [3, 30, 17, 9];
      i32View(kernels, ptr.candidates, 4).set(candidates);
      kernels.seedingPotentials(ptr.x, ptr.weights, 0, n, n, d, ptr.candidates, 4, 0, at.closest, at.potentials, at.distances);
      // The stored rows, as the workspace holds them.
      const stored = Array.from({ length: n }, (_, i) => Array.from(f32View(kernels, ptr.x + i * d * 4, d)));
      candidates.forEach((c, t) => {
        const distances = stored.map((x) => sqDistF32(x, stored[c]));
        expect(f32(at.distances + t * n * 4, n)).toEqual(distances);
        let potential = 0;
        distances.forEach((dist, i) => (potential += weights[i] * Math.min(closest[i], dist)));
        expect(f64(at.potentials + t * 8, 1)).toEqual([potential]);
      });
    });
  }

  for (const [n, d] of [[53, 1], [53, 3], [60, 4], [61, 17], [20, 64]]) {
    test(`updateClosest, seedingPotentials over row chunks, drawInChunk, n=${n} d=${d}`, () => {
      const X = integerData(n, d, n * d);
      const { ptr, weights } = setup(X, [X[0]]);
      // updateClosest (k-means||): all rows, f64 closest distances.
      f64View(kernels, ptr.sqDist, n).fill(Infinity);
      const potential = kernels.updateClosest(ptr.x, ptr.weights, n, d, 5, ptr.sqDist);
      const expected = X.map((x) => sqDist(x, X[5]));
      expect(Array.from(f64View(kernels, ptr.sqDist, n))).toEqual(expected);
      expect(potential).toBe(expected.reduce((s, v, i) => s + weights[i] * v, 0));
      // k-means++: two chunks of rows (the second odd-sized when n is).
      const cut = Math.floor(n / 2) + 1;
      const chunks = [[0, cut], [cut, n]];
      const at = inWasm({ distances: 2 * 4 * n * 4, closest: n * 4, potentials: 4 * 8, first: 4 });
      const closest = f32View(kernels, at.closest, n);
      const chunkSum = (values: number[], start: number, end: number) => {
        let sum = 0;
        for (let i = start; i < end; i++) sum += weights[i] * values[i];
        return sum;
      };
      // The first center as the one candidate, from +∞ and no previous column: its distances and chunk potentials.
      closest.fill(Infinity);
      i32View(kernels, at.first, 1)[0] = 5;
      for (const [start, end] of chunks) {
        kernels.seedingPotentials(ptr.x, ptr.weights, start, end, n, d, at.first, 1, 0, at.closest, at.potentials, at.distances);
        expect(f64(at.potentials, 1)).toEqual([chunkSum(expected, start, end)]);
      }
      expect(f32(at.distances, n)).toEqual(expected);
      expect(Array.from(f32View(kernels, at.closest, n))).toEqual(new Array(n).fill(Infinity));
      // weightPtr 0: unit weights, none read.
      for (const [start, end] of chunks) {
        kernels.seedingPotentials(ptr.x, 0, start, end, n, d, at.first, 1, 0, at.closest, at.potentials, at.distances);
        expect(f64(at.potentials, 1)).toEqual([expected.slice(start, end).reduce((sum, v) => sum + v, 0)]);
      }
      expect(kernels.drawInChunk(0, at.closest, at.distances, 0, cut, 0, expected[0] + expected[1])).toBe(expected[1] > 0 ? 1 : 0);
      const candidates = [0, n - 1, 7, 7];
      i32View(kernels, ptr.candidates, 4).set(candidates);
      for (const count of [4, 3]) {
        // A step taking the first center's column, then scoring `count` candidates into the second set.
        closest.fill(Infinity);
        const second = at.distances + 4 * n * 4;
        for (const [start, end] of chunks) {
          kernels.seedingPotentials(ptr.x, ptr.weights, start, end, n, d, ptr.candidates, count, at.distances, at.closest, at.potentials, second);
          const pots = candidates.slice(0, count).map((c) => chunkSum(X.map((x, i) => Math.min(expected[i], sqDist(x, X[c]))), start, end));
          expect(f64(at.potentials, count)).toEqual(pots);
        }
        expect(Array.from(f32View(kernels, at.closest, n))).toEqual(expected);
        // Each candidate's distances, column by column, as a float32 sum gives them (small integers: exact).
        for (let t = 0; t < count; t++) expect(f32(second + t * n * 4, n)).toEqual(X.map((x) => sqDist(x, X[candidates[t]])));
      }
      // drawInChunk: with the second candidate's column as the previous step's, the first row of the second chunk
      // whose running potential (the first chunk's total, then the running sum) reaches the target.
      const taken = expected.map((v, i) => Math.min(v, sqDist(X[i], X[candidates[1]])));
      const before = chunkSum(taken, 0, cut);
      const column = at.distances + 4 * n * 4 + n * 4;
      let running = 0;
      const runningPotential = taken.slice(cut).map((v, i) => before + (running += weights[cut + i] * v));
      for (const target of [before, before + 0.5, runningPotential[2], runningPotential[2] + 1e-9, runningPotential[runningPotential.length - 1], Infinity]) {
        const first = runningPotential.findIndex((p) => p >= target);
        expect(kernels.drawInChunk(ptr.weights, at.closest, column, cut, n, before, target)).toBe(first < 0 ? n - 1 : cut + first);
      }
    });
  }
});

describe('the bounded E-steps: rowNorms, centerGeometry, yinyangGeometry, hamerlyStep, elkanStep, yinyangStep, takeDistanceCount', () => {
  const distance = (a: number[], b: number[]) => Math.sqrt(sqDist(a, b));
  /** The workspace, centers C, and an algorithm's bounds laid out as src/cluster/accelerated.ts lays them out. */
  function boundedSetup(algorithm: 'hamerly' | 'elkan' | 'yinyang', X: number[][], C: number[][]) {
    const base = setup(X, C);
    const { n, d, k } = base;
    const nGroups = Math.max(1, Math.round(k / 10));
    const groupOf = Int32Array.from({ length: k }, (_, j) => j % nGroups);
    const layout = yinyangLayout(groupOf, nGroups);
    const lowerPerRow = algorithm === 'hamerly' ? 1 : algorithm === 'elkan' ? k : nGroups;
    const slots = layout.maxSlots;
    const b = inWasm({
      block: BOUNDS_ARGS_BYTES, xNorms: n * 8, upper: n * 8, lower: n * lowerPerRow * 8, oldCenters: k * d * 4, shifts: k * 8,
      halfMin: k * 8, cc: k * k * 8, drift: k * 8, scores: Math.max(Math.ceil(k / 16) * 16, slots) * 4, quads: Math.max(k, slots) * 4,
      groupOf, slotCenter: layout.slotCenter, slotOf: layout.slotOf, groupQuadStart: layout.groupQuadStart,
      slotRows: slots * d * 4, slotT: slots * d * 4, slotNorms: slots * 4, groupScratch: nGroups * 12 + slots, groupShifts: nGroups * 8,
    });
    const yinyang = algorithm === 'yinyang';
    writeBoundsArgs(kernels.memory, b.block, {
      xNorms: b.xNorms, upper: b.upper, lower: b.lower, oldCenters: b.oldCenters, shifts: b.shifts, halfMin: b.halfMin,
      cc: algorithm === 'elkan' ? b.cc : 0, drift: algorithm === 'elkan' ? b.drift : 0, scores: b.scores, quads: b.quads,
      nGroups: yinyang ? nGroups : 0, groupOf: yinyang ? b.groupOf : 0, slotCenter: yinyang ? b.slotCenter : 0, slotOf: yinyang ? b.slotOf : 0,
      groupQuadStart: yinyang ? b.groupQuadStart : 0, nSlots: yinyang ? layout.nSlots : 0, slotRows: b.slotRows, slotT: b.slotT,
      slotNorms: b.slotNorms, groupScratch: b.groupScratch, groupShifts: b.groupShifts,
    });
    const partial = inWasm({ sums: (k * d + k) * 8 }).sums;
    const kernel = { hamerly: kernels.hamerlyStep, elkan: kernels.elkanStep, yinyang: kernels.yinyangStep }[algorithm];
    /** A step goes by row chunks (two here, the second odd-sized), each into a partial added to the sums. */
    const step = (first: number, maxNorm: number) => {
      if (algorithm === 'yinyang') kernels.yinyangGeometry(base.ptr.args, b.block);
      let changed = 0;
      for (const [start, end] of [[0, 17], [17, n]]) {
        f64View(kernels, partial, k * d + k).fill(NaN);
        changed += kernel(base.ptr.args, b.block, first, maxNorm, start, end, partial);
        const sums = f64View(kernels, base.ptr.sums, k * d);
        f64View(kernels, partial, k * d).forEach((v, t) => (sums[t] += v));
        const clusterWeights = f64View(kernels, base.ptr.weightInClusters, k);
        f64View(kernels, partial + k * d * 8, k).forEach((v, j) => (clusterWeights[j] += v));
      }
      return changed;
    };
    return { ...base, b, groupOf, nGroups, lowerPerRow, step };
  }

  /** One step from the loaded centers: labels, sums and changed count as a naive E-step gives them; then the bounds hold. */
  function checkStep(s: ReturnType<typeof boundedSetup>, algorithm: string, X: number[][], C: number[][], first: number, before: number[]) {
    const { n, d, k, ptr, b, weights } = s;
    const maxNorm = kernels.centerGeometry(ptr.args, b.block, first);
    expect(maxNorm).toBeCloseTo(Math.max(...C.map((c) => Math.hypot(...c))), 9);
    f64View(kernels, ptr.sums, k * d).fill(0);
    f64View(kernels, ptr.weightInClusters, k).fill(0);
    const changed = s.step(first, maxNorm);
    const expected = X.map((x) => nearest(x, C).label);
    const labels = Array.from(i32View(kernels, ptr.labels, n));
    expect(labels).toEqual(expected);
    expect(changed).toBe(expected.filter((l, i) => l !== before[i]).length);
    const sums = new Array(k * d).fill(0);
    X.forEach((x, i) => x.forEach((v, t) => (sums[expected[i] * d + t] += weights[i] * v)));
    expect(Array.from(f64View(kernels, ptr.sums, k * d))).toEqual(sums);
    // The bounds: upper ≥ the distance to the label; every lower ≤ the distances it bounds (a hair of float slack).
    const upper = f64View(kernels, b.upper, n);
    const lower = f64View(kernels, b.lower, n * s.lowerPerRow);
    const drift = f64View(kernels, b.drift, k);
    X.forEach((x, i) => {
      const dist = C.map((c) => distance(x, c));
      expect(upper[i]).toBeGreaterThanOrEqual(dist[expected[i]] * (1 - 1e-6));
      for (let j = 0; j < k; j++) {
        if (j === expected[i]) continue;
        const bound = algorithm === 'hamerly' ? lower[i] : algorithm === 'elkan' ? lower[i * k + j] - drift[j] : lower[i * s.nGroups + s.groupOf[j]];
        expect(bound).toBeLessThanOrEqual(dist[j] * (1 + 1e-6) + 1e-9);
      }
    });
    return labels;
  }

  for (const algorithm of ['hamerly', 'elkan', 'yinyang'] as const) {
    for (const [n, d, k] of [[53, 1, 3], [53, 3, 17], [61, 8, 33], [40, 5, 16]]) {
      test(`${algorithm} n=${n} d=${d} k=${k}: a first step, then one after the centers moved`, () => {
        const X = integerData(n, d, n * d + k, 9);
        const C = integerData(k, d, 3 * k + d, 9);
        const s = boundedSetup(algorithm, X, C);
        const { ptr, b } = s;
        kernels.rowNorms(ptr.args, b.block, 0, 20);
        kernels.rowNorms(ptr.args, b.block, 20, n);
        expect(Array.from(f64View(kernels, b.xNorms, n))).toEqual(X.map((x) => Math.sqrt(sqDist(x, x.map(() => 0)))));
        i32View(kernels, ptr.labels, n).fill(-1);
        kernels.takeDistanceCount();
        const firstLabels = checkStep(s, algorithm, X, C, 1, new Array(n).fill(-1));
        expect(kernels.takeDistanceCount()).toBe(n * k);
        expect(kernels.takeDistanceCount()).toBe(0);
        // Move some centers (integers, so that every score stays exact) and step again from the bounds.
        const moved = C.map((c, j) => (j % 3 === 0 ? c.map((v, t) => v + ((j + t) % 3) - 1) : c));
        f32View(kernels, ptr.centers, k * d).set(moved.flat());
        kernels.packCenters(ptr.centers, k, d, ptr.centersT, ptr.norms);
        checkStep(s, algorithm, X, moved, 0, firstLabels);
        const shifts = Array.from(f64View(kernels, b.shifts, k));
        expect(shifts).toEqual(C.map((c, j) => distance(c, moved[j])));
        const halfMin = moved.map((c, j) => (k === 1 ? Infinity : 0.5 * Math.min(...moved.filter((_, m) => m !== j).map((o) => distance(c, o)))));
        expect(Array.from(f64View(kernels, b.halfMin, k))).toEqual(halfMin);
        if (algorithm === 'elkan') {
          expect(Array.from(f64View(kernels, b.cc, k * k))).toEqual(moved.flatMap((c) => moved.map((o) => distance(c, o))));
        }
        expect(kernels.takeDistanceCount()).toBeLessThanOrEqual(n * k + n);
      });
    }
  }
});
