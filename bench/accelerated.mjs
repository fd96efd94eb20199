// Exact accelerated k-means (Hamerly, Elkan, Yinyang) against Lloyd on the blob cases: the same explicit init
// (k rows), default tol 1e-4 and maxIter 300, one thread. Reports the median seconds per full run on the
// workspace (the fit without copying X in), the distance evaluations and whether labels/nIter/centers equal Lloyd's.
// Usage: node bench/accelerated.mjs [--quick] [--cases name1,name2] [--repeats 3]. Bundles the internals from src/ with esbuild.
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { fmtRatio, fmtSec, importInternals, loadCsvGz, makeBlobs, median, parseArgs, pickRows, table } from './util.mjs';

const args = parseArgs(['quick']);
const scale = (n) => (args.quick ? Math.round(n / 20) : n);
const repeats = Number(args.repeats ?? 3);
const here = dirname(fileURLToPath(import.meta.url));
const blobs = (n, d, k, seed) => () => makeBlobs({ n: scale(n), d, k, seed });
const CASES = [
  { name: 'blobs-100k-2-8', k: 8, seed: 1, data: blobs(100_000, 2, 8, 1) },
  { name: 'blobs-100k-16-64', k: 64, seed: 2, data: blobs(100_000, 16, 64, 2) },
  { name: 'blobs-100k-64-256', k: 256, seed: 3, data: blobs(100_000, 64, 256, 3) },
  { name: 'blobs-1m-8-16', k: 16, seed: 4, data: blobs(1_000_000, 8, 16, 4) },
  { name: 'digits-10', k: 10, seed: 5, data: () => loadCsvGz(join(here, '../data/digits.csv.gz'), 64) },
  { name: 'digits-100', k: 100, seed: 6, data: () => loadCsvGz(join(here, '../data/digits.csv.gz'), 64) },
];
const cases = args.cases ? CASES.filter((c) => String(args.cases).split(',').includes(c.name)) : CASES;

const lib = await importInternals({
  'cluster/lloyd': ['lloydRun'],
  'cluster/accelerated': ['hamerlyRun', 'elkanRun', 'yinyangRun'],
  'cluster/workspace': ['prepareWorkspace'],
  'core/data': ['readData', 'readSampleWeight', 'rowsOf', 'allRows'],
  'runtime/module': ['getKernels'],
});

const ALGOS = { lloyd: lib.lloydRun, hamerly: lib.hamerlyRun, elkan: lib.elkanRun, yinyang: lib.yinyangRun };
const rows = [];
for (const c of cases) {
  const X = c.data();
  const { centers } = pickRows(X, c.k, c.seed);
  const kernels = lib.getKernels();
  const ws = lib.prepareWorkspace(kernels, lib.readData(X), lib.readSampleWeight(undefined, X.rows), c.k, { what: 'bench' });
  const init = lib.rowsOf(lib.readData(centers), lib.allRows(c.k), ws.shift);
  const tolerance = 1e-4 * ws.meanVariance;
  let lloyd;
  for (const [name, run] of Object.entries(ALGOS)) {
    const secs = [];
    let out;
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      out = run(ws, init, 300, tolerance);
      secs.push((performance.now() - t0) / 1000);
    }
    // Lloyd: n·k per E-step, counting the final E-step after a shift-based stop (an upper estimate).
    if (name === 'lloyd') lloyd = { ...out, sec: median(secs), distanceCount: X.rows * c.k * (out.nIter + 1) };
    const same = name === 'lloyd' || (out.nIter === lloyd.nIter && out.labels.every((l, i) => l === lloyd.labels[i]) &&
      out.centers.every((v, i) => v === lloyd.centers[i]));
    rows.push([
      c.name, name, String(out.nIter), fmtSec(median(secs)), fmtRatio(lloyd.sec / median(secs)),
      (out.distanceCount ?? lloyd.distanceCount).toExponential(2), fmtRatio(lloyd.distanceCount / (out.distanceCount ?? lloyd.distanceCount)),
      same ? 'yes' : 'NO',
    ]);
    console.error(rows.at(-1).join('  '));
  }
}
console.log(table(['case', 'algorithm', 'nIter', 'sec/run (median)', 'speed-up', 'distances', 'fewer', '≡ Lloyd'], rows));
