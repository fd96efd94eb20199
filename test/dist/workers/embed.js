// A Cloudflare Worker that embeds what it is sent with t-SNE: POST {"X": number[][], "perplexity": p,
// "randomState": s} and get {embedding, neighbors} back (the kNN graph's first row's neighbours too). It calls the
// graph module's kernels, so the workerd entry loads wasmeans-graph.wasm beside wasmeans.wasm for it.
import { init, kneighborsGraph, TSNE } from 'wasmeans';

export default {
  async fetch(request) {
    const { X, perplexity, randomState } = await request.json();
    await init();
    const embedded = new TSNE({ perplexity, randomState }).fitTransform(X);
    const graph = kneighborsGraph(X, 3);
    return Response.json({ embedding: Array.from(embedded.data), neighbors: Array.from(graph.indices.subarray(0, 3)) });
  },
};
