// Clustering metrics that compare two labellings, as scikit-learn 1.2.1's sklearn/metrics/cluster/_supervised.py
// computes them, operation for operation: contingency cells in scipy's order, numpy's pairwise sums, the same
// special cases. Labels are any int32 values; only the partition they induce matters.
import type { Labels } from '../core/data';
import { classCounts, type Contingency, contingency, encodeLabels, type Encoded, numpySum, readLabelPair } from './labels';

const EPS = 2.220446049250313e-16;

function encodePair(labelsTrue: Labels, labelsPred: Labels): [Encoded, Encoded] {
  const [a, b] = readLabelPair(labelsTrue, 'labelsTrue', labelsPred, 'labelsPred');
  return [encodeLabels(a), encodeLabels(b)];
}

/** Σ values², exact: partial sums stay below 2⁵³ and are carried into a BigInt. */
function exactSumOfSquares(values: Float64Array): bigint {
  let total = 0n;
  let partial = 0;
  for (const v of values) {
    partial += v * v;
    if (partial > 2 ** 52) {
      total += BigInt(partial);
      partial = 0;
    }
  }
  return total + BigInt(partial);
}

/**
 * Adjusted Rand index: scikit-learn 1.2.1's formula on the pair confusion matrix, 2(tp·tn − fn·fp) /
 * ((tp + fn)(fn + tn) + (tp + fp)(fp + tn)), in exact integer arithmetic (the products pass 2⁵³ from n ≈ 10⁴),
 * rounded to float64 as Python does. 1.0 when fn = fp = 0 (identical partitions, or n ≤ 1).
 */
export function adjustedRandScore(labelsTrue: Labels, labelsPred: Labels): number {
  const [a, b] = encodePair(labelsTrue, labelsPred);
  const table = contingency(a, b);
  const n = BigInt(a.codes.length);
  const sumSquares = exactSumOfSquares(table.count);
  const tp = sumSquares - n;
  const fp = exactSumOfSquares(table.colSums) - sumSquares;
  const fn = exactSumOfSquares(table.rowSums) - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0n && fp === 0n) return 1.0;
  return (2.0 * Number(tp * tn - fn * fp)) / Number((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}

/** Entropy of a labelling in nats (scikit-learn's `entropy`): 1.0 for no samples, 0 for one class. */
function entropy(encoded: Encoded): number {
  if (encoded.codes.length === 0) return 1.0;
  const counts = classCounts(encoded);
  if (counts.length === 1) return 0.0;
  const total = numpySum(counts);
  const logTotal = Math.log(total);
  return -numpySum(counts.map((c) => (c / total) * (Math.log(c) - logTotal)));
}

/** Mutual information of the contingency table in nats (scikit-learn's `mutual_info_score`). */
function mutualInfo(table: Contingency): number {
  if (table.nRows === 1 || table.nCols === 1) return 0.0;
  const { row, col, count, rowSums, colSums } = table;
  const total = numpySum(count);
  const logTotal = Math.log(total);
  const logRows = Math.log(numpySum(rowSums));
  const logCols = Math.log(numpySum(colSums));
  const terms = new Float64Array(count.length);
  for (let c = 0; c < count.length; c++) {
    const p = count[c] / total;
    // rowSum · colSum ≤ n² is an exact integer in float64, as numpy's int64 product.
    const logOuter = -Math.log(rowSums[row[c]] * colSums[col[c]]) + logRows + logCols;
    const term = p * (Math.log(count[c]) - logTotal) + p * logOuter;
    terms[c] = Math.abs(term) < EPS ? 0.0 : term;
  }
  return Math.max(numpySum(terms), 0.0);
}

/** Both labellings have one class (or there are no samples): scikit-learn calls that a perfect match. */
function bothTrivial(a: Encoded, b: Encoded): boolean {
  const k = a.classes.length;
  return k === b.classes.length && (k === 1 || k === 0);
}

/**
 * Normalized mutual information with the arithmetic mean of the entropies (scikit-learn's default
 * average_method). 1.0 when both labellings have one class, 0.0 when the mutual information is 0.
 */
export function normalizedMutualInfoScore(labelsTrue: Labels, labelsPred: Labels): number {
  const [a, b] = encodePair(labelsTrue, labelsPred);
  if (bothTrivial(a, b)) return 1.0;
  const mi = mutualInfo(contingency(a, b));
  if (mi === 0) return 0.0;
  return mi / ((entropy(a) + entropy(b)) / 2);
}

const LOG_SQRT_2PI = 0.9189385332046727418;
/** Stirling's series coefficients for ln Γ(x), x ≥ 13 (cephes' `lgam`, which scipy's `gammaln` is). */
const STIRLING = [8.11614167470508450300e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4, -2.77777777730099687205e-3, 8.33333333333331927722e-2];
/** 0!, 1!, …, 12!: exact in float64. */
const SMALL_FACTORIALS = Array.from({ length: 13 }, (_, m) => Array.from({ length: m }, (_, i) => i + 1).reduce((p, v) => p * v, 1));

/**
 * ln(m!) = ln Γ(m + 1) for an integer m ≥ 0, to about 1e-16 relative: the logarithm of the exact factorial
 * up to 12!, then Stirling's series as cephes evaluates it.
 */
export function logFactorial(m: number): number {
  if (m < SMALL_FACTORIALS.length) return Math.log(SMALL_FACTORIALS[m]);
  const x = m + 1;
  const q = (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI;
  if (x > 1e8) return q;
  const p = 1 / (x * x);
  if (x >= 1000) return q + ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
  let poly = 0;
  for (const coefficient of STIRLING) poly = poly * p + coefficient;
  return q + poly / x;
}

/** Up to this many samples the expected mutual information looks every ln(m!) up in a table (32 MiB at most). */
const MAX_LOG_FACTORIAL_TABLE = 2 ** 22;

/**
 * Expected mutual information of two labellings under the permutation model, term for term as scikit-learn's
 * `_expected_mutual_info_fast.pyx`: a hypergeometric sum over every cell's possible counts, in log space.
 */
function expectedMutualInfo(table: Contingency, nSamples: number): number {
  const { rowSums: a, colSums: b } = table;
  if (a.length === 1 || b.length === 1) return 0.0;
  const N = nSamples;
  let maxCount = 0;
  for (const v of a) maxCount = Math.max(maxCount, v);
  for (const v of b) maxCount = Math.max(maxCount, v);
  const term1 = new Float64Array(maxCount + 1);
  const logNnij = new Float64Array(maxCount + 1);
  // ln(m!) for 0 ≤ m ≤ maxCount, or up to N when that table is small enough (entry 0 also stands for
  // scikit-learn's gln_nij[0] = ln(1!) = 0, never used): the same values as logFactorial, looked up.
  const tableSize = (N <= MAX_LOG_FACTORIAL_TABLE ? N : maxCount) + 1;
  const logFactorials = new Float64Array(tableSize);
  const logN = Math.log(N);
  for (let nij = 0; nij <= maxCount; nij++) {
    const v = nij === 0 ? 1 : nij; // scikit-learn's nijs[0] = 1, never used
    term1[nij] = v / N;
    logNnij[nij] = logN + Math.log(v);
    logFactorials[nij] = logFactorial(nij);
  }
  for (let m = maxCount + 1; m < tableSize; m++) logFactorials[m] = logFactorial(m);
  const logA = a.map(Math.log);
  const logB = b.map(Math.log);
  const glnA = a.map(logFactorial);
  const glnB = b.map(logFactorial);
  const glnNa = a.map((v) => logFactorial(N - v));
  const glnNb = b.map((v) => logFactorial(N - v));
  const glnN = logFactorial(N);
  let emi = 0.0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const start = Math.max(a[i] - N + b[j], 1);
      const end = Math.min(a[i], b[j]) + 1;
      for (let nij = start; nij < end; nij++) {
        const term2 = logNnij[nij] - logA[i] - logB[j];
        const rest = N - a[i] - b[j] + nij;
        const gln =
          glnA[i] + glnB[j] + glnNa[i] + glnNb[j] - glnN - logFactorials[nij] -
          logFactorials[a[i] - nij] - logFactorials[b[j] - nij] - (rest < tableSize ? logFactorials[rest] : logFactorial(rest));
        emi += term1[nij] * term2 * Math.exp(gln);
      }
    }
  }
  return emi;
}

/**
 * Adjusted mutual information with the arithmetic mean of the entropies (scikit-learn's default):
 * (MI − E[MI]) / (mean(H(a), H(b)) − E[MI]), the denominator kept at least machine epsilon away from 0 with
 * its sign. 1.0 when both labellings have one class.
 */
export function adjustedMutualInfoScore(labelsTrue: Labels, labelsPred: Labels): number {
  const [a, b] = encodePair(labelsTrue, labelsPred);
  if (bothTrivial(a, b)) return 1.0;
  const table = contingency(a, b);
  const mi = mutualInfo(table);
  const emi = expectedMutualInfo(table, a.codes.length);
  let denominator = (entropy(a) + entropy(b)) / 2 - emi;
  denominator = denominator < 0 ? Math.min(denominator, -EPS) : Math.max(denominator, EPS);
  return (mi - emi) / denominator;
}

export interface HomogeneityCompletenessVMeasure {
  /** Each cluster holds members of a single class: MI / H(labelsTrue), 1.0 when that entropy is 0. */
  homogeneity: number;
  /** All members of a class are in the same cluster: MI / H(labelsPred), 1.0 when that entropy is 0. */
  completeness: number;
  /** Their harmonic mean (beta = 1). */
  vMeasure: number;
}

/** Homogeneity, completeness and V-measure (beta = 1) at once, as scikit-learn; all 1.0 for no samples. */
export function homogeneityCompletenessVMeasure(labelsTrue: Labels, labelsPred: Labels): HomogeneityCompletenessVMeasure {
  const [a, b] = encodePair(labelsTrue, labelsPred);
  if (a.codes.length === 0) return { homogeneity: 1.0, completeness: 1.0, vMeasure: 1.0 };
  const entropyTrue = entropy(a);
  const entropyPred = entropy(b);
  const mi = mutualInfo(contingency(a, b));
  const homogeneity = entropyTrue ? mi / entropyTrue : 1.0;
  const completeness = entropyPred ? mi / entropyPred : 1.0;
  const vMeasure = homogeneity + completeness === 0.0 ? 0.0 : (2 * homogeneity * completeness) / (homogeneity + completeness);
  return { homogeneity, completeness, vMeasure };
}
