// Reusable pieces for the benchmarks: seeded data, timing with medians, inertia checks, tables.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The package's internals for benchmarks that time one stage of a fit: `exports` (paths relative to src/) bundled
 * by esbuild and imported, with init() run.
 */
export async function importInternals(exports) {
  const dir = mkdtempSync(join(tmpdir(), 'wasmeans-bench-'));
  const file = join(dir, 'internals.mjs');
  const { outputFiles } = await build({
    stdin: {
      contents: [`export { init } from './index';`, ...Object.entries(exports).map(([path, names]) => `export { ${names.join(', ')} } from './${path}';`)].join('\n'),
      resolveDir: join(dirname(fileURLToPath(import.meta.url)), '../src'),
      loader: 'ts',
    },
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'error',
  });
  writeFileSync(file, outputFiles[0].contents);
  const internals = await import(pathToFileURL(file).href);
  rmSync(dir, { recursive: true });
  await internals.init();
  return internals;
}

/** mulberry32: tiny seeded uniform generator in [0, 1); enough for benchmark data, not for statistics. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller, keeping the second value of each pair. */
export function gaussian(rand) {
  let spare = null;
  return () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    const u = 1 - rand(); // in (0, 1]: log(u) stays finite
    const r = Math.sqrt(-2 * Math.log(u)), t = 2 * Math.PI * rand();
    spare = r * Math.sin(t);
    return r * Math.cos(t);
  };
}

/**
 * Isotropic gaussian blobs as float32, like scikit-learn's make_blobs: k centers uniform in
 * [lo, hi]^d, n split evenly, rows shuffled (so no peer profits from sorted input). clip bounds values.
 */
export function makeBlobs({ n, d, k, seed, std = 1, lo = -10, hi = 10, clip = null }) {
  const rand = mulberry32(seed), normal = gaussian(rand);
  const centers = Float64Array.from({ length: k * d }, () => lo + (hi - lo) * rand());
  const label = Int32Array.from({ length: n }, (_, i) => i % k);
  shuffle(label, rand);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = label[i] * d;
    for (let j = 0; j < d; j++) {
      let v = centers[c + j] + std * normal();
      if (clip) v = Math.min(clip[1], Math.max(clip[0], v));
      data[i * d + j] = v;
    }
  }
  return { data, rows: n, cols: d };
}

/** Fisher–Yates in place. */
export function shuffle(a, rand) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
  return a;
}

/** k distinct row indices by a seeded partial Fisher–Yates, and those rows as a float64 matrix. */
export function pickRows(X, k, seed) {
  const rand = mulberry32(seed), idx = Int32Array.from({ length: X.rows }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (X.rows - i));
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  const indices = idx.slice(0, k), d = X.cols, data = new Float64Array(k * d);
  indices.forEach((r, i) => data.set(X.data.subarray(r * d, (r + 1) * d), i * d));
  return { indices, centers: { data, rows: k, cols: d } };
}

/** Gzipped CSV of integers: the first `cols` columns of each row as a float32 matrix. */
export function loadCsvGz(path, cols) {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n');
  const data = new Float32Array(lines.length * cols);
  lines.forEach((line, i) => {
    const v = line.split(',');
    for (let j = 0; j < cols; j++) data[i * cols + j] = Number(v[j]);
  });
  return { data, rows: lines.length, cols };
}

/** Row-major matrix as number[][], the input the plain-JS peers take. */
export function toArrays(M) {
  return Array.from({ length: M.rows }, (_, i) => Array.from(M.data.subarray(i * M.cols, (i + 1) * M.cols)));
}

/** number[][] back to a float64 matrix. */
export function fromArrays(rows) {
  const d = rows[0].length, data = new Float64Array(rows.length * d);
  rows.forEach((r, i) => data.set(r, i * d));
  return { data, rows: rows.length, cols: d };
}

/** Sum over rows of the squared distance to the nearest center, in float64: one yardstick for every peer. */
export function inertia(X, C) {
  const { rows: n, cols: d } = X, k = C.rows, x = X.data, c = Float64Array.from(C.data);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let best = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0, q = j * d; t < d && s < best; t++, q++) { const e = x[o + t] - c[q]; s += e * e; }
      if (s < best) best = s;
    }
    total += best;
  }
  return total;
}

/** Rows whose nearest centers tie exactly (float64 distances; exact for integer data): where argmin order decides. */
export function tiedRows(X, C) {
  const { rows: n, cols: d } = X, k = C.rows, x = X.data, c = C.data, out = [];
  for (let i = 0; i < n; i++) {
    let best = Infinity, ties = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) { const e = x[i * d + t] - c[j * d + t]; s += e * e; }
      if (s < best) { best = s; ties = 0; } else if (s === best) ties++;
    }
    if (ties) out.push(i);
  }
  return out;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs fn up to maxRepeats times, but stops starting new runs once the next would likely push the total
 * past budgetSec (slow peers get a single run). fn returns an object with nIter (or a promise of one, with
 * timeRepeatsAsync); the result carries the median seconds per iteration and the last run's output.
 */
export function timeRepeats(fn, options) {
  return repeatTimed(fn, options, (run, next) => next(run()));
}

export function timeRepeatsAsync(fn, options) {
  return repeatTimed(fn, options, async (run, next) => next(await run()));
}

/** The loop of both: `call(run, next)` runs one repeat and hands its output on, sync or async alike. */
function repeatTimed(fn, { maxRepeats = 5, budgetSec = 60 } = {}, call) {
  const secPerIter = [];
  let total = 0, out, t0;
  const step = (r) => {
    if (r >= maxRepeats) return { secPerIter: median(secPerIter), runs: secPerIter, out };
    t0 = performance.now();
    return call(fn, (result) => {
      out = result;
      const s = (performance.now() - t0) / 1000;
      total += s;
      secPerIter.push(s / Math.max(1, out.nIter));
      return total + s > budgetSec ? { secPerIter: median(secPerIter), runs: secPerIter, out } : step(r + 1);
    });
  };
  return step(0);
}

/** Relative difference, signed: (b − a) / |a|. */
export const relDiff = (a, b) => (b - a) / Math.abs(a);

export const fmtSec = (s) => (s == null ? '—' : s >= 1 ? s.toFixed(2) : s.toPrecision(3));
export const fmtRatio = (r) => (r == null ? '—' : `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`);
export const fmtRel = (r) => (r == null ? '—' : r === 0 ? '0' : `${r > 0 ? '+' : ''}${r.toExponential(1)}`);

/** Markdown-style table with padded columns; first column left-aligned, the rest right-aligned. */
export function table(headers, rows) {
  const all = [headers, ...rows].map((r) => r.map(String));
  const w = headers.map((_, j) => Math.max(...all.map((r) => r[j].length)));
  const line = (r) => '| ' + r.map((v, j) => (j ? v.padStart(w[j]) : v.padEnd(w[j]))).join(' | ') + ' |';
  const rule = '|' + w.map((x, j) => (j ? '-'.repeat(x + 1) + ':' : ':' + '-'.repeat(x + 1))).join('|') + '|';
  return [line(all[0]), rule, ...all.slice(1).map(line)].join('\n');
}

/** `--name value` / `--name=value` options; names listed in `flags` are booleans that take no value. */
export function parseArgs(flags, argv = process.argv.slice(2)) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${argv[i]}`);
    if (flags.includes(m[1])) out[m[1]] = true;
    else if (m[2] !== undefined) out[m[1]] = m[2];
    else if (i + 1 < argv.length) out[m[1]] = argv[++i];
    else throw new Error(`--${m[1]} needs a value`);
  }
  return out;
}
