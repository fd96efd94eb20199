// The Lloyd E-step with its M-step accumulation fused in: one pass over the data per iteration.
import { BLOCK } from './common';

// Squared distance (‖c‖² − 2·x·c, without ‖x‖²) of the last row `nearestCenter` saw to its nearest center.
let nearestValue: f32 = 0;

/**
 * Index of the nearest center to one row, by ‖c‖² − 2·x·c over centers transposed into blocks of 16:
 * x[t] is broadcast and multiplied into 16 centers at once; the argmin is kept per lane with a strict `<`,
 * so the lowest index wins ties (as scikit-learn's).
 */
// @ts-ignore: decorator
@inline
function nearestCenter(row: usize, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize, nBlocks: i32): i32 {
  let bestValue = f32x4.splat(Infinity);
  let bestIndex = i32x4.splat(0);
  let index = i32x4(0, 1, 2, 3);
  const four = i32x4.splat(4);
  const minusTwo = f32x4.splat(-2);
  let block = centersTPtr;
  for (let b = 0; b < nBlocks; b++) {
    let dot0 = f32x4.splat(0);
    let dot1 = f32x4.splat(0);
    let dot2 = f32x4.splat(0);
    let dot3 = f32x4.splat(0);
    let p = block;
    const end = row + (<usize>nFeatures << 2);
    for (let xp = row; xp < end; xp += 4) {
      const xt = v128.load32_splat(xp);
      dot0 = f32x4.add(dot0, f32x4.mul(xt, v128.load(p)));
      dot1 = f32x4.add(dot1, f32x4.mul(xt, v128.load(p, 16)));
      dot2 = f32x4.add(dot2, f32x4.mul(xt, v128.load(p, 32)));
      dot3 = f32x4.add(dot3, f32x4.mul(xt, v128.load(p, 48)));
      p += 64;
    }
    block = p;
    const norms = centerNormsPtr + (<usize>b << 6);
    const dist0 = f32x4.add(v128.load(norms), f32x4.mul(minusTwo, dot0));
    const dist1 = f32x4.add(v128.load(norms, 16), f32x4.mul(minusTwo, dot1));
    const dist2 = f32x4.add(v128.load(norms, 32), f32x4.mul(minusTwo, dot2));
    const dist3 = f32x4.add(v128.load(norms, 48), f32x4.mul(minusTwo, dot3));
    let closer = f32x4.lt(dist0, bestValue);
    bestValue = v128.bitselect(dist0, bestValue, closer);
    bestIndex = v128.bitselect(index, bestIndex, closer);
    index = i32x4.add(index, four);
    closer = f32x4.lt(dist1, bestValue);
    bestValue = v128.bitselect(dist1, bestValue, closer);
    bestIndex = v128.bitselect(index, bestIndex, closer);
    index = i32x4.add(index, four);
    closer = f32x4.lt(dist2, bestValue);
    bestValue = v128.bitselect(dist2, bestValue, closer);
    bestIndex = v128.bitselect(index, bestIndex, closer);
    index = i32x4.add(index, four);
    closer = f32x4.lt(dist3, bestValue);
    bestValue = v128.bitselect(dist3, bestValue, closer);
    bestIndex = v128.bitselect(index, bestIndex, closer);
    index = i32x4.add(index, four);
  }
  // Across lanes: smallest value, and on a tie the smallest index.
  let value = f32x4.extract_lane(bestValue, 0);
  let label = i32x4.extract_lane(bestIndex, 0);
  let v = f32x4.extract_lane(bestValue, 1);
  let l = i32x4.extract_lane(bestIndex, 1);
  if (v < value || (v == value && l < label)) { value = v; label = l; }
  v = f32x4.extract_lane(bestValue, 2);
  l = i32x4.extract_lane(bestIndex, 2);
  if (v < value || (v == value && l < label)) { value = v; label = l; }
  v = f32x4.extract_lane(bestValue, 3);
  l = i32x4.extract_lane(bestIndex, 3);
  if (v < value || (v == value && l < label)) { value = v; label = l; }
  nearestValue = value;
  return label;
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
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const label = nearestCenter(row, nFeatures, centersTPtr, centerNormsPtr, nBlocks);
    const labelPtr = labelsPtr + (<usize>i << 2);
    if (load<i32>(labelPtr) != label) {
      changed++;
      store<i32>(labelPtr, label);
    }
    const weight = load<f64>(weightPtr + (<usize>i << 3));
    addWeightedRow(sumsPtr + (<usize>(label * nFeatures) << 3), row, weight, nFeatures);
    const wc = weightInClustersPtr + (<usize>label << 3);
    store<f64>(wc, load<f64>(wc) + weight);
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
  for (let i = rowStart; i < rowEnd; i++) {
    store<i32>(labelsPtr + (<usize>i << 2), nearestCenter(xPtr + <usize>i * rowBytes, nFeatures, centersTPtr, centerNormsPtr, nBlocks));
  }
}

/** ‖c‖² − 2·x·c to the nearest center of the last row labelled (for tests of the E-step). */
export function lastNearestValue(): f32 {
  return nearestValue;
}
