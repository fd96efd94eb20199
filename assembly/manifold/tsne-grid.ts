// FIt-SNE's repulsive forces (Linderman et al., Nature Methods 2019): the kernel K(y, y') = (1 + ‖y − y'‖²)^-2
// summed against each point's charges by interpolation. Each point spreads its charges onto the Lagrange
// interpolation nodes of its box (`nodes` equispaced nodes a box, a box a side), the node potentials are a discrete
// convolution with K computed by FFT (fft.ts) on a grid padded to P ≥ 2·nodes per side, and interpolated back.
// With charges 1, y and ‖y‖² the four (2-D) or three (1-D) potentials give both of t-SNE's repulsive sums:
//   Σ_j q_ij = (1 + ‖y_i‖²)·φ_1 − 2·y_i·φ_y + φ_‖y‖²    (each term's (1 + d²)·K = q, self-term 1 removed after)
//   Σ_j q_ij²·(y_i − y_j) = y_i·φ_1 − φ_y
// The grid is P rows of 2P complex numbers: columns [0, P) hold charges (1, x) as re and im, [P, 2P) (y, ‖y‖²)
// (in 1-D, one row: (1, x) and (x², 0)). The kernel is real and even, so its transform is real: one grid of f64.

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
 * Fills columns [0, P) of the grid's rows (P rows in 2-D, one in 1-D) with the kernel between grid nodes h apart,
 * embedded in a circulant: offset a for a < P/2, a − P past it.
 */
export function gridKernel(gridPtr: usize, P: i32, dim: i32, h: f64): void {
  const width = 2 * P;
  const rows = dim == 2 ? P : 1;
  const h2 = h * h;
  for (let r = 0; r < rows; r++) {
    const dr = <f64>(r < P / 2 ? r : r - P);
    for (let c = 0; c < P; c++) {
      const dc = <f64>(c < P / 2 ? c : c - P);
      const w = 1 / (1 + h2 * (dr * dr + dc * dc));
      const at = gridPtr + ((<usize>r * <usize>width + <usize>c) << 4);
      store<f64>(at, w * w);
      store<f64>(at, 0, 8);
    }
  }
}

/** The kernel's transform (real) scaled by `scale`, out of columns [0, P) of the grid into kernelPtr (rows × P f64). */
export function gridKernelTransform(gridPtr: usize, P: i32, dim: i32, scale: f64, kernelPtr: usize): void {
  const rows = dim == 2 ? P : 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < P; c++) {
      const v = load<f64>(gridPtr + ((<usize>r * <usize>(2 * P) + <usize>c) << 4));
      store<f64>(kernelPtr + ((<usize>r * <usize>P + <usize>c) << 3), v * scale);
    }
  }
}

/** Byte offsets of a point's nodes from its first, for the current grid width. */
const NODE_OFFSETS = memory.data(MAX_NODES * MAX_NODES * 4);
/** One coordinate's weights, while a point's are formed. */
const AXIS_WEIGHTS = memory.data(2 * MAX_NODES * 8);

/**
 * Spreads the charges of points (float32 positions) onto the zeroed grid. The box of coordinate x is
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
  memory.fill(gridPtr, 0, (<usize>(dim == 2 ? P : 1) * <usize>width) << 4);
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
    const x = <f64>load<f32>(posPtr + (<usize>(i * dim) << 2));
    const y: f64 = dim == 2 ? <f64>load<f32>(posPtr + (<usize>(i * dim + 1) << 2)) : 0;
    const charges = f64x2(1, x);
    const more = dim == 2 ? f64x2(y, x * x + y * y) : f64x2(x * x, 0);
    const base = gridPtr + (<usize>first << 4);
    for (let k = 0; k < count; k++) {
      const w = f64x2.splat(load<f64>(weights + (<usize>k << 3)));
      const cell = base + <usize>load<i32>(NODE_OFFSETS + (<usize>k << 2));
      v128.store(cell, f64x2.add(v128.load(cell), f64x2.mul(w, charges)));
      const twin = cell + (<usize>P << 4);
      v128.store(twin, f64x2.add(v128.load(twin), f64x2.mul(w, more)));
    }
  }
}

/** Multiplies both halves of the transformed grid by the kernel's transform (rows × P f64). */
export function gridMultiply(gridPtr: usize, P: i32, dim: i32, kernelPtr: usize): void {
  const rows = dim == 2 ? P : 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < P; c++) {
      const k = f64x2.splat(load<f64>(kernelPtr + ((<usize>r * <usize>P + <usize>c) << 3)));
      const cell = gridPtr + ((<usize>r * <usize>(2 * P) + <usize>c) << 4);
      v128.store(cell, f64x2.mul(v128.load(cell), k));
      const twin = cell + (<usize>P << 4);
      v128.store(twin, f64x2.mul(v128.load(twin), k));
    }
  }
}

/**
 * Interpolates the node potentials back to the points (the weights and node offsets of the last gridSpread) and forms t-SNE's sums: OUT
 * negPtr (n × dim f32) Σ_j q_ij²·(y_i − y_j); returns Σ_{i≠j} q_ij.
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
    const phi1 = f64x2.extract_lane(first, 0);
    const phiX = f64x2.extract_lane(first, 1);
    const x = <f64>load<f32>(posPtr + (<usize>(i * dim) << 2));
    const neg = negPtr + (<usize>(i * dim) << 2);
    store<f32>(neg, <f32>(x * phi1 - phiX));
    if (dim == 2) {
      const phiY = f64x2.extract_lane(second, 0);
      const phiNorm = f64x2.extract_lane(second, 1);
      const y = <f64>load<f32>(posPtr + (<usize>(i * dim + 1) << 2));
      store<f32>(neg, <f32>(y * phi1 - phiY), 4);
      sumQ += (1 + x * x + y * y) * phi1 - 2 * (x * phiX + y * phiY) + phiNorm;
    } else {
      sumQ += (1 + x * x) * phi1 - 2 * x * phiX + f64x2.extract_lane(second, 0);
    }
  }
  return sumQ - <f64>n;
}
