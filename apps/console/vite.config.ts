import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type EnvironmentOptions, defineConfig } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const electronDir = here('./dist/electron');
const { version } = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string };

/** Electron main and preload: Node targets with everything bundled except Electron and Node's own modules. */
function electronEnvironment(entry: string, format: 'es' | 'cjs', fileName: string): EnvironmentOptions {
  return {
    consumer: 'server',
    resolve: { noExternal: true, builtins: ['electron', /^node:/, ...builtinModules] },
    build: {
      outDir: electronDir,
      emptyOutDir: false, // main and preload share the folder; buildApp empties it once
      target: 'node22',
      minify: false,
      sourcemap: true,
      copyPublicDir: false,
      rolldownOptions: {
        input: here(entry),
        external: ['electron', /^node:/, ...builtinModules],
        output: { format, entryFileNames: fileName, codeSplitting: false },
      },
    },
  };
}

/**
 * `vite build` builds three environments in one run: the renderer (served by the hub in
 * browser mode and by app:// in Electron), the Electron main process and the preload.
 */
export default defineConfig({
  root: here('./src/renderer'),
  base: './', // relative asset URLs: the same build works under app://console/ and the hub's /
  plugins: [react()],
  define: { __CLEARWAY_VERSION__: JSON.stringify(version) },
  environments: {
    client: {
      build: { outDir: here('./dist/renderer'), emptyOutDir: true, target: 'es2023', sourcemap: true },
    },
    electronMain: electronEnvironment('./src/main/main.ts', 'es', 'main.js'),
    electronPreload: electronEnvironment('./src/preload/preload.ts', 'cjs', 'preload.cjs'),
  },
  builder: {
    async buildApp(builder) {
      await rm(electronDir, { recursive: true, force: true });
      await Promise.all(Object.values(builder.environments).map((environment) => builder.build(environment)));
    },
  },
});
