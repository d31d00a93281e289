import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, expect, test } from '../fixtures.ts';

const SEARCHER = { id: 'zhang.min', name: 'Zhang Min', password: 'open every pocket' } as const;

const searchTest = test.extend({
  // The real hub with a search officer besides the screening officer, seeded before it starts.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-search-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: SEARCHER.id, name: SEARCHER.name, role: 'search-officer', password: SEARCHER.password });
    await store.close();
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});

/** The search outcome as stored, read straight from the hub's database. */
function storedOutcome(dataDir: string, bagId: string) {
  const store = Store.open(dataDir);
  try {
    return store.search.outcome(bagId);
  } finally {
    store.db.close();
  }
}

searchTest.describe('search station in browser mode', () => {
  searchTest('a screener marks a region and sends a bag to search with a note; the search officer records a knife', async ({ hub, scanner, officerConsole, browser }) => {
    // The screening officer: S opens the search form, a drag marks a region (zoomed in), Enter sends it.
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    const scan = await scanner.send({ flight: 'MU5101', lane: 'lane-7' });
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    const screener = officerConsole.page;
    const viewer = screener.getByTestId('viewer-top');
    await expect(screener.getByTestId('view-top')).toBeVisible();
    await officerConsole.press('s');
    await expect(screener.getByTestId('search-form')).toBeVisible();
    await expect(screener.getByTestId('search-note')).toBeFocused();
    await screener.keyboard.type('Long blade shape next to the laptop');

    // Zoom in with the wheel over the view: the mark is still taken in image pixels.
    const layer = screener.getByTestId('marks-top');
    const box = await layer.boundingBox();
    if (!box) throw new Error('no mark layer');
    await screener.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await screener.mouse.wheel(0, -300);
    await expect.poll(async () => Number(await viewer.getAttribute('data-zoom'))).toBeGreaterThan(1.5);
    await screener.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await screener.mouse.down();
    await screener.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.48, { steps: 5 });
    await screener.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.55, { steps: 5 });
    await screener.mouse.up();
    await expect(screener.getByTestId('search-mark')).toHaveCount(1);
    await expect(screener.getByTestId('search-mark-count')).toHaveText('1 region marked');
    const zoom = Number(await viewer.getAttribute('data-zoom'));
    await officerConsole.press('Enter');
    await expect(officerConsole.lastDecision()).toContainText(`${scan.bagTag}: search — stored`);

    const [decision] = hub.decisions();
    expect(decision).toMatchObject({ verdict: 'search', officerId: OFFICER.id, note: 'Long blade shape next to the laptop' });
    const mark = decision?.marks?.[0];
    expect(decision?.marks).toHaveLength(1);
    if (!mark || !decision) throw new Error('no mark stored');
    // Where the drag was in image pixels: zoomed at the centre, the element's centre is still the
    // image's centre (128, 128), and a screen pixel is 1 / (fit × zoom) image pixels.
    const scale = Math.min(box.width / 256, box.height / 256) * zoom;
    const at = (fx: number, fy: number) => ({ x: 128 + (fx - 0.5) * box.width / scale, y: 128 + (fy - 0.5) * box.height / scale });
    const [from, to] = [at(0.4, 0.4), at(0.6, 0.55)];
    expect(mark.view).toBe('top');
    expect(Math.abs(mark.x - from.x)).toBeLessThan(1.5);
    expect(Math.abs(mark.y - from.y)).toBeLessThan(1.5);
    expect(Math.abs(mark.x + mark.width - to.x)).toBeLessThan(1.5);
    expect(Math.abs(mark.y + mark.height - to.y)).toBeLessThan(1.5);

    // The search officer, on another console: the bag with the mark and the note; 1, K, Enter.
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const searcher = new ConsolePage(await context.newPage());
    await searcher.open(hub.url);
    await searcher.signIn(SEARCHER.id, SEARCHER.password);
    const page = searcher.page;
    await expect(page.locator(`[data-testid="search-item"][data-bag="${scan.bagTag}"]`)).toBeVisible();
    await expect(page.getByTestId('search-bag-tag')).toHaveText(scan.bagTag);
    await expect(page.getByTestId('search-bag-flight')).toHaveText('MU5101');
    await expect(page.getByTestId('search-bag-lane')).toHaveText('lane-7');
    await expect(page.getByTestId('search-screener-note')).toHaveText('Long blade shape next to the laptop');
    await expect(page.getByTestId('view-top')).toBeVisible();
    const shown = page.getByTestId('search-mark');
    await expect(shown).toHaveCount(1);
    await expect(shown).toHaveAttribute('data-image-box', `${mark.x},${mark.y},${mark.width},${mark.height}`);

    await searcher.press('1');
    await expect(page.getByTestId('outcome-missing')).toHaveText('Choose what was found');
    await searcher.press('k');
    await expect(page.getByTestId('threat-knife')).toHaveAttribute('aria-pressed', 'true');
    await searcher.press('Enter');
    await expect(page.getByTestId('last-outcome')).toHaveText(`Bag ${scan.bagTag}: threat found: knife — stored`);
    await expect(page.getByTestId('no-search-bag')).toBeVisible();

    expect(storedOutcome(hub.dataDir, decision.bagId)).toMatchObject({
      officerId: SEARCHER.id, decisionId: decision.decisionId, outcome: 'threat-found', threatClass: 'knife',
    });
    expect(officerConsole.errors).toEqual([]);
    expect(searcher.errors).toEqual([]);
    await context.close();
  });
});
