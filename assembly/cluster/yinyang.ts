// Yinyang k-means' exact E-step (Ding et al. 2015: one upper bound per point and one lower bound per group of
// centers; the global, group and local filters), fused with the M-step sums as lloydChunk: labels equal Lloyd's and
// the sums are bitwise the same. See bounds.ts for the exactness rule.
//
// The centers are re-packed group by group into their own 16-wide blocks ("slots"; each group starts on a quad
// of 4 lanes, padding lanes map to −1), so that a group's centers are scored together in SIMD. A lane's score is
// the same whichever block it sits in, so the scores are Lloyd's.
import { blockCount, BoundsArgs, ClusterArgs } from './args';
import {
  countDistances, laneCenter, lowerFromScore, mergedBestScore, mergeQuads, proves, scoreError, skipThreshold, squaredNorm,
  upperFromScore,
} from './bounds';
import { accumulate } from './lloyd';
import { packCenters, scoreQuadList, scoreRow } from './score';

/**
 * Yinyang's per-step geometry, once a step after centerGeometry: the centers re-packed by slot (slotRows, slotT,
 * slotNorms) and each group's largest shift.
 * IN args.centers, bounds.shifts and the groups (bounds.slotCenter, groupQuadStart); OUT bounds.slotRows, slotT,
 * slotNorms, groupShifts.
 */
export function yinyangGeometry(args: ClusterArgs, bounds: BoundsArgs): void {
  const nFeatures = args.nFeatures;
  const centersPtr = args.centers;
  const slotCenterPtr = bounds.slotCenter;
  const groupQuadStartPtr = bounds.groupQuadStart;
  const nSlots = bounds.nSlots;
  const slotRowsPtr = bounds.slotRows;
  const rowBytes = <usize>nFeatures << 2;
  for (let slot = 0; slot < nSlots; slot++) {
    const j = load<i32>(slotCenterPtr + (<usize>slot << 2));
    const to = slotRowsPtr + <usize>slot * rowBytes;
    if (j >= 0) memory.copy(to, centersPtr + <usize>j * rowBytes, rowBytes);
    else memory.fill(to, 0, rowBytes);
  }
  packCenters(slotRowsPtr, nSlots, nFeatures, bounds.slotT, bounds.slotNorms);
  for (let g = 0; g < bounds.nGroups; g++) {
    let shift: f64 = 0;
    for (let lane = load<i32>(groupQuadStartPtr + (<usize>g << 2)) << 2; lane < load<i32>(groupQuadStartPtr + (<usize>(g + 1) << 2)) << 2; lane++) {
      const j = load<i32>(slotCenterPtr + (<usize>lane << 2));
      if (j >= 0) shift = Math.max(shift, load<f64>(bounds.shifts + (<usize>j << 3)));
    }
    store<f64>(bounds.groupShifts + (<usize>g << 3), shift);
  }
}

/**
 * One Yinyang iteration over rows [rowStart, rowEnd) (one E-step chunk): labels (as Lloyd's), bounds, and the
 * chunk's weighted sums, formed as lloydChunk forms them. With `first` every row is scored against every center and
 * its bounds start from those scores. Returns how many labels changed.
 * IN args (ClusterArgs), bounds.xNorms, bounds.shifts, the groups (bounds.groupOf, slotCenter, slotOf,
 * groupQuadStart) and yinyangGeometry's re-packed centers and group shifts; INOUT args.labels, bounds.upper,
 * bounds.lower (nGroups a row); OUT partialPtr (nClusters × nFeatures f64 sums, then nClusters f64 weights; zeroed
 * first); scratch bounds.scores (by center in a first step, by slot after), bounds.groupScratch, bounds.quads (one
 * block per thread).
 */
export function yinyangStep(args: ClusterArgs, bounds: BoundsArgs, first: i32, maxCenterNorm: f64, rowStart: i32, rowEnd: i32, partialPtr: usize): i32 {
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
  const nGroups = bounds.nGroups;
  const groupOfPtr = bounds.groupOf;
  const slotCenterPtr = bounds.slotCenter;
  const slotOfPtr = bounds.slotOf;
  const groupQuadStartPtr = bounds.groupQuadStart;
  const nSlots = bounds.nSlots;
  const slotTPtr = bounds.slotT;
  const slotNormsPtr = bounds.slotNorms;
  const slotScoresPtr = scoresPtr;
  const quadsPtr = bounds.quads;
  const groupShifts = bounds.groupShifts;
  const rowBytes = <usize>nFeatures << 2;
  const sumsPtr = partialPtr;
  const weightInClustersPtr = partialPtr + (<usize>(nClusters * nFeatures) << 3);
  memory.fill(partialPtr, 0, <usize>(nClusters * nFeatures + nClusters) << 3);
  const previous = bounds.groupScratch;
  const evaluated = previous + (<usize>nGroups << 3);
  const quadStampPtr = evaluated + (<usize>nGroups << 2);
  memory.fill(quadStampPtr, 0, <usize>nSlots);
  let changed = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const xSq = squaredNorm(xNormsPtr, i);
    const error = scoreError(nFeatures, xNormsPtr, i, maxCenterNorm);
    const upperAt = upperPtr + (<usize>i << 3);
    const lowers = lowerPtr + (<usize>i * <usize>nGroups << 3);
    let label = load<i32>(labelsPtr + (<usize>i << 2));
    if (first != 0) {
      label = scoreRow(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, scoresPtr);
      countDistances(nClusters);
      for (let g = 0; g < nGroups; g++) {
        let lower: f64 = Infinity;
        for (let lane = load<i32>(groupQuadStartPtr + (<usize>g << 2)) << 2; lane < load<i32>(groupQuadStartPtr + (<usize>(g + 1) << 2)) << 2; lane++) {
          const j = load<i32>(slotCenterPtr + (<usize>lane << 2));
          if (j >= 0 && j != label) lower = Math.min(lower, lowerFromScore(load<f32>(scoresPtr + (<usize>j << 2)), xSq, error));
        }
        store<f64>(lowers + (<usize>g << 3), lower);
      }
      store<f64>(upperAt, upperFromScore(load<f32>(scoresPtr + (<usize>label << 2)), xSq, error));
    } else {
      let upper = load<f64>(upperAt) + load<f64>(shiftsPtr + (<usize>label << 3));
      let globalLower: f64 = Infinity;
      for (let g = 0; g < nGroups; g++) {
        const at = lowers + (<usize>g << 3);
        const old = load<f64>(at);
        store<f64>(previous + (<usize>g << 3), old);
        const lower = old - load<f64>(groupShifts + (<usize>g << 3));
        store<f64>(at, lower);
        globalLower = Math.min(globalLower, lower);
      }
      let threshold = skipThreshold(upper, error);
      if (!proves(globalLower, threshold)) {
        // The kept center's quad first: its score tightens the upper bound and is the one to beat.
        const kept = label;
        const keptLane = load<i32>(slotOfPtr + (<usize>kept << 2));
        const stamp = i + 1;
        store<i32>(quadsPtr, keptLane >> 2);
        store<i32>(quadStampPtr + (<usize>(keptLane >> 2) << 2), stamp);
        scoreQuadList(row, nFeatures, slotTPtr, slotNormsPtr, quadsPtr, 1, slotScoresPtr);
        const keptScore = load<f32>(slotScoresPtr + (<usize>keptLane << 2));
        label = mergeQuads(quadsPtr, 1, slotScoresPtr, slotCenterPtr, nClusters, label, keptScore, 0, 0, xSq, error);
        upper = upperFromScore(mergedBestScore(), xSq, error);
        threshold = skipThreshold(upper, error);
        let anyEvaluated = false;
        if (!proves(globalLower, threshold)) {
          // Groups the group filter keeps; in them, quads holding a center the local filter (old bound − own shift) keeps.
          let nQuads = 0;
          for (let g = 0; g < nGroups; g++) {
            const keep = !proves(load<f64>(lowers + (<usize>g << 3)), threshold);
            store<i32>(evaluated + (<usize>g << 2), keep ? 1 : 0);
            if (!keep) continue;
            anyEvaluated = true;
            const old = load<f64>(previous + (<usize>g << 3));
            for (let quad = load<i32>(groupQuadStartPtr + (<usize>g << 2)); quad < load<i32>(groupQuadStartPtr + (<usize>(g + 1) << 2)); quad++) {
              if (load<i32>(quadStampPtr + (<usize>quad << 2)) == stamp) continue;
              let need = false;
              for (let lane = quad << 2; lane < (quad + 1) << 2 && !need; lane++) {
                const j = load<i32>(slotCenterPtr + (<usize>lane << 2));
                need = j >= 0 && !proves(old - load<f64>(shiftsPtr + (<usize>j << 3)), threshold);
              }
              if (!need) continue;
              store<i32>(quadStampPtr + (<usize>quad << 2), stamp);
              store<i32>(quadsPtr + (<usize>nQuads << 2), quad);
              nQuads++;
            }
          }
          scoreQuadList(row, nFeatures, slotTPtr, slotNormsPtr, quadsPtr, nQuads, slotScoresPtr);
          label = mergeQuads(quadsPtr, nQuads, slotScoresPtr, slotCenterPtr, nClusters, label, mergedBestScore(), 0, 0, xSq, error);
          upper = upperFromScore(mergedBestScore(), xSq, error);
        }
        // New group bounds: scored centers by their scores, the others by old bound − own shift; the label excluded.
        for (let g = 0; g < nGroups; g++) {
          if (!anyEvaluated || load<i32>(evaluated + (<usize>g << 2)) == 0) continue;
          const old = load<f64>(previous + (<usize>g << 3));
          let lower: f64 = Infinity;
          for (let lane = load<i32>(groupQuadStartPtr + (<usize>g << 2)) << 2; lane < load<i32>(groupQuadStartPtr + (<usize>(g + 1) << 2)) << 2; lane++) {
            const j = laneCenter(slotCenterPtr, lane, nClusters);
            if (j < 0 || j == label) continue;
            const scored = load<i32>(quadStampPtr + (<usize>(lane >> 2) << 2)) == stamp;
            lower = Math.min(lower, scored ? lowerFromScore(load<f32>(slotScoresPtr + (<usize>lane << 2)), xSq, error) : old - load<f64>(shiftsPtr + (<usize>j << 3)));
          }
          store<f64>(lowers + (<usize>g << 3), lower);
        }
        // The kept center rejoins its group's bound when it lost and the group was not recomputed.
        const keptGroup = load<i32>(groupOfPtr + (<usize>kept << 2));
        if (label != kept && (!anyEvaluated || load<i32>(evaluated + (<usize>keptGroup << 2)) == 0)) {
          const at = lowers + (<usize>keptGroup << 3);
          store<f64>(at, Math.min(load<f64>(at), lowerFromScore(keptScore, xSq, error)));
        }
      }
      store<f64>(upperAt, upper);
    }
    changed += accumulate(i, label, row, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}
