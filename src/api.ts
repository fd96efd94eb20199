// Everything public except init(), which each entry defines for its own way of shipping the wasm.
export { WasmeansError, type WasmeansErrorCode } from './errors';
export type { Matrix, DataInput, Labels } from './input';
export { simdBuild, type WasmSource } from './wasm';
export type { WarningHandler, WarningKind } from './warnings';
export {
  KMeans, kmeans, kmeansAsync, kmeansPlusPlus,
  type KMeansOptions, type ThreadOptions, type KMeansResult, type KMeansInit, type KMeansAlgorithm, type KMeansPlusPlusOptions,
} from './kmeans';
export { RandomState } from './random';
export { shutdownThreads } from './kmeans';
export type { FitOptions } from './model';
export { MiniBatchKMeans, type MiniBatchKMeansOptions } from './minibatch';
export { quantize, type QuantizeOptions, type QuantizeResult, type PixelBuffer } from './quantize';
export {
  silhouetteSamples, silhouetteScore, calinskiHarabaszScore, daviesBouldinScore, adjustedRandScore, normalizedMutualInfoScore,
  adjustedMutualInfoScore, homogeneityCompletenessVMeasure, confusionMatrix, accuracyScore, matchLabels, pairwiseDistancesArgmin,
  type SilhouetteScoreOptions, type HomogeneityCompletenessVMeasure, type ConfusionMatrix, type MatchLabelsOptions, type MatchMethod,
} from './metrics';
export { kneighborsGraph, type KNeighborsGraphOptions, type KNeighborsMode } from './neighbors';
export type { CsrMatrix } from './sparse';
