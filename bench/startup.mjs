// The thread pool's start-up: the first fitAsync after the pool starts (a worker spawned, the threaded module
// instantiated in it) against the fits after it, five pools in turn. Usage: node bench/startup.mjs. Not part of the tests.
import { init, KMeans, shutdownThreads } from '../build/index.js';
import { makeBlobs } from './util.mjs';

await init();
const X = makeBlobs({ n: 100_000, d: 8, k: 16, seed: 1 });
const options = { nClusters: 16, randomState: 0, onWarning: () => {} };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const first = [];
const later = [];
for (let pool = 0; pool < 5; pool++) {
  for (let fit = 0; fit < 3; fit++) {
    const start = performance.now();
    await new KMeans(options).fitAsync(X, { threads: 2 });
    (fit === 0 ? first : later).push(performance.now() - start);
  }
  await shutdownThreads();
}
console.log(`fitAsync on 100000×8, k=16, 2 threads: the first fit of a pool ${median(first).toFixed(1)} ms, the next ones ${median(later).toFixed(1)} ms (medians over 5 pools)`);
