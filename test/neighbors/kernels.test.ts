// The neighbour search's kernels (assembly/neighbors/kneighbors.ts) against a naive search: integer data, so that
// float32 distances are exact and ties go to the lower index as the kernels promise.
import { describe, expect, test } from 'vitest';
import { GRID_ARGS_BYTES, writeGridArgs } from '../../src/generated/kernels';
import { f32, i32, inWasm, integerData, kernels, useKernels } from '../kernels';
import { sqDist } from '../reference';

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
