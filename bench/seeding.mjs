// Seeding against the Lloyd iterations that follow it, on the six cases of PEERS.md: greedy k-means++
// (scikit-learn's), k-means|| and k-means++ and k-means|| on a 10% subsample (initSampleSize), each followed by
// Lloyd to convergence (tol 1e-4) on all rows.
// Times the seeding and the Lloyd run separately (the internals are bundled from src/ with esbuild), and
// reports the final inertia against greedy k-means++'s. Usage: node bench/seeding.mjs [--quick] [--seeds N]
// [--cases name1,name2]. Not part of the tests.
import { peerCases } from './cases.mjs';
import { importInternals, makeBlobs, median, parseArgs, table } from './util.mjs';

const args = parseArgs(['quick']);
const quick = !!args.quick;
const nSeeds = Number(args.seeds ?? (quick ? 1 : 3));
const scale = (n) => (quick ? Math.round(n / 20) : n);

// The internals: a workspace, the seeders and one Lloyd run, as fitKMeans chains them.
const W = await importInternals({
  'cluster/seeding': ['makeSeeder', 'defaultLocalTrials'],
  'cluster/workspace': ['prepareWorkspace'],
  'cluster/lloyd': ['lloydRun'],
  'core/data': ['readData', 'rowsOf'],
  'core/random': ['RandomState'],
  'runtime/module': ['getKernels'],
});

// The six cases of PEERS.md (bench/cases.mjs), the same data as the whole-fit and Lloyd benchmarks.
const CASES = peerCases(scale);
const want = args.cases ? String(args.cases).split(',') : CASES.map((c) => c.name);
const METHODS = [
  { name: 'k-means++ (greedy)', init: 'k-means++' },
  { name: 'k-means|| (ℓ=2k, 2 rounds)', init: 'k-means||', initRounds: 2 },
  { name: 'k-means|| (ℓ=2k, 5 rounds)', init: 'k-means||', initRounds: 5 },
  { name: 'k-means++ on 10%', init: 'k-means++', sample: 0.1 },
  { name: 'k-means|| on 10%', init: 'k-means||', sample: 0.1 },
];
const log = (...m) => console.error(...m);
const seedOptions = (m, n, k) => ({
  init: m.init, nLocalTrials: W.defaultLocalTrials(k), oversamplingFactor: 2 * k, initRounds: m.initRounds ?? 2,
  initSampleSize: m.sample ? Math.round(m.sample * n) : undefined,
});
// Warm-up (wasm tier-up, JIT of the JS loops): every method once on a small case, untimed.
{
  const small = W.readData(makeBlobs({ n: 20_000, d: 16, k: 32, seed: 9 }));
  const ws = W.prepareWorkspace(W.getKernels(), small, new Float64Array(20_000).fill(1), 32, { what: 'warm-up' });
  for (const m of METHODS) W.lloydRun(ws, W.rowsOf(small, W.makeSeeder(ws, 32, seedOptions(m, 20_000, 32))(new W.RandomState(0)), ws.shift), 300, 0);
}
const now = () => performance.now() / 1000;
const out = [];

for (const c of CASES.filter((c) => want.includes(c.name))) {
  const { k } = c;
  const data = W.readData(c.data());
  const { rows: n, cols: d } = data;
  const t0 = now();
  const ws = W.prepareWorkspace(W.getKernels(), data, new Float64Array(n).fill(1), k, { what: c.name });
  const tCopy = now() - t0;
  log(`${c.name}: n=${n} d=${d} k=${k}, ${nSeeds} seed(s); copy into wasm ${tCopy.toFixed(3)} s`);
  const rows = [];
  let reference;
  for (const m of METHODS) {
    const seeder = W.makeSeeder(ws, k, seedOptions(m, n, k));
    const seedSec = [], lloydSec = [], iters = [], inertias = [];
    for (let s = 0; s < nSeeds; s++) {
      const a = now();
      const picked = seeder(new W.RandomState(s));
      const b = now();
      const result = W.lloydRun(ws, W.rowsOf(data, picked, ws.shift), 300, 1e-4 * ws.meanVariance);
      const e = now();
      seedSec.push(b - a); lloydSec.push(e - b); iters.push(result.nIter); inertias.push(result.inertia);
    }
    const inertia = inertias.reduce((x, y) => x + y) / nSeeds;
    const seed = median(seedSec), lloyd = median(lloydSec), nIter = median(iters);
    reference ??= inertia;
    const perIter = lloyd / nIter;
    const row = { case: c.name, method: m.name, seedSec: seed, lloydSec: lloyd, nIter, seedInIters: seed / perIter, inertia, ratio: inertia / reference, inertias };
    rows.push(row);
    out.push(row);
    log(`  ${m.name.padEnd(28)} seed ${seed.toFixed(3)} s, Lloyd ${lloyd.toFixed(3)} s (${nIter} it), seeding = ${(seed / perIter).toFixed(1)} Lloyd iterations, inertia ×${(inertia / reference).toFixed(4)}`);
  }
  console.log(`\n### ${c.name} (n=${n}, d=${d}, k=${k}; medians over ${nSeeds} seed(s), inertia averaged)\n`);
  console.log(table(
    ['seeding', 'seeding s', 'Lloyd s', 'Lloyd iterations', 'seeding in Lloyd iterations', 'seeding share', 'inertia / greedy k-means++'],
    rows.map((r) => [r.method, r.seedSec.toFixed(3), r.lloydSec.toFixed(3), String(r.nIter), r.seedInIters.toFixed(1),
      `${((100 * r.seedSec) / (r.seedSec + r.lloydSec)).toFixed(0)}%`, r.ratio.toFixed(4)]),
  ));
}
