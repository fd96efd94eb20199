// The coordinator of a k-means fit over shard Workers: a Durable Object (one fit at a time, its state in one place)
// that fans each pass out to the shards through a service binding, merges their partials and finalises each
// iteration with the public step API: two statistics passes fix the frame, then Lloyd iterations until
// scikit-learn's stopping rule holds. A shard that fails is retried; one that keeps failing ends the fit with an
// error that names it. POST {"shards": [{"key", "offset"}], "init": number[][], "tol"?, "maxIter"?, "retries"?}.
import { finalizePartial, frameOf, init, KMeansPartial, mergePartials } from 'wasmeans';

const frameToJSON = (frame) => ({ ...frame, shift: frame.shift && Array.from(frame.shift) });
const centersToJSON = (centers) => (Array.isArray(centers) ? centers : { frameCenters: Array.from(centers.frameCenters) });
const rowsOf = ({ data, rows, cols }) => Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));

export class KMeansCoordinator {
  constructor(state, env) {
    this.env = env;
  }

  async fetch(request) {
    const { shards, init: initialCenters, tol = 1e-4, maxIter = 300, retries = 2 } = await request.json();
    await init();
    /** One shard's partial, retried `retries` times. */
    const ask = async (shard, body) => {
      let last;
      for (let attempt = 0; attempt <= retries; attempt++) {
        try {
          const response = await this.env.SHARD.fetch('https://shard/', { method: 'POST', body: JSON.stringify({ ...body, key: shard.key, rowOffset: shard.offset }) });
          if (response.ok) return KMeansPartial.fromBytes(new Uint8Array(await response.arrayBuffer()));
          last = `HTTP ${response.status}: ${await response.text()}`;
        } catch (error) {
          last = error.message;
        }
      }
      throw new Error(`shard ${shard.key} failed ${retries + 1} times; last: ${last}`);
    };
    // Every shard's partial, merged in shard order (the merge is exact: any order gives the same bits).
    const pass = async (body) => (await Promise.all(shards.map((shard) => ask(shard, body)))).reduce(mergePartials);
    try {
      let frame = frameOf(await pass({ pass: 'statistics' }));
      frame = frameOf(await pass({ pass: 'statistics', frame: frameToJSON(frame) }), 'euclidean', frame);
      let centers = initialCenters;
      let nIter = 0;
      for (; nIter < maxIter; nIter++) {
        const step = finalizePartial(await pass({ pass: 'lloyd', frame: frameToJSON(frame), centers: centersToJSON(centers) }), centers, { frame, tol });
        centers = step;
        if (step.converged) break;
      }
      // Inertia and labels' centers are the final centers': one more pass, as fit's final E-step.
      const final = finalizePartial(await pass({ pass: 'lloyd', frame: frameToJSON(frame), centers: centersToJSON(centers) }), centers, { frame, tol });
      return Response.json({ centers: rowsOf(centers.centers), nIter: Math.min(nIter + 1, maxIter), inertia: final.inertia });
    } catch (error) {
      return Response.json({ error: error.message }, { status: 502 });
    }
  }
}

/** The Worker in front: every request goes to the one coordinator. */
export default {
  fetch(request, env) {
    return env.COORDINATOR.get(env.COORDINATOR.idFromName('kmeans')).fetch(request);
  },
};
