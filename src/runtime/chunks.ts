// A kernel over chunks of a range, each chunk's f64 result kept apart: the one shape of parallel work. Chunks
// depend on the range and the chunk length alone, and the caller adds the results in chunk order, so that a fit
// gives the same bits on one thread (mapChunks) as on several (the threads' map).
import type { Kernels } from './module';

/** The kernels run this way; the threads' workers get the list with their source. */
export const MAPPED_KERNELS = [
  'bhRepulsive', 'tsneAttractive', 'kneighborsChunk', 'kneighborsGrid', 'kneighborsGroups', 'nearestCentres', 'perplexityRows', 'fftRows', 'fftColumns',
  'seedingPotentials', 'rowNorms', 'lloydChunk', 'assignLabels', 'hamerlyStep', 'elkanStep', 'yinyangStep', 'assignedSqDistances',
  'scanColumnsF32', 'shiftRowsF32',
] as const;
export type MappedKernel = (typeof MAPPED_KERNELS)[number];

/** Per-thread scratch: the argument at `at` moved by `stride` bytes per thread slot, the one after it by `nextStride` (0: shared). */
export interface Scratch {
  at: number;
  stride: number;
  nextStride: number;
}

/** Per-chunk output: the argument at `at` moved by `stride` bytes per chunk (chunk c writes at args[at] + c · stride). */
export interface PerChunk {
  at: number;
  stride: number;
}

/**
 * Where a map's chunks go: [start, end) at args[startAt], args[startAt + 1]; chunk c's result at partials + 8c.
 * The caller's regions: partials (8 bytes a chunk) and argsPtr (8 bytes an argument, where the threads read them).
 */
export interface MapRange {
  startAt: number;
  items: number;
  chunk: number;
  partials: number;
  argsPtr: number;
  scratch?: Scratch;
  perChunk?: PerChunk;
}

export type MapChunks = (kernels: Kernels, kernel: MappedKernel, args: number[], range: MapRange) => Float64Array;

/** A map started: the returned function joins it and gives the chunks' results. */
export type BeginChunks = (kernels: Kernels, kernel: MappedKernel, args: number[], range: MapRange) => () => Float64Array;

/** The chunks one after another on this thread (scratch slot 0). */
export const mapChunks: MapChunks = (kernels, kernel, args, { startAt, items, chunk, partials, perChunk }) => {
  const run = kernels[kernel] as (...values: number[]) => number;
  const values = args.slice();
  const nChunks = Math.ceil(items / chunk);
  const out = new Float64Array(kernels.memory.buffer, partials, nChunks);
  for (let c = 0; c < nChunks; c++) {
    values[startAt] = c * chunk;
    values[startAt + 1] = Math.min(items, (c + 1) * chunk);
    if (perChunk) values[perChunk.at] = args[perChunk.at] + c * perChunk.stride;
    out[c] = run(...values) ?? 0;
  }
  return new Float64Array(kernels.memory.buffer, partials, nChunks);
};

/** On one thread a started map is run at once; joining it gives its results. */
export const beginChunks: BeginChunks = (kernels, kernel, args, range) => {
  const results = mapChunks(kernels, kernel, args, range).slice();
  return () => results;
};
