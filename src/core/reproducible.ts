// Sums that do not depend on the order or grouping of their terms, so that a fit split into chunks, threads, shards
// or machines adds up to the same bits whichever way its partial sums meet: binned sums (assembly/core/binned.ts),
// for terms with a bound every part of the fit knows in advance (from X's largest magnitude and the largest weight,
// which the ingest has): three fixed slices per term, each level summed exactly, what is below 2^(bound − 96)
// dropped. Column statistics, the E-step's per-cluster sums and weights, and inertia are all summed so.

/** Levels of a binned sum: its accumulator holds 3 · n float64 (level 0 of all n, then level 1, then level 2). */
export const BIN_LEVELS = 3;

/** The value of n binned sums: (level 0 + level 1) + level 2, in that order. */
export function binnedTotals(acc: Float64Array, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) out[i] = acc[i] + acc[n + i] + acc[2 * n + i];
  return out;
}

/** Adds one value (|v| < 2^bound) to binned sum i of n, as the binnedAdd kernel does. */
export function binnedAddOne(acc: Float64Array, n: number, i: number, v: number, bound: number): void {
  for (let level = 0; level < BIN_LEVELS; level++) {
    const splitter = 1.5 * 2 ** (bound + 21 - 32 * level);
    const q = v + splitter - splitter;
    acc[level * n + i] += q;
    v -= q;
  }
}

/** A b with |sum| < 2^b for any sum of `count` terms each of magnitude at most `termBound` (−960 for terms all 0). */
export function sumBound(termBound: number, count: number): number {
  return Math.max(-960, Math.ceil(Math.log2(termBound * count)) + 1);
}
