// k-Means Algorithm: Expectation–Maximization (In [5]–[6]): the book's own find_clusters, line for line, with
// numpy's RandomState draws, so that rseed=2 finds the four blobs and rseed=0 a poor local optimum, as in the book.
import { adjustedRandScore, getRow, init, pairwiseDistancesArgmin, RandomState, takeRows, toArrays, toMatrix } from 'wasmeans';
import { makeBlobs } from 'wasmeans/datasets';

await init();
const { X, y: yTrue } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });

function findClusters(X, nClusters, rseed = 2) {
  // 1. Randomly choose clusters
  const rng = new RandomState(rseed);
  const i = rng.permutation(X.rows).subarray(0, nClusters);
  let centers = takeRows(X, i);
  for (;;) {
    // 2a. Assign labels based on closest center
    const labels = pairwiseDistancesArgmin(X, centers);
    // 2b. Find new centers from means of points
    const sums = Array.from({ length: nClusters }, () => new Array(X.cols).fill(0));
    const counts = new Array(nClusters).fill(0);
    labels.forEach((label, row) => {
      counts[label]++;
      getRow(X, row).forEach((v, t) => (sums[label][t] += v));
    });
    const newCenters = toMatrix(sums.map((sum, j) => sum.map((v) => v / counts[j])));
    // 2c. Check for convergence
    if (newCenters.data.every((v, k) => v === centers.data[k])) return { centers, labels };
    centers = newCenters;
  }
}

for (const rseed of [2, 0]) {
  const { centers, labels } = findClusters(X, 4, rseed);
  const starts = Array.from(new RandomState(rseed).permutation(X.rows).subarray(0, 4));
  console.log(`find_clusters(X, 4, rseed=${rseed}): starts at rows [${starts.join(', ')}]`);
  for (const center of toArrays(centers)) console.log(`  center [${center.map((v) => v.toFixed(3).padStart(7)).join(', ')}]`);
  console.log(`  adjusted Rand index against y_true: ${adjustedRandScore(yTrue, labels).toFixed(4)}`);
}
