// Shared pieces of the exact accelerated k-means kernels (Hamerly, Elkan, Yinyang).
import { madd, sqDistF64 } from './common';
import { lanesArgmin } from './lloyd';
//
// Exactness: a point's label is only ever decided by Lloyd's own f32 scores, ‖c‖² − 2·Σₜ xₜ·cₜ with the sum
// taken in order t = 0..d−1 and the lowest index winning ties, so near-ties break as in lloydChunk. Bounds are
// f64 bounds on true Euclidean distances to the f32 centers; a center is skipped only when the bounds prove
// δⱼ² − δₐ² > 2E + 1e-5·u², where E bounds the f32 rounding of a score (see scoreError), so that its score is
// strictly larger than the kept one's. Scores turn into distance bounds as δ² ∈ [s + ‖x‖² − E, s + ‖x‖² + E].

// Point–center distances evaluated since the last takeDistanceCount (scores and tightenings alike).
let distanceCount: f64 = 0;

/** Returns the number of point–center distances evaluated by the accelerated kernels since the last call, and resets it. */
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

/** Lloyd's f32 score of one center (row-major f32), the same operations in the same order as lloydChunk's lanes. */
// @ts-ignore: decorator
@inline
export function scoreOne(row: usize, centersPtr: usize, centerNormsPtr: usize, center: i32, nFeatures: i32): f32 {
  const c = centersPtr + (<usize>(center * nFeatures) << 2);
  let acc: f32 = 0;
  for (let t = 0; t < nFeatures; t++) {
    acc = acc + load<f32>(row + (<usize>t << 2)) * load<f32>(c + (<usize>t << 2));
  }
  return load<f32>(centerNormsPtr + (<usize>center << 2)) + <f32>-2 * acc;
}

// The smallest score and the smallest among the other centers, of the row scoreRow scored last.
let rowBest: f32 = 0;
let rowSecond: f32 = 0;

/** Per lane: the smallest value (strict <: the lower index wins), its index, and the smallest of the others. */
// @ts-ignore: decorator
@inline
function mergeLanes(value: v128, index: v128): void {
  const closer = f32x4.lt(value, laneBest);
  laneSecond = v128.bitselect(laneBest, f32x4.min(laneSecond, value), closer);
  laneBest = v128.bitselect(value, laneBest, closer);
  laneBestIndex = v128.bitselect(index, laneBestIndex, closer);
}
let laneBest: v128 = f32x4.splat(0);
let laneSecond: v128 = f32x4.splat(0);
let laneBestIndex: v128 = i32x4.splat(0);

/**
 * Scores a row against every center block (16 centers per SIMD pass, counted) into scoresPtr, and returns
 * Lloyd's label (the smallest score, the lowest index among equals); scoredBest() and scoredSecond() give its
 * score and the smallest score of the other centers (+∞ for k = 1).
 */
export function scoreRow(row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32, nClusters: i32, scoresPtr: usize): i32 {
  const minusTwo = f32x4.splat(-2);
  const four = i32x4.splat(4);
  laneBest = f32x4.splat(Infinity);
  laneSecond = f32x4.splat(Infinity);
  laneBestIndex = i32x4.splat(0);
  let index = i32x4(0, 1, 2, 3);
  let p = centersTPtr;
  const bytes = <usize>nFeatures << 2;
  for (let b = 0; b < nBlocks; b++) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let t: usize = 0; t < bytes; t += 4) {
      const x = v128.load32_splat(row + t);
      a0 = madd(x, v128.load(p), a0);
      a1 = madd(x, v128.load(p, 16), a1);
      a2 = madd(x, v128.load(p, 32), a2);
      a3 = madd(x, v128.load(p, 48), a3);
      p += 64;
    }
    const norms = centerNormsPtr + (<usize>b << 6);
    const out = scoresPtr + (<usize>b << 6);
    const s0 = madd(minusTwo, a0, v128.load(norms));
    const s1 = madd(minusTwo, a1, v128.load(norms, 16));
    const s2 = madd(minusTwo, a2, v128.load(norms, 32));
    const s3 = madd(minusTwo, a3, v128.load(norms, 48));
    v128.store(out, s0);
    v128.store(out, s1, 16);
    v128.store(out, s2, 32);
    v128.store(out, s3, 48);
    mergeLanes(s0, index);
    index = i32x4.add(index, four);
    mergeLanes(s1, index);
    index = i32x4.add(index, four);
    mergeLanes(s2, index);
    index = i32x4.add(index, four);
    mergeLanes(s3, index);
    index = i32x4.add(index, four);
  }
  countDistances(nClusters);
  const label = lanesArgmin(laneBest, laneBestIndex);
  rowBest = load<f32>(scoresPtr + (<usize>label << 2));
  // The others: every lane's best, except the label's lane, which offers its second.
  const others = v128.bitselect(laneSecond, laneBest, i32x4.eq(laneBestIndex, i32x4.splat(label)));
  let m = f32x4.min(others, v128.shuffle<f32>(others, others, 2, 3, 0, 1));
  m = f32x4.min(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  rowSecond = f32x4.extract_lane(m, 0);
  return label;
}

/** The label's score from the last scoreRow. */
// @ts-ignore: decorator
@inline
export function scoredBest(): f32 {
  return rowBest;
}

/** The smallest score of the other centers from the last scoreRow. */
// @ts-ignore: decorator
@inline
export function scoredSecond(): f32 {
  return rowSecond;
}

/**
 * Per-iteration center geometry from the f32 centers: shifts (Euclidean, f64) from the previous centers (0 when
 * `first`), which are then overwritten with the current ones; when ccPtr ≠ 0 the full k × k center distances;
 * halfMin[j] = ½ minⱼ' ≠ ⱼ ‖cⱼ − cⱼ'‖ (+∞ for k = 1). Returns the largest center norm.
 * IN centersPtr (k × d f32); INOUT oldCentersPtr (k × d f32); OUT shiftsPtr (k f64), ccPtr (k × k f64), halfMinPtr (k f64).
 */
export function centerGeometry(
  centersPtr: usize, oldCentersPtr: usize, nClusters: i32, nFeatures: i32, first: i32, shiftsPtr: usize, ccPtr: usize, halfMinPtr: usize,
): f64 {
  const rowBytes = <usize>nFeatures << 2;
  let maxNorm: f64 = 0;
  for (let j = 0; j < nClusters; j++) {
    const c = centersPtr + <usize>j * rowBytes;
    const old = oldCentersPtr + <usize>j * rowBytes;
    store<f64>(shiftsPtr + (<usize>j << 3), first ? 0 : Math.sqrt(sqDistF64(c, old, nFeatures)));
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

/** Euclidean norms (f64) of the f32 rows. IN xPtr; OUT normsPtr (nSamples f64). */
export function rowNorms(xPtr: usize, nSamples: i32, nFeatures: i32, normsPtr: usize): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    let sq: f64 = 0;
    for (let t = 0; t < nFeatures; t++) {
      const v = <f64>load<f32>(row + (<usize>t << 2));
      sq += v * v;
    }
    store<f64>(normsPtr + (<usize>i << 3), Math.sqrt(sq));
  }
}

/** Transposed address of quad q (centers 4q..4q+3) in the 16-wide blocks: feature t of its lanes at + t·64. */
// @ts-ignore: decorator
@inline
export function quadAddress(centersTPtr: usize, quad: i32, nFeatures: i32): usize {
  return centersTPtr + ((<usize>(quad >> 2) * <usize>nFeatures * 16 + (<usize>(quad & 3) << 2)) << 2);
}

/**
 * Lloyd's f32 scores of four quads of centers (16 centers; quads may repeat) for one row, four independent
 * chains in flight: lane by lane the same operations as lloydChunk. Scores go to out[4·m + lane].
 */
export function scoreQuads(
  row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, q0: i32, q1: i32, q2: i32, q3: i32, outPtr: usize,
): void {
  const p0 = quadAddress(centersTPtr, q0, nFeatures);
  const p1 = quadAddress(centersTPtr, q1, nFeatures);
  const p2 = quadAddress(centersTPtr, q2, nFeatures);
  const p3 = quadAddress(centersTPtr, q3, nFeatures);
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  const bytes = <usize>nFeatures << 2;
  for (let t: usize = 0; t < bytes; t += 4) {
    const x = v128.load32_splat(row + t);
    const at = t << 4;
    a0 = madd(x, v128.load(p0 + at), a0);
    a1 = madd(x, v128.load(p1 + at), a1);
    a2 = madd(x, v128.load(p2 + at), a2);
    a3 = madd(x, v128.load(p3 + at), a3);
  }
  const minusTwo = f32x4.splat(-2);
  v128.store(outPtr, madd(minusTwo, a0, v128.load(centerNormsPtr + (<usize>q0 << 4))));
  v128.store(outPtr, madd(minusTwo, a1, v128.load(centerNormsPtr + (<usize>q1 << 4))), 16);
  v128.store(outPtr, madd(minusTwo, a2, v128.load(centerNormsPtr + (<usize>q2 << 4))), 32);
  v128.store(outPtr, madd(minusTwo, a3, v128.load(centerNormsPtr + (<usize>q3 << 4))), 48);
}

/** Scores the listed quads (quadsPtr, i32) four at a time into scoresPtr (f32, by lane: quad·4 + lane); mergeQuads counts them. */
export function scoreQuadList(
  row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, quadsPtr: usize, nQuads: i32, scoresPtr: usize, tmpPtr: usize,
): void {
  for (let m = 0; m < nQuads; m += 4) {
    const q0 = load<i32>(quadsPtr + (<usize>m << 2));
    const q1 = m + 1 < nQuads ? load<i32>(quadsPtr + (<usize>(m + 1) << 2)) : q0;
    const q2 = m + 2 < nQuads ? load<i32>(quadsPtr + (<usize>(m + 2) << 2)) : q0;
    const q3 = m + 3 < nQuads ? load<i32>(quadsPtr + (<usize>(m + 3) << 2)) : q0;
    scoreQuads(row, nFeatures, centersTPtr, centerNormsPtr, q0, q1, q2, q3, tmpPtr);
    for (let r = 0; r < min(4, nQuads - m); r++) {
      const q = load<i32>(quadsPtr + (<usize>(m + r) << 2));
      v128.store(scoresPtr + (<usize>q << 4), v128.load(tmpPtr + (<usize>r << 4)));
    }
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
