// t-SNE, the chapter's last example: TSNE(nComponents 2, init 'random', randomState 0) on the digits, then
// KMeans(10, nInit 10, randomState 0) on the embedding (mode-matched accuracy) and trustworthiness (5), on one
// thread and on two, with Barnes-Hut (the default) and with 'fft' (FIt-SNE's interpolation); scikit-learn side by side (one and two OpenMP threads); the JavaScript peers tsne-js and
// druidjs timed over their first iterations (a whole fit takes them minutes); and 70 000 points × 50 features
// (makeBlobs, 10 centers: as many classes as the digits) on two threads, both methods.
// `node bench/tsne.mjs [--repeats 3] [--peer-iterations 50] [--no-python] [--no-large]`
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDigits, makeBlobs } from '../build/datasets.js';
import { accuracyScore, init, KMeans, matchLabels, shutdownThreads } from '../build/index.js';
import { TSNE, trustworthiness } from '../build/manifold.js';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['no-python', 'no-large']);
const repeats = Number(args.repeats ?? 3);
const peerIterations = Number(args['peer-iterations'] ?? 50);
const PYTHON = '/usr/bin/python3';
await init();

const { data, target } = loadDigits();
const rows = Array.from({ length: data.rows }, (_, i) => Array.from(data.data.subarray(i * data.cols, (i + 1) * data.cols)));

/** Median seconds of `repeats` fits after a warm-up, and the last fit's quality. */
async function ours(threads, method = 'barnes_hut') {
  const fit = () => new TSNE({ nComponents: 2, init: 'random', randomState: 0, method }).fitAsync(data, { threads });
  await fit();
  const seconds = [];
  let model;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    model = await fit();
    seconds.push((performance.now() - start) / 1000);
  }
  const labels = new KMeans({ nClusters: 10, nInit: 10, randomState: 0 }).fitPredict(model.embedding);
  return {
    seconds: median(seconds), kl: model.klDivergence, accuracy: accuracyScore(target, matchLabels(labels, target)),
    trustworthiness: trustworthiness(data, model.embedding, { nNeighbors: 5 }),
  };
}

const one = await ours(1);
const two = await ours(2);
const fftOne = await ours(1, 'fft');
const fftTwo = await ours(2, 'fft');

const python = {};
if (args['no-python'] || !existsSync(PYTHON)) {
  console.log(`notice: scikit-learn skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
} else {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'peers_tsne.py');
  for (const threads of [1, 2]) {
    console.log(`running scikit-learn on ${threads} thread(s) ...`);
    const run = spawnSync(PYTHON, [script, String(threads), String(repeats)], { encoding: 'utf8' });
    const parsed = run.status === 0 ? JSON.parse(run.stdout) : { skipped: run.stderr.trim().split('\n').pop() };
    if (parsed.skipped) console.log(`notice: scikit-learn skipped: ${parsed.skipped}`);
    else python[threads] = { ...parsed, seconds: median(parsed.seconds) };
  }
}

// The JavaScript peers: seconds per iteration over their first iterations, and 1000 iterations at that pace.
const require = createRequire(import.meta.url);
const peers = [];
try {
  const TsneJs = require('tsne-js');
  const model = new TsneJs({ dim: 2, perplexity: 30, earlyExaggeration: 4, learningRate: 100, nIter: peerIterations, metric: 'euclidean' });
  const start = performance.now();
  model.init({ data: rows, type: 'dense' });
  model.run();
  peers.push({ name: 'tsne-js 1.0.3 (exact)', perIteration: (performance.now() - start) / 1000 / peerIterations });
} catch (error) {
  console.log(`notice: tsne-js skipped (${error.message})`);
}
try {
  const druid = await import('@saehrimnir/druidjs');
  const model = new druid.TSNE(rows, { perplexity: 30, d: 2, seed: 0 });
  const start = performance.now();
  model.transform(peerIterations);
  peers.push({ name: 'druidjs 0.9.0 (exact)', perIteration: (performance.now() - start) / 1000 / peerIterations });
} catch (error) {
  console.log(`notice: druidjs skipped (${error.message})`);
}

console.log(`\nTSNE on the digits (1797 × 64), init 'random', 1000 iterations, median of ${repeats}\n`);
const quality = (r) => `KL ${r.kl.toFixed(3)}, accuracy ${r.accuracy.toFixed(4)}, trustworthiness ${r.trustworthiness.toFixed(4)}`;
const lines = [
  ['wasmeans, 1 thread', fmtSec(one.seconds), '1.00×', python[1] ? fmtRatio(python[1].seconds / one.seconds) : '—', quality(one)],
  ['wasmeans, 2 threads', fmtSec(two.seconds), fmtRatio(one.seconds / two.seconds), python[2] ? fmtRatio(python[2].seconds / two.seconds) : '—', quality(two)],
  ["wasmeans 'fft', 1 thread", fmtSec(fftOne.seconds), fmtRatio(one.seconds / fftOne.seconds), python[1] ? fmtRatio(python[1].seconds / fftOne.seconds) : '—', quality(fftOne)],
  ["wasmeans 'fft', 2 threads", fmtSec(fftTwo.seconds), fmtRatio(one.seconds / fftTwo.seconds), python[2] ? fmtRatio(python[2].seconds / fftTwo.seconds) : '—', quality(fftTwo)],
];
for (const threads of [1, 2]) {
  const r = python[threads];
  if (r) lines.push([`scikit-learn 1.2.1, ${threads} thread${threads > 1 ? 's' : ''}`, fmtSec(r.seconds), '—', '1.00×', quality(r)]);
}
for (const peer of peers) {
  lines.push([peer.name, `${fmtSec(peer.perIteration * 1000)} (projected)`, '—', fmtRatio((peer.perIteration * 1000) / one.seconds), `${fmtSec(peer.perIteration)} s an iteration over ${peerIterations}`]);
}
console.log(table(['', 'seconds', 'vs 1 thread', '× vs wasmeans (same threads)', 'quality'], lines));
console.log('\n× = the other\'s seconds / wasmeans\' (above 1: wasmeans is faster); the peers against wasmeans on one thread.');

if (!args['no-large']) {
  const { X } = makeBlobs({ nSamples: 70_000, nFeatures: 50, centers: 10, randomState: 0 });
  console.log('\nTSNE on 70 000 × 50 (makeBlobs, 10 centers), init \'random\', two threads, one run');
  for (const method of ['barnes_hut', 'fft']) {
    const start = performance.now();
    const model = await new TSNE({ nComponents: 2, init: 'random', randomState: 0, method }).fitAsync(X, { threads: 2 });
    console.log(`  ${method}: ${fmtSec((performance.now() - start) / 1000)} s, KL ${model.klDivergence.toFixed(3)}`);
  }
}
await shutdownThreads();
