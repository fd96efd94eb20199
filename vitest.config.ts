import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The packaging tests need the packed tarball: `npm run test:dist` (vitest.dist.config.ts).
    exclude: ['test/dist/**', '**/node_modules/**'],
    testTimeout: 60_000,
  },
});
