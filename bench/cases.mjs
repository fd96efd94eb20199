// The six benchmark cases (the peers' reference cases), shared by the Lloyd-iteration and the full-fit benchmarks: float32 data.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSampleImage } from '../build/datasets.js';
import { loadCsvGz, makeBlobs } from './util.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The cases at full size, or scaled down by `scale(n)` (--quick). */
export function peerCases(scale = (n) => n) {
  const blobs = (n, d, k, seed) => () => makeBlobs({ n: scale(n), d, k, seed });
  /** The handbook's photo as 273 280 × 3 float32 values in [0, 1]. */
  const chinaPixels = () => {
    const { pixels } = loadSampleImage('china');
    const n = scale(pixels.length / 3);
    return { data: Float32Array.from(pixels.subarray(0, n * 3), (v) => v / 255), rows: n, cols: 3 };
  };
  return [
    { name: 'blobs-100k-2-8', k: 8, data: blobs(100_000, 2, 8, 1) },
    { name: 'blobs-100k-16-64', k: 64, data: blobs(100_000, 16, 64, 2) },
    { name: 'blobs-100k-64-256', k: 256, data: blobs(100_000, 64, 256, 3) },
    { name: 'blobs-1m-8-16', k: 16, data: blobs(1_000_000, 8, 16, 4) },
    { name: 'digits', k: 10, data: () => loadCsvGz(join(here, '../data/digits.csv.gz'), 64) },
    { name: 'china', k: 16, data: chinaPixels },
  ];
}

/** The cases named by `--cases a,b` (all by default); unknown names are an error. */
export function selectCases(all, wanted) {
  if (!wanted) return all;
  const want = String(wanted).split(',');
  const unknown = want.filter((w) => !all.some((c) => c.name === w));
  if (unknown.length) throw new Error(`unknown case(s) ${unknown}; known: ${all.map((c) => c.name)}`);
  return all.filter((c) => want.includes(c.name));
}

/**
 * Runs a Python peers script on a job: each typed array in `arrays` is written raw to a temporary file whose
 * path goes into the job under the same key. Returns the script's `peers`, or {} with a notice when it fails.
 */
export function runPythonPeers(python, script, job, arrays, env = process.env) {
  const dir = mkdtempSync(join(tmpdir(), 'wasmeans-bench-'));
  try {
    const full = { ...job };
    for (const [key, a] of Object.entries(arrays)) {
      full[key] = join(dir, `${key}.f32`);
      writeFileSync(full[key], Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    }
    writeFileSync(join(dir, 'job.json'), JSON.stringify(full));
    const r = spawnSync(python, [join(here, script), join(dir, 'job.json')], { env, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) {
      console.log(`notice: Python peers failed (exit ${r.status}), skipping them:\n${r.stderr || r.error}`);
      return {};
    }
    const out = JSON.parse(r.stdout);
    for (const m of out.notices) console.log(`notice: ${m}`);
    return out.peers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
