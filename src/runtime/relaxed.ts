// The relaxed-SIMD build for init({ relaxedSimd: true }): in a chunk of its own, loaded only when asked for.
import { wasmRelaxedGzipBase64 } from '../generated/wasmRelaxedBase64';
import { inlinedBytes } from './inline';

/** The relaxed-SIMD module's bytes where this runtime validates them, else undefined (the caller falls back). */
export async function relaxedModuleBytes(): Promise<Uint8Array | undefined> {
  const bytes = await inlinedBytes(wasmRelaxedGzipBase64, 'relaxed-SIMD wasm');
  return WebAssembly.validate(bytes) ? bytes : undefined;
}
