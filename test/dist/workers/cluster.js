// A Cloudflare Worker that clusters what it is sent: POST {"X": number[][], "nClusters": k, "randomState": s}
// (optionally "threads": n, to fit with fitAsync) and get {labels, inertia, centers} back. workers.test.ts bundles it as wrangler would (the `workerd` export
// condition, .wasm imports kept as modules) and once without that condition, to show why the condition exists.
import { init, KMeans, WasmeansError } from 'wasmeans';

const json = (body, status = 200) => Response.json(body, { status });

// JSON has no literal for NaN or ±Infinity; clients that mean them send the strings.
const nonFinite = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
const revive = (_key, value) => (typeof value === 'string' && value in nonFinite ? nonFinite[value] : value);

export default {
  async fetch(request) {
    if (request.method !== 'POST') return json({ error: 'POST a JSON body {"X": number[][], "nClusters": k}', code: 'METHOD' }, 405);
    let body;
    try {
      body = JSON.parse(await request.text(), revive);
    } catch (error) {
      return json({ error: `the body is not JSON: ${error.message}`, code: 'BAD_JSON' }, 400);
    }
    try {
      await init();
      const { X, nClusters, randomState, threads } = body ?? {};
      // fitAsync runs on this thread in workerd (no worker_threads): the same model as fit.
      const model = threads ? await new KMeans({ nClusters, randomState }).fitAsync(X, { threads }) : new KMeans({ nClusters, randomState }).fit(X);
      const { data, rows, cols } = model.clusterCenters;
      const centers = Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
      return json({ labels: Array.from(model.labels), inertia: model.inertia, centers });
    } catch (error) {
      if (!(error instanceof WasmeansError)) throw error;
      // The caller's data or options are at fault, or this deployment is (UNSUPPORTED: see workers.test.ts).
      return json({ error: error.message, code: error.code }, error.code.startsWith('INVALID_') ? 400 : 500);
    }
  },
};
