/** Centers per SIMD block in the transposed center layout (assembly/common.ts BLOCK). */
export const BLOCK = 16;
