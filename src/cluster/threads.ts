// Node: a fit's passes over the rows shared by worker_threads over one shared WebAssembly.Memory. A second build of
// the module (build/wasmeans-threads.wasm: shared, imported memory) is instantiated on this thread and in each
// worker; the fit runs here as the synchronous one does, and each pass's fixed row chunks (lloydChunkRows: Lloyd's
// E-step, or a mapped kernel — the seeding's steps, the bounded E-steps, the inertia, the t-SNE and neighbour
// kernels) are claimed by this thread and the workers, each into its own partial results, which this thread adds in
// chunk order or as binned sums: the result is bitwise that of the synchronous fit, whatever the thread count.
// Synchronisation is Atomics.wait / notify on an Int32Array over a SharedArrayBuffer. Browsers do the same with Web
// Workers when the page is crossOriginIsolated (their main thread may not Atomics.wait, so it spins for the last
// chunks instead; the threaded module comes inlined in this chunk). Elsewhere (Cloudflare Workers, other pages) the
// fit runs on this thread.
import { WasmeansError } from '../core/errors';
import { wasmThreadsGzipBase64 } from '../generated/wasmThreadsBase64';
import { allocate, f64View } from '../runtime/arena';
import { inlinedBytes } from '../runtime/inline';
import { builtin, type Kernels, moduleImports } from '../runtime/module';
import { type BeginChunks, beginChunks, MAPPED_KERNELS, type MapChunks, type MappedKernel, type Scratch } from '../runtime/chunks';
import { addPartials, type Assign, type EStep } from './lloyd';
import { CACHE_LINE, chunksOf, lineAligned, partialLayout, type Workspace } from './workspace';

/** What a fit needs: the kernels whose memory holds its workspace, and how to run its passes over the rows. */
export interface Engine {
  kernels: Kernels;
  eStep: EStep;
  assign: Assign;
  /** Runs a kernel over chunks of a range, each chunk's f64 result to its slot of partials (runtime/chunks.ts). */
  map: MapChunks;
  /** The same, started: the workers take chunks while this thread does something else, until it joins. */
  begin: BeginChunks;
  /** Threads that may run a mapped kernel at once: the scratch slots it needs. */
  slots: number;
  /** An E-step kernel over a workspace's chunks on the threads, each chunk's partial sums binned as Lloyd's; returns the summed results. */
  chunkedStep: ChunkedStep;
}

/**
 * An E-step kernel over a workspace's chunks: `args` with the chunk's rows at startAt, startAt + 1 and its partial sums
 * (partialLayout, zeroed by the kernel) at partialAt, a thread slot's scratch moved by `scratch`.
 */
export type ChunkedStep = (ws: Workspace, kernel: MappedKernel, args: number[], at: { startAt: number; partialAt: number; scratch?: Scratch }) => number;

/**
 * The control block shared by this thread and the workers (an Int32Array over a SharedArrayBuffer), by word. The
 * workers get this very layout with their source text, so both sides read every word by its name.
 */
const CONTROL = {
  /** Bumped to wake the workers for a pass (and at a session's end). */
  generation: 0,
  /** 1 while a session runs. */
  active: 1,
  /** The next chunk to claim. */
  next: 2,
  /** Workers done with the pass. */
  done: 3,
  /** 1 when a kernel failed in a worker. */
  failed: 4,
  /** The kernel (an index into MAPPED_KERNELS) and its arguments: nArgs f64 at `args`. */
  kernel: 5,
  args: 6,
  nArgs: 7,
  /** The range's items (rows), and the items per chunk. */
  nSamples: 8,
  rows: 9,
  /** Chunk c's f64 result at partials + 8c. */
  partials: 10,
  /** Where a chunk's start and end go among the arguments. */
  startAt: 11,
  /** The scratch pair (−1 for none), moved by a stride per thread slot. */
  scratchAt: 12,
  scratchStride: 13,
  nextScratchStride: 14,
  /** The argument moved by a stride per chunk (−1 for none), and that stride. */
  chunkAt: 15,
  chunkStride: 16,
  /** Workers that have exited (counted by their process 'exit' listener), and the last one's exit code. */
  exits: 17,
  exitCode: 18,
  /** Bytes of the failed kernel's error text, which starts at word failureText and fills the rest of the block. */
  failureLength: 19,
  failureText: 20,
} as const;
type Control = typeof CONTROL;
const CONTROL_BYTES = CONTROL.failureText * 4 + 256;
/** How long the calling thread waits for workers that make no progress before it gives the fit up: at least this… */
const STALL_FLOOR_MS = 10_000;
/** …and at least this many times its own slowest chunk. */
const STALL_CHUNKS = 100;
/** The calling thread wakes this often to look for workers that exited. */
const WAIT_SLICE_MS = 100;

/**
 * Claims chunks until none is left: a kernel of MAPPED_KERNELS over chunks of a range, each chunk's f64 result to
 * its slot of partials, with the scratch of this thread's slot and its chunk's argument moved by the chunk stride.
 * Pointers are read unsigned. Refers to nothing outside itself: workers run its source text.
 */
function claimChunks(control: Int32Array, C: Control, kernels: Kernels, slot: number, mapped: readonly string[]): number {
  const args = control[C.args] >>> 0;
  const nSamples = control[C.nSamples];
  const rows = control[C.rows];
  const partials = control[C.partials] >>> 0;
  const nChunks = Math.ceil(nSamples / rows);
  let claimed = 0;
  const kernel = (kernels as unknown as Record<string, (...values: number[]) => number>)[mapped[control[C.kernel]]];
  const values = Array.from(new Float64Array(kernels.memory.buffer, args, control[C.nArgs]));
  const startAt = control[C.startAt];
  const scratchAt = control[C.scratchAt];
  if (scratchAt >= 0) {
    values[scratchAt] += slot * control[C.scratchStride];
    values[scratchAt + 1] += slot * control[C.nextScratchStride];
  }
  const chunkAt = control[C.chunkAt];
  const chunkBase = chunkAt >= 0 ? values[chunkAt] : 0;
  for (let c = Atomics.add(control, C.next, 1); c < nChunks; c = Atomics.add(control, C.next, 1), claimed++) {
    values[startAt] = c * rows;
    values[startAt + 1] = Math.min(nSamples, (c + 1) * rows);
    if (chunkAt >= 0) values[chunkAt] = chunkBase + c * control[C.chunkStride];
    new Float64Array(kernels.memory.buffer, partials + c * 8, 1)[0] = kernel(...values) ?? 0;
  }
  return claimed;
}

/**
 * A worker: instantiates the module over the shared memory, then on each session message (the generation it
 * starts from) serves E-steps until the session ends, and goes back to its event loop (unref'd: idle workers
 * keep no process alive). A kernel's error is written after the control words; `onExit` (Node's process 'exit')
 * counts the worker's exit there, since the calling thread, blocked in Atomics.wait, sees no 'exit' event.
 */
function workerMain(
  claim: typeof claimChunks, C: Control, mapped: readonly string[], { parentPort, workerData }: any, onExit?: (listener: (code: number) => void) => void,
): void {
  const control = new Int32Array(workerData.control);
  onExit?.((code) => {
    Atomics.store(control, C.exitCode, code);
    Atomics.add(control, C.exits, 1);
    Atomics.notify(control, C.done);
  });
  const exports = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory } }).exports;
  const kernels = { ...exports, memory: workerData.memory } as unknown as Kernels;
  parentPort.on('message', ({ start, slot }: { start: number; slot: number }) => {
    for (let seen = start; ; ) {
      Atomics.wait(control, C.generation, seen);
      seen = Atomics.load(control, C.generation);
      if (Atomics.load(control, C.active) === 0) break;
      try {
        claim(control, C, kernels, slot, mapped);
      } catch (error) {
        if (Atomics.compareExchange(control, C.failed, 0, 1) === 0) {
          const { written } = new TextEncoder().encodeInto(String(error), new Uint8Array(control.buffer, C.failureText * 4));
          Atomics.store(control, C.failureLength, written);
        }
      }
      Atomics.add(control, C.done, 1);
      Atomics.notify(control, C.done);
    }
    parentPort.postMessage('idle');
  });
  parentPort.postMessage('ready');
}

// The worker's require is in the text, out of bundlers' reach; their helpers (esbuild's __name) do not exist there.
const workerSource = `const __name = (f) => f;\n(${workerMain})(${claimChunks}, ${JSON.stringify(CONTROL)}, ${JSON.stringify(MAPPED_KERNELS)}, require('node:worker_threads'), (listener) => process.on('exit', listener));`;

// A Web Worker's version: its first message is the workerData, later ones go to workerMain's parentPort.
const webWorkerSource = `const __name = (f) => f;
self.onmessage = (first) => {
  const listeners = [];
  self.onmessage = (event) => listeners.forEach((listener) => listener(event.data));
  const parentPort = { on: (_type, listener) => listeners.push(listener), postMessage: (message) => self.postMessage(message) };
  (${workerMain})(${claimChunks}, ${JSON.stringify(CONTROL)}, ${JSON.stringify(MAPPED_KERNELS)}, { parentPort, workerData: first.data });
};`;

/** What the pool needs of a worker: Node's Worker, or a Web Worker behind webWorker(). */
interface ThreadWorker {
  postMessage(message: unknown): void;
  on(event: string, listener: (value: any) => void): void;
  once(event: string, listener: (value: any) => void): void;
  off(event: string, listener: (value: any) => void): void;
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

interface Pool {
  kernels: Kernels;
  module: WebAssembly.Module;
  control: Int32Array;
  workers: ThreadWorker[];
  spawn: (workerData: object) => ThreadWorker;
  defaultThreads: number;
  /** Whether this thread may Atomics.wait (not a browser's main thread). */
  canWait: boolean;
}

let pool: Promise<Pool | undefined> | undefined;
/** Sessions run one at a time. */
let queue: Promise<unknown> = Promise.resolve();

/** Where the package ships the threaded module: its own export `wasmeans/wasmeans-threads.wasm`. */
function wasmPath(createRequire: (from: string) => { resolve(id: string): string }): string {
  try {
    return createRequire(import.meta.url).resolve('wasmeans/wasmeans-threads.wasm');
  } catch (cause) {
    throw new WasmeansError('UNSUPPORTED', `threads need wasmeans-threads.wasm, and resolving wasmeans/wasmeans-threads.wasm from ${import.meta.url} failed (${String(cause)})`);
  }
}

/** The pool's kernels and control block, or undefined where there are no threads to have (workerd, pages not crossOriginIsolated). */
function loadPool(): Promise<Pool | undefined> {
  if (typeof process === 'object' && typeof process?.versions?.node === 'string') return loadNodePool();
  return loadBrowserPool();
}

async function loadNodePool(): Promise<Pool | undefined> {
  if (typeof SharedArrayBuffer !== 'function') return undefined;
  let modules: any[];
  try {
    modules = await Promise.all(['worker_threads', 'fs', 'module', 'os'].map(builtin));
  } catch {
    return undefined;
  }
  const [{ Worker }, { readFileSync }, { createRequire }, os] = modules;
  const path = wasmPath(createRequire);
  let bytes: BufferSource;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new WasmeansError('UNSUPPORTED', `threads need wasmeans-threads.wasm from the wasmeans package, and reading ${String(path)} failed (${String(cause)})`);
  }
  const defaultThreads = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const spawn = (workerData: object): ThreadWorker => new Worker(workerSource, { eval: true, workerData });
  return makePool(await WebAssembly.compile(bytes), spawn, defaultThreads, true);
}

/** Web Workers over a shared memory: only where the page is crossOriginIsolated (SharedArrayBuffer allowed). */
async function loadBrowserPool(): Promise<Pool | undefined> {
  const scope = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  if (scope.crossOriginIsolated !== true || typeof Worker !== 'function' || typeof SharedArrayBuffer !== 'function') return undefined;
  if (typeof DecompressionStream !== 'function') return undefined;
  const module = await WebAssembly.compile(await inlinedBytes(wasmThreadsGzipBase64, 'threaded wasm'));
  return makePool(module, webWorker, scope.navigator?.hardwareConcurrency ?? 1, false);
}

/** A Web Worker behind the small part of Node's Worker interface the pool uses. */
function webWorker(workerData: object): ThreadWorker {
  const url = URL.createObjectURL(new Blob([webWorkerSource], { type: 'text/javascript' }));
  const worker = new Worker(url);
  const listeners = { message: new Set<(value: any) => void>(), exit: new Set<(value: any) => void>(), error: new Set<(value: any) => void>() };
  type Event = keyof typeof listeners;
  const emit = (event: Event, value: unknown) => [...listeners[event]].forEach((listener) => listener(value));
  worker.onmessage = (event) => {
    URL.revokeObjectURL(url);
    emit('message', event.data);
  };
  worker.onerror = (event) => {
    emit('error', new WasmeansError('UNSUPPORTED', `a wasmeans worker failed to start: ${event.message}`));
    emit('exit', 1);
  };
  worker.postMessage(workerData);
  return {
    postMessage: (message) => worker.postMessage(message),
    on: (event, listener) => listeners[event as Event].add(listener),
    off: (event, listener) => listeners[event as Event].delete(listener),
    once(event, listener) {
      const wrapped = (value: unknown) => {
        listeners[event as Event].delete(wrapped);
        listener(value);
      };
      listeners[event as Event].add(wrapped);
    },
    ref() {},
    unref() {},
    terminate() {
      worker.terminate();
      emit('exit', 0);
    },
  };
}

async function makePool(module: WebAssembly.Module, spawn: Pool['spawn'], defaultThreads: number, canWait: boolean): Promise<Pool> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true } as WebAssembly.MemoryDescriptor);
  // Asynchronous: browsers refuse to instantiate modules over 4 KB synchronously on the main thread.
  const instance = await WebAssembly.instantiate(module, moduleImports(memory));
  const kernels = { ...instance.exports, memory } as unknown as Kernels;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
  return { kernels, module, control, workers: [], spawn, defaultThreads, canWait };
}

/** Starts workers until the pool has `count`; resolves when each has instantiated the module. */
async function grow(p: Pool, count: number): Promise<void> {
  const started: Promise<void>[] = [];
  while (p.workers.length < count) {
    const worker = p.spawn({ module: p.module, memory: p.kernels.memory, control: p.control.buffer });
    worker.unref();
    // A worker gone (terminated from outside, crashed) leaves the pool; the next fit starts another.
    worker.once('exit', () => {
      const at = p.workers.indexOf(worker);
      if (at >= 0) p.workers.splice(at, 1);
    });
    p.workers.push(worker);
    started.push(
      new Promise((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      }),
    );
  }
  await Promise.all(started);
}

/** How a session ended when it did not end well: a worker failed, exited, or stopped making progress. */
interface Session {
  /** Workers' exits counted before the session began. */
  exitsBefore: number;
  /** Set when a worker stopped answering: its pool is not to be used again. */
  stalled: boolean;
  /** The longest this thread took for one chunk, for the stall limit. */
  slowestChunkMs: number;
}

const threadFailed = (message: string) => new WasmeansError('THREAD_FAILED', message);

/**
 * Waits until `nWorkers` workers are done with the pass. Blocked here, this thread sees no worker's 'exit' event:
 * it wakes every WAIT_SLICE_MS to look at the exits the workers count themselves, and gives up on workers that
 * make no progress (a worker killed from outside counts nothing) for STALL_FLOOR_MS and STALL_CHUNKS chunks.
 */
function awaitWorkers(p: Pool, nWorkers: number, session: Session): void {
  const { control } = p;
  const limit = Math.max(STALL_FLOOR_MS, STALL_CHUNKS * session.slowestChunkMs);
  let progress = Atomics.load(control, CONTROL.done) + Atomics.load(control, CONTROL.next);
  let since = performance.now();
  for (let done = Atomics.load(control, CONTROL.done); done < nWorkers; done = Atomics.load(control, CONTROL.done)) {
    if (Atomics.load(control, CONTROL.exits) !== session.exitsBefore) {
      throw threadFailed(`a worker thread exited with code ${Atomics.load(control, CONTROL.exitCode)} during the fit; the fit is abandoned, and the next one starts a new worker`);
    }
    // A browser's main thread may not wait: it spins for the workers' last chunks.
    if (p.canWait) Atomics.wait(control, CONTROL.done, done, WAIT_SLICE_MS);
    const now = performance.now();
    const seen = Atomics.load(control, CONTROL.done) + Atomics.load(control, CONTROL.next);
    if (seen !== progress) {
      progress = seen;
      since = now;
    } else if (now - since > limit) {
      session.stalled = true;
      throw threadFailed(
        `${nWorkers - done} of ${nWorkers} worker threads made no progress for ${Math.round(limit / 1000)} s (exited, killed or starved); ` +
          'the fit is abandoned and the threads replaced',
      );
    }
  }
}

/**
 * The passes over the session's threads: this one and `nWorkers` workers claim the chunks; the E-step's partial
 * sums are then added here as binned sums.
 */
function threadedPasses(p: Pool, nWorkers: number, session: Session): Omit<Engine, 'kernels'> {
  const partials = new WeakMap<Workspace, number>();
  const { control } = p;
  /** Starts a pass: the task's words to the control block, the workers woken; the returned function joins it. */
  const start = (kernels: Kernels, words: Partial<Record<keyof Control, number>>): (() => void) => {
    for (const [name, value] of Object.entries({ next: 0, done: 0, failed: 0, ...words })) {
      Atomics.store(control, CONTROL[name as keyof Control], value);
    }
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    return () => {
      // This thread claims what is left, then waits for the workers.
      const started = performance.now();
      const claimed = claimChunks(control, CONTROL, kernels, 0, MAPPED_KERNELS);
      if (claimed > 0) session.slowestChunkMs = Math.max(session.slowestChunkMs, (performance.now() - started) / claimed);
      awaitWorkers(p, nWorkers, session);
      if (Atomics.load(control, CONTROL.failed)) {
        const text = new TextDecoder().decode(new Uint8Array(control.buffer, CONTROL.failureText * 4, Atomics.load(control, CONTROL.failureLength)));
        throw threadFailed(`a wasm kernel failed in a worker thread: ${text}`);
      }
    };
  };
  const begin: BeginChunks = (kernels, kernel, args, range) => {
    const { startAt, items, chunk, partials, argsPtr, scratch, perChunk } = range;
    // One chunk is this thread's: waking the workers would cost more than it shares.
    if (items <= chunk) return beginChunks(kernels, kernel, args, range);
    // The arguments as f64 in the shared memory, for the workers to read.
    f64View(kernels, argsPtr, args.length).set(args);
    const join = start(kernels, {
      kernel: MAPPED_KERNELS.indexOf(kernel), args: argsPtr, nArgs: args.length, startAt, nSamples: items, rows: chunk, partials,
      scratchAt: scratch ? scratch.at : -1, scratchStride: scratch?.stride ?? 0, nextScratchStride: scratch?.nextStride ?? 0,
      chunkAt: perChunk ? perChunk.at : -1, chunkStride: perChunk?.stride ?? 0,
    });
    return () => {
      join();
      return new Float64Array(kernels.memory.buffer, partials, Math.ceil(items / chunk));
    };
  };
  const map: MapChunks = (kernels, kernel, args, range) => begin(kernels, kernel, args, range)();
  const chunkedStep: ChunkedStep = (ws, kernel, args, { startAt, partialAt, scratch }) => {
    const { kernels, nSamples, nFeatures, nClusters } = ws;
    const nChunks = Math.ceil(nSamples / ws.chunkRows);
    const { stride } = partialLayout(nClusters, nFeatures);
    // Every chunk's partial sums at once, laid out once per workspace.
    let base = partials.get(ws);
    if (base === undefined) {
      base = lineAligned(allocate(kernels, { partials: nChunks * stride + CACHE_LINE }, `the partial sums of a threaded fit on ${nSamples}×${nFeatures}`, ws.advice, true).partials);
      partials.set(ws, base);
    }
    const values = args.slice();
    values[partialAt] = base;
    let total = 0;
    for (const result of map(kernels, kernel, values, { ...chunksOf(ws, startAt), scratch, perChunk: { at: partialAt, stride } })) total += result;
    addPartials(ws, base, nChunks);
    return total;
  };
  return {
    eStep: (ws) => chunkedStep(ws, 'lloydChunk', [ws.ptr.args, 0, 0, 0], { startAt: 1, partialAt: 3 }),
    assign: (ws) => void map(ws.kernels, 'assignLabels', [ws.ptr.args, 0, 0], chunksOf(ws, 1)),
    map, begin, chunkedStep, slots: nWorkers + 1,
  };
}

/**
 * Runs `fit` with `threads` threads (default: the cores available) sharing its E-steps; on this thread alone
 * where worker_threads are missing or threads is 1. Sessions queue one after another; workers stay for the next.
 */
export function withThreads<T>(threads: number | undefined, fit: (engine?: Engine) => T): Promise<T> {
  const run = queue.then(async () => {
    if (threads === 1) return fit();
    pool ??= loadPool().catch((error) => {
      pool = undefined;
      throw error;
    });
    const current = pool;
    const p = await current;
    const count = threads ?? p?.defaultThreads ?? 1;
    if (!p || count <= 1) return fit();
    await grow(p, count - 1);
    const workers = p.workers.slice(0, count - 1);
    const { control } = p;
    const session: Session = { exitsBefore: Atomics.load(control, CONTROL.exits), stalled: false, slowestChunkMs: 0 };
    Atomics.store(control, CONTROL.active, 1);
    const start = Atomics.load(control, CONTROL.generation);
    // Each worker answers 'idle' when the session ends (or has exited).
    const idle = workers.map((worker) => new Promise<void>((resolve) => {
      const done = () => {
        worker.off('message', done);
        worker.off('exit', done);
        resolve();
      };
      worker.on('message', done);
      worker.on('exit', done);
    }));
    workers.forEach((worker, k) => {
      worker.ref();
      // Slot 0 is this thread's: a mapped kernel's scratch is per slot.
      worker.postMessage({ start, slot: k + 1 });
    });
    try {
      return fit({ kernels: p.kernels, ...threadedPasses(p, workers.length, session) });
    } finally {
      Atomics.store(control, CONTROL.active, 0);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      // A worker that stopped answering may still write into the pool's memory: the pool goes, and with it the memory.
      if (session.stalled) {
        if (pool === current) pool = undefined;
        await Promise.all(p.workers.map((worker) => worker.terminate()));
      }
      await Promise.all(idle);
      for (const worker of workers) worker.unref();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Stops the worker threads (idle ones keep no process alive anyway); the next threaded fit starts new ones. */
export async function shutdownThreads(): Promise<void> {
  const current = pool;
  await queue;
  if (!current || pool !== current) return;
  pool = undefined;
  const p = await current.catch(() => undefined);
  if (p) await Promise.all(p.workers.map((worker) => worker.terminate()));
}
