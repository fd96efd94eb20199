// The packaging tests (`npm run test:dist`): the packed tarball installed into a consumer project, then used
// from Node ESM and CJS, Cloudflare Workers (workerd through miniflare) and headless Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/dist/**/*.test.ts'],
    globalSetup: ['test/dist/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    // Bundlers, workerd and Chromium each want a core; two at once is all this kind of machine has.
    fileParallelism: false,
  },
});
