// Cloudflare Workers, from the tarball: test/dist/workers/cluster.js bundled as wrangler bundles a Worker
// (esbuild, its export conditions, .wasm imports kept as CompiledWasm modules), run under workerd through
// miniflare and sent real requests. Bundled again without the `workerd` condition, the same Worker gets the
// default entry, which compiles its inlined wasm from bytes at run time: workerd refuses, and that refusal is
// why the condition exists.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipAsync } from '@gfx/zopfli';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { makeBlobs } from '../../src/datasets';
import { init, KMeans, kneighborsGraph, TSNE } from '../../src/index';
import { samePartition } from '../reference';

const consumerDir = inject('consumerDir');
const workersDir = join(consumerDir, 'workers');

/**
 * A stretch of the default entry's inlined module (wasmeans.wasm gzipped as scripts/embed-wasm.mjs does, in
 * base64), made from the installed package's own .wasm: only a bundle of the default entry contains it. (fitAsync's
 * thread chunk, which every bundle carries, inlines the threaded module: a different string.)
 */
const INLINED_WASM = await (async () => {
  const gzipped = Buffer.from(await gzipAsync(readFileSync(join(consumerDir, 'node_modules/wasmeans/build/wasmeans.wasm')), { numiterations: 15 }));
  gzipped.writeUInt32LE(0, 4);
  const base64 = gzipped.toString('base64');
  return base64.slice(base64.length >> 1, (base64.length >> 1) + 64);
})();
/** What wrangler passes esbuild (its `conditions` for a Worker). */
const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];

interface Bundled {
  mf: Miniflare;
  /** The bundle's top-level import statements. */
  imports: string[];
  /** Whether the bundle carries the wasm module as base64. */
  inlined: boolean;
  bytes: number;
}

/** Bundles a Worker (cluster.js unless said) into workers/<name>/ with these export conditions and starts it under workerd. */
async function startWorker(name: string, conditions: string[], script = 'cluster.js'): Promise<Bundled> {
  const outdir = join(workersDir, name);
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'worker.js');
  await build({
    entryPoints: [join(workersDir, script)],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions,
    external: ['*.wasm'],
    logLevel: 'silent',
  });
  // The .wasm imports stay `./wasmeans.wasm` and `./wasmeans-graph.wasm`; they sit next to the bundle as wrangler uploads them.
  for (const wasm of ['wasmeans.wasm', 'wasmeans-graph.wasm']) copyFileSync(join(consumerDir, 'node_modules/wasmeans/build', wasm), join(outdir, wasm));
  const mf = new Miniflare({
    modules: true,
    scriptPath: outfile,
    modulesRoot: outdir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2025-07-01',
  });
  await mf.ready;
  const code = readFileSync(outfile, 'utf8');
  return { mf, imports: code.match(/^import .*$/gm) ?? [], inlined: code.includes(INLINED_WASM), bytes: statSync(outfile).size };
}

async function post(mf: Miniflare, body: string): Promise<{ status: number; json: any }> {
  const response = await mf.dispatchFetch('http://localhost/', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: response.status, json: await response.json() };
}

const blobs = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
const rows = Array.from({ length: blobs.X.rows }, (_, i) => Array.from(blobs.X.data.subarray(i * blobs.X.cols, (i + 1) * blobs.X.cols)));
const request = (X: unknown[][]) => JSON.stringify({ X, nClusters: 4, randomState: 0 });

const started: Bundled[] = [];
beforeAll(() => {
  mkdirSync(workersDir, { recursive: true });
  for (const script of ['cluster.js', 'embed.js']) copyFileSync(join(import.meta.dirname, 'workers', script), join(workersDir, script));
});
afterAll(async () => {
  await Promise.all(started.map(({ mf }) => mf.dispose()));
});

describe("with wrangler's conditions: the workerd entry and a CompiledWasm module", () => {
  let worker: Bundled;
  beforeAll(async () => {
    worker = await startWorker('workerd', WRANGLER_CONDITIONS);
    started.push(worker);
  });

  test('the bundle imports wasmeans.wasm as a module and has no inlined wasm', () => {
    expect(worker.imports).toEqual([expect.stringMatching(/^import \w+ from "\.\/wasmeans\.wasm";$/)]);
    expect(worker.inlined).toBe(false);
  });

  test('clusters the handbook blobs it is POSTed: their true partition, the inertia of an in-process fit', async () => {
    const { status, json } = await post(worker.mf, request(rows));
    expect(status).toBe(200);
    expect(json.labels).toHaveLength(300);
    expect(samePartition(json.labels, blobs.y)).toBe(true);
    expect(json.centers).toHaveLength(4);
    await init();
    const local = new KMeans({ nClusters: 4, randomState: 0 }).fit(blobs.X);
    expect(Math.abs(json.inertia - local.inertia) / local.inertia).toBeLessThan(1e-6);
  });

  test('fitAsync with threads runs single-threaded in workerd and answers the same model as fit', async () => {
    const sync = await post(worker.mf, request(rows));
    const threaded = await post(worker.mf, JSON.stringify({ X: rows, nClusters: 4, randomState: 0, threads: 2 }));
    expect(threaded.status).toBe(200);
    expect(threaded.json).toEqual(sync.json);
  });

  test('answers 400 with the WasmeansError for X containing NaN, naming its row and column', async () => {
    const X = rows.map((row) => [...row] as unknown[]);
    X[17][1] = 'NaN';
    const { status, json } = await post(worker.mf, request(X));
    expect(status).toBe(400);
    expect(json).toEqual({ error: 'X contains NaN at row 17, column 1; values must be finite', code: 'INVALID_INPUT' });
  });

  test('answers 400 to a body that is not JSON', async () => {
    const { status, json } = await post(worker.mf, '{"X": [[1, 2]');
    expect(status).toBe(400);
    expect(json.code).toBe('BAD_JSON');
  });
});

describe("with wrangler's conditions, a Worker using t-SNE and the kNN graph: the graph module's .wasm too", () => {
  let worker: Bundled;
  beforeAll(async () => {
    worker = await startWorker('workerd-embed', WRANGLER_CONDITIONS, 'embed.js');
    started.push(worker);
  });

  test('it embeds what it is POSTed exactly as this process does', async () => {
    const small = makeBlobs({ nSamples: 60, nFeatures: 4, centers: 3, randomState: 2 });
    const X = Array.from({ length: 60 }, (_, i) => Array.from(small.X.data.subarray(i * 4, (i + 1) * 4)));
    const { status, json } = await post(worker.mf, JSON.stringify({ X, perplexity: 10, randomState: 0 }));
    expect(status).toBe(200);
    await init();
    expect(json.embedding).toEqual(Array.from(new TSNE({ perplexity: 10, randomState: 0 }).fitTransform(small.X).data));
    expect(json.neighbors).toEqual(Array.from(kneighborsGraph(small.X, 3).indices.subarray(0, 3)));
  });
});

describe('without the workerd condition: the default entry, wasm inlined as base64', () => {
  let worker: Bundled;
  beforeAll(async () => {
    worker = await startWorker('default', ['browser']);
    started.push(worker);
  });

  test('the bundle inlines the wasm and imports no .wasm module', () => {
    expect(worker.imports).toEqual([]);
    expect(worker.inlined).toBe(true);
  });

  test('workerd refuses to compile wasm from bytes: init() reports UNSUPPORTED and the way out', async () => {
    const { status, json } = await post(worker.mf, request(rows));
    expect(json.code).toBe('UNSUPPORTED');
    expect(json.error).toMatch(/code generation disallowed/i);
    expect(json.error).toContain("'workerd' export condition");
    expect(status).toBe(500);
  });
});
