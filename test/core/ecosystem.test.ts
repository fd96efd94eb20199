// The JavaScript ecosystem's matrices, duck-typed (no run-time dependency): each gives what number[][] gives.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Matrix as MlMatrix } from 'ml-matrix';
// @ts-expect-error ndarray ships no types (its shape is what wasmeans duck-types)
import ndarray from 'ndarray';
import { beforeAll, describe, expect, test } from 'vitest';
import { init, kmeans, toMatrix, type DataInput } from '../../src/index';
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
    expectWasmeansError(() => run(ndarray(flat, [120]) as DataInput), 'INVALID_INPUT', /X must be 2-D, n × d.* shape \[120\]/);
    expectWasmeansError(() => run(ndarray(flat, [30, 2, 2]) as DataInput), 'INVALID_INPUT', /X must be 2-D, n × d.* shape \[30,2,2\]/);
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
    expectWasmeansError(() => run(tf.tensor2d([[true, false]], [1, 2], 'bool')), 'INVALID_INPUT', /X has dtype "bool"; float32 or int32/);
    expectWasmeansError(() => run(tf.tensor1d([1, 2, 3])), 'INVALID_INPUT', /X must be 2-D, n × d.* shape \[3\]/);
    expectWasmeansError(() => run(tf.tensor3d([[[1]]])), 'INVALID_INPUT', /X must be 2-D, n × d.* shape \[1,1,1\]/);
  });
});

test('an array of Float32Array rows: the fast path, the same result', () => {
  same(rows.map((r) => Float32Array.from(r)));
  expect(toMatrix(rows.map((r) => Float32Array.from(r))).data).toEqual(flat);
});
