// MiniBatchKMeans and KMeans on the handbook's china photo (273 280 pixels / 255, 16 colours), wasmeans
// and scikit-learn side by side: `node bench/minibatch.mjs [--repeats 7] [--no-python]`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSampleImage } from '../build/datasets.js';
import { init, KMeans, MiniBatchKMeans } from '../build/index.js';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['no-python']);
const repeats = Number(args.repeats ?? 7);
const PYTHON = '/usr/bin/python3';
await init();

const image = loadSampleImage('china');
const n = image.width * image.height;
const X = { data: Float32Array.from(image.pixels, (v) => v / 255), rows: n, cols: 3 };

function time(make) {
  const seconds = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    model = make().fit(X);
    seconds.push((performance.now() - start) / 1000);
  }
  return { seconds: median(seconds), inertia: model.inertia, steps: model.nSteps };
}

function make() {
  return new MiniBatchKMeans({ nClusters: 16, batchSize: 1024, nInit: 3, randomState: 0 });
}
make().fit(X); // warm-up
const ours = {
  minibatch: time(make),
  kmeans: time(() => new KMeans({ nClusters: 16, nInit: 1, randomState: 0 })),
};

let peer;
if (args['no-python'] || !existsSync(PYTHON)) {
  console.log(`notice: scikit-learn skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
} else {
  const here = dirname(fileURLToPath(import.meta.url));
  const run = spawnSync(PYTHON, [join(here, 'peers_minibatch.py'), String(repeats)], { encoding: 'utf8' });
  const parsed = run.status === 0 ? JSON.parse(run.stdout) : { skipped: run.stderr.trim().split('\n').pop() };
  if (parsed.skipped) console.log(`notice: scikit-learn skipped: ${parsed.skipped}`);
  else peer = parsed;
}

console.log(`china photo, ${n} pixels × 3 (/255), 16 colours, one thread; median of ${repeats} fits, seconds per whole fit\n`);
const rows = [
  ['MiniBatchKMeans(16, batchSize 1024, nInit 3, randomState 0)', 'minibatch'],
  ['KMeans(16, nInit 1, randomState 0)', 'kmeans'],
].map(([label, key]) => {
  const p = peer?.[key];
  const theirs = p ? median(p.seconds) : undefined;
  return [
    label, fmtSec(ours[key].seconds), ours[key].inertia.toFixed(1),
    theirs === undefined ? '—' : fmtSec(theirs), p ? p.inertia.toFixed(1) : '—',
    theirs === undefined ? '—' : fmtRatio(theirs / ours[key].seconds),
  ];
});
console.log(table(['fit', 'wasmeans s', 'inertia', 'scikit-learn s', 'inertia', '×'], rows));
console.log('\n× = scikit-learn time / wasmeans time (above 1: wasmeans is faster). Inertia is on the full data.');
