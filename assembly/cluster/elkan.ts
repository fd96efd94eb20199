// Elkan's exact k-means E-step (one upper bound and k lower bounds per point), fused with the M-step sums as
// lloydChunk: labels equal Lloyd's and the sums are bitwise the same. See bounds.ts for the exactness rule.
import { blockCount, BoundsArgs, ClusterArgs } from './args';
import {
  countDistances, lowerFromScore, mergedBestScore, mergeQuads, proves, scoreError, skipThreshold, squaredNorm,
  upperFromScore,
} from './bounds';
import { accumulate } from './lloyd';
import { scoreQuadList, scoreRow } from './score';

/** Center j's lower bound now: stored as bound + drift when it was set. */
// @ts-ignore: decorator
@inline
function lowerNow(lowers: usize, driftPtr: usize, j: i32): f64 {
  return load<f64>(lowers + (<usize>j << 3)) - load<f64>(driftPtr + (<usize>j << 3));
}

/**
 * One Elkan iteration over rows [rowStart, rowEnd) (one E-step chunk): labels (as Lloyd's), bounds, and the chunk's
 * weighted sums, formed as lloydChunk forms them. With `first` every row is scored against every center and its
 * bounds start from those scores. Returns how many labels changed.
 * IN args (ClusterArgs), bounds.xNorms, bounds.shifts, bounds.cc, bounds.halfMin, bounds.drift (each center's summed
 * shifts, centerGeometry's); INOUT args.labels, bounds.upper, bounds.lower (nClusters a row, each stored plus its
 * center's drift at the time it was set, so that it needs no per-iteration update: l = stored − drift now); OUT
 * partialPtr (nClusters × nFeatures f64 sums, then nClusters f64 weights; zeroed first); scratch bounds.scores,
 * bounds.quads (one block per thread).
 */
export function elkanStep(args: ClusterArgs, bounds: BoundsArgs, first: i32, maxCenterNorm: f64, rowStart: i32, rowEnd: i32, partialPtr: usize): i32 {
  const xPtr = args.x;
  const weightPtr = args.weights;
  const nFeatures = args.nFeatures;
  const nClusters = args.nClusters;
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
  const ccPtr = bounds.cc;
  const quadsPtr = bounds.quads;
  const driftPtr = bounds.drift;
  const sumsPtr = partialPtr;
  const weightInClustersPtr = partialPtr + (<usize>(nClusters * nFeatures) << 3);
  memory.fill(partialPtr, 0, <usize>(nClusters * nFeatures + nClusters) << 3);
  const rowBytes = <usize>nFeatures << 2;
  let changed = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const xSq = squaredNorm(xNormsPtr, i);
    const error = scoreError(nFeatures, xNormsPtr, i, maxCenterNorm);
    const upperAt = upperPtr + (<usize>i << 3);
    const lowers = lowerPtr + (<usize>i * <usize>nClusters << 3);
    let label = load<i32>(labelsPtr + (<usize>i << 2));
    if (first != 0) {
      label = scoreRow(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, scoresPtr);
      countDistances(nClusters);
      for (let j = 0; j < nClusters; j++) {
        store<f64>(lowers + (<usize>j << 3), lowerFromScore(load<f32>(scoresPtr + (<usize>j << 2)), xSq, error) + load<f64>(driftPtr + (<usize>j << 3)));
      }
      store<f64>(upperAt, upperFromScore(load<f32>(scoresPtr + (<usize>label << 2)), xSq, error));
    } else {
      let upper = load<f64>(upperAt) + load<f64>(shiftsPtr + (<usize>label << 3));
      let threshold = skipThreshold(upper, error);
      if (!proves(2 * load<f64>(halfMinPtr + (<usize>label << 3)) - upper, threshold)) {
        let any = false;
        for (let j = 0; j < nClusters && !any; j++) {
          any = j != label && !proves(Math.max(lowerNow(lowers, driftPtr, j), load<f64>(ccPtr + (<usize>(label * nClusters + j) << 3)) - upper), threshold);
        }
        if (any) {
          // The kept center's quad first: its score tightens the upper bound and is the one to beat.
          const keptQuad = label >> 2;
          store<i32>(quadsPtr, keptQuad);
          scoreQuadList(row, nFeatures, centersTPtr, centerNormsPtr, quadsPtr, 1, scoresPtr);
          label = mergeQuads(quadsPtr, 1, scoresPtr, 0, nClusters, label, load<f32>(scoresPtr + (<usize>label << 2)), lowers, driftPtr, xSq, error);
          upper = upperFromScore(mergedBestScore(), xSq, error);
          threshold = skipThreshold(upper, error);
          // The other quads holding a center the bounds cannot rule out, scored four at a time.
          let nQuads = 0;
          let lastQuad = keptQuad;
          for (let j = 0; j < nClusters; j++) {
            if (j >> 2 == lastQuad || j >> 2 == keptQuad || j == label) continue;
            if (proves(Math.max(lowerNow(lowers, driftPtr, j), load<f64>(ccPtr + (<usize>(label * nClusters + j) << 3)) - upper), threshold)) continue;
            lastQuad = j >> 2;
            store<i32>(quadsPtr + (<usize>nQuads << 2), lastQuad);
            nQuads++;
          }
          scoreQuadList(row, nFeatures, centersTPtr, centerNormsPtr, quadsPtr, nQuads, scoresPtr);
          label = mergeQuads(quadsPtr, nQuads, scoresPtr, 0, nClusters, label, mergedBestScore(), lowers, driftPtr, xSq, error);
          upper = upperFromScore(mergedBestScore(), xSq, error);
        }
      }
      store<f64>(upperAt, upper);
    }
    changed += accumulate(i, label, row, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}
