import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// One test run over every workspace package; tests live next to the code (*.test.ts).
const packageDirs = ['packages', 'apps', 'device-adapters'].flatMap((group) =>
  readdirSync(group).map((name) => `${group}/${name}`).filter((dir) => statSync(dir).isDirectory()),
);

// Process and network tests wait for real hubs, bridges and simulators: on a busy 2-core CI
// machine they can take longer than vitest's 5 s default without anything being wrong. Speed
// is measured by `pnpm bench`, never by test timeouts.
const TIMEOUTS = { testTimeout: 30_000, hookTimeout: 30_000 } as const;

export default defineConfig({
  test: {
    ...TIMEOUTS,
    // A package with its own vitest config (the console) keeps it; the others inherit these options.
    projects: packageDirs.map((dir) =>
      existsSync(`${dir}/vitest.config.ts`)
        ? dir
        : { extends: true, root: dir, test: { name: (JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name: string }).name } },
    ),
  },
});
