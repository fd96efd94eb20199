// The `workerd` export condition: Cloudflare Workers refuse to compile wasm from bytes at run time ("Wasm
// code generation disallowed by embedder"), so this entry imports the .wasm file, which the Workers runtime
// compiles at upload and hands over as a WebAssembly.Module.
import wasmModule from './wasmeans.wasm';
import { initialize, type WasmSource } from './wasm';

export * from './api';

/** Loads the wasm module; idempotent. With no argument the module bundled with the Worker is used. */
export function init(source?: WasmSource): Promise<void> {
  return initialize(source ?? wasmModule);
}
