// Shared pieces of the exact accelerated k-means kernels (Hamerly, Elkan, Yinyang).
import { sqDistF64 } from '../core/distance';
import { BoundsArgs, ClusterArgs } from './args';
//
// Exactness: a point's label is only ever decided by Lloyd's own f32 scores, ‖c‖² − 2·Σₜ xₜ·cₜ with the sum
// taken in order t = 0..d−1 and the lowest index winning ties, so near-ties break as in lloydChunk. Bounds are
// f64 bounds on true Euclidean distances to the f32 centers; a center is skipped only when the bounds prove
// δⱼ² − δₐ² > 2E + 1e-5·u², where E bounds the f32 rounding of a score (see scoreError), so that its score is
// strictly larger than the kept one's. Scores turn into distance bounds as δ² ∈ [s + ‖x‖² − E, s + ‖x‖² + E].

// Point–center distances evaluated since the last takeDistanceCount (scores and tightenings alike).
let distanceCount: f64 = 0;

/** OUT: the number of point–center distances the accelerated kernels evaluated since the last call; resets it. */
export function takeDistanceCount(): f64 {
  const count = distanceCount;
  distanceCount = 0;
  return count;
}

// @ts-ignore: decorator
@inline
export function countDistances(count: i32): void {
  distanceCount += <f64>count;
}

/**
 * Bound on |score − (δ² − ‖x‖²)| for any center: the f32 norm, dot product and final sum each err by at most
 * about d·2⁻²⁴ of (‖c‖² + 2‖x‖‖c‖); taken twice over.
 */
// @ts-ignore: decorator
@inline
export function scoreError(nFeatures: i32, xNormsPtr: usize, i: i32, maxCenterNorm: f64): f64 {
  const xNorm = load<f64>(xNormsPtr + (<usize>i << 3));
  return <f64>(nFeatures + 4) * 1.1920928955078125e-7 * (maxCenterNorm * maxCenterNorm + 2 * xNorm * maxCenterNorm);
}

/** ‖xᵢ‖² from the f64 row norms. */
// @ts-ignore: decorator
@inline
export function squaredNorm(xNormsPtr: usize, i: i32): f64 {
  const xNorm = load<f64>(xNormsPtr + (<usize>i << 3));
  return xNorm * xNorm;
}

/** u² plus the margin a lower bound l must exceed (l² > threshold) for its centers to be skipped. */
// @ts-ignore: decorator
@inline
export function skipThreshold(upper: f64, error: f64): f64 {
  return upper * upper * (1 + 1e-5) + 2 * error + 1e-300;
}

// @ts-ignore: decorator
@inline
export function upperFromScore(score: f32, xSq: f64, error: f64): f64 {
  return Math.sqrt(Math.max(0, <f64>score + xSq + error));
}

// @ts-ignore: decorator
@inline
export function lowerFromScore(score: f32, xSq: f64, error: f64): f64 {
  return Math.sqrt(Math.max(0, <f64>score + xSq - error));
}

/** Whether a lower bound proves its centers farther than the kept one (threshold from skipThreshold). */
// @ts-ignore: decorator
@inline
export function proves(lower: f64, threshold: f64): bool {
  return lower > 0 && lower * lower > threshold;
}

/**
 * Per-iteration center geometry from the f32 centers, once a step before its row chunks: shifts (Euclidean, f64) from
 * the previous centers (0 when `first`), which are then overwritten with the current ones; when bounds.drift ≠ 0
 * (Elkan) each center's summed shifts; when bounds.cc ≠ 0 the full k × k center distances;
 * halfMin[j] = ½ minⱼ' ≠ ⱼ ‖cⱼ − cⱼ'‖ (+∞ for k = 1). Returns the largest center norm.
 * IN args.centers; INOUT bounds.oldCenters, bounds.drift; OUT bounds.shifts, bounds.cc, bounds.halfMin.
 */
export function centerGeometry(args: ClusterArgs, bounds: BoundsArgs, first: i32): f64 {
  const centersPtr = args.centers;
  const nClusters = args.nClusters;
  const nFeatures = args.nFeatures;
  const oldCentersPtr = bounds.oldCenters;
  const shiftsPtr = bounds.shifts;
  const ccPtr = bounds.cc;
  const halfMinPtr = bounds.halfMin;
  const rowBytes = <usize>nFeatures << 2;
  let maxNorm: f64 = 0;
  for (let j = 0; j < nClusters; j++) {
    const c = centersPtr + <usize>j * rowBytes;
    const old = oldCentersPtr + <usize>j * rowBytes;
    const shift = first ? 0 : Math.sqrt(sqDistF64(c, old, nFeatures));
    store<f64>(shiftsPtr + (<usize>j << 3), shift);
    if (bounds.drift != 0) {
      const at = bounds.drift + (<usize>j << 3);
      store<f64>(at, first ? 0 : load<f64>(at) + shift);
    }
    memory.copy(old, c, rowBytes);
    let sq: f64 = 0;
    for (let t = 0; t < nFeatures; t++) {
      const v = <f64>load<f32>(c + (<usize>t << 2));
      sq += v * v;
    }
    maxNorm = Math.max(maxNorm, Math.sqrt(sq));
    store<f64>(halfMinPtr + (<usize>j << 3), Infinity);
  }
  for (let j = 0; j < nClusters; j++) {
    const c = centersPtr + <usize>j * rowBytes;
    for (let m = j + 1; m < nClusters; m++) {
      const dist = Math.sqrt(sqDistF64(c, centersPtr + <usize>m * rowBytes, nFeatures));
      if (ccPtr != 0) {
        store<f64>(ccPtr + (<usize>(j * nClusters + m) << 3), dist);
        store<f64>(ccPtr + (<usize>(m * nClusters + j) << 3), dist);
      }
      const hj = halfMinPtr + (<usize>j << 3);
      const hm = halfMinPtr + (<usize>m << 3);
      store<f64>(hj, Math.min(load<f64>(hj), 0.5 * dist));
      store<f64>(hm, Math.min(load<f64>(hm), 0.5 * dist));
    }
    if (ccPtr != 0) store<f64>(ccPtr + (<usize>(j * nClusters + j) << 3), 0);
  }
  return maxNorm;
}

/** Euclidean norms (f64) of rows [rowStart, rowEnd). IN args.x; OUT bounds.xNorms. */
export function rowNorms(args: ClusterArgs, bounds: BoundsArgs, rowStart: i32, rowEnd: i32): void {
  const xPtr = args.x;
  const nFeatures = args.nFeatures;
  const normsPtr = bounds.xNorms;
  const rowBytes = <usize>nFeatures << 2;
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + <usize>i * rowBytes;
    let sq: f64 = 0;
    for (let t = 0; t < nFeatures; t++) {
      const v = <f64>load<f32>(row + (<usize>t << 2));
      sq += v * v;
    }
    store<f64>(normsPtr + (<usize>i << 3), Math.sqrt(sq));
  }
}

/** The center in a lane: slotCenterPtr's entry (−1 for padding), or the lane itself below nClusters when slotCenterPtr = 0. */
// @ts-ignore: decorator
@inline
export function laneCenter(slotCenterPtr: usize, lane: i32, nClusters: i32): i32 {
  if (slotCenterPtr != 0) return load<i32>(slotCenterPtr + (<usize>lane << 2));
  return lane < nClusters ? lane : -1;
}

// The best score merged so far by mergeQuads.
let mergedScore: f32 = 0;

/** The score of the label mergeQuads returned last. */
// @ts-ignore: decorator
@inline
export function mergedBestScore(): f32 {
  return mergedScore;
}

/**
 * Merges the scores of the listed quads' centers (counted here) into the running best (label, bestScore),
 * Lloyd's way: the smallest score, the lowest center index among equals. Lanes map to centers by laneCenter.
 * When lowersPtr ≠ 0, each center's lower bound becomes the one its score gives, plus its drift (see elkanStep).
 * Returns the label; its score is mergedBestScore().
 */
// @ts-ignore: decorator
@inline
export function mergeQuads(
  quadsPtr: usize, nQuads: i32, scoresPtr: usize, slotCenterPtr: usize, nClusters: i32, label: i32, bestScore: f32,
  lowersPtr: usize, driftPtr: usize, xSq: f64, error: f64,
): i32 {
  for (let m = 0; m < nQuads; m++) {
    const quad = load<i32>(quadsPtr + (<usize>m << 2));
    for (let lane = quad << 2; lane < (quad + 1) << 2; lane++) {
      const j = laneCenter(slotCenterPtr, lane, nClusters);
      if (j < 0) continue;
      countDistances(1);
      const s = load<f32>(scoresPtr + (<usize>lane << 2));
      if (lowersPtr != 0) store<f64>(lowersPtr + (<usize>j << 3), lowerFromScore(s, xSq, error) + load<f64>(driftPtr + (<usize>j << 3)));
      if (s < bestScore || (s == bestScore && j < label)) {
        label = j;
        bestScore = s;
      }
    }
  }
  mergedScore = bestScore;
  return label;
}
