// Naive float64 references, written for clarity, that the wasm paths are checked against.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { WasmeansError } from '../src/core/errors';

export type Rows = number[][];

export function sqDist(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let t = 0; t < a.length; t++) s += (a[t] - b[t]) ** 2;
  return s;
}

/** Nearest center by exact distance; strict < so the lowest index wins ties. */
export function nearest(x: ArrayLike<number>, centers: Rows): { label: number; dist: number } {
  let label = 0;
  let dist = Infinity;
  centers.forEach((c, j) => {
    const d = sqDist(x, c);
    if (d < dist) {
      dist = d;
      label = j;
    }
  });
  return { label, dist };
}

/** Plain Lloyd with scikit-learn's stopping rules and empty-cluster relocation, in float64. */
export function referenceLloyd(X: Rows, init: Rows, opts: { maxIter: number; tol: number; weights?: number[] }) {
  const n = X.length;
  const d = X[0].length;
  const k = init.length;
  const w = opts.weights ?? X.map(() => 1);
  const mean = Array.from({ length: d }, (_, t) => X.reduce((s, x) => s + x[t], 0) / n);
  const variance = Array.from({ length: d }, (_, t) => X.reduce((s, x) => s + (x[t] - mean[t]) ** 2, 0) / n);
  const tol = opts.tol * (variance.reduce((a, b) => a + b, 0) / d);
  let centers = init.map((c) => [...c]);
  let labels = new Array<number>(n).fill(-1);
  let strict = false;
  let i = 0;
  for (; i < opts.maxIter; i++) {
    const next = X.map((x) => nearest(x, centers).label);
    const sums = centers.map(() => new Array<number>(d).fill(0));
    const weight = new Array<number>(k).fill(0);
    X.forEach((x, r) => {
      weight[next[r]] += w[r];
      for (let t = 0; t < d; t++) sums[next[r]][t] += w[r] * x[t];
    });
    const empty = weight.flatMap((v, j) => (v === 0 ? [j] : []));
    if (empty.length) {
      const far = X.map((x, r) => ({ r, dist: sqDist(x, centers[next[r]]) })).sort((a, b) => b.dist - a.dist || a.r - b.r);
      empty.forEach((j, e) => {
        const r = far[e].r;
        const old = next[r];
        for (let t = 0; t < d; t++) {
          sums[old][t] -= w[r] * X[r][t];
          sums[j][t] = w[r] * X[r][t];
        }
        weight[j] = w[r];
        weight[old] -= w[r];
      });
    }
    const updated = sums.map((s, j) => (weight[j] > 0 ? s.map((v) => v / weight[j]) : s));
    const shift = updated.reduce((s, c, j) => s + sqDist(c, centers[j]), 0);
    const same = next.every((l, r) => l === labels[r]);
    centers = updated;
    labels = next;
    if (same) {
      strict = true;
      break;
    }
    if (shift <= tol) break;
  }
  if (!strict) labels = X.map((x) => nearest(x, centers).label);
  const inertia = X.reduce((s, x, r) => s + w[r] * sqDist(x, centers[labels[r]]), 0);
  return { centers, labels, inertia, nIter: Math.min(i + 1, opts.maxIter) };
}

/** Whether two labellings are the same partition up to renaming, both ways. */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

/** Adjusted Rand index from the contingency table (Hubert & Arabie). */
export function adjustedRand(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = `${a[i]},${b[i]}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  const sumCells = [...table.values()].reduce((s, m) => s + pairs(m), 0);
  const sumRows = [...rows.values()].reduce((s, m) => s + pairs(m), 0);
  const sumCols = [...cols.values()].reduce((s, m) => s + pairs(m), 0);
  const expected = (sumRows * sumCols) / pairs(n);
  const max = (sumRows + sumCols) / 2;
  return max === expected ? 1 : (sumCells - expected) / (max - expected);
}

/** A small seeded generator (mulberry32) with Gaussian draws, for test data only. */
export function testRng(seed: number) {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal, int: (n: number) => Math.floor(uniform() * n) };
}

/** Gaussian blobs: k centers uniform in [-box, box]^d, n split evenly, rows shuffled. */
export function blobs(n: number, d: number, k: number, seed: number, std = 1, box = 10): { X: Rows; y: number[] } {
  const rng = testRng(seed);
  const centers = Array.from({ length: k }, () => Array.from({ length: d }, () => (rng.uniform() * 2 - 1) * box));
  const X: Rows = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = i % k;
    X.push(centers[j].map((c) => c + std * rng.normal()));
    y.push(j);
  }
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [X[i], X[j]] = [X[j], X[i]];
    [y[i], y[j]] = [y[j], y[i]];
  }
  return { X, y };
}

/** The digits data as committed in data/ (1797 × 64, and the targets). */
export function digits(): { X: Rows; target: number[] } {
  const text = gunzipSync(readFileSync(repoPath('data/digits.csv.gz'))).toString('utf8');
  const rows = text.trim().split('\n').map((line) => line.split(',').map(Number));
  return { X: rows.map((r) => r.slice(0, 64)), target: rows.map((r) => r[64]) };
}

/** A path inside the repository. */
export function repoPath(relative: string): string {
  return new URL(`../${relative}`, import.meta.url).pathname;
}

/** A scikit-learn fixture from test/fixtures/ (each made by the script beside it). */
export function fixture(name: string) {
  return JSON.parse(readFileSync(repoPath(`test/fixtures/${name}`), 'utf8'));
}

/**
 * The sources (src/index and src/datasets) bundled by esbuild into one ES module for a child Node process, in
 * test/dist/artifacts/<name>/ inside the package, so that it finds build/wasmeans-threads.wasm as the package's own
 * export. Returns the folder; the bundle is wasmeans.mjs in it.
 */
const bundled = new Set<string>();

/**
 * Bundles src/ for a Node script under test/dist/artifacts/<name>, once per test process: concurrent tests run
 * node on the bundle, so it is never rewritten under them, and a new one appears whole (written aside, renamed).
 */
export function bundleForNode(name: string): string {
  const dir = repoPath(`test/dist/artifacts/${name}`);
  if (bundled.has(name)) return dir;
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.mjs');
  writeFileSync(entry, `export * from '../../../../src/index';\nexport { makeBlobs } from '../../../../src/datasets';\n`);
  const aside = join(dir, `wasmeans.${process.pid}.mjs`);
  execFileSync(repoPath('node_modules/.bin/esbuild'), [entry, '--bundle', '--format=esm', '--platform=node', `--outfile=${aside}`, '--log-level=warning']);
  renameSync(aside, join(dir, 'wasmeans.mjs'));
  bundled.add(name);
  return dir;
}

/** Max over entries of |a − b| / max(|b|, floor). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return worst;
}

/** Runs fn and checks that it throws a WasmeansError with this code and a message matching the pattern. */
export function expectWasmeansError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WasmeansError);
    expect((error as WasmeansError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
    return;
  }
  expect.fail(`expected a WasmeansError matching ${message}`);
}
