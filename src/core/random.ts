// Mersenne Twister MT19937 with numpy's legacy `RandomState` draws, so that `randomState: s` makes the same
// draws as scikit-learn's `random_state=s`: same seeding, same k-means++ candidates, same permutations.
// Integer arithmetic only (Math.imul and >>> 0), so results are identical on every platform.
import { WasmeansError, describe } from './errors';

const N = 624;
const M = 397;

/**
 * The generator and the integer draws k-means makes (seeding, subsamples, permutations); `RandomState` adds the
 * continuous draws. Kept apart so that an app that only clusters does not carry those.
 */
export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** Seeds as numpy's `RandomState(seed)` (init_genrand); seed is an integer in [0, 2³² − 1]. */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** Re-seeds in place, as numpy's `rng.seed(seed)`: the stream restarts. */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new WasmeansError('INVALID_PARAMETER', `randomState must be an integer in [0, 4294967295], got ${describe(seed)}`);
    }
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  /** A random seed when the caller gave none. */
  static fromOptional(seed: number | undefined): Mt19937 {
    return new Mt19937(randomSeed(seed));
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** The next 32-bit output. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: numpy's `random_sample()`. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer in [0, max] by masked rejection: numpy's legacy bounded draw for ranges below 2³². */
  protected interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** numpy's `randint(high)`: an integer in [0, high), for 0 < high ≤ 2³² (unchecked: k-means' own draws). */
  randint(high: number): number {
    return this.interval(high - 1);
  }

  /** numpy's `randint(high, size=count)`: `count` draws in [0, high). */
  randints(high: number, count: number): Int32Array {
    checkCount(count, 'count');
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = this.randint(high);
    return out;
  }

  /** numpy's `permutation(n)`: Fisher–Yates from the end, as its legacy `shuffle`. */
  permutation(n: number): Int32Array {
    checkCount(n, 'n');
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }

  /**
   * numpy's `choice(n, size, replace=False, p)`: draws against the cumulative weights, discarding repeats
   * and zeroing chosen weights, in rounds exactly as numpy does.
   */
  choiceWithoutReplacement(p: Float64Array, size: number): Int32Array {
    const weights = Float64Array.from(p);
    const found = new Int32Array(size);
    let nFound = 0;
    const cdf = new Float64Array(weights.length);
    while (nFound < size) {
      const draws = new Float64Array(size - nFound);
      for (let i = 0; i < draws.length; i++) draws[i] = this.randomSample();
      for (let i = 0; i < nFound; i++) weights[found[i]] = 0;
      cumulativeSum(weights, cdf);
      const total = cdf[cdf.length - 1];
      for (let i = 0; i < cdf.length; i++) cdf[i] /= total;
      // Keep the first occurrence of each new index, in draw order.
      const seen = new Set<number>();
      for (let i = 0; i < draws.length; i++) {
        const index = searchSorted(cdf, draws[i], 'right');
        if (!seen.has(index)) {
          seen.add(index);
          found[nFound++] = index;
        }
      }
    }
    return found;
  }

  /** numpy's `choice(n, p=p)` with replacement, one draw. */
  choice(p: Float64Array): number {
    const cdf = cumulativeSum(p, new Float64Array(p.length));
    const total = cdf[cdf.length - 1];
    for (let i = 0; i < cdf.length; i++) cdf[i] /= total;
    return searchSorted(cdf, this.randomSample(), 'right');
  }
}

/** numpy's legacy `RandomState`: the integer draws, and uniform and normal ones. */
export class RandomState extends Mt19937 {
  /** The second value of the last polar Box–Muller pair, kept for the next `normal` (numpy's has_gauss/gauss). */
  private hasGauss = false;
  private gauss = 0;

  /** numpy's `randint(high)`, an integer in [0, high), or `randint(low, high)`, one in [low, high). */
  override randint(low: number, high?: number): number {
    const [lo, hi] = high === undefined ? [0, low] : [low, high];
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi <= lo || hi - lo > 0x100000000) {
      throw new WasmeansError('INVALID_PARAMETER', `randint needs integers low < high with high - low <= 2**32, got low=${describe(lo)}, high=${describe(hi)}`);
    }
    return lo + this.interval(hi - lo - 1);
  }

  /** Re-seeds in place, as numpy's `rng.seed(seed)`: the stream restarts and a kept normal is dropped. */
  override seed(seed: number): void {
    super.seed(seed);
    this.hasGauss = false;
    this.gauss = 0;
  }

  /** A random seed when the caller gave none. */
  static override fromOptional(seed: number | undefined): RandomState {
    return new RandomState(randomSeed(seed));
  }

  /** numpy's legacy `uniform(low, high)`: low + (high − low) · random_sample(). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.randomSample();
  }

  /** numpy's legacy `normal(loc, scale)`: loc + scale · a standard normal from the polar Box–Muller method. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.standardNormal();
  }

  /**
   * numpy's `legacy_gauss`: draws pairs (x1, x2) uniform in the unit disc, returns f·x2 and keeps f·x1 for the
   * next call, so the stream of normals and of other draws interleaves exactly as in numpy.
   */
  private standardNormal(): number {
    if (this.hasGauss) {
      this.hasGauss = false;
      return this.gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    this.hasGauss = true;
    return f * x2;
  }

  /** numpy's `rand(size)`: `size` doubles uniform in [0, 1). */
  rand(size: number): Float64Array {
    checkCount(size, 'size');
    return Float64Array.from({ length: size }, () => this.randomSample());
  }

  /** numpy's `randn(size)`: `size` standard normals, from the same polar Box–Muller stream as `normal`. */
  randn(size: number): Float64Array {
    checkCount(size, 'size');
    return Float64Array.from({ length: size }, () => this.standardNormal());
  }

}

function randomSeed(seed: number | undefined): number {
  return seed ?? Math.floor(Math.random() * 0x100000000);
}

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new WasmeansError('INVALID_PARAMETER', `${name} must be an integer >= 0, got ${describe(value)}`);
}

/** Running sum in float64, left to right (numpy's `cumsum`). */
export function cumulativeSum(values: ArrayLike<number>, out: Float64Array): Float64Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    out[i] = sum;
  }
  return out;
}

/** numpy's `searchsorted`: 'left' gives the first i with a[i] >= v, 'right' the first with a[i] > v. */
export function searchSorted(sorted: Float64Array, value: number, side: 'left' | 'right'): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side === 'left' ? sorted[mid] < value : sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
