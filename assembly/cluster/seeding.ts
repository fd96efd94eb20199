// k-means++ seeding: the potential of each candidate center with the closest distances brought up to date in the
// same pass, the draw within a chunk of rows, and k-means||'s closest-distance update.
import { sqDistF32 } from '../core/distance';

/**
 * Four accumulators' horizontal sums in the lanes of one vector, each ((l0 + l1) + l2) + l3, lanes left to right:
 * the order `sqDistF32` adds them in. The accumulators are transposed, then added lane by lane.
 */
// @ts-ignore: decorator
@inline
function transposedSum(a0: v128, a1: v128, a2: v128, a3: v128): v128 {
  const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
  const t2 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
  const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
  const lane0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
  const lane1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
  const lane2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
  const lane3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
  return f32x4.add(f32x4.add(f32x4.add(lane0, lane1), lane2), lane3);
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

/** Row i's weight; 1 when weightPtr is 0 (unit weights: 1 · x is x, so the sums are the same bits, and no weight is read). */
// @ts-ignore: decorator
@inline
function weightAt(weightPtr: usize, i: i32): f64 {
  return weightPtr != 0 ? load<f64>(weightPtr + (<usize>i << 3)) : 1;
}

/** acc + (x − v)² in f32 lanes, a subtraction, a multiplication and an addition: sqDistF32's operations. */
// @ts-ignore: decorator
@inline
function addSquare(acc: v128, x: v128, v: v128): v128 {
  const e = f32x4.sub(x, v);
  return f32x4.add(acc, f32x4.mul(e, e));
}

/** The four lanes of `sums` to four columns, at byte `at` of each. */
// @ts-ignore: decorator
@inline
function storeLanes(d0: usize, d1: usize, d2: usize, d3: usize, at: usize, sums: v128): void {
  store<f32>(d0 + at, f32x4.extract_lane(sums, 0));
  store<f32>(d1 + at, f32x4.extract_lane(sums, 1));
  store<f32>(d2 + at, f32x4.extract_lane(sums, 2));
  store<f32>(d3 + at, f32x4.extract_lane(sums, 3));
}

/** p + weight · min(closest, d) lane by lane in f64, d the two low f32 lanes of `distances`. */
// @ts-ignore: decorator
@inline
function addPotential(p: v128, weight: v128, closest: v128, distances: v128): v128 {
  const d = f64x2.promote_low_f32x4(distances);
  return f64x2.add(p, f64x2.mul(weight, v128.bitselect(d, closest, f64x2.lt(d, closest))));
}

/** `nearer` in f32. */
// @ts-ignore: decorator
@inline
function nearer32(closest: f32, d: f32): f32 {
  return d < closest ? d : closest;
}

/**
 * One k-means++ step over rows [rowStart, rowEnd) (one chunk: the caller adds the chunks' potentials in chunk order):
 * first the closest distances take the previous step's chosen center, closestᵢ = min(closestᵢ, previousᵢ) (its
 * distances, a column this kernel wrote; previousPtr 0 for none); then for each candidate row c,
 * Σᵢ wᵢ · min(closestᵢ, ‖xᵢ − x_c‖²), each distance kept for the next step. Candidates go four at a time over the
 * rows, rows two at a time (their addresses and four running potentials in registers, eight accumulator chains; the
 * last group repeats its last candidate and drops the copies): each distance is computed with the very operations,
 * in the same order, as `sqDistF32`, and each potential adds its rows in order, so the potentials are bit-identical
 * to one candidate at a time, and the chosen candidate's is the chunk's potential of the next step.
 * Closest distances are f32: each is one f32 distance (or +∞ before the first center), so nothing is lost.
 * IN xPtr, weightPtr (f64; 0 for unit weights), candidatesPtr (i32 row indices), previousPtr (f32 column); INOUT closestPtr (f32);
 * OUT potentialsPtr (nCandidates f64: this chunk's), distancesPtr (nCandidates × nSamples f32, candidate by
 * candidate: ‖xᵢ − x_c‖² as sqDistF32 gives it; rows of this chunk).
 */
export function seedingPotentials(
  xPtr: usize, weightPtr: usize, rowStart: i32, rowEnd: i32, nSamples: i32, nFeatures: i32,
  candidatesPtr: usize, nCandidates: i32, previousPtr: usize, closestPtr: usize, potentialsPtr: usize, distancesPtr: usize,
): void {
  if (previousPtr != 0) {
    for (let i = rowStart; i < rowEnd; i++) {
      const p = closestPtr + (<usize>i << 2);
      store<f32>(p, nearer32(load<f32>(p), load<f32>(previousPtr + (<usize>i << 2))));
    }
  }
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
    let p01 = f64x2.splat(0), p23 = f64x2.splat(0);
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
        a0 = addSquare(a0, xa, v0);
        a1 = addSquare(a1, xa, v1);
        a2 = addSquare(a2, xa, v2);
        a3 = addSquare(a3, xa, v3);
        b0 = addSquare(b0, xb, v0);
        b1 = addSquare(b1, xb, v1);
        b2 = addSquare(b2, xb, v2);
        b3 = addSquare(b3, xb, v3);
      }
      // Each candidate's distance in a lane: summed in sqDistF32's order, four candidates at once; then the odd features.
      let sa = transposedSum(a0, a1, a2, a3);
      let sb = transposedSum(b0, b1, b2, b3);
      for (let t = vectorBytes; t < rowBytes; t += 4) {
        const v = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(c0 + t)), 1, load<f32>(c1 + t)), 2, load<f32>(c2 + t)), 3, load<f32>(c3 + t));
        sa = addSquare(sa, f32x4.splat(load<f32>(rowA + t)), v);
        sb = addSquare(sb, f32x4.splat(load<f32>(rowB + t)), v);
      }
      // Each row's four distances to their columns, and its terms of the potentials two candidates a lane pair, in
      // f64: weight · min(closest, d), as one candidate at a time.
      const at = <usize>i << 2;
      storeLanes(d0, d1, d2, d3, at, sa);
      let closest = f64x2.splat(<f64>load<f32>(closestPtr + at));
      let weight = f64x2.splat(weightAt(weightPtr, i));
      p01 = addPotential(p01, weight, closest, sa);
      p23 = addPotential(p23, weight, closest, v128.shuffle<f32>(sa, sa, 2, 3, 0, 1));
      if (second) {
        storeLanes(d0, d1, d2, d3, at + 4, sb);
        closest = f64x2.splat(<f64>load<f32>(closestPtr + at + 4));
        weight = f64x2.splat(weightAt(weightPtr, i + 1));
        p01 = addPotential(p01, weight, closest, sb);
        p23 = addPotential(p23, weight, closest, v128.shuffle<f32>(sb, sb, 2, 3, 0, 1));
      }
    }
    const p0 = f64x2.extract_lane(p01, 0), p1 = f64x2.extract_lane(p01, 1);
    const p2 = f64x2.extract_lane(p23, 0), p3 = f64x2.extract_lane(p23, 1);
    store<f64>(potentialsPtr + (<usize>c << 3), p0);
    if (c + 1 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 1) << 3), p1);
    if (c + 2 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 2) << 3), p2);
    if (c + 3 < nCandidates) store<f64>(potentialsPtr + (<usize>(c + 3) << 3), p3);
  }
}

/**
 * A draw within one chunk of rows [rowStart, rowEnd): the first row i whose running potential, `before` (the earlier
 * chunks' potential) plus Σⱼ wⱼ · min(closestⱼ, previousⱼ) for j from rowStart to i in row order, reaches `target`
 * (rowEnd − 1 when none does). The sums are those `seedingPotentials` forms for the chosen candidate, so the
 * chunk's last running potential is the one its chunk total gave.
 * IN weightPtr (f64; 0 for unit weights), closestPtr (f32: before the previous step's center is taken), previousPtr (f32: its distances).
 */
export function drawInChunk(weightPtr: usize, closestPtr: usize, previousPtr: usize, rowStart: i32, rowEnd: i32, before: f64, target: f64): i32 {
  let running: f64 = 0;
  for (let i = rowStart; i < rowEnd; i++) {
    const d = nearer(<f64>load<f32>(closestPtr + (<usize>i << 2)), <f64>load<f32>(previousPtr + (<usize>i << 2)));
    running += weightAt(weightPtr, i) * d;
    if (before + running >= target) return i;
  }
  return rowEnd - 1;
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
