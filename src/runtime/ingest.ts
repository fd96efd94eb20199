// The one way data enters wasm memory: validated rows copied once, as float32, scaled by a power of two and shifted
// by a column offset (by default the column mean, which scikit-learn subtracts before fitting), values checked on
// the way in wasm. The scale brings the largest magnitude into [1, 2): a power of two changes no rounding, so every
// result is what it would be unscaled, and float32 distances neither overflow (values near the float64 limit) nor
// underflow (values near 1e-300) whatever the input's magnitude. Whoever ingests lays out its own regions in the
// same allocation, so that a call is refused with OUT_OF_MEMORY before anything is copied.
import { badValue, copyRows, type Data, valueAt } from '../core/data';
import { WasmeansError } from '../core/errors';
import { BIN_LEVELS, binnedTotals, sumBound } from '../core/reproducible';
import { allocate, f32View, f64View, type RegionSizes, type Regions } from './arena';
import { type MapChunks, mapChunks } from './chunks';
import type { Kernels } from './module';

/** X in wasm memory, and what was learnt on the way in. */
export interface Ingested<T extends RegionSizes> {
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Where the nSamples × nFeatures float32 rows are. */
  readonly x: number;
  /** What was subtracted from every row, in the input's units. */
  readonly shift: Float64Array;
  /** The power of two every value was multiplied by: stored = (x − shift) · scale. */
  readonly scale: number;
  /** Mean over features of the per-feature variances about the shift, in stored units (scales k-means' tol). */
  readonly meanVariance: number;
  /** The largest |x| of the input (1 for normalised rows): stored values are within ±2 · maxAbs · scale. */
  readonly maxAbs: number;
  /** The column sums of x · scale and the squares about the shift, as binned sums (core/reproducible.ts): shards' add up. Not for normalised rows. */
  readonly columnSums?: Float64Array;
  readonly squares?: Float64Array;
  /** The caller's regions, laid out with X's. */
  readonly regions: Regions<T>;
}

export interface IngestOptions<T extends RegionSizes> {
  /** What the call is, for the OUT_OF_MEMORY message. */
  what: string;
  /** The input's name in error messages. Default 'X'. */
  name?: string;
  /** The offset to subtract, in the input's units; default the column means. */
  shift?: Float64Array;
  /**
   * Round the column means to multiples of 2^−20 of the scaled data (whose largest magnitude is in [1, 2)): data
   * on a coarser grid, integers below 2^20 among them, stays exact in float32, so that its exact ties stay exact;
   * and the rounding, relative to the data's magnitude, does not change when X is scaled by a power of two.
   */
  roundShift?: boolean;
  /**
   * Scale every row to unit length instead of shifting and scaling the columns (cosine k-means): no shift, scale 1,
   * and a row of norm 0 is refused, named.
   */
  normalize?: boolean;
  /** The caller's own regions, allocated with X's. */
  regions: T;
  /** One shard of a larger X: the whole's scale and largest |x| (and its mean through `shift`), as the whole would be stored. */
  frame?: { scale: number; maxAbs: number };
  /** What to do instead, when X does not fit in wasm32's memory. */
  advice: string;
  /** How float32 rows' passes run over chunks of rows: on threads, when it is theirs. */
  map?: MapChunks;
}

/** A row that cosine k-means cannot place. */
export function zeroNorm(row: number, name: string): WasmeansError {
  return new WasmeansError('INVALID_INPUT', `row ${row} of ${name} has norm 0, no direction for metric 'cosine'`);
}

/** Rows per block staged as float64 on the way into wasm memory: about 256 KiB, a multiple of STATISTICS_ROWS. */
function stagingRows(nFeatures: number): number {
  return STATISTICS_ROWS * Math.max(1, Math.floor(2 ** 18 / (nFeatures * 8 * STATISTICS_ROWS)));
}

/** 2^−⌊log₂ m⌋, which brings m into [1, 2); 1 for 0. At most 2^1023, so that it is itself a float64. */
export function powerOfTwoScale(m: number): number {
  if (!(m > 0)) return 1;
  let exponent = Math.max(-1023, Math.floor(Math.log2(m)));
  while (exponent > -1023 && 2 ** exponent > m) exponent--;
  while (2 ** (exponent + 1) <= m) exponent++;
  return 2 ** -exponent;
}

/**
 * x · 2^n with one rounding, for any integer n (musl's scalbn): the steps before the last keep x a normal number,
 * so that undoing two scalings (weights', X's squared) cannot round twice on the way down to a subnormal result.
 */
export function scalbn(x: number, n: number): number {
  for (let step = 0; step < 2 && n > 1023; step++) {
    x *= 2 ** 1023;
    n -= 1023;
  }
  for (let step = 0; step < 2 && n < -1022; step++) {
    x *= 2 ** -969; // 2^−1022 · 2^53: stays normal
    n += 969;
  }
  return x * 2 ** Math.max(-1022, Math.min(1023, n));
}

/**
 * Rows per chunk of the column statistics (sums, squares): each chunk's are formed in row order and the chunks' added
 * as binned sums, so that data cut into shards at multiples of these rows gives the statistics, and with them the
 * shift and the tolerance, of the whole to the bit.
 */
export const STATISTICS_ROWS = 1024;

/** Statistics chunks per chunk of the float32 passes' map (16 384 rows). */
const MAP_CHUNKS = 16;

/** Copies validated data into wasm memory once, as float32, scaled and shifted; throws INVALID_INPUT naming a bad value. */
export function ingest<T extends RegionSizes>(kernels: Kernels, data: Data, options: IngestOptions<T>): Ingested<T> {
  const { rows: nSamples, cols: nFeatures } = data;
  // Rows to normalise are staged as float64 whatever their type: one kernel does them.
  const f32 = data.flat instanceof Float32Array && !options.normalize;
  const nChunks = Math.ceil(nSamples / STATISTICS_ROWS);
  const own = {
    x: nSamples * nFeatures * 4, staging: f32 ? 0 : stagingRows(nFeatures) * nFeatures * 8, shift: nFeatures * 8,
    /** Each statistics chunk's column sums, then their squares about the shift; and its largest |x|. */
    chunkSums: nChunks * nFeatures * 8, maxAbs: nChunks * 8, binned: BIN_LEVELS * nFeatures * 8,
    /** The float32 passes' map: its results and arguments. */
    results: Math.ceil(nChunks / MAP_CHUNKS) * 8, mapArgs: 16 * 8,
  };
  const all = allocate(kernels, { ...own, ...options.regions }, options.what, options.advice);
  const badAt = (index: number) => {
    const row = Math.floor(index / nFeatures);
    const col = index % nFeatures;
    return badValue(options.name ?? 'X', valueAt(data, row, col), row, col);
  };
  if (f32) f32View(kernels, all.x, nSamples * nFeatures).set(data.flat as Float32Array);
  const blockRows = f32 ? nSamples : stagingRows(nFeatures);
  const chunkSums = f64View(kernels, all.chunkSums, nChunks * nFeatures);
  const map = options.map ?? mapChunks;
  const mapRows = MAP_CHUNKS * STATISTICS_ROWS;
  /** Runs a float32 kernel over the rows in place, by chunks of statistics chunks (on threads when `map` is theirs). */
  const overF32 = (kernel: 'scanColumnsF32' | 'shiftRowsF32', args: number[]) => {
    chunkSums.fill(0);
    return map(kernels, kernel, args, { startAt: 1, items: nSamples, chunk: mapRows, partials: all.results, argsPtr: all.mapArgs });
  };
  /** Runs `pass` over blocks of float64 rows staged in wasm memory, cut at statistics chunks, with where that chunk's statistics go. */
  const overRows = (pass: (srcPtr: number, start: number, count: number, statsPtr: number) => void) => {
    chunkSums.fill(0);
    const staging = f64View(kernels, all.staging, blockRows * nFeatures);
    for (let block = 0; block < nSamples; block += blockRows) {
      const blockCount = Math.min(blockRows, nSamples - block);
      copyRows(data, block, blockCount, staging);
      for (let start = block; start < block + blockCount; start += STATISTICS_ROWS) {
        pass(all.staging + (start - block) * nFeatures * 8, start, Math.min(STATISTICS_ROWS, block + blockCount - start), all.chunkSums + (start / STATISTICS_ROWS) * nFeatures * 8);
      }
    }
  };
  /** The chunks' statistics times `scale` as binned sums (a copy), each chunk's bounded by 2^bound. */
  const binnedColumns = (scale: number, bound: number) => {
    const binned = f64View(kernels, all.binned, BIN_LEVELS * nFeatures).fill(0);
    for (let c = 0; c < nChunks; c++) {
      if (scale !== 1) for (let t = c * nFeatures; t < (c + 1) * nFeatures; t++) chunkSums[t] *= scale;
      kernels.binnedAdd(all.chunkSums + c * nFeatures * 8, nFeatures, bound, all.binned);
    }
    return binned.slice();
  };
  const totals = (binned: Float64Array) => binnedTotals(binned, nFeatures, new Float64Array(nFeatures));
  /** Each chunk's column sums of x · scale and its largest |x|, checking every value; returns the largest |x|. */
  const scan = (scale: number) => {
    f64View(kernels, all.maxAbs, nChunks).fill(0);
    if (f32) {
      // The first bad value: the first chunk's that found one.
      overF32('scanColumnsF32', [all.x, 0, 0, nFeatures, scale, STATISTICS_ROWS, all.chunkSums, all.maxAbs]).forEach((bad, c) => {
        if (bad >= 0) throw badAt(c * mapRows * nFeatures + bad);
      });
    } else {
      overRows((src, start, count, statsPtr) => {
        const bad = kernels.scanColumns(src, count, nFeatures, scale, statsPtr, all.maxAbs);
        if (bad >= 0) throw badAt(start * nFeatures + bad);
      });
    }
    return f64View(kernels, all.maxAbs, nChunks).reduce((m, v) => Math.max(m, v), 0);
  };
  if (options.normalize) {
    overRows((src, start, count) => {
      const status = kernels.normalizeRows(src, count, nFeatures, all.x + start * nFeatures * 4);
      if (status >= 0) throw badAt(start * nFeatures + status);
      if (status < -1) throw zeroNorm(start - 2 - status, options.name ?? 'X');
    });
    chunkSums.fill(0);
    kernels.scanColumnsF32(all.x, 0, nSamples, nFeatures, 1, STATISTICS_ROWS, all.chunkSums, all.maxAbs);
    // The spread of unit rows about their mean, Σ‖y − ȳ‖² / n = 1 − ‖ȳ‖², per feature (cluster/partial.ts frameOf too).
    const columnSums = binnedColumns(1, sumBound(1, STATISTICS_ROWS));
    let meanNorm = 0;
    for (const sum of totals(columnSums)) meanNorm += (sum / nSamples) ** 2;
    return { nSamples, nFeatures, x: all.x, shift: new Float64Array(nFeatures), scale: 1, maxAbs: 1, meanVariance: Math.max(0, 1 - meanNorm) / nFeatures, columnSums, regions: all };
  }
  const maxAbs = scan(1);
  const scale = options.frame?.scale ?? powerOfTwoScale(maxAbs);
  // Sums that overflowed, or that summed subnormal values, are taken again of the scaled values; otherwise scaling
  // them is exact.
  const rescan = scale !== 1 && !(chunkSums.every(Number.isFinite) && scale < 2 ** 900);
  if (rescan) scan(scale);
  // |x · scale| ≤ maxAbs · scale, and a chunk adds STATISTICS_ROWS of them.
  const valueBound = (options.frame?.maxAbs ?? maxAbs) * scale;
  const columnSums = binnedColumns(rescan ? 1 : scale, sumBound(valueBound, STATISTICS_ROWS));
  let shift = options.shift ? options.shift.map((v) => v * scale) : totals(columnSums).map((sum) => sum / nSamples);
  if (options.roundShift) shift = shift.map((v) => Math.round(v * 2 ** 20) / 2 ** 20);
  f64View(kernels, all.shift, nFeatures).set(shift);
  if (f32) overF32('shiftRowsF32', [all.x, 0, 0, nFeatures, scale, all.shift, STATISTICS_ROWS, all.chunkSums]);
  else overRows((src, start, count, statsPtr) => kernels.writeShiftedRows(src, count, nFeatures, scale, all.shift, all.x + start * nFeatures * 4, statsPtr));
  const squares = binnedColumns(1, sumBound((2 * valueBound) ** 2, STATISTICS_ROWS));
  let meanVariance = 0;
  for (const sq of totals(squares)) meanVariance += sq / nSamples / nFeatures; // as finalizePartial sums shards' squares
  return { nSamples, nFeatures, x: all.x, shift: shift.map((v) => v / scale), scale, maxAbs, meanVariance, columnSums, squares, regions: all };
}

