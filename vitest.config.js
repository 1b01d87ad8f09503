import { defineConfig } from 'vitest/config';

// Tests import the compiled package (dist/ and build/), i.e. what ships: `npm test` builds first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,js}'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.js'],
  },
});
