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

/** The module imports nothing but, in the threads' build, its shared memory (asconfig.json: no abort import). */
export const moduleImports = (memory?: WebAssembly.Memory): WebAssembly.Imports => (memory ? { env: { memory } } : {});

function assertWebAssembly(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    throw new WasmeansError('UNSUPPORTED', 'WebAssembly is not available in this JavaScript runtime; wasmeans needs WebAssembly with SIMD');
  }
}

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return new WebAssembly.Instance(source, moduleImports());
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    if (!WebAssembly.validate(source)) {
      throw new WasmeansError('UNSUPPORTED', 'the wasmeans module does not validate here: this runtime lacks WebAssembly SIMD (128-bit) support, or the bytes are not wasmeans.wasm');
    }
    try {
      return (await WebAssembly.instantiate(source, moduleImports())).instance;
    } catch (cause) {
      // Cloudflare Workers (workerd) compile wasm only at upload: from bytes, they refuse.
      if (/code generation disallowed/i.test(String(cause))) {
        throw new WasmeansError(
          'UNSUPPORTED',
          `this runtime refuses to compile WebAssembly from bytes (${String(cause)}); in Cloudflare Workers import wasmeans ` +
            "through its 'workerd' export condition (wrangler does this), or pass init() the WebAssembly.Module of wasmeans.wasm",
        );
      }
      throw cause;
    }
  }
  if (typeof source === 'string' || source instanceof URL) return instantiate(fetch(source));
  const response = await source;
  // A promise of bytes (init's own relaxed-SIMD choice) rather than of a Response.
  if (response instanceof ArrayBuffer || ArrayBuffer.isView(response)) return instantiate(response);
  if (!(response instanceof Response)) {
    throw new WasmeansError('INVALID_PARAMETER', `init() takes a WebAssembly.Module, bytes, a URL, a Response or { relaxedSimd }, got ${describe(response)}`);
  }
  if (!response.ok) throw new WasmeansError('INVALID_INPUT', `fetching wasmeans.wasm failed: HTTP ${response.status} from ${response.url}`);
  return instantiate(await response.arrayBuffer());
}

/** Instantiates the module once per realm; later calls return at once. */
export function initialize(source: WasmSource | (() => WasmSource)): Promise<void> {
  if (kernels) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      assertWebAssembly();
      const instance = await instantiate(typeof source === 'function' ? source() : source);
      kernels = instance.exports as unknown as Kernels;
    })();
    pending.catch(() => {
      pending = undefined;
    });
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

