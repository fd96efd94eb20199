// Data inlined in the bundles as base64 (the wasm builds gzipped, the digits, the photos), decoded with nothing
// but the runtime's own DecompressionStream, so that it works alike in Node, browsers, bundlers and workerd.
import { WasmeansError } from '../core/errors';

/** Decodes base64 without Buffer or atob differences between runtimes. */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length * 3) / 4 - padding);
  let out = 0;
  for (let i = 0; i < text.length; i += 4) {
    const chunk =
      (lookup[text.charCodeAt(i)] << 18) |
      (lookup[text.charCodeAt(i + 1)] << 12) |
      (lookup[text.charCodeAt(i + 2)] << 6) |
      lookup[text.charCodeAt(i + 3)];
    if (out < bytes.length) bytes[out++] = chunk >> 16;
    if (out < bytes.length) bytes[out++] = (chunk >> 8) & 255;
    if (out < bytes.length) bytes[out++] = chunk & 255;
  }
  return bytes;
}

/** The bytes of a gzipped, base64-encoded module, unzipped by the runtime's DecompressionStream. */
export async function inlinedBytes(gzipBase64: string, what: string): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof DecompressionStream !== 'function') {
    throw new WasmeansError('UNSUPPORTED', `this runtime has no DecompressionStream to unpack the inlined ${what}; pass init() the URL or bytes of wasmeans/wasmeans.wasm`);
  }
  const stream = new Blob([decodeBase64(gzipBase64)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
