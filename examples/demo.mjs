// `npm start`: the handbook's first k-means example on blobs, then a larger fit, with timings.
import { init, KMeans } from '../build/index.js';

/** Seeded Gaussian blobs (mulberry32 + Box–Muller): k centers uniform in [-10, 10]², n points split evenly. */
function makeBlobs(nSamples, nFeatures, centers, clusterStd, seed) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const middles = Array.from({ length: centers }, () => Array.from({ length: nFeatures }, () => uniform() * 20 - 10));
  const data = new Float32Array(nSamples * nFeatures);
  for (let i = 0; i < nSamples; i++) {
    for (let t = 0; t < nFeatures; t++) data[i * nFeatures + t] = middles[i % centers][t] + clusterStd * normal();
  }
  return { data, rows: nSamples, cols: nFeatures };
}

const seconds = (start) => ((performance.now() - start) / 1000).toFixed(4);

let start = performance.now();
await init();
console.log(`init(): ${seconds(start)} s`);

const X = makeBlobs(300, 2, 4, 0.6, 0);
start = performance.now();
const model = new KMeans({ nClusters: 4, randomState: 0 }).fit(X);
console.log(`\nKMeans(nClusters: 4) on 300 × 2 blobs: ${seconds(start)} s, ${model.nIter} iterations, inertia ${model.inertia.toFixed(3)}`);
console.log('cluster centers:');
for (let j = 0; j < 4; j++) {
  const center = Array.from(model.clusterCenters.data.subarray(j * 2, j * 2 + 2), (v) => v.toFixed(3).padStart(8));
  const size = model.labels.filter((label) => label === j).length;
  console.log(`  ${j}: [${center.join(', ')}]  ${size} points`);
}

const big = makeBlobs(100_000, 16, 64, 1, 1);
start = performance.now();
const large = new KMeans({ nClusters: 64, randomState: 0 }).fit(big);
const elapsed = (performance.now() - start) / 1000;
console.log(
  `\nKMeans(nClusters: 64) on 100 000 × 16: ${elapsed.toFixed(3)} s including k-means++ seeding, ` +
    `${large.nIter} iterations, inertia ${large.inertia.toExponential(4)}`,
);
