// FIt-SNE's repulsive forces (Linderman et al., Nature Methods 2019), by interpolation: each point spreads a unit
// charge onto the Lagrange interpolation nodes of its box (`nodes` equispaced nodes a box, a box a side), the node
// potentials are discrete convolutions computed by FFT (fft.ts) on a grid padded to P ≥ 2·nodes per side, and
// are interpolated back. Unlike FIt-SNE's charges 1, y and ‖y‖² against one kernel, whose potentials cancel far
// from the origin (y_i·φ_1 − φ_y loses the digits of |y_i|), the kernels here are the sums themselves:
//   Σ_j q_ij = (K₁ ∗ 1)(y_i) − 1,  K₁(d) = 1/(1 + ‖d‖²)
//   Σ_j q_ij²·(y_i − y_j) = (G ∗ 1)(y_i),  G(d) = d/(1 + ‖d‖²)²
// The grid is P rows (one in 1-D) of 2P complex numbers: the charges in columns [0, P), then after the transform
// two products, K̂₁·ĉ in [0, P) and (Ĝ_x + i·Ĝ_y)·ĉ in [P, 2P), whose inverses are Σq and G's two components as
// re and im (the kernels are real, so each inverse is real).

import { times } from './fft';

const MAX_NODES: i32 = 8;

/** The interpolation weights of position u ∈ [0, 1] in its box on `nodes` nodes at (k + ½)/nodes, into out. */
// @ts-ignore: decorator
@inline
function lagrange(u: f64, nodes: i32, out: usize): void {
  for (let k = 0; k < nodes; k++) {
    const tk = (<f64>k + 0.5) / <f64>nodes;
    let w: f64 = 1;
    for (let m = 0; m < nodes; m++) {
      if (m == k) continue;
      const tm = (<f64>m + 0.5) / <f64>nodes;
      w *= (u - tm) / (tk - tm);
    }
    store<f64>(out + (<usize>k << 3), w);
  }
}

/**
 * OUT gridPtr: its rows (P in 2-D, one in 1-D) filled with the kernels between nodes h apart, embedded in
 * circulants (offset a for a < P/2, a − P past it): K₁ in columns [0, P), G_x + i·G_y in [P, 2P).
 */
export function gridKernel(gridPtr: usize, P: i32, dim: i32, h: f64): void {
  const width = 2 * P;
  const rows = dim == 2 ? P : 1;
  for (let r = 0; r < rows; r++) {
    const dy = <f64>(r < P / 2 ? r : r - P) * h;
    for (let c = 0; c < P; c++) {
      const dx = <f64>(c < P / 2 ? c : c - P) * h;
      const q = 1 / (1 + dx * dx + dy * dy);
      const at = gridPtr + ((<usize>r * <usize>width + <usize>c) << 4);
      v128.store(at, f64x2(q, 0));
      v128.store(at + (<usize>P << 4), f64x2.mul(f64x2(dx, dy), f64x2.splat(q * q)));
    }
  }
}

/** IN gridPtr (the kernels transformed); OUT kernelPtr: K̂₁ (rows × P f64, its real part) then Ĝ (rows × P complex f64), times `scale`. */
export function gridKernelTransform(gridPtr: usize, P: i32, dim: i32, scale: f64, kernelPtr: usize): void {
  const rows = dim == 2 ? P : 1;
  const gradients = kernelPtr + ((<usize>rows * <usize>P) << 3);
  const factor = f64x2.splat(scale);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < P; c++) {
      const at = gridPtr + ((<usize>r * <usize>(2 * P) + <usize>c) << 4);
      const k = <usize>r * <usize>P + <usize>c;
      store<f64>(kernelPtr + (k << 3), load<f64>(at) * scale);
      v128.store(gradients + (k << 4), f64x2.mul(v128.load(at + (<usize>P << 4)), factor));
    }
  }
}

/** Byte offsets of a point's nodes from its first, for the current grid width. */
const NODE_OFFSETS = memory.data(MAX_NODES * MAX_NODES * 4);
/** One coordinate's weights, while a point's are formed. */
const AXIS_WEIGHTS = memory.data(2 * MAX_NODES * 8);

/**
 * IN posPtr (n × dim f32); OUT gridPtr: unit charges of the points spread onto the nodes, rows and columns
 * [0, nBoxes·nodes), of columns [0, P), zeroed first. The box of coordinate x is
 * ⌊(x − low) / boxWidth⌋ (the last box closed); OUT weightsPtr (n × nodes^dim f64) and firstNodePtr (n i32) keep
 * each point's node weights and first node (its index in the grid) for gridInterpolate.
 */
export function gridSpread(
  posPtr: usize, n: i32, dim: i32, low: f64, boxWidth: f64, nBoxes: i32, nodes: i32, gridPtr: usize, P: i32,
  weightsPtr: usize, firstNodePtr: usize,
): void {
  const width = 2 * P;
  const span = min(nodes, MAX_NODES);
  const count = dim == 2 ? span * span : span;
  for (let k = 0; k < count; k++) store<i32>(NODE_OFFSETS + (<usize>k << 2), ((k / span) * width + k % span) << 4);
  // Only the nodes: the forward transform reads the rest of the padding as zeros.
  const nodeRows = dim == 2 ? nBoxes * span : 1;
  for (let r = 0; r < nodeRows; r++) memory.fill(gridPtr + ((<usize>r * <usize>width) << 4), 0, <usize>(nBoxes * span) << 4);
  for (let i = 0; i < n; i++) {
    let first = 0;
    for (let t = 0; t < dim; t++) {
      const scaled = (<f64>load<f32>(posPtr + (<usize>(i * dim + t) << 2)) - low) / boxWidth;
      const box = <i32>max(min(Math.floor(scaled), <f64>(nBoxes - 1)), 0);
      lagrange(scaled - <f64>box, span, AXIS_WEIGHTS + (<usize>(t * span) << 3));
      // x along the rows, y down the columns.
      first += t == 0 ? box * span : box * span * width;
    }
    store<i32>(firstNodePtr + (<usize>i << 2), first);
    const weights = weightsPtr + (<usize>(i * count) << 3);
    for (let k = 0; k < count; k++) {
      const wy: f64 = dim == 2 ? load<f64>(AXIS_WEIGHTS + (<usize>(span + k / span) << 3)) : 1;
      store<f64>(weights + (<usize>k << 3), wy * load<f64>(AXIS_WEIGHTS + (<usize>(k % span) << 3)));
    }
    const base = gridPtr + (<usize>first << 4);
    for (let k = 0; k < count; k++) {
      const cell = base + <usize>load<i32>(NODE_OFFSETS + (<usize>k << 2));
      store<f64>(cell, load<f64>(cell) + load<f64>(weights + (<usize>k << 3)));
    }
  }
}

/** INOUT gridPtr: the transformed charges ĉ in columns [0, P) become K̂₁·ĉ there and Ĝ·ĉ in [P, 2P); IN kernelPtr as gridKernelTransform wrote it. */
export function gridMultiply(gridPtr: usize, P: i32, dim: i32, kernelPtr: usize): void {
  const rows = dim == 2 ? P : 1;
  const gradients = kernelPtr + ((<usize>rows * <usize>P) << 3);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < P; c++) {
      const k = <usize>r * <usize>P + <usize>c;
      const cell = gridPtr + ((<usize>r * <usize>(2 * P) + <usize>c) << 4);
      const charge = v128.load(cell);
      const g = v128.load(gradients + (k << 4));
      v128.store(cell + (<usize>P << 4), times(charge, f64x2.splat(f64x2.extract_lane(g, 0)), f64x2(-f64x2.extract_lane(g, 1), f64x2.extract_lane(g, 1))));
      v128.store(cell, f64x2.mul(charge, f64x2.splat(load<f64>(kernelPtr + (k << 3)))));
    }
  }
}

/**
 * IN gridPtr (the inverse transforms), posPtr, weightsPtr and firstNodePtr (and the node offsets) of the last
 * gridSpread: interpolated back to the points. OUT negPtr (n × dim f32) Σ_j q_ij²·(y_i − y_j); returns Σ_{i≠j} q_ij.
 */
export function gridInterpolate(
  posPtr: usize, n: i32, dim: i32, nodes: i32, gridPtr: usize, P: i32, weightsPtr: usize, firstNodePtr: usize, negPtr: usize,
): f64 {
  const span = min(nodes, MAX_NODES);
  const count = dim == 2 ? span * span : span;
  let sumQ: f64 = 0;
  for (let i = 0; i < n; i++) {
    const weights = weightsPtr + (<usize>(i * count) << 3);
    const base = gridPtr + (<usize>load<i32>(firstNodePtr + (<usize>i << 2)) << 4);
    let first = f64x2.splat(0);
    let second = f64x2.splat(0);
    for (let k = 0; k < count; k++) {
      const w = f64x2.splat(load<f64>(weights + (<usize>k << 3)));
      const cell = base + <usize>load<i32>(NODE_OFFSETS + (<usize>k << 2));
      first = f64x2.add(first, f64x2.mul(w, v128.load(cell)));
      second = f64x2.add(second, f64x2.mul(w, v128.load(cell + (<usize>P << 4))));
    }
    sumQ += f64x2.extract_lane(first, 0);
    const neg = negPtr + (<usize>(i * dim) << 2);
    store<f32>(neg, <f32>f64x2.extract_lane(second, 0));
    if (dim == 2) store<f32>(neg, <f32>f64x2.extract_lane(second, 1), 4);
  }
  return sumQ - <f64>n;
}
