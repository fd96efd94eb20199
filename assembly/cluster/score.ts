// The one score loop. Every label in the package is decided by a score made here: for a row x and a center c,
//   score = ‖c‖² + (−2)·(Σₜ xₜ·cₜ),  the sum taken over t = 0 … d−1 in order, in f32 lanes, through madd,
// with the lowest center index winning ties. Lloyd's E-step, predict and the bounded E-steps (Hamerly, Elkan,
// Yinyang) all call scoreQuads, so a lane's score is the same bits whichever kernel asks and whichever other lanes
// share its pass: the bounded kernels decide exactly as Lloyd does, by construction.
//
// Layouts (row-major f32 data):
//   centersT     ⌈k/16⌉ blocks × nFeatures × 16 f32: center b·16+j's feature t at [b][t][j], zero padding
//   centerNorms  ⌈k/16⌉·16 f32: ‖c‖², +∞ for padding so that padding never wins an argmin
// A quad is 4 consecutive lanes of a block: quad q of centersT holds feature t of its lanes at quadAddress(q) + t·64.

/** Centers per SIMD block in the transposed layout. */
export const BLOCK: i32 = 16;

/**
 * c + a·b in f32 lanes: fused (f32x4.relaxed_madd) in the relaxed-SIMD build, a multiply then an add in the
 * plain one.
 */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * Transposes row-major centers into SIMD blocks of 16 and computes their squared norms.
 * IN centersPtr (nClusters × nFeatures f32); OUT centersTPtr, centerNormsPtr. Returns the number of blocks.
 */
export function packCenters(centersPtr: usize, nClusters: i32, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize): i32 {
  const nBlocks = (nClusters + BLOCK - 1) / BLOCK;
  for (let b = 0; b < nBlocks; b++) {
    for (let j = 0; j < BLOCK; j++) {
      const c = b * BLOCK + j;
      let norm: f32 = Infinity;
      if (c < nClusters) {
        norm = 0;
        const row = centersPtr + (<usize>(c * nFeatures) << 2);
        for (let t = 0; t < nFeatures; t++) {
          const v = load<f32>(row + (<usize>t << 2));
          norm += v * v;
          store<f32>(centersTPtr + (<usize>((b * nFeatures + t) * BLOCK + j) << 2), v);
        }
      } else {
        for (let t = 0; t < nFeatures; t++) {
          store<f32>(centersTPtr + (<usize>((b * nFeatures + t) * BLOCK + j) << 2), 0);
        }
      }
      store<f32>(centerNormsPtr + (<usize>c << 2), norm);
    }
  }
  return nBlocks;
}

/** Address of quad q (centers 4q … 4q+3) in the transposed blocks. */
// @ts-ignore: decorator
@inline
export function quadAddress(centersTPtr: usize, quad: i32, nFeatures: i32): usize {
  return centersTPtr + ((<usize>(quad >> 2) * <usize>nFeatures * BLOCK + (<usize>(quad & 3) << 2)) << 2);
}

/** The lane holding the smallest value, and among equal values the smallest index: branch-free. */
// @ts-ignore: decorator
@inline
export function lanesArgmin(value: v128, index: v128): i32 {
  let m = f32x4.min(value, v128.shuffle<f32>(value, value, 2, 3, 0, 1));
  m = f32x4.min(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
  const candidates = v128.bitselect(index, i32x4.splat(i32.MAX_VALUE), f32x4.eq(value, m));
  let i = i32x4.min_s(candidates, v128.shuffle<i32>(candidates, candidates, 2, 3, 0, 1));
  i = i32x4.min_s(i, v128.shuffle<i32>(i, i, 1, 0, 3, 2));
  return i32x4.extract_lane(i, 0);
}

/**
 * Merges four score vectors into a running per-lane argmin, in index order (strict <: the lower index wins); returns
 * the new best values, their indices in mergedIndex. The indices of s0 … s3 are index, index + 4, index + 8, index + 12.
 */
// @ts-ignore: decorator
@inline
function mergeBest(s0: v128, s1: v128, s2: v128, s3: v128, best: v128, bestIndex: v128, index: v128): v128 {
  const four = i32x4.splat(4);
  let closer = f32x4.lt(s0, best);
  best = v128.bitselect(s0, best, closer);
  bestIndex = v128.bitselect(index, bestIndex, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(s1, best);
  best = v128.bitselect(s1, best, closer);
  bestIndex = v128.bitselect(index, bestIndex, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(s2, best);
  best = v128.bitselect(s2, best, closer);
  bestIndex = v128.bitselect(index, bestIndex, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(s3, best);
  mergedIndex = v128.bitselect(index, bestIndex, closer);
  return v128.bitselect(s3, best, closer);
}
let mergedIndex: v128 = i32x4.splat(0);

// scoreRow's running per-lane best, its index, and the smallest of the others in that lane.
let laneBest: v128 = f32x4.splat(0);
let laneBestIndex: v128 = i32x4.splat(0);
let laneSecond: v128 = f32x4.splat(0);

/** Per lane: the smallest value (strict <: the lower index wins), its index, and the smallest of the others. */
// @ts-ignore: decorator
@inline
function mergeWithSecond(value: v128, index: v128): void {
  const closer = f32x4.lt(value, laneBest);
  laneSecond = v128.bitselect(laneBest, f32x4.min(laneSecond, value), closer);
  laneBest = v128.bitselect(value, laneBest, closer);
  laneBestIndex = v128.bitselect(index, laneBestIndex, closer);
}

// What scoreCenters leaves besides its return value: row B's label (twoRows), and with keepSecond the label's
// score and the smallest score of the other centers.
let pairSecondLabel: i32 = 0;
let rowBest: f32 = 0;
let rowSecond: f32 = 0;

/**
 * THE score loop. Scores row A (and row B with twoRows: each load of the centers then serves both, eight chains
 * in flight) against quads of centers, four quads at a time: every block of centersT in order (count blocks), or
 * the count quads listed at quadsPtr (fromList; a short last group repeats its first quad). The flags are
 * constants at every call, so each caller compiles to its own loop without branches:
 *   storeScores  each quad's scores to scoresPtr, by lane (quad·4 + lane);
 *   keepBest     a running argmin per lane, and the label returned (row B's in secondOfPair());
 *   keepSecond   the same, plus the smallest score of the other centers (scoredBest(), scoredSecond()).
 * IN rowA, rowB (nFeatures f32), centersTPtr, centerNormsPtr, quadsPtr (count i32); OUT scoresPtr.
 */
// @ts-ignore: decorator
@inline
function scoreCenters(
  twoRows: bool, fromList: bool, storeScores: bool, keepBest: bool, keepSecond: bool,
  rowA: usize, rowB: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, count: i32, quadsPtr: usize, scoresPtr: usize,
): i32 {
  let bestA = f32x4.splat(Infinity);
  let bestIndexA = i32x4.splat(0);
  let bestB = f32x4.splat(Infinity);
  let bestIndexB = i32x4.splat(0);
  if (keepSecond) {
    laneBest = f32x4.splat(Infinity);
    laneSecond = f32x4.splat(Infinity);
    laneBestIndex = i32x4.splat(0);
  }
  const minusTwo = f32x4.splat(-2);
  const four = i32x4.splat(4);
  const bytes = <usize>nFeatures << 2;
  const blockBytes = <usize>nFeatures << 6;
  const nGroups = fromList ? (count + 3) >> 2 : count;
  let index = i32x4(0, 1, 2, 3);
  let block = centersTPtr;
  for (let g = 0; g < nGroups; g++) {
    // The four quads of this group (from the list) and their addresses.
    let q0 = 0;
    let q1 = 0;
    let q2 = 0;
    let q3 = 0;
    let p0 = block;
    let p1: usize = 0;
    let p2: usize = 0;
    let p3: usize = 0;
    if (fromList) {
      const at = quadsPtr + (<usize>g << 4);
      q0 = load<i32>(at);
      q1 = (g << 2) + 1 < count ? load<i32>(at, 4) : q0;
      q2 = (g << 2) + 2 < count ? load<i32>(at, 8) : q0;
      q3 = (g << 2) + 3 < count ? load<i32>(at, 12) : q0;
      p0 = quadAddress(centersTPtr, q0, nFeatures);
      p1 = quadAddress(centersTPtr, q1, nFeatures);
      p2 = quadAddress(centersTPtr, q2, nFeatures);
      p3 = quadAddress(centersTPtr, q3, nFeatures);
    }
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let b0 = f32x4.splat(0);
    let b1 = f32x4.splat(0);
    let b2 = f32x4.splat(0);
    let b3 = f32x4.splat(0);
    for (let t: usize = 0; t < bytes; t += 4) {
      const xa = v128.load32_splat(rowA + t);
      let c0: v128, c1: v128, c2: v128, c3: v128;
      if (fromList) {
        c0 = v128.load(p0);
        c1 = v128.load(p1);
        c2 = v128.load(p2);
        c3 = v128.load(p3);
        p1 += 64;
        p2 += 64;
        p3 += 64;
      } else {
        // A whole block: the four quads side by side, loaded at immediate offsets.
        c0 = v128.load(p0);
        c1 = v128.load(p0, 16);
        c2 = v128.load(p0, 32);
        c3 = v128.load(p0, 48);
      }
      p0 += 64;
      a0 = madd(xa, c0, a0);
      a1 = madd(xa, c1, a1);
      a2 = madd(xa, c2, a2);
      a3 = madd(xa, c3, a3);
      if (twoRows) {
        const xb = v128.load32_splat(rowB + t);
        b0 = madd(xb, c0, b0);
        b1 = madd(xb, c1, b1);
        b2 = madd(xb, c2, b2);
        b3 = madd(xb, c3, b3);
      }
    }
    let n0: v128, n1: v128, n2: v128, n3: v128;
    if (fromList) {
      n0 = v128.load(centerNormsPtr + (<usize>q0 << 4));
      n1 = v128.load(centerNormsPtr + (<usize>q1 << 4));
      n2 = v128.load(centerNormsPtr + (<usize>q2 << 4));
      n3 = v128.load(centerNormsPtr + (<usize>q3 << 4));
    } else {
      const norms = centerNormsPtr + (<usize>g << 6);
      n0 = v128.load(norms);
      n1 = v128.load(norms, 16);
      n2 = v128.load(norms, 32);
      n3 = v128.load(norms, 48);
    }
    const s0 = madd(minusTwo, a0, n0);
    const s1 = madd(minusTwo, a1, n1);
    const s2 = madd(minusTwo, a2, n2);
    const s3 = madd(minusTwo, a3, n3);
    if (storeScores && fromList) {
      v128.store(scoresPtr + (<usize>q0 << 4), s0);
      v128.store(scoresPtr + (<usize>q1 << 4), s1);
      v128.store(scoresPtr + (<usize>q2 << 4), s2);
      v128.store(scoresPtr + (<usize>q3 << 4), s3);
    } else if (storeScores) {
      const out = scoresPtr + (<usize>g << 6);
      v128.store(out, s0);
      v128.store(out, s1, 16);
      v128.store(out, s2, 32);
      v128.store(out, s3, 48);
    }
    if (keepSecond) {
      mergeWithSecond(s0, index);
      mergeWithSecond(s1, i32x4.add(index, four));
      mergeWithSecond(s2, i32x4.add(index, i32x4.splat(8)));
      mergeWithSecond(s3, i32x4.add(index, i32x4.splat(12)));
    } else if (keepBest) {
      bestA = mergeBest(s0, s1, s2, s3, bestA, bestIndexA, index);
      bestIndexA = mergedIndex;
      if (twoRows) {
        bestB = mergeBest(madd(minusTwo, b0, n0), madd(minusTwo, b1, n1), madd(minusTwo, b2, n2), madd(minusTwo, b3, n3), bestB, bestIndexB, index);
        bestIndexB = mergedIndex;
      }
    }
    index = i32x4.add(index, i32x4.splat(16));
    block += blockBytes;
  }
  if (keepSecond) {
    const label = lanesArgmin(laneBest, laneBestIndex);
    rowBest = load<f32>(scoresPtr + (<usize>label << 2));
    // The others: every lane's best, except the label's lane, which offers its second.
    const others = v128.bitselect(laneSecond, laneBest, i32x4.eq(laneBestIndex, i32x4.splat(label)));
    let m = f32x4.min(others, v128.shuffle<f32>(others, others, 2, 3, 0, 1));
    m = f32x4.min(m, v128.shuffle<f32>(m, m, 1, 0, 3, 2));
    rowSecond = f32x4.extract_lane(m, 0);
    return label;
  }
  if (!keepBest) return 0;
  if (twoRows) pairSecondLabel = lanesArgmin(bestB, bestIndexB);
  return lanesArgmin(bestA, bestIndexA);
}

/** The nearest centers of two rows at once (Lloyd's E-step and predict). Returns row A's label; row B's is secondOfPair(). */
// @ts-ignore: decorator
@inline
export function nearestPair(rowA: usize, rowB: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32): i32 {
  return scoreCenters(true, false, false, true, false, rowA, rowB, nFeatures, centersTPtr, centerNormsPtr, nBlocks, 0, 0);
}

/** Row B's label from the last nearestPair. */
// @ts-ignore: decorator
@inline
export function secondOfPair(): i32 {
  return pairSecondLabel;
}

/**
 * Scores a row against every center into scoresPtr (by center) and returns Lloyd's label for it; scoredBest() and
 * scoredSecond() give its score and the smallest score of the other centers (+∞ for k = 1).
 */
export function scoreRow(row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32, scoresPtr: usize): i32 {
  return scoreCenters(false, false, true, false, true, row, row, nFeatures, centersTPtr, centerNormsPtr, nBlocks, 0, scoresPtr);
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

/** Scores the nQuads quads listed at quadsPtr (i32) into scoresPtr (f32, by lane: quad·4 + lane). */
export function scoreQuadList(row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, quadsPtr: usize, nQuads: i32, scoresPtr: usize): void {
  scoreCenters(false, true, true, false, false, row, row, nFeatures, centersTPtr, centerNormsPtr, nQuads, quadsPtr, scoresPtr);
}

/** The score of one center: its quad listed at quadsPtr and scored into scoresPtr, its lane read. */
// @ts-ignore: decorator
@inline
export function scoreOne(row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, center: i32, quadsPtr: usize, scoresPtr: usize): f32 {
  store<i32>(quadsPtr, center >> 2);
  scoreQuadList(row, nFeatures, centersTPtr, centerNormsPtr, quadsPtr, 1, scoresPtr);
  return load<f32>(scoresPtr + (<usize>center << 2));
}
