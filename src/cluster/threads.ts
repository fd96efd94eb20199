// Node: Lloyd's E-step shared by worker_threads over one shared WebAssembly.Memory. A second build of the module
// (build/wasmeans-threads.wasm: shared, imported memory) is instantiated on this thread and in each worker; the
// fit runs here as the synchronous one does, and each E-step's fixed row chunks (lloydChunkRows) are claimed
// by this thread and the workers, each into its own partial sums, which this thread adds in chunk order: the
// result is bitwise that of the synchronous fit, whatever the thread count. Synchronisation is Atomics.wait /
// notify on an Int32Array over a SharedArrayBuffer. Browsers do the same with Web Workers when the page is
// crossOriginIsolated (their main thread may not Atomics.wait, so it spins for the last chunks instead; the
// threaded module comes inlined in this chunk). Elsewhere (Cloudflare Workers, other pages) the fit runs on
// this thread.
import { allocate, f64View } from '../runtime/arena';
import { WasmeansError } from '../core/errors';
import { addPartial, type Assign, type EStep, lloydChunkRows, partialBytes, sequentialEStep } from './lloyd';
import { wasmThreadsGzipBase64 } from '../generated/wasmThreadsBase64';
import { decodeBase64, type Kernels } from '../runtime/module';
import type { Workspace } from './workspace';

/** What a fit needs: the kernels whose memory holds its workspace, and how to run its passes over the rows. */
export interface Engine {
  kernels: Kernels;
  eStep: EStep;
  assign: Assign;
}

// Control words, as literals inside claimChunks and workerMain, which run as source text in the workers.
const Word = { generation: 0, active: 1, next: 2, done: 3, changed: 4, failed: 5 } as const;
const CONTROL_WORDS = 32;

/**
 * Claims chunks until none is left. Word 17 = 0: the E-step, each chunk into its own partial sums at
 * partials + c × stride (zeroed first), adding the number of changed labels; 1: labels only. Words 6.. hold
 * the arguments; pointers are read unsigned. Refers to nothing outside itself: workers run its source text.
 */
function claimChunks(control: Int32Array, kernels: Kernels): void {
  const x = control[6] >>> 0;
  const weights = control[7] >>> 0;
  const nSamples = control[8];
  const nFeatures = control[9];
  const centersT = control[10] >>> 0;
  const centerNorms = control[11] >>> 0;
  const nBlocks = control[12];
  const labels = control[13] >>> 0;
  const partials = control[14] >>> 0;
  const nClusters = control[15];
  const rows = control[16];
  const stride = (nClusters * nFeatures + nClusters) * 8;
  const nChunks = Math.ceil(nSamples / rows);
  let changed = 0;
  const labelsOnly = control[17] === 1;
  for (let c = Atomics.add(control, 2, 1); c < nChunks; c = Atomics.add(control, 2, 1)) {
    if (labelsOnly) {
      kernels.assignLabels(x, c * rows, Math.min(nSamples, (c + 1) * rows), nFeatures, centersT, centerNorms, nBlocks, labels);
      continue;
    }
    const sums = partials + c * stride;
    new Float64Array(kernels.memory.buffer, sums, stride / 8).fill(0);
    changed += kernels.lloydChunk(
      x, weights, c * rows, Math.min(nSamples, (c + 1) * rows), nFeatures, centersT, centerNorms, nBlocks, labels, sums,
      sums + nClusters * nFeatures * 8,
    );
  }
  Atomics.add(control, 4, changed);
}

/**
 * A worker: instantiates the module over the shared memory, then on each session message (the generation it
 * starts from) serves E-steps until the session ends, and goes back to its event loop (unref'd: idle workers
 * keep no process alive).
 */
function workerMain(claim: typeof claimChunks, { parentPort, workerData }: any): void {
  const control = new Int32Array(workerData.control);
  const env = { memory: workerData.memory, abort: () => { throw new Error('wasm kernel aborted'); } };
  const exports = new WebAssembly.Instance(workerData.module, { env }).exports;
  const kernels = { ...exports, memory: workerData.memory } as unknown as Kernels;
  parentPort.on('message', (start: number) => {
    for (let seen = start; ; ) {
      Atomics.wait(control, 0, seen);
      seen = Atomics.load(control, 0);
      if (Atomics.load(control, 1) === 0) break;
      try {
        claim(control, kernels);
      } catch {
        Atomics.store(control, 5, 1);
      }
      Atomics.add(control, 3, 1);
      Atomics.notify(control, 3);
    }
    parentPort.postMessage('idle');
  });
  parentPort.postMessage('ready');
}

// The worker's require is in the text, out of bundlers' reach; their helpers (esbuild's __name) do not exist there.
const workerSource = `const __name = (f) => f;\n(${workerMain})(${claimChunks}, require('node:worker_threads'));`;

// A Web Worker's version: its first message is the workerData, later ones go to workerMain's parentPort.
const webWorkerSource = `const __name = (f) => f;
self.onmessage = (first) => {
  const listeners = [];
  self.onmessage = (event) => listeners.forEach((listener) => listener(event.data));
  const parentPort = { on: (_type, listener) => listeners.push(listener), postMessage: (message) => self.postMessage(message) };
  (${workerMain})(${claimChunks}, { parentPort, workerData: first.data });
};`;

/**
 * A Node built-in module, out of bundlers' and miniflare's sight (they refuse or rewrite computed imports): Node's
 * process.getBuiltinModule where it exists (20.16+), else an import() compiled at run time.
 */
function builtin(name: string): Promise<any> {
  const specifier = `node:${name}`;
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltinModule === 'function') return Promise.resolve(getBuiltinModule(specifier));
  return new Function('specifier', 'return import(specifier)')(specifier);
}

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
  const gzipped = new Blob([decodeBase64(wasmThreadsGzipBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  const module = await WebAssembly.compile(await new Response(gzipped).arrayBuffer());
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
  const abort = (_message: number, _file: number, line: number, column: number): never => {
    throw new WasmeansError('INVALID_INPUT', `wasm kernel aborted at ${line}:${column}`);
  };
  // Asynchronous: browsers refuse to instantiate modules over 4 KB synchronously on the main thread.
  const instance = await WebAssembly.instantiate(module, { env: { memory, abort } });
  const kernels = { ...instance.exports, memory } as unknown as Kernels;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
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

/**
 * The passes over the session's threads: this one and `nWorkers` workers claim the chunks; the E-step's partial
 * sums are then added here in chunk order.
 */
function threadedPasses(p: Pool, nWorkers: number): Omit<Engine, 'kernels'> {
  const partials = new WeakMap<Workspace, number>();
  const { control } = p;
  /** One pass: the arguments to the control block, the workers woken, chunks claimed, all done. */
  const pass = (ws: Workspace, nBlocks: number, base: number, labelsOnly: boolean): void => {
    const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
    const rows = lloydChunkRows(nSamples, nFeatures, nClusters);
    control.set([ptr.x, ptr.weights, nSamples, nFeatures, ptr.centersT, ptr.centerNorms, nBlocks, ptr.labels, base, nClusters, rows, labelsOnly ? 1 : 0], 6);
    for (const word of [Word.next, Word.done, Word.changed, Word.failed]) Atomics.store(control, word, 0);
    Atomics.add(control, Word.generation, 1);
    Atomics.notify(control, Word.generation);
    claimChunks(control, kernels);
    for (let done = Atomics.load(control, Word.done); done < nWorkers; done = Atomics.load(control, Word.done)) {
      // A browser's main thread may not wait: it spins for the workers' last chunks.
      if (p.canWait) Atomics.wait(control, Word.done, done);
    }
    if (Atomics.load(control, Word.failed)) throw new WasmeansError('INVALID_INPUT', 'a wasm kernel failed in a worker thread');
  };
  const eStep: EStep = (ws, nBlocks) => {
    const { kernels, nSamples, nFeatures, nClusters, ptr } = ws;
    const nChunks = Math.ceil(nSamples / lloydChunkRows(nSamples, nFeatures, nClusters));
    if (nChunks === 1) return sequentialEStep(ws, nBlocks);
    const stride = partialBytes(nClusters, nFeatures);
    let base = partials.get(ws);
    if (base === undefined) {
      base = allocate(kernels, { partials: nChunks * stride }, `the partial sums of a threaded fit on ${nSamples}×${nFeatures}`, true).partials;
      partials.set(ws, base);
    }
    pass(ws, nBlocks, base, false);
    const weightsOffset = nClusters * nFeatures * 8;
    f64View(kernels, ptr.sums, nClusters * nFeatures).set(f64View(kernels, base, nClusters * nFeatures));
    f64View(kernels, ptr.weightInClusters, nClusters).set(f64View(kernels, base + weightsOffset, nClusters));
    for (let c = 1; c < nChunks; c++) addPartial(kernels, ws, base + c * stride, base + c * stride + weightsOffset);
    return Atomics.load(control, Word.changed);
  };
  return { eStep, assign: (ws, nBlocks) => pass(ws, nBlocks, 0, true) };
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
    const p = await pool;
    const count = threads ?? p?.defaultThreads ?? 1;
    if (!p || count <= 1) return fit();
    await grow(p, count - 1);
    const workers = p.workers.slice(0, count - 1);
    const { control } = p;
    Atomics.store(control, Word.active, 1);
    const start = Atomics.load(control, Word.generation);
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
    for (const worker of workers) {
      worker.ref();
      worker.postMessage(start);
    }
    try {
      return fit({ kernels: p.kernels, ...threadedPasses(p, workers.length) });
    } finally {
      Atomics.store(control, Word.active, 0);
      Atomics.add(control, Word.generation, 1);
      Atomics.notify(control, Word.generation);
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
