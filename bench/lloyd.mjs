// Lloyd iterations, wasmeans against its peers on the cases of PEERS.md: same float32 data, same k initial
// rows, 20 iterations, tolerance 0, one thread each (and the Python peers with two threads too). Usage: node bench/lloyd.mjs [--quick]
// [--cases name1,name2] [--no-python]. Not part of the tests (the whole run takes minutes).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kmeans as mlKmeans } from 'ml-kmeans';
import skmeans from 'skmeans';
import { init, kmeans, kmeansAsync, shutdownThreads } from '../build/index.js';
import { peerCases, runPythonPeers, selectCases } from './cases.mjs';
import {
  fmtRatio, fmtRel, fmtSec, fromArrays, inertia, parseArgs, pickRows, relDiff, table, tiedRows, timeRepeats, timeRepeatsAsync, toArrays,
} from './util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(['quick', 'no-python']);
const quick = !!args.quick;
const ITER = 20;
const PYTHON = '/usr/bin/python3'; // the interpreter with scikit-learn 1.2.1 and faiss 1.7.3
// --quick: a twentieth of the points and at most two runs, for a smoke run.
const scale = (n) => (quick ? Math.round(n / 20) : n);
const BUDGET_SEC = quick ? 5 : 60; // per peer and case: slow peers get fewer repeats

const CASES = peerCases(scale);
const PEERS = ['scikit-learn', 'scikit-learn elkan', 'faiss', 'ml-kmeans', 'skmeans'];
/** Two-thread peers, in a table of their own. */
const PEERS_2T = ['scikit-learn 2t', 'scikit-learn elkan 2t', 'faiss 2t'];

const cases = selectCases(CASES, args.cases);

let python = !args['no-python'];
if (python && !existsSync(PYTHON)) {
  console.log(`notice: ${PYTHON} not found, skipping the Python peers (scikit-learn, faiss)`);
  python = false;
}

const log = (...m) => console.error(...m);
await init();
const results = [];

for (const c of cases) {
  const X = c.data(), k = c.k, { rows: n, cols: d } = X;
  if (c.note) console.log(`notice: ${c.name} is a ${c.note}`);
  // Fast cases get five runs, the heavy ones three; the budget trims slow peers further.
  const maxRepeats = quick ? 2 : n * d * k <= 2e7 ? 5 : 3;
  const { centers: C0, indices } = pickRows(X, k, 1000 + k);
  const C0rows = toArrays(C0);
  const peers = {};
  log(`${c.name}: n=${n} d=${d} k=${k}, ${maxRepeats} runs at most`);
  const record = (name, t, centers) => {
    peers[name] = { secPerIter: t.secPerIter, runs: t.runs, nIter: t.out.nIter, inertia: inertia(X, centers) };
    log(`  ${name.padEnd(12)} ${fmtSec(t.secPerIter)} s/iter over ${t.runs.length} run(s), ${t.out.nIter} iterations`);
    return peers[name];
  };

  // wasmeans: one untimed warm-up (wasm tier-up, arena growth), then timed runs.
  // algorithm 'lloyd': this bench times Lloyd iterations ('auto' would pick Hamerly from k·d ≥ 192).
  const runW = () => kmeans(X, k, { init: C0, maxIter: ITER, tol: 0, algorithm: 'lloyd', onWarning: () => {} });
  runW();
  const tw = timeRepeats(runW, { maxRepeats, budgetSec: BUDGET_SEC });
  const w = record('wasmeans', tw, tw.out.centers);
  w.reportedInertia = tw.out.inertia;
  // Two threads (fitAsync's worker_threads): the same run, bitwise the same result.
  const runW2 = () => kmeansAsync(X, k, { init: C0, maxIter: ITER, tol: 0, algorithm: 'lloyd', threads: 2, onWarning: () => {} });
  await runW2();
  const tw2 = await timeRepeatsAsync(runW2, { maxRepeats, budgetSec: BUDGET_SEC });
  record('wasmeans 2t', tw2, tw2.out.centers);

  // The plain-JS peers take number[][] (float64 copies of the same float32 values); conversion is untimed.
  const rowsX = toArrays(X);
  const tm = timeRepeats(() => {
    const r = mlKmeans(rowsX, k, { initialization: C0rows.map((r) => r.slice()), maxIterations: ITER, tolerance: 0 });
    return { nIter: r.iterations, centers: r.centroids };
  }, { maxRepeats, budgetSec: BUDGET_SEC });
  record('ml-kmeans', tm, fromArrays(tm.out.centers));

  // skmeans overwrites the initial-centers array it is given, so each run gets a fresh copy. Its `it`
  // counts one short when it stops on convergence, hence min(it + 1, ITER).
  const ts = timeRepeats(() => {
    const r = skmeans(rowsX, k, C0rows.map((r) => r.slice()), ITER);
    return { nIter: Math.min(r.it + 1, ITER), centers: r.centroids };
  }, { maxRepeats, budgetSec: BUDGET_SEC });
  record('skmeans', ts, fromArrays(ts.out.centers));

  if (python) {
    const py = runPython(X, C0, maxRepeats);
    for (const name of ['scikit-learn', 'scikit-learn elkan', 'faiss', ...PEERS_2T]) {
      const p = py[name];
      if (!p || p.skipped) { peers[name] = { skipped: p ? p.skipped : 'no output' }; continue; }
      const centers = { data: Float64Array.from(p.centers), rows: k, cols: d };
      record(name, { secPerIter: p.secPerIter, runs: p.runs, out: p }, centers).reportedInertia = p.inertia;
    }
  }

  // Every inertia is re-evaluated here at the final centers (float64), so they compare like for like.
  for (const p of Object.values(peers)) if (p.inertia !== undefined) p.relToWasmeans = relDiff(w.inertia, p.inertia);
  // Rows equidistant from two initial centers (integer data) are labelled by each side's rounding: a common,
  // innocent cause of diverging trajectories. Only looked for when scikit-learn disagrees.
  const sk = peers['scikit-learn'];
  const tied = sk && Math.abs(sk.relToWasmeans) > 1e-4 ? tiedRows(X, C0) : [];
  results.push({ name: c.name, n, d, k, note: c.note, initRows: Array.from(indices), tiedRows: tied, peers });
}

function runPython(X, C, maxRepeats) {
  const job = { n: X.rows, d: X.cols, k: C.rows, maxIter: ITER, maxRepeats, budgetSec: BUDGET_SEC };
  return runPythonPeers(PYTHON, 'peers.py', job, { x: X.data, init: Float32Array.from(C.data) });
}

// Tables: speed, then agreement of the final inertia.
const cell = (p, f) => (p && !p.skipped ? f(p) : '—');
console.log(`\nSeconds per Lloyd iteration, median, 1 thread${quick ? ' (QUICK: reduced n)' : ''}. `
  + '× = peer time / wasmeans time (above 1: wasmeans is faster).\n');
console.log(table(
  ['case (n, d, k)', 'wasmeans', 'GFLOP/s', ...PEERS.flatMap((p) => [p, '×'])],
  results.map((r) => {
    const w = r.peers.wasmeans;
    return [
      `${r.name} (${r.n}, ${r.d}, ${r.k})`, fmtSec(w.secPerIter), (2 * r.n * r.k * r.d / w.secPerIter / 1e9).toFixed(2),
      ...PEERS.flatMap((name) => [cell(r.peers[name], (p) => fmtSec(p.secPerIter)),
        cell(r.peers[name], (p) => fmtRatio(p.secPerIter / w.secPerIter))]),
    ];
  }),
));
console.log('\nTwo threads: seconds per Lloyd iteration, median; × = peer time / wasmeans time on two threads; '
  + 'wasmeans 1t→2t = its one-thread time / its two-thread time.\n');
console.log(table(
  ['case (n, d, k)', 'wasmeans', 'wasmeans 1t→2t', ...PEERS_2T.flatMap((p) => [p, '×'])],
  results.map((r) => {
    const w = r.peers['wasmeans 2t'];
    return [
      `${r.name} (${r.n}, ${r.d}, ${r.k})`, fmtSec(w.secPerIter), fmtRatio(r.peers.wasmeans.secPerIter / w.secPerIter),
      ...PEERS_2T.flatMap((name) => [cell(r.peers[name], (p) => fmtSec(p.secPerIter)),
        cell(r.peers[name], (p) => fmtRatio(p.secPerIter / w.secPerIter))]),
    ];
  }),
));
console.log('\nInertia at each peer\'s final centers (float64 re-evaluation): relative difference to wasmeans, '
  + '[iterations run]. Empty clusters: scikit-learn relocates like wasmeans; ml-kmeans keeps the old center, '
  + 'skmeans moves it to the origin, faiss splits a big cluster, so those may differ.\n');
console.log(table(
  ['case', 'wasmeans inertia', ...PEERS],
  results.map((r) => [
    r.name, `${r.peers.wasmeans.inertia.toPrecision(8)} [${r.peers.wasmeans.nIter}]`,
    ...PEERS.map((name) => cell(r.peers[name], (p) => `${fmtRel(p.relToWasmeans)} [${p.nIter}]`)),
  ]),
));

// Disagreements worth a look: wasmeans against its own reported inertia, and against scikit-learn.
for (const r of results) {
  const w = r.peers.wasmeans, sk = r.peers['scikit-learn'];
  const self = relDiff(w.inertia, w.reportedInertia);
  if (Math.abs(self) > 1e-5) console.log(`WARNING ${r.name}: wasmeans reports inertia ${w.reportedInertia}, re-evaluated ${w.inertia} (${fmtRel(self)})`);
  if (sk && !sk.skipped && Math.abs(sk.relToWasmeans) > 1e-4) {
    console.log(`WARNING ${r.name}: wasmeans and scikit-learn disagree: inertia ${w.inertia} vs ${sk.inertia} `
      + `(${fmtRel(sk.relToWasmeans)}), iterations ${w.nIter} vs ${sk.nIter}`);
    const t = r.tiedRows;
    if (t.length) console.log(`  ${t.length} row(s) tie exactly between their nearest initial centers (rows ${t.slice(0, 5).join(', ')}${t.length > 5 ? ', …' : ''}): argmin tie-breaking alone can explain it`);
  }
}

const out = {
  benchmark: 'lloyd', date: new Date().toISOString(), quick, iterations: ITER, node: process.version,
  cpu: cpus()[0]?.model, cores: cpus().length, cases: results,
};
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/lloyd-latest.json'), JSON.stringify(out, null, 1) + '\n');
await shutdownThreads();
console.log('\nwrote bench/results/lloyd-latest.json');
