// Fingerprints of what the package computes: every estimator, algorithm, init and thread count on float32,
// float64 and number[][] input, hashed bit for bit (labels, centers, inertia, embeddings, scores). A change that
// should not change results (a refactoring, a new layout) must leave every fingerprint as it was:
//   node scripts/fingerprint.mjs --check scripts/fingerprints.json     (exit 1 on any difference)
//   node scripts/fingerprint.mjs --write scripts/fingerprints.json     (record them anew)
// It runs on the built package (npm run build first).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as core from '../build/index.js';
import * as datasets from '../build/datasets.js';
import * as spectral from '../build/spectral.js';

const { init, KMeans, MiniBatchKMeans, kmeans, kmeansAsync, kmeansPlusPlus, quantize, kneighborsGraph, shutdownThreads } = core;
const { makeBlobs, makeMoons, makeCircles, loadDigits } = datasets;
const { SpectralClustering, spectralEmbedding } = spectral;

const [mode, file] = process.argv.slice(2);
if (!['--check', '--write'].includes(mode) || !file) {
  console.error('usage: node scripts/fingerprint.mjs --check|--write FILE');
  process.exit(2);
}

await init();
const quiet = { onWarning: () => {} };

/** The bytes of every value, in order: typed arrays as they are, numbers as float64, objects key by key. */
function feed(hash, value) {
  if (ArrayBuffer.isView(value)) {
    hash.update(value.constructor.name);
    hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  } else if (typeof value === 'number') {
    hash.update(new Uint8Array(Float64Array.of(value).buffer));
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    hash.update(String(value));
  } else if (Array.isArray(value)) {
    value.forEach((v) => feed(hash, v));
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value).sort()) {
      hash.update(key);
      feed(hash, value[key]);
    }
  } else {
    hash.update(String(value));
  }
}

const results = {};
/** Records a case: its hash, and a few readable numbers beside it. */
function record(name, value, summary = {}) {
  const hash = createHash('sha256');
  feed(hash, value);
  results[name] = { hash: hash.digest('hex').slice(0, 32), ...summary };
}

const fitted = (m) => ({ centers: m.clusterCenters, labels: m.labels, inertia: m.inertia, nIter: m.nIter });
const asF64 = (X) => ({ data: Float64Array.from(X.data), rows: X.rows, cols: X.cols });
const asF32 = (X) => ({ data: Float32Array.from(X.data), rows: X.rows, cols: X.cols });
const asRows = (X) => Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));

// Three Lloyd chunks (at least 1024 rows each), k·d past 'auto''s Hamerly threshold.
const blobs = makeBlobs({ nSamples: 3000, nFeatures: 16, centers: 20, clusterStd: 2, randomState: 3 }).X;
const inputs = { f64: asF64(blobs), f32: asF32(blobs), rows: asRows(blobs) };
const weights = Float64Array.from({ length: blobs.rows }, (_, i) => 0.5 + (i % 7) / 3);

for (const [kind, X] of Object.entries(inputs)) {
  for (const algorithm of ['lloyd', 'elkan', 'hamerly', 'yinyang', 'auto']) {
    for (const initMethod of ['k-means++', 'k-means||', 'random']) {
      const m = new KMeans({ nClusters: 20, algorithm, init: initMethod, nInit: initMethod === 'random' ? 3 : 1, randomState: 7, ...quiet }).fit(X);
      record(`KMeans ${kind} ${algorithm} ${initMethod}`, fitted(m), { inertia: m.inertia, nIter: m.nIter });
    }
    const w = new KMeans({ nClusters: 20, algorithm, tol: 0, maxIter: 40, randomState: 1, ...quiet }).fit(X, { sampleWeight: weights });
    record(`KMeans ${kind} ${algorithm} weighted tol=0`, fitted(w), { inertia: w.inertia, nIter: w.nIter });
  }
  const explicit = { data: inputs.f64.data.slice(0, 20 * 16), rows: 20, cols: 16 };
  const e = new KMeans({ nClusters: 20, init: explicit, ...quiet }).fit(X);
  record(`KMeans ${kind} explicit init`, fitted(e), { inertia: e.inertia, nIter: e.nIter });
  const s = new KMeans({ nClusters: 20, initSampleSize: 500, randomState: 2, ...quiet }).fit(X);
  record(`KMeans ${kind} initSampleSize`, fitted(s), { inertia: s.inertia });
  record(`KMeans ${kind} predict/transform/score`, {
    predict: e.predict(inputs.f32), transform: e.transform(X), score: e.score(X, { sampleWeight: weights }),
  });
  record(`kmeans() ${kind}`, kmeans(X, 5, { randomState: 0, ...quiet }));
  record(`kmeansPlusPlus ${kind}`, kmeansPlusPlus(X, 12, { randomState: 4, sampleWeight: weights }));
}

// Threads: fits of 8192 rows or more share their E-steps; every count must give fit's result.
const large = makeBlobs({ nSamples: 20000, nFeatures: 8, centers: 16, randomState: 5 }).X;
const largeF32 = asF32(large);
for (const algorithm of ['lloyd', 'hamerly']) {
  for (const threads of [1, 2, 3]) {
    const m = await new KMeans({ nClusters: 16, algorithm, randomState: 0, ...quiet }).fitAsync(largeF32, { threads });
    record(`KMeans.fitAsync ${algorithm} threads=${threads}`, fitted(m), { inertia: m.inertia, nIter: m.nIter });
  }
  const sync = new KMeans({ nClusters: 16, algorithm, randomState: 0, ...quiet }).fit(largeF32);
  record(`KMeans.fit ${algorithm} 20000×8×16`, fitted(sync), { inertia: sync.inertia, nIter: sync.nIter });
}
record('kmeansAsync threads=2', await kmeansAsync(largeF32, 8, { randomState: 3, threads: 2, ...quiet }));
await shutdownThreads();

// MiniBatchKMeans: inits, weights, nInit, and a partialFit stream.
for (const [kind, X] of Object.entries(inputs)) {
  for (const initMethod of ['k-means++', 'random']) {
    const m = new MiniBatchKMeans({ nClusters: 20, init: initMethod, batchSize: 256, randomState: 0, ...quiet }).fit(X);
    record(`MiniBatchKMeans ${kind} ${initMethod}`, { ...fitted(m), nSteps: m.nSteps }, { inertia: m.inertia, nSteps: m.nSteps });
  }
  const w = new MiniBatchKMeans({ nClusters: 20, batchSize: 512, nInit: 3, tol: 1e-3, randomState: 1, ...quiet }).fit(X, { sampleWeight: weights });
  record(`MiniBatchKMeans ${kind} weighted nInit=3 tol`, { ...fitted(w), nSteps: w.nSteps }, { inertia: w.inertia });
  const stream = new MiniBatchKMeans({ nClusters: 20, randomState: 2, ...quiet });
  for (let start = 0; start < 3000; start += 600) {
    stream.partialFit({ data: inputs.f64.data.subarray(start * 16, (start + 600) * 16), rows: 600, cols: 16 });
  }
  record(`MiniBatchKMeans ${kind} partialFit`, { ...fitted(stream), predict: stream.predict(X) });
}

// Colour quantization on a synthetic gradient image, RGB and RGBA.
const width = 64;
const height = 48;
const rgba = new Uint8ClampedArray(width * height * 4);
for (let p = 0; p < width * height; p++) {
  rgba.set([(p * 7) % 256, (p * 13) % 251, Math.floor(p / width) * 5, 255 - (p % 256)], p * 4);
}
record('quantize RGBA minibatch', quantize({ data: rgba, width, height }, { nColors: 8, randomState: 0 }));
const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
record('quantize RGB kmeans', quantize(rgb, { width, height, channels: 3, nColors: 8, method: 'kmeans', randomState: 0 }));

// The nearest-neighbour graph: brute force and grid, both modes.
const moons = makeMoons({ nSamples: 3000, noise: 0.05, randomState: 0 }).X;
for (const [kind, X] of [['grid', moons], ['brute', blobs]]) {
  for (const mode of ['connectivity', 'distance']) {
    record(`kneighborsGraph ${kind} ${mode}`, kneighborsGraph(X, 7, { mode, includeSelf: mode === 'distance' }));
  }
}

// Spectral clustering: every affinity and label assignment; a disconnected and a connected (amg solver) graph.
const smallMoons = makeMoons({ nSamples: 400, noise: 0.05, randomState: 1 }).X;
for (const assignLabels of ['kmeans', 'discretize', 'cluster_qr']) {
  const m = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', assignLabels, randomState: 0, ...quiet }).fit(smallMoons);
  record(`SpectralClustering nearest_neighbors ${assignLabels}`, { labels: m.labels, affinity: m.affinityMatrix });
}
const circles = makeCircles({ nSamples: 150, noise: 0.05, factor: 0.5, randomState: 0 }).X;
const rbf = new SpectralClustering({ nClusters: 2, affinity: 'rbf', gamma: 5, randomState: 0, ...quiet }).fit(circles);
record('SpectralClustering rbf', { labels: rbf.labels });
record('SpectralClustering precomputed', new SpectralClustering({ nClusters: 2, affinity: 'precomputed', randomState: 0, ...quiet }).fit(rbf.affinityMatrix).labels);
const distances = kneighborsGraph(smallMoons, 12, { mode: 'distance' });
record('SpectralClustering precomputed_nearest_neighbors',
  new SpectralClustering({ nClusters: 2, affinity: 'precomputed_nearest_neighbors', randomState: 0, ...quiet }).fit(distances).labels);
const noisyMoons = makeMoons({ nSamples: 3000, noise: 0.1, randomState: 0 }).X;
const connected = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', randomState: 0, ...quiet }).fit(noisyMoons);
record('SpectralClustering connected 3000 (amg)', { labels: connected.labels });
const graph = kneighborsGraph(noisyMoons, 10, { includeSelf: true });
const small = kneighborsGraph({ data: noisyMoons.data.subarray(0, 300 * 2), rows: 300, cols: 2 }, 10);
for (const eigenSolver of ['dense', 'amg']) {
  record(`spectralEmbedding ${eigenSolver} 300`, spectralEmbedding(small, { nComponents: 3, eigenSolver, randomState: 0, ...quiet }));
}
record('spectralEmbedding amg 3000', spectralEmbedding(graph, { nComponents: 4, randomState: 1, ...quiet }));

// Metrics, on the digits and a KMeans fit of them.
const digits = loadDigits();
const digitsFit = new KMeans({ nClusters: 10, nInit: 10, randomState: 0, ...quiet }).fit(digits.data);
record('KMeans digits nInit=10', fitted(digitsFit), { inertia: digitsFit.inertia });
const labels = digitsFit.labels;
record('metrics', {
  silhouette: core.silhouetteScore(digits.data, labels),
  silhouetteSampled: core.silhouetteScore(digits.data, labels, { sampleSize: 300, randomState: 0 }),
  samples: core.silhouetteSamples(digits.data, labels),
  ch: core.calinskiHarabaszScore(digits.data, labels),
  db: core.daviesBouldinScore(digits.data, labels),
  ari: core.adjustedRandScore(digits.target, labels),
  nmi: core.normalizedMutualInfoScore(digits.target, labels),
  ami: core.adjustedMutualInfoScore(digits.target, labels),
  hcv: core.homogeneityCompletenessVMeasure(digits.target, labels),
  // The counts as computed (data, rows, cols, labels); `arrays` is the same counts as nested rows.
  confusion: (({ arrays, ...counts }) => counts)(core.confusionMatrix(digits.target, core.matchLabels(labels, digits.target))),
  accuracy: core.accuracyScore(digits.target, core.matchLabels(labels, digits.target)),
  hungarian: core.matchLabels(labels, digits.target, { method: 'hungarian' }),
  argmin: core.pairwiseDistancesArgmin(digits.data, digitsFit.clusterCenters),
});

const names = Object.keys(results);
if (mode === '--write') {
  writeFileSync(file, `${JSON.stringify(results, null, 1)}\n`);
  console.log(`${names.length} fingerprints written to ${file}`);
} else {
  const expected = JSON.parse(readFileSync(file, 'utf8'));
  const differ = names.filter((name) => expected[name]?.hash !== results[name].hash);
  const missing = Object.keys(expected).filter((name) => !(name in results));
  for (const name of differ) console.log(`DIFFERS  ${name}: ${JSON.stringify(expected[name])} → ${JSON.stringify(results[name])}`);
  for (const name of missing) console.log(`MISSING  ${name}`);
  console.log(`${names.length - differ.length} of ${names.length} fingerprints as recorded${missing.length ? `, ${missing.length} missing` : ''}`);
  process.exitCode = differ.length + missing.length > 0 ? 1 : 0;
}
