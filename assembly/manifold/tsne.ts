// t-SNE's hot loops, as scikit-learn 1.2's TSNE computes them (sklearn/manifold/_t_sne.py, _barnes_hut_tsne.pyx,
// _utils.pyx): the perplexity search for each row's bandwidth, the attractive forces over the sparse P, the
// repulsive forces by Barnes-Hut over a space-partitioning tree, the exact O(n²) gradient, and the gradient step
// with gains and momentum. Positions, forces and the optimiser's state are f32, as scikit-learn's are.
//
// The tree is scikit-learn's (a cell split at its centre into 2^d children), with leaves of up to 16 points laid out
// side by side. The walk is made once per leaf, not once per point: it lists the cells that may stand for their
// points as seen from anywhere in the leaf's bounding box (at least as strict as scikit-learn's per-point test) and
// the leaves to take point by point; then each point of the leaf sums over that list in f32 lanes. Each cell's
// children sit side by side in groups of four lanes, so that one step of the walk tests four children.

import { exp, halfPower, log } from '../core/math';

const EPSILON: f32 = 1e-6;
const FLOAT32_TINY: f64 = 1.1754943508222875e-38;
const PERPLEXITY_TOLERANCE: f64 = 1e-5;
const EPSILON_DBL: f64 = 1e-8;
/** Cells no deeper than this: points closer than 2^−50 of the root's width share a leaf. */
const MAX_DEPTH: i32 = 50;

/**
 * Rows [start, end)'s conditional probabilities for the desired perplexity, by bisection on the Gaussian's precision
 * β (scikit-learn's _binary_search_perplexity, 100 steps, tolerance 1e-5 on the entropy). With skipDiagonal, row i's
 * column i is left out (the exact method's full rows); otherwise every column is a neighbour. Returns their Σβ.
 * IN sqDistPtr (rows × nCols f32 squared distances); OUT pPtr (rows × nCols f64).
 */
export function perplexityRows(sqDistPtr: usize, nCols: i32, skipDiagonal: i32, perplexity: f64, pPtr: usize, start: i32, end: i32): f64 {
  const desiredEntropy = log(perplexity);
  let betaSum: f64 = 0;
  for (let i = start; i < end; i++) {
    const d = sqDistPtr + (<usize>i * <usize>nCols << 2);
    const p = pPtr + (<usize>i * <usize>nCols << 3);
    let betaMin: f64 = -Infinity;
    let betaMax: f64 = Infinity;
    let beta: f64 = 1;
    for (let step = 0; step < 100; step++) {
      let sumP: f64 = 0;
      for (let j = 0; j < nCols; j++) {
        if (skipDiagonal && j == i) continue;
        const v = exp(-<f64>load<f32>(d + (<usize>j << 2)) * beta);
        store<f64>(p + (<usize>j << 3), v);
        sumP += v;
      }
      if (sumP == 0) sumP = EPSILON_DBL;
      let sumDistP: f64 = 0;
      for (let j = 0; j < nCols; j++) {
        if (skipDiagonal && j == i) {
          store<f64>(p + (<usize>j << 3), 0);
          continue;
        }
        const v = load<f64>(p + (<usize>j << 3)) / sumP;
        store<f64>(p + (<usize>j << 3), v);
        sumDistP += <f64>load<f32>(d + (<usize>j << 2)) * v;
      }
      const entropyDiff = log(sumP) + beta * sumDistP - desiredEntropy;
      if (Math.abs(entropyDiff) <= PERPLEXITY_TOLERANCE) break;
      if (entropyDiff > 0) {
        betaMin = beta;
        beta = betaMax == Infinity ? beta * 2 : (beta + betaMax) / 2;
      } else {
        betaMax = beta;
        beta = betaMin == -Infinity ? beta / 2 : (beta + betaMin) / 2;
      }
    }
    betaSum += beta;
  }
  return betaSum;
}

/** For each 4-bit mask, the byte shuffle that packs the set lanes of a vector to its front (v128.swizzle). */
const COMPACT = memory.data<u8>([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

/** Σ over four lanes, in a fixed order. */
// @ts-ignore: decorator
@inline
function lanes(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** The Student-t kernel as scikit-learn evaluates it: dof / (dof + d²), to the power (dof + 1) / 2 when dof ≠ 1. */
// @ts-ignore: decorator
@inline
function studentT(d2: f32, dof: f32): f32 {
  const q = dof / (dof + d2);
  if (dof == 1) return q;
  // dof is 2 for three components, the most Barnes-Hut takes: q^1.5. Other dof (the exact method) come as f64.
  return dof == 2 ? q * Mathf.sqrt(q) : <f32>halfPower(<f64>q, <i32>dof + 1);
}

/**
 * The attractive forces of rows [start, end): force_i = Σ_j p_ij · q_ij · (y_i − y_j) over row i of the symmetric
 * CSR P, whose f32 values are scikit-learn's float32 copy of the (exaggerated) P. With computeError, returns
 * Σ p_ij · log(max(p_ij, tiny) / max(q_ij / sumQ, tiny)), the KL divergence's terms; else 0.
 * IN indptrPtr (n + 1 i32), indicesPtr (nnz i32), valuesPtr (nnz f32), posPtr (n × dim f32);
 * OUT forcePtr (rows start..end of n × dim f32).
 */
export function tsneAttractive(
  indptrPtr: usize, indicesPtr: usize, valuesPtr: usize, posPtr: usize, dim: i32, dof: f32, sumQ: f64, computeError: i32, forcePtr: usize,
  start: i32, end: i32,
): f64 {
  if (dim == 2 && dof == 1 && !computeError) {
    attractive2(indptrPtr, indicesPtr, valuesPtr, posPtr, start, end, forcePtr);
    return 0;
  }
  let error: f64 = 0;
  for (let i = start; i < end; i++) {
    const yi = posPtr + (<usize>(i * dim) << 2);
    const yi0 = load<f32>(yi);
    const yi1: f32 = dim > 1 ? load<f32>(yi, 4) : 0;
    const yi2: f32 = dim > 2 ? load<f32>(yi, 8) : 0;
    let f0: f32 = 0;
    let f1: f32 = 0;
    let f2: f32 = 0;
    const e0 = load<i32>(indptrPtr + (<usize>i << 2));
    const e1 = load<i32>(indptrPtr + (<usize>(i + 1) << 2));
    for (let e = e0; e < e1; e++) {
      const j = load<i32>(indicesPtr + (<usize>e << 2));
      const pij = load<f32>(valuesPtr + (<usize>e << 2));
      const yj = posPtr + (<usize>(j * dim) << 2);
      const b0 = yi0 - load<f32>(yj);
      const b1: f32 = dim > 1 ? yi1 - load<f32>(yj, 4) : 0;
      const b2: f32 = dim > 2 ? yi2 - load<f32>(yj, 8) : 0;
      const q = studentT(b0 * b0 + b1 * b1 + b2 * b2, dof);
      const m = pij * q;
      f0 += m * b0;
      f1 += m * b1;
      f2 += m * b2;
      if (computeError) {
        const qNormalised = <f64>q / sumQ;
        error += <f64>pij * log(Math.max(<f64>pij, FLOAT32_TINY) / Math.max(qNormalised, FLOAT32_TINY));
      }
    }
    const f = forcePtr + (<usize>(i * dim) << 2);
    store<f32>(f, f0);
    if (dim > 1) store<f32>(f, f1, 4);
    if (dim > 2) store<f32>(f, f2, 8);
  }
  return error;
}

/** tsneAttractive for two dimensions and dof 1, four edges at a time. */
function attractive2(indptrPtr: usize, indicesPtr: usize, valuesPtr: usize, posPtr: usize, start: i32, end: i32, forcePtr: usize): void {
  const one = f32x4.splat(1);
  for (let i = start; i < end; i++) {
    const yi = posPtr + (<usize>i << 3);
    const x = load<f32>(yi);
    const y = load<f32>(yi, 4);
    const px = f32x4.splat(x);
    const py = f32x4.splat(y);
    let fx = f32x4.splat(0);
    let fy = f32x4.splat(0);
    let e = load<i32>(indptrPtr + (<usize>i << 2));
    const e1 = load<i32>(indptrPtr + (<usize>(i + 1) << 2));
    for (; e + 4 <= e1; e += 4) {
      const idx = indicesPtr + (<usize>e << 2);
      const a = posPtr + (<usize>load<i32>(idx) << 3);
      const b = posPtr + (<usize>load<i32>(idx, 4) << 3);
      const c = posPtr + (<usize>load<i32>(idx, 8) << 3);
      const d = posPtr + (<usize>load<i32>(idx, 12) << 3);
      // Two coordinates of four points: a pair of 64-bit loads each, then a shuffle into x and y lanes.
      const ab = v128.load64_lane(b, v128.load64_zero(a), 1);
      const cd = v128.load64_lane(d, v128.load64_zero(c), 1);
      const ox = v128.shuffle<f32>(ab, cd, 0, 2, 4, 6);
      const oy = v128.shuffle<f32>(ab, cd, 1, 3, 5, 7);
      const bx = f32x4.sub(px, ox);
      const by = f32x4.sub(py, oy);
      const q = f32x4.div(one, f32x4.add(one, f32x4.add(f32x4.mul(bx, bx), f32x4.mul(by, by))));
      const m = f32x4.mul(v128.load(valuesPtr + (<usize>e << 2)), q);
      fx = f32x4.add(fx, f32x4.mul(m, bx));
      fy = f32x4.add(fy, f32x4.mul(m, by));
    }
    let sx = lanes(fx);
    let sy = lanes(fy);
    for (; e < e1; e++) {
      const yj = posPtr + (<usize>load<i32>(indicesPtr + (<usize>e << 2)) << 3);
      const bx = x - load<f32>(yj);
      const by = y - load<f32>(yj, 4);
      const m = load<f32>(valuesPtr + (<usize>e << 2)) / (1 + bx * bx + by * by);
      sx += m * bx;
      sy += m * by;
    }
    store<f32>(forcePtr + (<usize>i << 3), sx);
    store<f32>(forcePtr + (<usize>i << 3), sy, 4);
  }
}

// The tree while it is built: one cell per NODE_BYTES.
const NODE_BYTES: usize = 136;
// f32 min[3] at 0, max[3] at 12, centre[3] at 24; i32 count at 36, head at 40 (the first of a leaf's points, linked
// through next; −1 when internal), depth at 44; i32 children[8] at 48; f64 sums[3] at 80; i32 start at 104 and
// length at 108 of a leaf's points in tree order (padded to a multiple of 4); f32 low[3] at 112 and high[3] at 124,
// the bounding box of the cell's points.
const MIN: usize = 0;
const MAX: usize = 12;
const CENTRE: usize = 24;
const COUNT: usize = 36;
const HEAD: usize = 40;
const DEPTH: usize = 44;
const CHILDREN: usize = 48;
const SUMS: usize = 80;
const START: usize = 104;
const LENGTH: usize = 108;
const LOW: usize = 112;
const HIGH: usize = 124;
/** Points a leaf holds before it splits (unless they are duplicates, or the cell is MAX_DEPTH deep): 16 measured fastest (8, 32 slower). */
const LEAF_SIZE: i32 = 16;

/** Bytes of one cell's packed children: groups of 4 lanes × 6 vectors (x, y, z, size, squared width, kind). */
// @ts-ignore: decorator
@inline
function packedBytes(dim: i32): usize {
  return <usize>(((1 << dim) + 3) >> 2) * 96;
}

// @ts-ignore: decorator
@inline
function node(treePtr: usize, id: i32): usize {
  return treePtr + <usize>id * NODE_BYTES;
}

function newCell(treePtr: usize, id: i32, depth: i32): void {
  const c = node(treePtr, id);
  store<i32>(c + COUNT, 0);
  store<i32>(c + HEAD, -1);
  store<i32>(c + DEPTH, depth);
  for (let k = 0; k < 8; k++) store<i32>(c + CHILDREN + (<usize>k << 2), -1);
  for (let t = 0; t < 3; t++) store<f64>(c + SUMS + (<usize>t << 3), 0);
}

/** The child slot of a point in a cell: bit (dim − 1 − t) set when coordinate t is at or past the centre. */
// @ts-ignore: decorator
@inline
function slotOf(c: usize, y: usize, dim: i32): i32 {
  let slot = 0;
  for (let t = 0; t < dim; t++) {
    slot = (slot << 1) | (load<f32>(y + (<usize>t << 2)) >= load<f32>(c + CENTRE + (<usize>t << 2)) ? 1 : 0);
  }
  return slot;
}

/** Makes cell `id` the child in `slot` of cell `parent`, with the parent's bounds halved accordingly. */
function addChild(treePtr: usize, parent: i32, slot: i32, id: i32, dim: i32): void {
  const p = node(treePtr, parent);
  newCell(treePtr, id, load<i32>(p + DEPTH) + 1);
  const c = node(treePtr, id);
  for (let t = 0; t < dim; t++) {
    const upper = (slot >> (dim - 1 - t)) & 1;
    const lo = upper ? load<f32>(p + CENTRE + (<usize>t << 2)) : load<f32>(p + MIN + (<usize>t << 2));
    const hi = upper ? load<f32>(p + MAX + (<usize>t << 2)) : load<f32>(p + CENTRE + (<usize>t << 2));
    store<f32>(c + MIN + (<usize>t << 2), lo);
    store<f32>(c + MAX + (<usize>t << 2), hi);
    store<f32>(c + CENTRE + (<usize>t << 2), (lo + hi) * 0.5);
  }
  store<i32>(p + CHILDREN + (<usize>slot << 2), id);
}

/** Adds point i to a leaf: its list, count and sums. */
function addToLeaf(c: usize, i: i32, y: usize, dim: i32, nextPtr: usize): void {
  store<i32>(nextPtr + (<usize>i << 2), load<i32>(c + HEAD));
  store<i32>(c + HEAD, i);
  store<i32>(c + COUNT, load<i32>(c + COUNT) + 1);
  for (let t = 0; t < dim; t++) store<f64>(c + SUMS + (<usize>t << 3), load<f64>(c + SUMS + (<usize>t << 3)) + <f64>load<f32>(y + (<usize>t << 2)));
}

/** Whether every point of a leaf is within 1e-6 per coordinate of its first. */
function allDuplicates(c: usize, posPtr: usize, dim: i32, nextPtr: usize): bool {
  const first = load<i32>(c + HEAD);
  const a = posPtr + (<usize>(first * dim) << 2);
  for (let i = load<i32>(nextPtr + (<usize>first << 2)); i >= 0; i = load<i32>(nextPtr + (<usize>i << 2))) {
    const b = posPtr + (<usize>(i * dim) << 2);
    for (let t = 0; t < dim; t++) {
      if (Mathf.abs(load<f32>(a + (<usize>t << 2)) - load<f32>(b + (<usize>t << 2))) > EPSILON) return false;
    }
  }
  return true;
}

/**
 * Builds the Barnes-Hut tree of n points in dim ≤ 3 dimensions: cells split at their centre into 2^dim children
 * (as scikit-learn's quad/oct tree), leaves of up to 16 points (more when they are duplicates within 1e-6, or 50
 * levels deep). Then lays the points out leaf by leaf (orderedPtr: per coordinate, then a weight 1, each leaf padded
 * to a multiple of 4 with weight 0; indexPtr: each slot's point, −1 for padding) and packs each internal cell's
 * children for bhRepulsive. Returns the number of cells, or −1 when more than capacity would be needed.
 * IN posPtr (n × dim f32); OUT treePtr (capacity × 112 bytes), packedPtr (capacity × packed bytes), nextPtr (n i32),
 * orderedPtr ((dim + 1) × slots f32, slots = n + 3·capacity), indexPtr (slots i32).
 */
export function bhBuild(posPtr: usize, n: i32, dim: i32, capacity: i32, treePtr: usize, packedPtr: usize, nextPtr: usize, orderedPtr: usize, indexPtr: usize): i32 {
  newCell(treePtr, 0, 0);
  const root = node(treePtr, 0);
  for (let t = 0; t < dim; t++) {
    let lo: f32 = Infinity;
    let hi: f32 = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(posPtr + (<usize>(i * dim + t) << 2));
      lo = Mathf.min(lo, v);
      hi = Mathf.max(hi, v);
    }
    store<f32>(root + MIN + (<usize>t << 2), lo);
    store<f32>(root + MAX + (<usize>t << 2), hi);
    store<f32>(root + CENTRE + (<usize>t << 2), (lo + hi) * 0.5);
  }
  let cells = 1;
  for (let i = 0; i < n; i++) {
    const y = posPtr + (<usize>(i * dim) << 2);
    let id = 0;
    // Down through internal cells, adding the point to each.
    while (load<i32>(node(treePtr, id) + HEAD) < 0 && load<i32>(node(treePtr, id) + COUNT) > 0) {
      const c = node(treePtr, id);
      store<i32>(c + COUNT, load<i32>(c + COUNT) + 1);
      for (let t = 0; t < dim; t++) store<f64>(c + SUMS + (<usize>t << 3), load<f64>(c + SUMS + (<usize>t << 3)) + <f64>load<f32>(y + (<usize>t << 2)));
      const slot = slotOf(c, y, dim);
      let child = load<i32>(c + CHILDREN + (<usize>slot << 2));
      if (child < 0) {
        if (cells >= capacity) return -1;
        addChild(treePtr, id, slot, cells, dim);
        child = cells++;
      }
      id = child;
    }
    let c = node(treePtr, id);
    addToLeaf(c, i, y, dim, nextPtr);
    // A full leaf splits: its points go down a level, and again while they all land in one child.
    while (load<i32>(c + COUNT) > LEAF_SIZE && load<i32>(c + DEPTH) < MAX_DEPTH && !allDuplicates(c, posPtr, dim, nextPtr)) {
      let p = load<i32>(c + HEAD);
      store<i32>(c + HEAD, -1);
      let lastChild = -1;
      while (p >= 0) {
        const following = load<i32>(nextPtr + (<usize>p << 2));
        const yp = posPtr + (<usize>(p * dim) << 2);
        const slot = slotOf(c, yp, dim);
        let child = load<i32>(c + CHILDREN + (<usize>slot << 2));
        if (child < 0) {
          if (cells >= capacity) return -1;
          addChild(treePtr, id, slot, cells, dim);
          child = cells++;
        }
        addToLeaf(node(treePtr, child), p, yp, dim, nextPtr);
        lastChild = child;
        p = following;
      }
      const full = node(treePtr, lastChild);
      if (load<i32>(full + COUNT) <= LEAF_SIZE) break;
      id = lastChild;
      c = full;
    }
  }
  layOut(treePtr, posPtr, dim, cells, nextPtr, orderedPtr, indexPtr, n + 3 * capacity);
  boundPoints(treePtr, posPtr, dim, cells, nextPtr);
  packCells(treePtr, packedPtr, cells, dim);
  return cells;
}

/** Each leaf's points side by side in tree order, per coordinate, padded to 4 with weight-0 slots. */
function layOut(treePtr: usize, posPtr: usize, dim: i32, cells: i32, nextPtr: usize, orderedPtr: usize, indexPtr: usize, slots: i32): void {
  let at = 0;
  const weights = orderedPtr + (<usize>(dim * slots) << 2);
  for (let id = 0; id < cells; id++) {
    const c = node(treePtr, id);
    if (load<i32>(c + HEAD) < 0) continue;
    store<i32>(c + START, at);
    const first = at;
    for (let p = load<i32>(c + HEAD); p >= 0; p = load<i32>(nextPtr + (<usize>p << 2))) {
      for (let t = 0; t < dim; t++) store<f32>(orderedPtr + (<usize>(t * slots + at) << 2), load<f32>(posPtr + (<usize>(p * dim + t) << 2)));
      store<f32>(weights + (<usize>at << 2), 1);
      store<i32>(indexPtr + (<usize>at << 2), p);
      at++;
    }
    while ((at & 3) != 0) {
      for (let t = 0; t < dim; t++) store<f32>(orderedPtr + (<usize>(t * slots + at) << 2), 0);
      store<f32>(weights + (<usize>at << 2), 0);
      store<i32>(indexPtr + (<usize>at << 2), -1);
      at++;
    }
    store<i32>(c + LENGTH, at - first);
  }
}

/** Each cell's bounding box of its points: leaves from their points, then parents (lower ids) from their children. */
function boundPoints(treePtr: usize, posPtr: usize, dim: i32, cells: i32, nextPtr: usize): void {
  for (let id = cells - 1; id >= 0; id--) {
    const c = node(treePtr, id);
    for (let t = 0; t < dim; t++) {
      let lo: f32 = Infinity;
      let hi: f32 = -Infinity;
      if (load<i32>(c + HEAD) >= 0) {
        for (let p = load<i32>(c + HEAD); p >= 0; p = load<i32>(nextPtr + (<usize>p << 2))) {
          const v = load<f32>(posPtr + (<usize>(p * dim + t) << 2));
          lo = Mathf.min(lo, v);
          hi = Mathf.max(hi, v);
        }
      } else {
        for (let k = 0; k < (1 << dim); k++) {
          const child = load<i32>(c + CHILDREN + (<usize>k << 2));
          if (child < 0) continue;
          lo = Mathf.min(lo, load<f32>(node(treePtr, child) + LOW + (<usize>t << 2)));
          hi = Mathf.max(hi, load<f32>(node(treePtr, child) + HIGH + (<usize>t << 2)));
        }
      }
      store<f32>(c + LOW + (<usize>t << 2), lo);
      store<f32>(c + HIGH + (<usize>t << 2), hi);
    }
  }
}

/**
 * Writes each internal cell's children side by side: barycentres, sizes, squared widths (of the cell's bounds, as
 * scikit-learn's squared_max_width), and their kind: a cell to open (its id), a leaf (−2 − its id), or none (−1).
 */
function packCells(treePtr: usize, packedPtr: usize, cells: i32, dim: i32): void {
  const nChildren = 1 << dim;
  const stride = packedBytes(dim);
  for (let id = 0; id < cells; id++) {
    const c = node(treePtr, id);
    const out = packedPtr + <usize>id * stride;
    memory.fill(out, 0, stride);
    if (load<i32>(c + HEAD) >= 0) continue;
    for (let k = 0; k < nChildren; k++) {
      const childId = load<i32>(c + CHILDREN + (<usize>k << 2));
      const lane = out + <usize>(k >> 2) * 96 + (<usize>(k & 3) << 2);
      if (childId < 0) {
        store<i32>(lane + 80, -1);
        continue;
      }
      const child = node(treePtr, childId);
      const count = load<i32>(child + COUNT);
      let width2: f32 = 0;
      for (let t = 0; t < dim; t++) {
        store<f32>(lane + (<usize>t << 4), <f32>(load<f64>(child + SUMS + (<usize>t << 3)) / count));
        const w = load<f32>(child + HIGH + (<usize>t << 2)) - load<f32>(child + LOW + (<usize>t << 2));
        width2 = Mathf.max(width2, w * w);
      }
      store<f32>(lane + 48, <f32>count);
      store<f32>(lane + 64, width2);
      store<i32>(lane + 80, load<i32>(child + HEAD) >= 0 ? -2 - childId : childId);
    }
  }
}

/**
 * The repulsive forces by Barnes-Hut, leaf by leaf for the leaves among cells [startCell, endCell): one walk of the tree per leaf collects the cells that may stand
 * for their points (squared width below angle² times the squared distance from the cell's barycentre to the leaf's
 * bounding box: for every point of the leaf at least as strict as scikit-learn's per-point test) and the points of
 * the leaves too near for that; then each point of the leaf sums over both lists in f32 lanes. Points within 1e-6
 * per coordinate of the point (itself, and duplicates, as scikit-learn leaves them out) are skipped. Writes
 * Σ size·q²·(y_i − y) per point and returns Σ size·q.
 * IN treePtr, packedPtr, orderedPtr, indexPtr (from bhBuild); OUT negPtr (n × dim f32);
 * scratch: stackPtr (64 · 2^dim i32), listPtr (16·(capacity + 4) + 16·slots + 4·capacity bytes).
 */
export function bhRepulsive(
  treePtr: usize, packedPtr: usize, orderedPtr: usize, indexPtr: usize, n: i32, slots: i32, dim: i32, dof: f32, theta2: f32,
  capacity: i32, stackPtr: usize, listPtr: usize, negPtr: usize, startCell: i32, endCell: i32,
): f64 {
  const groups = ((1 << dim) + 3) >> 2;
  const stride = packedBytes(dim);
  const summaryStride = <usize>(capacity + 4) << 2;
  const pointStride = <usize>slots << 2;
  const sumX = listPtr;
  const sumSize = sumX + 3 * summaryStride;
  const ptX = sumX + 4 * summaryStride;
  const ptW = ptX + 3 * pointStride;
  const listLeaves = ptX + 4 * pointStride;
  const ox = orderedPtr;
  const ow = orderedPtr + (<usize>(dim * slots) << 2);
  const theta2v = f32x4.splat(theta2);
  const zero = f32x4.splat(0);
  let sumQ: f64 = 0;
  for (let leafId = startCell; leafId < endCell; leafId++) {
    const leaf = node(treePtr, leafId);
    if (load<i32>(leaf + HEAD) < 0) continue;
    const start = load<i32>(leaf + START);
    const length = load<i32>(leaf + LENGTH);
    // The leaf's bounding box (0 past dim).
    let lo0: f32 = 0, lo1: f32 = 0, lo2: f32 = 0, hi0: f32 = 0, hi1: f32 = 0, hi2: f32 = 0;
    for (let t = 0; t < dim; t++) {
      let lo: f32 = Infinity;
      let hi: f32 = -Infinity;
      const coordinate = ox + (<usize>(t * slots) << 2);
      for (let s = start; s < start + length; s++) {
        if (load<f32>(ow + (<usize>s << 2)) == 0) continue;
        const v = load<f32>(coordinate + (<usize>s << 2));
        lo = Mathf.min(lo, v);
        hi = Mathf.max(hi, v);
      }
      if (t == 0) { lo0 = lo; hi0 = hi; } else if (t == 1) { lo1 = lo; hi1 = hi; } else { lo2 = lo; hi2 = hi; }
    }
    const l0 = f32x4.splat(lo0), l1 = f32x4.splat(lo1), l2 = f32x4.splat(lo2);
    const h0 = f32x4.splat(hi0), h1 = f32x4.splat(hi1), h2 = f32x4.splat(hi2);
    // The walk: summaries to the first list, leaves to take point by point to listLeaves.
    let nSummary = 0;
    let nLeaves = 0;
    let top = 0;
    if (load<i32>(node(treePtr, 0) + HEAD) >= 0) {
      store<i32>(listLeaves, 0);
      nLeaves = 1;
    } else {
      store<i32>(stackPtr, 0);
      top = 1;
    }
    while (top > 0) {
      const cell = load<i32>(stackPtr + (<usize>(--top) << 2));
      let lanesAt = packedPtr + <usize>cell * stride;
      for (let g = 0; g < groups; g++, lanesAt += 96) {
        const b0 = v128.load(lanesAt);
        const b1 = v128.load(lanesAt, 16);
        const b2 = v128.load(lanesAt, 32);
        const size = v128.load(lanesAt, 48);
        const e0 = f32x4.max(f32x4.max(f32x4.sub(l0, b0), f32x4.sub(b0, h0)), zero);
        const e1 = f32x4.max(f32x4.max(f32x4.sub(l1, b1), f32x4.sub(b1, h1)), zero);
        const e2 = f32x4.max(f32x4.max(f32x4.sub(l2, b2), f32x4.sub(b2, h2)), zero);
        const gap2 = f32x4.add(f32x4.add(f32x4.mul(e0, e0), f32x4.mul(e1, e1)), f32x4.mul(e2, e2));
        const present = f32x4.gt(size, zero);
        const summary = v128.and(present, f32x4.lt(v128.load(lanesAt, 64), f32x4.mul(theta2v, gap2)));
        const take = i32x4.bitmask(summary);
        if (take) {
          // The accepted lanes packed to the front and stored whole; what follows them is overwritten or padded.
          const shuffle = v128.load(COMPACT + (<usize>take << 4));
          const to = <usize>nSummary << 2;
          v128.store(sumX + to, v128.swizzle(b0, shuffle));
          v128.store(sumX + summaryStride + to, v128.swizzle(b1, shuffle));
          v128.store(sumX + 2 * summaryStride + to, v128.swizzle(b2, shuffle));
          v128.store(sumSize + to, v128.swizzle(size, shuffle));
          nSummary += popcnt(take);
        }
        let open = i32x4.bitmask(v128.andnot(present, summary));
        while (open) {
          const lane = ctz(open);
          open &= open - 1;
          const k = load<i32>(lanesAt + 80 + (<usize>lane << 2));
          if (k >= 0) store<i32>(stackPtr + (<usize>(top++) << 2), k);
          else store<i32>(listLeaves + (<usize>(nLeaves++) << 2), -2 - k);
        }
      }
    }
    // Padding to a whole vector: size 0 at the origin.
    const padAt = <usize>nSummary << 2;
    v128.store(sumX + padAt, zero);
    v128.store(sumX + summaryStride + padAt, zero);
    v128.store(sumX + 2 * summaryStride + padAt, zero);
    v128.store(sumSize + padAt, zero);
    nSummary = (nSummary + 3) & ~3;
    // The near leaves' points, side by side: each leaf's slots are a whole number of vectors, padding weighing 0.
    let nPoints = 0;
    const oy = ox + (<usize>slots << 2);
    const oz = oy + (<usize>slots << 2);
    for (let l = 0; l < nLeaves; l++) {
      const other = node(treePtr, load<i32>(listLeaves + (<usize>l << 2)));
      const from = <usize>load<i32>(other + START) << 2;
      const to = from + (<usize>load<i32>(other + LENGTH) << 2);
      for (let r = from; r < to; r += 16, nPoints += 4) {
        const at = <usize>nPoints << 2;
        v128.store(ptX + at, v128.load(ox + r));
        v128.store(ptX + pointStride + at, dim > 1 ? v128.load(oy + r) : zero);
        v128.store(ptX + 2 * pointStride + at, dim > 2 ? v128.load(oz + r) : zero);
        v128.store(ptW + at, v128.load(ow + r));
      }
    }
    // Each point of the leaf against both lists.
    for (let s = start; s < start + length; s++) {
      const i = load<i32>(indexPtr + (<usize>s << 2));
      if (i < 0) continue;
      const y0 = load<f32>(ox + (<usize>s << 2));
      const y1: f32 = dim > 1 ? load<f32>(ox + (<usize>(slots + s) << 2)) : 0;
      const y2: f32 = dim > 2 ? load<f32>(ox + (<usize>(2 * slots + s) << 2)) : 0;
      const out = negPtr + (<usize>(i * dim) << 2);
      sumQ += dof == 1
        ? sumOverLists(true, y0, y1, y2, sumX, summaryStride, nSummary, ptX, pointStride, nPoints, dim, out)
        : sumOverLists(false, y0, y1, y2, sumX, summaryStride, nSummary, ptX, pointStride, nPoints, dim, out);
    }
  }
  return sumQ;
}

/**
 * One point's Σ size·q and Σ size·q²·(y − x) over the summaries (x, y, z, size lanes) and the near points (x, y, z,
 * weight lanes, the point's duplicates left out), q = 1/(1 + d²) (cauchy) or (2/(2 + d²))^1.5 (dof 2). Writes the
 * force, returns the q sum. Inlined with a constant `cauchy`, so that each kernel has its own loop.
 */
// @ts-ignore: decorator
@inline
function sumOverLists(
  cauchy: bool, y0: f32, y1: f32, y2: f32, sumX: usize, summaryStride: usize, nSummary: i32, ptX: usize, pointStride: usize, nPoints: i32, dim: i32, out: usize,
): f64 {
  const p0 = f32x4.splat(y0);
  const p1 = f32x4.splat(y1);
  const p2 = f32x4.splat(y2);
  const eps = f32x4.splat(EPSILON);
  const c = f32x4.splat(cauchy ? 1 : 2);
  let q4 = f32x4.splat(0);
  let f0 = f32x4.splat(0);
  let f1 = f32x4.splat(0);
  let f2 = f32x4.splat(0);
  for (let pass = 0; pass < 2; pass++) {
    const base = pass == 0 ? sumX : ptX;
    const stride = pass == 0 ? summaryStride : pointStride;
    const end = <usize>(pass == 0 ? nSummary : nPoints) << 2;
    for (let at: usize = 0; at < end; at += 16) {
      const d0 = f32x4.sub(p0, v128.load(base + at));
      const d1 = f32x4.sub(p1, v128.load(base + stride + at));
      const d2 = f32x4.sub(p2, v128.load(base + 2 * stride + at));
      let q = f32x4.div(c, f32x4.add(c, f32x4.add(f32x4.add(f32x4.mul(d0, d0), f32x4.mul(d1, d1)), f32x4.mul(d2, d2))));
      if (!cauchy) q = f32x4.mul(q, f32x4.sqrt(q));
      let sq = f32x4.mul(v128.load(base + 3 * stride + at), q);
      if (pass == 1) {
        const near = v128.and(v128.and(f32x4.le(f32x4.abs(d0), eps), f32x4.le(f32x4.abs(d1), eps)), f32x4.le(f32x4.abs(d2), eps));
        sq = v128.andnot(sq, near);
      }
      q4 = f32x4.add(q4, sq);
      const m = f32x4.mul(sq, q);
      f0 = f32x4.add(f0, f32x4.mul(m, d0));
      f1 = f32x4.add(f1, f32x4.mul(m, d1));
      f2 = f32x4.add(f2, f32x4.mul(m, d2));
    }
  }
  store<f32>(out, lanes(f0));
  if (dim > 1) store<f32>(out, lanes(f1), 4);
  if (dim > 2) store<f32>(out, lanes(f2), 8);
  return <f64>lanes(q4);
}

/**
 * The exact gradient and KL divergence of scikit-learn's _kl_divergence: w_ij = (1 + d²_ij / dof)^(−(dof+1)/2),
 * Q_ij = max(w_ij / Σ_{i≠j} w, eps), grad_i = c · Σ_j (P_ij·exaggeration − Q_ij) · w_ij · (y_i − y_j) with
 * c = 2(dof + 1)/dof; returns 2 Σ_{i<j} P_ij log(max(P_ij, eps) / Q_ij). In f64, from f32 positions.
 * IN pPtr (n × n f64, symmetric, the diagonal ignored), posPtr (n × dim f32); OUT gradPtr (n × dim f32).
 */
export function tsneExactGradient(pPtr: usize, posPtr: usize, n: i32, dim: i32, dof: f64, exaggeration: f64, gradPtr: usize): f64 {
  const exponent = -(dof + 1) / 2;
  let sumW: f64 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) sumW += kernelAt(posPtr, i, j, dim, dof, exponent);
  }
  const total = 2 * sumW;
  const eps: f64 = 2.220446049250313e-16;
  const c = 2 * (dof + 1) / dof;
  let kl: f64 = 0;
  for (let i = 0; i < n; i++) {
    const yi = posPtr + (<usize>(i * dim) << 2);
    for (let t = 0; t < dim; t++) store<f32>(gradPtr + (<usize>(i * dim + t) << 2), 0);
    let g0: f64 = 0;
    let g1: f64 = 0;
    let g2: f64 = 0;
    for (let j = 0; j < n; j++) {
      if (j == i) continue;
      const w = kernelAt(posPtr, i, j, dim, dof, exponent);
      const q = Math.max(w / total, eps);
      const p = load<f64>(pPtr + ((<usize>i * <usize>n + <usize>j) << 3)) * exaggeration;
      if (j > i) kl += p * log(Math.max(p, eps) / q);
      const m = (p - q) * w;
      const yj = posPtr + (<usize>(j * dim) << 2);
      if (dim <= 3) {
        g0 += m * (<f64>load<f32>(yi) - <f64>load<f32>(yj));
        if (dim > 1) g1 += m * (<f64>load<f32>(yi, 4) - <f64>load<f32>(yj, 4));
        if (dim > 2) g2 += m * (<f64>load<f32>(yi, 8) - <f64>load<f32>(yj, 8));
      } else {
        for (let t = 0; t < dim; t++) {
          const at = gradPtr + (<usize>(i * dim + t) << 2);
          store<f32>(at, <f32>(<f64>load<f32>(at) + m * (<f64>load<f32>(yi + (<usize>t << 2)) - <f64>load<f32>(yj + (<usize>t << 2)))));
        }
      }
    }
    if (dim <= 3) {
      store<f32>(gradPtr + (<usize>(i * dim) << 2), <f32>(g0 * c));
      if (dim > 1) store<f32>(gradPtr + (<usize>(i * dim + 1) << 2), <f32>(g1 * c));
      if (dim > 2) store<f32>(gradPtr + (<usize>(i * dim + 2) << 2), <f32>(g2 * c));
    } else {
      for (let t = 0; t < dim; t++) {
        const at = gradPtr + (<usize>(i * dim + t) << 2);
        store<f32>(at, <f32>(<f64>load<f32>(at) * c));
      }
    }
  }
  return 2 * kl;
}

function kernelAt(posPtr: usize, i: i32, j: i32, dim: i32, dof: f64, exponent: f64): f64 {
  const yi = posPtr + (<usize>(i * dim) << 2);
  const yj = posPtr + (<usize>(j * dim) << 2);
  let d2: f64 = 0;
  for (let t = 0; t < dim; t++) {
    const b = <f64>load<f32>(yi + (<usize>t << 2)) - <f64>load<f32>(yj + (<usize>t << 2));
    d2 += b * b;
  }
  const base = d2 / dof + 1;
  return exponent == -1 ? 1 / base : halfPower(base, <i32>(2 * exponent));
}

/**
 * One step of scikit-learn's _gradient_descent over count f32 parameters: gains grow by 0.2 where the update and
 * the gradient disagree in sign and shrink by 0.8 elsewhere, at least minGain; the gradient is scaled by them;
 * update = momentum·update − learningRate·gradient; positions += update. Returns ‖scaled gradient‖².
 * INOUT gradPtr, updatePtr, gainsPtr, posPtr (count f32 each).
 */
export function tsneStep(gradPtr: usize, updatePtr: usize, gainsPtr: usize, posPtr: usize, count: i32, momentum: f32, learningRate: f32, minGain: f32): f64 {
  let norm2: f64 = 0;
  for (let k = 0; k < count; k++) {
    const at = <usize>k << 2;
    let grad = load<f32>(gradPtr + at);
    let update = load<f32>(updatePtr + at);
    let gain = load<f32>(gainsPtr + at);
    gain = update * grad < 0 ? gain + <f32>0.2 : gain * <f32>0.8;
    if (gain < minGain) gain = minGain;
    grad *= gain;
    update = momentum * update - learningRate * grad;
    store<f32>(gainsPtr + at, gain);
    store<f32>(gradPtr + at, grad);
    store<f32>(updatePtr + at, update);
    store<f32>(posPtr + at, load<f32>(posPtr + at) + update);
    norm2 += <f64>grad * <f64>grad;
  }
  return norm2;
}

/**
 * Barnes-Hut's gradient from its two halves, as scikit-learn's compute_gradient and the factor after it:
 * grad = (attractive − repulsive / sumQ) · c, in f32.
 * IN attractPtr, repulsePtr (count f32); OUT gradPtr (count f32).
 */
export function bhGradient(attractPtr: usize, repulsePtr: usize, count: i32, sumQ: f32, c: f32, gradPtr: usize): void {
  for (let k = 0; k < count; k++) {
    const at = <usize>k << 2;
    store<f32>(gradPtr + at, (load<f32>(attractPtr + at) - load<f32>(repulsePtr + at) / sumQ) * c);
  }
}
