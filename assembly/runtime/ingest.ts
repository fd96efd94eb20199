// Data on its way into wasm memory: checked, summed per column, scaled by a power of two, centered and stored as f32
// (src/runtime/ingest.ts drives these), and rows gathered by index for mini-batches and subsamples.

/**
 * Validation, column sums and the largest magnitude over a block of f64 rows, on the way into wasm memory. The sums
 * are of x · scale (a power of two, so exactly scale · Σx where Σx does not overflow).
 * IN srcPtr (nRows × nFeatures f64); INOUT columnSumsPtr (nFeatures f64), maxAbsPtr (one f64: the largest |x| so far).
 * Returns the flat index of the first value that is NaN or infinite, or −1.
 */
export function scanColumns(srcPtr: usize, nRows: i32, nFeatures: i32, scale: f64, columnSumsPtr: usize, maxAbsPtr: usize): i32 {
  const n = nRows * nFeatures;
  let maxAbs = load<f64>(maxAbsPtr);
  for (let i = 0; i < n; i++) {
    const v = Math.abs(load<f64>(srcPtr + (<usize>i << 3)));
    if (!(v <= f64.MAX_VALUE)) return i;
    maxAbs = Math.max(maxAbs, v);
  }
  store<f64>(maxAbsPtr, maxAbs);
  for (let r = 0; r < nRows; r++) {
    const row = srcPtr + (<usize>(r * nFeatures) << 3);
    for (let t = 0; t < nFeatures; t++) {
      const s = columnSumsPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + load<f64>(row + (<usize>t << 3)) * scale);
    }
  }
  return -1;
}

/**
 * scanColumns over f32 rows already in place (a Float32Array input copied straight in), the sums in row order as
 * scanColumns adds them. IN xPtr (nRows × nFeatures f32); INOUT columnSumsPtr (nFeatures f64), maxAbsPtr (one f64).
 * Returns the flat index of the first value that is NaN or infinite, or −1.
 */
export function scanColumnsF32(xPtr: usize, nRows: i32, nFeatures: i32, scale: f64, columnSumsPtr: usize, maxAbsPtr: usize): i32 {
  const n = nRows * nFeatures;
  let maxAbs = load<f64>(maxAbsPtr);
  for (let i = 0; i < n; i++) {
    const v = Math.abs(<f64>load<f32>(xPtr + (<usize>i << 2)));
    if (!(v <= f64.MAX_VALUE)) return i;
    maxAbs = Math.max(maxAbs, v);
  }
  store<f64>(maxAbsPtr, maxAbs);
  for (let r = 0; r < nRows; r++) {
    const row = xPtr + (<usize>(r * nFeatures) << 2);
    for (let t = 0; t < nFeatures; t++) {
      const s = columnSumsPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + <f64>load<f32>(row + (<usize>t << 2)) * scale);
    }
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
  for (let r = 0; r < nRows; r++) {
    const base = r * nFeatures;
    for (let t = 0; t < nFeatures; t++) {
      const v = load<f64>(srcPtr + (<usize>(base + t) << 3)) * scale - load<f64>(shiftPtr + (<usize>t << 3));
      store<f32>(dstPtr + (<usize>(base + t) << 2), <f32>v);
      const s = squaresPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + v * v);
    }
  }
}

/**
 * writeShiftedRows in place over f32 rows: f32(x · scale − shift), in f64; the same values.
 * INOUT xPtr (nRows × nFeatures f32), squaresPtr (nFeatures f64); IN shiftPtr (nFeatures f64).
 */
export function shiftRowsF32(xPtr: usize, nRows: i32, nFeatures: i32, scale: f64, shiftPtr: usize, squaresPtr: usize): void {
  for (let r = 0; r < nRows; r++) {
    const base = r * nFeatures;
    for (let t = 0; t < nFeatures; t++) {
      const at = xPtr + (<usize>(base + t) << 2);
      const v = <f64>load<f32>(at) * scale - load<f64>(shiftPtr + (<usize>t << 3));
      store<f32>(at, <f32>v);
      const s = squaresPtr + (<usize>t << 3);
      store<f64>(s, load<f64>(s) + v * v);
    }
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
