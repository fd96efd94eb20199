// The default entry: the wasm module is inlined as base64, so Node, browsers and bundlers need no argument
// to init() and no bundler configuration. Cloudflare Workers use ./workerd.ts instead (see README).
import { wasmBase64 } from './generated/wasmBase64';
import { decodeBase64, initialize, type WasmSource } from './wasm';

export * from './api';

/**
 * Loads the wasm module; idempotent. With no argument the inlined module is used. Pass a precompiled
 * `WebAssembly.Module` where compiling from bytes is refused (Cloudflare Workers), or bytes / a URL / a Response.
 */
export function init(source?: WasmSource): Promise<void> {
  return initialize(source ?? (() => decodeBase64(wasmBase64)));
}
