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
 * For each candidate row c, Σᵢ wᵢ · min(closestᵢ, ‖xᵢ − x_c‖²) over rows [rowStart, rowEnd) (one chunk: the
 * caller adds the chunks' potentials in chunk order), and each distance kept for `takeClosest`.
 * Candidates go four at a time over the rows, rows two at a time (their rows' addresses and four running
 * potentials in registers, eight accumulator chains; the last group repeats its last candidate and drops the
 * copies): each distance is computed with the very operations, in the same order, as `sqDistF32`, and each
 * potential adds its rows in order, so the potentials are bit-identical to one candidate at a time.
 * IN xPtr, weightPtr (f64), candidatesPtr (i32 row indices), closestPtr (f64); OUT potentialsPtr (nCandidates f64:
 * this chunk's), distancesPtr (nCandidates × nSamples f32, candidate by candidate: ‖xᵢ − x_c‖² as sqDistF32 gives
 * it; rows of this chunk).
 */
export function seedingPotentials(
  xPtr: usize, weightPtr: usize, rowStart: i32, rowEnd: i32, nSamples: i32, nFeatures: i32,
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
    // Rows two at a time, so that each candidate vector loaded serves both; an odd last row is paired with
    // itself and its copy dropped.
    for (let i = rowStart; i < rowEnd; i += 2) {
      const rowA = xPtr + <usize>i * rowBytes;
      const second = i + 1 < rowEnd;
      const rowB = second ? rowA + rowBytes : rowA;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
      for (let t: usize = 0; t < vectorBytes; t += 16) {
        const xa = v128.load(rowA + t);
        const xb = v128.load(rowB + t);
        const v0 = v128.load(c0 + t);
        const v1 = v128.load(c1 + t);
        const v2 = v128.load(c2 + t);
        const v3 = v128.load(c3 + t);
        let e = f32x4.sub(xa, v0);
        a0 = f32x4.add(a0, f32x4.mul(e, e));
        e = f32x4.sub(xa, v1);
        a1 = f32x4.add(a1, f32x4.mul(e, e));
        e = f32x4.sub(xa, v2);
        a2 = f32x4.add(a2, f32x4.mul(e, e));
        e = f32x4.sub(xa, v3);
        a3 = f32x4.add(a3, f32x4.mul(e, e));
        e = f32x4.sub(xb, v0);
        b0 = f32x4.add(b0, f32x4.mul(e, e));
        e = f32x4.sub(xb, v1);
        b1 = f32x4.add(b1, f32x4.mul(e, e));
        e = f32x4.sub(xb, v2);
        b2 = f32x4.add(b2, f32x4.mul(e, e));
        e = f32x4.sub(xb, v3);
        b3 = f32x4.add(b3, f32x4.mul(e, e));
      }
      let sa0 = laneSum(a0), sa1 = laneSum(a1), sa2 = laneSum(a2), sa3 = laneSum(a3);
      let sb0 = laneSum(b0), sb1 = laneSum(b1), sb2 = laneSum(b2), sb3 = laneSum(b3);
      for (let t = vectorBytes; t < rowBytes; t += 4) {
        const xa = load<f32>(rowA + t);
        const xb = load<f32>(rowB + t);
        const v0 = load<f32>(c0 + t), v1 = load<f32>(c1 + t), v2 = load<f32>(c2 + t), v3 = load<f32>(c3 + t);
        sa0 += (xa - v0) * (xa - v0);
        sa1 += (xa - v1) * (xa - v1);
        sa2 += (xa - v2) * (xa - v2);
        sa3 += (xa - v3) * (xa - v3);
        sb0 += (xb - v0) * (xb - v0);
        sb1 += (xb - v1) * (xb - v1);
        sb2 += (xb - v2) * (xb - v2);
        sb3 += (xb - v3) * (xb - v3);
      }
      const at = <usize>i << 2;
      store<f32>(d0 + at, sa0);
      store<f32>(d1 + at, sa1);
      store<f32>(d2 + at, sa2);
      store<f32>(d3 + at, sa3);
      let closest = load<f64>(closestPtr + (<usize>i << 3));
      let weight = load<f64>(weightPtr + (<usize>i << 3));
      p0 += weight * nearer(closest, <f64>sa0);
      p1 += weight * nearer(closest, <f64>sa1);
      p2 += weight * nearer(closest, <f64>sa2);
      p3 += weight * nearer(closest, <f64>sa3);
      if (second) {
        store<f32>(d0 + at + 4, sb0);
        store<f32>(d1 + at + 4, sb1);
        store<f32>(d2 + at + 4, sb2);
        store<f32>(d3 + at + 4, sb3);
        closest = load<f64>(closestPtr + (<usize>(i + 1) << 3));
        weight = load<f64>(weightPtr + (<usize>(i + 1) << 3));
        p0 += weight * nearer(closest, <f64>sb0);
        p1 += weight * nearer(closest, <f64>sb1);
        p2 += weight * nearer(closest, <f64>sb2);
        p3 += weight * nearer(closest, <f64>sb3);
      }
    }
    store<f64>(potentialsPtr + (<usize>c << 3), p0);
    if (c + 1 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 1) << 3), p1);
    if (c + 2 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 2) << 3), p2);
    if (c + 3 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 3) << 3), p3);
  }
}

/**
 * The chosen candidate's distances (a column `seedingPotentials` wrote) taken into the closest distances over rows
 * [rowStart, rowEnd): closestᵢ = min(closestᵢ, dᵢ), and the chunk's running potential Σ wⱼ · closestⱼ (j from
 * rowStart to i, in row order) written for the next draws. Returns the chunk's potential, its last running one. No
 * distance is computed again.
 * IN distancesPtr (f32), weightPtr (f64); INOUT closestPtr (f64); OUT cumulativePtr (f64).
 */
export function takeClosest(distancesPtr: usize, weightPtr: usize, rowStart: i32, rowEnd: i32, closestPtr: usize, cumulativePtr: usize): f64 {
  let potential: f64 = 0;
  for (let i = rowStart; i < rowEnd; i++) {
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
 * closestᵢ = min(closestᵢ, ‖xᵢ − x_center‖²) for rows [rowStart, rowEnd); returns their potential Σ wᵢ · closestᵢ
 * and, when cumulativePtr ≠ 0, writes its running sums there as `takeClosest` does.
 * IN xPtr, weightPtr (f64); INOUT closestPtr (f64, +∞ before the first center); OUT cumulativePtr (f64).
 */
export function updateClosest(
  xPtr: usize, weightPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32, centerRow: i32, closestPtr: usize, cumulativePtr: usize,
): f64 {
  const rowBytes = <usize>nFeatures << 2;
  const center = xPtr + <usize>centerRow * rowBytes;
  let potential: f64 = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const p = closestPtr + (<usize>i << 3);
    const d = <f64>sqDistF32(xPtr + <usize>i * rowBytes, center, nFeatures);
    const closest = load<f64>(p);
    const nearest = nearer(closest, d);
    store<f64>(p, nearest);
    potential += load<f64>(weightPtr + (<usize>i << 3)) * nearest;
    if (cumulativePtr != 0) store<f64>(cumulativePtr + (<usize>i << 3), potential);
  }
  return potential;
}
