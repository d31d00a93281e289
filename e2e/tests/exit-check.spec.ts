import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlightManifest } from '@clearway/protocol';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, expect, test } from '../fixtures.ts';

const SEARCHER = { id: 'zhang.min', name: 'Zhang Min', password: 'open every pocket' } as const;
const DATE = new Date().toISOString().slice(0, 10);
const BAG_TAG = '0999000001';

const exitTest = test.extend({
  // The real hub with a search officer and CA932's manifest, seeded before it starts; no random selection.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-exit-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: SEARCHER.id, name: SEARCHER.name, role: 'search-officer', password: SEARCHER.password });
    store.settings.set('screening.risk', { randomSelectionRate: 0, randomSeed: 'e2e-exit-check-1' });
    store.manifests.ingest('e2e-feed', FlightManifest.parse({
      flight: 'CA932', date: DATE,
      passengers: [{ passengerRef: 'ZX4K2P-1', name: 'WANG/FANG', origin: 'FRA', route: ['FRA', 'PVG'], bagTags: [BAG_TAG, '0999000002'] }],
    }));
    await store.close();
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});

function directions(dataDir: string) {
  const store = Store.open(dataDir);
  try {
    return store.db.prepare('SELECT bag_id, officer_id FROM exit_directions').all() as { bag_id: string; officer_id: string }[];
  } finally {
    store.db.close();
  }
}

exitTest.describe('exit check at reclaim in browser mode', () => {
  exitTest('a checked bag flagged on the belt puts its passenger on the exit list; the officer stops them and the search records the outcome', async ({ hub, scanner, officerConsole, browser }) => {
    // On the belt: the screener sends the checked bag to search with a note.
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await scanner.send({ flight: 'CA932', lane: 'hbs-1', bagTag: BAG_TAG });
    await expect(officerConsole.bagTag()).toHaveText(BAG_TAG);
    await officerConsole.press('s');
    await expect(officerConsole.page.getByTestId('search-note')).toBeFocused();
    await officerConsole.page.keyboard.type('Dense block beside the shoes');
    await officerConsole.press('Enter');
    await expect(officerConsole.lastDecision()).toContainText(`${BAG_TAG}: search — stored`);

    // At the reclaim exit: X opens the exit check; the passenger, the tag and why.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const searcher = new ConsolePage(await context.newPage());
    await searcher.open(hub.url);
    await searcher.signIn(SEARCHER.id, SEARCHER.password);
    const page = searcher.page;
    await expect(page.getByTestId('view-exit-check')).toContainText('1 to stop');
    await searcher.press('x');
    await expect(page.getByTestId('exit-check')).toBeVisible();
    await expect(page.getByTestId('exit-item')).toHaveCount(1);
    await expect(page.getByTestId('exit-passenger')).toHaveText('WANG/FANG (ZX4K2P-1)');
    const row = page.locator(`[data-testid="exit-bag"][data-tag="${BAG_TAG}"]`);
    await expect(row).toContainText('screener: Dense block beside the shoes');
    await expect(row.getByTestId('exit-bag-state')).toHaveText('Look out');

    // D: stopped and sent to the search station.
    await searcher.press('d');
    await expect(page.getByTestId('exit-last')).toHaveText('WANG/FANG (ZX4K2P-1): sent to the search station with 1 bag');
    await expect(row.getByTestId('exit-bag-state')).toHaveText('Sent to search');
    await expect(page.getByTestId('exit-direct')).toBeDisabled();
    expect(directions(hub.dataDir)).toEqual([expect.objectContaining({ officer_id: SEARCHER.id })]);

    // Back at the search station (X): the search finds nothing; the exit list shows it searched.
    await searcher.press('x');
    await expect(page.getByTestId('search-bag-tag')).toHaveText(BAG_TAG);
    await searcher.press('3');
    await searcher.press('Enter');
    await expect(page.getByTestId('last-outcome')).toHaveText(`Bag ${BAG_TAG}: nothing found — stored`);
    await searcher.press('x');
    await expect(row.getByTestId('exit-bag-state')).toHaveText('Searched: nothing found');
    await expect(page.getByTestId('view-exit-check')).not.toContainText('to stop');
    expect(officerConsole.errors).toEqual([]);
    expect(searcher.errors).toEqual([]);
    await context.close();
  });
});
