// Complex float64 FFTs for t-SNE's interpolation grid (tsne-grid.ts): Stockham autosort passes of radix 4, 3 and 2,
// one v128 a complex number (re, im). A pass transforms a batch of lanes, each lane a sequence: BLOCK of a
// row-major grid's rows or columns at once, so that the innermost loop runs over the lanes and the twiddles are
// loaded once for all of them. Lengths are 2^a·3^b, the radices given in order by the caller, with the forward
// twiddles w[k] = exp(−2πi·k/n) (the inverse conjugates them, unscaled). Kernels hold no state: threads may run
// them on disjoint rows or columns at once, each with its own scratch.

/** Rows or columns a pass moves at once through its scratch. */
const BLOCK: i32 = 8;

/** z·w for w = (c, d), given as splat(c) and (−d, d). */
// @ts-ignore: decorator
@inline
export function times(z: v128, wc: v128, wd: v128): v128 {
  return f64x2.add(f64x2.mul(z, wc), f64x2.mul(v128.shuffle<f64>(z, z, 1, 0), wd));
}

/** z·(k·i·sign): (−k·sign·im, k·sign·re), with ks = (−k·sign, k·sign). */
// @ts-ignore: decorator
@inline
function timesI(z: v128, ks: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(z, z, 1, 0), ks);
}

/**
 * One Stockham pass of a radix over `lanes` lanes: sequences of length len at stride s (len·s = n), src to dst.
 * Element i of lane v is at base + (i·alongI + v·alongV)·16 in each. Inputs from index `nonzero` on are taken as
 * zero whatever memory holds (the first pass of a zero-padded sequence).
 */
function pass(
  src: usize, srcI: i32, srcV: i32, dst: usize, dstI: i32, dstV: i32,
  n: i32, len: i32, s: i32, radix: i32, lanes: i32, twiddle: usize, inverse: bool, nonzero: i32,
): void {
  const zero = f64x2.splat(0);
  const m = len / radix;
  const step = n / len;
  const sign: f64 = inverse ? 1 : -1;
  const minusI = f64x2(sign * -1, sign);
  const root3 = f64x2(-sign * 0.8660254037844386, sign * 0.8660254037844386);
  const half = f64x2.splat(0.5);
  // Byte strides: between lanes, between a butterfly's inputs (s·m elements), between its outputs (s elements).
  const srcLane = <usize>srcV << 4;
  const dstLane = <usize>dstV << 4;
  const inStep = <usize>(s * m * srcI) << 4;
  const outStep = <usize>(s * dstI) << 4;
  for (let p = 0; p < m; p++) {
    const w1 = twiddle + (<usize>(p * step) << 4);
    const d1 = inverse ? -load<f64>(w1, 8) : load<f64>(w1, 8);
    const w1c = f64x2.splat(load<f64>(w1));
    const w1d = f64x2(-d1, d1);
    const w2 = twiddle + (<usize>(2 * p * step) << 4);
    const d2 = inverse ? -load<f64>(w2, 8) : load<f64>(w2, 8);
    const w2c = f64x2.splat(load<f64>(w2));
    const w2d = f64x2(-d2, d2);
    const w3 = twiddle + (<usize>((3 * p * step) % n) << 4);
    const d3 = inverse ? -load<f64>(w3, 8) : load<f64>(w3, 8);
    const w3c = f64x2.splat(load<f64>(w3));
    const w3d = f64x2(-d3, d3);
    for (let q = 0; q < s; q++) {
      const first = q + s * p;
      const hasA = first < nonzero;
      const hasB = first + s * m < nonzero;
      const hasC = first + 2 * s * m < nonzero;
      const hasD = first + 3 * s * m < nonzero;
      let x0 = src + (<usize>((q + s * p) * srcI) << 4);
      let y0 = dst + (<usize>((q + s * radix * p) * dstI) << 4);
      if (radix == 2) {
        for (let v = 0; v < lanes; v++, x0 += srcLane, y0 += dstLane) {
          const a = hasA ? v128.load(x0) : zero;
          const b = hasB ? v128.load(x0 + inStep) : zero;
          v128.store(y0, f64x2.add(a, b));
          v128.store(y0 + outStep, times(f64x2.sub(a, b), w1c, w1d));
        }
      } else if (radix == 3) {
        for (let v = 0; v < lanes; v++, x0 += srcLane, y0 += dstLane) {
          const a = hasA ? v128.load(x0) : zero;
          const b = hasB ? v128.load(x0 + inStep) : zero;
          const c = hasC ? v128.load(x0 + 2 * inStep) : zero;
          const t1 = f64x2.add(b, c);
          const t2 = f64x2.sub(a, f64x2.mul(t1, half));
          const t3 = timesI(f64x2.sub(b, c), root3);
          v128.store(y0, f64x2.add(a, t1));
          v128.store(y0 + outStep, times(f64x2.add(t2, t3), w1c, w1d));
          v128.store(y0 + 2 * outStep, times(f64x2.sub(t2, t3), w2c, w2d));
        }
      } else {
        for (let v = 0; v < lanes; v++, x0 += srcLane, y0 += dstLane) {
          const a = hasA ? v128.load(x0) : zero;
          const b = hasB ? v128.load(x0 + inStep) : zero;
          const c = hasC ? v128.load(x0 + 2 * inStep) : zero;
          const d = hasD ? v128.load(x0 + 3 * inStep) : zero;
          const t0 = f64x2.add(a, c);
          const t1 = f64x2.sub(a, c);
          const t2 = f64x2.add(b, d);
          const t3 = timesI(f64x2.sub(b, d), minusI);
          v128.store(y0, f64x2.add(t0, t2));
          v128.store(y0 + outStep, times(f64x2.add(t1, t3), w1c, w1d));
          v128.store(y0 + 2 * outStep, times(f64x2.sub(t0, t2), w2c, w2d));
          v128.store(y0 + 3 * outStep, times(f64x2.sub(t1, t3), w3c, w3d));
        }
      }
    }
  }
}

/**
 * Transforms `lanes` sequences of length n in place (element i of lane v at data + (i·alongI + v·alongV)·16),
 * through a scratch of n × lanes complex numbers; elements from index `nonzero` on are read as zeros.
 */
function transform(
  data: usize, alongI: i32, alongV: i32, lanes: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddle: usize, inverse: bool, scratch: usize, nonzero: i32,
): void {
  let len = n;
  let s = 1;
  let fromData = true;
  for (let r = 0; r < nRadices; r++) {
    const radix = load<i32>(radicesPtr + (<usize>r << 2));
    if (fromData) pass(data, alongI, alongV, scratch, lanes, 1, n, len, s, radix, lanes, twiddle, inverse, r == 0 ? nonzero : n);
    else pass(scratch, lanes, 1, data, alongI, alongV, n, len, s, radix, lanes, twiddle, inverse, n);
    fromData = !fromData;
    len /= radix;
    s *= radix;
  }
  if (!fromData) {
    for (let i = 0; i < n; i++) {
      for (let v = 0; v < lanes; v++) {
        v128.store(data + (<usize>(i * alongI + v * alongV) << 4), v128.load(scratch + (<usize>(i * lanes + v) << 4)));
      }
    }
  }
}

/**
 * FFTs of length n along rows [rowStart, rowEnd) of a row-major grid `width` complex numbers wide, each over the n
 * numbers from column `column`, BLOCK rows at a time. IN radicesPtr (nRadices i32, product n), twiddlePtr (n
 * complex f64); scratch: n × 8 complex f64. Elements from `nonzero` on are read as zeros.
 */
export function fftRows(
  gridPtr: usize, width: i32, column: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddlePtr: usize, scratchPtr: usize, inverse: i32,
  nonzero: i32, rowStart: i32, rowEnd: i32,
): void {
  for (let r = rowStart; r < rowEnd; r += BLOCK) {
    const data = gridPtr + ((<usize>r * <usize>width + <usize>column) << 4);
    transform(data, 1, width, min(BLOCK, rowEnd - r), n, radicesPtr, nRadices, twiddlePtr, inverse != 0, scratchPtr, nonzero);
  }
}

/**
 * FFTs of length n (the grid's rows) down columns [columnStart, columnEnd) of a row-major grid `width` complex
 * numbers wide, BLOCK columns at a time. IN radicesPtr, twiddlePtr as fftRows; scratch: n × 8 complex f64. Rows
 * from `nonzero` on are read as zeros.
 */
export function fftColumns(
  gridPtr: usize, width: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddlePtr: usize, scratchPtr: usize, inverse: i32,
  nonzero: i32, columnStart: i32, columnEnd: i32,
): void {
  for (let v = columnStart; v < columnEnd; v += BLOCK) {
    transform(gridPtr + (<usize>v << 4), width, 1, min(BLOCK, columnEnd - v), n, radicesPtr, nRadices, twiddlePtr, inverse != 0, scratchPtr, nonzero);
  }
}
