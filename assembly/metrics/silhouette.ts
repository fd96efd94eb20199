// The silhouette's O(n²·d) loop: Euclidean distances in f64 (f64x2 lanes), summed per cluster.

/** Euclidean distances from one f64 row to two others at once, in the two lanes: [‖a − b0‖, ‖a − b1‖]. */
// @ts-ignore: decorator
@inline
function distancePair(a: usize, b0: usize, b1: usize, nFeatures: i32): v128 {
  let acc0 = f64x2.splat(0);
  let acc1 = f64x2.splat(0);
  const bytes = <usize>nFeatures << 3;
  let t: usize = 0;
  for (; t + 16 <= bytes; t += 16) {
    const x = v128.load(a + t);
    const d0 = f64x2.sub(x, v128.load(b0 + t));
    const d1 = f64x2.sub(x, v128.load(b1 + t));
    acc0 = f64x2.add(acc0, f64x2.mul(d0, d0));
    acc1 = f64x2.add(acc1, f64x2.mul(d1, d1));
  }
  // Lane sums: [acc0[0] + acc0[1], acc1[0] + acc1[1]].
  let sums = f64x2.add(v128.shuffle<f64>(acc0, acc1, 0, 2), v128.shuffle<f64>(acc0, acc1, 1, 3));
  if (t < bytes) {
    const x = f64x2.splat(load<f64>(a + t));
    const d = f64x2.sub(x, f64x2.replace_lane(f64x2.splat(load<f64>(b0 + t)), 1, load<f64>(b1 + t)));
    sums = f64x2.add(sums, f64x2.mul(d, d));
  }
  return f64x2.sqrt(sums);
}

/**
 * For rows [rowStart, rowEnd), the sum of Euclidean distances to every row of each cluster.
 * IN xPtr (nSamples × nFeatures f64), labelsPtr (nSamples i32 in [0, nLabels)); OUT outPtr ((rowEnd − rowStart) × nLabels f64).
 */
export function clusterDistanceSums(
  xPtr: usize, nSamples: i32, nFeatures: i32, labelsPtr: usize, nLabels: i32, rowStart: i32, rowEnd: i32, outPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 3;
  memory.fill(outPtr, 0, <usize>((rowEnd - rowStart) * nLabels) << 3);
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const out = outPtr + (<usize>((i - rowStart) * nLabels) << 3);
    let j = 0;
    for (; j < nSamples; j += 2) {
      // The odd last row is paired with itself and its second lane dropped.
      const second = j + 1 < nSamples ? j + 1 : j;
      const dist = distancePair(row, xPtr + <usize>j * rowBytes, xPtr + <usize>second * rowBytes, nFeatures);
      const s0 = out + (<usize>load<i32>(labelsPtr + (<usize>j << 2)) << 3);
      store<f64>(s0, load<f64>(s0) + f64x2.extract_lane(dist, 0));
      if (second != j) {
        const s1 = out + (<usize>load<i32>(labelsPtr + (<usize>second << 2)) << 3);
        store<f64>(s1, load<f64>(s1) + f64x2.extract_lane(dist, 1));
      }
    }
  }
}
