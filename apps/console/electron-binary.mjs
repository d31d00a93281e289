// Is Electron's binary really here? The electron npm package can be installed without it: its
// install script, which downloads the binary, is off on closed networks (pnpm-workspace.yaml).
// The start script and the e2e tests ask this before launching; without it, use browser mode.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

const BROWSER_MODE = "use browser mode: start the hub and open its address in Chromium or Chrome";

/** @typedef {{ ok: true, path: string } | { ok: false, reason: string }} ElectronBinary */

/** @returns {ElectronBinary} */
export function findElectronBinary() {
  let packageDir;
  try {
    packageDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: `The electron npm package is not installed; ${BROWSER_MODE}.` };
  }
  // require('electron') downloads the binary when it is missing, which hangs or fails on a
  // closed network: look for it on disk first, the way the package itself does.
  if (!process.env['ELECTRON_OVERRIDE_DIST_PATH']) {
    const pathFile = path.join(packageDir, 'path.txt');
    if (!existsSync(pathFile)) {
      return { ok: false, reason: `Electron's binary was not downloaded (closed network, install script off); ${BROWSER_MODE}.` };
    }
    const expected = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (!existsSync(expected)) {
      return { ok: false, reason: `Electron's binary is missing from ${expected} (incomplete download); ${BROWSER_MODE}.` };
    }
  }
  /** @type {unknown} */
  let binary;
  try {
    binary = require('electron');
  } catch (error) {
    return { ok: false, reason: `Electron could not be loaded (${error instanceof Error ? error.message : String(error)}); ${BROWSER_MODE}.` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { ok: false, reason: `Electron's binary is not at ${String(binary)}; ${BROWSER_MODE}.` };
  }
  return { ok: true, path: binary };
}
