// The one way data enters wasm memory: validated rows copied once, as float32, scaled by a power of two and shifted
// by a column offset (by default the column mean, which scikit-learn subtracts before fitting), values checked on
// the way in wasm. The scale brings the largest magnitude into [1, 2): a power of two changes no rounding, so every
// result is what it would be unscaled, and float32 distances neither overflow (values near the float64 limit) nor
// underflow (values near 1e-300) whatever the input's magnitude. Whoever ingests lays out its own regions in the
// same allocation, so that a call is refused with OUT_OF_MEMORY before anything is copied.
import { badValue, copyRows, type Data, valueAt } from '../core/data';
import { WasmeansError } from '../core/errors';
import { allocate, f32View, f64View, type RegionSizes, type Regions } from './arena';
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
  /** What to do instead, when X does not fit in wasm32's memory. */
  advice: string;
}

/** A row that cosine k-means cannot place. */
export function zeroNorm(row: number, name: string): WasmeansError {
  return new WasmeansError('INVALID_INPUT', `row ${row} of ${name} has norm 0: metric='cosine' needs every row to have a direction`);
}

/** Rows per block staged as float64 on the way into wasm memory: about 256 KiB, at least one row. */
function stagingRows(nFeatures: number): number {
  return Math.max(1, Math.floor(2 ** 18 / (nFeatures * 8)));
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

/** Copies validated data into wasm memory once, as float32, scaled and shifted; throws INVALID_INPUT naming a bad value. */
export function ingest<T extends RegionSizes>(kernels: Kernels, data: Data, options: IngestOptions<T>): Ingested<T> {
  const { rows: nSamples, cols: nFeatures } = data;
  // Rows to normalise are staged as float64 whatever their type: one kernel does them.
  const f32 = data.flat instanceof Float32Array && !options.normalize;
  const own = {
    x: nSamples * nFeatures * 4, staging: f32 ? 0 : stagingRows(nFeatures) * nFeatures * 8, columnSums: nFeatures * 8, maxAbs: 8,
    shift: nFeatures * 8, squares: nFeatures * 8,
  };
  const all = allocate(kernels, { ...own, ...options.regions }, options.what, options.advice);
  const badAt = (index: number) => {
    const row = Math.floor(index / nFeatures);
    const col = index % nFeatures;
    return badValue(options.name ?? 'X', valueAt(data, row, col), row, col);
  };
  if (f32) f32View(kernels, all.x, nSamples * nFeatures).set(data.flat as Float32Array);
  const blockRows = f32 ? nSamples : stagingRows(nFeatures);
  /** Runs `pass` over the rows, block by block: the rows in place (float32 input), or staged as float64. */
  const overRows = (pass: (srcPtr: number, start: number, count: number) => void) => {
    const staging = f32 ? undefined : f64View(kernels, all.staging, blockRows * nFeatures);
    for (let start = 0; start < nSamples; start += blockRows) {
      const count = Math.min(blockRows, nSamples - start);
      if (staging) copyRows(data, start, count, staging);
      pass(f32 ? all.x : all.staging, start, count);
    }
  };
  /** The column sums of x · scale and the largest |x|, checking every value. */
  const scan = (scale: number) => {
    f64View(kernels, all.columnSums, nFeatures).fill(0);
    f64View(kernels, all.maxAbs, 1)[0] = 0;
    overRows((src, start, count) => {
      const bad = f32
        ? kernels.scanColumnsF32(src, count, nFeatures, scale, all.columnSums, all.maxAbs)
        : kernels.scanColumns(src, count, nFeatures, scale, all.columnSums, all.maxAbs);
      if (bad >= 0) throw badAt(start * nFeatures + bad);
    });
    return f64View(kernels, all.columnSums, nFeatures).slice();
  };
  if (options.normalize) {
    overRows((src, start, count) => {
      const status = kernels.normalizeRows(src, count, nFeatures, all.x + start * nFeatures * 4);
      if (status >= 0) throw badAt(start * nFeatures + status);
      if (status < -1) throw zeroNorm(start - 2 - status, options.name ?? 'X');
    });
    // The spread of unit rows about their mean, Σ‖y − ȳ‖² / n = 1 − ‖ȳ‖², per feature.
    f64View(kernels, all.columnSums, nFeatures).fill(0);
    kernels.scanColumnsF32(all.x, nSamples, nFeatures, 1, all.columnSums, all.maxAbs);
    let meanNorm = 0;
    for (const sum of f64View(kernels, all.columnSums, nFeatures)) meanNorm += (sum / nSamples) ** 2;
    return { nSamples, nFeatures, x: all.x, shift: new Float64Array(nFeatures), scale: 1, meanVariance: Math.max(0, 1 - meanNorm) / nFeatures, regions: all };
  }
  let sums = scan(1);
  const scale = powerOfTwoScale(f64View(kernels, all.maxAbs, 1)[0]);
  // Sums that overflowed, or that summed subnormal values, are taken again of the scaled values; otherwise scaling
  // them is exact.
  if (scale !== 1) sums = sums.every(Number.isFinite) && scale < 2 ** 900 ? sums.map((sum) => sum * scale) : scan(scale);
  let shift = options.shift ? options.shift.map((v) => v * scale) : sums.map((sum) => sum / nSamples);
  if (options.roundShift) shift = shift.map((v) => Math.round(v * 2 ** 20) / 2 ** 20);
  f64View(kernels, all.shift, nFeatures).set(shift);
  f64View(kernels, all.squares, nFeatures).fill(0);
  overRows((src, start, count) => {
    if (f32) kernels.shiftRowsF32(src, count, nFeatures, scale, all.shift, all.squares);
    else kernels.writeShiftedRows(src, count, nFeatures, scale, all.shift, all.x + start * nFeatures * 4, all.squares);
  });
  let meanVariance = 0;
  for (const sq of f64View(kernels, all.squares, nFeatures)) meanVariance += sq / nSamples / nFeatures;
  return { nSamples, nFeatures, x: all.x, shift: shift.map((v) => v / scale), scale, meanVariance, regions: all };
}

