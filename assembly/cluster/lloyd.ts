// The Lloyd E-step with its M-step accumulation fused in (one pass over the data per iteration), predict, and the
// exact distances that inertia, relocation and transform report.
import { sqDistF64 } from '../core/distance';
import { blockCount, ClusterArgs } from './args';
import { nearestPair, secondOfPair } from './score';

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

/** Adds row i, weighted, to cluster `label`'s sum and weight. */
// @ts-ignore: decorator
@inline
function addToCluster(i: i32, label: i32, row: usize, weightPtr: usize, nFeatures: i32, sumsPtr: usize, weightInClustersPtr: usize): void {
  const weight = load<f64>(weightPtr + (<usize>i << 3));
  addWeightedRow(sumsPtr + (<usize>(label * nFeatures) << 3), row, weight, nFeatures);
  const wc = weightInClustersPtr + (<usize>label << 3);
  store<f64>(wc, load<f64>(wc) + weight);
}

/** Stores row i's label and adds the row, weighted, to its cluster; returns 1 when the label changed. */
// @ts-ignore: decorator
@inline
export function accumulate(
  i: i32, label: i32, row: usize, weightPtr: usize, nFeatures: i32, labelsPtr: usize, sumsPtr: usize, weightInClustersPtr: usize,
): i32 {
  const labelPtr = labelsPtr + (<usize>i << 2);
  const changed = load<i32>(labelPtr) != label ? 1 : 0;
  store<i32>(labelPtr, label);
  addToCluster(i, label, row, weightPtr, nFeatures, sumsPtr, weightInClustersPtr);
  return changed;
}

/**
 * One Lloyd iteration over rows [rowStart, rowEnd) (one E-step chunk): label each row with its nearest center (two
 * rows per pass over the centers) and add it, weighted, to its cluster's sum. Returns how many labels changed.
 * IN args (ClusterArgs: x, weights, centersT, centerNorms); INOUT args.labels; OUT partialPtr (nClusters × nFeatures
 * f64 sums, then nClusters f64 weights; zeroed first).
 */
export function lloydChunk(args: ClusterArgs, rowStart: i32, rowEnd: i32, partialPtr: usize): i32 {
  const sumsPtr = partialPtr;
  const weightInClustersPtr = partialPtr + (<usize>(args.nClusters * args.nFeatures) << 3);
  memory.fill(partialPtr, 0, <usize>(args.nClusters * args.nFeatures + args.nClusters) << 3);
  const xPtr = args.x;
  const weightPtr = args.weights;
  const nFeatures = args.nFeatures;
  const centersTPtr = args.centersT;
  const centerNormsPtr = args.centerNorms;
  const nBlocks = blockCount(args.nClusters);
  const labelsPtr = args.labels;
  let changed = 0;
  const rowBytes = <usize>nFeatures << 2;
  let i = rowStart;
  for (; i + 2 <= rowEnd; i += 2) {
    const row = xPtr + <usize>i * rowBytes;
    const first = nearestPair(row, row + rowBytes, nFeatures, centersTPtr, centerNormsPtr, nBlocks);
    const second = secondOfPair();
    changed += accumulate(i, first, row, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
    changed += accumulate(i + 1, second, row + rowBytes, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  if (i < rowEnd) {
    // The odd last row is paired with itself.
    const row = xPtr + <usize>i * rowBytes;
    const label = nearestPair(row, row, nFeatures, centersTPtr, centerNormsPtr, nBlocks);
    changed += accumulate(i, label, row, weightPtr, nFeatures, labelsPtr, sumsPtr, weightInClustersPtr);
  }
  return changed;
}

/**
 * Labels rows [rowStart, rowEnd) with their nearest center (predict, and the last E-step after a shift-based stop).
 * IN args (x, centersT, centerNorms); OUT args.labels.
 */
export function assignLabels(args: ClusterArgs, rowStart: i32, rowEnd: i32): void {
  const xPtr = args.x;
  const nFeatures = args.nFeatures;
  const centersTPtr = args.centersT;
  const centerNormsPtr = args.centerNorms;
  const nBlocks = blockCount(args.nClusters);
  const labelsPtr = args.labels;
  const rowBytes = <usize>nFeatures << 2;
  for (let i = rowStart; i < rowEnd; i += 2) {
    const row = xPtr + <usize>i * rowBytes;
    const second = i + 1 < rowEnd ? row + rowBytes : row;
    store<i32>(labelsPtr + (<usize>i << 2), nearestPair(row, second, nFeatures, centersTPtr, centerNormsPtr, nBlocks));
    if (i + 1 < rowEnd) store<i32>(labelsPtr + (<usize>(i + 1) << 2), secondOfPair());
  }
}

/**
 * Squared distance of each row of [rowStart, rowEnd) to the center it is labelled with (direct differencing, f64).
 * IN args (x, weights, centers, labels); OUT sqDistPtr (nSamples f64; skipped when 0). Returns the weighted sum of
 * the range in row order: its part of the inertia.
 */
export function assignedSqDistances(args: ClusterArgs, rowStart: i32, rowEnd: i32, sqDistPtr: usize): f64 {
  const xPtr = args.x;
  const weightPtr = args.weights;
  const centersPtr = args.centers;
  const labelsPtr = args.labels;
  const nFeatures = args.nFeatures;
  const rowBytes = <usize>nFeatures << 2;
  let inertia: f64 = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const label = load<i32>(labelsPtr + (<usize>i << 2));
    const d = sqDistF64(xPtr + <usize>i * rowBytes, centersPtr + <usize>label * rowBytes, nFeatures);
    if (sqDistPtr != 0) store<f64>(sqDistPtr + (<usize>i << 3), d);
    inertia += d * load<f64>(weightPtr + (<usize>i << 3));
  }
  return inertia;
}

/**
 * Euclidean distances of every row to every center (direct differencing, f64): what `transform` returns.
 * IN args (x, centers); OUT outPtr (nSamples × nClusters f64).
 */
export function distancesToCenters(args: ClusterArgs, outPtr: usize): void {
  const xPtr = args.x;
  const centersPtr = args.centers;
  const nSamples = args.nSamples;
  const nFeatures = args.nFeatures;
  const nClusters = args.nClusters;
  const rowBytes = <usize>nFeatures << 2;
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const out = outPtr + (<usize>i * <usize>nClusters << 3);
    for (let c = 0; c < nClusters; c++) {
      store<f64>(out + (<usize>c << 3), Math.sqrt(sqDistF64(row, centersPtr + <usize>c * rowBytes, nFeatures)));
    }
  }
}
