// The one way data enters wasm memory: validated rows copied once, as float32, shifted by a column offset (by
// default the column mean, which scikit-learn subtracts before fitting), values checked on the way in wasm.
// Whoever ingests lays out its own regions in the same allocation, so that a call is refused with
// OUT_OF_MEMORY before anything is copied.
import { badValue, copyRows, type Data, MAX_ABS_VALUE, valueAt } from '../core/data';
import { allocate, f32View, f64View, type RegionSizes, type Regions } from './arena';
import type { Kernels } from './module';

/** X in wasm memory, and what was learnt on the way in. */
export interface Ingested<T extends RegionSizes> {
  readonly nSamples: number;
  readonly nFeatures: number;
  /** Where the nSamples × nFeatures float32 rows are. */
  readonly x: number;
  /** What was subtracted from every row. */
  readonly shift: Float64Array;
  /** Mean over features of the per-feature variances about the shift (scales k-means' tol). */
  readonly meanVariance: number;
  /** The caller's regions, laid out with X's. */
  readonly regions: Regions<T>;
}

export interface IngestOptions<T extends RegionSizes> {
  /** What the call is, for the OUT_OF_MEMORY message. */
  what: string;
  /** The input's name in error messages. Default 'X'. */
  name?: string;
  /** The offset to subtract; default the column means. */
  shift?: Float64Array;
  /** The caller's own regions, allocated with X's. */
  regions: T;
}

/** Rows per block staged as float64 on the way into wasm memory: about 256 KiB, at least one row. */
function stagingRows(nFeatures: number): number {
  return Math.max(1, Math.floor(2 ** 18 / (nFeatures * 8)));
}

/** Copies validated data into wasm memory once, as float32 less the shift; throws INVALID_INPUT naming a bad value. */
export function ingest<T extends RegionSizes>(kernels: Kernels, data: Data, options: IngestOptions<T>): Ingested<T> {
  const { rows: nSamples, cols: nFeatures } = data;
  const staged = data.flat instanceof Float32Array ? 0 : stagingRows(nFeatures) * nFeatures * 8;
  const own = { x: nSamples * nFeatures * 4, staging: staged, columnSums: nFeatures * 8, shift: nFeatures * 8, squares: nFeatures * 8 };
  const all = allocate(kernels, { ...own, ...options.regions }, options.what);
  f64View(kernels, all.columnSums, nFeatures).fill(0);
  f64View(kernels, all.squares, nFeatures).fill(0);
  const badAt = (index: number) => {
    const row = Math.floor(index / nFeatures);
    const col = index % nFeatures;
    return badValue(options.name ?? 'X', valueAt(data, row, col), row, col);
  };
  const offset = data.flat instanceof Float32Array ? shiftInPlace(kernels, data, all, options.shift, badAt) : stageAndShift(kernels, data, all, options.shift, badAt);
  let meanVariance = 0;
  for (const sq of f64View(kernels, all.squares, nFeatures)) meanVariance += sq / nSamples / nFeatures;
  return { nSamples, nFeatures, x: all.x, shift: Float64Array.from(offset), meanVariance, regions: all };
}

type OwnRegions = { x: number; staging: number; columnSums: number; shift: number; squares: number };

/** float32 in: one copy straight into place, then checked and shifted there (the same values, half the passes). */
function shiftInPlace(kernels: Kernels, data: Data, ptr: OwnRegions, shift: Float64Array | undefined, badAt: (index: number) => Error): Float64Array {
  const { rows: nSamples, cols: nFeatures } = data;
  f32View(kernels, ptr.x, nSamples * nFeatures).set(data.flat as Float32Array);
  const bad = kernels.scanColumnsF32(ptr.x, nSamples, nFeatures, MAX_ABS_VALUE, ptr.columnSums);
  if (bad >= 0) throw badAt(bad);
  const offset = shift ?? f64View(kernels, ptr.columnSums, nFeatures).map((sum) => sum / nSamples);
  f64View(kernels, ptr.shift, nFeatures).set(offset);
  kernels.shiftRowsF32(ptr.x, nSamples, nFeatures, ptr.shift, ptr.squares);
  return offset;
}

/** Any other input: through a float64 staging block, checked and summed, then written shifted as float32. */
function stageAndShift(kernels: Kernels, data: Data, ptr: OwnRegions, shift: Float64Array | undefined, badAt: (index: number) => Error): Float64Array {
  const { rows: nSamples, cols: nFeatures } = data;
  const blockRows = stagingRows(nFeatures);
  const staging = f64View(kernels, ptr.staging, blockRows * nFeatures);
  for (let start = 0; start < nSamples; start += blockRows) {
    const count = Math.min(blockRows, nSamples - start);
    copyRows(data, start, count, staging);
    const bad = kernels.scanColumns(ptr.staging, count, nFeatures, MAX_ABS_VALUE, ptr.columnSums);
    if (bad >= 0) throw badAt(start * nFeatures + bad);
  }
  const offset = shift ?? f64View(kernels, ptr.columnSums, nFeatures).map((sum) => sum / nSamples);
  f64View(kernels, ptr.shift, nFeatures).set(offset);
  for (let start = 0; start < nSamples; start += blockRows) {
    const count = Math.min(blockRows, nSamples - start);
    copyRows(data, start, count, staging);
    kernels.writeShiftedRows(ptr.staging, count, nFeatures, ptr.shift, ptr.x + start * nFeatures * 4, ptr.squares);
  }
  return offset;
}
