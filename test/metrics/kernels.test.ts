// The silhouette's kernel (assembly/metrics/silhouette.ts) against a naive float64 loop.
import { describe, expect, test } from 'vitest';
import { f64, inWasm, kernels, useKernels } from '../kernels';
import { testRng } from '../reference';

useKernels();

describe('clusterDistanceSums', () => {
  for (const [n, d, nLabels] of [[1, 1, 1], [7, 3, 2], [12, 4, 3], [25, 9, 4]]) {
    test(`n=${n} d=${d}, ${nLabels} labels: each row's summed distances to every cluster, over two row ranges`, () => {
      const rng = testRng(n * d);
      const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
      const labels = Int32Array.from({ length: n }, (_, i) => i % nLabels);
      const split = Math.floor(n / 2);
      const ptr = inWasm({ x: Float64Array.from(X.flat()), labels, first: split * nLabels * 8, second: (n - split) * nLabels * 8 });
      kernels.clusterDistanceSums(ptr.x, n, d, ptr.labels, nLabels, 0, split, ptr.first);
      kernels.clusterDistanceSums(ptr.x, n, d, ptr.labels, nLabels, split, n, ptr.second);
      const got = [...f64(ptr.first, split * nLabels), ...f64(ptr.second, (n - split) * nLabels)];
      const expected = X.flatMap((x) => {
        const sums = new Array(nLabels).fill(0);
        X.forEach((y, j) => (sums[labels[j]] += Math.sqrt(x.reduce((s, v, t) => s + (v - y[t]) ** 2, 0))));
        return sums;
      });
      got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    });
  }
});
