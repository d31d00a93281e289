import { defineConfig } from 'vitest/config';

// One test run over every workspace package; tests live next to the code (*.test.ts).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'device-adapters/*'],
  },
});
