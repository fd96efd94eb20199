// k-means++ seeding: the potential of each candidate center, and the closest-distance update.
import { sqDistF32 } from '../core/distance';

/** Horizontal sum of an f32x4 accumulator, lanes left to right: the order `sqDistF32` adds them in. */
// @ts-ignore: decorator
@inline
function laneSum(acc: v128): f32 {
  return f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
}

/** Address of candidate c's row; past the last candidate, the last one's. */
// @ts-ignore: decorator
@inline
function candidateRow(xPtr: usize, rowBytes: usize, candidatesPtr: usize, c: i32, nCandidates: i32): usize {
  const index = c < nCandidates ? c : nCandidates - 1;
  return xPtr + <usize>load<i32>(candidatesPtr + (<usize>index << 2)) * rowBytes;
}

/** Adds weight · min(closest, d) to candidate c's potential. */
// @ts-ignore: decorator
@inline
function addPotential(potentialsPtr: usize, c: i32, weight: f64, closest: f64, d: f64): void {
  const p = potentialsPtr + (<usize>c << 3);
  store<f64>(p, load<f64>(p) + weight * (d < closest ? d : closest));
}

/**
 * For each candidate row c, Σᵢ wᵢ · min(closestᵢ, ‖xᵢ − x_c‖²), in one pass over the data. Candidates go four
 * at a time (four independent accumulator chains, one load of the row; the last group repeats its last
 * candidate and drops the copies): each distance is computed with the very operations, in the same order, as
 * `sqDistF32`, so the potentials are bit-identical to one candidate at a time.
 * IN xPtr, weightPtr (f64), candidatesPtr (i32 row indices), closestPtr (f64); OUT potentialsPtr (f64).
 */
export function seedingPotentials(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32,
  candidatesPtr: usize, nCandidates: i32, closestPtr: usize, potentialsPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  const vectorBytes = <usize>(nFeatures & ~3) << 2;
  for (let c = 0; c < nCandidates; c++) store<f64>(potentialsPtr + (<usize>c << 3), 0);
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const closest = load<f64>(closestPtr + (<usize>i << 3));
    const weight = load<f64>(weightPtr + (<usize>i << 3));
    for (let c = 0; c < nCandidates; c += 4) {
      const c0 = candidateRow(xPtr, rowBytes, candidatesPtr, c, nCandidates);
      const c1 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 1, nCandidates);
      const c2 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 2, nCandidates);
      const c3 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 3, nCandidates);
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      for (let t: usize = 0; t < vectorBytes; t += 16) {
        const x = v128.load(row + t);
        const d0 = f32x4.sub(x, v128.load(c0 + t));
        acc0 = f32x4.add(acc0, f32x4.mul(d0, d0));
        const d1 = f32x4.sub(x, v128.load(c1 + t));
        acc1 = f32x4.add(acc1, f32x4.mul(d1, d1));
        const d2 = f32x4.sub(x, v128.load(c2 + t));
        acc2 = f32x4.add(acc2, f32x4.mul(d2, d2));
        const d3 = f32x4.sub(x, v128.load(c3 + t));
        acc3 = f32x4.add(acc3, f32x4.mul(d3, d3));
      }
      let s0 = laneSum(acc0);
      let s1 = laneSum(acc1);
      let s2 = laneSum(acc2);
      let s3 = laneSum(acc3);
      for (let t = vectorBytes; t < rowBytes; t += 4) {
        const x = load<f32>(row + t);
        const e0 = x - load<f32>(c0 + t);
        s0 += e0 * e0;
        const e1 = x - load<f32>(c1 + t);
        s1 += e1 * e1;
        const e2 = x - load<f32>(c2 + t);
        s2 += e2 * e2;
        const e3 = x - load<f32>(c3 + t);
        s3 += e3 * e3;
      }
      addPotential(potentialsPtr, c, weight, closest, <f64>s0);
      if (c + 1 < nCandidates) addPotential(potentialsPtr, c + 1, weight, closest, <f64>s1);
      if (c + 2 < nCandidates) addPotential(potentialsPtr, c + 2, weight, closest, <f64>s2);
      if (c + 3 < nCandidates) addPotential(potentialsPtr, c + 3, weight, closest, <f64>s3);
    }
  }
}

/**
 * closestᵢ = min(closestᵢ, ‖xᵢ − x_center‖²) for every row; returns the new potential Σᵢ wᵢ · closestᵢ.
 * IN xPtr, weightPtr (f64); INOUT closestPtr (f64, +∞ before the first center).
 */
export function updateClosest(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, centerRow: i32, closestPtr: usize,
): f64 {
  const rowBytes = <usize>nFeatures << 2;
  const center = xPtr + <usize>centerRow * rowBytes;
  let potential: f64 = 0;
  for (let i = 0; i < nSamples; i++) {
    const p = closestPtr + (<usize>i << 3);
    const d = <f64>sqDistF32(xPtr + <usize>i * rowBytes, center, nFeatures);
    const closest = load<f64>(p);
    const nearest = d < closest ? d : closest;
    store<f64>(p, nearest);
    potential += load<f64>(weightPtr + (<usize>i << 3)) * nearest;
  }
  return potential;
}
