// The number of clusters must be selected beforehand (In [7]): KMeans(6, random_state=0) happily finds six
// clusters; silhouette analysis, which the book names, prefers the four that are there.
import { init, KMeans, silhouetteScore } from 'wasmeans';
import { makeBlobs } from 'wasmeans/datasets';

await init();
const { X } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });

const labels = new KMeans({ nClusters: 6, randomState: 0 }).fitPredict(X);
const sizes = Array.from({ length: 6 }, (_, j) => labels.filter((label) => label === j).length);
console.log(`KMeans(6, random_state=0).fit_predict(X): ${new Set(labels).size} clusters of sizes [${sizes.join(', ')}]`);

console.log('silhouette score by k:');
let best = { k: 0, score: -Infinity };
for (let k = 2; k <= 8; k++) {
  const score = silhouetteScore(X, new KMeans({ nClusters: k, randomState: 0 }).fitPredict(X));
  console.log(`  k=${k}: ${score.toFixed(4)}`);
  if (score > best.score) best = { k, score };
}
console.log(`best k by silhouette: ${best.k}`);
