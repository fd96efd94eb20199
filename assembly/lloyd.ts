// The Lloyd E-step with its M-step accumulation fused in: one pass over the data per iteration.
import { madd } from './common';

// The second label of the last pair `nearestCenterPair` saw.
let pairSecondLabel: i32 = 0;

/** Merges four distance vectors of one block into the running per-lane argmin (strict <: lower index wins). */
// @ts-ignore: decorator
@inline
function mergeBlock(dist0: v128, dist1: v128, dist2: v128, dist3: v128, best: v128, bestIdx: v128, index: v128): void {
  const four = i32x4.splat(4);
  let closer = f32x4.lt(dist0, best);
  best = v128.bitselect(dist0, best, closer);
  bestIdx = v128.bitselect(index, bestIdx, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(dist1, best);
  best = v128.bitselect(dist1, best, closer);
  bestIdx = v128.bitselect(index, bestIdx, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(dist2, best);
  best = v128.bitselect(dist2, best, closer);
  bestIdx = v128.bitselect(index, bestIdx, closer);
  index = i32x4.add(index, four);
  closer = f32x4.lt(dist3, best);
  mergedValue = v128.bitselect(dist3, best, closer);
  mergedIndex = v128.bitselect(index, bestIdx, closer);
}
let mergedValue: v128 = f32x4.splat(0);
let mergedIndex: v128 = i32x4.splat(0);

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
 * Nearest centers of two rows at once: each load of the transposed centers serves both rows (eight
 * accumulators), halving the loads per multiply-add. Returns the first label; the second is in pairSecondLabel.
 */
// @ts-ignore: decorator
@inline
function nearestCenterPair(rowA: usize, rowB: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32): i32 {
  let bestA = f32x4.splat(Infinity);
  let bestIndexA = i32x4.splat(0);
  let bestB = f32x4.splat(Infinity);
  let bestIndexB = i32x4.splat(0);
  let index = i32x4(0, 1, 2, 3);
  const minusTwo = f32x4.splat(-2);
  let p = centersTPtr;
  const bytes = <usize>nFeatures << 2;
  for (let b = 0; b < nBlocks; b++) {
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
      const xb = v128.load32_splat(rowB + t);
      const c0 = v128.load(p);
      a0 = madd(xa, c0, a0);
      b0 = madd(xb, c0, b0);
      const c1 = v128.load(p, 16);
      a1 = madd(xa, c1, a1);
      b1 = madd(xb, c1, b1);
      const c2 = v128.load(p, 32);
      a2 = madd(xa, c2, a2);
      b2 = madd(xb, c2, b2);
      const c3 = v128.load(p, 48);
      a3 = madd(xa, c3, a3);
      b3 = madd(xb, c3, b3);
      p += 64;
    }
    const norms = centerNormsPtr + (<usize>b << 6);
    const n0 = v128.load(norms);
    const n1 = v128.load(norms, 16);
    const n2 = v128.load(norms, 32);
    const n3 = v128.load(norms, 48);
    mergeBlock(
      madd(minusTwo, a0, n0), madd(minusTwo, a1, n1),
      madd(minusTwo, a2, n2), madd(minusTwo, a3, n3), bestA, bestIndexA, index,
    );
    bestA = mergedValue;
    bestIndexA = mergedIndex;
    mergeBlock(
      madd(minusTwo, b0, n0), madd(minusTwo, b1, n1),
      madd(minusTwo, b2, n2), madd(minusTwo, b3, n3), bestB, bestIndexB, index,
    );
    bestB = mergedValue;
    bestIndexB = mergedIndex;
    index = i32x4.add(index, i32x4.splat(16));
  }
  pairSecondLabel = lanesArgmin(bestB, bestIndexB);
  return lanesArgmin(bestA, bestIndexA);
}

/** Adds weight · row (f32) into an f64 accumulator row. */
// @ts-ignore: decorator
@inline
function addWeightedRow(sumRow: usize, row: usize, weight: f64, nFeatures: i32): void {
  const w = f64x2.splat(weight);
  let t = 0;
  for (; t + 4 <= nFeatures; t += 4) {
    const x = v128.load(row + (<usize>t << 2));
    const s = sumRow + (<usize>t << 3);
    v128.store(s, f64x2.add(v128.load(s), f64x2.mul(w, f64x2.promote_low_f32x4(x))));
    v128.store(s, f64x2.add(v128.load(s, 16), f64x2.mul(w, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)))), 16);
  }
  for (; t < nFeatures; t++) {
    const s = sumRow + (<usize>t << 3);
    store<f64>(s, load<f64>(s) + weight * <f64>load<f32>(row + (<usize>t << 2)));
  }
}

/** Stores row i's label and adds the row, weighted, to its cluster; returns 1 when the label changed. */
// @ts-ignore: decorator
@inline
export function accumulate(
  i: i32, label: i32, row: usize, xPtr: usize, weightPtr: usize, nFeatures: i32, labelsPtr: usize, sumsPtr: usize, weightInClustersPtr: usize,
): i32 {
  const labelPtr = labelsPtr + (<usize>i << 2);
  const changed = load<i32>(labelPtr) != label ? 1 : 0;
  store<i32>(labelPtr, label);
  const weight = load<f64>(weightPtr + (<usize>i << 3));
  addWeightedRow(sumsPtr + (<usize>(label * nFeatures) << 3), row, weight, nFeatures);
  const wc = weightInClustersPtr + (<usize>label << 3);
  store<f64>(wc, load<f64>(wc) + weight);
  return changed;
}

/**
 * The weighted sums of rows [rowStart, rowEnd) per label, row after row as lloydChunk adds them, so that an
 * E-step done otherwise (the accelerated ones) forms its chunk's sums bit for bit as Lloyd does.
 * IN xPtr, weightPtr, labelsPtr; INOUT sumsPtr (nClusters × nFeatures f64), weightInClustersPtr (nClusters f64).
 */
export function chunkSums(
  xPtr: usize, weightPtr: usize, labelsPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32, sumsPtr: usize, weightInClustersPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let i = rowStart; i < rowEnd; i++) {
    const label = load<i32>(labelsPtr + (<usize>i << 2));
    const weight = load<f64>(weightPtr + (<usize>i << 3));
    addWeightedRow(sumsPtr + (<usize>(label * nFeatures) << 3), xPtr + <usize>i * rowBytes, weight, nFeatures);
    const wc = weightInClustersPtr + (<usize>label << 3);
    store<f64>(wc, load<f64>(wc) + weight);
  }
}

/**
 * One Lloyd iteration over rows [rowStart, rowEnd): label each row with its nearest center and add it,
 * weighted, to its cluster's sum. Returns how many labels changed.
 * IN xPtr, weightPtr (f64), centersTPtr, centerNormsPtr; INOUT labelsPtr, sumsPtr (nClusters × nFeatures f64),
 * weightInClustersPtr (nClusters f64).
 */
export function lloydChunk(
  xPtr: usize, weightPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32,
  centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32,
  labelsPtr: usize, sumsPtr: usize, weightInClustersPtr: usize,
): i32 {
  let changed = 0;
  const rowBytes = <usize>nFeatures << 2;
  let i = rowStart;
  for (; i + 2 <= rowEnd; i += 2) {
    const row = xPtr + <usize>i * rowBytes;
    const first = nearestCenterPair(row, row + rowBytes, nFeatures, centersTPtr, centerNormsPtr, nBlocks);
    const second = pairSecondLabel;
    changed += accumulate(i, first, row, xPtr, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
    changed += accumulate(i + 1, second, row + rowBytes, xPtr, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  if (i < rowEnd) {
    // The odd last row is paired with itself.
    const row = xPtr + <usize>i * rowBytes;
    const label = nearestCenterPair(row, row, nFeatures, centersTPtr, centerNormsPtr, nBlocks);
    changed += accumulate(i, label, row, xPtr, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}

/**
 * Labels rows [rowStart, rowEnd) with their nearest center (predict).
 * IN xPtr, centersTPtr, centerNormsPtr; OUT labelsPtr.
 */
export function assignLabels(
  xPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32,
  centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32, labelsPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let i = rowStart; i < rowEnd; i += 2) {
    const row = xPtr + <usize>i * rowBytes;
    const second = i + 1 < rowEnd ? row + rowBytes : row;
    store<i32>(labelsPtr + (<usize>i << 2), nearestCenterPair(row, second, nFeatures, centersTPtr, centerNormsPtr, nBlocks));
    if (i + 1 < rowEnd) store<i32>(labelsPtr + (<usize>(i + 1) << 2), pairSecondLabel);
  }
}
