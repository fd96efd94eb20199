// Example 1, pushed further (In [17]): t-SNE projects the digits to two dimensions, k-means clusters the
// projection, and the mode-relabelled clusters agree with the digits far more often.
import { accuracyScore, init, KMeans, matchLabels, TSNE } from 'wasmeans';
import { loadDigits } from 'wasmeans/datasets';

await init();
const digits = loadDigits();

// Project the data: this step will take several seconds
const start = performance.now();
const tsne = new TSNE({ nComponents: 2, init: 'random', randomState: 0 });
const digitsProj = tsne.fitTransform(digits.data);
console.log(`TSNE(n_components=2, init='random', random_state=0): ${digitsProj.rows} × ${digitsProj.cols} in ${((performance.now() - start) / 1000).toFixed(1)} s, KL divergence ${tsne.klDivergence.toFixed(3)}`);

// Compute the clusters (nInit: 10, scikit-learn 1.2.1's default)
const clusters = new KMeans({ nClusters: 10, randomState: 0, nInit: 10 }).fitPredict(digitsProj);
// Permute the labels
const labels = matchLabels(clusters, digits.target);
// Compute the accuracy
console.log(`accuracy_score(digits.target, labels): ${accuracyScore(digits.target, labels).toFixed(4)}`);
