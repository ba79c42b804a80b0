import { defineConfig } from 'vitest/config';

// Unit specs beside the code; the browser run is e2e/run.mjs (npm run test:browser).
export default defineConfig({ test: { include: ['src/**/*.spec.ts'], environment: 'node' } });
