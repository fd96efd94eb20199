// Clustering metrics on the data itself, as scikit-learn 1.2.1's sklearn/metrics/cluster/_unsupervised.py: the
// silhouette (its O(n²·d) distance sums in wasm, float64), Calinski–Harabasz and Davies–Bouldin.
import { allocate, f64View, i32View } from '../runtime/arena';
import { WasmeansError } from '../core/errors';
import { badValue, copyRows, type DataInput, type Labels, readData } from '../core/data';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { RandomState } from '../core/random';
import { powerOfTwoScale } from '../runtime/ingest';
import { graphKernels } from '../runtime/graph';
import { classCounts, encodeLabels, type Encoded, numpySum, readLabels } from './labels';

/** X as a float64 row-major copy with its labels encoded, both validated (scikit-learn's `check_X_y`). */
interface Clustered {
  readonly x: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Encoded;
}

/**
 * X as float64, scaled by the power of two that brings its largest magnitude into [1, 2): the metrics here are ratios
 * of distances (the silhouette, Davies–Bouldin) or of squared ones (Calinski–Harabasz), so that a power of two
 * changes none of them, while sums of squares can then neither overflow nor underflow.
 */
function readFeatures(x: DataInput): { x: Float64Array; rows: number; cols: number } {
  const data = readData(x);
  const { rows, cols } = data;
  const values = new Float64Array(rows * cols);
  copyRows(data, 0, rows, values);
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw badValue('X', values[i], Math.floor(i / cols), i % cols);
    largest = Math.max(largest, Math.abs(values[i]));
  }
  const scale = powerOfTwoScale(largest);
  if (scale !== 1) for (let i = 0; i < values.length; i++) values[i] *= scale;
  return { x: values, rows, cols };
}

function readClustered(x: DataInput, labels: Labels): Clustered {
  const features = readFeatures(x);
  const values = readLabels(labels, 'labels');
  if (values.length !== features.rows) {
    throw new WasmeansError('INVALID_INPUT', `labels has length ${values.length}, but X has ${features.rows} rows`);
  }
  return { ...features, labels: encodeLabels(values) };
}

/** scikit-learn's `check_number_of_labels`: 2 ≤ clusters ≤ n − 1. */
function checkNumberOfLabels(nLabels: number, nSamples: number): void {
  if (!(nLabels > 1 && nLabels < nSamples)) {
    throw new WasmeansError(
      'INVALID_INPUT',
      `number of labels is ${nLabels}; valid values are 2 to nSamples − 1 = ${nSamples - 1} (inclusive)`,
    );
  }
}

/** Rows per kernel call: the per-cluster sums of a chunk take about 1 MiB. */
function chunkRows(nLabels: number): number {
  return Math.max(1, Math.floor(2 ** 17 / nLabels));
}

function silhouetteOf({ x, rows: n, cols: d, labels }: Clustered): Float64Array {
  const nLabels = labels.classes.length;
  checkNumberOfLabels(nLabels, n);
  const kernels = graphKernels();
  const chunk = Math.min(n, chunkRows(nLabels));
  const ptr = allocate(kernels, { x: n * d * 8, labels: n * 4, sums: chunk * nLabels * 8 }, `silhouette of ${n}×${d} with ${nLabels} clusters`, 'score a sample of the rows (silhouetteScore\'s sampleSize)');
  f64View(kernels, ptr.x, n * d).set(x);
  i32View(kernels, ptr.labels, n).set(labels.codes);
  const freqs = classCounts(labels);
  const out = new Float64Array(n);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    kernels.clusterDistanceSums(ptr.x, n, d, ptr.labels, nLabels, start, end, ptr.sums);
    const sums = f64View(kernels, ptr.sums, (end - start) * nLabels);
    for (let i = start; i < end; i++) {
      const own = labels.codes[i];
      const base = (i - start) * nLabels;
      // a: mean distance to the rest of its cluster (0/0 = NaN for a singleton); b: nearest other cluster's mean.
      const intra = sums[base + own] / (freqs[own] - 1);
      let inter = Infinity;
      for (let l = 0; l < nLabels; l++) if (l !== own) inter = Math.min(inter, sums[base + l] / freqs[l]);
      const s = (inter - intra) / Math.max(intra, inter);
      out[i] = Number.isNaN(s) ? 0 : s;
    }
  }
  return out;
}

/**
 * Silhouette coefficient of every sample, (b − a) / max(a, b) with a the mean Euclidean distance to the other
 * members of its cluster and b the mean distance to the nearest other cluster; 0 for members of singleton
 * clusters, as scikit-learn. Distances in float64. Throws INVALID_INPUT unless 2 ≤ distinct labels ≤ n − 1.
 */
export function silhouetteSamples(x: DataInput, labels: Labels): Float64Array {
  return silhouetteOf(readClustered(x, labels));
}

export function silhouetteScoreParams() {
  return {
    /** Score a random subset of this many samples (all of them when at least n), drawn as scikit-learn does. @default all samples */
    sampleSize: { kind: 'integer', min: 1 },
    /** Seed for the subset (numpy-compatible: `randomState: s` picks scikit-learn's `random_state=s` rows). @default random */
    randomState: { kind: 'seed' },
  } as const satisfies ParamSpecs;
}
export type SilhouetteScoreOptions = OptionsOf<ReturnType<typeof silhouetteScoreParams>>;

/**
 * Mean silhouette coefficient. With `sampleSize`, over the samples `RandomState(randomState).permutation(n)`
 * lists first, exactly scikit-learn's subset for the same seed.
 */
export function silhouetteScore(x: DataInput, labels: Labels, options?: SilhouetteScoreOptions): number {
  const { sampleSize, randomState } = resolveParams(silhouetteScoreParams(), options, 'silhouetteScore');
  const clustered = readClustered(x, labels);
  if (sampleSize === undefined) return numpySum(silhouetteOf(clustered)) / clustered.rows;
  const { x: values, cols } = clustered;
  const indices = RandomState.fromOptional(randomState).permutation(clustered.rows).slice(0, sampleSize);
  const subset = new Float64Array(indices.length * cols);
  indices.forEach((row, i) => subset.set(values.subarray(row * cols, (row + 1) * cols), i * cols));
  const subsetLabels = Int32Array.from(indices, (row) => clustered.labels.classes[clustered.labels.codes[row]]);
  const scores = silhouetteOf({ x: subset, rows: indices.length, cols, labels: encodeLabels(subsetLabels) });
  return numpySum(scores) / indices.length;
}

/** X and labels validated for CH and DB, with the cluster count checked and per-cluster means (k × d) and sizes. */
function withClusterMeans(x: DataInput, labels: Labels) {
  const { x: values, rows: n, cols: d, labels: encoded } = readClustered(x, labels);
  const { codes, classes } = encoded;
  const nLabels = classes.length;
  checkNumberOfLabels(nLabels, n);
  const sizes = classCounts(encoded);
  const means = new Float64Array(nLabels * d);
  for (let i = 0; i < n; i++) {
    const base = codes[i] * d;
    for (let t = 0; t < d; t++) means[base + t] += values[i * d + t];
  }
  for (let k = 0; k < nLabels; k++) for (let t = 0; t < d; t++) means[k * d + t] /= sizes[k];
  return { values, n, d, codes, nLabels, means, sizes };
}

/**
 * Calinski–Harabasz score (variance ratio criterion): between-cluster over within-cluster dispersion, scaled by
 * (n − k) / (k − 1); 1.0 when every cluster is a single point repeated, as scikit-learn.
 */
export function calinskiHarabaszScore(x: DataInput, labels: Labels): number {
  const { values, n, d, codes, nLabels, means, sizes } = withClusterMeans(x, labels);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) mean[t] += values[i * d + t];
  for (let t = 0; t < d; t++) mean[t] /= n;
  let extra = 0;
  for (let k = 0; k < nLabels; k++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += (means[k * d + t] - mean[t]) ** 2;
    extra += sizes[k] * s;
  }
  let intra = 0;
  for (let i = 0; i < n; i++) {
    const base = codes[i] * d;
    for (let t = 0; t < d; t++) intra += (values[i * d + t] - means[base + t]) ** 2;
  }
  return intra === 0 ? 1.0 : (extra * (n - nLabels)) / (intra * (nLabels - 1));
}

function euclidean(a: Float64Array, aStart: number, b: Float64Array, bStart: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) s += (a[aStart + t] - b[bStart + t]) ** 2;
  return Math.sqrt(s);
}

/** numpy's `allclose(values, 0)`: every |v| ≤ 1e-8. */
function allNearZero(values: Float64Array): boolean {
  return values.every((v) => Math.abs(v) <= 1e-8);
}

/**
 * Davies–Bouldin score: the mean over clusters of the largest (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖, with s the mean distance
 * of a cluster's members to its centroid; 0.0 when all those dispersions or all centroid distances are ~0.
 * Clusters with coincident centroids are skipped as pairs, as scikit-learn does.
 */
export function daviesBouldinScore(x: DataInput, labels: Labels): number {
  const { values, n, d, codes, nLabels, means, sizes } = withClusterMeans(x, labels);
  const intraDists = new Float64Array(nLabels);
  for (let i = 0; i < n; i++) intraDists[codes[i]] += euclidean(values, i * d, means, codes[i] * d, d);
  for (let k = 0; k < nLabels; k++) intraDists[k] /= sizes[k];
  const centroidDistances = new Float64Array(nLabels * nLabels);
  for (let i = 0; i < nLabels; i++) for (let j = 0; j < nLabels; j++) centroidDistances[i * nLabels + j] = euclidean(means, i * d, means, j * d, d);
  if (allNearZero(intraDists) || allNearZero(centroidDistances)) return 0.0;
  const scores = new Float64Array(nLabels);
  for (let i = 0; i < nLabels; i++) {
    let worst = -Infinity;
    for (let j = 0; j < nLabels; j++) {
      const distance = centroidDistances[i * nLabels + j];
      worst = Math.max(worst, (intraDists[i] + intraDists[j]) / (distance === 0 ? Infinity : distance));
    }
    scores[i] = worst;
  }
  return numpySum(scores) / nLabels;
}
