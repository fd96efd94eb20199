// Whole k-means fits on the cases of PEERS.md: k-means++ seeding (randomState 0), tol 1e-4, nInit 1, to
// convergence, and the digits with nInit 10 as the handbook fits them ('digits-ninit10'); wasmeans with each
// algorithm it has, on one thread and two, against scikit-learn's lloyd and elkan with 1 and 2 threads, and faiss.
// Usage: node bench/fit.mjs [--quick] [--cases a,b] [--no-python]. Not part of the tests.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, KMeans } from '../build/index.js';
import { peerCases, runPythonPeers, selectCases } from './cases.mjs';
import { fmtRatio, fmtSec, median, parseArgs, table } from './util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = parseArgs(['quick', 'no-python']);
const quick = !!args.quick;
const PYTHON = '/usr/bin/python3';
const scale = (n) => (quick ? Math.round(n / 20) : n);
const BUDGET_SEC = quick ? 5 : 40;
const THREADS = [1, 2];
const peers = peerCases(scale);
const digits = peers.find((c) => c.name === 'digits');
const cases = selectCases([...peers, { ...digits, name: 'digits-ninit10', nInit: 10 }], args.cases);
await init();

/** The algorithms this build of wasmeans accepts (the list grows with the accelerated ones). */
const ALGORITHMS = ['lloyd', 'hamerly', 'elkan', 'yinyang', 'auto'].filter((algorithm) => {
  try {
    new KMeans({ algorithm });
    return true;
  } catch {
    return false;
  }
});
const hasThreads = typeof KMeans.prototype.fitAsync === 'function';
if (!hasThreads) console.log('notice: this build has no fitAsync: wasmeans runs on one thread only');

async function timeFits(fit, maxRepeats) {
  await fit(); // warm-up: tier-up, arena growth, worker start
  const seconds = [];
  let total = 0;
  let model;
  for (let r = 0; r < maxRepeats; r++) {
    const start = performance.now();
    model = await fit();
    const s = (performance.now() - start) / 1000;
    seconds.push(s);
    total += s;
    if (total + s > BUDGET_SEC) break;
  }
  return { seconds, nIter: model.nIter, inertia: model.inertia };
}

function runPython(X, k, nInit, maxRepeats) {
  return runPythonPeers(PYTHON, 'peers_fit.py', { n: X.rows, d: X.cols, k, nInit, maxRepeats, budgetSec: BUDGET_SEC, threads: THREADS }, { x: X.data });
}

const python = !args['no-python'] && existsSync(PYTHON);
if (!python) console.log(`notice: scikit-learn and faiss skipped (${args['no-python'] ? '--no-python' : `${PYTHON} not found`})`);
const results = [];
for (const c of cases) {
  const X = c.data();
  const { k, nInit = 1 } = c;
  const maxRepeats = quick ? 2 : 5;
  console.error(`${c.name}: n=${X.rows} d=${X.cols} k=${k} nInit=${nInit}`);
  const runs = {};
  for (const algorithm of ALGORITHMS) {
    const options = { nClusters: k, randomState: 0, tol: 1e-4, nInit, algorithm, onWarning: () => {} };
    runs[`wasmeans-${algorithm}-1`] = await timeFits(() => new KMeans(options).fit(X), maxRepeats);
    if (hasThreads) runs[`wasmeans-${algorithm}-2`] = await timeFits(() => new KMeans(options).fitAsync(X, { threads: 2 }), maxRepeats);
  }
  if (python) Object.assign(runs, runPython(X, k, nInit, maxRepeats));
  results.push({ name: c.name, n: X.rows, d: X.cols, k, runs });
}

const secondsOf = (run) => (run && !run.skipped ? median(run.seconds) : undefined);
for (const threads of THREADS) {
  const ours = ALGORITHMS.map((a) => `wasmeans-${a}-${threads}`).filter((name) => results.some((r) => r.runs[name]));
  if (ours.length === 0) continue;
  const peers = [`sklearn-lloyd-${threads}`, `sklearn-elkan-${threads}`, `faiss-${threads}`];
  console.log(`\nWhole fits, ${threads} thread(s), median seconds [iterations]; × = scikit-learn's faster algorithm / wasmeans' best.\n`);
  console.log(table(
    ['case (n, d, k)', ...ours.map((n) => n.replace(/^wasmeans-|-\d$/g, '')), ...peers.map((n) => n.replace(/-\d$/, '')), '×'],
    results.map((r) => {
      const cell = (name) => (r.runs[name] ? `${fmtSec(secondsOf(r.runs[name]))} [${r.runs[name].nIter}]` : '—');
      const best = Math.min(...ours.map((n) => secondsOf(r.runs[n]) ?? Infinity));
      const sk = Math.min(...peers.slice(0, 2).map((n) => secondsOf(r.runs[n]) ?? Infinity));
      return [`${r.name} (${r.n}, ${r.d}, ${r.k})`, ...ours.map(cell), ...peers.map(cell), Number.isFinite(sk) ? fmtRatio(sk / best) : '—'];
    }),
  ));
}
console.log('\nInertia, relative to wasmeans lloyd (1 thread):\n');
console.log(table(
  ['case', 'wasmeans lloyd', ...Object.keys(results[0].runs).filter((n) => n !== 'wasmeans-lloyd-1')],
  results.map((r) => {
    const base = r.runs['wasmeans-lloyd-1'].inertia;
    return [r.name, base.toPrecision(8), ...Object.entries(r.runs).filter(([n]) => n !== 'wasmeans-lloyd-1')
      .map(([, run]) => (run.inertia === undefined ? '—' : ((run.inertia - base) / base).toExponential(1)))];
  }),
));
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results/fit-latest.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model, quick, cases: results }, null, 1) + '\n');
console.log('\nwrote bench/results/fit-latest.json');
