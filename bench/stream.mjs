// KMeans over a file larger than memory wants: 100 000 000 × 8 float32 rows (a 3.2 GB .npy written here, blobs
// around 16 centers), k = 16, ten Lloyd iterations (tol 0) from given rows, read in slices by kmeansStream; the time
// per pass and the resident memory, against the in-memory fit's time per iteration and row on 10 000 000 of the
// same rows; and, on a file small enough for both, the streamed result against the in-memory one.
// Usage: node bench/stream.mjs [--rows N] [--runs R] [--keep] (the file goes to $TMPDIR and is removed unless
// --keep). With R runs, the streamed fit and the in-memory comparison alternate R times and medians are reported.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { init, kmeans, kmeansStream } from '../build/index.js';
import { fmtSec, mulberry32, parseArgs, table } from './util.mjs';

const args = parseArgs(['keep']);
const n = Number(args.rows ?? 100_000_000), d = 8, k = 16, ITER = 10, RUNS = Number(args.runs ?? 1);
await init();

/** Rows start.. of the blobs, deterministic per row: center (row mod k) plus uniform noise. */
function rowsAt(start, count, centers) {
  const out = new Float32Array(count * d);
  const rand = mulberry32(start + 1);
  for (let i = 0; i < count; i++) {
    const c = ((start + i) * 7919) % k;
    for (let t = 0; t < d; t++) out[i * d + t] = centers[c * d + t] + 12 * (rand() + rand() + rand() - 1.5);
  }
  return out;
}
const centerRand = mulberry32(99);
const centers = Float64Array.from({ length: k * d }, () => 40 * centerRand() - 20);

function writeNpy(path, rows) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${d}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10 + header.length);
  head.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  for (let start = 0; start < rows; start += 1 << 20) {
    const block = rowsAt(start, Math.min(1 << 20, rows - start), centers);
    writeSync(fd, Buffer.from(block.buffer));
  }
  closeSync(fd);
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const initRows = Array.from({ length: k }, (_, j) => Array.from(rowsAt(j * 1001, 1, centers)));
const gib = (b) => `${(b / 2 ** 30).toFixed(2)} GiB`;

// 1. Equality on a file small enough for both (1 000 000 rows).
{
  const path = join(tmpdir(), 'wasmeans-stream-small.npy');
  writeNpy(path, 1_000_000);
  const data = rowsAt(0, 1_000_000, centers);
  const streamed = await kmeansStream(path, k, { init: initRows, maxIter: ITER, tol: 0, onWarning() {} });
  const inMemory = kmeans({ data, rows: 1_000_000, cols: d }, k, { init: initRows, maxIter: ITER, tol: 0, algorithm: 'lloyd', onWarning() {} });
  const same = streamed.centers.data.every((v, i) => v === inMemory.centers.data[i]) && streamed.inertia === inMemory.inertia;
  console.log(`1 000 000 × 8 from a .npy file: streamed centers and inertia ${same ? 'bitwise equal to' : 'DIFFERENT from'} the in-memory fit's`);
  rmSync(path);
}

// 2. The big file, streamed (first, in a fresh process: the resident set is the streamed fit's).
const path = join(process.env.TMPDIR ?? tmpdir(), 'wasmeans-stream-100m.npy');
let t = performance.now();
writeNpy(path, n);
console.log(`wrote ${n} × ${d} float32 (${gib(n * d * 4)}) in ${fmtSec((performance.now() - t) / 1000)} s`);
const m = Math.min(n, 10_000_000);
let inMemoryData;
/** Seconds per iteration of an in-memory fit (the whole fit, ingest included, over the iterations it made). */
const perIteration = (iterations) => {
  const t = performance.now();
  const { nIter } = kmeans({ data: inMemoryData, rows: m, cols: d }, k, { init: initRows, maxIter: iterations, tol: 0, algorithm: 'lloyd', onWarning() {} });
  return (performance.now() - t) / 1000 / nIter;
};
const runs = [];
let peakRss = process.memoryUsage().rss;
let result;
for (let run = 0; run < RUNS; run++) {
  const passes = [];
  // The first run's resident set is the streamed fit's alone: the in-memory rows are made after it.
  const watch = run === 0 ? setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200) : undefined;
  t = performance.now();
  let last = t;
  result = await kmeansStream(path, k, {
    init: initRows, maxIter: ITER, tol: 0, onWarning() {},
    onProgress: ({ stage }) => {
      const now = performance.now();
      passes.push({ stage, sec: (now - last) / 1000 });
      last = now;
    },
  });
  clearInterval(watch);
  if (run === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const total = (performance.now() - t) / 1000;
  // In-memory time per iteration and row, on 10 000 000 rows (median of 3 whole fits, over their iterations).
  inMemoryData ??= rowsAt(0, m, centers);
  if (run === 0) perIteration(2);
  const inMemoryIter = median([0, 1, 2].map(() => perIteration(ITER)));
  const streamedIter = median(passes.filter((p) => p.stage === 'iteration').map((p) => p.sec));
  runs.push({ total, statistics: passes.filter((p) => p.stage === 'statistics').map((p) => p.sec), streamedRow: streamedIter / n, inMemoryRow: inMemoryIter / m });
  console.log(`run ${run + 1}: streamed ${((streamedIter / n) * 1e9).toFixed(2)} ns per row and iteration, in memory ${((inMemoryIter / m) * 1e9).toFixed(2)}: ${(streamedIter / n / (inMemoryIter / m)).toFixed(2)}×`);
}
const ns = (sec) => `${(sec * 1e9).toFixed(2)} ns`;
const listed = (values, format) => (RUNS > 1 ? ` (runs: ${values.map(format).join(', ')})` : '');
const ratios = runs.map((r) => r.streamedRow / r.inMemoryRow);
console.log(`\n## kmeansStream, ${n} × ${d} float32 (.npy, ${gib(n * d * 4)}), k = ${k}, ${ITER} Lloyd iterations, one thread, ${RUNS} run${RUNS === 1 ? '' : 's'}\n`);
console.log(table(['', RUNS > 1 ? 'median' : 'value'], [
  ['whole fit (2 statistics passes, 10 iterations, 1 final pass)', `${fmtSec(median(runs.map((r) => r.total)))} s`],
  ['statistics passes (first run)', runs[0].statistics.map((sec) => fmtSec(sec)).join(', ') + ' s'],
  ['streamed, per iteration and row (median of the passes)', ns(median(runs.map((r) => r.streamedRow))) + listed(runs.map((r) => r.streamedRow), ns)],
  [`in memory (${m} rows), per iteration and row`, ns(median(runs.map((r) => r.inMemoryRow))) + listed(runs.map((r) => r.inMemoryRow), ns)],
  ['streamed / in memory, per row', `${median(ratios).toFixed(2)}×` + listed(ratios, (v) => `${v.toFixed(2)}×`)],
  ['peak resident set (first run)', gib(peakRss)],
  ['inertia', result.inertia.toExponential(6)],
]));
if (!args.keep) rmSync(path);
