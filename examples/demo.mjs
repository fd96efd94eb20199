// `npm start`: the handbook's first k-means example on its blobs, a larger fit, and its spectral clustering of
// the moons at 100 times the book's size, with timings.
import { makeBlobs, makeMoons } from '../build/datasets.js';
import { adjustedRandScore, init, KMeans } from '../build/index.js';
import { SpectralClustering } from '../build/spectral.js';

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

// The chapter's answer to non-linear boundaries, on 20 000 moons instead of 200.
const moons = makeMoons({ nSamples: 20_000, noise: 0.05, randomState: 0 });
start = performance.now();
const spectral = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels: 'kmeans', randomState: 0, onWarning: () => {} });
const moonLabels = spectral.fitPredict(moons.X);
console.log(
  `\nSpectralClustering(nClusters: 2, affinity: 'nearest_neighbors') on 20 000 moons: ${seconds(start)} s, ` +
    `adjusted Rand index ${adjustedRandScore(moons.y, moonLabels)} against the true moons`,
);
