// Hamerly's exact k-means E-step (one upper and one lower bound per point), fused with the M-step sums as
// lloydChunk: labels equal Lloyd's and the sums are bitwise the same. See bounds.ts for the exactness rule.
import { blockCount, BoundsArgs, ClusterArgs } from './args';
import {
  countDistances, lowerFromScore, proves, scoreError, skipThreshold, squaredNorm, upperFromScore,
} from './bounds';
import { accumulate } from './lloyd';
import { scoredBest, scoredSecond, scoreOne, scoreRow } from './score';

/**
 * One Hamerly iteration over rows [rowStart, rowEnd) (one E-step chunk): labels (as Lloyd's), bounds, and the chunk's
 * weighted sums, formed as lloydChunk forms them. With `first` every row is scored against every center and its
 * bounds start from those scores. Returns how many labels changed.
 * IN args (ClusterArgs), bounds.xNorms, bounds.shifts, bounds.halfMin; INOUT args.labels, bounds.upper, bounds.lower
 * (1 a row); OUT partialPtr (nClusters × nFeatures f64 sums, then nClusters f64 weights; zeroed first); scratch
 * bounds.scores, bounds.quads (one block per thread).
 */
export function hamerlyStep(args: ClusterArgs, bounds: BoundsArgs, first: i32, maxCenterNorm: f64, rowStart: i32, rowEnd: i32, partialPtr: usize): i32 {
  const xPtr = args.x;
  const weightPtr = args.weights;
  const nFeatures = args.nFeatures;
  const nClusters = args.nClusters;
  const sumsPtr = partialPtr;
  const weightInClustersPtr = partialPtr + (<usize>(nClusters * nFeatures) << 3);
  memory.fill(partialPtr, 0, <usize>(nClusters * nFeatures + nClusters) << 3);
  const centersTPtr = args.centersT;
  const centerNormsPtr = args.centerNorms;
  const nBlocks = blockCount(nClusters);
  const labelsPtr = args.labels;
  const xNormsPtr = bounds.xNorms;
  const shiftsPtr = bounds.shifts;
  const upperPtr = bounds.upper;
  const lowerPtr = bounds.lower;
  const scoresPtr = bounds.scores;
  const halfMinPtr = bounds.halfMin;
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
  for (let i = rowStart; i < rowEnd; i++) {
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
        upper = upperFromScore(scoreOne(row, nFeatures, centersTPtr, centerNormsPtr, label, bounds.quads, scoresPtr), xSq, error);
        countDistances(1);
        bound = Math.max(lower, 2 * load<f64>(halfMinPtr + (<usize>label << 3)) - upper);
        full = !proves(bound, skipThreshold(upper, error));
      }
      store<f64>(upperAt, upper);
    }
    if (full) {
      label = scoreRow(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, scoresPtr);
      countDistances(nClusters);
      store<f64>(upperAt, upperFromScore(scoredBest(), xSq, error));
      store<f64>(lowerAt, nClusters > 1 ? lowerFromScore(scoredSecond(), xSq, error) : Infinity);
    }
    changed += accumulate(i, label, row, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}
