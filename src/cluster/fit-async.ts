// fitKMeans with its passes over the rows on threads: loaded on first use, with the threads themselves.
import { type DataInput, readData } from '../core/data';
import { Mt19937 } from '../core/random';
import { getKernels } from '../runtime/module';
import { fitKMeans, type KMeansParams } from './fit';
import { withThreads } from './threads';

/** Fits of fewer rows run on the calling thread. */
const MIN_THREADED_ROWS = 8192;

/** `fitKMeans` with its passes over the rows shared by `threads` threads (default: the cores available). */
export function fitKMeansThreaded(x: DataInput, options: KMeansParams, sampleWeight: ArrayLike<number> | undefined, threads: number | undefined) {
  const rng = Mt19937.fromOptional(options.randomState);
  const data = readData(x);
  // Below MIN_THREADED_ROWS the waking and waiting of each iteration costs more than the shared work (digits:
  // 0.2 ms iterations took twice as long on two threads); the result is the same either way.
  if (data.rows < MIN_THREADED_ROWS) threads = 1;
  // The threads run the plain build: with the relaxed-SIMD one loaded they would round differently from fit.
  if (getKernels().relaxedSimd() === 1) threads = 1;
  // X as read: a strided or foreign matrix is converted once, not again inside the fit.
  const read = data.flat ? { data: data.flat, rows: data.rows, cols: data.cols } : x;
  return withThreads(threads, (engine) => fitKMeans(read, options, sampleWeight, rng, engine));
}
