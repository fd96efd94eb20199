// The evaluation functions against scikit-learn 1.2.1 (test/fixtures/make_metric_fixtures.py), a naive
// silhouette, brute-force assignment, and properties that hold whatever the reference.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  accuracyScore, adjustedMutualInfoScore, adjustedRandScore, calinskiHarabaszScore, confusionMatrix, daviesBouldinScore,
  homogeneityCompletenessVMeasure, init, matchLabels, normalizedMutualInfoScore, pairwiseDistancesArgmin, silhouetteSamples,
  silhouetteScore,
} from '../../src/index';
import { logFactorial } from '../../src/metrics/supervised';
import { blobs, digits, expectWasmeansError, testRng, type Rows, fixture } from '../reference';

interface LabelCase {
  name: string;
  a: number[];
  b: number[];
  ari: number;
  nmi: number;
  ami: number;
  homogeneity: number;
  completeness: number;
  vMeasure: number;
  accuracy: number;
  confusion: { labels: number[]; data: number[] };
  mode: number[];
  hungarian: number[];
}
interface Formula {
  div: number;
  mul: number;
  add: number;
  mod: number;
}
interface GeometryCase {
  labels: number[];
  silhouetteSamples: number[];
  silhouetteScore: number;
  calinskiHarabasz: number;
  daviesBouldin: number;
}

const fx = fixture('sklearn-metrics.json');
const labelCases: LabelCase[] = fx.labels;

/**
 * |got − want| ≤ 1e-9·|want|, or ≤ 1e-13 when scikit-learn's own value is rounding noise around 0 (a score
 * whose exact value is 0, such as the AMI of singletons against anything, comes out as ±1e-14 there).
 */
function expectClose(got: number, want: number, what = '') {
  const tolerance = 1e-9 * Math.abs(want) + 1e-13;
  if (!(Math.abs(got - want) <= tolerance)) expect.fail(`${what}: got ${got}, scikit-learn ${want} (|diff| ${Math.abs(got - want)})`);
}

function expectAllClose(got: ArrayLike<number>, want: number[], what = '') {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expectClose(got[i], want[i], `${what}[${i}]`);
}

function formula(n: number, f: Formula): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (Math.floor(i / f.div) * f.mul + f.add) % f.mod);
}

/** A random bijection of label values onto other integers, negatives and large ones included. */
function rename(labels: ArrayLike<number>, seed: number): Int32Array {
  const rng = testRng(seed);
  const mapping = new Map<number, number>();
  const used = new Set<number>();
  return Int32Array.from(labels, (v) => {
    if (!mapping.has(v)) {
      let w: number;
      do w = rng.int(2000001) - 1000000;
      while (used.has(w));
      used.add(w);
      mapping.set(v, w);
    }
    return mapping.get(v) as number;
  });
}

/** The silhouette from its definition, pair by pair in float64. */
function naiveSilhouette(X: Rows, labels: ArrayLike<number>): number[] {
  const n = X.length;
  const values = [...new Set(Array.from(labels))];
  return X.map((x, i) => {
    const sums = new Map<number, { sum: number; count: number }>(values.map((v) => [v, { sum: 0, count: 0 }]));
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const entry = sums.get(labels[j]) as { sum: number; count: number };
      entry.sum += Math.sqrt(x.reduce((s, v, t) => s + (v - X[j][t]) ** 2, 0));
      entry.count++;
    }
    const own = sums.get(labels[i]) as { sum: number; count: number };
    if (own.count === 0) return 0;
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [v, { sum, count }] of sums) if (v !== labels[i]) b = Math.min(b, sum / count);
    return (b - a) / Math.max(a, b);
  });
}

/** Most agreeing samples any one-to-one map of clusters to target labels achieves, by enumeration. */
function bruteForceAgreement(clusters: number[], target: number[]): number {
  const cs = [...new Set(clusters)].sort((a, b) => a - b);
  const ts = [...new Set(target)].sort((a, b) => a - b);
  const counts = cs.map((c) => ts.map((t) => clusters.filter((v, i) => v === c && target[i] === t).length));
  let best = 0;
  const usedTargets = new Array<boolean>(ts.length).fill(false);
  const visit = (k: number, total: number) => {
    if (k === cs.length) {
      best = Math.max(best, total);
      return;
    }
    visit(k + 1, total); // cluster k unmatched (only optimal when clusters outnumber targets)
    for (let j = 0; j < ts.length; j++) {
      if (usedTargets[j]) continue;
      usedTargets[j] = true;
      visit(k + 1, total + counts[k][j]);
      usedTargets[j] = false;
    }
  };
  visit(0, 0);
  return best;
}

function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same;
}

beforeAll(() => init());

describe('label metrics ≡ scikit-learn 1.2.1', () => {
  for (const c of labelCases) {
    test(c.name, () => {
      expectClose(adjustedRandScore(c.a, c.b), c.ari, 'ARI');
      expectClose(normalizedMutualInfoScore(c.a, c.b), c.nmi, 'NMI');
      expectClose(adjustedMutualInfoScore(c.a, c.b), c.ami, 'AMI');
      const hcv = homogeneityCompletenessVMeasure(c.a, c.b);
      expectClose(hcv.homogeneity, c.homogeneity, 'homogeneity');
      expectClose(hcv.completeness, c.completeness, 'completeness');
      expectClose(hcv.vMeasure, c.vMeasure, 'vMeasure');
      expect(accuracyScore(c.a, c.b)).toBe(c.accuracy);
      const cm = confusionMatrix(c.a, c.b);
      expect(Array.from(cm.labels)).toEqual(c.confusion.labels);
      expect(Array.from(cm.data)).toEqual(c.confusion.data);
      expect(cm.rows).toBe(c.confusion.labels.length);
      expect(cm.cols).toBe(c.confusion.labels.length);
      expect(Array.from(matchLabels(c.b, c.a))).toEqual(c.mode);
      expect(Array.from(matchLabels(c.b, c.a, { method: 'hungarian' }))).toEqual(c.hungarian);
    });
  }

  for (const c of fx.large as { name: string; n: number; a: Formula; b: Formula; [k: string]: unknown }[]) {
    test(`${c.name} (products beyond 2^53)`, () => {
      const a = formula(c.n, c.a);
      const b = formula(c.n, c.b);
      expect(adjustedRandScore(a, b)).toBe(c.ari);
      expectClose(normalizedMutualInfoScore(a, b), c.nmi as number, 'NMI');
      expectClose(adjustedMutualInfoScore(a, b), c.ami as number, 'AMI');
      const hcv = homogeneityCompletenessVMeasure(a, b);
      expectClose(hcv.homogeneity, c.homogeneity as number, 'homogeneity');
      expectClose(hcv.completeness, c.completeness as number, 'completeness');
      expectClose(hcv.vMeasure, c.vMeasure as number, 'vMeasure');
    });
  }

  test('ARI is bit-identical to scikit-learn on every fixture (exact integers, one rounding)', () => {
    for (const c of labelCases) expect(adjustedRandScore(c.a, c.b)).toBe(c.ari);
  });

  test('empty labellings: 1.0 as scikit-learn; accuracy refuses', () => {
    expect(adjustedRandScore([], [])).toBe(1);
    expect(normalizedMutualInfoScore([], [])).toBe(1);
    expect(adjustedMutualInfoScore([], [])).toBe(1);
    expect(homogeneityCompletenessVMeasure([], [])).toEqual({ homogeneity: 1, completeness: 1, vMeasure: 1 });
    expect(confusionMatrix([], [])).toEqual({ data: new Int32Array(0), rows: 0, cols: 0, labels: new Int32Array(0), arrays: [] });
    expectWasmeansError(() => accuracyScore([], []), 'INVALID_INPUT', /empty/);
  });

  test("ln(m!) ≡ scipy's gammaln(m + 1) to 1e-15", () => {
    const { m, values } = fx.logFactorial as { m: number[]; values: number[] };
    m.forEach((v, i) => expect(Math.abs(logFactorial(v) - values[i])).toBeLessThanOrEqual(1e-15 * values[i]));
  });
});

describe('label metric properties', () => {
  const rng = testRng(11);
  const pairs = [10, 57, 400].map((n) => {
    const a = Array.from({ length: n }, () => rng.int(5));
    return { a, b: a.map((v) => (rng.uniform() < 0.3 ? rng.int(7) : v)) };
  });

  test('ARI, NMI and AMI are symmetric and invariant to renaming', () => {
    for (const { a, b } of pairs) {
      for (const score of [adjustedRandScore, normalizedMutualInfoScore, adjustedMutualInfoScore]) {
        const value = score(a, b);
        expect(score(b, a)).toBeCloseTo(value, 12);
        expect(score(rename(a, 1), rename(b, 2))).toBeCloseTo(value, 12);
      }
      const hcv = homogeneityCompletenessVMeasure(a, b);
      const swapped = homogeneityCompletenessVMeasure(b, a);
      expect(swapped.homogeneity).toBeCloseTo(hcv.completeness, 12);
      expect(swapped.vMeasure).toBeCloseTo(hcv.vMeasure, 12);
    }
  });

  test('identical partitions: ARI = 1, V = 1, NMI = 1, AMI = 1', () => {
    for (const { a } of pairs) {
      const renamed = rename(a, 3);
      expect(adjustedRandScore(a, renamed)).toBe(1);
      expect(homogeneityCompletenessVMeasure(a, renamed).vMeasure).toBeCloseTo(1, 14);
      expect(normalizedMutualInfoScore(a, renamed)).toBeCloseTo(1, 14);
      expect(adjustedMutualInfoScore(a, renamed)).toBeCloseTo(1, 14);
    }
  });

  test('the confusion matrix sums to n, its trace over n is the accuracy', () => {
    for (const { a, b } of pairs) {
      const cm = confusionMatrix(a, b);
      expect(cm.data.reduce((s, v) => s + v, 0)).toBe(a.length);
      let trace = 0;
      for (let i = 0; i < cm.rows; i++) trace += cm.data[i * cm.cols + i];
      expect(trace / a.length).toBe(accuracyScore(a, b));
    }
  });

  test("'hungarian' reaches the brute-force optimum over all one-to-one maps, one label per cluster", () => {
    const rng2 = testRng(5);
    for (let trial = 0; trial < 60; trial++) {
      const k = 1 + rng2.int(6);
      const m = 1 + rng2.int(6);
      const n = 1 + rng2.int(40);
      const clusters = Array.from({ length: n }, () => rng2.int(k) * 3 - 2);
      const target = Array.from({ length: n }, () => rng2.int(m) + 10);
      const matched = matchLabels(clusters, target, { method: 'hungarian' });
      expect(agreement(matched, target)).toBe(bruteForceAgreement(clusters, target));
      // One-to-one: distinct clusters never share a new label.
      const byCluster = new Map<number, number>();
      clusters.forEach((c, i) => byCluster.set(c, matched[i]));
      expect(new Set(byCluster.values()).size).toBe(byCluster.size);
    }
  });

  test("'hungarian': unmatched clusters take the smallest non-negative integers that are not target values", () => {
    const clusters = [7, 7, 8, 8, 9, 9, 4];
    const target = [0, 0, 2, 2, 2, 0, 2];
    // 7 → 0 (2 agree), 8 → 2 (2 agree); 4 and 9 are left: 4 takes 1, then 9 takes 3.
    expect(Array.from(matchLabels(clusters, target, { method: 'hungarian' }))).toEqual([0, 0, 2, 2, 3, 3, 1]);
  });

  test("'mode': each cluster takes its most common target label, the smallest on ties", () => {
    const clusters = [1, 1, 1, 1, 2, 2, 3];
    const target = [5, 4, 4, 5, -1, 9, 6];
    expect(Array.from(matchLabels(clusters, target))).toEqual([4, 4, 4, 4, -1, -1, 6]);
    expect(Array.from(matchLabels(clusters, target, { method: 'mode' }))).toEqual([4, 4, 4, 4, -1, -1, 6]);
  });
});

describe('silhouette, Calinski–Harabasz, Davies–Bouldin ≡ scikit-learn 1.2.1', () => {
  const digitsX = digits().X;
  const blobsX: Rows = fx.blobs.X;

  const geometry = (name: string, X: Rows, c: GeometryCase) =>
    test(name, () => {
      expectAllClose(silhouetteSamples(X, c.labels), c.silhouetteSamples, 'silhouetteSamples');
      expectClose(silhouetteScore(X, c.labels), c.silhouetteScore, 'silhouetteScore');
      expectClose(calinskiHarabaszScore(X, c.labels), c.calinskiHarabasz, 'calinskiHarabasz');
      expectClose(daviesBouldinScore(X, c.labels), c.daviesBouldin, 'daviesBouldin');
    });
  geometry('digits, the handbook KMeans labels', digitsX, fx.digits);
  geometry('blobs (3 features: the SIMD remainder)', blobsX, fx.blobs);
  geometry('blobs with a singleton and non-contiguous labels', blobsX, fx.blobs.singleton);

  test('digits silhouette on a sample of 300, randomState 0: the same rows as scikit-learn', () => {
    const { sampleSize, randomState, score } = fx.digits.silhouetteSampled;
    expectClose(silhouetteScore(digitsX, fx.digits.labels, { sampleSize, randomState }), score, 'sampled');
  });

  test('a Float32Array or Float64Array Matrix gives the same as number[][]', () => {
    const data = Float64Array.from(blobsX.flat());
    const m = { data, rows: blobsX.length, cols: 3 };
    expect(silhouetteSamples(m, fx.blobs.labels)).toEqual(silhouetteSamples(blobsX, fx.blobs.labels));
    const digits32 = { data: Float32Array.from(digitsX.flat()), rows: digitsX.length, cols: 64 };
    expectClose(calinskiHarabaszScore(digits32, fx.digits.labels), fx.digits.calinskiHarabasz);
  });
});

describe('silhouette kernel ≡ the naive definition', () => {
  const cases = [
    { name: '1 feature, odd n', n: 31, d: 1, k: 3 },
    { name: '5 features (odd d), 2 clusters', n: 64, d: 5, k: 2 },
    { name: '2 features, singletons', n: 20, d: 2, k: 19 },
    { name: 'several chunks (1000 clusters, 131 rows a chunk)', n: 1203, d: 3, k: 1000 },
  ];
  for (const { name, n, d, k } of cases) {
    test(name, () => {
      const { X } = blobs(n, d, Math.min(k, 5), n + d);
      const rng = testRng(n);
      const labels = X.map((_, i) => (i < k ? i : rng.int(k)));
      const got = silhouetteSamples(X, labels);
      const want = naiveSilhouette(X, labels);
      for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12);
    });
  }

  test('invariant to renaming the labels; values in [−1, 1]', () => {
    const X: Rows = fx.blobs.X;
    const base = silhouetteSamples(X, fx.blobs.labels);
    expect(silhouetteSamples(X, rename(fx.blobs.labels, 9))).toEqual(base);
    for (const v of base) expect(Math.abs(v)).toBeLessThanOrEqual(1);
  });

  test('sampleSize ≥ n scores every sample, after the permutation scikit-learn draws', () => {
    const X: Rows = fx.blobs.X;
    expectClose(silhouetteScore(X, fx.blobs.labels, { sampleSize: 10000, randomState: 3 }), fx.blobs.silhouetteScore);
  });
});

describe('pairwiseDistancesArgmin ≡ scikit-learn', () => {
  test('digits against the KMeans centers', () => {
    expect(Array.from(pairwiseDistancesArgmin(digits().X, fx.digits.centers))).toEqual(fx.digits.argminCenters);
  });
  test('blobs against every 7th row (exact ties to the lowest index)', () => {
    const X: Rows = fx.blobs.X;
    const Y = X.filter((_, i) => i % 7 === 0);
    expect(Array.from(pairwiseDistancesArgmin(X, Y))).toEqual(fx.blobs.argminRows);
    expect(Array.from(pairwiseDistancesArgmin(X, [...Y, ...Y]))).toEqual(fx.blobs.argminRows);
  });
});

describe('accuracy after matching, on the digits', () => {
  test("the handbook's mode relabelling of KMeans labels scores scikit-learn's accuracy", () => {
    const c = fx.digits.target as LabelCase;
    expect(accuracyScore(c.a, matchLabels(c.b, c.a))).toBe(agreement(c.mode, c.a) / c.a.length);
    expect(accuracyScore(c.a, matchLabels(c.b, c.a, { method: 'hungarian' }))).toBe(agreement(c.hungarian, c.a) / c.a.length);
  });
});

describe('validation', () => {
  const X = [[0, 0], [0, 1], [5, 5], [5, 6]];

  test('labellings of different lengths', () => {
    expectWasmeansError(() => adjustedRandScore([0, 1, 1], [0, 1]), 'INVALID_INPUT', /labelsTrue has length 3, but labelsPred has length 2/);
    expectWasmeansError(() => confusionMatrix([0], [0, 1]), 'INVALID_INPUT', /yTrue has length 1, but yPred has length 2/);
    expectWasmeansError(() => matchLabels([0, 1], [0]), 'INVALID_INPUT', /clusters has length 2, but target has length 1/);
  });

  test('labels that are not int32 integers', () => {
    expectWasmeansError(() => normalizedMutualInfoScore([0, 1.5], [0, 1]), 'INVALID_INPUT', /labelsTrue\[1\] is 1\.5/);
    expectWasmeansError(() => adjustedMutualInfoScore([0, 1], [0, NaN]), 'INVALID_INPUT', /labelsPred\[1\] is NaN/);
    // @ts-expect-error: strings are not labels
    expectWasmeansError(() => accuracyScore(['0', '1'], [0, 1]), 'INVALID_INPUT', /yTrue\[0\] is "0"/);
    expectWasmeansError(() => homogeneityCompletenessVMeasure([2 ** 31, 0], [0, 1]), 'INVALID_INPUT', /labelsTrue\[0\] is 2147483648/);
    // @ts-expect-error: not an array
    expectWasmeansError(() => adjustedRandScore(3, [0]), 'INVALID_INPUT', /labelsTrue must be an array of integers, got 3/);
  });

  test('NaN or infinity in X, X rows ≠ labels', () => {
    expectWasmeansError(() => silhouetteScore([[0, 0], [0, NaN], [1, 1]], [0, 1, 1]), 'INVALID_INPUT', /X contains NaN at row 1, column 1/);
    expectWasmeansError(() => calinskiHarabaszScore([[0, 0], [Infinity, 0], [1, 1]], [0, 1, 1]), 'INVALID_INPUT', /Infinity at row 1, column 0/);
    expectWasmeansError(() => daviesBouldinScore(X, [0, 1, 1]), 'INVALID_INPUT', /labels has length 3, but X has 4 rows/);
    expectWasmeansError(() => silhouetteSamples(X, [0, 1, 1, 0.5]), 'INVALID_INPUT', /labels\[3\] is 0\.5/);
    expectWasmeansError(() => pairwiseDistancesArgmin([[NaN, 0]], [[0, 0]]), 'INVALID_INPUT', /X contains NaN at row 0, column 0/);
    expectWasmeansError(() => pairwiseDistancesArgmin([[0, 0]], [[0, 0, 0]]), 'INVALID_INPUT', /Y has 3 features, but X has 2/);
    expectWasmeansError(() => pairwiseDistancesArgmin([[0, 0]], [[0, NaN]]), 'INVALID_INPUT', /Y contains NaN at row 0, column 1/);
  });

  test('the number of clusters must be 2 to n − 1', () => {
    for (const score of [silhouetteScore, silhouetteSamples, calinskiHarabaszScore, daviesBouldinScore]) {
      expectWasmeansError(() => score(X, [3, 3, 3, 3]), 'INVALID_INPUT', /number of labels is 1; valid values are 2 to nSamples − 1 = 3/);
      expectWasmeansError(() => score(X, [0, 1, 2, 3]), 'INVALID_INPUT', /number of labels is 4/);
    }
  });

  test('options', () => {
    expectWasmeansError(() => silhouetteScore(X, [0, 0, 1, 1], { sampleSize: 0 }), 'INVALID_PARAMETER', /sampleSize must be an integer >= 1, got 0/);
    expectWasmeansError(() => silhouetteScore(X, [0, 0, 1, 1], { sampleSize: 3, randomState: -1 }), 'INVALID_PARAMETER', /randomState/);
    // @ts-expect-error: not a method
    expectWasmeansError(() => matchLabels([0], [0], { method: 'greedy' }), 'INVALID_PARAMETER', /method must be 'mode' or 'hungarian', got "greedy"/);
  });

  test('inputs are never mutated', () => {
    const labels = new Int32Array([5, 5, -1, -1]);
    const target = [1, 1, 0, 0];
    silhouetteSamples(X, labels);
    matchLabels(labels, target, { method: 'hungarian' });
    adjustedMutualInfoScore(labels, target);
    expect(Array.from(labels)).toEqual([5, 5, -1, -1]);
    expect(target).toEqual([1, 1, 0, 0]);
    expect(X).toEqual([[0, 0], [0, 1], [5, 5], [5, 6]]);
  });
});
