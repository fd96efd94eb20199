// The graph module is loaded by init() once code calling its kernels has been imported (src/runtime/graph.ts),
// also when that code comes after init() ran. Fresh copies of the runtime modules, so that nothing imported
// elsewhere in this process has asked for it yet.
import { expect, test, vi } from 'vitest';

test('no graph module until code asks for it; asked after init(), NOT_INITIALIZED until init() runs again', async () => {
  vi.resetModules();
  const module = await import('../../src/runtime/module');
  const { inlinedBytes } = await import('../../src/runtime/inline');
  const { wasmGzipBase64 } = await import('../../src/generated/wasmBase64');
  let graphLoads = 0;
  module.setGraphSource(() => {
    graphLoads++;
    return import('../../src/runtime/graph-inline').then(({ graphModuleBytes }) => graphModuleBytes());
  });
  const core = () => inlinedBytes(wasmGzipBase64, 'wasm');
  await module.initialize(core, 'plain');
  expect(graphLoads).toBe(0);
  expect('bhRepulsive' in module.getKernels()).toBe(false);
  expect(typeof module.getKernels().lloydChunk).toBe('function');

  const { graphKernels } = await import('../../src/runtime/graph');
  let refusal: unknown;
  try {
    graphKernels();
  } catch (error) {
    refusal = error;
  }
  // The fresh module graph has its own WasmeansError class: compare by name and code.
  expect(refusal).toMatchObject({ name: 'WasmeansError', code: 'NOT_INITIALIZED', message: expect.stringMatching(/call and await init\(\) again/) });

  await module.initialize(core, 'plain');
  expect(graphLoads).toBe(1);
  const kernels = graphKernels();
  // One memory: the graph module's kernels see what the core's arena holds.
  expect(kernels.memory).toBe(module.getKernels().memory);
  expect(kernels.graphDataEnd()).toBeLessThanOrEqual(kernels.heapBase());
  await module.initialize(core, 'plain');
  expect(graphLoads).toBe(1);
});
