// SpectralClustering(affinity 'nearest_neighbors', nNeighbors 10, assignLabels 'kmeans', randomState 0), wasmeans
// against scikit-learn's ARPACK, LOBPCG (and AMG where pyamg imports) solvers, one thread, in two tables:
// 1. make_moons(n, noise 0.05), nClusters 2: a 10-NN graph with two connected components (the null space is exact);
// 2. connected graphs, where the eigensolver iterates: the digits (1797 × 64, nClusters 10) and
//    make_moons(n, noise 0.1), nClusters 2, with targets for wasmeans' median seconds and a check that its ARI is
//    ARPACK's (to 1e-9) where ARPACK finished.
// `node bench/spectral.mjs [--repeats 3] [--timeout 180] [--no-python]`. A scikit-learn fit that passes the timeout
// is killed and reported as such.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDigits, makeMoons } from '../build/datasets.js';
import { adjustedRandScore, init } from '../build/index.js';
import { SpectralClustering } from '../build/spectral.js';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['no-python']);
const repeats = Number(args.repeats ?? 3);
const timeout = Number(args.timeout ?? 180);
const SIZES = [2000, 20_000, 100_000];
const SOLVERS = ['arpack', 'lobpcg', 'amg'];
const ARI_TOL = 1e-9;
const PYTHON = '/usr/bin/python3';
const python = !args['no-python'] && existsSync(PYTHON);
await init();

const moons = (n, noise) => makeMoons({ nSamples: n, noise, randomState: 0 });
const digits = () => {
  const { data, target } = loadDigits();
  return { X: data, y: target };
};

/**
 * The tables, each of benches: `dataset` is peers_spectral.py's name for the data, `sizes` its N arguments (none
 * for the digits); each case has its row label, its n (the key of the peer's JSON), the data and, optionally, a
 * target for wasmeans' median seconds.
 */
const TABLES = [
  {
    title: 'SpectralClustering on makeMoons(n, noise 0.05) (two components), nClusters 2', header: 'n',
    benches: [{ dataset: 'moons-0.05', sizes: SIZES, nClusters: 2, cases: SIZES.map((n) => ({ label: String(n), n, load: () => moons(n, 0.05) })) }],
  },
  {
    title: 'SpectralClustering on connected graphs: digits (nClusters 10), makeMoons(n, noise 0.1) (nClusters 2)', header: 'data',
    benches: [
      { dataset: 'digits', sizes: [], nClusters: 10, cases: [{ label: 'digits 1797×64', n: 1797, load: digits, target: 0.08 }] },
      {
        dataset: 'moons-0.1', sizes: SIZES, nClusters: 2,
        cases: SIZES.map((n) => ({ label: `moons ${n}`, n, load: () => moons(n, 0.1), target: { 20_000: 0.5, 100_000: 4 }[n] })),
      },
    ],
  },
];

/** wasmeans on one case: the median seconds of `repeats` fits after a warm-up, the ARI and the array buffers. */
function ours({ load }, nClusters) {
  const { X, y } = load();
  const fit = () =>
    new SpectralClustering({ nClusters, affinity: 'nearest_neighbors', nNeighbors: 10, assignLabels: 'kmeans', randomState: 0, onWarning: () => {} }).fitPredict(X);
  fit(); // warm-up
  const seconds = [];
  let labels;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    labels = fit();
    seconds.push((performance.now() - start) / 1000);
  }
  // Typed arrays and wasm memory after the fit: the affinity and the embedding grow as n·nNeighbors.
  const bytes = process.memoryUsage().arrayBuffers;
  return { seconds: median(seconds), ari: adjustedRandScore(y, labels), mib: bytes / 2 ** 20 };
}

/** scikit-learn on one dataset through peers_spectral.py, or undefined (with a notice) where it is skipped. */
function peerOn({ dataset, sizes }) {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peers_spectral.py');
  console.log(`running scikit-learn on ${dataset} (each fit killed after ${timeout} s) ...`);
  const run = spawnSync(PYTHON, [script, dataset, String(repeats), String(timeout), ...sizes.map(String)], { encoding: 'utf8' });
  const parsed = run.status === 0 ? JSON.parse(run.stdout) : { skipped: run.stderr.trim().split('\n').pop() };
  if (!parsed.skipped) return parsed;
  console.log(`notice: scikit-learn skipped: ${parsed.skipped}`);
}

/** A peer's cell: median seconds and ARI, or why there are none. */
function peerResult(peer, solver, n) {
  const bySize = peer?.[solver];
  if (bySize?.skipped) return { text: 'skipped' };
  const result = bySize?.[String(n)];
  if (!result) return { text: '—' };
  if (result.timeout) return { text: `> ${result.timeout} s (killed)` };
  if (result.error) return { text: 'failed' };
  const seconds = median(result.seconds);
  return { text: `${fmtSec(seconds)} (ARI ${result.ari.toFixed(3)})`, seconds, ari: result.ari };
}

/** Measures a table's benches and prints it; returns its rows' results for the notes beneath. */
function measure({ title, header, benches }) {
  const results = [];
  for (const bench of benches) {
    const peer = python ? peerOn(bench) : undefined;
    for (const c of bench.cases) {
      const solvers = Object.fromEntries(SOLVERS.map((s) => [s, peerResult(peer, s, c.n)]));
      results.push({ case: c, ours: ours(c, bench.nClusters), solvers });
    }
  }
  console.log(`\n${title}, 10-NN affinity, one thread, median of ${repeats}\n`);
  const rows = results.map(({ case: c, ours: o, solvers }) => [
    c.label, `${fmtSec(o.seconds)} (ARI ${o.ari.toFixed(3)})`, o.mib.toFixed(0),
    ...SOLVERS.flatMap((s) => [solvers[s].text, solvers[s].seconds === undefined ? '—' : fmtRatio(solvers[s].seconds / o.seconds)]),
  ]);
  console.log(table([header, 'wasmeans s', 'MiB', ...SOLVERS.flatMap((s) => [`sklearn ${s} s`, '×'])], rows));
  console.log('\n× = scikit-learn time / wasmeans time (above 1: wasmeans is faster). MiB: array buffers after the fit.');
  return results;
}

if (!python) console.log(`notice: scikit-learn skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
measure(TABLES[0]);
const connected = measure(TABLES[1]);

console.log('\nTargets (wasmeans median seconds):');
for (const { case: c, ours: o } of connected.filter((r) => r.case.target !== undefined)) {
  console.log(`  ${c.label} ≤ ${c.target} s: ${fmtSec(o.seconds)} s — ${o.seconds <= c.target ? 'met' : 'missed'}`);
}
console.log(`ARI equal to scikit-learn ARPACK's (to ${ARI_TOL}):`);
for (const { case: c, ours: o, solvers: { arpack } } of connected) {
  const verdict = arpack.ari === undefined
    ? `not compared (ARPACK ${arpack.text === '—' ? 'not run' : arpack.text})`
    : `${Math.abs(o.ari - arpack.ari) <= ARI_TOL ? 'yes' : 'no'} (wasmeans ${o.ari.toFixed(6)}, arpack ${arpack.ari.toFixed(6)})`;
  console.log(`  ${c.label}: ${verdict}`);
}
