// Example 1: k-means on digits (In [11]–[16]): ten clusters in 64 dimensions, the centers seen as 8 × 8 images,
// the clusters relabelled by their most common digit (scipy's mode), the accuracy and the confusion matrix.
import { accuracyScore, confusionMatrix, getRow, init, KMeans, matchLabels, reshape, toArrays } from 'wasmeans';
import { loadDigits } from 'wasmeans/datasets';

await init();
const digits = loadDigits();
console.log(`digits.data.shape: (${digits.data.rows}, ${digits.data.cols})`);

// nInit: 10 is scikit-learn 1.2.1's default, which the book's numbers come from (wasmeans defaults to 'auto').
const kmeans = new KMeans({ nClusters: 10, randomState: 0, nInit: 10 });
const clusters = kmeans.fitPredict(digits.data);
console.log(`kmeans.cluster_centers_.shape: (${kmeans.clusterCenters.rows}, ${kmeans.clusterCenters.cols})`);

// centers = kmeans.cluster_centers_.reshape(10, 8, 8): each center drawn in five shades of its 0..16 ink (a
// center may hold -1e-15 where the data were centred and shifted back, hence the clamp at 0).
const shades = ' .:*#';
const images = Array.from({ length: 10 }, (_, j) => toArrays(reshape(getRow(kmeans.clusterCenters, j), 8, 8)));
console.log('the cluster centers as 8 × 8 images:');
for (let r = 0; r < 8; r++) {
  console.log('  ' + images.map((image) => image[r].map((v) => shades[Math.max(0, Math.min(4, Math.floor(v / 3.4)))]).join('')).join('  '));
}

// labels[mask] = mode(digits.target[mask])[0] for every cluster
const labels = matchLabels(clusters, digits.target);
console.log(`accuracy_score(digits.target, labels): ${accuracyScore(digits.target, labels).toFixed(4)}`);

const mat = confusionMatrix(digits.target, labels);
console.log('confusion_matrix(digits.target, labels) (rows: true label, columns: predicted):');
for (const [digit, row] of mat.arrays.entries()) console.log(`  ${digit}: ${row.map((v) => String(v).padStart(4)).join('')}`);
