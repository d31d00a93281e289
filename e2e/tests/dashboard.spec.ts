import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectOfficer, decisionFor } from '@clearway/hub/testing';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, ROOT, expect, test } from '../fixtures.ts';

const LEAD = { id: 'maria.santos', name: 'Maria Santos', password: 'flights need watching' } as const;
const FEED_DEVICE = 'flight-feed-e2e';
const MIN = 60_000;

/** Loads a schedule file through the real flight-feed adapter, as an airport would. */
function importSchedule(hubUrl: string, token: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'device-adapters/flight-feed/src/main.ts'), 'import', file, '--hub', hubUrl, '--device-id', FEED_DEVICE, '--token', token],
      { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`flight-feed import failed: ${stderr}${stdout}`)) : resolve(stdout)));
  });
}

const dashboardTest = test.extend<{ leadConsole: ConsolePage }>({
  // The real hub with a shift lead and a registered flight feed, seeded before it starts.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-dashboard-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: LEAD.id, name: LEAD.name, role: 'shift-lead', password: LEAD.password });
    const token = store.identity.createDevice(FEED_DEVICE, 'flight-feed').token;
    await store.close();
    testInfo.annotations.push({ type: 'feed-token', description: token }, { type: 'data-dir', description: dir });
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
  leadConsole: async ({ page }, use) => {
    await use(new ConsolePage(page));
  },
});

dashboardTest.describe('shift lead dashboard in browser mode', () => {
  dashboardTest.describe.configure({ timeout: 120_000 });

  dashboardTest('sees a flight\'s clocks and burn-down, switches to 中文, opens its bags and its report', async ({ hub, scanner, leadConsole }, testInfo) => {
    const page = leadConsole.page;
    const token = testInfo.annotations.find((a) => a.type === 'feed-token')?.description ?? '';
    const dir = testInfo.annotations.find((a) => a.type === 'data-dir')?.description ?? '';

    // Today's arrivals as a schedule file: CA981 on block two minutes ago, MU574 in an hour.
    const onBlock = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * MIN);
    const later = new Date(onBlock.getTime() + 62 * MIN);
    const schedule = join(dir, 'schedule.csv');
    writeFileSync(schedule, [
      'flight,origin,aircraft,scheduled_on_block,stand,gate,passengers,checked_bags,cabin_bags',
      `CA981,JFK,B77W,${onBlock.toISOString()},215,E15,4,6,4`,
      `MU574,NRT,A321,${later.toISOString()},112,D12,180,230,200`,
      '',
    ].join('\n'));
    expect(await importSchedule(hub.url, token, schedule)).toMatch(/2 new/);
    const flightId = `CA981/${onBlock.toISOString().slice(0, 10)}`;

    // Bags on the belts; a screening officer clears one and sends one to search.
    const tags = ['0999000001', '0999000002', '0999000003', '0999000004'];
    for (const [i, bagTag] of tags.entries()) await scanner.send({ flight: 'CA981', bagTag, lane: `lane-${(i % 2) + 1}` });
    const screener = await connectOfficer(hub.url, { officerId: OFFICER.id, password: OFFICER.password });
    try {
      await screener.socket.emitWithAck('decision:submit', decisionFor(await screener.nextBag(), 'clear'));
      await screener.socket.emitWithAck('decision:submit', decisionFor(await screener.nextBag(), 'search'));
      await screener.nextBag(); // on screen now; the fourth waits

      await leadConsole.open(hub.url);
      await leadConsole.signIn(LEAD.id, LEAD.password);
      await expect(page.getByTestId('dashboard')).toBeVisible();
      await expect(page.getByTestId('officer-role')).toHaveText('Shift lead');

      // The flight with both clocks against target.
      const card = page.getByTestId(`flight-${flightId}`);
      await expect(card).toBeVisible();
      await expect(page.getByTestId(`count-checkedBags-${flightId}`)).toHaveText('2 of 6');
      await expect(page.getByTestId(`state-checkedBags-${flightId}`)).toHaveText('In progress');
      await expect(page.getByTestId(`timing-checkedBags-${flightId}`)).toHaveText(/^1[78]:\d\d left$/);
      await expect(card.getByRole('progressbar').nth(1)).toHaveAttribute('aria-valuenow', '2');
      await expect(page.getByTestId(`state-checkedBags-MU574/${later.toISOString().slice(0, 10)}`)).toHaveText('Arriving');

      // The burn-down draws: what was left since on-block, on a canvas with ink on it.
      const chart = page.getByTestId(`burn-down-checkedBags-${flightId}`);
      await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
      await expect.poll(() => chart.locator('canvas').evaluate((c) => {
        const canvas = c as unknown as { width: number; height: number; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null };
        const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let ink = 0;
        for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) ink++;
        return ink;
      })).toBeGreaterThan(200);

      // Officers' load and the queue per lane.
      await expect(page.getByTestId(`officer-state-${OFFICER.id}`)).toHaveText('Screening');
      await expect(page.getByTestId('officer-li.wei')).toContainText('2');
      await expect(page.getByTestId('lanes')).toContainText('lane-2');
      await testInfo.attach('dashboard.png', { body: await page.screenshot(), contentType: 'image/png' });
      if (process.env['CLEARWAY_DOCS_SCREENSHOTS']) await page.screenshot({ path: join(ROOT, 'docs/images/dashboard.png') });

      // 中文: every label changes, and the choice is remembered on this console.
      await page.getByTestId('lang-zh-CN').click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('航班通关');
      await expect(page.getByTestId(`state-checkedBags-${flightId}`)).toHaveText('进行中');
      await expect(card).toContainText('托运行李');
      await expect(page.getByTestId(`officer-state-${OFFICER.id}`)).toHaveText('判图中');
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('航班通关');

      // The detail view lists the flight's bags and their states.
      await page.getByTestId(`open-${flightId}`).click();
      await expect(page.getByTestId('flight-detail')).toBeVisible();
      const rows = page.getByTestId('flight-bag');
      await expect(rows).toHaveCount(4);
      await expect(rows.nth(0)).toHaveAttribute('data-state', 'cleared');
      await expect(rows.nth(0)).toContainText('已放行');
      await expect(rows.nth(1)).toHaveAttribute('data-state', 'search');
      await expect(rows.nth(2)).toHaveAttribute('data-state', 'screening');
      await expect(rows.nth(3)).toHaveAttribute('data-state', 'waiting');
      await page.screenshot({ path: testInfo.outputPath('flight-bags-zh.png') });
      expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-tag')))).toEqual(tags);

      // The report, in English again: export as CSV and print.
      await page.getByTestId('lang-en').click();
      await page.getByTestId('tab-report').click();
      const report = page.getByTestId('flight-report');
      await expect(report).toContainText('Flight report CA981');
      await expect(report).toContainText('Not cleared yet');
      await expect(page.getByTestId('report-no-breach')).toHaveText('No breach so far.');
      await expect(page.getByTestId('report-bags')).toHaveText('Bags seen: 4 (1 cleared, 1 sent to search, 2 not decided)');
      await expect(page.getByTestId('report-timeline')).toContainText('First bag at screening (lane-1)');
      await testInfo.attach('flight-report.png', { body: await page.screenshot({ fullPage: true, path: testInfo.outputPath('flight-report.png') }), contentType: 'image/png' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
      expect(download.suggestedFilename()).toBe(`CA981-${onBlock.toISOString().slice(0, 10)}-report.csv`);
      const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
      expect(csv.split('\r\n')[0]).toBe('section,field,value');
      expect(csv).toContain('summary,flight,CA981');
      expect(csv).toContain('summary,bags seen,4');

      // window.print() opens the browser's dialog: count the calls instead.
      await page.evaluate(() => {
        const w = globalThis as unknown as { print(): void; printed: number };
        w.printed = 0;
        w.print = () => { w.printed++; };
      });
      await page.getByTestId('print-report').click();
      expect(await page.evaluate(() => (globalThis as unknown as { printed: number }).printed)).toBe(1);
      // The printable page: the report alone.
      await page.emulateMedia({ media: 'print' });
      await expect(report).toBeVisible();
      await expect(page.getByTestId('export-csv')).toBeHidden();
      await expect(page.locator('.top-bar')).toBeHidden();
      await page.emulateMedia({ media: 'screen' });

      await page.getByTestId('detail-back').click();
      await expect(card).toBeVisible();

      // The header switches between the dashboard, screening and the robot fleet.
      await page.getByTestId('dashboard-switch').click();
      await expect(page.getByTestId('no-bag')).toBeVisible();
      await page.getByTestId('dashboard-switch').click();
      await expect(page.getByTestId('dashboard')).toBeVisible();
      await page.getByTestId('workspace-switch').click();
      await expect(page.getByTestId('robot-workspace')).toBeVisible();
      await page.getByTestId('dashboard-switch').click();
      await expect(card).toBeVisible();
      expect(leadConsole.errors).toEqual([]);
    } finally {
      screener.socket.close();
    }
  });
});
