// The spectral embedding's hot loops: the sparse matrix–vector product and the Gram–Schmidt sweeps of the
// eigensolver's basis, all f64. Basis vectors are stored one after another (vector c at vPtr + c·n·8), so each
// sweep streams the basis once; f64x2 lanes, with the odd last element done alone.

/** Σ_e values[e]·x[indices[e]] over the entries [start, end) of a CSR row. */
// @ts-ignore: decorator
@inline
export function rowDot(indicesPtr: usize, valuesPtr: usize, start: i32, end: i32, xPtr: usize): f64 {
  let sum0: f64 = 0;
  let sum1: f64 = 0;
  let e = start;
  // Two independent sums hide the gather latency.
  for (; e + 1 < end; e += 2) {
    sum0 += load<f64>(valuesPtr + (<usize>e << 3)) * load<f64>(xPtr + (<usize>load<i32>(indicesPtr + (<usize>e << 2)) << 3));
    sum1 += load<f64>(valuesPtr + (<usize>(e + 1) << 3)) * load<f64>(xPtr + (<usize>load<i32>(indicesPtr + (<usize>(e + 1) << 2)) << 3));
  }
  if (e < end) sum0 += load<f64>(valuesPtr + (<usize>e << 3)) * load<f64>(xPtr + (<usize>load<i32>(indicesPtr + (<usize>e << 2)) << 3));
  return sum0 + sum1;
}

/**
 * y = A·x for a CSR matrix with f64 values.
 * IN indptrPtr (nRows + 1 i32), indicesPtr/valuesPtr (nnz i32 / f64), xPtr (f64); OUT yPtr (nRows f64).
 */
export function csrMatvec(indptrPtr: usize, indicesPtr: usize, valuesPtr: usize, nRows: i32, xPtr: usize, yPtr: usize): void {
  let start = load<i32>(indptrPtr);
  for (let i = 0; i < nRows; i++) {
    const end = load<i32>(indptrPtr + (<usize>(i + 1) << 2));
    store<f64>(yPtr + (<usize>i << 3), rowDot(indicesPtr, valuesPtr, start, end, xPtr));
    start = end;
  }
}

// @ts-ignore: decorator
@inline
function laneSum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** h[c] = ⟨V[c], w⟩ for c < count. IN vPtr (count vectors of n f64), wPtr (n f64); OUT hPtr (count f64). */
export function dotColumns(vPtr: usize, n: i32, count: i32, wPtr: usize, hPtr: usize): void {
  const bytes = <usize>n << 3;
  let c = 0;
  // Two basis vectors per pass: each load of w serves both.
  for (; c + 1 < count; c += 2) {
    const v0 = vPtr + <usize>c * bytes;
    const v1 = v0 + bytes;
    let acc0 = f64x2.splat(0);
    let acc1 = f64x2.splat(0);
    let t: usize = 0;
    for (; t + 16 <= bytes; t += 16) {
      const w = v128.load(wPtr + t);
      acc0 = f64x2.add(acc0, f64x2.mul(v128.load(v0 + t), w));
      acc1 = f64x2.add(acc1, f64x2.mul(v128.load(v1 + t), w));
    }
    let h0 = laneSum(acc0);
    let h1 = laneSum(acc1);
    if (t < bytes) {
      const w = load<f64>(wPtr + t);
      h0 += load<f64>(v0 + t) * w;
      h1 += load<f64>(v1 + t) * w;
    }
    store<f64>(hPtr + (<usize>c << 3), h0);
    store<f64>(hPtr + (<usize>(c + 1) << 3), h1);
  }
  if (c < count) {
    const v0 = vPtr + <usize>c * bytes;
    let acc0 = f64x2.splat(0);
    let t: usize = 0;
    for (; t + 16 <= bytes; t += 16) acc0 = f64x2.add(acc0, f64x2.mul(v128.load(v0 + t), v128.load(wPtr + t)));
    let h0 = laneSum(acc0);
    if (t < bytes) h0 += load<f64>(v0 + t) * load<f64>(wPtr + t);
    store<f64>(hPtr + (<usize>c << 3), h0);
  }
}

/** w −= Σ_c h[c]·V[c] for c < count. IN vPtr, hPtr; INOUT wPtr. */
export function subtractColumns(vPtr: usize, n: i32, count: i32, hPtr: usize, wPtr: usize): void {
  const bytes = <usize>n << 3;
  let c = 0;
  // Two basis vectors per pass halve the traffic on w.
  for (; c + 1 < count; c += 2) {
    const v0 = vPtr + <usize>c * bytes;
    const v1 = v0 + bytes;
    const s0 = load<f64>(hPtr + (<usize>c << 3));
    const s1 = load<f64>(hPtr + (<usize>(c + 1) << 3));
    const h0 = f64x2.splat(s0);
    const h1 = f64x2.splat(s1);
    let t: usize = 0;
    for (; t + 16 <= bytes; t += 16) {
      const w = f64x2.sub(v128.load(wPtr + t), f64x2.mul(v128.load(v0 + t), h0));
      v128.store(wPtr + t, f64x2.sub(w, f64x2.mul(v128.load(v1 + t), h1)));
    }
    if (t < bytes) store<f64>(wPtr + t, load<f64>(wPtr + t) - load<f64>(v0 + t) * s0 - load<f64>(v1 + t) * s1);
  }
  if (c < count) {
    const v0 = vPtr + <usize>c * bytes;
    const s0 = load<f64>(hPtr + (<usize>c << 3));
    const h0 = f64x2.splat(s0);
    let t: usize = 0;
    for (; t + 16 <= bytes; t += 16) v128.store(wPtr + t, f64x2.sub(v128.load(wPtr + t), f64x2.mul(v128.load(v0 + t), h0)));
    if (t < bytes) store<f64>(wPtr + t, load<f64>(wPtr + t) - load<f64>(v0 + t) * s0);
  }
}

/**
 * out[c] = Σ_j V[j]·S[j, c] for c < nOut: the Ritz vectors of a restart.
 * IN vPtr (count vectors of n f64), sPtr (count × sCols f64, row-major); OUT outPtr (nOut vectors of n f64, not
 * overlapping V).
 */
export function combineColumns(vPtr: usize, n: i32, count: i32, sPtr: usize, sCols: i32, nOut: i32, outPtr: usize): void {
  const bytes = <usize>n << 3;
  memory.fill(outPtr, 0, <usize>nOut * bytes);
  for (let c = 0; c < nOut; c++) {
    const out = outPtr + <usize>c * bytes;
    for (let j = 0; j < count; j++) {
      const s = load<f64>(sPtr + (<usize>(j * sCols + c) << 3));
      const sv = f64x2.splat(s);
      const v = vPtr + <usize>j * bytes;
      let t: usize = 0;
      for (; t + 16 <= bytes; t += 16) v128.store(out + t, f64x2.add(v128.load(out + t), f64x2.mul(v128.load(v + t), sv)));
      if (t < bytes) store<f64>(out + t, load<f64>(out + t) + load<f64>(v + t) * s);
    }
  }
}
