// The graph module: neighbours, sparse linear algebra (the spectral embedding's Krylov and multigrid steps),
// t-SNE and the silhouette. Compiled with an imported memory, the core module's, and with no static data, so
// that instantiating it writes nothing into that memory; its kernels take the same byte offsets as the core's.
export { packRows4, kneighborsChunk, kneighborsGrid, kneighborsGroups, nearestCentres } from './neighbors/kneighbors';
export { csrMatvec, dotColumns, subtractColumns, combineColumns } from './manifold/krylov';
export { csrGaussSeidel, csrMultiplyAdd } from './manifold/multigrid';
export { perplexityRows, tsneAttractive, bhBuild, bhRepulsive, bhGradient, tsneExactGradient, tsneStep } from './manifold/tsne';
export { fftRows, fftColumns } from './manifold/fft';
export { gridKernel, gridKernelTransform, gridSpread, gridMultiply, gridInterpolate } from './manifold/tsne-grid';
export { clusterDistanceSums } from './metrics/silhouette';
export { graphDataEnd } from './runtime/module';
