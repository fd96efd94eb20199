// The 10-nearest-neighbour graph of make_moons(n, noise 0.05), wasmeans against scikit-learn's
// kneighbors_graph (a kd-tree), one thread: `node bench/neighbors.mjs [--repeats 5] [--no-python]`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeMoons } from '../build/datasets.js';
import { init, kneighborsGraph } from '../build/index.js';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['no-python']);
const repeats = Number(args.repeats ?? 5);
const SIZES = [2000, 20_000, 100_000];
const PYTHON = '/usr/bin/python3';
await init();

const ours = SIZES.map((n) => {
  const { X } = makeMoons({ nSamples: n, noise: 0.05, randomState: 0 });
  kneighborsGraph(X, 10, { includeSelf: true }); // warm-up
  const seconds = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    kneighborsGraph(X, 10, { includeSelf: true });
    seconds.push((performance.now() - start) / 1000);
  }
  return median(seconds);
});

let peer;
if (args['no-python'] || !existsSync(PYTHON)) {
  console.log(`notice: scikit-learn skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
} else {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peers_neighbors.py');
  const run = spawnSync(PYTHON, [script, String(repeats), ...SIZES.map(String)], { encoding: 'utf8' });
  const parsed = run.status === 0 ? JSON.parse(run.stdout) : { skipped: run.stderr.trim().split('\n').pop() };
  if (parsed.skipped) console.log(`notice: scikit-learn skipped: ${parsed.skipped}`);
  else peer = parsed;
}

console.log(`\nkneighborsGraph(makeMoons(n, noise 0.05), 10, includeSelf), one thread, median of ${repeats}\n`);
const rows = SIZES.map((n, i) => {
  const theirs = peer ? median(peer[String(n)]) : undefined;
  return [String(n), fmtSec(ours[i]), theirs === undefined ? '—' : fmtSec(theirs), theirs === undefined ? '—' : fmtRatio(theirs / ours[i])];
});
console.log(table(['n', 'wasmeans s', 'scikit-learn s', '×'], rows));
console.log('\n× = scikit-learn time / wasmeans time (above 1: wasmeans is faster).');
