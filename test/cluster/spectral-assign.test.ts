// discretize and clusterQr against scikit-learn 1.2.1's discretize and cluster_qr on spectral embeddings
// (test/fixtures/make_spectral_assign_fixtures.py), and on embeddings whose partition is known.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { symmetricEigen } from '../../src/manifold/linalg';
import { RandomState } from '../../src/core/random';
import { clusterQr, discretize } from '../../src/cluster/spectral-assign';
import { expectWasmeansError, samePartition, testRng, fixture } from '../reference';

interface AssignCase {
  name: string;
  nSamples: number;
  nComponents: number;
  vectors: number[];
  discretize: Record<string, number[]>;
  clusterQr: number[];
}
const sklearn: { seeds: number[]; cases: AssignCase[] } = fixture('sklearn-spectral-assign.json');

/**
 * The embedding of a graph made of k components of the given sizes: its null space, spanned by the scaled
 * indicators, in a random orthonormal basis (as an eigensolver would return it), plus optional noise.
 */
function indicatorEmbedding(sizes: number[], seed: number, noise = 0): { vectors: Float64Array; truth: Int32Array } {
  const k = sizes.length;
  const n = sizes.reduce((a, b) => a + b, 0);
  const rng = testRng(seed);
  const b = Float64Array.from({ length: k * k }, () => rng.normal());
  const sym = b.map((x, idx) => x + b[(idx % k) * k + Math.floor(idx / k)]);
  const rotation = symmetricEigen(sym, k).vectors;
  const truth = Int32Array.from(sizes.flatMap((size, c) => new Array<number>(size).fill(c)));
  // Shuffle the samples so that clusters are not contiguous.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [truth[i], truth[j]] = [truth[j], truth[i]];
  }
  const vectors = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const c = truth[i];
    for (let a = 0; a < k; a++) vectors[i * k + a] = rotation[c * k + a] / Math.sqrt(sizes[c]) + noise * rng.normal();
  }
  return { vectors, truth };
}

function expectValidLabels(labels: Int32Array, n: number, k: number): void {
  expect(labels.length).toBe(n);
  for (const l of labels) expect(l >= 0 && l < k).toBe(true);
}

describe('discretize and clusterQr against scikit-learn', () => {
  for (const c of sklearn.cases) {
    const vectors = Float64Array.from(c.vectors);
    test.each(sklearn.seeds)(`${c.name}: discretize with random_state=%i`, (seed) => {
      expect(Array.from(discretize(vectors, c.nSamples, c.nComponents, new RandomState(seed)))).toEqual(c.discretize[seed]);
    });
    test(`${c.name}: cluster_qr`, () => {
      expect(Array.from(clusterQr(vectors, c.nSamples, c.nComponents))).toEqual(c.clusterQr);
    });
  }

  test('discretize makes exactly one draw (a scalar randint(n_samples)) and mutates nothing', () => {
    const c = sklearn.cases[0];
    const vectors = Float64Array.from(c.vectors);
    const rng = new RandomState(3);
    discretize(vectors, c.nSamples, c.nComponents, rng);
    expect(vectors).toEqual(Float64Array.from(c.vectors));
    const reference = new RandomState(3);
    reference.randint(c.nSamples);
    expect(rng.nextUint32()).toBe(reference.nextUint32());
    clusterQr(vectors, c.nSamples, c.nComponents);
    expect(vectors).toEqual(Float64Array.from(c.vectors));
  });
});

describe('known partitions', () => {
  test.each([
    [[30, 30, 30], 0],
    [[5, 40, 12, 25], 1],
    [[50, 3], 2],
    [[10, 20, 30, 40, 50, 60], 3],
  ])('indicator embedding of sizes %j is recovered by both methods', (sizes, seed) => {
    const k = sizes.length;
    const n = sizes.reduce((a, b) => a + b, 0);
    for (const noise of [0, 0.01]) {
      const { vectors, truth } = indicatorEmbedding(sizes, seed, noise);
      for (const rs of [0, 1, 2]) {
        const labels = discretize(vectors, n, k, new RandomState(rs));
        expectValidLabels(labels, n, k);
        expect(samePartition(labels, truth)).toBe(true);
      }
      const labels = clusterQr(vectors, n, k);
      expectValidLabels(labels, n, k);
      expect(samePartition(labels, truth)).toBe(true);
    }
  });

  test('one component: every label 0', () => {
    const vectors = Float64Array.from({ length: 10 }, (_, i) => 1 + i / 10);
    expect(Array.from(discretize(vectors, 10, 1, new RandomState(0)))).toEqual(new Array(10).fill(0));
    expect(Array.from(clusterQr(vectors, 10, 1))).toEqual(new Array(10).fill(0));
  });

  test('labels stay in [0, k) on random embeddings', () => {
    const rng = testRng(11);
    for (const [n, k] of [[40, 3], [100, 7], [8, 8]]) {
      const vectors = Float64Array.from({ length: n * k }, () => rng.normal());
      expectValidLabels(discretize(vectors, n, k, new RandomState(n)), n, k);
      expectValidLabels(clusterQr(vectors, n, k), n, k);
    }
  });

  test('rejects bad shapes and parameters', () => {
    expectWasmeansError(() => clusterQr(new Float64Array(6), 2, 3), 'INVALID_INPUT', /nComponents ≤ nSamples/);
    expectWasmeansError(() => discretize(new Float64Array(5), 2, 3, new RandomState(0)), 'INVALID_INPUT', /2 × 3/);
    expectWasmeansError(() => discretize(new Float64Array(6), 3, 2, new RandomState(0), 0), 'INVALID_PARAMETER', /maxSvdRestarts/);
  });
});
