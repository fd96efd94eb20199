// Squared Euclidean distances by direct differencing (never ‖a‖² − 2·a·b), for the values that are reported or
// compared as distances: inertia, transform, center shifts, the k-means++ potentials.

/** Squared Euclidean distance of two f32 rows, the differences squared and summed in f64. */
// @ts-ignore: decorator
@inline
export function sqDistF64(a: usize, b: usize, nFeatures: i32): f64 {
  let acc = f64x2.splat(0);
  let t = 0;
  for (; t + 4 <= nFeatures; t += 4) {
    const diff = f32x4.sub(v128.load(a + (<usize>t << 2)), v128.load(b + (<usize>t << 2)));
    const lo = f64x2.promote_low_f32x4(diff);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(diff, diff, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; t < nFeatures; t++) {
    const diff = <f64>load<f32>(a + (<usize>t << 2)) - <f64>load<f32>(b + (<usize>t << 2));
    sum += diff * diff;
  }
  return sum;
}

/** Squared Euclidean distance of two f32 rows in f32 lanes (seeding, where speed matters more). */
// @ts-ignore: decorator
@inline
export function sqDistF32(a: usize, b: usize, nFeatures: i32): f32 {
  let acc = f32x4.splat(0);
  let t = 0;
  for (; t + 4 <= nFeatures; t += 4) {
    const diff = f32x4.sub(v128.load(a + (<usize>t << 2)), v128.load(b + (<usize>t << 2)));
    acc = f32x4.add(acc, f32x4.mul(diff, diff));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; t < nFeatures; t++) {
    const diff = load<f32>(a + (<usize>t << 2)) - load<f32>(b + (<usize>t << 2));
    sum += diff * diff;
  }
  return sum;
}
