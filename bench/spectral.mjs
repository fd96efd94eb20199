// SpectralClustering(nClusters 2, affinity 'nearest_neighbors', assignLabels 'kmeans') on make_moons(n, noise 0.05),
// wasmeans against scikit-learn's ARPACK and LOBPCG solvers, one thread:
// `node bench/spectral.mjs [--repeats 3] [--timeout 180] [--no-python]`. A scikit-learn fit that passes the timeout
// is killed and reported as such.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMoons } from '../build/datasets.js';
import { adjustedRandScore, init } from '../build/index.js';
import { SpectralClustering } from '../build/spectral.js';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['no-python']);
const repeats = Number(args.repeats ?? 3);
const timeout = Number(args.timeout ?? 180);
const SIZES = [2000, 20_000, 100_000];
const PYTHON = '/usr/bin/python3';
await init();

const fit = (X) =>
  new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels: 'kmeans', randomState: 0, onWarning: () => {} }).fitPredict(X);

const ours = SIZES.map((n) => {
  const { X, y } = makeMoons({ nSamples: n, noise: 0.05, randomState: 0 });
  fit(X); // warm-up
  const seconds = [];
  let labels;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    labels = fit(X);
    seconds.push((performance.now() - start) / 1000);
  }
  // Typed arrays and wasm memory after the fit: the affinity and the embedding grow as n·nNeighbors.
  const bytes = process.memoryUsage().arrayBuffers;
  return { seconds: median(seconds), ari: adjustedRandScore(y, labels), mib: bytes / 2 ** 20 };
});

let peer;
if (args['no-python'] || !existsSync(PYTHON)) {
  console.log(`notice: scikit-learn skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
} else {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peers_spectral.py');
  console.log(`running scikit-learn (each fit killed after ${timeout} s) ...`);
  const run = spawnSync(PYTHON, [script, String(repeats), String(timeout), ...SIZES.map(String)], { encoding: 'utf8' });
  const parsed = run.status === 0 ? JSON.parse(run.stdout) : { skipped: run.stderr.trim().split('\n').pop() };
  if (parsed.skipped) console.log(`notice: scikit-learn skipped: ${parsed.skipped}`);
  else peer = parsed;
}

/** A peer's cell: median seconds, or why there is none. */
function peerResult(solver, n) {
  const result = peer?.[solver]?.[String(n)];
  if (!result) return { text: '—' };
  if (result.timeout) return { text: `> ${result.timeout} s (killed)`, seconds: undefined };
  if (result.skipped) return { text: 'skipped' };
  const seconds = median(result.seconds);
  return { text: `${fmtSec(seconds)} (ARI ${result.ari.toFixed(3)})`, seconds };
}

console.log(`\nSpectralClustering on makeMoons(n, noise 0.05), 10-NN affinity, one thread, median of ${repeats}\n`);
const rows = SIZES.map((n, i) => {
  const arpack = peerResult('arpack', n);
  const lobpcg = peerResult('lobpcg', n);
  return [
    String(n), `${fmtSec(ours[i].seconds)} (ARI ${ours[i].ari.toFixed(3)})`, ours[i].mib.toFixed(0),
    arpack.text, arpack.seconds === undefined ? '—' : fmtRatio(arpack.seconds / ours[i].seconds),
    lobpcg.text, lobpcg.seconds === undefined ? '—' : fmtRatio(lobpcg.seconds / ours[i].seconds),
  ];
});
console.log(table(['n', 'wasmeans s', 'MiB', 'sklearn arpack s', '×', 'sklearn lobpcg s', '×'], rows));
console.log('\n× = scikit-learn time / wasmeans time (above 1: wasmeans is faster). MiB: array buffers after the fit.');
