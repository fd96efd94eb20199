// TSNE against scikit-learn 1.2.1 (test/fixtures/make_tsne_fixtures.py): P, the exact and Barnes-Hut gradients and
// KL divergences at fixed embeddings, trustworthiness; and the optimiser's own properties.
import { afterAll, describe, expect, test } from 'vitest';
import { readData } from '../../src/core/data';
import { init, KMeans, matchLabels, accuracyScore, shutdownThreads, TSNE, trustworthiness } from '../../src/index';
import { loadDigits, makeBlobs } from '../../src/datasets';
import { exactAffinities, nearestNeighbourAffinities } from '../../src/manifold/tsne-affinities';
import { fftLength, type GradientMethod, klGradientAt } from '../../src/manifold/tsne';
import { expectWasmeansError, fixture, maxRelativeError, testRng } from '../reference';

await init();
const sk = fixture('sklearn-tsne.json');

/** Max |a − b| over max |b|: a gradient's error relative to its size. */
const relativeToLargest = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    largest = Math.max(largest, Math.abs(b[i]));
  }
  return worst / largest;
};

const barnesHut = (angle: number): GradientMethod => ({ method: 'barnes_hut', angle, minNumIntervals: 50, intervalsPerInteger: 1 });
// Boxes as wide as the whole spread allows: minNumIntervals sets the grid.
const interpolated = (minNumIntervals: number): GradientMethod => ({ method: 'fft', angle: 0.5, minNumIntervals, intervalsPerInteger: 1e3 });

describe('the exact method ≡ scikit-learn', () => {
  const { X, perplexity, P } = sk.exact;
  const n = X.length;

  test('P over all pairs (bandwidths by bisection to 1e-5 in entropy)', () => {
    const ours = exactAffinities(readData(X), perplexity);
    const theirs = new Float64Array(n * n);
    P.forEach((row: number[], i: number) => row.forEach((v, j) => (theirs[i * n + j] = i === j ? 0 : v)));
    expect(maxRelativeError(ours, theirs, 1e-6)).toBeLessThan(1e-4);
  });

  const cases: [number, number, { Y: number[][]; kl: number; grad: number[] }][] = sk.exact.cases.map(
    (c: { nComponents: number; exaggeration: number; Y: number[][]; kl: number; grad: number[] }) => [c.nComponents, c.exaggeration, c],
  );
  test.each(cases)(
    'gradient and KL at a fixed embedding: %i components, exaggeration %d',
    (dim, exaggeration, c) => {
      const dense = new Float64Array(n * n);
      P.forEach((row: number[], i: number) => row.forEach((v, j) => (dense[i * n + j] = v)));
      const { kl, grad } = klGradientAt({ dense }, Float32Array.from(c.Y.flat()), n, dim, barnesHut(0.5), exaggeration);
      expect(kl).toBeCloseTo(c.kl, 10);
      expect(relativeToLargest(grad, c.grad)).toBeLessThan(1e-6);
    },
  );
});

describe('Barnes-Hut ≡ scikit-learn', () => {
  const { X, perplexity, P } = sk.barnesHut;
  const n = X.length;
  const sparse = { indptr: Int32Array.from(P.indptr), indices: Int32Array.from(P.indices), data: Float64Array.from(P.data), rows: n, cols: n };

  test('P over the nearest neighbours', () => {
    const ours = nearestNeighbourAffinities(readData(X), perplexity);
    expect(ours.indptr).toEqual(sparse.indptr);
    expect(ours.indices).toEqual(sparse.indices);
    expect(maxRelativeError(ours.data, sparse.data, 1e-6)).toBeLessThan(1e-4);
  });

  const cases: [number, number, { Y: number[][]; kl: number; grad: number[] }][] = sk.barnesHut.cases.map(
    (c: { nComponents: number; angle: number; Y: number[][]; kl: number; grad: number[] }) => [c.nComponents, c.angle, c],
  );
  test.each(cases)('gradient and KL at a fixed embedding: %i components, angle %d', (dim, angle, c) => {
    const positions = Float32Array.from(c.Y.flat());
    const { kl, grad } = klGradientAt({ sparse }, positions, n, dim, barnesHut(angle), 1);
    if (angle === 0) {
      // Every cell opened: both are the exact forces over P, in float32.
      expect(Math.abs(kl - c.kl) / c.kl).toBeLessThan(1e-5);
      expect(relativeToLargest(grad, c.grad)).toBeLessThan(1e-5);
      return;
    }
    // Each approximates its own way (leaf-wise walks here): no farther from the exact gradient than scikit-learn is.
    const exact = cases.find(([d, a]) => d === dim && a === 0)?.[2].grad as number[];
    expect(relativeToLargest(grad, exact)).toBeLessThanOrEqual(relativeToLargest(c.grad, exact));
    expect(Math.abs(kl - c.kl) / c.kl).toBeLessThan(1e-3);
  });

  test('the Barnes-Hut gradient approaches the exact one as the angle goes to 0', () => {
    const c = sk.barnesHut.cases[0];
    const positions = Float32Array.from(c.Y.flat());
    const exact = klGradientAt({ sparse }, positions, n, 2, barnesHut(0), 1).grad;
    const errors = [0.8, 0.5, 0.2, 0.05].map((angle) => relativeToLargest(klGradientAt({ sparse }, positions, n, 2, barnesHut(angle), 1).grad, exact));
    for (let k = 1; k < errors.length; k++) expect(errors[k]).toBeLessThanOrEqual(errors[k - 1]);
    expect(errors[3]).toBeLessThan(1e-3);
  });

  /** The gradient and KL divergence over a sparse P, naively in float64 (Student-t with one degree of freedom). */
  const naive = (Y: Float32Array, dim: number) => {
    const sqDist = (i: number, j: number) => {
      let d2 = 0;
      for (let t = 0; t < dim; t++) d2 += (Y[i * dim + t] - Y[j * dim + t]) ** 2;
      return d2;
    };
    let sumQ = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) sumQ += 1 / (1 + sqDist(i, j));
    const grad = new Float64Array(n * dim);
    let kl = 0;
    for (let i = 0; i < n; i++) {
      for (let e = sparse.indptr[i]; e < sparse.indptr[i + 1]; e++) {
        const j = sparse.indices[e];
        const q = 1 / (1 + sqDist(i, j));
        kl += sparse.data[e] * Math.log(sparse.data[e] / (q / sumQ));
        for (let t = 0; t < dim; t++) grad[i * dim + t] += 4 * sparse.data[e] * q * (Y[i * dim + t] - Y[j * dim + t]);
      }
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const q = 1 / (1 + sqDist(i, j));
        for (let t = 0; t < dim; t++) grad[i * dim + t] -= (4 * q * q * (Y[i * dim + t] - Y[j * dim + t])) / sumQ;
      }
    }
    return { kl, grad };
  };

  test.each([1, 2])('the interpolated (FFT) gradient approaches the exact one as the grid grows: %i components', (dim) => {
    const rng = testRng(dim);
    const positions = Float32Array.from({ length: n * dim }, () => 3 * rng.normal());
    const exact = naive(positions, dim);
    const errors = [5, 12, 40, 100].map((intervals) => {
      const { kl, grad } = klGradientAt({ sparse }, positions, n, dim, interpolated(intervals), 1);
      return { grad: relativeToLargest(grad, exact.grad), kl: Math.abs(kl - exact.kl) / exact.kl };
    });
    for (let k = 1; k < errors.length; k++) expect(errors[k].grad).toBeLessThan(errors[k - 1].grad);
    expect(errors[3].grad).toBeLessThan(1e-3);
    expect(errors[3].kl).toBeLessThan(1e-5);
  });

  test('the FFT lengths are the shortest 2^a·3^b (a ≥ 1) that hold the padded grid', () => {
    const smooth: number[] = [];
    for (let two = 2; two < 20000; two *= 2) for (let m = two; m < 20000; m *= 3) smooth.push(m);
    smooth.sort((x, y) => x - y);
    for (let least = 1; least <= 10000; least++) {
      const { length, radices } = fftLength(least);
      expect(length).toBe(smooth.find((m) => m >= least));
      expect(radices.reduce((x, y) => x * y, 1)).toBe(length);
    }
  });
});

describe('trustworthiness ≡ scikit-learn', () => {
  const cases: [number, { X: number[][]; embedded: number[][]; value: number }][] = sk.trustworthiness.map(
    (c: { nNeighbors: number; X: number[][]; embedded: number[][]; value: number }) => [c.nNeighbors, c],
  );
  test.each(cases)('nNeighbors %i', (k, c) => {
    expect(trustworthiness(c.X, c.embedded, { nNeighbors: k })).toBeCloseTo(c.value, 12);
  });

  test('bad input', () => {
    expectWasmeansError(() => trustworthiness([[0], [1], [2], [3]], [[0], [1], [2], [3]], { nNeighbors: 2 }), 'INVALID_PARAMETER', /nNeighbors must be less than nSamples \/ 2 = 2, got 2/);
    expectWasmeansError(() => trustworthiness([[0], [1]], [[0]]), 'INVALID_INPUT', /XEmbedded has 1 rows, but X has 2/);
  });
});

describe('TSNE', () => {
  const { X } = makeBlobs({ nSamples: 150, nFeatures: 6, centers: 3, randomState: 1 });

  test('the same seed gives the same embedding; the exact method separates blobs too', () => {
    const a = new TSNE({ randomState: 0, perplexity: 20, maxIter: 300 }).fitTransform(X);
    const b = new TSNE({ randomState: 0, perplexity: 20, maxIter: 300 }).fitTransform(X);
    expect(b.data).toEqual(a.data);
    const exact = new TSNE({ randomState: 0, perplexity: 20, maxIter: 300, method: 'exact' });
    exact.fit(X);
    expect(exact.nIter).toBe(299);
    expect(exact.embedding?.rows).toBe(150);
    expect(trustworthiness(X, exact.embedding as never, { nNeighbors: 5 })).toBeGreaterThan(0.9);
  });

  test('parameters and input are checked, in the API\'s names', () => {
    expectWasmeansError(() => new TSNE({ perplexity: 200 }).fit(X), 'INVALID_PARAMETER', /perplexity must be less than nSamples=150, got 200/);
    expectWasmeansError(() => new TSNE({ nComponents: 4 }).fit(X), 'INVALID_PARAMETER', /method 'barnes_hut' takes nComponents <= 3/);
    expectWasmeansError(() => new TSNE({ nComponents: 3, method: 'fft' }).fit(X), 'INVALID_PARAMETER', /method 'fft' takes nComponents <= 2/);
    expectWasmeansError(() => new TSNE({ method: 'fft', minNumIntervals: 0 }), 'INVALID_PARAMETER', /minNumIntervals must be an integer >= 1, got 0/);
    expectWasmeansError(() => new TSNE({ maxIter: 100 }), 'INVALID_PARAMETER', /maxIter must be an integer >= 250, got 100/);
    expectWasmeansError(() => new TSNE({ init: 'spectral' as never }), 'INVALID_PARAMETER', /init must be 'pca', 'random' or an nSamples × nComponents matrix, got "spectral"/);
    expectWasmeansError(() => new TSNE({ init: [[0, 0]] }).fit(X), 'INVALID_INPUT', /init must be nSamples × nComponents = 150 × 2, got 1 × 2/);
    expectWasmeansError(() => new TSNE().fit([[0, NaN], [1, 1]]), 'INVALID_INPUT', /NaN at row 0, column 1/);
  });
});

describe('TSNE.fitAsync is fit, whatever the thread count', () => {
  afterAll(() => shutdownThreads());
  const { X } = makeBlobs({ nSamples: 700, nFeatures: 10, centers: 5, randomState: 2 });
  const options = { randomState: 0, init: 'random' as const, maxIter: 300 };
  const sync = new TSNE(options).fit(X);
  test.each([1, 2, 3])('threads: %i', async (threads) => {
    const threaded = await new TSNE(options).fitAsync(X, { threads });
    expect(new Uint8Array(Float64Array.from(threaded.embedding?.data ?? []).buffer)).toEqual(new Uint8Array(Float64Array.from(sync.embedding?.data ?? []).buffer));
    expect(threaded.klDivergence).toBe(sync.klDivergence);
    expect(threaded.nIter).toBe(sync.nIter);
  });
  test.each([2, 3])("method 'fft', threads: %i", async (threads) => {
    const small = makeBlobs({ nSamples: 300, nFeatures: 10, centers: 5, randomState: 2 });
    const fftOptions = { ...options, method: 'fft' as const, maxIter: 260 };
    const alone = new TSNE(fftOptions).fit(small.X);
    const threaded = await new TSNE(fftOptions).fitAsync(small.X, { threads });
    expect(new Uint8Array(Float64Array.from(threaded.embedding?.data ?? []).buffer)).toEqual(new Uint8Array(Float64Array.from(alone.embedding?.data ?? []).buffer));
    expect(threaded.klDivergence).toBe(alone.klDivergence);
  });
  test('a bad thread count is refused', async () => {
    await expect(new TSNE().fitAsync(X, { threads: 0 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/threads must be an integer in \[1, 1024\], got 0/) });
  });
});

test('the handbook: digits → TSNE → KMeans(10) gives about 92% accuracy (scikit-learn 1.2.1: 0.9416)', () => {
  const { data, target } = loadDigits();
  const tsne = new TSNE({ nComponents: 2, init: 'random', randomState: 0 });
  const projected = tsne.fitTransform(data);
  const labels = new KMeans({ nClusters: 10, randomState: 0, nInit: 10 }).fitPredict(projected);
  expect(accuracyScore(target, matchLabels(labels, target))).toBeGreaterThan(0.92);
  // scikit-learn's KL divergence on this fit is 0.749.
  expect(tsne.klDivergence).toBeLessThan(1.05 * 0.749);
  expect(tsne.nIter).toBe(999);
});
