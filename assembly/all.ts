// Both modules' kernels in one: the threaded build (one instance per worker over a shared memory) and the
// relaxed-SIMD build, each loaded on demand, so that their size is no app's first download.
export * from './index';
export * from './graph';
