import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { OFFICER, ROOT, expect, test } from '../fixtures.ts';

const { findElectronBinary } = (await import(pathToFileURL(resolve(ROOT, 'apps/console/electron-binary.mjs')).href)) as {
  findElectronBinary(): { ok: true; path: string } | { ok: false; reason: string };
};
const binary = findElectronBinary();

test.describe('officer console in Electron', () => {
  test.skip(!binary.ok, `Electron e2e skipped: ${binary.ok ? '' : binary.reason}`);

  test('signs in and receives a bag in the Electron shell', async ({ hub, scanner }) => {
    if (!binary.ok) return;
    const app = await electron.launch({
      executablePath: binary.path,
      args: [resolve(ROOT, 'apps/console/dist/electron/main.js'), `--hub=${hub.url}`, '--no-sandbox'],
    });
    try {
      const page = await app.firstWindow();
      await page.locator('#officer-id').fill(OFFICER.id);
      await page.locator('#password').fill(OFFICER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const scan = await scanner.send();
      await expect(page.getByTestId('bag-tag')).toHaveText(scan.bagTag);
      await page.keyboard.press('c');
      await expect(page.getByTestId('last-decision')).toContainText('stored');
      expect(hub.decisions()).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
