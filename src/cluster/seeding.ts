// Initial centers: greedy k-means++ and random rows, drawing from numpy's legacy Mt19937 stream as
// scikit-learn does, so that the same seed picks the same rows.
import { checkEnoughSamples, type DataInput, matrix, type Matrix64, readData, readSampleWeight, rowsOf } from '../core/data';
import { WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs, resolveParams } from '../core/params';
import { Mt19937, searchSorted } from '../core/random';
import { CLUSTER_ARGS_BYTES, writeClusterArgs } from '../generated/kernels';
import { allocate, f32View, f64View, i32View } from '../runtime/arena';
import { type MapChunks, mapChunks } from '../runtime/chunks';
import { getKernels } from '../runtime/module';
import { CENTER_MODEL_PARAMS, fitParams, N_CLUSTERS } from './center-model';
import { BLOCK, chunksOf, gatherInto, MAX_LOCAL_TRIALS, prepareWorkspace, refuseTooLarge, regionsFor, shrinkWorkspace, subsetWorkspace, type Workspace } from './workspace';

/** True when every weight is the same: then draws follow scikit-learn 1.2's unweighted stream. */
export function uniformWeights(weights: Float64Array): boolean {
  for (let i = 1; i < weights.length; i++) if (weights[i] !== weights[0]) return false;
  return true;
}

export function defaultLocalTrials(nClusters: number): number {
  return 2 + Math.floor(Math.log(nClusters));
}

/**
 * Each step's candidate distances in two alternating sets (a step reads the previous step's chosen column while it
 * writes its own), the closest distances (f32), each chunk's candidate potentials, and the first center's row.
 */
function plusPlusScratch(ws: Workspace, trials: number) {
  const { nSamples, nFeatures, chunkRows } = ws;
  const nChunks = Math.ceil(nSamples / chunkRows);
  return regionsFor(
    ws, `k-means++ ${trials}`,
    {
      distances: 2 * trials * nSamples * 4, closest: nSamples * 4, chunkPotentials: nChunks * trials * 8, firstCandidate: 4,
    },
    `k-means++ seeding on ${nSamples}×${nFeatures}`,
  );
}

/**
 * Greedy k-means++ (scikit-learn's `_kmeans_plusplus`): each new center is the best of `nLocalTrials`
 * candidates drawn with probability ∝ weight · squared distance to the closest chosen center, best meaning the
 * lowest resulting potential. The first center is uniform over rows (weighted when weights differ).
 * Each step is one pass over the rows by the E-step's fixed chunks (ws.chunkRows): the closest distances take the
 * previous step's center, then the candidates are scored. Potentials are summed per chunk and the chunks added in
 * chunk order, so that `map` may share the chunks between threads without changing a bit; a draw finds its chunk
 * by the chunks' running total, then its row within the chunk (`drawInChunk`). Returns row indices.
 */
export function kmeansPlusPlusIndices(ws: Workspace, nClusters: number, rng: Mt19937, nLocalTrials: number, map: MapChunks = mapChunks): Int32Array {
  const { kernels, nSamples, nFeatures, ptr, weights, chunkRows } = ws;
  const trials = Math.min(nLocalTrials, MAX_LOCAL_TRIALS);
  const scratch = plusPlusScratch(ws, trials);
  const nChunks = Math.ceil(nSamples / chunkRows);
  const indices = new Int32Array(nClusters);
  f32View(kernels, scratch.closest, nSamples).fill(Infinity);
  const uniform = uniformWeights(weights);
  indices[0] = uniform ? rng.randint(nSamples) : rng.choice(weights);
  // Weights of 1 (no sampleWeight) are not read: a pass over the rows reads a quarter less at d = 8.
  const weightsPtr = uniform && weights[0] === 1 ? 0 : ptr.weights;
  const range = { ...chunksOf(ws, 2), perChunk: { at: 10, stride: trials * 8 } };
  const columnBytes = nSamples * 4;
  /** One pass: `count` candidates at `candidatesPtr` scored into distance set `set`, after the column `previous` is taken. */
  const step = (candidatesPtr: number, count: number, previous: number, set: number): Float64Array => {
    map(
      kernels, 'seedingPotentials',
      [ptr.x, weightsPtr, 0, 0, nSamples, nFeatures, candidatesPtr, count, previous, scratch.closest, scratch.chunkPotentials, scratch.distances + set * trials * columnBytes],
      range,
    );
    return f64View(kernels, scratch.chunkPotentials, nChunks * trials);
  };
  // The first center as the one candidate of a step: its chunk potentials are the first chunk totals.
  i32View(kernels, scratch.firstCandidate, 1)[0] = indices[0];
  const prefix = new Float64Array(nChunks);
  /** The chosen candidate's chunk potentials added in chunk order into `prefix`; returns the whole. */
  const addUp = (byChunk: Float64Array, chosen: number): number => {
    let total = 0;
    for (let c = 0; c < nChunks; c++) prefix[c] = total += byChunk[c * trials + chosen];
    return total;
  };
  let potential = addUp(step(scratch.firstCandidate, 1, 0, 0), 0);
  let previous = scratch.distances;
  let set = 1;
  const candidates = i32View(kernels, ptr.candidates, trials);
  const potentials = new Float64Array(trials);
  for (let c = 1; c < nClusters; c++) {
    for (let t = 0; t < trials; t++) {
      const target = rng.randomSample() * potential;
      // The chunk: the first whose running total reaches the target (the last when rounding leaves none).
      const chunk = Math.min(searchSorted(prefix, target, 'left'), nChunks - 1);
      const start = chunk * chunkRows;
      candidates[t] = kernels.drawInChunk(weightsPtr, scratch.closest, previous, start, Math.min(nSamples, start + chunkRows), chunk > 0 ? prefix[chunk - 1] : 0, target);
    }
    const byChunk = step(ptr.candidates, trials, previous, set);
    potentials.fill(0);
    for (let chunk = 0; chunk < nChunks; chunk++) for (let t = 0; t < trials; t++) potentials[t] += byChunk[chunk * trials + t];
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t] < potentials[best]) best = t;
    indices[c] = candidates[best];
    potential = addUp(byChunk, best);
    previous = scratch.distances + (set * trials + best) * columnBytes;
    set = 1 - set;
  }
  return indices;
}

/** nClusters distinct rows: numpy's `permutation(n)[:k]` (scikit-learn 1.2), or weighted draws without replacement. */
export function randomIndices(weights: Float64Array, nClusters: number, rng: Mt19937): Int32Array {
  if (uniformWeights(weights)) return rng.permutation(weights.length).slice(0, nClusters);
  return rng.choiceWithoutReplacement(weights, nClusters);
}

export type SeedingMethod = 'k-means++' | 'k-means||' | 'random';

export interface SeedingOptions {
  init: SeedingMethod;
  nLocalTrials: number;
  /** k-means||: candidates drawn per round (ℓ). */
  oversamplingFactor: number;
  /** k-means||: sampling rounds. */
  initRounds: number;
  /** Seed on this many rows drawn uniformly without replacement (k-means++ and k-means|| only); undefined: all rows. */
  initSampleSize: number | undefined;
}

/** Draws one set of nClusters row indices of the workspace it was made for. */
export type Seeder = (rng: Mt19937) => Int32Array;

/**
 * The seeding of one fit: scratch buffers are laid out once, after the workspace's regions, and every call
 * (one per run of nInit) draws from `rng`. With `initSampleSize` < n each call first draws its subsample
 * (`sampleRows`), gathers it in wasm and seeds on it; the indices returned are rows of `ws`.
 */
export function makeSeeder(ws: Workspace, nClusters: number, options: SeedingOptions, map: MapChunks = mapChunks): Seeder {
  if (options.init === 'random') return (rng) => randomIndices(ws.weights, nClusters, rng);
  const sampleSize = options.initSampleSize;
  const subsample = sampleSize !== undefined && sampleSize < ws.nSamples;
  const source = subsample ? subsetWorkspace(ws, sampleSize, `seeding subsample of ${sampleSize} rows`) : ws;
  const seed: Seeder =
    options.init === 'k-means||'
      ? kmeansParallelSeeder(source, nClusters, options, subsample ? `the seeding subsample (initSampleSize=${sampleSize})` : 'sampleWeight', map)
      : (rng) => kmeansPlusPlusIndices(source, nClusters, rng, options.nLocalTrials, map);
  if (!subsample) return seed;
  return (rng) => {
    const rows = sampleRows(ws.nSamples, sampleSize, rng);
    gatherInto(source, ws, rows);
    return seed(rng).map((r) => rows[r]);
  };
}

/**
 * `count` distinct rows of [0, n), uniform: a partial Fisher–Yates shuffle from the front (draw j in [i, n),
 * swap), with the swaps kept in a map so that it costs O(count) whatever n; returned sorted (for locality).
 */
export function sampleRows(n: number, count: number, rng: Mt19937): Int32Array {
  const swapped = new Map<number, number>();
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const j = i + rng.randint(n - i);
    out[i] = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
  }
  return out.sort();
}

/**
 * k-means|| (Bahmani et al. 2012, "Scalable K-Means++"), as done here (scikit-learn has no k-means||, so
 * these semantics are wasmeans' own, fixed for a given randomState):
 * 1. The first candidate is a row drawn as k-means++ draws its first center (uniform, or ∝ weight).
 * 2. `initRounds` rounds (default 2, Spark MLlib's initSteps; not the paper's log ψ, which depends on the
 *    scale of X; on blobs 2 rounds gave the inertia of 5 within ±1.5% at a quarter of the cost, see
 *    bench/seeding.mjs): each draws
 *    `oversamplingFactor` = ℓ rows (default 2k) i.i.d. with probability ∝ weight · squared distance to the
 *    closest candidate so far, repeats dropped: the with-replacement variant analysed by Bachem, Lucic & Krause
 *    (2017) instead of the paper's n independent coin flips, ℓ uniform draws per round instead of n. Each round's
 *    rows are packed as centers, every row is labelled with the nearest of them by the blocked E-step kernel
 *    (assignLabels), its exact squared distance to that one taken (assignedSqDistances), and the closest
 *    distance and its candidate updated.
 *    More rounds follow while there are fewer than k candidates and some row is still at a positive distance.
 * 3. Each candidate is weighted by the summed sample weight of the rows closest to it (itself included).
 * 4. Greedy weighted k-means++ (`kmeansPlusPlusIndices`, nLocalTrials candidates) on the candidate set picks
 *    the k centers, continuing the same random stream.
 * When all rows coincide with fewer than k candidates, the rest are drawn uniformly from unchosen rows of
 * positive weight. Needs at least k rows of positive weight (`context` names where they were counted).
 */
function kmeansParallelSeeder(ws: Workspace, nClusters: number, options: SeedingOptions, context: string, map: MapChunks): Seeder {
  const { kernels, nSamples, nFeatures, ptr, weights } = ws;
  const perRound = Math.min(options.oversamplingFactor, nSamples);
  const rounds = options.initRounds;
  // Rows of the candidate pool: the scheduled rounds, or the extra rounds that reach k.
  const capacity = Math.min(nSamples, Math.max(1 + rounds * perRound, nClusters - 1 + perRound));
  const padded = Math.ceil(perRound / BLOCK) * BLOCK;
  const scratch = allocate(
    kernels,
    {
      batchArgs: CLUSTER_ARGS_BYTES,
      owner: nSamples * 4,
      distances: nSamples * 8,
      batchRows: perRound * 4,
      batchX: perRound * nFeatures * 4,
      batchWeights: perRound * 8,
      batchT: padded * nFeatures * 4,
      batchNorms: padded * 4,
    },
    `k-means|| seeding on ${nSamples}×${nFeatures}`,
    ws.advice,
    true,
  );
  const pool = subsetWorkspace(ws, capacity, `k-means|| candidate pool of ${capacity} rows`);
  return (rng) => {
    let positive = 0;
    for (const w of weights) if (w > 0) positive++;
    if (positive < nClusters) {
      throw new WasmeansError('INVALID_INPUT', `init='k-means||' needs nClusters=${nClusters} rows of positive weight, but ${context} has ${positive}`);
    }
    const chosen = new Uint8Array(nSamples);
    const rows: number[] = [uniformWeights(weights) ? rng.randint(nSamples) : rng.choice(weights)];
    chosen[rows[0]] = 1;
    f64View(kernels, ptr.sqDist, nSamples).fill(Infinity);
    i32View(kernels, scratch.owner, nSamples).fill(0);
    let potential = kernels.updateClosest(ptr.x, ptr.weights, nSamples, nFeatures, rows[0], ptr.sqDist);
    const cumulative = new Float64Array(nSamples);
    for (let round = 0; potential > 0 && (round < rounds || rows.length < nClusters) && round < rounds + nClusters; round++) {
      const closest = f64View(kernels, ptr.sqDist, nSamples);
      let total = 0;
      for (let i = 0; i < nSamples; i++) cumulative[i] = total += weights[i] * closest[i];
      const batch: number[] = [];
      for (let t = 0; t < perRound; t++) {
        const row = Math.min(searchSorted(cumulative, rng.randomSample() * total, 'left'), nSamples - 1);
        if (!chosen[row] && weights[row] * closest[row] > 0 && rows.length + batch.length < capacity) {
          chosen[row] = 1;
          batch.push(row);
        }
      }
      if (batch.length === 0) continue;
      i32View(kernels, scratch.batchRows, batch.length).set(batch);
      kernels.gatherRows(ptr.x, ptr.weights, nFeatures, scratch.batchRows, batch.length, scratch.batchX, scratch.batchWeights);
      kernels.packCenters(scratch.batchX, batch.length, nFeatures, scratch.batchT, scratch.batchNorms);
      // The workspace's rows against this round's rows as centers.
      writeClusterArgs(kernels.memory, scratch.batchArgs, {
        x: ptr.x, weights: ptr.weights, nSamples, nFeatures, nClusters: batch.length,
        centers: scratch.batchX, centersT: scratch.batchT, centerNorms: scratch.batchNorms, labels: ptr.labels,
      });
      kernels.assignLabels(scratch.batchArgs, 0, nSamples);
      kernels.assignedSqDistances(scratch.batchArgs, 0, nSamples, scratch.distances);
      const distances = f64View(kernels, scratch.distances, nSamples);
      const labels = i32View(kernels, ptr.labels, nSamples);
      const owner = i32View(kernels, scratch.owner, nSamples);
      potential = 0;
      for (let i = 0; i < nSamples; i++) {
        if (distances[i] < closest[i]) {
          closest[i] = distances[i];
          owner[i] = rows.length + labels[i];
        }
        potential += weights[i] * closest[i];
      }
      rows.push(...batch);
    }
    while (rows.length < nClusters) {
      const row = rng.randint(nSamples);
      if (!chosen[row] && weights[row] > 0) {
        chosen[row] = 1;
        rows.push(row);
      }
    }
    const candidates = Int32Array.from(rows);
    if (candidates.length === nClusters) return candidates;
    const reduced = shrinkWorkspace(pool, candidates.length);
    gatherInto(reduced, ws, candidates);
    // Weights: the rows closest to each candidate, in place of the candidates' own.
    const owner = i32View(kernels, scratch.owner, nSamples);
    reduced.weights.fill(0);
    for (let i = 0; i < nSamples; i++) reduced.weights[owner[i]] += weights[i];
    f64View(kernels, pool.ptr.weights, candidates.length).set(reduced.weights);
    return kmeansPlusPlusIndices(reduced, nClusters, rng, options.nLocalTrials, map).map((r) => candidates[r]);
  };
}

export function kmeansPlusPlusParams() {
  const { randomState, nLocalTrials } = CENTER_MODEL_PARAMS;
  return {
    /** Seed of the draws: scikit-learn's kmeans_plusplus picks the same rows for the same random_state. @default random */
    randomState,
    /** A weight per row of X: rows are drawn with probability ∝ weight · squared distance. @default all 1 */
    sampleWeight: { check: (value): ArrayLike<number> | undefined => value as ArrayLike<number> },
    /** Candidates per center, the best kept. @default 2 + ⌊ln k⌋ */
    nLocalTrials,
  } as const satisfies ParamSpecs;
}
export type KMeansPlusPlusOptions = OptionsOf<ReturnType<typeof kmeansPlusPlusParams>>;

/** Greedy k-means++ seeding alone (scikit-learn's `kmeans_plusplus`): the chosen rows (as given, float64) and their indices. */
export function kmeansPlusPlus(x: DataInput, nClusters: number, options?: KMeansPlusPlusOptions): { centers: Matrix64; indices: Int32Array } {
  const kernels = getKernels();
  const { nClusters: k } = resolveParams(N_CLUSTERS, { nClusters }, 'kmeansPlusPlus');
  const { randomState, sampleWeight, nLocalTrials = defaultLocalTrials(k) } = resolveParams(kmeansPlusPlusParams(), options, 'kmeansPlusPlus');
  const data = readData(x);
  checkEnoughSamples(data.rows, k);
  const what = `kmeansPlusPlus on ${data.rows}×${data.cols}`;
  const advice = 'seed from a sample of the rows';
  refuseTooLarge(kernels, data.rows, data.cols, k, what, advice);
  const ws = prepareWorkspace(kernels, data, readSampleWeight(sampleWeight, data.rows), k, { what, advice });
  const indices = kmeansPlusPlusIndices(ws, k, Mt19937.fromOptional(randomState), nLocalTrials);
  return { centers: matrix(rowsOf(data, indices, new Float64Array(data.cols)), k, data.cols), indices };
}
