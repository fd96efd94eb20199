// The one wasm module: every kernel, exported with a number-and-offset ABI.
export { heapBase, relaxedSimd, packCenters, assignedSqDistances, distancesToCenters, scanColumns, writeShiftedRows, scanColumnsF32, shiftRowsF32, gatherRows } from './common';
export { lloydChunk, assignLabels, chunkSums } from './lloyd';
export { seedingPotentials, updateClosest } from './seeding';
export { clusterDistanceSums } from './silhouette';
export { packRows4, kneighborsChunk, kneighborsGrid } from './neighbors';
export { csrMatvec, csrChebyshevStep, dotColumns, subtractColumns, combineColumns } from './krylov';
export { centerGeometry, rowNorms, takeDistanceCount } from './bounds';
export { hamerlyStep } from './hamerly';
export { elkanStep } from './elkan';
export { yinyangStep } from './yinyang';
