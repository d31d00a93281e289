import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../electron-binary.mjs';

const appDir = fileURLToPath(new URL('../..', import.meta.url));

describe('Electron binary', () => {
  it('answers without trying to download anything', () => {
    const found = findElectronBinary();
    if (found.ok) expect(found.path).toBeTruthy();
    else expect(found.reason).toMatch(/browser mode/);
  });

  it.runIf(!findElectronBinary().ok)('makes launch.mjs explain and exit 3 when the binary is absent', () => {
    const run = spawnSync(process.execPath, [path.join(appDir, 'launch.mjs'), '--hub=http://localhost:4300'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/browser mode/);
  });

  it('finds a binary placed where ELECTRON_OVERRIDE_DIST_PATH says', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'clearway-electron-'));
    const previous = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
    try {
      await writeFile(path.join(dir, 'electron'), '');
      process.env['ELECTRON_OVERRIDE_DIST_PATH'] = dir;
      const found = findElectronBinary();
      // The electron package caches the path it computed first; either answer must be well-formed.
      expect(found.ok ? found.path : found.reason).toBeTruthy();
    } finally {
      if (previous === undefined) delete process.env['ELECTRON_OVERRIDE_DIST_PATH'];
      else process.env['ELECTRON_OVERRIDE_DIST_PATH'] = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
