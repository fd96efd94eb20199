// Streamed fits: KMeans over chunks of any size (async generators, arrays of chunks, a .npy file read in slices)
// gives the in-memory fit's centers, iterations and inertia bit for bit from the same initial centers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as arrow from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { init, KMeans, kmeansStream, MiniBatchKMeans, readNpy, type StreamProgress } from '../../src/index';
import { adjustedRand, blobs } from '../reference';
import { randomRows } from '../../src/cluster/stream';
import { Mt19937 } from '../../src/core/random';

beforeAll(() => init());

const n = 50_000;
const d = 6;
const k = 12;
// Rows of float32 values, so that the float32 matrix of the in-memory fit holds the same numbers.
const X = blobs(n, d, k, 9, 2).X.map((row) => Array.from(Float32Array.from(row)));
const flat = Float32Array.from(X.flat());
const initRows = Array.from({ length: k }, (_, j) => Array.from(flat.subarray(j * 13 * d, (j * 13 + 1) * d)));
const dir = mkdtempSync(join(tmpdir(), 'wasmeans-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A .npy file (version 1.0 header) of rows × cols float32. */
function writeNpy(path: string, data: Float32Array, rows: number, cols: number, descr = '<f4') {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, ...'NUMPY'.split('').map((c) => c.charCodeAt(0)), 1, 0]);
  new DataView(head.buffer).setUint16(8, header.length, true);
  head.set(new TextEncoder().encode(header), 10);
  writeFileSync(path, Buffer.concat([head, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

describe('kmeansStream is the in-memory fit, bit for bit', () => {
  let single: KMeans;
  beforeAll(() => {
    single = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit({ data: flat, rows: n, cols: d });
  });

  test('from an async generator of ragged chunks (a function, so each pass reads afresh), with progress', async () => {
    const chunks = async function* () {
      for (let start = 0, size = 777; start < n; start += size, size = (size * 7) % 9001 + 1) yield X.slice(start, start + size);
    };
    const progress: StreamProgress[] = [];
    const fitted = await kmeansStream(chunks, k, { init: initRows, onProgress: (p) => progress.push(p), onWarning: () => {} });
    expect(single.nIter).toBeGreaterThan(2);
    expect(fitted.centers.data).toEqual(single.clusterCenters.data);
    expect(fitted.nIter).toBe(single.nIter);
    expect(fitted.inertia).toBe(single.inertia);
    expect(progress.map((p) => p.stage)).toEqual(['statistics', 'statistics', ...Array(single.nIter).fill('iteration'), 'final']);
    expect(progress.every((p) => p.rows === n)).toBe(true);
  });

  test('from a .npy file read in slices', async () => {
    const path = join(dir, 'x.npy');
    writeNpy(path, flat, n, d);
    const fitted = await kmeansStream(path, k, { init: initRows, onWarning: () => {} });
    expect(fitted.centers.data).toEqual(single.clusterCenters.data);
    expect(fitted.inertia).toBe(single.inertia);
    let rows = 0;
    for await (const slice of readNpy(path, 4096)) rows += (slice as { rows: number }).rows;
    expect(rows).toBe(n);
  });

  test("init 'random' draws k rows of the stream (seeded) and fits from them", async () => {
    const a = await kmeansStream([X.slice(0, 20_000), X.slice(20_000)], k, { init: 'random', randomState: 4, onWarning: () => {} });
    const b = await kmeansStream([X], k, { init: 'random', randomState: 4, onWarning: () => {} });
    expect(a.centers.data).toEqual(b.centers.data);
    // A random start finds a local optimum, not necessarily k-means++'s.
    expect(a.inertia).toBeLessThan(2 * single.inertia);
  });

  test("init 'random' takes each row with probability k / n (Algorithm L reservoir), across blocks", async () => {
    // 100 000 rows whose only feature is their index, so a drawn row names itself; blocks of 65 536 rows.
    const rows = Array.from({ length: 100_000 }, (_, i) => [i]);
    const counts = new Map<number, number>();
    let inSecondBlock = 0;
    for (let seed = 0; seed < 400; seed++) {
      const drawn = await randomRows(() => [rows], 5, 1, new Mt19937(seed));
      expect(new Set(drawn.map((r) => r[0])).size).toBe(5);
      for (const [i] of drawn) {
        counts.set(Math.floor(i / 10_000), (counts.get(Math.floor(i / 10_000)) ?? 0) + 1);
        if (i >= 65_536) inSecondBlock++;
      }
    }
    // 2000 draws over ten bands of 10 000 rows: about 200 each; the second block holds 34.5% of the rows.
    for (let band = 0; band < 10; band++) expect(Math.abs((counts.get(band) ?? 0) - 200)).toBeLessThan(60);
    expect(Math.abs(inSecondBlock / 2000 - 0.345)).toBeLessThan(0.05);
  });

  test("init 'k-means||' over the stream: the same centers whatever the chunking, and a fit as good as k-means++'s", async () => {
    const options = { init: 'k-means||' as const, randomState: 7, onWarning: () => {} };
    const a = await kmeansStream(() => [X.slice(0, 12_345), X.slice(12_345)], k, options);
    const b = await kmeansStream(async function* () {
      for (let start = 0; start < n; start += 5000) yield X.slice(start, start + 5000);
    }, k, options);
    expect(a.centers.data).toEqual(b.centers.data);
    expect(a.inertia).toBe(b.inertia);
    const plusPlus = new KMeans({ nClusters: k, randomState: 7, onWarning: () => {} }).fit({ data: flat, rows: n, cols: d });
    expect(a.inertia).toBeLessThan(1.1 * plusPlus.inertia);
    const other = await kmeansStream(() => [X], k, { ...options, randomState: 8 });
    expect(other.centers.data).not.toEqual(a.centers.data);
  });

  test('bad sources and files are refused', async () => {
    const once = (async function* () {
      yield X;
    })();
    await expect(kmeansStream(once, k, { init: initRows })).rejects.toThrow(/the stream gave 50000 rows, then 0|gave no rows/);
    const path = join(dir, 'f8-3d.npy');
    writeNpy(path, new Float32Array(8), 2, 4, '<i4');
    await expect(kmeansStream(path, 2, { init: 'random' })).rejects.toThrow(/holds <i4 of \(2, 4\); 2-D little-endian float32 or float64/);
    await expect(kmeansStream(join(dir, 'missing.npy'), 2, { init: 'random' })).rejects.toThrow(/ENOENT/);
    await expect(kmeansStream([X.slice(0, 10), [[1, 2]]], 2, { init: 'random' })).rejects.toThrow(/a chunk of the stream has 2 columns, the first had 6/);
  });
});

describe('KMeans.fitStream', () => {
  test('is the in-memory fit from the same initial centers, bit for bit; predict and transform as after fit; no labels', async () => {
    const single = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit({ data: flat, rows: n, cols: d });
    const progress: StreamProgress[] = [];
    const streamed = await new KMeans({ nClusters: k, init: initRows, onWarning: () => {} }).fitStream(
      () => [X.slice(0, 30_001), X.slice(30_001)],
      { onProgress: (p) => progress.push(p) },
    );
    expect(streamed.clusterCenters.data).toEqual(single.clusterCenters.data);
    expect(streamed.inertia).toBe(single.inertia);
    expect(streamed.nIter).toBe(single.nIter);
    expect(progress.at(-1)?.stage).toBe('final');
    const head = X.slice(0, 500);
    expect(streamed.predict(head)).toEqual(single.predict(head));
    expect(streamed.transform(head).data).toEqual(single.transform(head).data);
    expect(() => streamed.labels).toThrow(/fitted by fitStream, which keeps no labels: predict the rows chunk by chunk/);
  });

  test('over Arrow record batches read from an IPC stream, as fromArrow reads a table', async () => {
    const single = new KMeans({ nClusters: k, init: initRows, algorithm: 'lloyd', onWarning: () => {} }).fit({ data: flat, rows: n, cols: d });
    // Columns c0..c5 of float32, written as an IPC stream of 7 000-row record batches and read back batch by batch.
    const columns = Object.fromEntries(Array.from({ length: d }, (_, t) => [`c${t}`, Float32Array.from(X, (row) => row[t])]));
    const table = arrow.tableFromArrays(columns);
    const batches = new arrow.Table(table.schema, Array.from({ length: Math.ceil(n / 7000) }, (_, b) => table.slice(b * 7000, (b + 1) * 7000).batches).flat());
    const bytes = arrow.tableToIPC(batches, 'stream');
    let batchesRead = 0;
    const streamed = await new KMeans({ nClusters: k, init: initRows, onWarning: () => {} }).fitStream(function* () {
      for (const batch of arrow.RecordBatchReader.from(bytes)) {
        batchesRead++;
        yield batch;
      }
    });
    expect(batchesRead).toBeGreaterThan(2 * Math.ceil(n / 7000));
    expect(streamed.clusterCenters.data).toEqual(single.clusterCenters.data);
    expect(streamed.inertia).toBe(single.inertia);
  });

  test("the default init, 'k-means++', seeds by its scalable form k-means‖ over the stream", async () => {
    const byDefault = await new KMeans({ nClusters: k, randomState: 3, onWarning: () => {} }).fitStream([X]);
    const parallel = await kmeansStream([X.slice(0, 9_999), X.slice(9_999)], k, { init: 'k-means||', randomState: 3, onWarning: () => {} });
    expect(byDefault.clusterCenters.data).toEqual(parallel.centers.data);
    expect(byDefault.inertia).toBe(parallel.inertia);
  });
});

describe("metric 'cosine' over a stream", () => {
  test('is the in-memory spherical fit, bit for bit, and so is a fit over shards with the step API', async () => {
    const rng = (seed: number) => () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const rand = rng(5);
    const directions = Array.from({ length: 6 }, () => Array.from({ length: 10 }, () => rand() - 0.5));
    const rows = Array.from({ length: 30_000 }, (_, i) => directions[i % 6].map((v) => Math.fround((v + 0.3 * (rand() - 0.5)) * (1 + 5 * rand()))));
    const start = [0, 1, 2, 3, 4, 5].map((j) => rows[j * 97]);
    const single = new KMeans({ nClusters: 6, metric: 'cosine', init: start, algorithm: 'lloyd', onWarning: () => {} }).fit(rows);
    const streamed = await kmeansStream(() => [rows.slice(0, 11_111), rows.slice(11_111)], 6, { metric: 'cosine', init: start, onWarning: () => {} });
    expect(single.nIter).toBeGreaterThan(2);
    expect(streamed.centers.data).toEqual(single.clusterCenters.data);
    expect(streamed.nIter).toBe(single.nIter);
    expect(streamed.inertia).toBe(single.inertia);
  });
});

describe('MiniBatchKMeans.fitStream', () => {
  test('is partialFit over batches of batchSize rows, whatever the chunks; two passes from a .npy file recover the blobs', async () => {
    const { X: rows, y } = blobs(20_000, 4, 5, 2, 0.8);
    const data = Float32Array.from(rows.flat());
    const chunks = () => [rows.slice(0, 3333), rows.slice(3333, 12_000), rows.slice(12_000)];
    const streamed = await new MiniBatchKMeans({ nClusters: 5, batchSize: 2048, randomState: 0 }).fitStream(chunks);
    const stepped = new MiniBatchKMeans({ nClusters: 5, batchSize: 2048, randomState: 0 });
    for (let start = 0; start < rows.length; start += 2048) stepped.partialFit(rows.slice(start, start + 2048));
    expect(streamed.clusterCenters.data).toEqual(stepped.clusterCenters.data);
    expect(streamed.nSteps).toBe(Math.ceil(20_000 / 2048));
    const path = join(dir, 'mb.npy');
    writeNpy(path, data, 20_000, 4);
    const passes: number[] = [];
    const fromFile = await new MiniBatchKMeans({ nClusters: 5, batchSize: 1024, randomState: 1 }).fitStream(path, { passes: 2, onProgress: (p) => passes.push(p.iteration) });
    expect(passes).toEqual([1, 2]);
    expect(adjustedRand(fromFile.predict({ data, rows: 20_000, cols: 4 }), y)).toBeGreaterThan(0.95);
  });
});
