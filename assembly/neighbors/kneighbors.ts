// The k-nearest-neighbour search: an exact blocked brute force. Candidate rows are transposed into SIMD
// blocks of 4 (row b·4+j's feature t at [b][t][j]); each query row is differenced against four candidates
// at once in f32 lanes, and a block is looked at lane by lane only when one of its lanes beats the current
// k-th distance. Direct differencing (never ‖x‖² − 2·x·y) keeps exact ties exact on integer data.
//
// Each query row keeps its best nNeighbors in a sorted insertion list, ordered by (distance, index):
// candidates arrive in increasing index, so a strict < on insertion keeps the lower index first among ties.
// The pruned searches (kneighborsGrid for d ≤ 3, kneighborsGroups for d > 3) take candidates in any order, compare
// (distance, index) pairs whole (kneighborsGroups in a max-heap while they come, O(log k) each, sorted at the end),
// and sum each distance as the brute force does: the same lists, bit for bit.

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

/** The groups of kneighborsGroups, built by src/neighbors/kneighbors.ts. Fields in declaration order, f64 first. */
@unmanaged
export class GroupArgs {
  /** Relative slack on float32 squared distances in the bounds: beyond their rounding error. */
  relSlack: f64;
  /** Absolute slack on them, in squared units: beyond their underflow. */
  absSlack: f64;
  /** The largest of radii. */
  maxRadius: f64;
  nGroups: i32;
  /** IN nGroups × nFeatures f32: each group's centre. */
  centres: usize;
  /** IN nGroups f64: each group's radius (its farthest row from the centre), rounded up by the slack. */
  radii: usize;
  /** IN nGroups + 1 i32: where each group's blocks start in xT. */
  groupStart: usize;
  /** IN nGroups × nGroups i32: per group, every group in the order its queries visit them: by distance between centres. */
  visits: usize;
  /** IN nGroups × nGroups f64: those distances, in the same order (nondecreasing), rounded down by the slack. */
  gaps: usize;
  /** IN nBlocks i32: each block's group. */
  blockGroup: usize;
  /** IN nBlocks × 4 i32: each block's rows, −1 for padding. */
  blockRows: usize;
  /** IN nBlocks × nFeatures × 4 f32: the rows in group order, in blocks of 4 as packRows4 lays them out. */
  xT: usize;
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

/** One row's squared distances to a block's four rows, in lanes, summed over the features in order. */
// @ts-ignore: decorator
@inline
function blockSqDist(row: usize, block: usize, blockBytes: usize): v128 {
  let acc = f32x4.splat(0);
  for (let t: usize = 0; t < blockBytes; t += 16) {
    const diff = f32x4.sub(v128.load32_splat(row + (t >> 2)), v128.load(block + t));
    acc = f32x4.add(acc, f32x4.mul(diff, diff));
  }
  return acc;
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

// Not inlined, as heapOffer below.
/** Inserts (dist, index) into a sorted list of k entries if it beats the last; returns the new k-th distance. */
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
  searchQuads(xPtr, nFeatures, rowStart, rowEnd, xTPtr, nSamples, nNeighbors, true, sqDistPtr, indicesPtr);
}

/**
 * Rows [rowStart, rowEnd)'s nearest centre (the lowest index among ties) and their squared distance to it, summed
 * as kneighborsChunk sums.
 * IN xPtr (nSamples × nFeatures f32), centresTPtr (packRows4 of nCentres centres); OUT labelsPtr (nSamples i32),
 * sqDistPtr (nSamples f32).
 */
export function nearestCentres(
  xPtr: usize, nFeatures: i32, rowStart: i32, rowEnd: i32, centresTPtr: usize, nCentres: i32, labelsPtr: usize, sqDistPtr: usize,
): void {
  searchQuads(xPtr, nFeatures, rowStart, rowEnd, centresTPtr, nCentres, 1, false, sqDistPtr, labelsPtr);
}

/**
 * Sorted lists of the k nearest of nCandidates rows (candidatesTPtr, packRows4) to rows [rowStart, rowEnd) of
 * xPtr, four rows at a time (scanQuad), the last four padded; with self, the candidates are the rows themselves
 * and a row is not its own neighbour.
 */
// @ts-ignore: decorator
@inline
function searchQuads(
  xPtr: usize, nFeatures: i32, rowStart: i32, rowEnd: i32, candidatesTPtr: usize, nCandidates: i32, k: i32, self: bool,
  sqDistPtr: usize, indicesPtr: usize,
): void {
  const nBlocks = (nCandidates + LANES - 1) / LANES;
  const blockBytes = <usize>nFeatures << 4;
  const rowBytes = <usize>nFeatures << 2;
  const listBytes = <usize>k << 2;
  for (let i = rowStart; i < rowEnd; i += 4) {
    // The index a candidate must not have (none: nCandidates); −1 for lanes past rowEnd, padding with row i's values.
    const i0 = self ? i : nCandidates;
    const i1 = i + 1 < rowEnd ? i0 + (self ? 1 : 0) : -1;
    const i2 = i + 2 < rowEnd ? i0 + (self ? 2 : 0) : -1;
    const i3 = i + 3 < rowEnd ? i0 + (self ? 3 : 0) : -1;
    const row0 = xPtr + <usize>i * rowBytes;
    const list0 = <usize>i * listBytes;
    for (let l = 0; l < 4 && i + l < rowEnd; l++) clearList(sqDistPtr + list0 + <usize>l * listBytes, indicesPtr + list0 + <usize>l * listBytes, k);
    scanQuad(
      candidatesTPtr, blockBytes, 0, nBlocks, 0, nCandidates, k, sqDistPtr, indicesPtr,
      row0, i1 < 0 ? row0 : row0 + rowBytes, i2 < 0 ? row0 : row0 + 2 * rowBytes, i3 < 0 ? row0 : row0 + 3 * rowBytes,
      i0, i1, i2, i3, list0, list0 + listBytes, list0 + 2 * listBytes, list0 + 3 * listBytes,
    );
  }
}

/**
 * Four query rows (row0..row3, of indices i0..i3 and lists at byte offsets list0..list3) against the candidate
 * blocks [blockStart, blockEnd) of xTPtr. Each block is loaded once for all four (the candidates stream from memory
 * once per four rows, not once per row), and the four independent sums hide the add's latency. Each lane's sum runs
 * over the features in the same order as for one row alone, so the distances are the same bits. Candidates are
 * block b's rows b·4.. when blockRowsPtr is 0 (in index order, into sorted lists), else those it lists (any order,
 * −1 for padding, into lists kept as heaps); a query of index −1 is padding and gets nothing.
 */
// @ts-ignore: decorator
@inline
function scanQuad(
  xTPtr: usize, blockBytes: usize, blockStart: i32, blockEnd: i32, blockRowsPtr: usize, nSamples: i32, k: i32,
  sqDistPtr: usize, indicesPtr: usize, row0: usize, row1: usize, row2: usize, row3: usize,
  i0: i32, i1: i32, i2: i32, i3: i32, list0: usize, list1: usize, list2: usize, list3: usize,
): void {
  // The k-th: a sorted list's last, a heap's root. Padding queries' −∞ lets no candidate through.
  const kth = blockRowsPtr == 0 ? <usize>(k - 1) << 2 : 0;
  let worst0: f32 = i0 < 0 ? -Infinity : load<f32>(sqDistPtr + list0 + kth);
  let worst1: f32 = i1 < 0 ? -Infinity : load<f32>(sqDistPtr + list1 + kth);
  let worst2: f32 = i2 < 0 ? -Infinity : load<f32>(sqDistPtr + list2 + kth);
  let worst3: f32 = i3 < 0 ? -Infinity : load<f32>(sqDistPtr + list3 + kth);
  let p = xTPtr + <usize>blockStart * blockBytes;
  for (let b = blockStart; b < blockEnd; b++) {
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
    if (blockRowsPtr == 0) {
      const j = b * LANES;
      worst0 = offer(sqDistPtr + list0, indicesPtr + list0, k, nSamples, i0, j, acc0, worst0);
      worst1 = offer(sqDistPtr + list1, indicesPtr + list1, k, nSamples, i1, j, acc1, worst1);
      worst2 = offer(sqDistPtr + list2, indicesPtr + list2, k, nSamples, i2, j, acc2, worst2);
      worst3 = offer(sqDistPtr + list3, indicesPtr + list3, k, nSamples, i3, j, acc3, worst3);
    } else {
      const rows = blockRowsPtr + (<usize>b << 4);
      worst0 = offerAnyOrder(sqDistPtr + list0, indicesPtr + list0, k, i0, rows, acc0, worst0);
      worst1 = offerAnyOrder(sqDistPtr + list1, indicesPtr + list1, k, i1, rows, acc1, worst1);
      worst2 = offerAnyOrder(sqDistPtr + list2, indicesPtr + list2, k, i2, rows, acc2, worst2);
      worst3 = offerAnyOrder(sqDistPtr + list3, indicesPtr + list3, k, i3, rows, acc3, worst3);
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

/** Whether entry a of a list comes after (dist, index) in (distance, index) order. */
// @ts-ignore: decorator
@inline
function after(distRow: usize, indexRow: usize, a: usize, dist: f32, index: i32): bool {
  const d = load<f32>(distRow + (a << 2));
  return d > dist || (d == dist && load<i32>(indexRow + (a << 2)) > index);
}

/**
 * Moves (dist, index) down a max-heap (in (distance, index) order) of n entries from slot `at`, the children of
 * slot s at 2s + 1 and 2s + 2, until it is after neither child.
 */
// @ts-ignore: decorator
@inline
function siftDown(distRow: usize, indexRow: usize, n: i32, at: i32, dist: f32, index: i32): void {
  let pos = <usize>at;
  while (true) {
    let child = pos * 2 + 1;
    if (child >= <usize>n) break;
    if (child + 1 < <usize>n && after(distRow, indexRow, child + 1, load<f32>(distRow + (child << 2)), load<i32>(indexRow + (child << 2)))) child++;
    if (!after(distRow, indexRow, child, dist, index)) break;
    store<f32>(distRow + (pos << 2), load<f32>(distRow + (child << 2)));
    store<i32>(indexRow + (pos << 2), load<i32>(indexRow + (child << 2)));
    pos = child;
  }
  store<f32>(distRow + (pos << 2), dist);
  store<i32>(indexRow + (pos << 2), index);
}

/**
 * Offers (dist, index) to a list kept as a max-heap of its k entries: it replaces the root (the k-th) when it comes
 * before it. Candidates in any order then cost O(log k) each, not O(k); heapSort orders the list at the end.
 */
// Not inlined: called only when a candidate beats the k-th, and sixteen inlined copies in scanQuad cost 1.5 KB.
function heapOffer(distRow: usize, indexRow: usize, k: i32, dist: f32, index: i32): void {
  if (!after(distRow, indexRow, 0, dist, index)) return;
  siftDown(distRow, indexRow, k, 0, dist, index);
}

/** Sorts a max-heap of k entries in place into (distance, index) order. */
function heapSort(distRow: usize, indexRow: usize, k: i32): void {
  for (let end = k - 1; end > 0; end--) {
    const dist = load<f32>(distRow + (<usize>end << 2));
    const index = load<i32>(indexRow + (<usize>end << 2));
    store<f32>(distRow + (<usize>end << 2), load<f32>(distRow));
    store<i32>(indexRow + (<usize>end << 2), load<i32>(indexRow));
    siftDown(distRow, indexRow, end, 0, dist, index);
  }
}

/**
 * A block's four candidates (the rows at rowsPtr, −1 for padding) to row i's heap (heapOffer), skipping row i
 * itself; returns the heap's new k-th distance. A tie with the k-th may still enter, at a lower index.
 */
// @ts-ignore: decorator
@inline
function offerAnyOrder(distRow: usize, indexRow: usize, k: i32, i: i32, rowsPtr: usize, acc: v128, worst: f32): f32 {
  if (!v128.any_true(f32x4.le(acc, f32x4.splat(worst)))) return worst;
  const j0 = load<i32>(rowsPtr);
  const j1 = load<i32>(rowsPtr, 4);
  const j2 = load<i32>(rowsPtr, 8);
  const j3 = load<i32>(rowsPtr, 12);
  if (j0 >= 0 && j0 != i) heapOffer(distRow, indexRow, k, f32x4.extract_lane(acc, 0), j0);
  if (j1 >= 0 && j1 != i) heapOffer(distRow, indexRow, k, f32x4.extract_lane(acc, 1), j1);
  if (j2 >= 0 && j2 != i) heapOffer(distRow, indexRow, k, f32x4.extract_lane(acc, 2), j2);
  if (j3 >= 0 && j3 != i) heapOffer(distRow, indexRow, k, f32x4.extract_lane(acc, 3), j3);
  return load<f32>(distRow);
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

/**
 * The same neighbours as kneighborsChunk, for the query blocks [blockStart, blockEnd) of the groups' layout:
 * each block's four rows scan their own group, then the other groups in the block's group's visiting order,
 * skipping a group when none of the four can have a neighbour in it. The triangle inequality bounds a group's
 * rows from below by ‖q − centre‖ − radius; slack on every float32 term keeps the bound below the truth, so
 * that no row that might enter a list (a tie included) is skipped. The lists, heaps until the block is done,
 * then hold exactly the brute force's, whatever rows the other queries of the block made it scan.
 * IN xPtr (nSamples × nFeatures f32), groups (GroupArgs); OUT sqDistPtr, indicesPtr as kneighborsChunk.
 */
export function kneighborsGroups(
  xPtr: usize, nFeatures: i32, blockStart: i32, blockEnd: i32, nNeighbors: i32, groups: GroupArgs, sqDistPtr: usize, indicesPtr: usize,
): void {
  const blockBytes = <usize>nFeatures << 4;
  const rowBytes = <usize>nFeatures << 2;
  const nGroups = groups.nGroups;
  const rel = groups.relSlack;
  const abs = groups.absSlack;
  const xT = groups.xT;
  for (let b = blockStart; b < blockEnd; b++) {
    const rows = groups.blockRows + (<usize>b << 4);
    const i0 = load<i32>(rows);
    const i1 = load<i32>(rows, 4);
    const i2 = load<i32>(rows, 8);
    const i3 = load<i32>(rows, 12);
    // Padding lanes (−1, never the first: groups are not empty) take the first row's values and keep no list.
    const row0 = xPtr + <usize>i0 * rowBytes;
    const row1 = i1 < 0 ? row0 : xPtr + <usize>i1 * rowBytes;
    const row2 = i2 < 0 ? row0 : xPtr + <usize>i2 * rowBytes;
    const row3 = i3 < 0 ? row0 : xPtr + <usize>i3 * rowBytes;
    const list0 = <usize>i0 * (<usize>nNeighbors << 2);
    const list1 = i1 < 0 ? <usize>0 : <usize>i1 * (<usize>nNeighbors << 2);
    const list2 = i2 < 0 ? <usize>0 : <usize>i2 * (<usize>nNeighbors << 2);
    const list3 = i3 < 0 ? <usize>0 : <usize>i3 * (<usize>nNeighbors << 2);
    clearList(sqDistPtr + list0, indicesPtr + list0, nNeighbors);
    if (i1 >= 0) clearList(sqDistPtr + list1, indicesPtr + list1, nNeighbors);
    if (i2 >= 0) clearList(sqDistPtr + list2, indicesPtr + list2, nNeighbors);
    if (i3 >= 0) clearList(sqDistPtr + list3, indicesPtr + list3, nNeighbors);
    const queriesT = xT + <usize>b * blockBytes;
    const own = <usize>(load<i32>(groups.blockGroup + (<usize>b << 2)) * nGroups);
    const visits = groups.visits + (own << 2);
    const gaps = groups.gaps + (own << 3);
    // After the own group (visited first): its centre's farthest query plus the largest radius.
    let reach: f64 = 0;
    for (let v = 0; v < nGroups; v++) {
      // Every row of this group and the later ones is at least gap − reach from each query: once that is beyond every
      // query's k-th distance, the visit is over.
      const beyond = load<f64>(gaps + (<usize>v << 3)) - reach;
      if (beyond > 0 && beyond * beyond > <f64>largestWorst(sqDistPtr, list0, list1, list2, list3, i1, i2, i3) * (1 + rel) + abs) break;
      const g = load<i32>(visits + (<usize>v << 2));
      // The four queries' squared distances to the centre, in lanes.
      const acc = blockSqDist(groups.centres + <usize>g * rowBytes, queriesT, blockBytes);
      if (v == 0) {
        let far = f32x4.extract_lane(acc, 0);
        if (i1 >= 0) far = max(far, f32x4.extract_lane(acc, 1));
        if (i2 >= 0) far = max(far, f32x4.extract_lane(acc, 2));
        if (i3 >= 0) far = max(far, f32x4.extract_lane(acc, 3));
        reach = Math.sqrt(<f64>far * (1 + rel) + abs) + groups.maxRadius;
      }
      const radius = load<f64>(groups.radii + (<usize>g << 3));
      if (
        !mayHold(f32x4.extract_lane(acc, 0), radius, load<f32>(sqDistPtr + list0), rel, abs) &&
        (i1 < 0 || !mayHold(f32x4.extract_lane(acc, 1), radius, load<f32>(sqDistPtr + list1), rel, abs)) &&
        (i2 < 0 || !mayHold(f32x4.extract_lane(acc, 2), radius, load<f32>(sqDistPtr + list2), rel, abs)) &&
        (i3 < 0 || !mayHold(f32x4.extract_lane(acc, 3), radius, load<f32>(sqDistPtr + list3), rel, abs))
      ) continue;
      scanQuad(
        xT, blockBytes, load<i32>(groups.groupStart + (<usize>g << 2)), load<i32>(groups.groupStart + (<usize>(g + 1) << 2)),
        groups.blockRows, 0, nNeighbors, sqDistPtr, indicesPtr, row0, row1, row2, row3, i0, i1, i2, i3, list0, list1, list2, list3,
      );
    }
    heapSort(sqDistPtr + list0, indicesPtr + list0, nNeighbors);
    if (i1 >= 0) heapSort(sqDistPtr + list1, indicesPtr + list1, nNeighbors);
    if (i2 >= 0) heapSort(sqDistPtr + list2, indicesPtr + list2, nNeighbors);
    if (i3 >= 0) heapSort(sqDistPtr + list3, indicesPtr + list3, nNeighbors);
  }
}

/** The largest k-th distance of a block's queries (heaps' roots; padding lanes, of index −1, left out). */
// @ts-ignore: decorator
@inline
function largestWorst(sqDistPtr: usize, list0: usize, list1: usize, list2: usize, list3: usize, i1: i32, i2: i32, i3: i32): f32 {
  let worst = load<f32>(sqDistPtr + list0);
  if (i1 >= 0) worst = max(worst, load<f32>(sqDistPtr + list1));
  if (i2 >= 0) worst = max(worst, load<f32>(sqDistPtr + list2));
  if (i3 >= 0) worst = max(worst, load<f32>(sqDistPtr + list3));
  return worst;
}

/**
 * Whether a group of this radius, at float32 squared distance centreSq from a query, may hold a row at most worst
 * from it (worst, the query's k-th float32 squared distance). The slack widens every float32 term, in float64.
 */
// @ts-ignore: decorator
@inline
function mayHold(centreSq: f32, radius: f64, worst: f32, rel: f64, abs: f64): bool {
  const gap = Math.sqrt(max(0, <f64>centreSq * (1 - rel) - abs)) - radius;
  return !(gap > 0 && gap * gap > <f64>worst * (1 + rel) + abs);
}
