// Everything public except init(), which each entry defines for its own way of shipping the wasm.
export { WasmeansError, type WasmeansErrorCode } from './core/errors';
export type { Matrix, Matrix64, DataInput, Labels } from './core/data';
export { simdBuild, type WasmSource } from './runtime/module';
export type { WarningHandler, WarningKind } from './core/warnings';
export {
  KMeans, kmeans, kmeansAsync, shutdownThreads,
  type KMeansOptions, type ThreadOptions, type KMeansResult, type KMeansInit, type KMeansAlgorithm,
} from './cluster/kmeans';
export { kmeansPlusPlus, type KMeansPlusPlusOptions } from './cluster/seeding';
export { RandomState } from './core/random';
export { toMatrix, takeRows, getRow, toArrays, reshape } from './core/matrix';
export { fromArrow, type ArrowTableLike } from './core/arrow';
export type { FitOptions } from './cluster/center-model';
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from './cluster/minibatch';
export {
  statisticsPartial, frameOf, lloydPartial, mergePartials, finalizePartial, kmeansParallelRound, KMeansPartial, type KMeansFrame, type KMeansStep,
  type FrameCenters,
} from './cluster/partial';
export { kmeansStream, readNpy, type StreamSource, type StreamChunk, type StreamProgress, type StreamOptions } from './cluster/stream';
export { quantize, type QuantizeOptions, type QuantizeResult, type PixelBuffer } from './cluster/quantize';
export {
  silhouetteSamples, silhouetteScore, calinskiHarabaszScore, daviesBouldinScore, adjustedRandScore, normalizedMutualInfoScore,
  adjustedMutualInfoScore, homogeneityCompletenessVMeasure, confusionMatrix, accuracyScore, matchLabels, pairwiseDistancesArgmin,
  type SilhouetteScoreOptions, type HomogeneityCompletenessVMeasure, type ConfusionMatrix, type MatchLabelsOptions, type MatchMethod,
} from './metrics';
export { kneighborsGraph, type KNeighborsGraphOptions, type KNeighborsMode } from './neighbors/kneighbors';
export type { CsrMatrix } from './core/sparse';
export {
  SpectralClustering, type SpectralClusteringOptions, type SpectralAffinity, type SpectralAssignLabels,
} from './cluster/spectral';
export { spectralEmbedding, type SpectralEmbeddingOptions, type EigenSolver } from './manifold/spectral-embedding';
export { TSNE, type TSNEOptions, type TSNEMethod, type TSNEProgress } from './manifold/tsne';
export { trustworthiness, type TrustworthinessOptions } from './manifold/trustworthiness';
