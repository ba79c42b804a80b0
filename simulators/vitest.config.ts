import { defineConfig } from 'vitest/config';

// Each network's simulator is tested on its own over real loopback HTTP: no database, no mocks.
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts'],
    testTimeout: 15_000,
    pool: 'forks',
    // The specs share no module state worth isolating; reusing each worker's module cache spares a re-import per file.
    isolate: false,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
