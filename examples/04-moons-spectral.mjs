// k-means is limited to linear cluster boundaries (In [8]–[10]): on make_moons KMeans(2) cuts straight across,
// SpectralClustering on the nearest-neighbour graph follows the moons.
import { adjustedRandScore, init, KMeans, SpectralClustering } from 'wasmeans';
import { makeMoons } from 'wasmeans/datasets';

await init();
// X, y = make_moons(200, noise=.05, random_state=0)
const { X, y } = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });

const kmeansLabels = new KMeans({ nClusters: 2, randomState: 0 }).fitPredict(X);
console.log(`KMeans(2, random_state=0): adjusted Rand index ${adjustedRandScore(y, kmeansLabels).toFixed(4)}`);

// The graph of 10 nearest neighbours is not fully connected here; scikit-learn warns too, and so does wasmeans
// (through onWarning): silenced, since the book's result does not depend on it.
const model = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels: 'kmeans', onWarning: () => {} });
const labels = model.fitPredict(X);
console.log(`SpectralClustering(n_clusters=2, affinity='nearest_neighbors', assign_labels='kmeans'): adjusted Rand index ${adjustedRandScore(y, labels).toFixed(4)}`);
