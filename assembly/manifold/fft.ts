// Complex float64 FFTs for t-SNE's interpolation grid (tsne-grid.ts): Stockham autosort passes of radix 4, 3 and 2,
// one v128 a complex number (re, im). A pass transforms a batch: element i of lane v sits at
// base + (i·width + v − offset)·16, so one call takes a row (one lane) or a block of a row-major grid's columns
// (lanes = columns), which keeps the column passes streaming along rows. Lengths are 2^a·3^b, the radices given in
// order by the caller, with the forward twiddles w[k] = exp(−2πi·k/n) (the inverse conjugates them, unscaled).

/** Columns a column pass moves at once through its scratch. */
const BLOCK: i32 = 8;

// @ts-ignore: decorator
@inline
function at(base: usize, i: i32, width: i32, lane: i32): usize {
  return base + ((<usize>i * <usize>width + <usize>lane) << 4);
}

/** z·w for w = (c, d), given as splat(c) and (−d, d). */
// @ts-ignore: decorator
@inline
function times(z: v128, wc: v128, wd: v128): v128 {
  return f64x2.add(f64x2.mul(z, wc), f64x2.mul(v128.shuffle<f64>(z, z, 1, 0), wd));
}

/** z·(k·i·sign): (−k·sign·im, k·sign·re), with ks = (−k·sign, k·sign). */
// @ts-ignore: decorator
@inline
function timesI(z: v128, ks: v128): v128 {
  return f64x2.mul(v128.shuffle<f64>(z, z, 1, 0), ks);
}

/**
 * One Stockham pass of a radix over lanes [v0, v1): sequences of length len at stride s (len·s = n), src to dst.
 * Lane v of src is at column v − srcOffset of a src row of srcWidth, likewise for dst.
 */
function pass(
  src: usize, srcWidth: i32, srcOffset: i32, dst: usize, dstWidth: i32, dstOffset: i32,
  n: i32, len: i32, s: i32, radix: i32, v0: i32, v1: i32, twiddle: usize, inverse: bool,
): void {
  const m = len / radix;
  const step = n / len;
  const sign: f64 = inverse ? 1 : -1;
  const minusI = f64x2(sign * -1, sign);
  const root3 = f64x2(-sign * 0.8660254037844386, sign * 0.8660254037844386);
  const half = f64x2.splat(0.5);
  for (let p = 0; p < m; p++) {
    const w1 = twiddle + (<usize>(p * step) << 4);
    const c1 = load<f64>(w1);
    const d1 = inverse ? -load<f64>(w1, 8) : load<f64>(w1, 8);
    const w1c = f64x2.splat(c1);
    const w1d = f64x2(-d1, d1);
    const w2 = twiddle + (<usize>((2 * p * step) % n) << 4);
    const c2 = load<f64>(w2);
    const d2 = inverse ? -load<f64>(w2, 8) : load<f64>(w2, 8);
    const w2c = f64x2.splat(c2);
    const w2d = f64x2(-d2, d2);
    for (let q = 0; q < s; q++) {
      const i0 = q + s * p;
      const o0 = q + s * radix * p;
      if (radix == 2) {
        for (let v = v0; v < v1; v++) {
          const a = v128.load(at(src, i0, srcWidth, v - srcOffset));
          const b = v128.load(at(src, i0 + s * m, srcWidth, v - srcOffset));
          v128.store(at(dst, o0, dstWidth, v - dstOffset), f64x2.add(a, b));
          v128.store(at(dst, o0 + s, dstWidth, v - dstOffset), times(f64x2.sub(a, b), w1c, w1d));
        }
      } else if (radix == 3) {
        for (let v = v0; v < v1; v++) {
          const a = v128.load(at(src, i0, srcWidth, v - srcOffset));
          const b = v128.load(at(src, i0 + s * m, srcWidth, v - srcOffset));
          const c = v128.load(at(src, i0 + 2 * s * m, srcWidth, v - srcOffset));
          const t1 = f64x2.add(b, c);
          const t2 = f64x2.sub(a, f64x2.mul(t1, half));
          const t3 = timesI(f64x2.sub(b, c), root3);
          v128.store(at(dst, o0, dstWidth, v - dstOffset), f64x2.add(a, t1));
          v128.store(at(dst, o0 + s, dstWidth, v - dstOffset), times(f64x2.add(t2, t3), w1c, w1d));
          v128.store(at(dst, o0 + 2 * s, dstWidth, v - dstOffset), times(f64x2.sub(t2, t3), w2c, w2d));
        }
      } else {
        const w3 = twiddle + (<usize>((3 * p * step) % n) << 4);
        const c3 = load<f64>(w3);
        const d3 = inverse ? -load<f64>(w3, 8) : load<f64>(w3, 8);
        const w3c = f64x2.splat(c3);
        const w3d = f64x2(-d3, d3);
        for (let v = v0; v < v1; v++) {
          const a = v128.load(at(src, i0, srcWidth, v - srcOffset));
          const b = v128.load(at(src, i0 + s * m, srcWidth, v - srcOffset));
          const c = v128.load(at(src, i0 + 2 * s * m, srcWidth, v - srcOffset));
          const d = v128.load(at(src, i0 + 3 * s * m, srcWidth, v - srcOffset));
          const t0 = f64x2.add(a, c);
          const t1 = f64x2.sub(a, c);
          const t2 = f64x2.add(b, d);
          const t3 = timesI(f64x2.sub(b, d), minusI);
          v128.store(at(dst, o0, dstWidth, v - dstOffset), f64x2.add(t0, t2));
          v128.store(at(dst, o0 + s, dstWidth, v - dstOffset), times(f64x2.add(t1, t3), w1c, w1d));
          v128.store(at(dst, o0 + 2 * s, dstWidth, v - dstOffset), times(f64x2.sub(t0, t2), w2c, w2d));
          v128.store(at(dst, o0 + 3 * s, dstWidth, v - dstOffset), times(f64x2.sub(t1, t3), w3c, w3d));
        }
      }
    }
  }
}

/**
 * Transforms lanes [v0, v1) of data (rows of `width` complex numbers, n rows a sequence) in place, through a scratch
 * of n × (v1 − v0) complex numbers.
 */
function transform(data: usize, width: i32, v0: i32, v1: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddle: usize, inverse: bool, scratch: usize): void {
  const lanes = v1 - v0;
  let len = n;
  let s = 1;
  let inData = true;
  for (let r = 0; r < nRadices; r++) {
    const radix = load<i32>(radicesPtr + (<usize>r << 2));
    if (inData) pass(data, width, 0, scratch, lanes, v0, n, len, s, radix, v0, v1, twiddle, inverse);
    else pass(scratch, lanes, v0, data, width, 0, n, len, s, radix, v0, v1, twiddle, inverse);
    inData = !inData;
    len /= radix;
    s *= radix;
  }
  if (!inData) {
    for (let i = 0; i < n; i++) {
      for (let v = v0; v < v1; v++) v128.store(at(data, i, width, v), v128.load(at(scratch, i, lanes, v - v0)));
    }
  }
}

/**
 * FFTs of length n along rows [rowStart, rowEnd) of a row-major grid `width` complex numbers wide, each over the n
 * numbers from column `column`. IN radicesPtr (nRadices i32, product n), twiddlePtr (n complex f64);
 * scratch: n complex f64.
 */
export function fftRows(
  gridPtr: usize, width: i32, column: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddlePtr: usize, inverse: i32, scratchPtr: usize,
  rowStart: i32, rowEnd: i32,
): void {
  for (let r = rowStart; r < rowEnd; r++) {
    // A row is a batch of one lane whose elements are consecutive.
    transform(at(gridPtr, r, width, column), 1, 0, 1, n, radicesPtr, nRadices, twiddlePtr, inverse != 0, scratchPtr);
  }
}

/**
 * FFTs of length n (the grid's rows) down columns [columnStart, columnEnd) of a row-major grid `width` complex
 * numbers wide, BLOCK columns at a time. IN radicesPtr, twiddlePtr as fftRows; scratch: n × 8 complex f64.
 */
export function fftColumns(
  gridPtr: usize, width: i32, n: i32, radicesPtr: usize, nRadices: i32, twiddlePtr: usize, inverse: i32, scratchPtr: usize,
  columnStart: i32, columnEnd: i32,
): void {
  for (let v = columnStart; v < columnEnd; v += BLOCK) {
    transform(gridPtr, width, v, min(v + BLOCK, columnEnd), n, radicesPtr, nRadices, twiddlePtr, inverse != 0, scratchPtr);
  }
}
