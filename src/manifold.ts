// The `wasmeans/manifold` entry: t-SNE, trustworthiness and the spectral embedding on their own, for runtimes
// without a bundler (the main entry exports them too). It shares the core's wasm instance, so `init()` from
// 'wasmeans' serves it.
export { TSNE, type TSNEOptions, type TSNEMethod, type TSNEProgress } from './manifold/tsne';
export { trustworthiness, type TrustworthinessOptions } from './manifold/trustworthiness';
export { spectralEmbedding, type SpectralEmbeddingOptions, type EigenSolver } from './manifold/spectral-embedding';
export type { CsrMatrix } from './core/sparse';
