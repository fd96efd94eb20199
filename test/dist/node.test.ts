// Node, from the tarball: ESM import and CJS require of the installed package, each in a fresh process.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, inject, test } from 'vitest';

const consumerDir = inject('consumerDir');

/** Fits the handbook's four blobs and prints the adjusted Rand index against the true blobs. */
const body = `
await init();
const { X, y } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
const labels = new KMeans({ nClusters: 4, randomState: 0 }).fitPredict(X);
console.log(JSON.stringify({ ari: adjustedRandScore(y, labels), n: labels.length }));
`;

/** Runs `source` as `file` in the consumer project, in a fresh Node process; returns what it printed, parsed. */
function run(file: string, source: string, nodeFlags: string[] = []) {
  const dir = join(consumerDir, 'node');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, file), source);
  return JSON.parse(execFileSync(process.execPath, [...nodeFlags, join(dir, file)], { cwd: dir, encoding: 'utf8', timeout: 60_000 }));
}

test('ESM: import from wasmeans and wasmeans/datasets, init(), fit the handbook blobs', () => {
  const source = `import { init, KMeans, adjustedRandScore } from 'wasmeans';\nimport { makeBlobs } from 'wasmeans/datasets';\n${body}`;
  expect(run('esm.mjs', source)).toEqual({ ari: 1, n: 300 });
});

test('CJS: require wasmeans and wasmeans/datasets, init(), fit the handbook blobs', () => {
  const source = `const { init, KMeans, adjustedRandScore } = require('wasmeans');\nconst { makeBlobs } = require('wasmeans/datasets');\n(async () => {${body}})();`;
  expect(run('cjs.cjs', source)).toEqual({ ari: 1, n: 300 });
});

/** fitAsync with two threads from the tarball: the same labels, inertia and nIter as fit, and the process exits by itself. */
const threadedBody = `
await init();
const { X } = makeBlobs({ nSamples: 20000, nFeatures: 32, centers: 64, randomState: 0 });
const options = { nClusters: 64, randomState: 0 };
const sync = new KMeans(options).fit(X);
const threaded = await new KMeans(options).fitAsync(X, { threads: 2 });
const result = await kmeansAsync(X, 64, { randomState: 0, threads: 3 });
console.log(JSON.stringify({
  sameLabels: sync.labels.every((label, i) => label === threaded.labels[i] && label === result.labels[i]),
  sameInertia: sync.inertia === threaded.inertia && sync.inertia === result.inertia,
  sameNIter: sync.nIter === threaded.nIter && sync.nIter === result.nIter,
}));
`;
const same = { sameLabels: true, sameInertia: true, sameNIter: true };

test('ESM: fitAsync and kmeansAsync over worker threads give the synchronous fit, and the process exits', () => {
  const source = `import { init, KMeans, kmeansAsync } from 'wasmeans';\nimport { makeBlobs } from 'wasmeans/datasets';\n${threadedBody}`;
  expect(run('threads-esm.mjs', source)).toEqual(same);
});

test('CJS: fitAsync and kmeansAsync over worker threads give the synchronous fit, and the process exits', () => {
  const source = `const { init, KMeans, kmeansAsync } = require('wasmeans');\nconst { makeBlobs } = require('wasmeans/datasets');\n(async () => {${threadedBody}})();`;
  expect(run('threads-cjs.cjs', source)).toEqual(same);
});

test('without WebAssembly (node --noexpose_wasm), init() rejects with a WasmeansError, not a ReferenceError', () => {
  const source = `import { init, WasmeansError } from 'wasmeans';
try {
  await init();
  console.log(JSON.stringify({ resolved: true }));
} catch (error) {
  console.log(JSON.stringify({ isWasmeansError: error instanceof WasmeansError, code: error.code, message: error.message }));
}`;
  const out = run('no-wasm.mjs', source, ['--noexpose_wasm']);
  expect(out).toMatchObject({ isWasmeansError: true, code: 'UNSUPPORTED' });
  expect(out.message).toMatch(/WebAssembly is not available/);
});

test('wasmeans/spectral runs on the instance init() from wasmeans set up, in ESM and CJS', () => {
  const moons = `
await init();
const { X, y } = makeMoons({ nSamples: 200, noise: 0.05, randomState: 0 });
const labels = new SpectralClustering({ nClusters: 2, affinity: 'nearest_neighbors', randomState: 0, onWarning: () => {} }).fitPredict(X);
console.log(JSON.stringify({ ari: adjustedRandScore(y, labels), n: labels.length }));
`;
  const esm = `import { init, adjustedRandScore } from 'wasmeans';\nimport { SpectralClustering } from 'wasmeans/spectral';\nimport { makeMoons } from 'wasmeans/datasets';\n${moons}`;
  const cjs = `const { init, adjustedRandScore } = require('wasmeans');\nconst { SpectralClustering } = require('wasmeans/spectral');\nconst { makeMoons } = require('wasmeans/datasets');\n(async () => {${moons}})();`;
  expect(run('spectral.mjs', esm)).toEqual({ ari: 1, n: 200 });
  expect(run('spectral.cjs', cjs)).toEqual({ ari: 1, n: 200 });
});

test('the installed package: a LICENSE, no install script, names kept through minification', () => {
  const installed = join(consumerDir, 'node_modules/wasmeans');
  expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[script]).toBeUndefined();
  const names = `import { KMeans, MiniBatchKMeans, WasmeansError, kmeans } from 'wasmeans';
console.log(JSON.stringify([KMeans.name, MiniBatchKMeans.name, WasmeansError.name, kmeans.name]));`;
  expect(run('names.mjs', names)).toEqual(['KMeans', 'MiniBatchKMeans', 'WasmeansError', 'kmeans']);
});

test('an uncaught WasmeansError prints as one, with a short source line and its code', () => {
  const dir = join(consumerDir, 'node');
  writeFileSync(join(dir, 'uncaught.mjs'), `import { init, KMeans } from 'wasmeans';\nawait init();\nnew KMeans({ nClusters: 2 }).fit([[1, 2]]);\n`);
  const result = spawnSync(process.execPath, [join(dir, 'uncaught.mjs')], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/^WasmeansError: nSamples=1 should be >= nClusters=2$/m);
  expect(result.stderr).toMatch(/code: 'INVALID_INPUT'/);
  expect(result.stderr).not.toMatch(/\[WasmeansError\]/);
  // Node prints the throwing line of the package's source above the error: short, not kilobytes of one line.
  expect(Math.max(...result.stderr.split('\n').map((line) => line.length))).toBeLessThan(400);
});

test('wasmeans/manifold runs t-SNE on the instance init() from wasmeans set up, in ESM and CJS', () => {
  const body = `
await init();
const { X, y } = makeBlobs({ nSamples: 120, nFeatures: 5, centers: 3, randomState: 0 });
const embedded = new TSNE({ perplexity: 15, randomState: 0 }).fitTransform(X);
console.log(JSON.stringify({ rows: embedded.rows, cols: embedded.cols, trusted: trustworthiness(X, embedded) > 0.9 }));
`;
  const esm = `import { init } from 'wasmeans';\nimport { TSNE, trustworthiness } from 'wasmeans/manifold';\nimport { makeBlobs } from 'wasmeans/datasets';\n${body}`;
  const cjs = `const { init } = require('wasmeans');\nconst { TSNE, trustworthiness } = require('wasmeans/manifold');\nconst { makeBlobs } = require('wasmeans/datasets');\n(async () => {${body}})();`;
  expect(run('manifold.mjs', esm)).toEqual({ rows: 120, cols: 2, trusted: true });
  expect(run('manifold.cjs', cjs)).toEqual({ rows: 120, cols: 2, trusted: true });
});

/**
 * Bundles `source` for Node as an app would (esbuild, code splitting: lazy chunks apart) into node/<name>/ and
 * removes every output file that carries the graph module's inlined bytes, so that the app fails if it loads one.
 */
async function bundleWithoutGraph(name: string, source: string): Promise<{ entry: string; removed: number }> {
  const dir = join(consumerDir, 'node', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'app.mjs'), source);
  await build({ entryPoints: [join(dir, 'app.mjs')], outdir: join(dir, 'out'), bundle: true, splitting: true, format: 'esm', platform: 'node', logLevel: 'error' });
  const graphBase64 = /wasmGraphGzipBase64 = '([^']{64})/.exec(readFileSync(join(repoDir, 'src/generated/wasmGraphBase64.ts'), 'utf8'))![1];
  let removed = 0;
  for (const file of readdirSync(join(dir, 'out'))) {
    if (readFileSync(join(dir, 'out', file), 'utf8').includes(graphBase64)) {
      rmSync(join(dir, 'out', file));
      removed++;
    }
  }
  return { entry: join(dir, 'out', 'app.js'), removed };
}

const repoDir = inject('repoDir');

test("a bundled k-means app never loads the graph module's chunk: it runs with that chunk deleted", async () => {
  const { entry, removed } = await bundleWithoutGraph('kmeans-only', `import { init, KMeans } from 'wasmeans';\n${body.replace('makeBlobs(', 'blobs(').replace('adjustedRandScore(y, labels)', 'labels.filter((l) => l === labels[0]).length > 0')}
function blobs() { const X = []; const y = []; for (let i = 0; i < 300; i++) { X.push([(i % 4) * 10 + (i % 7) / 7, (i % 3) / 3]); y.push(i % 4); } return { X, y }; }
`);
  expect(removed).toBe(1);
  const out = JSON.parse(execFileSync(process.execPath, [entry], { encoding: 'utf8', timeout: 60_000 }));
  expect(out).toEqual({ ari: true, n: 300 });
});

test('code calling the graph kernels in a chunk loaded after init(): t-SNE works once init() has run again', async () => {
  const dir = join(consumerDir, 'node', 'late-graph');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'embed.mjs'), `export { TSNE } from 'wasmeans';\n`);
  const source = `
import { init, KMeans } from 'wasmeans';
await init();
const X = Array.from({ length: 40 }, (_, i) => [i % 5, (i * 7) % 11, i / 40]);
new KMeans({ nClusters: 3, randomState: 0 }).fit(X);
const { TSNE } = await import('./embed.mjs');
let before = 'ran';
try { new TSNE({ perplexity: 5, randomState: 0 }).fitTransform(X); } catch (error) { before = { code: error.code, message: error.message }; }
await init();
const after = new TSNE({ perplexity: 5, randomState: 0 }).fitTransform(X);
console.log(JSON.stringify({ before, rows: after.rows, finite: after.data.every(Number.isFinite) }));
`;
  writeFileSync(join(dir, 'app.mjs'), source);
  await build({ entryPoints: [join(dir, 'app.mjs')], outdir: join(dir, 'out'), bundle: true, splitting: true, format: 'esm', platform: 'node', logLevel: 'error' });
  const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'out', 'app.js')], { encoding: 'utf8', timeout: 60_000 }));
  // Whether the first init() already loaded the graph module is the bundler's chunking (esbuild hoists it here);
  // either way t-SNE runs or says what to do. test/runtime/graph.test.ts takes the refusal's path for certain.
  if (out.before !== 'ran') expect(out.before).toEqual({ code: 'NOT_INITIALIZED', message: expect.stringMatching(/call and await init\(\) again/) });
  expect(out).toMatchObject({ rows: 40, finite: true });
});
