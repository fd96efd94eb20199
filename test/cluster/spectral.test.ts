// SpectralClustering and spectralEmbedding against scikit-learn 1.2.1 (test/fixtures/make_spectral_fixtures.py),
// against the dense solver and against graphs whose spectra are known in closed form.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { makeBlobs, makeCircles, makeMoons } from '../../src/datasets';
import { spectralEmbeddingResult } from '../../src/manifold/spectral-embedding';
import { adjustedRandScore, type CsrMatrix, init, KMeans, type WarningKind } from '../../src/index';
import { SpectralClustering, spectralEmbedding } from '../../src/spectral';
import { expectWasmeansError, samePartition, testRng, type Rows, fixture } from '../reference';

interface FixtureCsr {
  shape: [number, number];
  indptr: number[];
  indices: number[];
  data: number[];
}
interface Case {
  X: Rows;
  nClusters: number;
  nNeighbors?: number;
  gamma?: number;
  affinity?: FixtureCsr;
  distances?: FixtureCsr;
  components: number;
  labels: number[];
  labelsDiscretize?: number[];
  labelsClusterQr?: number[];
  embedding?: Rows;
  eigenvalues?: number[];
  kmeansLabels?: number[];
}
const sklearn: Record<'moons' | 'circles' | 'blobs' | 'connected' | 'rbf' | 'precomputed_nearest_neighbors', Case> = fixture('sklearn-spectral.json');

const quiet = () => {};

function csr(fixture: FixtureCsr): CsrMatrix {
  return {
    indptr: Int32Array.from(fixture.indptr), indices: Int32Array.from(fixture.indices), data: Float64Array.from(fixture.data),
    rows: fixture.shape[0], cols: fixture.shape[1],
  };
}

/** A graph from an edge list, both directions, weight 1. */
function graph(n: number, edges: [number, number][]): CsrMatrix {
  const rows: number[][] = Array.from({ length: n }, () => []);
  for (const [i, j] of edges) {
    rows[i].push(j);
    rows[j].push(i);
  }
  for (const row of rows) row.sort((a, b) => a - b);
  const indptr = new Int32Array(n + 1);
  rows.forEach((row, i) => (indptr[i + 1] = indptr[i] + row.length));
  return { indptr, indices: Int32Array.from(rows.flat()), data: new Float64Array(indptr[n]).fill(1), rows: n, cols: n };
}
const path = (n: number, offset = 0) => Array.from({ length: n - 1 }, (_, i): [number, number] => [offset + i, offset + i + 1]);
const cycle = (n: number, offset = 0) => [...path(n, offset), [offset + n - 1, offset] as [number, number]];

function columns(m: { data: ArrayLike<number>; rows: number; cols: number } | Rows): number[][] {
  if (Array.isArray(m)) return m[0].map((_, c) => m.map((row) => row[c]));
  return Array.from({ length: m.cols }, (_, c) => Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + c]));
}
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** The largest relative distance of a `theirs` column from the span of `ours` (0 when the spans agree). */
function subspaceGap(ours: number[][], theirs: number[][]): number {
  const basis: number[][] = [];
  for (const column of ours) {
    const v = column.slice();
    for (let pass = 0; pass < 2; pass++) for (const b of basis) {
      const c = dot(v, b);
      v.forEach((_, i) => (v[i] -= c * b[i]));
    }
    const norm = Math.sqrt(dot(v, v));
    basis.push(v.map((x) => x / norm));
  }
  let worst = 0;
  for (const column of theirs) {
    const v = column.slice();
    for (const b of basis) {
      const c = dot(v, b);
      v.forEach((_, i) => (v[i] -= c * b[i]));
    }
    worst = Math.max(worst, Math.sqrt(dot(v, v) / dot(column, column)));
  }
  return worst;
}

function collectWarnings(): { kinds: WarningKind[]; onWarning: (message: string, kind: WarningKind) => void } {
  const kinds: WarningKind[] = [];
  return { kinds, onWarning: (_message, kind) => kinds.push(kind) };
}

beforeAll(async () => {
  await init();
});

describe('the affinity matrix', () => {
  for (const name of ['moons', 'circles', 'blobs'] as const) {
    test(`nearest_neighbors on ${name} equals scikit-learn's 0.5·(A + Aᵀ)`, () => {
      const c = sklearn[name];
      const model = new SpectralClustering({ nClusters: c.nClusters, affinity: 'nearest_neighbors', nNeighbors: c.nNeighbors, randomState: 0, onWarning: quiet });
      const a = model.fit(c.X).affinityMatrix;
      const expected = c.affinity as FixtureCsr;
      expect(Array.from(a.indptr)).toEqual(expected.indptr);
      expect(Array.from(a.indices)).toEqual(expected.indices);
      expect(Array.from(a.data)).toEqual(expected.data);
    });
  }

  test("precomputed_nearest_neighbors keeps each row's nNeighbors smallest stored distances, as scikit-learn", () => {
    const c = sklearn.precomputed_nearest_neighbors;
    const model = new SpectralClustering({ nClusters: 2, affinity: 'precomputed_nearest_neighbors', nNeighbors: 10, randomState: 0, onWarning: quiet });
    const distances = csr(c.distances as FixtureCsr);
    const before = Float64Array.from(distances.data);
    const a = model.fit(distances).affinityMatrix;
    expect(Array.from(a.indptr)).toEqual(c.affinity?.indptr);
    expect(Array.from(a.indices)).toEqual(c.affinity?.indices);
    expect(Array.from(a.data)).toEqual(c.affinity?.data);
    expect(samePartition(model.labels, c.labels)).toBe(true);
    expect(distances.data).toEqual(before);
  });

  test('rbf: exp(−gamma·‖xᵢ − xⱼ‖²) in full, and the labels of scikit-learn', () => {
    const c = sklearn.rbf;
    const model = new SpectralClustering({ nClusters: 2, gamma: c.gamma, randomState: 0, onWarning: quiet }).fit(c.X);
    const a = model.affinityMatrix;
    const n = c.X.length;
    expect(a.indptr[n]).toBe(n * n);
    for (const [i, j] of [[0, 0], [3, 17], [59, 1]]) {
      const sq = c.X[i].reduce((s, x, t) => s + (x - c.X[j][t]) ** 2, 0);
      expect(a.data[a.indptr[i] + j]).toBeCloseTo(Math.exp(-(c.gamma as number) * sq), 15);
    }
    expect(samePartition(model.labels, c.labels)).toBe(true);
    const { eigenvalues } = spectralEmbeddingResult(a, { nComponents: 3, dropFirst: false, onWarning: quiet });
    for (let k = 0; k < 3; k++) expect(Math.abs(eigenvalues[k] - (c.eigenvalues as number[])[k])).toBeLessThan(1e-8);
  });
});

describe('spectralEmbedding', () => {
  for (const name of ['moons', 'circles', 'blobs'] as const) {
    test(`spans scikit-learn's subspace on ${name} (${sklearn[name].components} component(s))`, () => {
      const c = sklearn[name];
      const warnings = collectWarnings();
      const ours = spectralEmbedding(csr(c.affinity as FixtureCsr), { nComponents: c.nClusters, dropFirst: false, onWarning: warnings.onWarning });
      expect(ours.rows).toBe(c.X.length);
      expect(ours.cols).toBe(c.nClusters);
      expect(subspaceGap(columns(ours), columns(c.embedding as Rows))).toBeLessThan(1e-8);
      expect(warnings.kinds.includes('DISCONNECTED_GRAPH')).toBe(c.components > 1);
    });
  }

  for (const eigenSolver of ['dense', 'amg'] as const) {
    test(`${eigenSolver}: a connected graph gives scikit-learn's eigenvalues and, signs fixed, its very vectors`, () => {
      const c = sklearn.connected;
      const result = spectralEmbeddingResult(csr(c.affinity as FixtureCsr), { nComponents: 5, dropFirst: true, randomState: 0, eigenSolver });
      const expected = c.eigenvalues as number[];
      expect(result.nConnectedComponents).toBe(1);
      for (let k = 0; k < 5; k++) expect(Math.abs(result.eigenvalues[k] - expected[k + 1])).toBeLessThan(1e-8);
      const theirs = columns(c.embedding as Rows);
      columns(result.embedding).forEach((column, k) => {
        const scale = Math.max(...theirs[k].map(Math.abs));
        for (let i = 0; i < column.length; i++) expect(Math.abs(column[i] - theirs[k][i])).toBeLessThan(1e-6 * scale);
      });
    });
  }

  const spectra: { name: string; adjacency: CsrMatrix; eigenvalues: number[] }[] = [];
  for (const n of [40, 260]) {
    spectra.push({ name: `path P${n}`, adjacency: graph(n, path(n)), eigenvalues: Array.from({ length: n }, (_, k) => 1 - Math.cos((Math.PI * k) / (n - 1))) });
    spectra.push({ name: `cycle C${n} (double eigenvalues)`, adjacency: graph(n, cycle(n)), eigenvalues: Array.from({ length: n }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / n)) });
  }
  const pathSpectrum = (n: number) => Array.from({ length: n }, (_, k) => 1 - Math.cos((Math.PI * k) / (n - 1)));
  spectra.push({ name: 'two identical paths P150 ∪ P150', adjacency: graph(300, [...path(150), ...path(150, 150)]), eigenvalues: [...pathSpectrum(150), ...pathSpectrum(150)] });
  spectra.push({
    name: 'P120 ∪ C90 ∪ two isolated nodes',
    adjacency: graph(212, [...path(120), ...cycle(90, 120)]),
    eigenvalues: [...pathSpectrum(120), ...Array.from({ length: 90 }, (_, k) => 1 - Math.cos((2 * Math.PI * k) / 90)), 1, 1],
  });
  for (const { name, adjacency, eigenvalues } of spectra) {
    for (const eigenSolver of ['dense', 'amg'] as const) {
      test(`${eigenSolver}: known spectrum of ${name}`, () => {
        const expected = eigenvalues.slice().sort((a, b) => a - b).slice(0, 7);
        const result = spectralEmbeddingResult(adjacency, { nComponents: 7, dropFirst: false, randomState: 3, eigenSolver, onWarning: quiet });
        for (let k = 0; k < 7; k++) expect(Math.abs(result.eigenvalues[k] - expected[k])).toBeLessThan(1e-8);
      });
    }
  }

  test('amg: path P3000 and the 60×60 torus (eigenvalues four times over)', () => {
    const n = 3000;
    const pathResult = spectralEmbeddingResult(graph(n, path(n)), { nComponents: 3, dropFirst: false, randomState: 1, eigenSolver: 'amg' });
    for (let k = 0; k < 3; k++) expect(Math.abs(pathResult.eigenvalues[k] - (1 - Math.cos((Math.PI * k) / (n - 1))))).toBeLessThan(1e-10);
    const side = 60;
    const edges: [number, number][] = [];
    for (let a = 0; a < side; a++) {
      for (let b = 0; b < side; b++) {
        edges.push([a * side + b, a * side + ((b + 1) % side)], [a * side + b, ((a + 1) % side) * side + b]);
      }
    }
    const torus = spectralEmbeddingResult(graph(side * side, edges), { nComponents: 7, dropFirst: false, randomState: 2, eigenSolver: 'amg' });
    const spectrum: number[] = [];
    for (let a = 0; a < side; a++) for (let b = 0; b < side; b++) spectrum.push(1 - (Math.cos((2 * Math.PI * a) / side) + Math.cos((2 * Math.PI * b) / side)) / 2);
    spectrum.sort((x, y) => x - y);
    for (let k = 0; k < 7; k++) expect(Math.abs(torus.eigenvalues[k] - spectrum[k])).toBeLessThan(1e-9);
  });

  test('the amg and the dense solver span the same subspaces on a random geometric graph', () => {
    const rng = testRng(11);
    const points = Array.from({ length: 400 }, () => [rng.normal(), rng.normal()]);
    const edges: [number, number][] = [];
    points.forEach((p, i) => points.forEach((q, j) => j > i && (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 < 0.1 && edges.push([i, j])));
    const adjacency = graph(400, edges);
    const dense = spectralEmbeddingResult(adjacency, { nComponents: 6, eigenSolver: 'dense', onWarning: quiet });
    const amg = spectralEmbeddingResult(adjacency, { nComponents: 6, eigenSolver: 'amg', randomState: 5, onWarning: quiet });
    for (let k = 0; k < 6; k++) expect(Math.abs(dense.eigenvalues[k] - amg.eigenvalues[k])).toBeLessThan(1e-8);
    expect(subspaceGap(columns(dense.embedding), columns(amg.embedding))).toBeLessThan(1e-6);
  });

  test('columns are divided by √degree: the null vector of a connected graph is constant, and the largest |entry| is positive', () => {
    const result = spectralEmbeddingResult(graph(30, [...path(30), [0, 15], [3, 22]]), { nComponents: 3, dropFirst: false });
    const first = columns(result.embedding)[0];
    for (const v of first) expect(v).toBeCloseTo(first[0], 12);
    for (const column of columns(result.embedding)) {
      const at = column.reduce((best, v, i) => (Math.abs(v) > Math.abs(column[best]) ? i : best), 0);
      expect(column[at]).toBeGreaterThan(0);
    }
  });

  test('an asymmetric adjacency is replaced by 0.5·(A + Aᵀ), with a warning', () => {
    const asymmetric = { indptr: Int32Array.from([0, 1, 2, 3]), indices: Int32Array.from([1, 2, 0]), data: Float64Array.from([1, 1, 1]), rows: 3, cols: 3 };
    const warnings = collectWarnings();
    const ours = spectralEmbeddingResult(asymmetric, { nComponents: 2, dropFirst: false, onWarning: warnings.onWarning });
    const symmetric = spectralEmbeddingResult(graph(3, cycle(3)), { nComponents: 2, dropFirst: false });
    expect(warnings.kinds).toContain('ASYMMETRIC_AFFINITY');
    ours.eigenvalues.forEach((value, k) => expect(value).toBeCloseTo(symmetric.eigenvalues[k], 14));
  });

  test('bad adjacencies are refused, naming the value', () => {
    const good = graph(4, path(4));
    expectWasmeansError(() => spectralEmbedding({ ...good, data: Float64Array.from([1, 1, -2, 1, 1, 1]) }), 'INVALID_INPUT', /-2 at row 1, column 2/);
    expectWasmeansError(() => spectralEmbedding({ ...good, data: Float64Array.from([1, NaN, 1, 1, 1, 1]) }), 'INVALID_INPUT', /NaN at row 1, column 0/);
    expectWasmeansError(() => spectralEmbedding({ ...good, indices: Int32Array.from([1, 0, 7, 1, 3, 2]) }), 'INVALID_INPUT', /indices\[2\] = 7/);
    expectWasmeansError(() => spectralEmbedding({ ...good, cols: 5 }), 'INVALID_INPUT', /square/);
    expectWasmeansError(() => spectralEmbedding({ ...good, indptr: Int32Array.from([0, 2, 1, 4, 6]) }), 'INVALID_INPUT', /indptr must not decrease/);
    expectWasmeansError(() => spectralEmbedding([[0, 1], [1, 0], [1, 1]]), 'INVALID_INPUT', /square/);
    expectWasmeansError(() => spectralEmbedding(good, { nComponents: 4 }), 'INVALID_PARAMETER', /nComponents \+ 1 = 5/);
    expectWasmeansError(() => spectralEmbedding(good, { eigenSolver: 'arpack' as never }), 'INVALID_PARAMETER', /eigenSolver.*arpack/);
  });
});

describe('SpectralClustering', () => {
  test.each([200, 2000, 20000])('make_moons(%i, noise 0.05): ARI 1 with kmeans', (n) => {
    const { X, y } = makeMoons({ nSamples: n, noise: 0.05, randomState: 0 });
    const labels = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', randomState: 0, onWarning: quiet }).fitPredict(X);
    expect(adjustedRandScore(y, labels)).toBe(1);
  });

  test.each(['discretize', 'cluster_qr'] as const)('make_moons(2000): ARI 1 with %s', (assignLabels) => {
    const { X, y } = makeMoons({ nSamples: 2000, noise: 0.05, randomState: 1 });
    const labels = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels, randomState: 0, onWarning: quiet }).fitPredict(X);
    expect(adjustedRandScore(y, labels)).toBe(1);
  });

  test.each([200, 2000])('make_circles(%i, factor 0.5, noise 0.05): ARI 1', (n) => {
    const { X, y } = makeCircles({ nSamples: n, factor: 0.5, noise: 0.05, randomState: 0 });
    const labels = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', randomState: 0, onWarning: quiet }).fitPredict(X);
    expect(adjustedRandScore(y, labels)).toBe(1);
  });

  for (const name of ['moons', 'circles', 'blobs'] as const) {
    test(`${name}: scikit-learn's labels for kmeans, discretize and cluster_qr`, () => {
      const c = sklearn[name];
      const fit = (assignLabels: 'kmeans' | 'discretize' | 'cluster_qr') =>
        new SpectralClustering({ nClusters: c.nClusters, affinity: 'nearest_neighbors', assignLabels, randomState: 0, onWarning: quiet }).fitPredict(c.X);
      expect(samePartition(fit('kmeans'), c.labels)).toBe(true);
      expect(samePartition(fit('discretize'), c.labelsDiscretize as number[])).toBe(true);
      expect(samePartition(fit('cluster_qr'), c.labelsClusterQr as number[])).toBe(true);
    });
  }

  test.each([[150, 3, 1], [600, 4, 4], [2000, 5, 3]])('blobs (n=%i, %i centers): the same partition as KMeans', (nSamples, centers, randomState) => {
    const { X } = makeBlobs({ nSamples, centers, clusterStd: 0.6, randomState });
    const spectral = new SpectralClustering({ nClusters: centers, affinity: 'nearest_neighbors', randomState: 0, onWarning: quiet }).fitPredict(X);
    const kmeans = new KMeans({ nClusters: centers, nInit: 10, randomState: 0 }).fit(X).labels;
    expect(samePartition(spectral, kmeans)).toBe(true);
  });

  test('the same randomState gives identical labels; X is not mutated', () => {
    const { X } = makeMoons({ nSamples: 500, noise: 0.12, randomState: 4 });
    const before = Float64Array.from(X.data);
    const fit = (randomState: number, assignLabels: 'kmeans' | 'discretize') =>
      new SpectralClustering({ nClusters: 4, affinity: 'nearest_neighbors', assignLabels, randomState, onWarning: quiet }).fitPredict(X);
    for (const assignLabels of ['kmeans', 'discretize'] as const) expect(fit(7, assignLabels)).toEqual(fit(7, assignLabels));
    expect(X.data).toEqual(before);
  });

  test("precomputed: a dense affinity gives the same labels as the graph it came from", () => {
    const c = sklearn.moons;
    const affinity = csr(c.affinity as FixtureCsr);
    const n = affinity.rows;
    const dense = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let i = 0; i < n; i++) for (let e = affinity.indptr[i]; e < affinity.indptr[i + 1]; e++) dense[i][affinity.indices[e]] = affinity.data[e];
    const fromDense = new SpectralClustering({ nClusters: 2, affinity: 'precomputed', randomState: 0, onWarning: quiet }).fitPredict(dense);
    const fromCsr = new SpectralClustering({ nClusters: 2, affinity: 'precomputed', randomState: 0, onWarning: quiet }).fitPredict(affinity);
    expect(fromDense).toEqual(fromCsr);
    expect(samePartition(fromCsr, c.labels)).toBe(true);
  });

  test('errors name the offending value', () => {
    const { X } = makeMoons({ nSamples: 300, noise: 0.05, randomState: 0 });
    expectWasmeansError(() => new SpectralClustering({ affinity: 'cosine' as never }), 'INVALID_PARAMETER', /affinity must be one of .*cosine/);
    expectWasmeansError(() => new SpectralClustering({ assignLabels: 'amg' as never }), 'INVALID_PARAMETER', /assignLabels.*amg/);
    expectWasmeansError(() => new SpectralClustering({ nNeighbors: 0 }), 'INVALID_PARAMETER', /nNeighbors.*0/);
    expectWasmeansError(() => new SpectralClustering({ gamma: -1 }), 'INVALID_PARAMETER', /gamma.*-1/);
    expectWasmeansError(() => new SpectralClustering({ nCluster: 2 } as never), 'INVALID_PARAMETER', /unknown option "nCluster"/);
    expectWasmeansError(
      () => new SpectralClustering({ nClusters: 2, maxAffinityBytes: 1e6 }).fit(X),
      'OUT_OF_MEMORY',
      /nSamples=300 needs a dense 300×300 affinity.*nearest_neighbors/,
    );
    expectWasmeansError(() => new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', nNeighbors: 301 }).fit(X), 'INVALID_PARAMETER', /nNeighbors.*301/);
    expectWasmeansError(() => new SpectralClustering({ nClusters: 400, affinity: 'nearest_neighbors' }).fit(X), 'INVALID_INPUT', /nSamples=300 should be >= nClusters=400/);
    expectWasmeansError(() => new SpectralClustering({ affinity: 'precomputed_nearest_neighbors' }).fit(X), 'INVALID_INPUT', /CsrMatrix of distances/);
    const sparse = csr(sklearn.precomputed_nearest_neighbors.distances as FixtureCsr);
    expectWasmeansError(
      () => new SpectralClustering({ nClusters: 2, affinity: 'precomputed_nearest_neighbors', nNeighbors: 13 }).fit(sparse),
      'INVALID_INPUT',
      /row 0 of the precomputed distance graph stores 12 entries, fewer than nNeighbors=13/,
    );
    expectWasmeansError(() => new SpectralClustering({ affinity: 'nearest_neighbors' }).fit(sparse), 'INVALID_INPUT', /samples × features/);
    expectWasmeansError(() => new SpectralClustering().labels, 'NOT_FITTED', /call fit\(\) first/);
  });
});
