// Data on its way into wasm memory: checked, summed per column, scaled by a power of two, centered and stored as f32
// (src/runtime/ingest.ts drives these), and rows gathered by index for mini-batches and subsamples.

// Every kernel here does its arithmetic in f64 lanes across columns, two at a time, in the order the plain loops
// would (each column's sums and squares in row order, a multiplication then an addition): the same bits as scalar
// code, at a fraction of the time, which a stream pays on every pass.

/**
 * The first flat index of a NaN or infinite f64 at src[0 .. n), or −1; the largest |x| so far updated at maxAbsPtr
 * otherwise. pmax, not max: the `ok` mask catches NaN, and pmax is one instruction where max's NaN and ±0 rules
 * cost V8 a sequence (2.5× the whole kernel's time, measured).
 */
function scanF64(srcPtr: usize, n: i32, maxAbsPtr: usize): i32 {
  const finite = f64x2.splat(f64.MAX_VALUE);
  let largest = f64x2.splat(load<f64>(maxAbsPtr));
  let ok = i64x2.splat(-1);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = f64x2.abs(v128.load(srcPtr + (<usize>i << 3)));
    ok = v128.and(ok, f64x2.le(v, finite));
    largest = f64x2.pmax(largest, v);
  }
  let maxAbs = Math.max(f64x2.extract_lane(largest, 0), f64x2.extract_lane(largest, 1));
  for (; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(load<f64>(srcPtr + (<usize>i << 3))));
  if (!v128.all_true<i64>(ok) || !(maxAbs <= f64.MAX_VALUE)) {
    for (let j = 0; j < n; j++) if (!(Math.abs(load<f64>(srcPtr + (<usize>j << 3))) <= f64.MAX_VALUE)) return j;
  }
  store<f64>(maxAbsPtr, maxAbs);
  return -1;
}

/** scanF64 over f32 values (their magnitudes compared exactly in f32). */
function scanF32(xPtr: usize, n: i32, maxAbsPtr: usize): i32 {
  const finite = f32x4.splat(f32.MAX_VALUE);
  let largest = f32x4.splat(0);
  let ok = i32x4.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = f32x4.abs(v128.load(xPtr + (<usize>i << 2)));
    ok = v128.and(ok, f32x4.le(v, finite));
    largest = f32x4.pmax(largest, v);
  }
  let maxAbs = Math.max(
    load<f64>(maxAbsPtr),
    <f64>Mathf.max(Mathf.max(f32x4.extract_lane(largest, 0), f32x4.extract_lane(largest, 1)), Mathf.max(f32x4.extract_lane(largest, 2), f32x4.extract_lane(largest, 3))),
  );
  for (; i < n; i++) maxAbs = Math.max(maxAbs, <f64>Mathf.abs(load<f32>(xPtr + (<usize>i << 2))));
  if (!v128.all_true<i32>(ok) || !(maxAbs <= f64.MAX_VALUE)) {
    for (let j = 0; j < n; j++) if (!(Mathf.abs(load<f32>(xPtr + (<usize>j << 2))) <= f32.MAX_VALUE)) return j;
  }
  store<f64>(maxAbsPtr, maxAbs);
  return -1;
}

/** Two values of T at ptr as an f64x2. */
// @ts-ignore: decorator
@inline function pairAt<T>(ptr: usize): v128 {
  return sizeof<T>() == 4 ? f64x2.promote_low_f32x4(v128.load64_zero(ptr)) : v128.load(ptr);
}

/** Eight f64 accumulators (four column pairs) back to memory. */
// @ts-ignore: decorator
@inline function storeFour(ptr: usize, a: v128, b: v128, c: v128, e: v128): void {
  v128.store(ptr, a);
  v128.store(ptr, b, 16);
  v128.store(ptr, c, 32);
  v128.store(ptr, e, 48);
}

/**
 * sums[t] += Σ_r x[r][t] · scale, each column in row order: eight columns at a time in four f64x2 registers (a
 * column's additions depend on one another, the columns' do not), then pairs, then one.
 */
function addColumnSums<T>(srcPtr: usize, nRows: i32, nFeatures: i32, scale: f64, sumsPtr: usize): void {
  const scale2 = f64x2.splat(scale);
  const rowBytes = <usize>nFeatures * sizeof<T>();
  let t = 0;
  for (; t + 8 <= nFeatures; t += 8) {
    const s = sumsPtr + (<usize>t << 3);
    let a = v128.load(s), b = v128.load(s, 16), c = v128.load(s, 32), e = v128.load(s, 48);
    let p = srcPtr + <usize>t * sizeof<T>();
    for (let r = 0; r < nRows; r++, p += rowBytes) {
      a = f64x2.add(a, f64x2.mul(pairAt<T>(p), scale2));
      b = f64x2.add(b, f64x2.mul(pairAt<T>(p + 2 * sizeof<T>()), scale2));
      c = f64x2.add(c, f64x2.mul(pairAt<T>(p + 4 * sizeof<T>()), scale2));
      e = f64x2.add(e, f64x2.mul(pairAt<T>(p + 6 * sizeof<T>()), scale2));
    }
    storeFour(s, a, b, c, e);
  }
  for (; t + 2 <= nFeatures; t += 2) {
    const s = sumsPtr + (<usize>t << 3);
    let a = v128.load(s);
    let p = srcPtr + <usize>t * sizeof<T>();
    for (let r = 0; r < nRows; r++, p += rowBytes) a = f64x2.add(a, f64x2.mul(pairAt<T>(p), scale2));
    v128.store(s, a);
  }
  for (; t < nFeatures; t++) {
    const s = sumsPtr + (<usize>t << 3);
    let a = load<f64>(s);
    let p = srcPtr + <usize>t * sizeof<T>();
    for (let r = 0; r < nRows; r++, p += rowBytes) a += <f64>load<T>(p) * scale;
    store<f64>(s, a);
  }
}

/**
 * dst = f32(x · scale − shift) and squares[t] += Σ_r (x · scale − shift)², each column in row order: pairs of
 * columns, the squares of four pairs in registers at a time, then one. dst may be src (f32 rows shifted in place).
 */
function shiftColumns<T>(srcPtr: usize, nRows: i32, nFeatures: i32, scale: f64, shiftPtr: usize, dstPtr: usize, squaresPtr: usize): void {
  const scale2 = f64x2.splat(scale);
  const rowBytes = <usize>nFeatures * sizeof<T>();
  const dstRowBytes = <usize>nFeatures << 2;
  let t = 0;
  for (; t + 8 <= nFeatures; t += 8) {
    const q = squaresPtr + (<usize>t << 3);
    const h = shiftPtr + (<usize>t << 3);
    const ha = v128.load(h), hb = v128.load(h, 16), hc = v128.load(h, 32), he = v128.load(h, 48);
    let a = v128.load(q), b = v128.load(q, 16), c = v128.load(q, 32), e = v128.load(q, 48);
    let p = srcPtr + <usize>t * sizeof<T>();
    let o = dstPtr + (<usize>t << 2);
    for (let r = 0; r < nRows; r++, p += rowBytes, o += dstRowBytes) {
      const va = f64x2.sub(f64x2.mul(pairAt<T>(p), scale2), ha);
      const vb = f64x2.sub(f64x2.mul(pairAt<T>(p + 2 * sizeof<T>()), scale2), hb);
      const vc = f64x2.sub(f64x2.mul(pairAt<T>(p + 4 * sizeof<T>()), scale2), hc);
      const ve = f64x2.sub(f64x2.mul(pairAt<T>(p + 6 * sizeof<T>()), scale2), he);
      v128.store64_lane(o, f32x4.demote_f64x2_zero(va), 0);
      v128.store64_lane(o, f32x4.demote_f64x2_zero(vb), 0, 8);
      v128.store64_lane(o, f32x4.demote_f64x2_zero(vc), 0, 16);
      v128.store64_lane(o, f32x4.demote_f64x2_zero(ve), 0, 24);
      a = f64x2.add(a, f64x2.mul(va, va));
      b = f64x2.add(b, f64x2.mul(vb, vb));
      c = f64x2.add(c, f64x2.mul(vc, vc));
      e = f64x2.add(e, f64x2.mul(ve, ve));
    }
    storeFour(q, a, b, c, e);
  }
  for (; t + 2 <= nFeatures; t += 2) {
    const q = squaresPtr + (<usize>t << 3);
    const shift = v128.load(shiftPtr + (<usize>t << 3));
    let a = v128.load(q);
    let p = srcPtr + <usize>t * sizeof<T>();
    let o = dstPtr + (<usize>t << 2);
    for (let r = 0; r < nRows; r++, p += rowBytes, o += dstRowBytes) {
      const v = f64x2.sub(f64x2.mul(pairAt<T>(p), scale2), shift);
      v128.store64_lane(o, f32x4.demote_f64x2_zero(v), 0);
      a = f64x2.add(a, f64x2.mul(v, v));
    }
    v128.store(q, a);
  }
  for (; t < nFeatures; t++) {
    const q = squaresPtr + (<usize>t << 3);
    const shift = load<f64>(shiftPtr + (<usize>t << 3));
    let a = load<f64>(q);
    let p = srcPtr + <usize>t * sizeof<T>();
    let o = dstPtr + (<usize>t << 2);
    for (let r = 0; r < nRows; r++, p += rowBytes, o += dstRowBytes) {
      const v = <f64>load<T>(p) * scale - shift;
      store<f32>(o, <f32>v);
      a += v * v;
    }
    store<f64>(q, a);
  }
}

/**
 * Validation, column sums and the largest magnitude over a block of f64 rows, on the way into wasm memory. The sums
 * are of x · scale (a power of two, so exactly scale · Σx where Σx does not overflow).
 * IN srcPtr (nRows × nFeatures f64); INOUT columnSumsPtr (nFeatures f64), maxAbsPtr (one f64: the largest |x| so far).
 * Returns the flat index of the first value that is NaN or infinite, or −1.
 */
export function scanColumns(srcPtr: usize, nRows: i32, nFeatures: i32, scale: f64, columnSumsPtr: usize, maxAbsPtr: usize): i32 {
  const bad = scanF64(srcPtr, nRows * nFeatures, maxAbsPtr);
  if (bad < 0) addColumnSums<f64>(srcPtr, nRows, nFeatures, scale, columnSumsPtr);
  return bad;
}

/**
 * scanColumns over f32 rows already in place (a Float32Array input copied straight in), rows [rowStart, rowEnd) cut
 * into statistics chunks of statsRows rows (rowStart a multiple of it): chunk c's column sums at sumsBase +
 * c · nFeatures · 8 and its largest |x| at maxAbsBase + 8c (chunk c counted from row 0), the sums in row order as
 * scanColumns adds them. INOUT those sums and magnitudes. Returns the first NaN or infinite value's flat index counted
 * from rowStart, or −1.
 */
export function scanColumnsF32(
  xPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32, scale: f64, statsRows: i32, sumsBase: usize, maxAbsBase: usize,
): i32 {
  for (let start = rowStart; start < rowEnd; start += statsRows) {
    const chunk = <usize>(start / statsRows);
    const rows = min(statsRows, rowEnd - start);
    const at = xPtr + (<usize>start * <usize>nFeatures << 2);
    const bad = scanF32(at, rows * nFeatures, maxAbsBase + (chunk << 3));
    if (bad >= 0) return (start - rowStart) * nFeatures + bad;
    addColumnSums<f32>(at, rows, nFeatures, scale, sumsBase + chunk * (<usize>nFeatures << 3));
  }
  return -1;
}

/**
 * Writes a block of f64 rows, scaled and shifted, as f32: dst = f32(src · scale − shift), with scale a power of two
 * and shift already scaled, so that this is scale · (src − the shift's own units) exactly and no value overflows.
 * IN srcPtr (nRows × nFeatures f64), shiftPtr (nFeatures f64); OUT dstPtr (nRows × nFeatures f32);
 * INOUT squaresPtr (nFeatures f64) gains Σ (src · scale − shift)² per column.
 */
export function writeShiftedRows(srcPtr: usize, nRows: i32, nFeatures: i32, scale: f64, shiftPtr: usize, dstPtr: usize, squaresPtr: usize): void {
  shiftColumns<f64>(srcPtr, nRows, nFeatures, scale, shiftPtr, dstPtr, squaresPtr);
}

/**
 * writeShiftedRows in place over f32 rows [rowStart, rowEnd): f32(x · scale − shift), in f64; the same values. The
 * squares by statistics chunk of statsRows rows (rowStart a multiple of it), chunk c's at squaresBase + c · nFeatures · 8.
 * INOUT xPtr (f32 rows), the squares (f64); IN shiftPtr (nFeatures f64).
 */
export function shiftRowsF32(xPtr: usize, rowStart: i32, rowEnd: i32, nFeatures: i32, scale: f64, shiftPtr: usize, statsRows: i32, squaresBase: usize): void {
  for (let start = rowStart; start < rowEnd; start += statsRows) {
    const at = xPtr + (<usize>start * <usize>nFeatures << 2);
    const squares = squaresBase + <usize>(start / statsRows) * (<usize>nFeatures << 3);
    shiftColumns<f32>(at, min(statsRows, rowEnd - start), nFeatures, scale, shiftPtr, at, squares);
  }
}

/**
 * Gathers rows by index: x rows (f32) and their weights (f64), for mini-batches and seeding subsamples.
 * IN xPtr, weightPtr, indicesPtr (count i32); OUT outXPtr (count × nFeatures f32), outWeightPtr (count f64).
 */
export function gatherRows(
  xPtr: usize, weightPtr: usize, nFeatures: i32, indicesPtr: usize, count: i32, outXPtr: usize, outWeightPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let r = 0; r < count; r++) {
    const index = <usize>load<i32>(indicesPtr + (<usize>r << 2));
    memory.copy(outXPtr + <usize>r * rowBytes, xPtr + index * rowBytes, rowBytes);
    store<f64>(outWeightPtr + (<usize>r << 3), load<f64>(weightPtr + (index << 3)));
  }
}

/**
 * Rows scaled to unit Euclidean length, for cosine k-means: dst = f32(x / ‖x‖), the norm taken in f64 (rescaled by
 * the row's largest magnitude where the plain sum of squares overflows or underflows).
 * IN srcPtr (nRows × nFeatures f64); OUT dstPtr (nRows × nFeatures f32).
 * Returns −1; or the flat index of the first NaN or infinite value; or −2 − r for the first row r of norm 0.
 */
export function normalizeRows(srcPtr: usize, nRows: i32, nFeatures: i32, dstPtr: usize): i32 {
  for (let r = 0; r < nRows; r++) {
    const row = srcPtr + (<usize>(r * nFeatures) << 3);
    let sq: f64 = 0;
    for (let t = 0; t < nFeatures; t++) {
      const v = load<f64>(row + (<usize>t << 3));
      sq += v * v;
    }
    // Beyond this range (or with a NaN or an infinity) squares may have overflowed or underflowed: rescale.
    let divisor: f64 = 1;
    if (!(sq >= 1e-280 && sq <= f64.MAX_VALUE)) {
      divisor = 0;
      for (let t = 0; t < nFeatures; t++) {
        const v = Math.abs(load<f64>(row + (<usize>t << 3)));
        if (!(v <= f64.MAX_VALUE)) return r * nFeatures + t;
        divisor = Math.max(divisor, v);
      }
      if (divisor == 0) return -2 - r;
      sq = 0;
      for (let t = 0; t < nFeatures; t++) {
        const v = load<f64>(row + (<usize>t << 3)) / divisor;
        sq += v * v;
      }
    }
    const inverse = 1 / Math.sqrt(sq);
    for (let t = 0; t < nFeatures; t++) {
      store<f32>(dstPtr + (<usize>(r * nFeatures + t) << 2), <f32>((load<f64>(row + (<usize>t << 3)) / divisor) * inverse));
    }
  }
  return -1;
}
