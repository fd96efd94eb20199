// Introducing k-means (In [2]–[4]): four blobs, KMeans(n_clusters=4), the predicted labels and the centers.
import { adjustedRandScore, init, KMeans, toArrays } from 'wasmeans';
import { makeBlobs } from 'wasmeans/datasets';

await init();
// X, y_true = make_blobs(n_samples=300, centers=4, cluster_std=0.60, random_state=0): the same points as numpy's.
const { X, y: yTrue } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
console.log(`X: ${X.rows} × ${X.cols}`);

const kmeans = new KMeans(4); // a number is nClusters, as KMeans(4) in scikit-learn
kmeans.fit(X);
const yKmeans = kmeans.predict(X);

// The centers in cluster order (unseeded, as the book: the order may change from run to run, the centers do not).
console.log('centers = kmeans.cluster_centers_:');
for (const [j, center] of toArrays(kmeans.clusterCenters).entries()) {
  const size = yKmeans.filter((label) => label === j).length;
  console.log(`  [${center.map((v) => v.toFixed(3).padStart(7)).join(', ')}]  ${size} points`);
}
// "very similarly to how we might assign them by eye": the labels agree with the true blobs up to renaming.
console.log(`adjusted Rand index against y_true: ${adjustedRandScore(yTrue, yKmeans)}`);
