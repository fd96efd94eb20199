// The neighbour search's kernels (assembly/neighbors/kneighbors.ts) against a naive search: integer data, so that
// float32 distances are exact and ties go to the lower index as the kernels promise.
import { describe, expect, test } from 'vitest';
import { GRID_ARGS_BYTES, GROUP_ARGS_BYTES, writeGridArgs, writeGroupArgs } from '../../src/generated/kernels';
import { f32, i32, inWasm, integerData, kernels, useKernels } from '../kernels';
import { nearest, sqDist } from '../reference';

useKernels();

/** Each row's k nearest other rows, by (squared distance, index). */
function naiveNeighbors(X: number[][], k: number): { indices: number[]; dist: number[] }[] {
  return X.map((x, i) => {
    const order = X.map((_, j) => j).filter((j) => j !== i).sort((a, b) => sqDist(x, X[a]) - sqDist(x, X[b]) || a - b).slice(0, k);
    return { indices: order, dist: order.map((j) => sqDist(x, X[j])) };
  });
}

describe('packRows4', () => {
  for (const [n, d] of [[1, 1], [5, 3], [8, 4], [13, 7]]) {
    test(`n=${n} d=${d}: rows transposed into blocks of 4, zero padding`, () => {
      const X = integerData(n, d, n + d);
      const nBlocks = Math.ceil(n / 4);
      const ptr = inWasm({ x: Float32Array.from(X.flat()), xT: nBlocks * 4 * d * 4 });
      kernels.packRows4(ptr.x, n, d, ptr.xT);
      const expected = new Array(nBlocks * 4 * d).fill(0);
      for (let r = 0; r < n; r++) for (let t = 0; t < d; t++) expected[(Math.floor(r / 4) * d + t) * 4 + (r % 4)] = X[r][t];
      expect(f32(ptr.xT, expected.length)).toEqual(expected);
    });
  }
});

describe('kneighborsChunk', () => {
  for (const [n, d, k] of [[9, 1, 3], [23, 2, 5], [31, 5, 30], [40, 8, 7]]) {
    test(`n=${n} d=${d} k=${k}: the naive neighbours over two row ranges, ties to the lower index`, () => {
      const X = integerData(n, d, n * d, 3);
      const ptr = inWasm({ x: Float32Array.from(X.flat()), xT: Math.ceil(n / 4) * 4 * d * 4, dist: n * k * 4, indices: n * k * 4 });
      kernels.packRows4(ptr.x, n, d, ptr.xT);
      const split = Math.floor(n / 2);
      kernels.kneighborsChunk(ptr.x, ptr.xT, n, d, 0, split, k, ptr.dist, ptr.indices);
      kernels.kneighborsChunk(ptr.x, ptr.xT, n, d, split, n, k, ptr.dist, ptr.indices);
      const expected = naiveNeighbors(X, k);
      expect(i32(ptr.indices, n * k)).toEqual(expected.flatMap((e) => e.indices));
      expect(f32(ptr.dist, n * k)).toEqual(expected.flatMap((e) => e.dist));
    });
  }
});

describe('kneighborsGrid', () => {
  for (const [n, d, k, side] of [[30, 1, 4, 2], [60, 2, 6, 3], [80, 3, 5, 4], [50, 2, 49, 1.5]] as const) {
    test(`n=${n} d=${d} k=${k}, cells of side ${side}: the naive neighbours`, () => {
      const X = integerData(n, d, 7 * n + d, 9);
      // A grid built here, independently of src/neighbors: cells of `side` from the low corner, rows in cell order.
      const low = [0, 1, 2].map((t) => (t < d ? Math.min(...X.map((x) => x[t])) : 0));
      const cells = [0, 1, 2].map((t) => (t < d ? Math.floor((Math.max(...X.map((x) => x[t])) - low[t]) / side) + 1 : 1));
      const cellOf = (x: number[]) => [0, 1, 2].reduce((c, t) => c * cells[t] + (t < d ? Math.min(Math.floor((x[t] - low[t]) / side), cells[t] - 1) : 0), 0);
      const order = X.map((_, i) => i).sort((a, b) => cellOf(X[a]) - cellOf(X[b]) || a - b);
      const nCells = cells[0] * cells[1] * cells[2];
      const cellStart = new Int32Array(nCells + 1);
      for (const i of order) cellStart[cellOf(X[i]) + 1]++;
      for (let c = 0; c < nCells; c++) cellStart[c + 1] += cellStart[c];
      const ptr = inWasm({
        x: Float32Array.from(X.flat()), grid: GRID_ARGS_BYTES, cellStart, cellRows: Int32Array.from(order),
        cellX: Float32Array.from(order.flatMap((i) => X[i])), dist: n * k * 4, indices: n * k * 4,
      });
      writeGridArgs(kernels.memory, ptr.grid, {
        low0: low[0], low1: low[1], low2: low[2], side, cells0: cells[0], cells1: cells[1], cells2: cells[2],
        cellStart: ptr.cellStart, cellRows: ptr.cellRows, cellX: ptr.cellX,
      });
      kernels.kneighborsGrid(ptr.x, n, d, 0, 7, k, ptr.grid, ptr.dist, ptr.indices);
      kernels.kneighborsGrid(ptr.x, n, d, 7, n, k, ptr.grid, ptr.dist, ptr.indices);
      const expected = naiveNeighbors(X, k);
      expect(i32(ptr.indices, n * k)).toEqual(expected.flatMap((e) => e.indices));
      expect(f32(ptr.dist, n * k)).toEqual(expected.flatMap((e) => e.dist));
    });
  }
});

describe('nearestCentres', () => {
  test('each row\'s nearest centre, the lowest index among ties (centres repeated), with its squared distance, over two ranges', () => {
    const d = 6;
    const X = integerData(45, d, 3, 4);
    const centres = [X[3], X[10], X[3], X[20], X[31], X[10], X[0]];
    const m = centres.length;
    const ptr = inWasm({ x: Float32Array.from(X.flat()), centres: Float32Array.from(centres.flat()), centresT: Math.ceil(m / 4) * 4 * d * 4, labels: 45 * 4, dist: 45 * 4 });
    kernels.packRows4(ptr.centres, m, d, ptr.centresT);
    kernels.nearestCentres(ptr.x, d, 0, 18, ptr.centresT, m, ptr.labels, ptr.dist);
    kernels.nearestCentres(ptr.x, d, 18, 45, ptr.centresT, m, ptr.labels, ptr.dist);
    const expected = X.map((x) => nearest(x, centres));
    expect(i32(ptr.labels, 45)).toEqual(expected.map((e) => e.label));
    expect(f32(ptr.dist, 45)).toEqual(expected.map((e) => e.dist));
  });
});

describe('kneighborsGroups', () => {
  // Groups apart by `apart` in the first feature end the visits early.
  for (const [n, d, k, nGroups, apart] of [[29, 4, 3, 3, 0], [50, 5, 49, 4, 0], [61, 7, 10, 6, 0], [40, 9, 6, 1, 0], [66, 5, 4, 4, 40]] as const) {
    test(`n=${n} d=${d} k=${k}, ${nGroups} groups ${apart} apart: the naive neighbours over two ranges of blocks`, () => {
      const X = integerData(n, d, 5 * n + d, 3).map((x, i) => [x[0] + apart * (i % nGroups), ...x.slice(1)]);
      // Groups built here, independently of src/neighbors: row i in group i mod nGroups about its first row, padded
      // to whole blocks; each group visits itself, then the others by distance between centres.
      const members = Array.from({ length: nGroups }, (_, g) => X.map((_, i) => i).filter((i) => i % nGroups === g));
      const centres = members.map((rows) => X[rows[0]]);
      const radii = members.map((rows, g) => Math.sqrt(Math.max(...rows.map((i) => sqDist(X[i], centres[g])))));
      const groupStart = [0];
      for (const rows of members) groupStart.push(groupStart[groupStart.length - 1] + Math.ceil(rows.length / 4));
      const nBlocks = groupStart[nGroups];
      const blockRows = new Int32Array(nBlocks * 4).fill(-1);
      const blockGroup = new Int32Array(nBlocks);
      const xT = new Float32Array(nBlocks * 4 * d);
      members.forEach((rows, g) => rows.forEach((i, s) => {
        const slot = groupStart[g] * 4 + s;
        blockRows[slot] = i;
        blockGroup[slot >> 2] = g;
        for (let t = 0; t < d; t++) xT[((slot >> 2) * d + t) * 4 + (slot & 3)] = X[i][t];
      }));
      const between = (g: number, h: number) => (g === h ? 0 : Math.sqrt(sqDist(centres[g], centres[h])) * (1 - 1e-3));
      const visits = members.flatMap((_, g) => [g, ...members.map((_, h) => h).filter((h) => h !== g).sort((a, b) => between(g, a) - between(g, b) || a - b)]);
      const gaps = visits.map((h, v) => between(visits[v - (v % nGroups)], h));
      const ptr = inWasm({
        x: Float32Array.from(X.flat()), groups: GROUP_ARGS_BYTES, centres: Float32Array.from(centres.flat()), radii: Float64Array.from(radii),
        groupStart: Int32Array.from(groupStart), visits: Int32Array.from(visits), gaps: Float64Array.from(gaps), blockGroup, blockRows, xT,
        dist: n * k * 4, indices: n * k * 4,
      });
      writeGroupArgs(kernels.memory, ptr.groups, {
        relSlack: 1e-3, absSlack: 1e-30, maxRadius: Math.max(...radii), nGroups, centres: ptr.centres, radii: ptr.radii,
        groupStart: ptr.groupStart, visits: ptr.visits, gaps: ptr.gaps, blockGroup: ptr.blockGroup, blockRows: ptr.blockRows, xT: ptr.xT,
      });
      const split = Math.floor(nBlocks / 2);
      kernels.kneighborsGroups(ptr.x, d, 0, split, k, ptr.groups, ptr.dist, ptr.indices);
      kernels.kneighborsGroups(ptr.x, d, split, nBlocks, k, ptr.groups, ptr.dist, ptr.indices);
      const expected = naiveNeighbors(X, k);
      expect(i32(ptr.indices, n * k)).toEqual(expected.flatMap((e) => e.indices));
      expect(f32(ptr.dist, n * k)).toEqual(expected.flatMap((e) => e.dist));
    });
  }
});
