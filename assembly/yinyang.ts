// Yinyang k-means' exact E-step (Ding et al. 2015: one upper bound per point and one lower bound per group of
// centers; the global and group filters), fused with the M-step sums as lloydChunk: labels equal Lloyd's and
// the sums are bitwise the same. See bounds.ts for the exactness rule.
import {
  argminScore, countDistances, lowerFromScore, proves, scoreAll, scoreError, scoreOne, skipThreshold, upperFromScore,
} from './bounds';
import { accumulate } from './lloyd';

/**
 * One Yinyang iteration over all rows: labels (as Lloyd's), bounds, and the weighted sums. With `first` every
 * row is scored against every center and its bounds start from those scores. Returns how many labels changed.
 * Groups: groupOfPtr (k i32), membersPtr (k i32, the centers group by group), groupStartPtr (nGroups + 1 i32).
 * IN xPtr, weightPtr, centersPtr (row-major f32), centersTPtr, centerNormsPtr, xNormsPtr, shiftsPtr, the groups;
 * INOUT labelsPtr, upperPtr (n f64), lowerPtr (n × nGroups f64), sumsPtr, weightInClustersPtr;
 * scratch scoresPtr (nBlocks·16 f32), groupScratchPtr (nGroups × 32 bytes).
 */
export function yinyangStep(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, nClusters: i32,
  centersPtr: usize, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32, maxCenterNorm: f64, first: i32,
  xNormsPtr: usize, shiftsPtr: usize, upperPtr: usize, lowerPtr: usize, scoresPtr: usize,
  nGroups: i32, groupOfPtr: usize, membersPtr: usize, groupStartPtr: usize, groupScratchPtr: usize,
  labelsPtr: usize, sumsPtr: usize, weightInClustersPtr: usize,
): i32 {
  const groupShifts = groupScratchPtr;
  const nearest = groupScratchPtr + (<usize>nGroups << 3);
  const secondNearest = nearest + (<usize>nGroups << 3);
  const nearestCenter = secondNearest + (<usize>nGroups << 3);
  const evaluated = nearestCenter + (<usize>nGroups << 2);
  for (let g = 0; g < nGroups; g++) {
    let shift: f64 = 0;
    for (let m = load<i32>(groupStartPtr + (<usize>g << 2)); m < load<i32>(groupStartPtr + (<usize>(g + 1) << 2)); m++) {
      shift = Math.max(shift, load<f64>(shiftsPtr + (<usize>load<i32>(membersPtr + (<usize>m << 2)) << 3)));
    }
    store<f64>(groupShifts + (<usize>g << 3), shift);
  }
  const rowBytes = <usize>nFeatures << 2;
  let changed = 0;
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const xNorm = load<f64>(xNormsPtr + (<usize>i << 3));
    const xSq = xNorm * xNorm;
    const error = scoreError(nFeatures, xNorm, maxCenterNorm);
    const upperAt = upperPtr + (<usize>i << 3);
    const lowers = lowerPtr + (<usize>i * <usize>nGroups << 3);
    let label = load<i32>(labelsPtr + (<usize>i << 2));
    if (first != 0) {
      scoreAll(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, scoresPtr);
      countDistances(nClusters);
      label = argminScore(scoresPtr, nClusters);
      for (let g = 0; g < nGroups; g++) {
        let lower: f64 = Infinity;
        for (let m = load<i32>(groupStartPtr + (<usize>g << 2)); m < load<i32>(groupStartPtr + (<usize>(g + 1) << 2)); m++) {
          const j = load<i32>(membersPtr + (<usize>m << 2));
          if (j != label) lower = Math.min(lower, lowerFromScore(load<f32>(scoresPtr + (<usize>j << 2)), xSq, error));
        }
        store<f64>(lowers + (<usize>g << 3), lower);
      }
      store<f64>(upperAt, upperFromScore(load<f32>(scoresPtr + (<usize>label << 2)), xSq, error));
    } else {
      let upper = load<f64>(upperAt) + load<f64>(shiftsPtr + (<usize>label << 3));
      let globalLower: f64 = Infinity;
      for (let g = 0; g < nGroups; g++) {
        const at = lowers + (<usize>g << 3);
        const lower = load<f64>(at) - load<f64>(groupShifts + (<usize>g << 3));
        store<f64>(at, lower);
        globalLower = Math.min(globalLower, lower);
      }
      let threshold = skipThreshold(upper, error);
      if (!proves(globalLower, threshold)) {
        // The kept center's own score: it tightens the upper bound and is the one to beat.
        const kept = label;
        const keptScore = scoreOne(row, centersPtr, centerNormsPtr, kept, nFeatures);
        countDistances(1);
        let bestScore = keptScore;
        upper = upperFromScore(keptScore, xSq, error);
        threshold = skipThreshold(upper, error);
        if (!proves(globalLower, threshold)) {
          for (let g = 0; g < nGroups; g++) {
            store<i32>(evaluated + (<usize>g << 2), 0);
            if (proves(load<f64>(lowers + (<usize>g << 3)), threshold)) continue;
            store<i32>(evaluated + (<usize>g << 2), 1);
            let closest: f64 = Infinity;
            let firstCenter = -1;
            let second: f64 = Infinity;
            for (let m = load<i32>(groupStartPtr + (<usize>g << 2)); m < load<i32>(groupStartPtr + (<usize>(g + 1) << 2)); m++) {
              const j = load<i32>(membersPtr + (<usize>m << 2));
              let s = keptScore;
              if (j != kept) {
                s = scoreOne(row, centersPtr, centerNormsPtr, j, nFeatures);
                countDistances(1);
              }
              const lower = lowerFromScore(s, xSq, error);
              if (lower < closest) {
                second = closest;
                closest = lower;
                firstCenter = j;
              } else if (lower < second) {
                second = lower;
              }
              if (s < bestScore || (s == bestScore && j < label)) {
                label = j;
                bestScore = s;
                upper = upperFromScore(s, xSq, error);
                threshold = skipThreshold(upper, error);
              }
            }
            store<f64>(nearest + (<usize>g << 3), closest);
            store<f64>(secondNearest + (<usize>g << 3), second);
            store<i32>(nearestCenter + (<usize>g << 2), firstCenter);
          }
          // Group bounds exclude the final label only; the kept center rejoins its group's bound when it lost.
          for (let g = 0; g < nGroups; g++) {
            if (load<i32>(evaluated + (<usize>g << 2)) == 0) continue;
            const byLabel = load<i32>(nearestCenter + (<usize>g << 2)) == label;
            store<f64>(lowers + (<usize>g << 3), load<f64>(byLabel ? secondNearest + (<usize>g << 3) : nearest + (<usize>g << 3)));
          }
          const keptGroup = load<i32>(groupOfPtr + (<usize>kept << 2));
          if (label != kept && load<i32>(evaluated + (<usize>keptGroup << 2)) == 0) {
            const at = lowers + (<usize>keptGroup << 3);
            store<f64>(at, Math.min(load<f64>(at), lowerFromScore(keptScore, xSq, error)));
          }
        }
      }
      store<f64>(upperAt, upper);
    }
    changed += accumulate(i, label, row, xPtr, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}
