import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Several suites spawn the built CLI and real servers; two cores are all CI has.
    maxWorkers: 2,
  },
});
