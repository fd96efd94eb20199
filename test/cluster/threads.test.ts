// The threaded fit (Node worker_threads over a shared WebAssembly.Memory): bitwise the synchronous fit.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
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
  const options = { nClusters: 32, randomState: 0, tol: 1e-6, maxIter: 60, ...silent };
  let sync: KMeans;
  beforeAll(() => {
    sync = new KMeans(options).fit(X, { sampleWeight });
  });

  test.each([1, 2, 3])('threads: %i', async (threads) => {
    expectSameModel(sync, await new KMeans(options).fitAsync(X, { sampleWeight, threads }));
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
