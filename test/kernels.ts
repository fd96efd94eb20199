// What the direct kernel tests share: the module, small integer data (so that float32 arithmetic is exact and
// ties reproduce), and typed arrays placed in wasm memory.
import { beforeAll } from 'vitest';
import { init } from '../src/index';
import { allocate, f32View, f64View, i32View } from '../src/runtime/arena';
import { getKernels, type Kernels } from '../src/runtime/module';
import { testRng } from './reference';

/** The kernels, once init() has run (call inside a test). */
export let kernels: Kernels;
export function useKernels(): void {
  beforeAll(async () => {
    await init();
    kernels = getKernels();
  });
}

/** n × d integers in [−range, range]. */
export function integerData(n: number, d: number, seed: number, range = 7): number[][] {
  const rng = testRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => rng.int(2 * range + 1) - range));
}

type Placed = Float32Array | Float64Array | Int32Array | number;

/** Lays out a region per entry (a typed array copied in, or a byte count zeroed) in the arena; returns their offsets. */
export function inWasm<T extends Record<string, Placed>>(arrays: T): { [K in keyof T]: number } {
  const sizes = Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, typeof a === 'number' ? a : a.byteLength]));
  // After whatever the test laid out before (append), so that nothing it placed is overwritten.
  const ptr = allocate(kernels, sizes, 'kernel test', 'none', true) as { [K in keyof T]: number };
  for (const [name, a] of Object.entries(arrays)) {
    const at = ptr[name as keyof T];
    if (typeof a === 'number') new Uint8Array(kernels.memory.buffer, at, a).fill(0);
    else new (a.constructor as Float64ArrayConstructor)(kernels.memory.buffer, at, a.length).set(a as Float64Array);
  }
  return ptr;
}

export const f32 = (ptr: number, length: number): number[] => Array.from(f32View(kernels, ptr, length));
export const f64 = (ptr: number, length: number): number[] => Array.from(f64View(kernels, ptr, length));
export const i32 = (ptr: number, length: number): number[] => Array.from(i32View(kernels, ptr, length));
