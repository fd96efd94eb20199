// Order-independent sums of float64 values (after ReproBLAS's binned summation, simplified to a bound known in
// advance): each value |v| < 2^bound is cut at three fixed binades into slices, and each level's slices add exactly
// (they are multiples of the level's unit and at most 2^20 of them are added), so that the sum of a set of values is
// the same whatever their order or grouping. What is left below the third level (under 2^(bound − 96)) is dropped.

/** 1.5 · 2^e: adding and subtracting it rounds a value of magnitude ≤ 2^(e − 2) to a multiple of 2^(e − 52). */
// @ts-ignore: decorator
@inline
function splitter(e: i32): f64 {
  return 1.5 * reinterpret<f64>(<u64>(1023 + e) << 52);
}

/**
 * Adds n values into binned sums. IN srcPtr (n f64, each |v| < 2^bound); INOUT accPtr (3 · n f64: the n sums of
 * level 0, then level 1, then level 2).
 */
export function binnedAdd(srcPtr: usize, n: i32, bound: i32, accPtr: usize): void {
  const c0 = f64x2.splat(splitter(bound + 21));
  const c1 = f64x2.splat(splitter(bound - 11));
  const c2 = f64x2.splat(splitter(bound - 43));
  const level = <usize>n << 3;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 3;
    let v = v128.load(srcPtr + at);
    let q = f64x2.sub(f64x2.add(v, c0), c0);
    v128.store(accPtr + at, f64x2.add(v128.load(accPtr + at), q));
    v = f64x2.sub(v, q);
    q = f64x2.sub(f64x2.add(v, c1), c1);
    v128.store(accPtr + level + at, f64x2.add(v128.load(accPtr + level + at), q));
    v = f64x2.sub(v, q);
    q = f64x2.sub(f64x2.add(v, c2), c2);
    v128.store(accPtr + 2 * level + at, f64x2.add(v128.load(accPtr + 2 * level + at), q));
  }
  if (i < n) {
    const at = <usize>i << 3;
    let v = load<f64>(srcPtr + at);
    const s0 = splitter(bound + 21);
    const s1 = splitter(bound - 11);
    const s2 = splitter(bound - 43);
    let q = v + s0 - s0;
    store<f64>(accPtr + at, load<f64>(accPtr + at) + q);
    v -= q;
    q = v + s1 - s1;
    store<f64>(accPtr + level + at, load<f64>(accPtr + level + at) + q);
    v -= q;
    q = v + s2 - s2;
    store<f64>(accPtr + 2 * level + at, load<f64>(accPtr + 2 * level + at) + q);
  }
}
