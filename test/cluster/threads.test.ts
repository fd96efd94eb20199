// The threaded fit (Node worker_threads over a shared WebAssembly.Memory): bitwise the synchronous fit.
import { execFile, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, kmeans, kmeansAsync, shutdownThreads, WasmeansError } from '../../src/index';
import { makeBlobs } from '../../src/datasets';
import { bundleForNode } from '../reference';

const silent = { onWarning: () => {} };
// k × d = 2048: chunks of 1024 rows, so 12 000 rows make 12 chunks to share.
const { X } = makeBlobs({ nSamples: 12_000, nFeatures: 64, centers: 32, clusterStd: 4, randomState: 3 });
const sampleWeight = Array.from({ length: X.rows }, (_, i) => 1 + (i % 3));

beforeAll(() => init());
afterAll(() => shutdownThreads());

function expectSameModel(a: KMeans, b: KMeans): void {
  expect(b.labels).toEqual(a.labels);
  // Bitwise: the same float64 values, -0 and NaN included.
  expect(new Uint8Array(b.clusterCenters.data.buffer)).toEqual(new Uint8Array(a.clusterCenters.data.buffer));
  expect(b.inertia).toBe(a.inertia);
  expect(b.nIter).toBe(a.nIter);
}

describe('fitAsync is fit, whatever the thread count', () => {
  // The threads share the k-means++ seeding's passes, Lloyd's E-steps and the bounded ones (Hamerly, Elkan, Yinyang).
  const options = { nClusters: 32, randomState: 0, tol: 1e-6, maxIter: 60, algorithm: 'lloyd' as const, ...silent };
  let sync: KMeans;
  beforeAll(() => {
    sync = new KMeans(options).fit(X, { sampleWeight });
  });

  test.each([1, 2, 3])('threads: %i', async (threads) => {
    expectSameModel(sync, await new KMeans(options).fitAsync(X, { sampleWeight, threads }));
  });

  test.each([
    ['hamerly', 2], ['hamerly', 3], ['elkan', 2], ['yinyang', 3],
  ] as const)('%s, threads: %i', async (algorithm, threads) => {
    const bounded = { ...options, algorithm };
    const expected = new KMeans(bounded).fit(X, { sampleWeight });
    // The bounded algorithms' result is Lloyd's, so the Lloyd fit is a second reference.
    expectSameModel(sync, expected);
    expectSameModel(expected, await new KMeans(bounded).fitAsync(X, { sampleWeight, threads }));
  });

  test('the default thread count, and nInit runs from random init', async () => {
    const random = { ...options, init: 'random' as const, nInit: 3 };
    expectSameModel(new KMeans(random).fit(X), await new KMeans(random).fitAsync(X));
  });

  test('kmeansAsync is kmeans; concurrent fits queue and reuse the pool (no listeners pile up)', async () => {
    const expected = kmeans(X, 8, { randomState: 1, ...silent });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const results = await Promise.all([2, 3, 2, 2, 3, 2, 2, 3, 2, 2, 3, 2].map((threads) => kmeansAsync(X, 8, { randomState: 1, threads, ...silent })));
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('warning', onWarning);
    expect(warnings.map(String)).toEqual([]);
    for (const result of results) expect(result).toEqual(expected);
  });

  test('fewer rows than a chunk, and empty clusters relocated', async () => {
    const small = { nClusters: 3, init: [[0, 0], [0, 0.1], [100, 100]], maxIter: 10, ...silent };
    const points = [[0, 0], [0, 1], [1, 0], [1, 1], [5, 5], [5, 6]];
    expectSameModel(new KMeans(small).fit(points), await new KMeans(small).fitAsync(points, { threads: 2 }));
  });
});

test('invalid X is refused as by fit, and the pool serves the next fit', async () => {
  const bad = X.data.slice();
  bad[5 * 64 + 7] = NaN;
  const promise = new KMeans({ nClusters: 32, randomState: 0 }).fitAsync({ data: bad, rows: X.rows, cols: 64 }, { threads: 2 });
  await expect(promise).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringMatching(/row 5/) });
  const options = { nClusters: 32, randomState: 0, ...silent };
  expectSameModel(new KMeans(options).fit(X), await new KMeans(options).fitAsync(X, { threads: 2 }));
});

test.each([0, 1.5, -1, NaN, '2', 2000])('threads: %s is refused with INVALID_PARAMETER naming it', async (threads) => {
  const promise = new KMeans({ nClusters: 2 }).fitAsync([[0], [1]], { threads: threads as number });
  await expect(promise).rejects.toBeInstanceOf(WasmeansError);
  await expect(promise).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringContaining(`got ${typeof threads === 'string' ? `"${threads}"` : threads}`) });
});

test('a Node script using fitAsync exits by itself, and after shutdownThreads()', () => {
  const dir = bundleForNode('threads');
  const script = (shutdown: boolean) => `
import { init, KMeans, makeBlobs${shutdown ? ', shutdownThreads' : ''} } from './wasmeans.mjs';
await init();
const { X } = makeBlobs({ nSamples: 10000, nFeatures: 64, centers: 32, randomState: 0 });
const sync = new KMeans({ nClusters: 32, randomState: 0 }).fit(X);
const threaded = await new KMeans({ nClusters: 32, randomState: 0 }).fitAsync(X, { threads: 2 });
${shutdown ? 'await shutdownThreads();' : ''}
console.log(JSON.stringify({ same: sync.labels.every((label, i) => label === threaded.labels[i]) && sync.inertia === threaded.inertia }));
`;
  for (const shutdown of [false, true]) {
    const file = join(dir, `exits-${shutdown}.mjs`);
    writeFileSync(file, script(shutdown));
    const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(out)).toEqual({ same: true });
  }
});

test('a fit of fewer than 8192 rows (run on the calling thread) is the synchronous fit', async () => {
  const { X: small } = makeBlobs({ nSamples: 3000, nFeatures: 8, centers: 6, randomState: 5 });
  const sync = new KMeans({ nClusters: 6, randomState: 1 }).fit(small);
  const threaded = await new KMeans({ nClusters: 6, randomState: 1 }).fitAsync(small, { threads: 2 });
  expect(Array.from(threaded.labels)).toEqual(Array.from(sync.labels));
  expect(threaded.inertia).toBe(sync.inertia);
});

describe('a worker that fails mid-fit: fitAsync rejects with THREAD_FAILED naming the cause, and the next fit works', () => {
  // A preload (node --require) that, in the first worker thread to get there only, makes the module's lloydChunk
  // do `action` on its second call: mid-fit, from outside wasmeans' code.
  const preload = (marker: string, action: string) => `
const { isMainThread } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
if (!isMainThread) {
  const Instance = WebAssembly.Instance;
  let calls = 0;
  WebAssembly.Instance = function (module, imports) {
    const exports = { ...new Instance(module, imports).exports };
    const lloydChunk = exports.lloydChunk;
    exports.lloydChunk = (...args) => {
      if (++calls === 2) {
        let first = true;
        try { writeFileSync(${JSON.stringify(marker)}, '', { flag: 'wx' }); } catch { first = false; }
        if (first) { ${action} }
      }
      return lloydChunk(...args);
    };
    return { exports };
  };
}`;
  const script = `
import { init, KMeans, makeBlobs } from './wasmeans.mjs';
await init();
const { X } = makeBlobs({ nSamples: 12000, nFeatures: 64, centers: 32, randomState: 0 });
const options = { nClusters: 32, randomState: 0, maxIter: 20, algorithm: 'lloyd' };
let failure;
try {
  await new KMeans(options).fitAsync(X, { threads: 3 });
} catch (error) {
  failure = { name: error.name, isWasmeansError: error.constructor.name === 'WasmeansError', code: error.code, message: error.message };
}
const sync = new KMeans(options).fit(X);
const next = await new KMeans(options).fitAsync(X, { threads: 3 });
console.log(JSON.stringify({ failure, nextIsFit: sync.labels.every((label, i) => label === next.labels[i]) && sync.inertia === next.inertia }));
`;
  const cases = [
    ['exits (process.exit in the worker)', 'process.exit(7);', /worker thread exited with code 7 during the fit/],
    ['throws', 'throw new RangeError("injected failure");', /a wasm kernel failed in a worker thread: RangeError: injected failure/],
    // What a worker killed from outside looks like from here: no exit counted, no progress.
    ['stops answering', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);', /1 of 2 worker threads made no progress for 10 s/],
  ] as const;
  test.concurrent.each(cases)('a worker that %s', async (name, action, message) => {
    const dir = bundleForNode('threads');
    const tag = name.replace(/\W+/g, '-');
    const marker = join(dir, `${tag}.marker`);
    rmSync(marker, { force: true });
    writeFileSync(join(dir, `${tag}.cjs`), preload(marker, action));
    writeFileSync(join(dir, `${tag}.mjs`), script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--require', join(dir, `${tag}.cjs`), join(dir, `${tag}.mjs`)], { encoding: 'utf8', timeout: 60_000 });
    const out = JSON.parse(stdout);
    expect(out.failure).toMatchObject({ name: 'WasmeansError', isWasmeansError: true, code: 'THREAD_FAILED' });
    expect(out.failure.message).toMatch(message);
    expect(out.nextIsFit).toBe(true);
  });
});
