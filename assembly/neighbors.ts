// The k-nearest-neighbour search: an exact blocked brute force. Candidate rows are transposed into SIMD
// blocks of 4 (row b·4+j's feature t at [b][t][j]); each query row is differenced against four candidates
// at once in f32 lanes, and a block is looked at lane by lane only when one of its lanes beats the current
// k-th distance. Direct differencing (never ‖x‖² − 2·x·y) keeps exact ties exact on integer data.
//
// Each query row keeps its best nNeighbors in a sorted insertion list, ordered by (distance, index):
// candidates arrive in increasing index, so a strict < on insertion keeps the lower index first among ties.

/** Candidate rows per SIMD block. */
const LANES: i32 = 4;

/**
 * Transposes row-major rows into blocks of 4 (zero padding past nSamples).
 * IN xPtr (nSamples × nFeatures f32); OUT xTPtr (ceil(nSamples / 4) × nFeatures × 4 f32).
 */
export function packRows4(xPtr: usize, nSamples: i32, nFeatures: i32, xTPtr: usize): void {
  const nBlocks = (nSamples + LANES - 1) / LANES;
  for (let b = 0; b < nBlocks; b++) {
    for (let j = 0; j < LANES; j++) {
      const r = b * LANES + j;
      for (let t = 0; t < nFeatures; t++) {
        const v: f32 = r < nSamples ? load<f32>(xPtr + (<usize>(r * nFeatures + t) << 2)) : 0;
        store<f32>(xTPtr + (<usize>((b * nFeatures + t) * LANES + j) << 2), v);
      }
    }
  }
}

/** Inserts (dist, index) into a sorted list of k entries if it beats the last; returns the new k-th distance. */
// @ts-ignore: decorator
@inline
function insert(distRow: usize, indexRow: usize, k: i32, dist: f32, index: i32): f32 {
  let pos = k - 1;
  if (!(dist < load<f32>(distRow + (<usize>pos << 2)))) return load<f32>(distRow + (<usize>pos << 2));
  while (pos > 0 && load<f32>(distRow + (<usize>(pos - 1) << 2)) > dist) {
    store<f32>(distRow + (<usize>pos << 2), load<f32>(distRow + (<usize>(pos - 1) << 2)));
    store<i32>(indexRow + (<usize>pos << 2), load<i32>(indexRow + (<usize>(pos - 1) << 2)));
    pos--;
  }
  store<f32>(distRow + (<usize>pos << 2), dist);
  store<i32>(indexRow + (<usize>pos << 2), index);
  return load<f32>(distRow + (<usize>(k - 1) << 2));
}

/**
 * The nNeighbors nearest other rows (the query row itself excluded) of rows [rowStart, rowEnd), sorted by
 * (squared distance, index). Unfilled slots keep index −1 and distance +∞.
 * IN xPtr (nSamples × nFeatures f32), xTPtr (packRows4); OUT sqDistPtr (nSamples × nNeighbors f32),
 * indicesPtr (nSamples × nNeighbors i32).
 */
export function kneighborsChunk(
  xPtr: usize, xTPtr: usize, nSamples: i32, nFeatures: i32, rowStart: i32, rowEnd: i32, nNeighbors: i32,
  sqDistPtr: usize, indicesPtr: usize,
): void {
  const nBlocks = (nSamples + LANES - 1) / LANES;
  const blockBytes = <usize>nFeatures << 4;
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + (<usize>(i * nFeatures) << 2);
    const distRow = sqDistPtr + (<usize>(i * nNeighbors) << 2);
    const indexRow = indicesPtr + (<usize>(i * nNeighbors) << 2);
    for (let s = 0; s < nNeighbors; s++) {
      store<f32>(distRow + (<usize>s << 2), Infinity);
      store<i32>(indexRow + (<usize>s << 2), -1);
    }
    let worst: f32 = Infinity;
    let p = xTPtr;
    for (let b = 0; b < nBlocks; b++) {
      let acc = f32x4.splat(0);
      for (let t: usize = 0; t < blockBytes; t += 16) {
        const diff = f32x4.sub(v128.load32_splat(row + (t >> 2)), v128.load(p + t));
        acc = f32x4.add(acc, f32x4.mul(diff, diff));
      }
      p += blockBytes;
      if (v128.any_true(f32x4.lt(acc, f32x4.splat(worst)))) {
        const j = b * LANES;
        // Self and padding lanes are skipped; the rest go in lane order, that is in increasing index.
        if (j != i && j < nSamples) worst = insert(distRow, indexRow, nNeighbors, f32x4.extract_lane(acc, 0), j);
        if (j + 1 != i && j + 1 < nSamples) worst = insert(distRow, indexRow, nNeighbors, f32x4.extract_lane(acc, 1), j + 1);
        if (j + 2 != i && j + 2 < nSamples) worst = insert(distRow, indexRow, nNeighbors, f32x4.extract_lane(acc, 2), j + 2);
        if (j + 3 != i && j + 3 < nSamples) worst = insert(distRow, indexRow, nNeighbors, f32x4.extract_lane(acc, 3), j + 3);
      }
    }
  }
}
