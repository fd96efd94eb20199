// The default entry: the wasm module is inlined (gzipped, base64), so Node, browsers and bundlers need no
// argument to init() and no bundler configuration. Cloudflare Workers use ./workerd.ts instead (see README).
import { wasmGzipBase64 } from './generated/wasmBase64';
import { inlinedBytes } from './runtime/inline';
import { resolveParams } from './core/params';
import { initParams, type InitOptions, initialize, isInitOptions, setGraphSource, type WasmSource } from './runtime/module';

export type { InitOptions } from './runtime/module';

/** The inlined module, unzipped by the runtime's own DecompressionStream. */
const inlinedModule = () => inlinedBytes(wasmGzipBase64, 'wasm');
setGraphSource(() => import('./runtime/graph-inline').then(({ graphModuleBytes }) => graphModuleBytes()));

export * from './api';

/**
 * Loads the wasm module; idempotent. With no argument (or only options) the inlined module is used. Pass a
 * precompiled `WebAssembly.Module` where compiling from bytes is refused (Cloudflare Workers), or bytes / a URL / a Response.
 */
export async function init(source?: WasmSource | InitOptions): Promise<void> {
  if (isInitOptions(source)) {
    if (!resolveParams(initParams(), source, 'init').relaxedSimd) return initialize(inlinedModule, 'plain', true);
    // Where the runtime cannot run it, the plain build: simdBuild() tells which.
    const relaxed = () => import('./runtime/relaxed').then(async ({ relaxedModuleBytes }) => (await relaxedModuleBytes()) ?? inlinedModule());
    return initialize(relaxed, 'relaxed', true);
  }
  return source === undefined ? initialize(inlinedModule, 'plain') : initialize(source);
}
