// examples/workers-fanout under workerd (miniflare), from the tarball: a coordinator Durable Object fans k-means out
// to shard Workers over a service binding, the shards read their rows from a local R2 bucket. Four shards cut at the
// E-step's chunks give the single-process fit bit for bit; a shard that fails is retried; one that keeps failing
// ends the fit with an error naming it.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { makeBlobs } from '../../src/datasets';
import { init, KMeans } from '../../src/index';
import { lloydChunkRows } from '../../src/cluster/workspace';

const consumerDir = inject('consumerDir');
const dir = join(consumerDir, 'fanout');
const n = 65_536;
const d = 8;
const k = 16;
const chunk = lloydChunkRows(n, d, k);
const blobs = makeBlobs({ nSamples: n, nFeatures: d, centers: k, clusterStd: 2, randomState: 3 });
const X = { data: Float32Array.from(blobs.X.data), rows: n, cols: d };
const initRows = Array.from({ length: k }, (_, j) => Array.from(X.data.subarray(j * 11 * d, (j * 11 + 1) * d)));
const shards = Array.from({ length: n / chunk }, (_, s) => ({ key: `shard-${s}`, offset: s * chunk }));

/** A test-only Worker in front of the shards: the first two requests for shard-2 fail, as a flaky shard would. */
const FLAKY = `
const seen = new Map();
export default {
  async fetch(request, env) {
    const body = await request.text();
    const { key } = JSON.parse(body);
    seen.set(key, (seen.get(key) ?? 0) + 1);
    if (key === 'shard-2' && seen.get(key) <= 2) return new Response('injected failure', { status: 503 });
    return env.SHARD.fetch(request.url, { method: 'POST', body });
  },
};`;

let mf: Miniflare;
beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  for (const name of ['coordinator', 'shard']) {
    await build({
      entryPoints: [join(import.meta.dirname, `../../examples/workers-fanout/${name}.js`)], outfile: join(dir, `${name}/worker.js`), bundle: true,
      format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], conditions: ['workerd', 'worker', 'browser'], external: ['*.wasm'],
      nodePaths: [join(consumerDir, 'node_modules')], logLevel: 'silent',
    });
    // Beside the bundle as wrangler uploads them: the graph module too, which the workerd entry imports dynamically.
    for (const wasm of ['wasmeans.wasm', 'wasmeans-graph.wasm']) copyFileSync(join(consumerDir, 'node_modules/wasmeans/build', wasm), join(dir, name, wasm));
  }
  const worker = (name: string) => ({
    name, modules: true, scriptPath: join(dir, `${name}/worker.js`), modulesRoot: join(dir, name),
    modulesRules: [{ type: 'CompiledWasm' as const, include: ['**/*.wasm'] }], compatibilityDate: '2025-07-01',
  });
  mf = new Miniflare({
    workers: [
      { ...worker('coordinator'), durableObjects: { COORDINATOR: 'KMeansCoordinator' }, serviceBindings: { SHARD: 'flaky' } },
      { name: 'flaky', modules: true, script: FLAKY, serviceBindings: { SHARD: 'shard' }, compatibilityDate: '2025-07-01' },
      { ...worker('shard'), r2Buckets: ['DATA'] },
    ],
  });
  await mf.ready;
  const bucket = (await mf.getR2Bucket('DATA', 'shard')) as unknown as { put(key: string, value: Uint8Array): Promise<unknown> };
  for (const { key, offset } of shards) {
    const rows = Math.min(chunk, n - offset);
    const bytes = new Uint8Array(8 + rows * d * 4);
    new Uint32Array(bytes.buffer, 0, 2).set([rows, d]);
    bytes.set(new Uint8Array(X.data.buffer, offset * d * 4, rows * d * 4), 8);
    await bucket.put(key, bytes);
  }
});
afterAll(() => mf?.dispose());

const fit = async (body: object) => {
  const response = await mf.dispatchFetch('http://localhost/', { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as { centers: number[][]; nIter: number; inertia: number; error?: string } };
};

test(`four shard Workers (${chunk}-row shards in R2), one of them failing twice: the single-process fit, bit for bit`, async () => {
  expect(shards).toHaveLength(4);
  const { status, json } = await fit({ shards, init: initRows, tol: 1e-4 });
  expect(status, json.error).toBe(200);
  await init();
  const local = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit(X);
  expect(local.nIter).toBeGreaterThan(2);
  expect(json.centers.flat()).toEqual(Array.from(local.clusterCenters.data));
  expect(json.nIter).toBe(local.nIter);
  expect(json.inertia).toBe(local.inertia);
});

test('a shard that keeps failing ends the fit with an error naming it, not a hang or a partial fit', async () => {
  const { status, json } = await fit({ shards: [...shards, { key: 'missing', offset: n }], init: initRows, retries: 1 });
  expect(status).toBe(502);
  expect(json.error).toMatch(/^shard missing failed 2 times; last: HTTP 500: shard missing: there is no object "missing" in the bucket/);
});
