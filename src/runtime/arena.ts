// One arena in wasm memory, reused by every call: regions are laid out from the module's heap base, the
// memory grows only when a call needs more than it has, and typed-array views are made after any growth.
import { formatBytes, WasmeansError } from '../core/errors';
import type { Kernels } from './module';

const PAGE_BYTES = 65536;
/** wasm32 addresses 4 GiB at most. */
export const MAX_WASM_BYTES = 65536 * PAGE_BYTES;
const ALIGN = 16;

/** Byte sizes of the regions a call needs, by name. */
export type RegionSizes = Record<string, number>;
/** Byte offsets of those regions. */
export type Regions<T extends RegionSizes> = { [K in keyof T]: number };

/** Bytes the regions take, with alignment, on top of the heap base. */
export function arenaBytes(sizes: RegionSizes): number {
  let total = 0;
  for (const bytes of Object.values(sizes)) total += Math.ceil(bytes / ALIGN) * ALIGN;
  return total;
}

// End of the regions handed out since the arena was last reset (each top-level call resets it).
let arenaTop = 0;

/**
 * Refuses with OUT_OF_MEMORY when `bytes` past the heap base cannot fit in wasm32: estimate first, allocate after.
 * `advice` says what the caller can do instead (each call has its own: partialFit helps a fit, not a predict).
 */
export function refuseBeyondWasm32(kernels: Kernels, bytes: number, what: string, advice: string): void {
  const end = Math.ceil(kernels.heapBase() / ALIGN) * ALIGN + bytes;
  if (end > MAX_WASM_BYTES) {
    throw new WasmeansError('OUT_OF_MEMORY', `${what} needs ${formatBytes(end)} of wasm memory, more than the 4 GiB wasm32 can address; ${advice}`);
  }
}

/**
 * Lays the regions out and grows memory to hold them. Refuses with OUT_OF_MEMORY, before touching memory,
 * when they cannot fit in wasm32, and when the engine refuses to grow. By default the arena starts over at
 * the heap base; `append` keeps the regions handed out since then (a fit's batch and subsample buffers).
 */
export function allocate<T extends RegionSizes>(kernels: Kernels, sizes: T, what: string, advice: string, append = false): Regions<T> {
  const heap = Math.ceil(kernels.heapBase() / ALIGN) * ALIGN;
  const base = append ? Math.max(arenaTop, heap) : heap;
  const end = base + arenaBytes(sizes);
  refuseBeyondWasm32(kernels, end - heap, what, advice);
  const memory = kernels.memory;
  const have = memory.buffer.byteLength;
  if (end > have) {
    const pages = Math.ceil((end - have) / PAGE_BYTES);
    try {
      memory.grow(pages);
    } catch (cause) {
      throw new WasmeansError('OUT_OF_MEMORY', `${what} needs ${formatBytes(end)} of wasm memory and the engine refused to grow it (${String(cause)})`);
    }
  }
  const regions = {} as Regions<T>;
  let offset = base;
  for (const name of Object.keys(sizes) as (keyof T)[]) {
    regions[name] = offset;
    offset += Math.ceil(sizes[name] / ALIGN) * ALIGN;
  }
  arenaTop = end;
  return regions;
}

/** Views over wasm memory; made anew on each call because `memory.grow` detaches the old buffer. */
export function f32View(kernels: Kernels, ptr: number, length: number): Float32Array {
  return new Float32Array(kernels.memory.buffer, ptr, length);
}
export function f64View(kernels: Kernels, ptr: number, length: number): Float64Array {
  return new Float64Array(kernels.memory.buffer, ptr, length);
}
export function i32View(kernels: Kernels, ptr: number, length: number): Int32Array {
  return new Int32Array(kernels.memory.buffer, ptr, length);
}
