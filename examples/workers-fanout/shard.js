// A shard Worker: one shard's share of a statistics pass or of one Lloyd iteration, its rows read from R2, the
// partial returned as bytes (KMeansPartial.toBytes). The coordinator (coordinator.js) sends the pass, the shard's
// key and first row, and the frame and centers in JSON.
import { init, lloydPartial, statisticsPartial } from 'wasmeans';

/** A shard in R2: rows and cols as two little-endian uint32, then rows × cols float32, row-major. */
async function readShard(bucket, key) {
  const object = await bucket.get(key);
  if (!object) throw new Error(`there is no object ${JSON.stringify(key)} in the bucket`);
  const bytes = await object.arrayBuffer();
  const [rows, cols] = new Uint32Array(bytes, 0, 2);
  return { data: new Float32Array(bytes, 8, rows * cols), rows, cols };
}

/** The frame and centers as JSON carries them (arrays), back to what the step API takes. */
export const frameFromJSON = (frame) => frame && { ...frame, shift: frame.shift && Float64Array.from(frame.shift) };
export const centersFromJSON = (centers) => (Array.isArray(centers) ? centers : { frameCenters: Float64Array.from(centers.frameCenters) });

export default {
  async fetch(request, env) {
    const { pass, key, rowOffset, frame, centers } = await request.json();
    try {
      await init();
      const X = await readShard(env.DATA, key);
      const partial = pass === 'statistics'
        ? statisticsPartial(X, { frame: frameFromJSON(frame) })
        : lloydPartial(X, centersFromJSON(centers), { frame: frameFromJSON(frame), rowOffset });
      return new Response(partial.toBytes(), { headers: { 'content-type': 'application/octet-stream' } });
    } catch (error) {
      return new Response(`shard ${key}: ${error.message}`, { status: 500 });
    }
  },
};
