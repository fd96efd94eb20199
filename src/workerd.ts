// The `workerd` export condition: Cloudflare Workers refuse to compile wasm from bytes at run time ("Wasm
// code generation disallowed by embedder"), so this entry imports the .wasm file, which the Workers runtime
// compiles at upload and hands over as a WebAssembly.Module.
import wasmModule from './wasmeans.wasm';
import { resolveParams } from './core/params';
import { initParams, type InitOptions, initialize, isInitOptions, setGraphSource, type WasmSource } from './runtime/module';

// The graph module (neighbours, t-SNE, spectral) comes as a second .wasm file, imported only by apps that use it.
setGraphSource(() => import('./wasmeans-graph.wasm').then((graph) => graph.default));

export * from './api';

/**
 * Loads the wasm module; idempotent. With no argument (or only options) the module bundled with the Worker is
 * used: Workers compile no wasm at run time, so `{ relaxedSimd: true }` keeps the plain build here.
 */
export async function init(source?: WasmSource | InitOptions): Promise<void> {
  if (isInitOptions(source)) resolveParams(initParams(), source, 'init');
  return initialize(source === undefined || isInitOptions(source) ? wasmModule : source);
}
