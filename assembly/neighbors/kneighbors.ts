// The k-nearest-neighbour search: an exact blocked brute force. Candidate rows are transposed into SIMD
// blocks of 4 (row b·4+j's feature t at [b][t][j]); each query row is differenced against four candidates
// at once in f32 lanes, and a block is looked at lane by lane only when one of its lanes beats the current
// k-th distance. Direct differencing (never ‖x‖² − 2·x·y) keeps exact ties exact on integer data.
//
// Each query row keeps its best nNeighbors in a sorted insertion list, ordered by (distance, index):
// candidates arrive in increasing index, so a strict < on insertion keeps the lower index first among ties.

/** Candidate rows per SIMD block. */
const LANES: i32 = 4;

/** The uniform grid of kneighborsGrid, built by src/neighbors/kneighbors.ts. Fields in declaration order, f64 first. */
@unmanaged
export class GridArgs {
  /** The grid's low corner per feature (0 past nFeatures). */
  low0: f64;
  low1: f64;
  low2: f64;
  /** The side of a cell. */
  side: f64;
  /** Cells per feature (1 past nFeatures). */
  cells0: i32;
  cells1: i32;
  cells2: i32;
  /** IN nCells + 1 i32: where each cell's rows start in cellRows. */
  cellStart: usize;
  /** IN nSamples i32: the rows in cell order. */
  cellRows: usize;
  /** IN nSamples × nFeatures f32: their values, in the same order. */
  cellX: usize;
}

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

/** Empties a row's list: distances +∞, indices −1. */
// @ts-ignore: decorator
@inline
function clearList(distRow: usize, indexRow: usize, k: i32): void {
  for (let s = 0; s < k; s++) {
    store<f32>(distRow + (<usize>s << 2), Infinity);
    store<i32>(indexRow + (<usize>s << 2), -1);
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
  let i = rowStart;
  // Four query rows at a time: each block of candidates is loaded once for all four (the candidates stream from
  // memory once per four rows, not once per row), and the four independent sums hide the add's latency. Each
  // lane's sum runs over the features in the same order as for one row alone, so the distances are the same bits.
  for (; i + 4 <= rowEnd; i += 4) {
    const row0 = xPtr + (<usize>(i * nFeatures) << 2);
    const row1 = row0 + (<usize>nFeatures << 2);
    const row2 = row1 + (<usize>nFeatures << 2);
    const row3 = row2 + (<usize>nFeatures << 2);
    const list0 = <usize>(i * nNeighbors) << 2;
    const list1 = list0 + (<usize>nNeighbors << 2);
    const list2 = list1 + (<usize>nNeighbors << 2);
    const list3 = list2 + (<usize>nNeighbors << 2);
    clearList(sqDistPtr + list0, indicesPtr + list0, nNeighbors);
    clearList(sqDistPtr + list1, indicesPtr + list1, nNeighbors);
    clearList(sqDistPtr + list2, indicesPtr + list2, nNeighbors);
    clearList(sqDistPtr + list3, indicesPtr + list3, nNeighbors);
    let worst0: f32 = Infinity;
    let worst1: f32 = Infinity;
    let worst2: f32 = Infinity;
    let worst3: f32 = Infinity;
    let p = xTPtr;
    for (let b = 0; b < nBlocks; b++) {
      let acc0 = f32x4.splat(0);
      let acc1 = f32x4.splat(0);
      let acc2 = f32x4.splat(0);
      let acc3 = f32x4.splat(0);
      for (let t: usize = 0; t < blockBytes; t += 16) {
        const c = v128.load(p + t);
        const d0 = f32x4.sub(v128.load32_splat(row0 + (t >> 2)), c);
        const d1 = f32x4.sub(v128.load32_splat(row1 + (t >> 2)), c);
        const d2 = f32x4.sub(v128.load32_splat(row2 + (t >> 2)), c);
        const d3 = f32x4.sub(v128.load32_splat(row3 + (t >> 2)), c);
        acc0 = f32x4.add(acc0, f32x4.mul(d0, d0));
        acc1 = f32x4.add(acc1, f32x4.mul(d1, d1));
        acc2 = f32x4.add(acc2, f32x4.mul(d2, d2));
        acc3 = f32x4.add(acc3, f32x4.mul(d3, d3));
      }
      p += blockBytes;
      const j = b * LANES;
      worst0 = offer(sqDistPtr + list0, indicesPtr + list0, nNeighbors, nSamples, i, j, acc0, worst0);
      worst1 = offer(sqDistPtr + list1, indicesPtr + list1, nNeighbors, nSamples, i + 1, j, acc1, worst1);
      worst2 = offer(sqDistPtr + list2, indicesPtr + list2, nNeighbors, nSamples, i + 2, j, acc2, worst2);
      worst3 = offer(sqDistPtr + list3, indicesPtr + list3, nNeighbors, nSamples, i + 3, j, acc3, worst3);
    }
  }
  for (; i < rowEnd; i++) {
    const row = xPtr + (<usize>(i * nFeatures) << 2);
    const distRow = sqDistPtr + (<usize>(i * nNeighbors) << 2);
    const indexRow = indicesPtr + (<usize>(i * nNeighbors) << 2);
    clearList(distRow, indexRow, nNeighbors);
    let worst: f32 = Infinity;
    let p = xTPtr;
    for (let b = 0; b < nBlocks; b++) {
      let acc = f32x4.splat(0);
      for (let t: usize = 0; t < blockBytes; t += 16) {
        const diff = f32x4.sub(v128.load32_splat(row + (t >> 2)), v128.load(p + t));
        acc = f32x4.add(acc, f32x4.mul(diff, diff));
      }
      p += blockBytes;
      worst = offer(distRow, indexRow, nNeighbors, nSamples, i, b * LANES, acc, worst);
    }
  }
}

/**
 * A block's four candidates (rows j..j+3, squared distances in lanes) to row i's list, in index order, skipping row
 * i itself and padding; returns the list's new k-th distance.
 */
// @ts-ignore: decorator
@inline
function offer(distRow: usize, indexRow: usize, k: i32, nSamples: i32, i: i32, j: i32, acc: v128, worst: f32): f32 {
  if (!v128.any_true(f32x4.lt(acc, f32x4.splat(worst)))) return worst;
  if (j != i && j < nSamples) worst = insert(distRow, indexRow, k, f32x4.extract_lane(acc, 0), j);
  if (j + 1 != i && j + 1 < nSamples) worst = insert(distRow, indexRow, k, f32x4.extract_lane(acc, 1), j + 1);
  if (j + 2 != i && j + 2 < nSamples) worst = insert(distRow, indexRow, k, f32x4.extract_lane(acc, 2), j + 2);
  if (j + 3 != i && j + 3 < nSamples) worst = insert(distRow, indexRow, k, f32x4.extract_lane(acc, 3), j + 3);
  return worst;
}

/** Inserts (dist, index) in (distance, index) order, for candidates that arrive in any index order. */
// @ts-ignore: decorator
@inline
function insertAnyOrder(distRow: usize, indexRow: usize, k: i32, dist: f32, index: i32): void {
  let pos = k - 1;
  const last = load<f32>(distRow + (<usize>pos << 2));
  if (!(dist < last || (dist == last && index < load<i32>(indexRow + (<usize>pos << 2))))) return;
  while (pos > 0) {
    const prev = load<f32>(distRow + (<usize>(pos - 1) << 2));
    const prevIndex = load<i32>(indexRow + (<usize>(pos - 1) << 2));
    if (!(prev > dist || (prev == dist && prevIndex > index))) break;
    store<f32>(distRow + (<usize>pos << 2), prev);
    store<i32>(indexRow + (<usize>pos << 2), prevIndex);
    pos--;
  }
  store<f32>(distRow + (<usize>pos << 2), dist);
  store<i32>(indexRow + (<usize>pos << 2), index);
}

/**
 * The same neighbours as kneighborsChunk, for nFeatures ≤ 3, from a uniform grid: rings of cells around the
 * query's cell are searched outward until no unvisited cell can hold a closer row. Distances are summed in
 * the same order and precision as kneighborsChunk, so both give identical lists.
 * IN xPtr (nSamples × nFeatures f32), grid (GridArgs); OUT sqDistPtr, indicesPtr as kneighborsChunk.
 */
export function kneighborsGrid(
  xPtr: usize, nSamples: i32, nFeatures: i32, rowStart: i32, rowEnd: i32, nNeighbors: i32, grid: GridArgs, sqDistPtr: usize, indicesPtr: usize,
): void {
  const side = grid.side;
  const nx = grid.cells0;
  const ny = grid.cells1;
  const nz = grid.cells2;
  const cellStartPtr = grid.cellStart;
  const cellRowsPtr = grid.cellRows;
  const cellXPtr = grid.cellX;
  const maxRing = max(nx, max(ny, nz));
  for (let i = rowStart; i < rowEnd; i++) {
    const row = xPtr + (<usize>(i * nFeatures) << 2);
    const distRow = sqDistPtr + (<usize>(i * nNeighbors) << 2);
    const indexRow = indicesPtr + (<usize>(i * nNeighbors) << 2);
    clearList(distRow, indexRow, nNeighbors);
    const q0 = load<f32>(row);
    const q1: f32 = nFeatures > 1 ? load<f32>(row, 4) : 0;
    const q2: f32 = nFeatures > 2 ? load<f32>(row, 8) : 0;
    const cx = cellOf(q0, grid.low0, side, nx);
    const cy = nFeatures > 1 ? cellOf(q1, grid.low1, side, ny) : 0;
    const cz = nFeatures > 2 ? cellOf(q2, grid.low2, side, nz) : 0;
    for (let r = 0; r <= maxRing; r++) {
      // Rows not yet visited are at least (r − 1)·side away; the 1% keeps rounding on the safe side.
      if (r >= 2) {
        const bound = (<f64>(r - 1) - 0.01) * side;
        if (<f64>load<f32>(distRow + (<usize>(nNeighbors - 1) << 2)) < bound * bound) break;
      }
      const x0 = max(cx - r, 0);
      const x1 = min(cx + r, nx - 1);
      const y0 = max(cy - r, 0);
      const y1 = min(cy + r, ny - 1);
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const onShell = r == 0 || x == cx - r || x == cx + r || y == cy - r || y == cy + r;
          const zStep = onShell ? 1 : 2 * r;
          for (let z = cz - r; z <= cz + r; z += zStep) {
            if (z < 0 || z >= nz) continue;
            const cell = (x * ny + y) * nz + z;
            const start = load<i32>(cellStartPtr + (<usize>cell << 2));
            const end = load<i32>(cellStartPtr + (<usize>(cell + 1) << 2));
            for (let p = start; p < end; p++) {
              const j = load<i32>(cellRowsPtr + (<usize>p << 2));
              if (j == i) continue;
              const other = cellXPtr + (<usize>(p * nFeatures) << 2);
              const diff0 = q0 - load<f32>(other);
              let dist: f32 = 0;
              dist += diff0 * diff0;
              if (nFeatures > 1) {
                const diff1 = q1 - load<f32>(other, 4);
                dist += diff1 * diff1;
              }
              if (nFeatures > 2) {
                const diff2 = q2 - load<f32>(other, 8);
                dist += diff2 * diff2;
              }
              insertAnyOrder(distRow, indexRow, nNeighbors, dist, j);
            }
          }
        }
      }
    }
  }
}

/** The grid cell of a coordinate: floor((v − low) / side), clamped to [0, n − 1]. */
// @ts-ignore: decorator
@inline
function cellOf(v: f32, low: f64, side: f64, n: i32): i32 {
  const c = <i32>Math.floor((<f64>v - low) / side);
  return min(max(c, 0), n - 1);
}
