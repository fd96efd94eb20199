// The one owner of the wasm module: instantiation, the instance of this realm, and the typed view of its kernels
// (src/generated/kernels.ts, generated from assembly/ and held against the module's exports by a test).
import { describe, WasmeansError } from '../core/errors';
import { type OptionsOf, type ParamSpecs } from '../core/params';
import type { Kernels } from '../generated/kernels';

export type { Kernels } from '../generated/kernels';

/** What `init()` accepts: a compiled module (Cloudflare Workers), bytes, or where to fetch them. */
export type WasmSource = WebAssembly.Module | BufferSource | URL | string | Response | PromiseLike<Response | BufferSource>;

let kernels: Kernels | undefined;
let pending: Promise<void> | undefined;

/**
 * The graph module (neighbours, sparse linear algebra, t-SNE, the silhouette), a second module over the core's
 * memory: code that calls its kernels imports runtime/graph.ts, which asks for it, and init() loads it from where
 * the entry says (inlined bytes, or the Workers' .wasm import). An app that imports none of that code loads none.
 */
let graphWanted = false;
let graphSource: () => Promise<WasmSource> | WasmSource;
export const wantGraph = () => (graphWanted = true);
export const setGraphSource = (source: typeof graphSource) => (graphSource = source);
/** Whether these kernels include the graph module's (loaded beside the core, or a build that carries both). */
export const hasGraph = (loadedKernels: Kernels) => 'bhRepulsive' in loadedKernels;
const missingGraph = () => graphWanted && kernels !== undefined && !hasGraph(kernels);

/** The module imports nothing but, in the threads' build, its shared memory (asconfig.json: no abort import). */
export const moduleImports = (memory?: WebAssembly.Memory): WebAssembly.Imports => (memory ? { env: { memory } } : {});

function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new WasmeansError('UNSUPPORTED', 'WebAssembly is not available in this JavaScript runtime; wasmeans needs WebAssembly with SIMD');
  }
}

async function instantiate(source: WasmSource, memory?: WebAssembly.Memory): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return new WebAssembly.Instance(source, moduleImports(memory));
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    if (!WebAssembly.validate(source)) {
      throw new WasmeansError('UNSUPPORTED', 'the wasmeans module does not validate here: this runtime lacks WebAssembly SIMD (128-bit) support, or the bytes are not wasmeans.wasm');
    }
    try {
      return (await WebAssembly.instantiate(source, moduleImports(memory))).instance;
    } catch (cause) {
      // Cloudflare Workers (workerd) compile wasm only at upload: from bytes, they refuse.
      if (/code generation disallowed/i.test(String(cause))) {
        throw new WasmeansError(
          'UNSUPPORTED',
          `this runtime refuses to compile WebAssembly from bytes (${String(cause)}); in Cloudflare Workers import wasmeans ` +
            "through its 'workerd' export condition (as wrangler does) or pass init() its WebAssembly.Module",
        );
      }
      throw cause;
    }
  }
  if (typeof source === 'string' || source instanceof URL) return instantiate(await fetchModule(source), memory);
  const response = await source;
  // A promise of bytes (init's own relaxed-SIMD choice) rather than of a Response.
  if (response instanceof ArrayBuffer || ArrayBuffer.isView(response)) return instantiate(response, memory);
  if (!(response instanceof Response)) {
    throw new WasmeansError('INVALID_PARAMETER', `init() takes a WebAssembly.Module, bytes, a URL, a Response or { relaxedSimd }, got ${describe(response)}`);
  }
  if (!response.ok) throw new WasmeansError('INVALID_INPUT', `fetching wasmeans.wasm failed: HTTP ${response.status} from ${response.url}`);
  return instantiate(await response.arrayBuffer(), memory);
}

/**
 * A Node built-in module, out of bundlers' and miniflare's sight (they refuse or rewrite computed imports): Node's
 * process.getBuiltinModule where it exists (20.16+), else an import() compiled at run time.
 */
export function builtin(name: string): Promise<any> {
  const specifier = `node:${name}`;
  const getBuiltinModule = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltinModule === 'function') return Promise.resolve(getBuiltinModule(specifier));
  return new Function('specifier', 'return import(specifier)')(specifier);
}

/**
 * The bytes at a URL or path. In Node, file: URLs and strings that are no absolute URL (paths, relative to the
 * working directory) are read from the file system, since its fetch refuses them; everything else is fetched. A
 * failure is a WasmeansError that names the source.
 */
async function fetchModule(source: string | URL): Promise<Response | Uint8Array> {
  const where = String(source);
  const inNode = typeof process === 'object' && typeof process.versions?.node === 'string' && typeof location !== 'object';
  try {
    if (inNode && typeof source === 'string' && !URL.canParse(source)) return new Uint8Array(await (await builtin('fs/promises')).readFile(source));
    const url = new URL(source, typeof location === 'object' ? location.href : undefined);
    if (inNode && url.protocol === 'file:') return new Uint8Array(await (await builtin('fs/promises')).readFile(url));
    return await fetch(url);
  } catch (cause) {
    throw new WasmeansError('INVALID_INPUT', `init() could not load the wasm module from ${JSON.stringify(where)} (${String(cause)}); pass a path, a URL, the bytes or a WebAssembly.Module`);
  }
}

/** An inlined build asked for by name (init's options): the plain one or relaxed SIMD. */
export type BuildChoice = 'plain' | 'relaxed';
let loaded: BuildChoice | undefined;

/**
 * Instantiates the module once per realm; later calls return at once, unless they insist on the other inlined build
 * (init({ relaxedSimd })), which then replaces the instance: no state outlives a call but the module itself.
 * `build` names the inlined build `source` is, if it is one. The graph module follows when asked for and missing.
 */
export function initialize(source: WasmSource | (() => WasmSource), build?: BuildChoice, insist = false): Promise<void> {
  const switching = kernels !== undefined && insist && loaded !== undefined && build !== loaded;
  if (kernels && !switching && !missingGraph()) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      assertWebAssembly();
      if (!kernels || switching) {
        const instance = await instantiate(typeof source === 'function' ? source() : source);
        kernels = { ...instance.exports } as unknown as Kernels;
        loaded = build;
      }
      if (missingGraph()) Object.assign(kernels!, (await instantiate(await graphSource(), kernels!.memory)).exports);
    })();
    pending.then(
      () => (pending = undefined),
      () => (pending = undefined),
    );
  }
  return pending;
}

/** The kernels; throws NOT_INITIALIZED before `init()` has resolved. */
export function getKernels(): Kernels {
  if (!kernels) {
    throw new WasmeansError('NOT_INITIALIZED', 'wasmeans is not initialized: call and await init() first');
  }
  return kernels;
}

/** Which build of the kernels init() loaded: the plain SIMD one, or relaxed SIMD (fused multiply-adds). */
export function simdBuild(): 'simd' | 'relaxed-simd' {
  return getKernels().relaxedSimd() === 1 ? 'relaxed-simd' : 'simd';
}

export function initParams() {
  return {
    /**
     * Load the relaxed-SIMD build (fused multiply-add in the scores, 1.05–1.15× per Lloyd iteration) where the runtime
     * validates it, else the plain one. Its float32 rounding differs from the plain build's, and with it from one
     * machine to another; off by default, so that results are the same everywhere.
     */
    relaxedSimd: { kind: 'boolean', fallback: false },
  } as const satisfies ParamSpecs;
}
export type InitOptions = OptionsOf<ReturnType<typeof initParams>>;

/** Options rather than a source: a plain object (a Module, bytes, a URL or a Response never is one). */
export function isInitOptions(source: unknown): source is InitOptions {
  return typeof source === 'object' && source !== null && Object.getPrototypeOf(source) === Object.prototype && !('then' in source);
}

