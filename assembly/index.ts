// The one wasm module: every kernel the TypeScript side calls, with a number-and-offset ABI. Kernels never
// allocate, validate or throw; the TypeScript side owns every buffer. scripts/generate-abi.mjs reads this list
// and the kernels' declarations to write the TypeScript view (src/generated/kernels.ts), and a test holds that
// view against the compiled module's exports.
export { heapBase, relaxedSimd } from './runtime/module';
export { scanColumns, scanColumnsF32, writeShiftedRows, shiftRowsF32, gatherRows, normalizeRows } from './runtime/ingest';
export { packCenters } from './cluster/score';
export { lloydChunk, chunkSums, assignLabels, assignedSqDistances, distancesToCenters } from './cluster/lloyd';
export { centerGeometry, rowNorms, takeDistanceCount } from './cluster/bounds';
export { hamerlyStep } from './cluster/hamerly';
export { elkanStep } from './cluster/elkan';
export { yinyangStep } from './cluster/yinyang';
export { seedingPotentials, updateClosest } from './cluster/seeding';
export { packRows4, kneighborsChunk, kneighborsGrid, kneighborsGroups, nearestCentres } from './neighbors/kneighbors';
export { csrMatvec, dotColumns, subtractColumns, combineColumns } from './manifold/krylov';
export { csrGaussSeidel, csrMultiplyAdd } from './manifold/multigrid';
export { perplexityRows, tsneAttractive, bhBuild, bhRepulsive, bhGradient, tsneExactGradient, tsneStep } from './manifold/tsne';
export { fftRows, fftColumns } from './manifold/fft';
export { gridKernel, gridKernelTransform, gridSpread, gridMultiply, gridInterpolate } from './manifold/tsne-grid';
export { clusterDistanceSums } from './metrics/silhouette';
export { binnedAdd } from './core/binned';
