// `npm start`: the handbook's first k-means example on its blobs, then a larger fit, with timings.
import { makeBlobs } from '../build/datasets.js';
import { init, KMeans } from '../build/index.js';

const seconds = (start) => ((performance.now() - start) / 1000).toFixed(4);

let start = performance.now();
await init();
console.log(`init(): ${seconds(start)} s`);

// make_blobs(n_samples=300, centers=4, cluster_std=0.60, random_state=0): the book's data, draw for draw.
const { X } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
start = performance.now();
const model = new KMeans({ nClusters: 4, randomState: 0 }).fit(X);
console.log(`\nKMeans(nClusters: 4) on 300 × 2 blobs: ${seconds(start)} s, ${model.nIter} iterations, inertia ${model.inertia.toFixed(3)}`);
console.log('cluster centers:');
for (let j = 0; j < 4; j++) {
  const center = Array.from(model.clusterCenters.data.subarray(j * 2, j * 2 + 2), (v) => v.toFixed(3).padStart(8));
  const size = model.labels.filter((label) => label === j).length;
  console.log(`  ${j}: [${center.join(', ')}]  ${size} points`);
}

const { X: big } = makeBlobs({ nSamples: 100_000, nFeatures: 16, centers: 64, randomState: 1 });
start = performance.now();
const large = new KMeans({ nClusters: 64, randomState: 0 }).fit(big);
const elapsed = (performance.now() - start) / 1000;
console.log(
  `\nKMeans(nClusters: 64) on 100 000 × 16: ${elapsed.toFixed(3)} s including k-means++ seeding, ` +
    `${large.nIter} iterations, inertia ${large.inertia.toExponential(4)}`,
);
