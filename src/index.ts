// The default entry: the wasm module is inlined (gzipped, base64), so Node, browsers and bundlers need no
// argument to init() and no bundler configuration. Cloudflare Workers use ./workerd.ts instead (see README).
import { WasmeansError } from './errors';
import { wasmGzipBase64 } from './generated/wasmBase64';
import { decodeBase64, initialize, type WasmSource } from './wasm';

/** The inlined module, unzipped by the runtime's own DecompressionStream (Node 18+, every current browser). */
function inlinedModule(): Response {
  if (typeof DecompressionStream !== 'function') {
    throw new WasmeansError(
      'UNSUPPORTED',
      'this runtime has no DecompressionStream to unpack the inlined wasm; pass init() the URL or bytes of wasmeans/wasmeans.wasm',
    );
  }
  const gzipped = new Blob([decodeBase64(wasmGzipBase64)]).stream();
  return new Response(gzipped.pipeThrough(new DecompressionStream('gzip')));
}

export * from './api';

/**
 * Loads the wasm module; idempotent. With no argument the inlined module is used. Pass a precompiled
 * `WebAssembly.Module` where compiling from bytes is refused (Cloudflare Workers), or bytes / a URL / a Response.
 */
export function init(source?: WasmSource): Promise<void> {
  return initialize(source ?? inlinedModule);
}
