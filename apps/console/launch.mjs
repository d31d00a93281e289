#!/usr/bin/env node
// Starts the built console in Electron: `node launch.mjs --hub=http://hub:4300`.
// Exit code: Electron's own; 3 when Electron's binary is absent (the reason is printed, and
// browser mode is the way on); 1 when the console has not been built.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const appDir = path.dirname(fileURLToPath(import.meta.url));
const mainScript = path.join(appDir, 'dist', 'electron', 'main.js');

const electron = findElectronBinary();
if (!electron.ok) {
  console.error(electron.reason);
  process.exit(3);
}
if (!existsSync(mainScript)) {
  console.error(`${mainScript} is missing: run \`pnpm --filter @clearway/console build\` first.`);
  process.exit(1);
}

// ELECTRON_RUN_AS_NODE inherited from a parent would turn Electron into plain Node.
const { ELECTRON_RUN_AS_NODE: _runAsNode, ...env } = process.env;
const child = spawn(electron.path, [mainScript, ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('error', (error) => {
  console.error(`Electron could not be started: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
