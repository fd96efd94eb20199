// Data on its way into wasm memory: checked, summed per column, centered and stored as f32 (src/runtime/ingest.ts
// drives these), and rows gathered by index for mini-batches and subsamples.

/**
 * Validation and column sums over a block of f64 rows.
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
 * scanColumns over f32 rows already in place (a Float32Array input copied straight in), the sums in row order as
 * scanColumns adds them. IN xPtr (nRows × nFeatures f32); INOUT columnSumsPtr (nFeatures f64).
 * Returns the flat index of the first value beyond ±maxAbs (or NaN), or −1.
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

/**
 * Writes a block of f64 rows, shifted, as f32: dst = f32(src − shift), the subtraction in f64 so that data far
 * from the origin keeps its precision.
 * IN srcPtr (nRows × nFeatures f64), shiftPtr (nFeatures f64); OUT dstPtr (nRows × nFeatures f32);
 * INOUT squaresPtr (nFeatures f64) gains Σ (src − shift)² per column.
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
 * writeShiftedRows in place over f32 rows: x − shift in f64, stored as f32; the same values.
 * INOUT xPtr (nRows × nFeatures f32), squaresPtr (nFeatures f64); IN shiftPtr (nFeatures f64).
 */
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
