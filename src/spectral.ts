// The `wasmeans/spectral` entry: spectral clustering and embedding. Kept out of the core entry so that the core
// stays within its size budget; it shares the core's wasm instance, so `init()` from 'wasmeans' serves it too.
export {
  SpectralClustering, type SpectralClusteringOptions, type SpectralAffinity, type SpectralAssignLabels,
} from './cluster/spectral';
export { spectralEmbedding, type SpectralEmbeddingOptions, type EigenSolver } from './manifold/spectral-embedding';
export { kneighborsGraph, type KNeighborsGraphOptions, type KNeighborsMode } from './neighbors/kneighbors';
export type { CsrMatrix } from './core/sparse';
