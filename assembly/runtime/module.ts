// What the TypeScript side asks of the module itself.

/** OUT: the first free byte after the module's static data; the TypeScript arena starts here. */
export function heapBase(): usize {
  return __heap_base;
}

/** OUT: 1 in the relaxed-SIMD build (fused multiply-adds in the scores), 0 in the plain one. */
export function relaxedSimd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

/**
 * OUT: the first byte after the graph module's static data (graph.ts exports this), which it writes into the core
 * module's memory when instantiated: the core's heapBase lies above it (asconfig.json: the core's memoryBase).
 */
export function graphDataEnd(): usize {
  return __heap_base;
}
