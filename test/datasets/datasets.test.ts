// wasmeans/datasets against scikit-learn 1.2.1 (test/fixtures/make_dataset_fixtures.py) and, for the digits,
// against data/digits.csv.gz read independently.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  loadDigits, loadSampleImage, makeBlobs, makeCircles, makeMoons,
  type MakeBlobsOptions, type MakeCirclesOptions, type MakeMoonsOptions,
} from '../../src/datasets';
import { WasmeansError } from '../../src/core/errors';
import { RandomState } from '../../src/core/random';
import { expectWasmeansError, fixture, repoPath } from '../reference';

type Points = { X: number[][]; y: number[]; centers?: number[][] };
const fixtures = fixture('sklearn-datasets.json');

/** Largest |a − b| / max(1, |b|): the generators must agree with numpy to the last few ulps. */
function maxError(actual: ArrayLike<number>, expected: number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return worst;
}

function expectPoints(result: { X: { data: Float64Array; rows: number; cols: number }; y: Int32Array; centers?: { data: Float64Array } }, expected: Points): void {
  expect(result.X.rows).toBe(expected.X.length);
  expect(result.X.cols).toBe(expected.X[0].length);
  expect(result.X.data).toBeInstanceOf(Float64Array);
  expect(maxError(result.X.data, expected.X.flat())).toBeLessThan(1e-12);
  expect(result.y).toBeInstanceOf(Int32Array);
  expect(Array.from(result.y)).toEqual(expected.y);
  if (expected.centers) expect(maxError(result.centers!.data, expected.centers.flat())).toBeLessThan(1e-12);
}

function expectError(run: () => unknown, message: RegExp): void {
  expect(run).toThrowError(WasmeansError);
  expect(run).toThrowError(message);
}

describe('RandomState: numpy legacy uniform and normal', () => {
  const streams = fixtures.random;
  test('normal keeps the second value of each pair across other draws', () => {
    const rng = new RandomState(0);
    expect(maxError([rng.normal(0, 1), rng.normal(0, 1), rng.normal(0, 1)], streams.seed0Normals)).toBeLessThan(1e-15);
    expect(rng.randomSample()).toBe(streams.seed0Between);
    expect(maxError([rng.normal(2, 0.5), rng.normal(2, 0.5)], streams.seed0NormalsAfter)).toBeLessThan(1e-15);
  });

  test('uniform', () => {
    const rng = new RandomState(1);
    expect(Array.from({ length: 4 }, () => rng.uniform(-10, 10))).toEqual(streams.seed1Uniform);
  });
});

describe('makeBlobs ≡ make_blobs', () => {
  const blobs = fixtures.blobs;
  const cases: [string, MakeBlobsOptions][] = [
    ['handbook', { nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 }],
    ['perCenterStd101', { nSamples: 101, nFeatures: 3, centers: 3, clusterStd: [0.5, 1.0, 2.0], randomState: 1 }],
    ['explicitCentersNoShuffle', { nSamples: 50, centers: [[0, 0], [5, 5], [-3, 4]], clusterStd: 0.3, shuffle: false, randomState: 42 }],
    ['countsPerCenter', { nSamples: [10, 20, 5], centerBox: [-5, 5], randomState: 7 }],
    ['oddBlocks', { nSamples: 5, nFeatures: 3, centers: 2, randomState: 3 }],
    ['zeroStd', { nSamples: 4, centers: 2, clusterStd: [0, 1], randomState: 5 }],
  ];
  test.each(cases)('%s', (name, options) => expectPoints(makeBlobs(options), blobs[name]));

  test('large: 2000 × 10, 5 centers (first rows and sums)', () => {
    const expected = blobs.large;
    const { X, y, centers } = makeBlobs({ nSamples: 2000, nFeatures: 10, centers: 5, clusterStd: 2.5, randomState: 123 });
    expect([X.rows, X.cols]).toEqual([expected.rows, expected.cols]);
    expect(maxError(X.data.subarray(0, 50), expected.head.flat())).toBeLessThan(1e-12);
    expect(maxError(X.data.subarray(X.data.length - 10), expected.tail)).toBeLessThan(1e-12);
    expect(maxError(centers.data, expected.centers.flat())).toBeLessThan(1e-12);
    let sum = 0;
    let sumOfSquares = 0;
    for (let i = 0; i < X.data.length; i++) {
      sum += X.data[i];
      sumOfSquares += X.data[i] * X.data[i];
    }
    expect(Math.abs(sum - expected.sum)).toBeLessThan(1e-9);
    expect(Math.abs(sumOfSquares - expected.sumOfSquares) / expected.sumOfSquares).toBeLessThan(1e-12);
    expect(Array.from(y.subarray(0, 20))).toEqual(expected.yHead);
    expect([0, 1, 2, 3, 4].map((c) => y.filter((v) => v === c).length)).toEqual(expected.yCounts);
    expect(y.reduce((acc, v, i) => acc + i * v, 0)).toBe(expected.yWeightedSum);
  });

  test('a Matrix of centers gives the same as rows; nFeatures follows the centers', () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const matrix = { data: Float64Array.from(rows.flat()), rows: 2, cols: 3 };
    const a = makeBlobs({ nSamples: 9, centers: rows, nFeatures: 7, randomState: 11 });
    const b = makeBlobs({ nSamples: 9, centers: matrix, randomState: 11 });
    expect(a.X.cols).toBe(3);
    expect(a.X.data).toEqual(b.X.data);
    expect(Array.from(a.centers.data)).toEqual(rows.flat());
  });

  test('the same seed gives the same data; no seed gives different data', () => {
    expect(makeBlobs({ randomState: 9 }).X.data).toEqual(makeBlobs({ randomState: 9 }).X.data);
    expect(makeBlobs().X.data).not.toEqual(makeBlobs().X.data);
  });

  test('bad options throw a WasmeansError that names the value', () => {
    expectError(() => makeBlobs({ nSamples: 0 }), /nSamples must be an integer >= 1, got 0/);
    expectError(() => makeBlobs({ nSamples: 2.5 }), /nSamples must be an integer >= 1, got 2.5/);
    expectError(() => makeBlobs({ nSamples: [3, -1, 2] }), /nSamples\[1\] must be an integer >= 0, got -1/);
    expectError(() => makeBlobs({ nSamples: [3, 2], centers: 3 }), /nSamples has 2 counts but there are 3 centers/);
    expectError(() => makeBlobs({ nSamples: [] }), /the sum of nSamples must be an integer >= 1, got 0/);
    expectError(() => makeBlobs({ nFeatures: 0 }), /nFeatures must be an integer >= 1, got 0/);
    expectError(() => makeBlobs({ centers: 0 }), /centers must be an integer >= 1, got 0/);
    expectError(() => makeBlobs({ centers: [[0, NaN]] }), /centers contains NaN at row 0, column 1/);
    expectError(() => makeBlobs({ clusterStd: -1 }), /clusterStd must be a finite number >= 0, got -1/);
    expectError(() => makeBlobs({ centers: 2, clusterStd: [1, -0.5] }), /clusterStd\[1\] must be a finite number >= 0, got -0.5/);
    expectError(() => makeBlobs({ centers: 3, clusterStd: [1, 2] }), /clusterStd has 2 values but there are 3 centers/);
    expectError(() => makeBlobs({ centerBox: [10, -10] }), /centerBox must be \[low, high\] with finite low <= high, got \[10, -10\]/);
    // @ts-expect-error a box needs two bounds
    expectError(() => makeBlobs({ centerBox: [1] }), /centerBox .* got \[1\]/);
    expectError(() => makeBlobs({ randomState: -1 }), /randomState must be an integer in \[0, 4294967295\], got -1/);
    // @ts-expect-error shuffle is a boolean
    expectError(() => makeBlobs({ shuffle: 'yes' }), /shuffle must be true or false, got "yes"/);
  });

  test('more points than a typed array holds, and values beyond float64: WasmeansErrors, not RangeError or Infinity', () => {
    expectWasmeansError(() => makeBlobs({ nSamples: 1e12 }), 'OUT_OF_MEMORY', /makeBlobs: nSamples=1000000000000 × 2 features .*\(14\.55 TiB\)/);
    expectWasmeansError(() => makeMoons({ nSamples: 1e12 }), 'OUT_OF_MEMORY', /makeMoons: nSamples=1000000000000/);
    expectWasmeansError(() => makeBlobs({ clusterStd: 1e308, randomState: 0 }), 'INVALID_PARAMETER', /clusterStd=1e\+308 put -?Infinity into X .* beyond the float64 range/);
    expectWasmeansError(() => makeBlobs({ centerBox: [-1.7e308, 1.7e308], randomState: 0 }), 'INVALID_PARAMETER', /centerBox=\[-1\.7e\+308, 1\.7e\+308\] .* put -?Infinity into centers/);
    expectWasmeansError(() => makeCircles({ noise: 1e308, randomState: 0 }), 'INVALID_PARAMETER', /makeCircles: noise=1e\+308 put -?Infinity into X/);
    // Large but finite stays allowed.
    expect(makeBlobs({ clusterStd: 1e300, centerBox: [-1e307, 1e307], randomState: 0 }).X.data.every(Number.isFinite)).toBe(true);
  });
});

describe('makeMoons ≡ make_moons, makeCircles ≡ make_circles', () => {
  const moons: [string, MakeMoonsOptions][] = [
    ['handbook', { nSamples: 200, noise: 0.05, randomState: 0 }],
    ['odd101NoShuffle', { nSamples: 101, noise: 0.1, shuffle: false, randomState: 3 }],
    ['noNoise', { nSamples: 7, randomState: 1 }],
    ['pair', { nSamples: [3, 5], noise: 0.2, randomState: 1 }],
  ];
  test.each(moons)('moons %s', (name, options) => expectPoints(makeMoons(options), fixtures.moons[name]));

  const circles: [string, MakeCirclesOptions][] = [
    ['half', { nSamples: 100, noise: 0.05, factor: 0.5, randomState: 0 }],
    ['odd51NoShuffle', { nSamples: 51, noise: 0.1, factor: 0.3, shuffle: false, randomState: 2 }],
    ['noNoise', { nSamples: 9, randomState: 4 }],
    ['factorZero', { nSamples: 6, factor: 0, noise: 0.01, randomState: 9 }],
  ];
  test.each(circles)('circles %s', (name, options) => expectPoints(makeCircles(options), fixtures.circles[name]));

  test('bad options throw a WasmeansError that names the value', () => {
    expectError(() => makeMoons({ nSamples: 0 }), /nSamples must be an integer >= 1, got 0/);
    expectError(() => makeMoons({ noise: -0.1 }), /noise must be a finite number >= 0 or undefined, got -0.1/);
    expectError(() => makeMoons({ noise: NaN }), /noise must be a finite number >= 0 or undefined, got NaN/);
    expectError(() => makeMoons({ nSamples: [0, 0] }), /nSamples\[0\] \+ nSamples\[1\] must be an integer >= 1, got 0/);
    expectError(() => makeCircles({ factor: 1 }), /factor must be a number in \[0, 1\), got 1/);
    expectError(() => makeCircles({ factor: -0.1 }), /factor must be a number in \[0, 1\), got -0.1/);
    expectError(() => makeCircles({ nSamples: -5 }), /nSamples must be an integer >= 1, got -5/);
  });
});

describe('loadDigits ≡ load_digits', () => {
  const expected = fixtures.digits;

  test('data, target and names equal scikit-learn and data/digits.csv.gz', () => {
    const digits = loadDigits();
    const { data, target } = digits;
    expect([data.rows, data.cols]).toEqual([expected.rows, expected.cols]);
    expect(data.data).toBeInstanceOf(Float64Array);
    expect(target).toBeInstanceOf(Int32Array);
    expect(Array.from(target)).toEqual(expected.target);
    expect(Array.from(digits.targetNames)).toEqual(expected.targetNames);
    expect(Array.from(data.data.subarray(0, 3 * 64))).toEqual(expected.head.flat());
    const rowSums = Array.from({ length: data.rows }, (_, i) => data.data.subarray(i * 64, i * 64 + 64).reduce((a, b) => a + b, 0));
    expect(rowSums).toEqual(expected.rowSums);
    const columnSums = Array.from({ length: 64 }, (_, j) => rowSums.reduce((acc, _, i) => acc + data.data[i * 64 + j], 0));
    expect(columnSums).toEqual(expected.columnSums);
    expect(data.data.reduce((a, v) => a + v * v, 0)).toBe(expected.sumOfSquares);

    // Every value, against the CSV the package embeds, read here without the package's decoder.
    const csv = gunzipSync(readFileSync(repoPath('data/digits.csv.gz'))).toString('utf8').trim().split('\n');
    expect(Array.from(data.data)).toEqual(csv.flatMap((line) => line.split(',').slice(0, 64).map(Number)));
    expect(digits.featureNames.slice(0, 3)).toEqual(['pixel_0_0', 'pixel_0_1', 'pixel_0_2']);
    expect(digits.featureNames[63]).toBe('pixel_7_7');
  });

  test('images are 8 × 8 views into data', () => {
    const { data, images } = loadDigits();
    expect(images).toHaveLength(1797);
    const image = images[1796];
    expect([image.rows, image.cols]).toEqual([8, 8]);
    expect(image.data.buffer).toBe(data.data.buffer);
    expect(Array.from(image.data)).toEqual(Array.from(data.data.subarray(1796 * 64)));
    data.data[1796 * 64 + 9] = 99;
    expect(image.data[9]).toBe(99);
  });

  test('each call returns fresh arrays; nClass keeps the first digits', () => {
    const first = loadDigits();
    first.data.data.fill(-1);
    first.target.fill(-1);
    const second = loadDigits();
    expect(Array.from(second.data.data.subarray(0, 64))).toEqual(expected.head[0]);
    expect(Array.from(second.target)).toEqual(expected.target);
    const three = loadDigits({ nClass: 3 });
    expect(three.data.rows).toBe(expected.nClass3Rows);
    expect(Array.from(three.targetNames)).toEqual([0, 1, 2]);
    expect(three.target.every((t) => t < 3)).toBe(true);
    expectError(() => loadDigits({ nClass: 11 }), /nClass must be an integer in \[1, 10\], got 11/);
  });
});

describe('loadSampleImage ≈ load_sample_image (PIL/libjpeg)', () => {
  // jpeg-js and libjpeg round their inverse DCTs differently (Y, Cb and Cr differ by at most 1); both photos are
  // 4:4:4, so there is no chroma upsampling to differ, and the colour conversion is libjpeg's. Measured over
  // every pixel against PIL: china max 3, mean 0.133 levels, flower max 3, mean 0.138; 89% of values equal.
  test.each(['china', 'flower'] as const)('%s: 427 × 640 × 3, within a few levels of scikit-learn', (name) => {
    const expected = fixtures.images[name];
    const image = loadSampleImage(name);
    expect([image.height, image.width, image.channels]).toEqual([427, 640, 3]);
    expect([expected.height, expected.width, expected.channels]).toEqual([427, 640, 3]);
    expect(image.pixels).toBeInstanceOf(Uint8Array);
    expect(image.pixels.length).toBe(427 * 640 * 3);

    let maxDiff = 0;
    let totalDiff = 0;
    expected.positions.forEach((p: number, k: number) => {
      for (let c = 0; c < 3; c++) {
        const diff = Math.abs(image.pixels[p * 3 + c] - expected.samples[k * 3 + c]);
        maxDiff = Math.max(maxDiff, diff);
        totalDiff += diff;
      }
    });
    expect(maxDiff).toBeLessThanOrEqual(4);
    expect(totalDiff / expected.samples.length).toBeLessThan(0.5);
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let i = c; i < image.pixels.length; i += 3) sum += image.pixels[i];
      expect(Math.abs(sum - expected.channelSums[c]) / (427 * 640)).toBeLessThan(0.3);
    }
  });

  test("'china.jpg' names the same image; unknown names throw", () => {
    expect(Buffer.compare(loadSampleImage('china.jpg').pixels, loadSampleImage('china').pixels)).toBe(0);
    // @ts-expect-error only the two photos exist
    expectError(() => loadSampleImage('lena'), /name must be 'china' or 'flower', got "lena"/);
  });
});
