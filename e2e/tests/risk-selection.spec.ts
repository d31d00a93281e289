import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlightManifest } from '@clearway/protocol';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, expect, test } from '../fixtures.ts';

const SEARCHER = { id: 'zhang.min', name: 'Zhang Min', password: 'open every pocket' } as const;
const LEAD = { id: 'maria.santos', name: 'Maria Santos', password: 'flights need watching' } as const;
const DATE = new Date().toISOString().slice(0, 10);
const WATCHED = '0999000002';

const riskTest = test.extend({
  // The real hub with a search officer, a shift lead and CA981's manifest (one watch-listed passenger); no random selection.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-risk-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: SEARCHER.id, name: SEARCHER.name, role: 'search-officer', password: SEARCHER.password });
    await store.identity.createOfficer({ id: LEAD.id, name: LEAD.name, role: 'shift-lead', password: LEAD.password });
    store.settings.set('screening.risk', { randomSelectionRate: 0, randomSeed: 'e2e-risk-selection-1' });
    store.manifests.ingest('e2e-feed', FlightManifest.parse({
      flight: 'CA981', date: DATE,
      passengers: [
        { passengerRef: 'ZX4K2P-1', origin: 'JFK', route: ['JFK', 'PVG'], bagTags: ['0999000001'] },
        { passengerRef: 'QW7T3M-1', origin: 'JFK', route: ['JFK', 'PVG'], flags: ['watch-list-hit'], bagTags: [WATCHED] },
      ],
    }));
    await store.close();
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});

riskTest.describe('risk-based selection in browser mode', () => {
  riskTest('a watch-listed passenger\'s cleared bag reaches the search station with why, and the shift lead sees the find rate', async ({ hub, scanner, officerConsole, browser }) => {
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await scanner.send({ flight: 'CA981', lane: 'hbs-1', bagTag: WATCHED });
    await expect(officerConsole.bagTag()).toHaveText(WATCHED);
    // The screener is told nothing of the selection and clears the bag.
    await expect(officerConsole.page.getByText(/watch-list|risk/i)).toHaveCount(0);
    await officerConsole.press('c');
    await expect(officerConsole.lastDecision()).toContainText(`${WATCHED}: clear — stored`);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const searcher = new ConsolePage(await context.newPage());
    await searcher.open(hub.url);
    await searcher.signIn(SEARCHER.id, SEARCHER.password);
    await expect(searcher.page.getByTestId('search-bag-tag')).toHaveText(WATCHED);
    await expect(searcher.page.getByText('risk-selected (score 60): watch-list hit: +60')).toBeVisible();
    await searcher.press('2');
    await searcher.press('Enter');
    await expect(searcher.page.getByTestId('last-outcome')).toHaveText(`Bag ${WATCHED}: other contraband — stored`);

    const lead = new ConsolePage(await context.newPage());
    await lead.open(hub.url);
    await lead.signIn(LEAD.id, LEAD.password);
    const panel = lead.page.getByTestId('risk-selection');
    await expect(panel.getByTestId('risk-risk')).toContainText('1 finds in 1 searches');
    await expect(panel.getByTestId('risk-random')).toContainText('0 finds in 0 searches');
    await expect(panel.getByTestId('risk-difference')).toBeVisible();
    expect(officerConsole.errors).toEqual([]);
    expect(searcher.errors).toEqual([]);
    expect(lead.errors).toEqual([]);
    await context.close();
  });
});
