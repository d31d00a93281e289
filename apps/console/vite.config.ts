import { builtinModules, createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { type EnvironmentOptions, type Plugin, defineConfig, defaultClientConditions } from 'vite';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));
const electronDir = here('./dist/electron');
const { version } = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as { version: string };

/**
 * onnxruntime-web's WebAssembly runtime (JSEP build: WebAssembly and WebGPU) and its loader,
 * copied from the installed package into the renderer build under `assets/ort-<version>/`: the
 * hub and Electron's app:// scheme serve them with the console, never a CDN, and the version in
 * the path lets the hub cache the 28 MB runtime as immutable like the other assets. The
 * detection worker points `ort.env.wasm.wasmPaths` there (__CLEARWAY_ORT_DIR__).
 */
export const ORT_FILES = ['ort-wasm-simd-threaded.jsep.wasm', 'ort-wasm-simd-threaded.jsep.mjs'] as const;
// The package exports its runtime files but not its package.json: find that beside dist/.
const ortDist = path.dirname(createRequire(here('./package.json')).resolve(`onnxruntime-web/${ORT_FILES[0]}`));
const ortVersion = (JSON.parse(readFileSync(path.join(ortDist, '..', 'package.json'), 'utf8')) as { version: string }).version;
export const ORT_DIR = `assets/ort-${ortVersion}/`;

function onnxRuntimeFiles(): Plugin {
  const dist = ortDist;
  return {
    name: 'clearway:onnxruntime-files',
    apply: 'build',
    applyToEnvironment: (environment) => environment.name === 'client',
    generateBundle() {
      for (const name of ORT_FILES) this.emitFile({ type: 'asset', fileName: `${ORT_DIR}${name}`, source: readFileSync(path.join(dist, name)) });
    },
  };
}

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
  plugins: [react(), onnxRuntimeFiles()],
  // The detection worker is an ES module (it imports onnxruntime-web, which loads its runtime with import()).
  worker: { format: 'es' },
  define: { __CLEARWAY_VERSION__: JSON.stringify(version), __CLEARWAY_ORT_DIR__: JSON.stringify(ORT_DIR) },
  environments: {
    client: {
      // onnxruntime-web without its runtime inlined: the worker loads it from ORT_DIR (above).
      resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
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
