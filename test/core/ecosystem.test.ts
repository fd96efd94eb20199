// The JavaScript ecosystem's matrices, duck-typed (no run-time dependency): each gives what number[][] gives.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as arrow from 'apache-arrow';
import { Matrix as MlMatrix } from 'ml-matrix';
// @ts-expect-error ndarray ships no types (its shape is what wasmeans duck-types)
import ndarray from 'ndarray';
import { beforeAll, describe, expect, test } from 'vitest';
import { fromArrow, init, kmeans, toMatrix, type DataInput } from '../../src/index';
import { expectWasmeansError } from '../reference';

// 30 × 4, float32-exact, three groups.
const rows: number[][] = Array.from({ length: 30 }, (_, i) =>
  Array.from({ length: 4 }, (_, j) => Math.fround((i % 3) * 10 + Math.sin(i * 7 + j * 3))),
);
const flat = Float64Array.from(rows.flat());
const run = (x: DataInput) => kmeans(x, 3, { randomState: 0, nInit: 1 });
let expected: ReturnType<typeof run>;

beforeAll(async () => {
  await init();
  expected = run(rows);
});

// The input's contents (Arrow's lazily cached `_nullCount`s aside), to check that it is not mutated.
const contents = (x: unknown) => JSON.stringify(x, (k, v) => (k.startsWith('_') ? undefined : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v));
const same = (x: DataInput) => {
  const before = contents(x);
  expect(run(x)).toEqual(expected);
  expect(contents(x)).toBe(before);
};

describe('ndarray', () => {
  test('contiguous, float32 or a plain array', () => {
    same(ndarray(Float32Array.from(flat), [30, 4]) as DataInput);
    same(ndarray(Array.from(flat), [30, 4]) as DataInput);
  });
  test('a transposed view (permuted strides) and a negative-stride view', () => {
    // stored column-major: the transpose of a 4 × 30 array
    const colMajor = new Float64Array(120);
    rows.forEach((r, i) => r.forEach((v, j) => (colMajor[j * 30 + i] = v)));
    same(ndarray(colMajor, [4, 30]).transpose(1, 0) as DataInput);
    // columns stored reversed, read back with step −1
    const reversed = Float64Array.from(rows.flatMap((r) => [...r].reverse()));
    same(ndarray(reversed, [30, 4]).step(1, -1) as DataInput);
  });
  test('a sliced view with an offset', () => {
    const big = ndarray(new Float64Array(32 * 6), [32, 6]);
    rows.forEach((r, i) => r.forEach((v, j) => big.set(i + 2, j + 1, v)));
    same(big.hi(32, 5).lo(2, 1) as DataInput);
  });
  test('1-D and 3-D are refused', () => {
    expectWasmeansError(() => run(ndarray(flat, [120]) as DataInput), 'INVALID_INPUT', /X must be 2-D, at least 1 × 1, got shape \[120\]/);
    expectWasmeansError(() => run(ndarray(flat, [30, 2, 2]) as DataInput), 'INVALID_INPUT', /X must be 2-D, at least 1 × 1, got shape \[30,2,2\]/);
    expectWasmeansError(() => run(ndarray(['a', 'b', 'c', 'd'], [2, 2]) as unknown as DataInput), 'INVALID_INPUT', /"a" at row 0, column 0/);
  });
});

test('ml-matrix: its rows and, if its internals change, to2DArray', () => {
  const m = new MlMatrix(rows);
  same(m);
  same({ rows: 30, columns: 4, to2DArray: () => m.to2DArray() });
});

describe('TensorFlow.js', () => {
  test('float32 and int32 tensors', () => {
    same(tf.tensor2d(rows, [30, 4], 'float32'));
    const ints = rows.map((r) => r.map(Math.round));
    expect(run(tf.tensor2d(ints, [30, 4], 'int32'))).toEqual(run(ints));
  });
  test('bad dtype and shape are refused', () => {
    expectWasmeansError(() => run(tf.tensor2d([[true, false]], [1, 2], 'bool')), 'INVALID_INPUT', /X has dtype bool; float32 or int32/);
    expectWasmeansError(() => run(tf.tensor1d([1, 2, 3])), 'INVALID_INPUT', /X must be 2-D, at least 1 × 1, got shape \[3\]/);
    expectWasmeansError(() => run(tf.tensor3d([[[1]]])), 'INVALID_INPUT', /X must be 2-D, at least 1 × 1, got shape \[1,1,1\]/);
  });
});

describe('Apache Arrow, through fromArrow', () => {
  const type = new arrow.FixedSizeList(4, new arrow.Field('x', new arrow.Float32()));
  const embeddings = (r: number[][]) => arrow.vectorFromArray(r, type);
  test('a FixedSizeList<Float32> column: zero-copy in one batch; several batches or a slice too', () => {
    const table = new arrow.Table({ embedding: embeddings(rows) });
    same(fromArrow(table));
    same(fromArrow(table.batches[0]));
    expect(fromArrow(table).data).toBeInstanceOf(Float32Array);
    same(fromArrow(new arrow.Table({ embedding: embeddings([[9, 9, 9, 9], ...rows]) }).slice(1)));
    const halves = [rows.slice(0, 10), rows.slice(10)].flatMap((r) => new arrow.Table({ embedding: embeddings(r) }).batches);
    same(fromArrow(new arrow.Table(halves)));
  });
  test('a Table passed as X directly is refused, pointing at fromArrow', () => {
    const table = new arrow.Table({ embedding: embeddings(rows) });
    expectWasmeansError(() => run(table as unknown as DataInput), 'INVALID_INPUT', /an Apache Arrow table: pass fromArrow\(table, columns\?\)/);
  });
  test('several Float64 columns, picked by name', () => {
    const columns = Object.fromEntries([0, 1, 2, 3].map((j) => [`c${j}`, Float64Array.from(rows, (r) => r[j])]));
    const table = arrow.tableFromArrays({ ...columns, name: rows.map((_, i) => `row ${i}`) });
    same(fromArrow(table, ['c0', 'c1', 'c2', 'c3']));
    expectWasmeansError(() => fromArrow(table), 'INVALID_INPUT', /table has column "name" of type Dictionary<Int32, Utf8>; numeric columns/);
    expectWasmeansError(() => fromArrow(table, ['c0', 'x']), 'INVALID_INPUT', /table has no column "x"/);
    const withList = new arrow.Table({ embedding: embeddings(rows), c0: arrow.vectorFromArray(columns.c0) });
    expectWasmeansError(() => fromArrow(withList), 'INVALID_INPUT', /column "embedding" of type FixedSizeList/);
  });
  test('a null is refused, naming the row and the column', () => {
    const withNull = rows.map((r, i) => ({ a: i === 7 ? null : r[0], b: r[1] }));
    expectWasmeansError(() => fromArrow(arrow.tableFromJSON(withNull)), 'INVALID_INPUT', /table has a null at row 7, column "a"/);
    const listNull = new arrow.Table({ e: embeddings(rows.map((r, i) => (i === 5 ? null : r)) as number[][]) });
    expectWasmeansError(() => fromArrow(listNull), 'INVALID_INPUT', /table has a null at row 5, column "e"/);
    const innerNull = new arrow.Table({ e: embeddings(rows.map((r, i) => (i === 3 ? [1, null, 2, 3] : r)) as number[][]) });
    expectWasmeansError(() => fromArrow(innerNull), 'INVALID_INPUT', /table has a null at row 3, column "e"/);
  });
});

test('an array of Float32Array rows: the fast path, the same result', () => {
  same(rows.map((r) => Float32Array.from(r)));
  expect(toMatrix(rows.map((r) => Float32Array.from(r))).data).toEqual(flat);
});
