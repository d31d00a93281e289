import { defineConfig } from 'vitest/config';

// Own config so that the root-level projects run does not pick up vite.config.ts (renderer root,
// Electron environments). All console tests are pure and run under Node: no DOM, no Electron.
export default defineConfig({
  test: {
    name: '@clearway/console',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
