// Fits over data read a chunk at a time, whatever its size: KMeans through the step API (cluster/partial.ts), one
// pass per Lloyd iteration after two statistics passes, the rows re-cut into the E-step's chunks so that the result
// is bitwise the in-memory fit's from the same initial centers; MiniBatchKMeans as partialFit over batches. Memory:
// one chunk of rows plus O(k·d), whatever the source's size.
import { type Data, type DataInput, matrix, type Matrix64, readData } from '../core/data';
import { type ArrowTableLike, fromArrow } from '../core/arrow';
import { WasmeansError } from '../core/errors';
import { Mt19937 } from '../core/random';
import { builtin } from '../runtime/module';
import { type KMeansOptions, type KMeansParams, kmeansParams } from './fit';
import { resolveParams } from '../core/params';
import { readInitCenters } from './center-model';
import { binnedTotals } from '../core/reproducible';
import { getKernels } from '../runtime/module';
import {
  finalizePartial, frameOf, type FrameCenters, type KMeansFrame, type KMeansPartial, type KMeansStep, kmeansParallelRound, lloydPartial, mergePartials,
  statisticsPartial,
} from './partial';
import { defaultLocalTrials, kmeansPlusPlusIndices } from './seeding';
import { lloydChunkRows, type Metric, prepareWorkspace } from './workspace';

/** A chunk of a stream: any `DataInput`, or an Apache Arrow record batch (or table), read as `fromArrow` reads it. */
export type StreamChunk = DataInput | ArrowTableLike;
type Chunks = AsyncIterable<StreamChunk> | Iterable<StreamChunk>;

/**
 * Where a streamed fit reads its rows, once per pass: a function returning a fresh (async) iterable of chunks
 * (matrices, arrays of rows, any `DataInput`, Arrow record batches), an iterable that can be iterated again (an
 * array of chunks), or the path of a `.npy` file of float32 or float64 rows (Node), read in slices.
 */
export type StreamSource = string | (() => Chunks) | Chunks;

/** What a streamed fit reports after each pass. */
export interface StreamProgress {
  stage: 'statistics' | 'iteration' | 'final';
  /** Lloyd iterations done (0 during the statistics passes). */
  iteration: number;
  /** Rows read in this pass. */
  rows: number;
}

export interface StreamOptions {
  onProgress?: (progress: StreamProgress) => void;
}

/** Rows of a `.npy` file read per slice. */
const NPY_SLICE_ROWS = 262144;

/**
 * Rows per block handed to the step API: whole multiples of `unit` (the E-step's chunk, or the statistics' 1024
 * rows, so that blocks cut where a fit's chunks are cut), about 2^18 rows and at most 64 MiB of float64: fewer,
 * larger blocks, since each block pays a workspace's set-up.
 */
export function blockRowsFor(unit: number, nFeatures: number): number {
  return unit * Math.max(1, Math.floor(Math.min(2 ** 18, 2 ** 23 / nFeatures) / unit));
}

/** A .npy file's rows in slices of `sliceRows` (version 1–3 headers; little-endian float32 or float64, C order, 2-D). */
export async function* readNpy(path: string, sliceRows = NPY_SLICE_ROWS): AsyncGenerator<DataInput> {
  const fs = await builtin('fs/promises');
  const file = await fs.open(path, 'r');
  try {
    const head = new Uint8Array(12);
    await file.read(head, 0, 12, 0);
    if (head[0] !== 0x93 || String.fromCharCode(...head.subarray(1, 6)) !== 'NUMPY') throw new WasmeansError('INVALID_INPUT', `${path} is not a .npy file`);
    const view = new DataView(head.buffer);
    const [headerLength, headerStart] = head[6] === 1 ? [view.getUint16(8, true), 10] : [view.getUint32(8, true), 12];
    const headerBytes = new Uint8Array(headerLength);
    await file.read(headerBytes, 0, headerLength, headerStart);
    const header = new TextDecoder().decode(headerBytes);
    const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
    const fortran = /'fortran_order':\s*True/.test(header);
    const shape = /'shape':\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\)/.exec(header);
    const Type = descr === '<f4' ? Float32Array : descr === '<f8' ? Float64Array : undefined;
    if (!Type || fortran || !shape) {
      throw new WasmeansError('INVALID_INPUT', `${path} holds ${descr}${fortran ? ' in Fortran order' : ''} of ${/'shape':\s*(\([^)]*\))/.exec(header)?.[1]}; 2-D little-endian float32 or float64 in C order is required`);
    }
    const rows = Number(shape[1]);
    const cols = Number(shape[2]);
    const dataStart = headerStart + headerLength;
    for (let start = 0; start < rows; start += sliceRows) {
      const count = Math.min(sliceRows, rows - start);
      const data = new Type(count * cols);
      const { bytesRead } = await file.read(new Uint8Array(data.buffer), 0, data.byteLength, dataStart + start * cols * Type.BYTES_PER_ELEMENT);
      if (bytesRead !== data.byteLength) throw new WasmeansError('INVALID_INPUT', `${path} ends after ${start} of its ${rows} rows`);
      yield matrix(data as Float64Array, count, cols);
    }
  } finally {
    await file.close();
  }
}

/** The source as a function that starts a pass. */
function passesOf(source: StreamSource): () => Chunks {
  if (typeof source === 'string') return () => readNpy(source);
  if (typeof source === 'function') return source;
  if (source && (Symbol.asyncIterator in source || Symbol.iterator in source)) return () => source;
  throw new WasmeansError('INVALID_INPUT', 'a stream source must be a .npy path, a function returning an iterable of chunks, or an iterable of chunks');
}

/**
 * One pass over the source, its rows re-cut into blocks of `blockRows` (the last may be shorter), each with its
 * first row's index. Checks that every chunk has `nFeatures` columns (once known).
 */
async function* blocksOf(pass: () => Chunks, blockRows: number, nFeatures?: number): AsyncGenerator<{ block: Data; offset: number }> {
  // Float32 while every chunk is float32 (the ingest then takes the block in place), else float64: the same values.
  let buffer: Float32Array | Float64Array | undefined;
  let filled = 0;
  let offset = 0;
  let cols = nFeatures;
  for await (const chunk of pass()) {
    const data = readData((chunk as ArrowTableLike)?.schema ? fromArrow(chunk as ArrowTableLike) : (chunk as DataInput));
    cols ??= data.cols;
    if (data.cols !== cols) throw new WasmeansError('INVALID_INPUT', `a chunk of the stream has ${data.cols} columns, the first had ${cols}`);
    if (!(data.flat instanceof Float32Array) && !(buffer instanceof Float64Array)) buffer = buffer ? Float64Array.from(buffer) : undefined;
    buffer ??= data.flat instanceof Float32Array ? new Float32Array(blockRows * cols) : new Float64Array(blockRows * cols);
    let r = 0;
    // Whole blocks of a flat chunk go as they are (no copy) while none is being filled.
    for (; filled === 0 && data.flat && data.rows - r >= blockRows; r += blockRows, offset += blockRows) {
      yield { block: { rows: blockRows, cols, flat: data.flat.subarray(r * cols, (r + blockRows) * cols) }, offset };
    }
    for (; r < data.rows; ) {
      // As many rows as the block has room for, in one copy where the chunk is one flat array.
      const count = Math.min(blockRows - filled, data.rows - r);
      if (data.flat) buffer.set(data.flat.subarray(r * cols, (r + count) * cols), filled * cols);
      else for (let i = 0; i < count; i++) buffer.set((data.rowArrays as ArrayLike<number>[])[r + i], (filled + i) * cols);
      r += count;
      filled += count;
      if (filled === blockRows) {
        yield { block: { rows: filled, cols, flat: buffer }, offset };
        offset += filled;
        filled = 0;
      }
    }
  }
  if (filled > 0) yield { block: { rows: filled, cols: cols as number, flat: buffer!.subarray(0, filled * (cols as number)) }, offset };
}

/** Every block's partial, merged; the rows read. */
async function passOver(
  pass: () => Chunks, blockRows: number, nFeatures: number | undefined, partial: (block: Matrix64, offset: number) => KMeansPartial,
): Promise<KMeansPartial> {
  let merged: KMeansPartial | undefined;
  for await (const { block, offset } of blocksOf(pass, blockRows, nFeatures)) {
    const p = partial(asMatrix(block), offset);
    merged = merged ? mergePartials(merged, p) : p;
  }
  if (!merged) throw new WasmeansError('INVALID_INPUT', 'the stream gave no rows (a generator can be read once only: pass a function that returns a fresh one)');
  return merged;
}

function asMatrix(block: Data) {
  return matrix(block.flat as Float64Array, block.rows, block.cols);
}

/** Rows per statistics block before the width is known: a multiple of 1024 (the ingest's statistics chunk). */
const STATISTICS_BLOCK = 65536;

/** The two statistics passes: the frame every block is stored by. */
async function frameOfStream(pass: () => Chunks, metric: Metric, progress: (p: StreamProgress) => void): Promise<KMeansFrame> {
  const first = await passOver(pass, STATISTICS_BLOCK, undefined, (block) => statisticsPartial(block, { metric }));
  progress({ stage: 'statistics', iteration: 0, rows: first.nSamples });
  let frame = frameOf(first, metric);
  const second = await passOver(pass, blockRowsFor(1024, frame.nFeatures), frame.nFeatures, (block) => statisticsPartial(block, { frame }));
  progress({ stage: 'statistics', iteration: 0, rows: second.nSamples });
  if (second.nSamples !== first.nSamples) {
    throw new WasmeansError('INVALID_INPUT', `the stream gave ${first.nSamples} rows, then ${second.nSamples}: every pass must give the same rows`);
  }
  frame = frameOf(second, metric, frame);
  return frame;
}

/**
 * A seeded uniform sample of k rows in one pass, for init: 'random': reservoir sampling by Li's Algorithm L, which
 * draws O(k · log(n / k)) numbers rather than one per row.
 */
export async function randomRows(pass: () => Chunks, k: number, nFeatures: number, rng: Mt19937): Promise<number[][]> {
  const chosen: number[][] = [];
  const uniform = () => 1 - rng.randomSample(); // in (0, 1]
  let w = Math.exp(Math.log(uniform()) / k);
  let next = k + Math.floor(Math.log(uniform()) / Math.log(1 - w));
  // `next`: the global index of the next row to take, the first k rows aside.
  let start = 0;
  for await (const { block } of blocksOf(pass, STATISTICS_BLOCK, nFeatures)) {
    const rowOf = (r: number) => Array.from((block.flat as Float64Array).subarray(r * nFeatures, (r + 1) * nFeatures));
    for (let r = 0; r < block.rows && chosen.length < k; r++) chosen.push(rowOf(r));
    for (; next < start + block.rows; next += Math.floor(Math.log(uniform()) / Math.log(1 - w)) + 1) {
      chosen[rng.randint(k)] = rowOf(next - start);
      w *= Math.exp(Math.log(uniform()) / k);
    }
    start += block.rows;
  }
  return chosen;
}

/**
 * k-means‖ over a stream: a first center uniform over the rows, `rounds` rounds each of a cost pass and a drawing
 * pass (oversampling · w · d² / cost per row, from draws fixed by (seed, round, row)), a pass weighing each candidate
 * by the rows nearest it, then weighted greedy k-means++ on the candidates, here. 2 + 2 · rounds passes.
 */
async function kmeansParallelStream(
  pass: () => Chunks, frame: KMeansFrame, nClusters: number,
  { seed, rounds, oversampling, nLocalTrials }: { seed: number; rounds: number; oversampling: number; nLocalTrials?: number },
): Promise<FrameCenters> {
  const d = frame.nFeatures;
  const drawBlock = blockRowsFor(1024, d);
  const first = await passOver(pass, drawBlock, d, (block, offset) => kmeansParallelRound(block, { frame, seed, round: 0, oversampling, rowOffset: offset }));
  const candidates = [first.farthest.reduce((a, b) => (b.distance < a.distance ? b : a)).values];
  const at = () => ({ frameCenters: Float64Array.from(candidates.flatMap((c) => Array.from(c))) });
  /** Every row's partial at the candidates (E-step blocks cut at the chunks of that many centers). */
  const lloydAt = (centers: FrameCenters) =>
    passOver(pass, blockRowsFor(lloydChunkRows(frame.nSamples, d, candidates.length), d), d, (block, offset) => lloydPartial(block, centers, { frame, rowOffset: offset }));
  for (let round = 1; round <= rounds; round++) {
    const centers = at();
    const cost = binnedTotals((await lloydAt(centers)).inertia, 1, new Float64Array(1))[0];
    if (!(cost > 0)) break;
    const drawn = await passOver(pass, drawBlock, d, (block, offset) => kmeansParallelRound(block, { frame, seed, round, candidates: centers, cost, oversampling, rowOffset: offset }));
    candidates.push(...drawn.farthest.map((row) => row.values));
  }
  if (candidates.length < nClusters) {
    throw new WasmeansError('INVALID_INPUT', `k-means|| drew ${candidates.length} candidates for nClusters=${nClusters}; raise oversamplingFactor or initRounds`);
  }
  const centers = at();
  const weighed = await lloydAt(centers);
  const m = candidates.length;
  const weights = binnedTotals(weighed.weights, m, new Float64Array(m));
  // Weighted greedy k-means++ on the candidates (their own workspace: its coordinates do not matter, only the choice).
  const ws = prepareWorkspace(getKernels(), { rows: m, cols: d, flat: centers.frameCenters }, weights, nClusters, {
    what: `k-means|| on ${m} candidates`, advice: 'lower oversamplingFactor',
  });
  const chosen = kmeansPlusPlusIndices(ws, nClusters, new Mt19937(seed), nLocalTrials ?? defaultLocalTrials(nClusters));
  return { frameCenters: Float64Array.from(Array.from(chosen).flatMap((j) => Array.from(candidates[j]))) };
}

/** KMeans fitted over a stream: the centers, iterations and inertia of the in-memory fit; no labels kept. */
export async function fitKMeansStream(source: StreamSource, options: KMeansParams, { onProgress = () => {} }: StreamOptions = {}) {
  const pass = passesOf(source);
  const { nClusters, maxIter, tol } = options;
  // k-means++ would take k passes over the stream: its scalable form, k-means‖, seeds in 2 + 2 · initRounds.
  const init = options.init === 'k-means++' ? 'k-means||' : options.init;
  const frame = await frameOfStream(pass, options.metric, onProgress);
  if (frame.nSamples < nClusters) throw new WasmeansError('INVALID_INPUT', `nSamples=${frame.nSamples} should be >= nClusters=${nClusters}`);
  const seed = options.randomState ?? Math.floor(Math.random() * 2 ** 32);
  const initial: DataInput | FrameCenters =
    init === 'random'
      ? await randomRows(pass, nClusters, frame.nFeatures, new Mt19937(seed))
      : init === 'k-means||'
        ? await kmeansParallelStream(pass, frame, nClusters, { seed, rounds: options.initRounds, oversampling: options.oversamplingFactor, nLocalTrials: options.nLocalTrials })
        : init;
  if (!('frameCenters' in (initial as object))) readInitCenters(initial as DataInput, nClusters, frame.nFeatures);
  const blockRows = blockRowsFor(lloydChunkRows(frame.nSamples, frame.nFeatures, nClusters), frame.nFeatures);
  const lloydPass = (centers: DataInput | FrameCenters) =>
    passOver(pass, blockRows, frame.nFeatures, (block, offset) => lloydPartial(block, centers, { frame, rowOffset: offset }));
  let centers: DataInput | FrameCenters = initial;
  let step: KMeansStep | undefined;
  let nIter = 0;
  for (; nIter < maxIter; nIter++) {
    step = finalizePartial(await lloydPass(centers), centers, { frame, tol });
    centers = step;
    onProgress({ stage: 'iteration', iteration: nIter + 1, rows: frame.nSamples });
    if (step.converged) break;
  }
  const final = finalizePartial(await lloydPass(centers), centers, { frame, tol });
  onProgress({ stage: 'final', iteration: Math.min(nIter + 1, maxIter), rows: frame.nSamples });
  const converged = (step as KMeansStep).converged;
  if (!converged && tol > 0) options.onWarning(`KMeans did not converge within maxIter=${maxIter} iterations; raise maxIter or tol`, 'CONVERGENCE');
  return { centers: (step as KMeansStep).centers, inertia: final.inertia, nIter: Math.min(nIter + 1, maxIter), converged };
}

/** kmeans() over a stream (`StreamSource`): KMeans' options (init 'random' or explicit centers), and onProgress. */
export function kmeansStream(source: StreamSource, nClusters: number, options: Omit<KMeansOptions, 'nClusters'> & StreamOptions = {}) {
  const { onProgress, ...rest } = options;
  return fitKMeansStream(source, resolveParams(kmeansParams(), { ...rest, nClusters }, 'kmeansStream'), { onProgress });
}

/** The MiniBatchKMeans a stream is fed to: its partialFit, one step per batch. */
interface PartialFitter {
  partialFit(x: DataInput): unknown;
}

/**
 * MiniBatchKMeans.fitStream: `passes` passes over the source, its rows re-cut into batches of `batchSize`, one
 * partialFit step each (scikit-learn's partial_fit: the first batch seeds the centers).
 */
export async function fitMiniBatchStream(model: PartialFitter, source: StreamSource, batchSize: number, { onProgress = () => {}, passes = 1 }: StreamOptions & { passes?: number } = {}) {
  const pass = passesOf(source);
  if (!(Number.isInteger(passes) && passes >= 1)) throw new WasmeansError('INVALID_PARAMETER', `passes must be an integer >= 1, got ${passes}`);
  for (let p = 1; p <= passes; p++) {
    let rows = 0;
    for await (const { block } of blocksOf(pass, batchSize)) {
      model.partialFit(asMatrix(block));
      rows += block.rows;
    }
    if (rows === 0) throw new WasmeansError('INVALID_INPUT', 'the stream gave no rows (a generator can be read once only: pass a function that returns a fresh one)');
    onProgress({ stage: 'iteration', iteration: p, rows });
  }
}
