// What wasmeans does with bad and extreme input: one describe per row of the README's table "What wasmeans does
// with bad input" (threads, init and the package have theirs in test/cluster/threads.test.ts,
// test/runtime/init.test.ts, test/runtime/relaxed.test.ts and test/dist/node.test.ts).
import { describe, expect, test } from 'vitest';
import { makeBlobs, makeMoons } from '../src/datasets';
import {
  init,
  KMeans,
  type KMeansAlgorithm,
  kmeans,
  kmeansPlusPlus,
  kneighborsGraph,
  matchLabels,
  MiniBatchKMeans,
  type Matrix,
  pairwiseDistancesArgmin,
  quantize,
  silhouetteScore,
  SpectralClustering,
  spectralEmbedding,
  TSNE,
} from '../src/index';
import { getKernels } from '../src/runtime/module';
import { expectWasmeansError, maxRelativeError } from './reference';

await init();

const quiet = { onWarning: () => {} };
const ALGORITHMS: KMeansAlgorithm[] = ['lloyd', 'elkan', 'hamerly', 'yinyang'];
const { X: blobsX, y: blobsY } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });

/** X with every value times 2^k: exact in float64 while the results stay normal numbers. */
function scaled(X: Matrix, k: number, as32 = false): Matrix {
  const data = X.data.map((v) => v * 2 ** k);
  return { data: as32 ? Float32Array.from(data) : data, rows: X.rows, cols: X.cols };
}

const times = (values: ArrayLike<number>, factor: number) => Array.from(values, (v) => v * factor);

describe('extreme magnitudes: X scaled by 2^k gives the same labels, centers scaled by 2^k, inertia by 4^k', () => {
  // 2^−100 puts the blobs near 1e-30, where squared distances underflow float32; 2^100 near 1e31; 2^±1000 near
  // the ends of float64, where the inertia itself over- or underflows float64 (Infinity, 0: the true value).
  const ks = [-1000, -500, -100, -60, 60, 100, 500, 1000];

  describe.each(ALGORITHMS)('KMeans, %s', (algorithm) => {
    const base = new KMeans({ nClusters: 4, randomState: 0, algorithm, ...quiet }).fit(blobsX);
    test.each(ks)('2^%i', (k) => {
      const model = new KMeans({ nClusters: 4, randomState: 0, algorithm, ...quiet }).fit(scaled(blobsX, k));
      expect(model.labels).toEqual(base.labels);
      expect(Array.from(model.clusterCenters.data)).toEqual(times(base.clusterCenters.data, 2 ** k));
      expect(model.inertia).toBe(base.inertia * 2 ** (2 * k));
      expect(model.predict(scaled(blobsX, k))).toEqual(base.labels);
    });
  });

  test('float32 input, 2^±100', () => {
    const base = new KMeans({ nClusters: 4, randomState: 0 }).fit(scaled(blobsX, 0, true));
    for (const k of [-100, 100]) {
      const model = new KMeans({ nClusters: 4, randomState: 0 }).fit(scaled(blobsX, k, true));
      expect(model.labels).toEqual(base.labels);
      expect(Array.from(model.clusterCenters.data)).toEqual(times(base.clusterCenters.data, 2 ** k));
    }
  });

  test.each(ks)('MiniBatchKMeans, pairwiseDistancesArgmin, kneighborsGraph: 2^%i', (k) => {
    const X = scaled(blobsX, k);
    const base = new MiniBatchKMeans({ nClusters: 4, randomState: 0, batchSize: 64, ...quiet }).fit(blobsX);
    const model = new MiniBatchKMeans({ nClusters: 4, randomState: 0, batchSize: 64, ...quiet }).fit(X);
    expect(model.labels).toEqual(base.labels);
    expect(Array.from(model.clusterCenters.data)).toEqual(times(base.clusterCenters.data, 2 ** k));
    const centers = scaled(base.clusterCenters, k);
    expect(pairwiseDistancesArgmin(X, centers)).toEqual(pairwiseDistancesArgmin(blobsX, base.clusterCenters));
    const graph = kneighborsGraph(blobsX, 6, { mode: 'distance' });
    const graphScaled = kneighborsGraph(X, 6, { mode: 'distance' });
    expect(graphScaled.indices).toEqual(graph.indices);
    expect(Array.from(graphScaled.data)).toEqual(times(graph.data, 2 ** k));
  });

  test.each([-100, 100, 1000])('SpectralClustering on nearest neighbours, silhouetteScore: 2^%i', (k) => {
    const { X } = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });
    const options = { nClusters: 2, affinity: 'nearest_neighbors' as const, randomState: 0, ...quiet };
    const labels = new SpectralClustering(options).fitPredict(X);
    expect(new SpectralClustering(options).fitPredict(scaled(X, k))).toEqual(labels);
    expect(silhouetteScore(scaled(X, k), labels)).toBeCloseTo(silhouetteScore(X, labels), 12);
  });

  test('2048 features of ±5.8e17 (sums of squares beyond float32): the two groups are found', () => {
    const n = 40;
    const d = 2048;
    const data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = (i % 2 ? 5.8e17 : -5.8e17) * (1 + ((i * 7 + j) % 5) / 100);
    const model = new KMeans({ nClusters: 2, randomState: 0 }).fit({ data, rows: n, cols: d });
    const truth = Array.from({ length: n }, (_, i) => i % 2);
    expect(matchLabels(model.labels, truth)).toEqual(Int32Array.from(truth));
    expect(Number.isFinite(model.inertia)).toBe(true);
  });

  test('values up to the float64 limit are accepted (no ±1e18 cap) and give finite centers', () => {
    const model = new KMeans({ nClusters: 2, randomState: 0 }).fit([[-1.7e308], [-1.6e308], [1.6e308], [1.7e308]]);
    expect(Array.from(model.labels)).toEqual([model.labels[0], model.labels[0], 1 - model.labels[0], 1 - model.labels[0]]);
    // Each center the mean of its rows as stored in float32, to float32's precision.
    expect(maxRelativeError(Array.from(model.clusterCenters.data).sort((a, b) => a - b), [-1.65e308, 1.65e308])).toBeLessThan(1e-7);
  });
});

describe('extreme sample weights: uniform weights of any size give the unweighted fit; nothing NaN or infinite but a true overflow', () => {
  const base = Object.fromEntries(ALGORITHMS.map((algorithm) => [algorithm, new KMeans({ nClusters: 4, randomState: 0, algorithm, ...quiet }).fit(blobsX)]));

  test.each([1e308, 1e306, 3, 1e-320, 5e-324])('all weights %s', (weight) => {
    const sampleWeight = new Float64Array(blobsX.rows).fill(weight);
    for (const algorithm of ALGORITHMS) {
      const model = new KMeans({ nClusters: 4, randomState: 0, algorithm, ...quiet }).fit(blobsX, { sampleWeight });
      expect(model.labels).toEqual(base[algorithm].labels);
      expect(maxRelativeError(model.clusterCenters.data, base[algorithm].clusterCenters.data)).toBeLessThan(1e-13);
      // Σ w·d², which exceeds float64 for the largest weights: Infinity is then its value, as in float64 arithmetic.
      // Below 2^−1022 float64 keeps fewer digits: there, within one unit of its last place (2^−1074).
      const expected = weight * base[algorithm].inertia;
      if (Number.isFinite(expected)) expect(Math.abs(model.inertia - expected)).toBeLessThanOrEqual(Math.max(expected * 1e-12, 2 ** -1074));
      else expect(model.inertia).toBe(Infinity);
    }
    const minibatch = new MiniBatchKMeans({ nClusters: 4, randomState: 0, batchSize: 64, ...quiet });
    const unweighted = new MiniBatchKMeans({ nClusters: 4, randomState: 0, batchSize: 64, ...quiet }).fit(blobsX);
    expect(minibatch.fit(blobsX, { sampleWeight }).labels).toEqual(unweighted.labels);
    expect(maxRelativeError(minibatch.clusterCenters.data, unweighted.clusterCenters.data)).toBeLessThan(1e-12);
    expect(kmeansPlusPlus(blobsX, 4, { randomState: 0, sampleWeight }).indices).toEqual(kmeansPlusPlus(blobsX, 4, { randomState: 0 }).indices);
  });

  test.each([2 ** 1000, 2 ** -1070])('power-of-two weights (%s): the unweighted centers bit for bit', (weight) => {
    const sampleWeight = new Float64Array(blobsX.rows).fill(weight);
    const model = new KMeans({ nClusters: 4, randomState: 0, ...quiet }).fit(blobsX, { sampleWeight });
    expect(model.clusterCenters.data).toEqual(new KMeans({ nClusters: 4, randomState: 0, ...quiet }).fit(blobsX).clusterCenters.data);
  });

  test('one weight of 1e308 among ones pulls its cluster center onto its row', () => {
    const sampleWeight = new Float64Array(blobsX.rows).fill(1);
    sampleWeight[7] = 1e308;
    for (const algorithm of ALGORITHMS) {
      const model = new KMeans({ nClusters: 4, randomState: 0, algorithm, ...quiet }).fit(blobsX, { sampleWeight });
      expect(model.clusterCenters.data.every(Number.isFinite)).toBe(true);
      const center = model.clusterCenters.data.subarray(model.labels[7] * 2, model.labels[7] * 2 + 2);
      // The row as stored in float32.
      expect(maxRelativeError(center, blobsX.data.subarray(14, 16))).toBeLessThan(1e-7);
      expect(Number.isFinite(model.inertia)).toBe(true);
    }
  });
});

describe('every options object is checked: unknown names and non-objects are INVALID_PARAMETER, naming them', () => {
  const X = [[0, 0], [0, 1], [5, 5], [5, 6]];
  const model = new KMeans({ nClusters: 2, randomState: 0 }).fit(X);
  const graph = kneighborsGraph(X, 2, { includeSelf: true });
  const calls: [string, (options: unknown) => unknown][] = [
    ['KMeans', (o) => new KMeans(o as never)],
    ['KMeans.fit', (o) => new KMeans(2).fit(X, o as never)],
    ['KMeans.score', (o) => model.score(X, o as never)],
    ['MiniBatchKMeans.partialFit', (o) => new MiniBatchKMeans(2).partialFit(X, o as never)],
    ['kmeans', (o) => kmeans(X, 2, o as never)],
    ['kmeansPlusPlus', (o) => kmeansPlusPlus(X, 2, o as never)],
    ['kneighborsGraph', (o) => kneighborsGraph(X, 1, o as never)],
    ['silhouetteScore', (o) => silhouetteScore(X, [0, 0, 1, 1], o as never)],
    ['matchLabels', (o) => matchLabels([0, 1], [1, 0], o as never)],
    ['quantize', (o) => quantize(new Uint8Array(12), o as never)],
    ['spectralEmbedding', (o) => spectralEmbedding(graph, o as never)],
    ['SpectralClustering', (o) => new SpectralClustering(o as never)],
    ['makeBlobs', (o) => makeBlobs(o as never)],
    ['makeMoons', (o) => makeMoons(o as never)],
  ];
  test.each(calls)('%s', (where, call) => {
    expectWasmeansError(() => call({ foo: 1 }), 'INVALID_PARAMETER', new RegExp(`unknown option "foo" for ${where.replace('.', '\\.')}`));
    expectWasmeansError(() => call(null), 'INVALID_PARAMETER', /must be an object, got null/);
    expectWasmeansError(() => call('auto'), 'INVALID_PARAMETER', /must be an object, got "auto"/);
  });

  test('a near miss gets a "did you mean"', async () => {
    expectWasmeansError(() => new KMeans(2).fit(X, { sampleWeights: [1, 1, 1, 1] } as never), 'INVALID_PARAMETER', /"sampleWeights" for KMeans\.fit; did you mean "sampleWeight"\?/);
    await expect(new KMeans(2).fitAsync(X, { thread: 2 } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/did you mean "threads"/) });
    await expect(init({ relaxedSimd: 'yes' } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/relaxedSimd must be true or false, got "yes"/) });
    await expect(init({ foo: 1 } as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/unknown option "foo" for init/) });
  });
});

describe('refused before allocating: beyond 4 GiB of wasm memory is OUT_OF_MEMORY, with advice for that call, and memory is untouched', () => {
  // 180 million rows of one float32 feature: 720 MB of zeros the engine never touches (the refusal comes first).
  const huge = { data: new Float32Array(180_000_000), rows: 180_000_000, cols: 1 };
  const model = new KMeans({ nClusters: 2, randomState: 0 }).fit([[0], [1], [5], [6]]);
  const calls: [string, () => unknown, RegExp][] = [
    ['KMeans.fit', () => new KMeans(2).fit(huge), /KMeans\.fit on 180000000×1 .* needs 4\.02 GiB .*; fit MiniBatchKMeans with partialFit on chunks of the rows/],
    ['KMeans.predict', () => model.predict(huge), /KMeans\.predict on 180000000×1 needs .*; call predict on chunks of the rows$/],
    ['KMeans.transform', () => model.transform(huge), /call transform on chunks of the rows$/],
    ['KMeans.score', () => model.score(huge), /call score on chunks of the rows$/],
    ['MiniBatchKMeans.fit', () => new MiniBatchKMeans(2).fit(huge), /call partialFit on chunks of the rows instead$/],
    ['MiniBatchKMeans.partialFit', () => new MiniBatchKMeans(2).partialFit(huge), /MiniBatchKMeans\.partialFit .*; call partialFit on smaller chunks$/],
    ['kmeansPlusPlus', () => kmeansPlusPlus(huge, 2), /seed from a sample of the rows$/],
    ['pairwiseDistancesArgmin', () => pairwiseDistancesArgmin(huge, [[0]]), /against 1 row needs .*; call it on chunks of the rows of X$/],
    ['kneighborsGraph', () => kneighborsGraph(huge, 2), /kneighborsGraph on 180000000×1 with nNeighbors=2 needs 7\.38 GiB .*; use fewer rows or a smaller nNeighbors$/],
    ['Elkan\'s n·k bounds', () => new KMeans({ nClusters: 3000, algorithm: 'elkan' }).fit({ data: new Float32Array(1_000_000), rows: 1_000_000, cols: 1 }), /lower bounds \(22\.35 GiB\).*use algorithm='hamerly' or 'yinyang'/],
  ];
  test.each(calls)('%s', (_, call, message) => {
    const memory = getKernels().memory;
    const before = memory.buffer.byteLength;
    expectWasmeansError(call, 'OUT_OF_MEMORY', message);
    expect(memory.buffer.byteLength).toBe(before);
  });
});

describe('small things that were wrong', () => {
  test('fewer distinct points than clusters is reported however many rows a cluster holds (no byte counter wraps)', () => {
    for (const copies of [3, 300, 70_000]) {
      const rows = [...Array.from({ length: copies }, () => [0, 0]), ...Array.from({ length: copies }, () => [1, 1])];
      const warnings: string[] = [];
      new KMeans({ nClusters: 3, randomState: 0, onWarning: (message) => warnings.push(message) }).fit(rows);
      expect(warnings).toEqual([expect.stringMatching(/number of distinct clusters \(2\) found smaller than nClusters \(3\)/)]);
    }
  });

  test('a fit that stops at maxIter says so, through onWarning', () => {
    const warnings: [string, string][] = [];
    new KMeans({ nClusters: 4, randomState: 0, maxIter: 1, onWarning: (message, kind) => warnings.push([message, kind]) }).fit(blobsX);
    expect(warnings).toEqual([[expect.stringMatching(/did not converge within maxIter=1 iterations; raise maxIter or tol/), 'CONVERGENCE']]);
  });

  test("quantize refuses null, true and values outside [0, 255] inside a plain pixel array (fractions are colours too)", () => {
    for (const bad of [null, true, 300, -1]) {
      const pixels: unknown[] = Array(48).fill(1);
      pixels[5] = bad;
      expectWasmeansError(() => quantize(pixels as number[], { width: 4, height: 4, channels: 3, nColors: 2 }), 'INVALID_INPUT', new RegExp(`pixel 1 channel 2 is ${bad}`));
    }
  });

  test('new KMeans(4): a number is nClusters, as scikit-learn\'s first positional argument', () => {
    expect(new KMeans(4).nClusters).toBe(4);
    expect(new MiniBatchKMeans(3).nClusters).toBe(3);
    expect(new Set(new KMeans(4).fit(blobsX).labels).size).toBe(4);
    expectWasmeansError(() => new KMeans(0), 'INVALID_PARAMETER', /nClusters must be an integer >= 1, got 0/);
  });

  test('new MiniBatchKMeans(16), new SpectralClustering(2), new TSNE(1): the number is nClusters / nComponents', () => {
    expect(new MiniBatchKMeans(16).nClusters).toBe(16);
    expect(new MiniBatchKMeans(16).fit(blobsX).clusterCenters.rows).toBe(16);
    const spectral = new SpectralClustering(2);
    expect(spectral.nClusters).toBe(2);
    expect(new Set(spectral.fitPredict(blobsX)).size).toBe(2);
    const few = { data: blobsX.data.subarray(0, 80), rows: 40, cols: 2 };
    const embedding = new TSNE(1).fitTransform(few);
    expect([embedding.rows, embedding.cols]).toEqual([40, 1]);
    expect(new TSNE(2).fitTransform(few).cols).toBe(2);
    expectWasmeansError(() => new SpectralClustering(0), 'INVALID_PARAMETER', /nClusters must be an integer >= 1, got 0/);
    expectWasmeansError(() => new TSNE(0), 'INVALID_PARAMETER', /nComponents must be an integer >= 1, got 0/);
  });
});

describe('messages use the API\'s names and give the reason', () => {
  test.each<[string, () => unknown, string, RegExp]>([
    ['fewer samples than clusters', () => new KMeans(13).fit(Array.from({ length: 12 }, (_, i) => [i])), 'INVALID_INPUT', /^nSamples=12 should be >= nClusters=13$/],
    ['a single sample for its neighbours', () => kneighborsGraph([[1, 2]], 1), 'INVALID_INPUT', /X has 1 row, which has no other rows to be its neighbours; pass includeSelf: true or more rows/],
    ['a default nColors', () => quantize(new Uint8Array(12), { width: 2, height: 2, channels: 3 }), 'INVALID_PARAMETER', /^the default nColors=16 is more than the 4 pixels of the image; pass nColors <= 4$/],
    ['a given nColors', () => quantize(new Uint8Array(12), { width: 2, height: 2, channels: 3, nColors: 16 }), 'INVALID_PARAMETER', /nColors must be .*got 16/],
    ['an Int32Array', () => new KMeans(2).fit(new Int32Array(4) as never), 'INVALID_INPUT', /got an Int32Array$/],
    ['a NaN', () => new KMeans(2).fit([[0], [NaN], [1]]), 'INVALID_INPUT', /^X contains NaN at row 1, column 0; values must be finite$/],
  ])('%s', (_, call, code, message) => expectWasmeansError(call, code, message));
});

test('the handbook blobs at 1e-30 are found as at their own scale', () => {
  const labels = new KMeans({ nClusters: 4, randomState: 0 }).fitPredict(scaled(blobsX, -100));
  expect(matchLabels(labels, blobsY)).toEqual(blobsY);
});
