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

/** min(closest, d) for distances (never NaN, never −0), as a compare: f64.min's NaN and ±0 rules cost V8 a sequence. */
// @ts-ignore: decorator
@inline
function nearer(closest: f64, d: f64): f64 {
  return d < closest ? d : closest;
}

/**
 * For each candidate row c, Σᵢ wᵢ · min(closestᵢ, ‖xᵢ − x_c‖²), and each distance kept for `takeClosest`.
 * Candidates go four at a time over the rows (their rows' addresses and four running potentials in registers,
 * four accumulator chains per row; the last group repeats its last candidate and drops the copies): each distance
 * is computed with the very operations, in the same order, as `sqDistF32`, and each potential adds its rows in
 * order, so the potentials are bit-identical to one candidate at a time.
 * IN xPtr, weightPtr (f64), candidatesPtr (i32 row indices), closestPtr (f64); OUT potentialsPtr (f64),
 * distancesPtr (nCandidates × nSamples f32, candidate by candidate: ‖xᵢ − x_c‖² as sqDistF32 gives it).
 */
export function seedingPotentials(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32,
  candidatesPtr: usize, nCandidates: i32, closestPtr: usize, potentialsPtr: usize, distancesPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  const vectorBytes = <usize>(nFeatures & ~3) << 2;
  const columnBytes = <usize>nSamples << 2;
  for (let c = 0; c < nCandidates; c += 4) {
    const c0 = candidateRow(xPtr, rowBytes, candidatesPtr, c, nCandidates);
    const c1 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 1, nCandidates);
    const c2 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 2, nCandidates);
    const c3 = candidateRow(xPtr, rowBytes, candidatesPtr, c + 3, nCandidates);
    // The four candidates' distance columns; the copies in the last group write the last real column again.
    const d0 = distancesPtr + <usize>c * columnBytes;
    const d1 = distancesPtr + <usize>min(c + 1, nCandidates - 1) * columnBytes;
    const d2 = distancesPtr + <usize>min(c + 2, nCandidates - 1) * columnBytes;
    const d3 = distancesPtr + <usize>min(c + 3, nCandidates - 1) * columnBytes;
    let p0: f64 = 0, p1: f64 = 0, p2: f64 = 0, p3: f64 = 0;
    let row = xPtr;
    for (let i = 0; i < nSamples; i++, row += rowBytes) {
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      for (let t: usize = 0; t < vectorBytes; t += 16) {
        const x = v128.load(row + t);
        const e0 = f32x4.sub(x, v128.load(c0 + t));
        acc0 = f32x4.add(acc0, f32x4.mul(e0, e0));
        const e1 = f32x4.sub(x, v128.load(c1 + t));
        acc1 = f32x4.add(acc1, f32x4.mul(e1, e1));
        const e2 = f32x4.sub(x, v128.load(c2 + t));
        acc2 = f32x4.add(acc2, f32x4.mul(e2, e2));
        const e3 = f32x4.sub(x, v128.load(c3 + t));
        acc3 = f32x4.add(acc3, f32x4.mul(e3, e3));
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
      const at = <usize>i << 2;
      store<f32>(d0 + at, s0);
      store<f32>(d1 + at, s1);
      store<f32>(d2 + at, s2);
      store<f32>(d3 + at, s3);
      const closest = load<f64>(closestPtr + (<usize>i << 3));
      const weight = load<f64>(weightPtr + (<usize>i << 3));
      p0 += weight * nearer(closest, <f64>s0);
      p1 += weight * nearer(closest, <f64>s1);
      p2 += weight * nearer(closest, <f64>s2);
      p3 += weight * nearer(closest, <f64>s3);
    }
    store<f64>(potentialsPtr + (<usize>c << 3), p0);
    if (c + 1 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 1) << 3), p1);
    if (c + 2 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 2) << 3), p2);
    if (c + 3 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 3) << 3), p3);
  }
}

/**
 * The chosen candidate's distances (a column `seedingPotentials` wrote) taken into the closest distances:
 * closestᵢ = min(closestᵢ, dᵢ), and the running potential Σⱼ≤ᵢ wⱼ · closestⱼ written for the next draws (numpy's
 * cumsum, in row order). Returns the whole potential, the last running one. No distance is computed again.
 * IN distancesPtr (f32), weightPtr (f64); INOUT closestPtr (f64); OUT cumulativePtr (f64).
 */
export function takeClosest(distancesPtr: usize, weightPtr: usize, nSamples: i32, closestPtr: usize, cumulativePtr: usize): f64 {
  let potential: f64 = 0;
  for (let i = 0; i < nSamples; i++) {
    const p = closestPtr + (<usize>i << 3);
    const d = <f64>load<f32>(distancesPtr + (<usize>i << 2));
    const closest = load<f64>(p);
    const nearest = nearer(closest, d);
    store<f64>(p, nearest);
    potential += load<f64>(weightPtr + (<usize>i << 3)) * nearest;
    store<f64>(cumulativePtr + (<usize>i << 3), potential);
  }
  return potential;
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
    const nearest = nearer(closest, d);
    store<f64>(p, nearest);
    potential += load<f64>(weightPtr + (<usize>i << 3)) * nearest;
  }
  return potential;
}
