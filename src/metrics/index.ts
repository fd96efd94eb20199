// The evaluation functions of the main entry, as scikit-learn 1.2.1 computes them.
export {
  adjustedRandScore, normalizedMutualInfoScore, adjustedMutualInfoScore, homogeneityCompletenessVMeasure,
  type HomogeneityCompletenessVMeasure,
} from './supervised';
export { silhouetteSamples, silhouetteScore, calinskiHarabaszScore, daviesBouldinScore, type SilhouetteScoreOptions } from './unsupervised';
export {
  confusionMatrix, accuracyScore, matchLabels, type ConfusionMatrix, type MatchLabelsOptions, type MatchMethod,
} from './classification';
export { pairwiseDistancesArgmin } from './pairwise';
