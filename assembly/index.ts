// The core wasm module: every kernel that k-means calls, with a number-and-offset ABI. Kernels never allocate,
// validate or throw; the TypeScript side owns every buffer. The kernels of neighbours, sparse linear algebra,
// t-SNE and the silhouette are a second module (graph.ts) over this one's memory, loaded only by apps that import
// code calling them, so that a k-means app downloads none of their bytes; the threaded and relaxed-SIMD builds
// (all.ts) carry both. scripts/generate-abi.mjs reads these lists and the kernels' declarations to write the
// TypeScript view (src/generated/kernels.ts), and a test holds that view against each compiled module's exports.
export { heapBase, relaxedSimd } from './runtime/module';
export { scanColumns, scanColumnsF32, writeShiftedRows, shiftRowsF32, gatherRows, normalizeRows } from './runtime/ingest';
export { packCenters } from './cluster/score';
export { lloydChunk, assignLabels, assignedSqDistances, distancesToCenters } from './cluster/lloyd';
export { centerGeometry, rowNorms, takeDistanceCount } from './cluster/bounds';
export { hamerlyStep } from './cluster/hamerly';
export { elkanStep } from './cluster/elkan';
export { yinyangGeometry, yinyangStep } from './cluster/yinyang';
export { drawInChunk, seedingPotentials, updateClosest } from './cluster/seeding';
export { binnedAdd } from './core/binned';
