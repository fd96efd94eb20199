// The browser test's app, the same source for every variant (plain ESM with an import map, Vite, esbuild,
// rollup): fits the handbook's four blobs (with fit and fitAsync) and writes the adjusted Rand index into #result, with a scatter
// plot of the clusters for the screenshot. An error's message goes into #result with the class `error`.
import { init, KMeans, adjustedRandScore } from 'wasmeans';
import { makeBlobs } from 'wasmeans/datasets';
import { show } from './page.js';

const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

function scatter(X, labels) {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 320;
  document.body.append(canvas);
  const context = canvas.getContext('2d');
  const xs = X.data.filter((_, i) => i % 2 === 0);
  const ys = X.data.filter((_, i) => i % 2 === 1);
  const scale = (v, values) => 10 + ((v - Math.min(...values)) / (Math.max(...values) - Math.min(...values))) * 300;
  for (let i = 0; i < X.rows; i++) {
    context.fillStyle = colours[labels[i] % colours.length];
    context.fillRect(scale(xs[i], xs) - 2, 320 - scale(ys[i], ys) - 2, 4, 4);
  }
}


try {
  await init();
  const { X, y } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
  const labels = new KMeans({ nClusters: 4, randomState: 0 }).fitPredict(X);
  scatter(X, labels);
  // A page that is not crossOriginIsolated: fitAsync runs fit on this thread (its code is a chunk the bundlers must carry).
  const threaded = await new KMeans({ nClusters: 4, randomState: 0 }).fitAsync(X, { threads: 2 });
  const sameAsync = threaded.labels.every((label, i) => label === labels[i]);
  show(JSON.stringify({ ari: adjustedRandScore(y, labels), n: labels.length, centers: new Set(labels).size, sameAsync }));
} catch (error) {
  show(error instanceof Error ? `${error.name}: ${error.message}` : String(error), true);
}
