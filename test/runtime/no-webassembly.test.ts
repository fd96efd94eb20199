// A runtime without WebAssembly gets a clear WasmeansError, not a ReferenceError.
import { afterAll, expect, test, vi } from 'vitest';
import { init } from '../../src/index';

afterAll(() => {
  vi.unstubAllGlobals();
});

test('init() without WebAssembly rejects with UNSUPPORTED', async () => {
  vi.stubGlobal('WebAssembly', undefined);
  await expect(init()).rejects.toMatchObject({ name: 'WasmeansError', code: 'UNSUPPORTED', message: expect.stringMatching(/WebAssembly is not available/) });
});
