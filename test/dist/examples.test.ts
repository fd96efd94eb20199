// examples/ run against the packed tarball: each chapter file copied into the consumer project, where
// `wasmeans` resolves to the installed package, run with Node, and its printed numbers checked against the book's.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, inject, test } from 'vitest';

const consumerDir = inject('consumerDir');
const examplesDir = resolve(import.meta.dirname, '../../examples');

function run(file: string): string {
  const dir = join(consumerDir, 'examples');
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(examplesDir, file), join(dir, file));
  return execFileSync(process.execPath, [join(dir, file)], { cwd: dir, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The number printed after `label`. */
function numberAfter(output: string, label: string): number {
  const at = output.indexOf(label);
  expect(at, `"${label}" in:\n${output}`).toBeGreaterThanOrEqual(0);
  return Number(/-?\d+(\.\d+)?/.exec(output.slice(at + label.length))?.[0]);
}

test('01 blobs: KMeans(4) recovers the four blobs of 75 points', () => {
  const output = run('01-blobs-kmeans.mjs');
  expect(output).toContain('X: 300 × 2');
  expect(output.match(/ 75 points/g)).toHaveLength(4);
  expect(numberAfter(output, 'adjusted Rand index against y_true:')).toBe(1);
});

test('02 find_clusters: rseed=2 finds the blobs, rseed=0 a poor local optimum (numpy\'s starting rows)', () => {
  const output = run('02-expectation-maximization.mjs');
  // The starting rows are numpy's RandomState(2|0).permutation(300)[:4] (test/fixtures/numpy-random.json).
  expect(output).toContain('rseed=2): starts at rows [98, 259, 184, 256]');
  expect(output).toContain('rseed=0): starts at rows [208, 188, 12, 221]');
  const [good, poor] = [...output.matchAll(/adjusted Rand index against y_true: ([\d.]+)/g)].map((m) => Number(m[1]));
  expect(good).toBe(1);
  expect(poor).toBeLessThan(0.9);
});

test('03 choosing k: KMeans(6) finds six clusters; the silhouette prefers k = 4', () => {
  const output = run('03-choosing-k.mjs');
  expect(output).toMatch(/KMeans\(6, random_state=0\)\.fit_predict\(X\): 6 clusters/);
  expect(numberAfter(output, 'best k by silhouette:')).toBe(4);
});

test('04 moons: KMeans ARI 0.2564 as scikit-learn 1.2.1, SpectralClustering ARI 1', () => {
  const output = run('04-moons-spectral.mjs');
  expect(numberAfter(output, 'KMeans(2, random_state=0): adjusted Rand index')).toBe(0.2564);
  expect(numberAfter(output, "assign_labels='kmeans'): adjusted Rand index")).toBe(1);
});

test('05 digits: (1797, 64) → (10, 64) centers drawn 8 × 8, accuracy 0.7935 ≥ 0.79, a 10 × 10 confusion matrix', () => {
  const output = run('05-digits-kmeans.mjs');
  expect(output).toContain('digits.data.shape: (1797, 64)');
  expect(output).toContain('kmeans.cluster_centers_.shape: (10, 64)');
  const art = output.split('\n').slice(output.split('\n').findIndex((l) => l.startsWith('the cluster centers')) + 1).slice(0, 8);
  // Ten 8-character images two spaces apart on each of 8 lines.
  for (const line of art) expect(line).toHaveLength(2 + 10 * 8 + 9 * 2);
  const accuracy = numberAfter(output, 'accuracy_score(digits.target, labels):');
  expect(accuracy).toBeGreaterThanOrEqual(0.79);
  expect(accuracy).toBe(0.7935);
  const rows = output.split('\n').filter((l) => /^ {2}\d: /.test(l));
  expect(rows).toHaveLength(10);
  // Every digit's row sums to its count in the data: 1797 in all.
  expect(rows.flatMap((l) => l.slice(5).trim().split(/\s+/).map(Number)).reduce((a, b) => a + b, 0)).toBe(1797);
});

test('06 digits t-SNE + KMeans: accuracy ≥ 0.92 [scikit-learn 1.2.1: 0.9416]', () => {
  const output = run('06-digits-tsne.mjs');
  expect(output).toContain('1797 × 2');
  expect(numberAfter(output, 'accuracy_score(digits.target, labels):')).toBeGreaterThanOrEqual(0.92);
});

test('07 colour compression: 427 × 640 × 3, 273 280 pixels, about 96 600 colours down to 16', () => {
  const output = run('07-color-compression.mjs');
  expect(output).toContain('china.shape: (427, 640, 3)');
  expect(output).toContain('data.shape: (273280, 3)');
  // PIL's decoding has 96 615 distinct colours (np.unique over rows); jpeg-js rounds its inverse DCT a level differently.
  expect(Math.abs(numberAfter(output, 'colours in the photo:') / 96615 - 1)).toBeLessThan(0.002);
  expect(output).toContain('new_colors.shape: (273280, 3); colours after: 16');
  // scikit-learn 1.2.1's MiniBatchKMeans(16, n_init=3, random_state=0) on the same data: 1518.9. Unseeded here, as
  // in the book: runs seen from 1460 to 1647, hence the loose bound (a broken fit is several times larger).
  expect(numberAfter(output, 'inertia (sum of squared colour errors over all pixels):')).toBeLessThan(1.2 * 1518.9);
});
