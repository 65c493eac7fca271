import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // The bin, the tunnel worker and the WebAssembly escaping run built: build them from
    // the tree first, whatever the state of dist/.
    globalSetup: ['test/helpers/build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Several suites spawn the built CLI and real servers; two cores are all CI has.
    maxWorkers: 2,
  },
});
