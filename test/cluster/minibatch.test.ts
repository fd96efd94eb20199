import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, MiniBatchKMeans, type MiniBatchKMeansOptions, WasmeansError } from '../../src/index';
import { adjustedRand, blobs, maxRelativeError, fixture } from '../reference';

const fx = fixture('sklearn-minibatch.json');
const X: number[][] = fx.X;

beforeAll(() => init());

function optionsFrom(o: Record<string, unknown>): MiniBatchKMeansOptions {
  return {
    nClusters: o.n_clusters as number,
    batchSize: o.batch_size as number,
    nInit: o.n_init as number,
    randomState: o.random_state as number,
    ...(o.init !== undefined ? { init: o.init as 'random' | number[][] } : {}),
    ...(o.reassignment_ratio !== undefined ? { reassignmentRatio: o.reassignment_ratio as number } : {}),
    ...(o.tol !== undefined ? { tol: o.tol as number } : {}),
    ...(o.max_iter !== undefined ? { maxIter: o.max_iter as number } : {}),
    ...('max_no_improvement' in o ? { maxNoImprovement: o.max_no_improvement as number | null } : {}),
  };
}

describe('MiniBatchKMeans ≡ scikit-learn 1.2.1 draw for draw', () => {
  for (const c of fx.fit) {
    test(c.name, () => {
      const km = new MiniBatchKMeans(optionsFrom(c.options)).fit(X, c.weighted ? { sampleWeight: fx.weights } : {});
      expect(km.nSteps).toBe(c.nSteps);
      expect(km.nIter).toBe(c.nIter);
      expect(maxRelativeError(km.clusterCenters.data, c.centers.flat())).toBeLessThan(1e-4);
      expect(Array.from(km.labels)).toEqual(c.labels);
      expect(Math.abs(km.inertia - c.inertia) / c.inertia).toBeLessThan(1e-5);
    });
  }

  test('partialFit on three chunks', () => {
    const km = new MiniBatchKMeans({ nClusters: 5, randomState: 0, nInit: 1 });
    fx.partialFit.forEach((expected: { centers: number[][]; inertia: number; nSteps: number }, i: number) => {
      km.partialFit(X.slice(i * 1000, (i + 1) * 1000));
      expect(km.nSteps).toBe(expected.nSteps);
      expect(maxRelativeError(km.clusterCenters.data, expected.centers.flat())).toBeLessThan(1e-4);
      expect(Math.abs(km.inertia - expected.inertia) / expected.inertia).toBeLessThan(1e-5);
    });
  });
});

describe('MiniBatchKMeans properties', () => {
  const data = blobs(4000, 4, 6, 12, 1);

  test('recovers well-separated blobs like KMeans, at an inertia within 2%', () => {
    const mb = new MiniBatchKMeans({ nClusters: 6, randomState: 0, batchSize: 256, nInit: 3 }).fit(data.X);
    const full = new KMeans({ nClusters: 6, randomState: 0, nInit: 3 }).fit(data.X);
    expect(adjustedRand(mb.labels, data.y)).toBeGreaterThan(0.99);
    expect(mb.inertia).toBeLessThan(full.inertia * 1.02);
    expect(Array.from(mb.predict(data.X))).toEqual(Array.from(mb.labels));
  });

  test('the same randomState gives identical output; no weights ≡ unit weights', () => {
    const a = new MiniBatchKMeans({ nClusters: 6, randomState: 9 }).fit(data.X);
    const b = new MiniBatchKMeans({ nClusters: 6, randomState: 9 }).fit(data.X, { sampleWeight: data.X.map(() => 1) });
    expect(Array.from(b.clusterCenters.data)).toEqual(Array.from(a.clusterCenters.data));
    expect(b.nSteps).toBe(a.nSteps);
  });

  test('partialFit streams data that is never held at once', () => {
    const km = new MiniBatchKMeans({ nClusters: 6, randomState: 1 });
    for (let pass = 0; pass < 3; pass++) {
      for (let start = 0; start < 4000; start += 500) km.partialFit(data.X.slice(start, start + 500));
    }
    expect(adjustedRand(km.predict(data.X), data.y)).toBeGreaterThan(0.99);
    expect(km.nSteps).toBe(24);
  });

  test('bad options name the value', () => {
    expect(() => new MiniBatchKMeans({ batchSize: 0 })).toThrowError(/batchSize must be an integer >= 1, got 0/);
    expect(() => new MiniBatchKMeans({ reassignmentRatio: -1 })).toThrowError(/reassignmentRatio .* got -1/);
    // @ts-expect-error: misspelt option
    expect(() => new MiniBatchKMeans({ batch_size: 10 })).toThrowError(WasmeansError);
    expect(() => new MiniBatchKMeans({ nClusters: 3 }).partialFit([[1, 2]])).toThrowError(/nSamples=1 should be >= nClusters=3/);
    const km = new MiniBatchKMeans({ nClusters: 2, randomState: 0 }).fit([[0, 0], [1, 1], [5, 5], [6, 6]]);
    expect(() => km.partialFit([[1, 2, 3], [4, 5, 6]])).toThrowError(/X has 3 features, but MiniBatchKMeans was fitted with 2/);
  });
});
