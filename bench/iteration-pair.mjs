// Lloyd iterations of one build against another, for changes that touch the E-step's merge: 100 000 × 64 uniform
// float32 rows, k = 256 (the case where per-chunk merging costs most: 98 chunks of k·d sums an iteration), 10
// iterations from the first k rows, tol 0; a warm-up, then the median of 5 fits. Usage: node bench/iteration-pair.mjs
// CHECKOUT_DIR (a checkout with build/ made); run it alternately for the two checkouts and compare medians.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const { init, kmeans } = await import(pathToFileURL(resolve(process.argv[2] ?? '.', 'build/index.js')).href);
await init();
const n = 100_000, d = 64, k = 256;
let state = 1;
const rand = () => (state = (state * 1103515245 + 12345) >>> 0) / 4294967296;
const data = Float32Array.from({ length: n * d }, () => rand() * 10);
const X = { data, rows: n, cols: d };
const initial = { data: Float64Array.from(data.subarray(0, k * d)), rows: k, cols: d };
const run = () => {
  const t = performance.now();
  kmeans(X, k, { init: initial, maxIter: 10, tol: 0, algorithm: 'lloyd', onWarning() {} });
  return (performance.now() - t) / 10;
};
run();
const times = Array.from({ length: 5 }, run).sort((a, b) => a - b);
console.log(`${process.argv[2] ?? '.'}: ${times[2].toFixed(1)} ms per iteration (median of 5; ${times.map((t) => t.toFixed(1)).join(', ')})`);
