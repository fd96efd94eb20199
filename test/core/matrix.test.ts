// The numpy array moves of the handbook's examples, checked by hand on small matrices.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { makeBlobs } from '../../src/datasets';
import {
  confusionMatrix, getRow, init, KMeans, kmeans, MiniBatchKMeans, reshape, takeRows, toArrays, toMatrix, TSNE,
} from '../../src/index';
import { expectWasmeansError } from '../reference';

const rows = [[1, 2, 3], [4, 5, 6]];

describe('toMatrix', () => {
  test('from rows, from typed-array rows and from flat values with a shape give the same float64 matrix', () => {
    const expected = { data: Float64Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
    expect(toMatrix(rows)).toEqual(expected);
    expect(toMatrix([Float32Array.from([1, 2, 3]), Int32Array.from([4, 5, 6])])).toEqual(expected);
    expect(toMatrix([1, 2, 3, 4, 5, 6], [2, 3])).toEqual(expected);
    expect(toMatrix({ data: Float32Array.from([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 })).toEqual(expected);
  });

  test('copies: the input is neither mutated nor aliased', () => {
    const flat = Float64Array.from([1, 2, 3, 4]);
    const m = toMatrix(flat, [2, 2]);
    m.data[0] = 99;
    expect(Array.from(flat)).toEqual([1, 2, 3, 4]);
  });

  test('bad input names the value', () => {
    expectWasmeansError(() => toMatrix([[1, 2], [3]]), 'INVALID_INPUT', /rows is ragged: row 1 has 1 values, row 0 has 2/);
    expectWasmeansError(() => toMatrix([[1, '2' as unknown as number]]), 'INVALID_INPUT', /rows contains "2" at row 0, column 1/);
    expectWasmeansError(() => toMatrix([1, 2, 3], [2, 2]), 'INVALID_INPUT', /values has length 3, but shape \[2, 2\] needs 4/);
    expectWasmeansError(() => toMatrix([1, 2], [0, 2]), 'INVALID_INPUT', /shape\[0\] must be a positive integer, got 0/);
    expectWasmeansError(() => toMatrix([1, null as unknown as number], [1, 2]), 'INVALID_INPUT', /values\[1\] is null/);
  });
});

describe('takeRows (numpy centers[labels]) and getRow (m[i])', () => {
  const m = toMatrix(rows);

  test('rows in the order given, repeats allowed', () => {
    expect(toArrays(takeRows(m, [1, 0, 1]))).toEqual([[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expect(takeRows(m, Int32Array.from([1]))).toEqual({ data: Float64Array.from([4, 5, 6]), rows: 1, cols: 3 });
    expect(Array.from(getRow(m, 1))).toEqual([4, 5, 6]);
    expect(getRow(rows, 0)).toBeInstanceOf(Float64Array);
  });

  test('copies, never views', () => {
    const r = getRow(m, 0);
    r[0] = -1;
    takeRows(m, [0]).data[1] = -1;
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('an index out of range names it', () => {
    expectWasmeansError(() => takeRows(m, [0, 2]), 'INVALID_INPUT', /indices\[1\] must be an integer in \[0, 1\], got 2/);
    expectWasmeansError(() => takeRows(m, [-1]), 'INVALID_INPUT', /indices\[0\] must be an integer in \[0, 1\], got -1/);
    expectWasmeansError(() => getRow(m, 0.5), 'INVALID_INPUT', /i must be an integer in \[0, 1\], got 0.5/);
  });
});

describe('reshape and toArrays', () => {
  test('a 64-value row of the digits becomes 8 × 8, row-major', () => {
    const row = Float64Array.from({ length: 64 }, (_, i) => i);
    const image = reshape(row, 8, 8);
    expect([image.rows, image.cols]).toEqual([8, 8]);
    expect(toArrays(image)[2]).toEqual([16, 17, 18, 19, 20, 21, 22, 23]);
    expect(toArrays(reshape(rows, 3, -1))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(toArrays(reshape(toMatrix(rows), -1, 6))).toEqual([[1, 2, 3, 4, 5, 6]]);
  });

  test('the input is not aliased', () => {
    const row = Float64Array.from([1, 2, 3, 4]);
    reshape(row, 2, 2).data[0] = 9;
    expect(row[0]).toBe(1);
  });

  test('a shape that does not fit names it', () => {
    expectWasmeansError(() => reshape(rows, 4, 2), 'INVALID_INPUT', /cannot reshape 6 values into rows=4 × cols=2/);
    expectWasmeansError(() => reshape(rows, -1, 4), 'INVALID_INPUT', /cannot reshape 6 values into rows=-1 × cols=4/);
    expectWasmeansError(() => reshape(rows, -1, -1), 'INVALID_INPUT', /only one of rows and cols can be -1/);
    expectWasmeansError(() => reshape([1, 2], 0, 2), 'INVALID_INPUT', /rows must be a positive integer, got 0/);
  });
});

test('confusionMatrix gives nested rows along with the flat data (hand-counted)', () => {
  // true 0 → predicted 0, 0, 1; true 1 → predicted 1; true 2 → predicted 0.
  const cm = confusionMatrix([0, 0, 0, 1, 2], [0, 0, 1, 1, 0]);
  expect(cm.arrays).toEqual([[2, 1, 0], [0, 1, 0], [1, 0, 0]]);
  expect(Array.from(cm.data)).toEqual(cm.arrays.flat());
});

test('results are typed as what they are: float64 data (checked by npm run typecheck) and float64 at run time', async () => {
  await init();
  const { X } = makeBlobs({ nSamples: 40, centers: 2, randomState: 0 });
  const model = new KMeans({ nClusters: 2, randomState: 0 }).fit(X);
  expectTypeOf(model.clusterCenters.data).toEqualTypeOf<Float64Array>();
  expectTypeOf(model.transform(X).data).toEqualTypeOf<Float64Array>();
  expectTypeOf(kmeans(X, 2).centers.data).toEqualTypeOf<Float64Array>();
  expectTypeOf(new MiniBatchKMeans(2).fit(X).clusterCenters.data).toEqualTypeOf<Float64Array>();
  expectTypeOf(new TSNE(2).fitTransform).returns.toHaveProperty('data').toEqualTypeOf<Float64Array>();
  expectTypeOf(toMatrix([[1]]).data).toEqualTypeOf<Float64Array>();
  expect(model.clusterCenters.data).toBeInstanceOf(Float64Array);
  expect(model.transform(X).data).toBeInstanceOf(Float64Array);
});
