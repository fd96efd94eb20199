// Shared pieces of the kernels. Every kernel takes numbers and byte offsets only; it never allocates,
// validates or throws: the TypeScript side owns every buffer and validates at the entry.
//
// Layouts (all row-major, f32 data, f64 accumulators):
//   X            nSamples × nFeatures f32
//   centers      nClusters × nFeatures f32
//   centersT     nBlocks × nFeatures × 16 f32: center b·16+j's feature t at [b][t][j] (zero padding)
//   centerNorms  nBlocks·16 f32: ‖c‖², +∞ for padding so that padding never wins an argmin

/** Centers per SIMD block in the transposed layout. */
export const BLOCK: i32 = 16;

/** First free byte after the module's static data: the TypeScript arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** Squared Euclidean distance of two f32 rows by direct differencing, accumulated in f64. */
// @ts-ignore: decorator
@inline
export function sqDistF64(a: usize, b: usize, nFeatures: i32): f64 {
  let acc = f64x2.splat(0);
  let t = 0;
  for (; t + 4 <= nFeatures; t += 4) {
    const diff = f32x4.sub(v128.load(a + (<usize>t << 2)), v128.load(b + (<usize>t << 2)));
    const lo = f64x2.promote_low_f32x4(diff);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(diff, diff, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; t < nFeatures; t++) {
    const diff = <f64>load<f32>(a + (<usize>t << 2)) - <f64>load<f32>(b + (<usize>t << 2));
    sum += diff * diff;
  }
  return sum;
}

/** Squared Euclidean distance of two f32 rows in f32 lanes (for seeding, where speed matters more). */
// @ts-ignore: decorator
@inline
export function sqDistF32(a: usize, b: usize, nFeatures: i32): f32 {
  let acc = f32x4.splat(0);
  let t = 0;
  for (; t + 4 <= nFeatures; t += 4) {
    const diff = f32x4.sub(v128.load(a + (<usize>t << 2)), v128.load(b + (<usize>t << 2)));
    acc = f32x4.add(acc, f32x4.mul(diff, diff));
  }
  let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; t < nFeatures; t++) {
    const diff = load<f32>(a + (<usize>t << 2)) - load<f32>(b + (<usize>t << 2));
    sum += diff * diff;
  }
  return sum;
}

/**
 * Transposes row-major centers into SIMD blocks of 16 and computes their squared norms.
 * IN centersPtr (nClusters × nFeatures f32); OUT centersTPtr, centerNormsPtr. Returns the number of blocks.
 */
export function packCenters(centersPtr: usize, nClusters: i32, nFeatures: i32, centersTPtr: usize, centerNormsPtr: usize): i32 {
  const nBlocks = (nClusters + BLOCK - 1) / BLOCK;
  for (let b = 0; b < nBlocks; b++) {
    for (let j = 0; j < BLOCK; j++) {
      const c = b * BLOCK + j;
      let norm: f32 = Infinity;
      if (c < nClusters) {
        norm = 0;
        const row = centersPtr + (<usize>(c * nFeatures) << 2);
        for (let t = 0; t < nFeatures; t++) {
          const v = load<f32>(row + (<usize>t << 2));
          norm += v * v;
          store<f32>(centersTPtr + (<usize>((b * nFeatures + t) * BLOCK + j) << 2), v);
        }
      } else {
        for (let t = 0; t < nFeatures; t++) {
          store<f32>(centersTPtr + (<usize>((b * nFeatures + t) * BLOCK + j) << 2), 0);
        }
      }
      store<f32>(centerNormsPtr + (<usize>c << 2), norm);
    }
  }
  return nBlocks;
}

/**
 * Squared distance of each row to the center it is labelled with (direct differencing, f64).
 * IN xPtr, weightPtr (f64), centersPtr (row-major f32), labelsPtr; OUT sqDistPtr (f64 per row, skipped when 0).
 * Returns the weighted sum: the inertia.
 */
export function assignedSqDistances(
  xPtr: usize, weightPtr: usize, nSamples: i32, nFeatures: i32, centersPtr: usize, labelsPtr: usize, sqDistPtr: usize,
): f64 {
  let inertia: f64 = 0;
  const rowBytes = <usize>nFeatures << 2;
  for (let i = 0; i < nSamples; i++) {
    const label = load<i32>(labelsPtr + (<usize>i << 2));
    const d = sqDistF64(xPtr + <usize>i * rowBytes, centersPtr + <usize>label * rowBytes, nFeatures);
    if (sqDistPtr != 0) store<f64>(sqDistPtr + (<usize>i << 3), d);
    inertia += d * load<f64>(weightPtr + (<usize>i << 3));
  }
  return inertia;
}

/**
 * Euclidean distances of every row to every center (direct differencing, f64): what `transform` returns.
 * IN xPtr, centersPtr (row-major f32); OUT outPtr (nSamples × nClusters f64).
 */
export function distancesToCenters(
  xPtr: usize, nSamples: i32, nFeatures: i32, centersPtr: usize, nClusters: i32, outPtr: usize,
): void {
  const rowBytes = <usize>nFeatures << 2;
  for (let i = 0; i < nSamples; i++) {
    const row = xPtr + <usize>i * rowBytes;
    const out = outPtr + (<usize>i * <usize>nClusters << 3);
    for (let c = 0; c < nClusters; c++) {
      store<f64>(out + (<usize>c << 3), Math.sqrt(sqDistF64(row, centersPtr + <usize>c * rowBytes, nFeatures)));
    }
  }
}

/**
 * Validation and column sums over a block of f64 rows, on the way into wasm memory.
 * IN srcPtr (nRows × nFeatures f64); INOUT columnSumsPtr (nFeatures f64).
 * Returns the flat index of the first value that is NaN, infinite or beyond ±maxAbs, or −1.
 */
export function scanColumns(srcPtr: usize, nRows: i32, nFeatures: i32, maxAbs: f64, columnSumsPtr: usize): i32 {
  const n = nRows * nFeatures;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(srcPtr + (<usize>i << 3));
    if (!(Math.abs(v) <= maxAbs)) return i;
  }
  for (let r = 0; r < nRows; r++) {
    const row = srcPtr + (<usize>(r * nFeatures) << 3);
    for (let t = 0; t < nFeatures; t++) {
      const s = columnSumsPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + load<f64>(row + (<usize>t << 3)));
    }
  }
  return -1;
}

/**
 * scanColumns over float32 rows already in place (a Float32Array input copied straight in): the index of the first
 * value beyond ±maxAbs (or NaN), or −1 after adding every row to the f64 column sums, in row order as scanColumns.
 */
export function scanColumnsF32(xPtr: usize, nRows: i32, nFeatures: i32, maxAbs: f64, columnSumsPtr: usize): i32 {
  const n = nRows * nFeatures;
  for (let i = 0; i < n; i++) {
    if (!(Math.abs(<f64>load<f32>(xPtr + (<usize>i << 2))) <= maxAbs)) return i;
  }
  for (let r = 0; r < nRows; r++) {
    const row = xPtr + (<usize>(r * nFeatures) << 2);
    for (let t = 0; t < nFeatures; t++) {
      const s = columnSumsPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + <f64>load<f32>(row + (<usize>t << 2)));
    }
  }
  return -1;
}

/** writeShiftedRows in place over float32 rows: x − shift in f64, stored as f32, squares added; the same values. */
export function shiftRowsF32(xPtr: usize, nRows: i32, nFeatures: i32, shiftPtr: usize, squaresPtr: usize): void {
  for (let r = 0; r < nRows; r++) {
    const base = r * nFeatures;
    for (let t = 0; t < nFeatures; t++) {
      const at = xPtr + (<usize>(base + t) << 2);
      const v = <f64>load<f32>(at) - load<f64>(shiftPtr + (<usize>t << 3));
      store<f32>(at, <f32>v);
      const s = squaresPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + v * v);
    }
  }
}

/**
 * Writes a block of f64 rows, shifted, as f32: dst = f32(src − shift), the subtraction in f64 so that data far
 * from the origin keeps its precision. INOUT squaresPtr gains Σ (src − shift)² per column.
 * IN srcPtr (nRows × nFeatures f64), shiftPtr (nFeatures f64); OUT dstPtr (nRows × nFeatures f32).
 */
export function writeShiftedRows(srcPtr: usize, nRows: i32, nFeatures: i32, shiftPtr: usize, dstPtr: usize, squaresPtr: usize): void {
  for (let r = 0; r < nRows; r++) {
    const base = r * nFeatures;
    for (let t = 0; t < nFeatures; t++) {
      const v = load<f64>(srcPtr + (<usize>(base + t) << 3)) - load<f64>(shiftPtr + (<usize>t << 3));
      store<f32>(dstPtr + (<usize>(base + t) << 2), <f32>v);
      const s = squaresPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + v * v);
    }
  }
}

/**
 * Gathers rows by index: x rows (f32) and their weights (f64), for mini-batches and seeding subsamples.
 * IN xPtr, weightPtr, indicesPtr (i32); OUT outXPtr (count × nFeatures f32), outWeightPtr (count f64).
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
 * c + a·b in f32 lanes: fused (f32x4.relaxed_madd) in the relaxed-SIMD build, a multiply then an add in the
 * plain one, which compiles exactly as before. Every score that decides a label goes through it, so that the
 * accelerated E-steps still match Lloyd's bit for bit within either build.
 */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** 1 in the relaxed-SIMD build (fused multiply-adds in the scores), 0 in the plain one. */
export function relaxedSimd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}
