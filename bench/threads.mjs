// fitAsync over worker threads against fit: one Lloyd fit (the first k rows as initial centers, 20 iterations,
// tolerance 0) per case, median of several runs, with 1, 2, 3 threads; then Lloyd's time per iteration alone at 1
// and 2 threads on the first case; then whole fits (k-means++, 'auto') of PEERS.md's blobs-1m-8-16 at 1 and 2
// threads. Usage: node bench/threads.mjs [runs].
// Not part of the tests; needs `npm run build`. The results are checked bitwise equal to fit's.
import { availableParallelism } from 'node:os';
import { makeBlobs } from '../build/datasets.js';
import { init, KMeans, shutdownThreads } from '../build/index.js';
import { peerCases } from './cases.mjs';

const RUNS = Number(process.argv[2] ?? 7);
const CASES = [
  { n: 1_000_000, d: 8, k: 16 },
  { n: 100_000, d: 64, k: 256 },
];

await init();
const toFloat32 = ({ data, rows, cols }) => ({ data: Float32Array.from(data), rows, cols });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Other load only ever slows a run down: the fastest run shows what the code can do, the median what one gets.
const best = (xs) => Math.min(...xs);
console.log(`${availableParallelism()} cores available; median and best of ${RUNS} runs per cell`);
for (const { n, d, k } of CASES) {
  // float32, as PEERS.md's cases are.
  const X = toFloat32(makeBlobs({ nSamples: n, nFeatures: d, centers: k, clusterStd: 3, randomState: 0 }).X);
  const initCenters = Array.from({ length: k }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d)));
  const options = { nClusters: k, init: initCenters, maxIter: 20, tol: 0, onWarning: () => {} };
  const reference = new KMeans(options).fit(X);
  const times = { sync: [] };
  const threadCounts = [1, 2, 3];
  for (const t of threadCounts) times[t] = [];
  // Interleaved, so that a noisy neighbour hurts every column alike.
  for (let run = 0; run < RUNS; run++) {
    let start = performance.now();
    new KMeans(options).fit(X);
    times.sync.push(performance.now() - start);
    for (const threads of threadCounts) {
      start = performance.now();
      const model = await new KMeans(options).fitAsync(X, { threads });
      times[threads].push(performance.now() - start);
      const same = model.inertia === reference.inertia && model.nIter === reference.nIter && model.labels.every((l, i) => l === reference.labels[i]);
      if (!same) throw new Error(`threads ${threads}: not the synchronous fit`);
    }
  }
  for (const [label, stat] of [['median', median], ['best', best]]) {
    const sync = stat(times.sync);
    const cells = threadCounts.map((t) => `${t} thread${t > 1 ? 's' : ''} ${stat(times[t]).toFixed(0)} ms (×${(sync / stat(times[t])).toFixed(2)})`);
    console.log(`${n}×${d}, k=${k}, nIter ${reference.nIter}, ${label}: fit ${sync.toFixed(0)} ms; fitAsync ${cells.join(', ')}`);
  }
}

// Per Lloyd iteration, without the one-thread copy of X into wasm memory: the difference of a 30- and a
// 10-iteration fit, divided by 20, 1 and 2 threads, interleaved.
{
  const { n, d, k } = CASES[0];
  // float32, as PEERS.md's cases are.
  const X = toFloat32(makeBlobs({ nSamples: n, nFeatures: d, centers: k, clusterStd: 3, randomState: 0 }).X);
  const initCenters = Array.from({ length: k }, (_, i) => Array.from(X.data.subarray(i * d, (i + 1) * d)));
  const fitTime = async (threads, maxIter) => {
    const options = { nClusters: k, init: initCenters, maxIter, tol: 0, algorithm: 'lloyd', onWarning: () => {} };
    const start = performance.now();
    await new KMeans(options).fitAsync(X, { threads });
    return performance.now() - start;
  };
  const perIteration = { 1: [], 2: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const threads of [1, 2]) perIteration[threads].push(((await fitTime(threads, 30)) - (await fitTime(threads, 10))) / 20);
  }
  const [one, two] = [median(perIteration[1]), median(perIteration[2])];
  console.log(`${n}×${d}, k=${k}, per Lloyd iteration (median of ${RUNS}): 1 thread ${one.toFixed(2)} ms, 2 threads ${two.toFixed(2)} ms (×${(one / two).toFixed(2)})`);
}
// Whole fits as a user runs them on the PEERS.md case blobs-1m-8-16: k-means++ (randomState 0), 'auto', tol 1e-4,
// to convergence; the ingest, the seeding, the E-steps, the final labelling and the inertia all count. 1 and 2
// threads interleaved; checked bitwise equal to fit's.
{
  const [blobsCase] = peerCases().filter((c) => c.name === 'blobs-1m-8-16');
  const X = blobsCase.data();
  const options = { nClusters: blobsCase.k, randomState: 0, onWarning: () => {} };
  const reference = new KMeans(options).fit(X);
  const whole = { 1: [], 2: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const threads of [1, 2]) {
      const start = performance.now();
      const model = await new KMeans(options).fitAsync(X, { threads });
      whole[threads].push(performance.now() - start);
      if (model.inertia !== reference.inertia || !model.labels.every((l, i) => l === reference.labels[i])) throw new Error(`threads ${threads}: not the synchronous fit`);
    }
  }
  for (const [label, stat] of [['median', median], ['best', best]]) {
    const [one, two] = [stat(whole[1]), stat(whole[2])];
    console.log(`blobs-1m-8-16 whole fit (k-means++, 'auto', ${reference.nIter} iterations), ${label} of ${RUNS}: 1 thread ${one.toFixed(0)} ms, 2 threads ${two.toFixed(0)} ms (×${(one / two).toFixed(2)})`);
  }
}
await shutdownThreads();
