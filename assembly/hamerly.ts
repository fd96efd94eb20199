// Hamerly's exact k-means E-step (one upper and one lower bound per point), fused with the M-step sums as
// lloydChunk: labels equal Lloyd's and the sums are bitwise the same. See bounds.ts for the exactness rule.
import {
  countDistances, lowerFromScore, proves, scoredBest, scoredSecond, scoreError, scoreOne, scoreRow, skipThreshold, squaredNorm,
  upperFromScore,
} from './bounds';
import { accumulate } from './lloyd';

/**
 * One Hamerly iteration over all rows: labels (as Lloyd's), bounds, and the weighted sums. With `first` every
 * row is scored against every center and its bounds start from those scores. Returns how many labels changed.
 * IN xPtr, weightPtr, centersPtr (row-major f32), centersTPtr, centerNormsPtr, xNormsPtr, shiftsPtr, halfMinPtr;
 * INOUT labelsPtr, upperPtr, lowerPtr (n f64 each), sumsPtr, weightInClustersPtr; scratch scoresPtr (nBlocks·16 f32).
 */
export function hamerlyStep(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, nClusters: i32,
  centersPtr: usize, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32, maxCenterNorm: f64, first: i32,
  xNormsPtr: usize, shiftsPtr: usize, halfMinPtr: usize, upperPtr: usize, lowerPtr: usize, scoresPtr: usize,
  labelsPtr: usize, sumsPtr: usize, weightInClustersPtr: usize,
): i32 {
  // The largest shift, its center, and the largest among the others.
  let maxShift: f64 = 0;
  let maxShiftCenter = -1;
  let secondShift: f64 = 0;
  for (let j = 0; j < nClusters; j++) {
    const s = load<f64>(shiftsPtr + (<usize>j << 3));
    if (s > maxShift) {
      secondShift = maxShift;
      maxShift = s;
      maxShiftCenter = j;
    } else if (s > secondShift) {
      secondShift = s;
    }
  }
  const rowBytes = <usize>nFeatures << 2;
  let changed = 0;
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const xSq = squaredNorm(xNormsPtr, i);
    const error = scoreError(nFeatures, xNormsPtr, i, maxCenterNorm);
    const upperAt = upperPtr + (<usize>i << 3);
    const lowerAt = lowerPtr + (<usize>i << 3);
    let label = load<i32>(labelsPtr + (<usize>i << 2));
    let full = first != 0;
    if (!full) {
      let upper = load<f64>(upperAt) + load<f64>(shiftsPtr + (<usize>label << 3));
      const lower = load<f64>(lowerAt) - (label == maxShiftCenter ? secondShift : maxShift);
      store<f64>(lowerAt, lower);
      let bound = Math.max(lower, 2 * load<f64>(halfMinPtr + (<usize>label << 3)) - upper);
      if (!proves(bound, skipThreshold(upper, error))) {
        // Tighten the upper bound with the kept center's own score, then try again.
        upper = upperFromScore(scoreOne(row, centersPtr, centerNormsPtr, label, nFeatures), xSq, error);
        countDistances(1);
        bound = Math.max(lower, 2 * load<f64>(halfMinPtr + (<usize>label << 3)) - upper);
        full = !proves(bound, skipThreshold(upper, error));
      }
      store<f64>(upperAt, upper);
    }
    if (full) {
      label = scoreRow(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, nClusters, scoresPtr);
      store<f64>(upperAt, upperFromScore(scoredBest(), xSq, error));
      store<f64>(lowerAt, nClusters > 1 ? lowerFromScore(scoredSecond(), xSq, error) : Infinity);
    }
    changed += accumulate(i, label, row, xPtr, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}
