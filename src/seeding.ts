// Initial centers: greedy k-means++ and random rows, drawing from numpy's legacy RandomState stream as
// scikit-learn does, so that the same seed picks the same rows.
import { f64View, i32View } from './arena';
import { cumulativeSum, RandomState, searchSorted } from './random';
import { MAX_SEEDING_TRIALS, type Workspace } from './workspace';

/** True when every weight is the same: then draws follow scikit-learn 1.2's unweighted stream. */
export function uniformWeights(weights: Float64Array): boolean {
  for (let i = 1; i < weights.length; i++) if (weights[i] !== weights[0]) return false;
  return true;
}

export function defaultLocalTrials(nClusters: number): number {
  return 2 + Math.floor(Math.log(nClusters));
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new center is the best of `nLocalTrials`
 * candidates drawn with probability ∝ weight · squared distance to the closest chosen center, best meaning the
 * lowest resulting potential. The first center is uniform over rows (weighted when weights differ).
 * Returns row indices.
 */
export function kmeansPlusPlusIndices(ws: Workspace, nClusters: number, rng: RandomState, nLocalTrials: number): Int32Array {
  const { kernels, nSamples, nFeatures, ptr, weights } = ws;
  const trials = Math.min(nLocalTrials, MAX_SEEDING_TRIALS);
  const indices = new Int32Array(nClusters);
  const closest = f64View(kernels, ptr.sqDist, nSamples);
  closest.fill(Infinity);
  const uniform = uniformWeights(weights);
  indices[0] = uniform ? rng.randint(nSamples) : rng.choice(weights);
  let potential = kernels.updateClosest(ptr.x, ptr.weights, nSamples, nFeatures, indices[0], ptr.sqDist);
  const cumulative = new Float64Array(nSamples);
  const weightedClosest = new Float64Array(nSamples);
  const candidates = i32View(kernels, ptr.candidates, trials);
  const potentials = f64View(kernels, ptr.potentials, trials);
  for (let c = 1; c < nClusters; c++) {
    for (let i = 0; i < nSamples; i++) weightedClosest[i] = weights[i] * closest[i];
    cumulativeSum(weightedClosest, cumulative);
    for (let t = 0; t < trials; t++) {
      const target = rng.randomSample() * potential;
      candidates[t] = Math.min(searchSorted(cumulative, target, 'left'), nSamples - 1);
    }
    kernels.seedingPotentials(ptr.x, ptr.weights, nSamples, nFeatures, ptr.candidates, trials, ptr.sqDist, ptr.potentials);
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t] < potentials[best]) best = t;
    indices[c] = candidates[best];
    potential = kernels.updateClosest(ptr.x, ptr.weights, nSamples, nFeatures, indices[c], ptr.sqDist);
  }
  return indices;
}

/** nClusters distinct rows: numpy's `permutation(n)[:k]` (scikit-learn 1.2), or weighted draws without replacement. */
export function randomIndices(weights: Float64Array, nClusters: number, rng: RandomState): Int32Array {
  if (uniformWeights(weights)) return rng.permutation(weights.length).slice(0, nClusters);
  return rng.choiceWithoutReplacement(weights, nClusters);
}
