// The `wasmeans/spectral` entry: spectral clustering and embedding on their own, for runtimes without a bundler
// (the main entry exports them too, and bundlers drop what is not imported). It shares the core's wasm instance,
// so `init()` from 'wasmeans' serves it.
export {
  SpectralClustering, type SpectralClusteringOptions, type SpectralAffinity, type SpectralAssignLabels,
} from './cluster/spectral';
export { spectralEmbedding, type SpectralEmbeddingOptions, type EigenSolver } from './manifold/spectral-embedding';
export { kneighborsGraph, type KNeighborsGraphOptions, type KNeighborsMode } from './neighbors/kneighbors';
export type { CsrMatrix } from './core/sparse';
