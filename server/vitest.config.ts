import { defineConfig } from 'vitest/config';

// Three tiers share one run: unit specs beside the code (src/**/*.spec.ts), integration specs
// against a real PostgreSQL (*.int.spec.ts), end-to-end specs against the built app (e2e/).
export default defineConfig({
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts', 'e2e/**/*.spec.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
