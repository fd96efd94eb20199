// init({ relaxedSimd: true }): the relaxed-SIMD build where the runtime validates it, the plain one elsewhere.
// Node 20 validates relaxed SIMD only with --experimental-wasm-relaxed-simd: this file's own realm (without the
// flag) shows the fallback, and a child Node with the flag runs the relaxed build for real.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { makeBlobs } from '../../src/datasets';
import { init, KMeans, simdBuild } from '../../src/index';
import { bundleForNode } from '../reference';

test('without the runtime support it falls back to the plain build, and fits as usual', async () => {
  await init({ relaxedSimd: true });
  expect(simdBuild()).toBe('simd');
  const { X, y } = makeBlobs({ nSamples: 300, centers: 4, clusterStd: 0.6, randomState: 0 });
  const labels = new KMeans({ nClusters: 4, randomState: 0 }).fitPredict(X);
  expect(new Set(labels).size).toBe(4);
  expect(labels.length).toBe(y.length);
});

test('with it (node --experimental-wasm-relaxed-simd): the relaxed build, every algorithm still Lloyd bit for bit', () => {
  const dir = bundleForNode('relaxed');
  const script = join(dir, 'run.mjs');
  writeFileSync(script, `
import { init, KMeans, makeBlobs, simdBuild } from './wasmeans.mjs';
await init({ relaxedSimd: true });
const { X } = makeBlobs({ nSamples: 20000, nFeatures: 16, centers: 40, clusterStd: 3, randomState: 2 });
const fit = (algorithm) => new KMeans({ nClusters: 40, randomState: 0, algorithm, onWarning() {} }).fit(X);
const lloyd = fit('lloyd');
const same = (other) => other.nIter === lloyd.nIter && other.inertia === lloyd.inertia
  && other.labels.every((l, i) => l === lloyd.labels[i]) && other.clusterCenters.data.every((v, i) => v === lloyd.clusterCenters.data[i]);
const threaded = await new KMeans({ nClusters: 40, randomState: 0, algorithm: 'lloyd', onWarning() {} }).fitAsync(X, { threads: 2 });
console.log(JSON.stringify({ build: simdBuild(), hamerly: same(fit('hamerly')), elkan: same(fit('elkan')), yinyang: same(fit('yinyang')), fitAsync: same(threaded) }));
`);
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', script], { encoding: 'utf8', timeout: 60_000 });
  expect(JSON.parse(out)).toEqual({ build: 'relaxed-simd', hamerly: true, elkan: true, yinyang: true, fitAsync: true });
});

test('init({ relaxedSimd }) after an init() of the other build switches to it, and fits go on (node --experimental-wasm-relaxed-simd)', () => {
  const dir = bundleForNode('relaxed');
  const script = join(dir, 'switch.mjs');
  writeFileSync(script, `
import { init, KMeans, makeBlobs, simdBuild } from './wasmeans.mjs';
const { X } = makeBlobs({ nSamples: 500, centers: 3, randomState: 1 });
const fit = () => new KMeans({ nClusters: 3, randomState: 0 }).fit(X).labels;
const builds = [];
await init();
builds.push(simdBuild());
const plain = fit();
await init({ relaxedSimd: true });
builds.push(simdBuild());
const relaxed = fit();
await init({ relaxedSimd: false });
builds.push(simdBuild());
await init();
builds.push(simdBuild());
console.log(JSON.stringify({ builds, same: relaxed.every((label, i) => label === plain[i]) }));
`);
  const out = execFileSync(process.execPath, ['--experimental-wasm-relaxed-simd', script], { encoding: 'utf8', timeout: 60_000 });
  expect(JSON.parse(out)).toEqual({ builds: ['simd', 'relaxed-simd', 'simd', 'simd'], same: true });
});
