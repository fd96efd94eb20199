// exp, log and half-integer powers in f64 without lookup tables: AssemblyScript's Math.exp, Math.log and Math.pow
// carry about 9 KB of tables into the module that every KMeans user downloads. These are fdlibm's algorithms
// (e_exp.c, e_log.c: range reduction, then a rational or polynomial approximation), under 1 ulp of error.

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;

/** x · 2^n for integer n, one rounding (musl's scalbn). */
// @ts-ignore: decorator
@inline
function scale2(x: f64, n: i32): f64 {
  if (n > 1023) {
    x *= reinterpret<f64>(<u64>(1023 + 1023) << 52);
    n -= 1023;
    if (n > 1023) {
      x *= reinterpret<f64>(<u64>(1023 + 1023) << 52);
      n = min(n - 1023, 1023);
    }
  } else if (n < -1022) {
    // 2^−1022 · 2^53 = 2^−969 keeps x normal until the last step.
    x *= reinterpret<f64>(<u64>(1023 - 969) << 52);
    n += 969;
    if (n < -1022) {
      x *= reinterpret<f64>(<u64>(1023 - 969) << 52);
      n = max(n + 969, -1022);
    }
  }
  return x * reinterpret<f64>(<u64>(1023 + n) << 52);
}

/** e^x. */
export function exp(x: f64): f64 {
  if (isNaN(x)) return x;
  if (x > 709.782712893383973096) return Infinity;
  if (x < -745.13321910194110842) return 0;
  const k = <i32>Math.round(x * INV_LN2);
  const hi = x - <f64>k * LN2_HI;
  const lo = <f64>k * LN2_LO;
  const r = hi - lo;
  const rr = r * r;
  const c = r - rr * (1.66666666666666019037e-01 + rr * (-2.77777777770155933842e-03 + rr * (6.61375632143793436117e-05 +
    rr * (-1.65339022054652515390e-06 + rr * 4.13813679705723846039e-08))));
  const y = 1 + (r * c / (2 - c) - lo + hi);
  return scale2(y, k);
}

/** ln x. */
export function log(x: f64): f64 {
  if (!(x > 0)) return x == 0 ? -Infinity : NaN;
  if (x == Infinity) return x;
  let bits = reinterpret<u64>(x);
  let k: i32 = 0;
  if (bits < 0x0010000000000000) {
    // Subnormal: scale up by 2^54 first.
    x *= 18014398509481984.0;
    bits = reinterpret<u64>(x);
    k = -54;
  }
  let hx = <u32>(bits >> 32);
  k += <i32>(hx >> 20) - 1023;
  hx &= 0x000fffff;
  // Normalise x into [√2/2, √2).
  const i = (hx + 0x95f64) & 0x100000;
  const m = reinterpret<f64>((<u64>(hx | (i ^ 0x3ff00000)) << 32) | (bits & 0xffffffff));
  k += <i32>(i >> 20);
  const f = m - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
  const t2 = z * (6.666666666666735130e-01 + w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  return dk * LN2_HI - ((hfsq - (s * (hfsq + t2 + t1) + dk * LN2_LO)) - f);
}

/** x^(h / 2) for x > 0 and an integer h: repeated squaring, and a square root for odd h. */
export function halfPower(x: f64, h: i32): f64 {
  const negative = h < 0;
  let n = negative ? -h : h;
  let result: f64 = (n & 1) ? Math.sqrt(x) : 1;
  n >>= 1;
  let base = x;
  while (n > 0) {
    if (n & 1) result *= base;
    base *= base;
    n >>= 1;
  }
  return negative ? 1 / result : result;
}
