// Cosine (spherical) k-means on embedding-shaped data: 200 000 × 384 float32 unit vectors around 100 directions,
// k = 100. Against faiss Kmeans(spherical=True) and scikit-learn KMeans on the same (normalised) rows, one thread
// each: per Lloyd iteration from the same initial rows ((T(1 + N) − T(1)) / N, so set-up and seeding are left out),
// and the whole default fit, each with its cosine inertia Σ (1 − cos) at its final centers. Then MiniBatchKMeans
// with metric 'cosine' on 1 000 000 × 384 (1.5 GB of float32), k = 1000, with the memory it takes.
// Usage: node bench/cosine.mjs [--quick] [--no-python] [--skip-large]. Not part of the tests.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { runPythonPeers } from './cases.mjs';
import { fmtRatio, fmtSec, gaussian, importInternals, mulberry32, parseArgs, pickRows, table } from './util.mjs';

const args = parseArgs(['quick', 'no-python', 'skip-large']);
const quick = !!args.quick;
const PYTHON = '/usr/bin/python3';
const ITERATIONS = quick ? 3 : 10;
const REPEATS = quick ? 1 : 3;
const log = (...m) => console.error(...m);
const { KMeans, MiniBatchKMeans, getKernels } = await importInternals({ index: ['KMeans', 'MiniBatchKMeans'], 'runtime/module': ['getKernels'] });

/** n unit rows of d float32 around k random directions (direction + Gaussian noise of `spread` per coordinate, normalised). */
function embeddings(n, d, k, seed, spread = 0.06) {
  const rand = mulberry32(seed), normal = gaussian(rand);
  const directions = new Float64Array(k * d);
  for (let j = 0; j < k; j++) {
    let sq = 0;
    for (let t = 0; t < d; t++) sq += (directions[j * d + t] = normal()) ** 2;
    for (let t = 0; t < d; t++) directions[j * d + t] /= Math.sqrt(sq);
  }
  const data = new Float32Array(n * d), row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const j = Math.floor(rand() * k);
    let sq = 0;
    for (let t = 0; t < d; t++) sq += (row[t] = directions[j * d + t] + spread * normal()) ** 2;
    const norm = Math.sqrt(sq);
    for (let t = 0; t < d; t++) data[i * d + t] = row[t] / norm;
  }
  return { data, rows: n, cols: d };
}

/** Σ (1 − max_j cos(x, c_j)) in float64, the centers normalised first: one yardstick for every peer. */
function cosineInertia(X, centers, k) {
  const { rows: n, cols: d, data: x } = X;
  const c = Float64Array.from(centers);
  for (let j = 0; j < k; j++) {
    let sq = 0;
    for (let t = 0; t < d; t++) sq += c[j * d + t] ** 2;
    for (let t = 0; t < d; t++) c[j * d + t] /= Math.sqrt(sq);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += x[i * d + t] * c[j * d + t];
      if (s > best) best = s;
    }
    total += 1 - best;
  }
  return total;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (fn) => {
  const t0 = performance.now();
  const out = fn();
  return { sec: (performance.now() - t0) / 1000, out };
};

// ---- 200 000 × 384, k = 100 ----
const n = quick ? 20_000 : 200_000, d = 384, k = 100;
log(`generating ${n} × ${d} unit rows around ${k} directions`);
const X = embeddings(n, d, k, 7);
const { centers: C0 } = pickRows(X, k, 11);
const silent = () => {};
const lloyd = (maxIter) => new KMeans({ nClusters: k, metric: 'cosine', init: C0, maxIter, tol: 0, algorithm: 'lloyd', onWarning: silent }).fit(X);
lloyd(1); // warm-up: wasm tier-up, arena growth
const iterationSamples = [];
for (let r = 0; r < REPEATS; r++) iterationSamples.push((seconds(() => lloyd(1 + ITERATIONS)).sec - seconds(() => lloyd(1)).sec) / ITERATIONS);
const fitRuns = [];
let fitted;
for (let r = 0; r < REPEATS; r++) {
  const run = seconds(() => new KMeans({ nClusters: k, metric: 'cosine', randomState: 0, onWarning: silent }).fit(X));
  fitRuns.push(run.sec);
  fitted = run.out;
}
const rows = { wasmeans: { secPerIter: median(iterationSamples), fitSec: median(fitRuns), nIter: fitted.nIter, inertia: cosineInertia(X, fitted.clusterCenters.data, k) } };
log(`  wasmeans: ${fmtSec(rows.wasmeans.secPerIter)} s/iteration, whole fit ${fmtSec(rows.wasmeans.fitSec)} s (${fitted.nIter} iterations)`);

let python = !args['no-python'];
if (python && !existsSync(PYTHON)) {
  console.log(`notice: ${PYTHON} not found, skipping faiss and scikit-learn`);
  python = false;
}
if (python) {
  const peers = runPythonPeers(PYTHON, 'peers_cosine.py', { n, d, k, iterations: ITERATIONS, repeats: REPEATS }, { x: X.data, init: Float32Array.from(C0.data) });
  for (const [name, p] of Object.entries(peers)) {
    if (p.skipped) continue;
    rows[name] = { secPerIter: p.secPerIter, fitSec: p.fitSec, nIter: p.nIter, inertia: cosineInertia(X, p.centers, k) };
  }
}
const w = rows.wasmeans;
console.log(`\n## Cosine k-means, ${n} × ${d} float32 unit rows, k = ${k}, one thread (medians of ${REPEATS})\n`);
console.log(table(
  ['peer', 's / Lloyd iteration', 'peer / wasmeans', 'whole fit (s)', 'peer / wasmeans', 'iterations', 'Σ(1 − cos) at its centers'],
  Object.entries(rows).map(([name, r]) => [
    name, fmtSec(r.secPerIter), fmtRatio(r.secPerIter / w.secPerIter), fmtSec(r.fitSec), fmtRatio(r.fitSec / w.fitSec), r.nIter, r.inertia.toFixed(1),
  ]),
));
console.log('\nwhole fits: wasmeans KMeans({ metric: "cosine" }) with k-means++ and tol 1e-4 (\'auto\' algorithm); faiss Kmeans(spherical=True)'
  + ' with its defaults (random init, 25 iterations) on all rows; scikit-learn KMeans(n_init=1) on the normalised rows.');

// ---- 1 000 000 × 384, MiniBatchKMeans, k = 1000 ----
if (!args['skip-large']) {
  const N = quick ? 100_000 : 1_000_000, K = quick ? 100 : 1000;
  log(`generating ${N} × ${d} unit rows around ${K} directions`);
  const big = embeddings(N, d, K, 8, 0.05);
  const before = process.memoryUsage();
  const run = seconds(() => new MiniBatchKMeans({ nClusters: K, metric: 'cosine', batchSize: 4096, maxIter: 1, randomState: 0, onWarning: silent }).fit(big));
  const after = process.memoryUsage();
  const wasmBytes = getKernels().memory.buffer.byteLength;
  const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  console.log(`\n## MiniBatchKMeans, metric 'cosine', ${N} × ${d} float32 (${gib(big.data.byteLength)}), k = ${K}, batchSize 4096, one pass\n`);
  console.log(table(['', 'value'], [
    ['time (s)', fmtSec(run.sec)],
    ['steps', run.out.nSteps],
    ['wasm memory', `${gib(wasmBytes)} of wasm32's 4 GiB`],
    ['process resident set after the fit', gib(after.rss)],
    ['resident set taken by the fit', gib(after.rss - before.rss)],
    ['Σ(1 − cos) / n', (run.out.inertia / N).toFixed(4)],
  ]));
}
