import { readdirSync, statSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One test run over every workspace package; tests live next to the code (*.test.ts).
const packageDirs = ['packages', 'apps', 'device-adapters'].flatMap((group) =>
  readdirSync(group).map((name) => `${group}/${name}`).filter((dir) => statSync(dir).isDirectory()),
);

export default defineConfig({
  test: {
    projects: packageDirs,
  },
});
