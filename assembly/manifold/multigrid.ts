// The multigrid preconditioner's sweeps (src/manifold/amg.ts): Gauss–Seidel smoothing and the transfers between
// levels, f64 CSR as in krylov.ts.
import { rowDot } from './krylov';

/**
 * One Gauss–Seidel sweep on A·x = b, rows in order (forward) or in reverse: x_i += (b_i − (A·x)_i)/d_i, with the
 * entries of x already updated in this sweep (forward ≠ 0: rows in order); rows with d_i = 0 are left alone.
 * IN indptrPtr, indicesPtr, valuesPtr (as csrMatvec), diagPtr, bPtr (nRows f64); INOUT xPtr (nRows f64).
 */
export function csrGaussSeidel(
  indptrPtr: usize, indicesPtr: usize, valuesPtr: usize, diagPtr: usize, nRows: i32, bPtr: usize, xPtr: usize, forward: i32,
): void {
  for (let t = 0; t < nRows; t++) {
    const i = forward != 0 ? t : nRows - 1 - t;
    const d = load<f64>(diagPtr + (<usize>i << 3));
    if (d == 0) continue;
    const end = load<i32>(indptrPtr + (<usize>(i + 1) << 2));
    const sum = load<f64>(bPtr + (<usize>i << 3)) - rowDot(indicesPtr, valuesPtr, load<i32>(indptrPtr + (<usize>i << 2)), end, xPtr);
    const at = xPtr + (<usize>i << 3);
    store<f64>(at, load<f64>(at) + sum / d);
  }
}

/**
 * y += alpha·(A·x) for a CSR matrix with f64 values (A may be rectangular: a level transfer).
 * IN indptrPtr, indicesPtr, valuesPtr (as csrMatvec), xPtr (f64); INOUT yPtr (nRows f64).
 */
export function csrMultiplyAdd(indptrPtr: usize, indicesPtr: usize, valuesPtr: usize, nRows: i32, xPtr: usize, yPtr: usize, alpha: f64): void {
  let start = load<i32>(indptrPtr);
  for (let i = 0; i < nRows; i++) {
    const end = load<i32>(indptrPtr + (<usize>(i + 1) << 2));
    const at = yPtr + (<usize>i << 3);
    store<f64>(at, load<f64>(at) + alpha * rowDot(indicesPtr, valuesPtr, start, end, xPtr));
    start = end;
  }
}
