// Module loading and the arena. This file is its own module realm in vitest, so it starts uninitialized.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { allocate, MAX_WASM_BYTES } from '../../src/runtime/arena';
import { init, KMeans, kmeans, WasmeansError } from '../../src/index';
import { getKernels } from '../../src/runtime/module';
import { workspaceBytes } from '../../src/cluster/workspace';
import { blobs, bundleForNode, repoPath } from '../reference';

describe('init', () => {
  test('calls before init() throw NOT_INITIALIZED', () => {
    expect(() => kmeans([[0], [1]], 1)).toThrowError(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
    expect(() => kmeans([[0], [1]], 1)).toThrowError(/call and await init\(\) first/);
  });

  test('refuses what is no wasm source, naming it, and stays loadable', async () => {
    await expect(init(new Date() as never)).rejects.toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/\[object Date\]/) });
  });

  test('a path or file: URL that does not load is a WasmeansError naming it, not a TypeError', async () => {
    await expect(init('./nope.wasm')).rejects.toMatchObject({
      name: 'WasmeansError', code: 'INVALID_INPUT', message: expect.stringMatching(/could not load the wasm module from "\.\/nope\.wasm" \(Error: ENOENT/),
    });
    await expect(init(new URL('file:///nope/wasmeans.wasm'))).rejects.toMatchObject({
      name: 'WasmeansError', code: 'INVALID_INPUT', message: expect.stringMatching(/from "file:\/\/\/nope\/wasmeans\.wasm" \(Error: ENOENT/),
    });
    await expect(init('https://localhost:1/wasmeans.wasm')).rejects.toMatchObject({ name: 'WasmeansError', code: 'INVALID_INPUT' });
    expect(() => getKernels()).toThrowError(expect.objectContaining({ code: 'NOT_INITIALIZED' }));
  });

  test('in Node a path (from the working directory) or a file: URL loads the module', () => {
    const dir = bundleForNode('init');
    const script = join(dir, 'load.mjs');
    writeFileSync(script, `
import { init, KMeans } from './wasmeans.mjs';
await init(process.argv[2] === 'url' ? new URL(${JSON.stringify(pathToFileURL(repoPath('build/wasmeans.wasm')).href)}) : 'build/wasmeans.wasm');
console.log(JSON.stringify(Array.from(new KMeans({ nClusters: 2, randomState: 0 }).fit([[0], [0.1], [5], [5.1]]).labels)));
`);
    for (const form of ['path', 'url']) {
      const out = execFileSync(process.execPath, [script, form], { cwd: repoPath('.'), encoding: 'utf8' });
      const [a, b, c, d] = JSON.parse(out);
      expect([a === b, b !== c, c === d]).toEqual([true, true, true]);
    }
  });

  test('accepts a precompiled WebAssembly.Module (the Cloudflare Workers path) and is idempotent', async () => {
    const module = new WebAssembly.Module(readFileSync(repoPath('build/wasmeans.wasm')));
    await init(module);
    const first = getKernels();
    await init();
    await init(new Uint8Array([0, 1, 2]));
    expect(getKernels()).toBe(first);
    expect(new KMeans({ nClusters: 2, randomState: 0 }).fit([[0], [0.1], [5], [5.1]]).inertia).toBeCloseTo(0.01, 6);
  });
});

describe('the arena', () => {
  test('grows once for a shape and is reused by later fits', () => {
    const { X } = blobs(20_000, 8, 4, 1);
    const memory = getKernels().memory;
    kmeans(X, 4, { randomState: 0 });
    const size = memory.buffer.byteLength;
    expect(size).toBeGreaterThanOrEqual(workspaceBytes(20_000, 8, 4));
    for (let seed = 1; seed < 4; seed++) kmeans(X, 4, { randomState: seed });
    kmeans(X.slice(0, 5000), 4, { randomState: 0 });
    expect(memory.buffer.byteLength).toBe(size);
  });

  test('refuses with OUT_OF_MEMORY before touching memory when a fit passes 4 GiB', () => {
    const kernels = getKernels();
    const before = kernels.memory.buffer.byteLength;
    const n = 20_000_000;
    const d = 64;
    expect(workspaceBytes(n, d, 8)).toBeGreaterThan(MAX_WASM_BYTES);
    const sizes = { x: n * d * 4, weights: n * 8 };
    expect(() => allocate(kernels, sizes, 'KMeans.fit on 20000000×64', 'use fewer rows')).toThrowError(
      expect.objectContaining({ code: 'OUT_OF_MEMORY', message: expect.stringMatching(/KMeans.fit on 20000000×64 needs 4\.92 GiB/) }),
    );
    expect(kernels.memory.buffer.byteLength).toBe(before);
  });

  test('WasmeansError is an Error with a stable code', () => {
    const error = new WasmeansError('INVALID_INPUT', 'x');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WasmeansError');
  });
});
