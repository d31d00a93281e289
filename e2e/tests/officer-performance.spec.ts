import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, expect, test } from '../fixtures.ts';

const LEAD = { id: 'maria.santos', name: 'Maria Santos', password: 'officers need breaks' } as const;

const performanceTest = test.extend({
  // The real hub with a shift lead, the screener in team A, and a break rule of 3 seconds at the
  // screen, set the way an administrator sets it (`pnpm clearway config set screening.officerWorkload`).
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-performance-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: LEAD.id, name: LEAD.name, role: 'shift-lead', password: LEAD.password });
    store.identity.setTeam(OFFICER.id, 'A');
    store.settings.set('screening.officerWorkload', { maxContinuousScreenMin: 0.05, minBreakMin: 10 });
    await store.close();
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});

performanceTest.describe('officer performance and the break reminder', () => {
  performanceTest.describe.configure({ timeout: 120_000 });

  performanceTest('the screener is reminded to take a break and can still decide; the shift lead sees their figures', async ({ hub, scanner, officerConsole, browser }, testInfo) => {
    const page = officerConsole.page;
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await expect(officerConsole.linkState()).toHaveText('Connected');
    await expect(page.getByTestId('screen-time')).toBeVisible();

    const first = await scanner.send({ lane: 'lane-1' });
    await expect(officerConsole.bagTag()).toHaveText(first.bagTag);
    await officerConsole.press('c');
    await expect(officerConsole.lastDecision()).toContainText('stored');

    // Past 3 s at the screen the hub says a break is due: a banner, not a modal.
    const reminder = page.getByTestId('break-reminder');
    await expect(reminder).toBeVisible();
    await expect(reminder).toContainText('Break due');
    await expect(reminder).toContainText('limit 3 s');
    await expect(page.getByTestId('screen-time')).toHaveClass(/screen-time-due/);
    // A bag on screen is still decided with its key.
    const second = await scanner.send({ lane: 'lane-2' });
    await expect(officerConsole.bagTag()).toHaveText(second.bagTag);
    await officerConsole.press('s');
    await officerConsole.press('Enter');
    await expect(officerConsole.lastDecision()).toContainText(`${second.bagTag}: search — stored`);
    await expect(reminder).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('break-reminder.png') });

    // The shift lead, on another console: the performance view has the screener's row.
    const leadContext = await browser.newContext();
    try {
      const lead = new ConsolePage(await leadContext.newPage());
      await lead.open(hub.url);
      await lead.signIn(LEAD.id, LEAD.password);
      await expect(lead.page.getByTestId('dashboard')).toBeVisible();
      await lead.page.getByTestId('view-performance').click();
      const row = lead.page.getByTestId(`perf-officer-${OFFICER.id}`);
      await expect(row).toBeVisible();
      await expect(row).toContainText(OFFICER.name);
      await expect(lead.page.getByTestId(`perf-decisions-${OFFICER.id}`)).toHaveText('2');
      await expect(lead.page.getByTestId(`perf-break-due-${OFFICER.id}`)).toHaveText('Break due');
      await expect(lead.page.getByTestId('perf-team-A')).toContainText('A');
      await expect(lead.page.getByTestId('perf-decisions-team-A')).toHaveText('2');
      await lead.page.screenshot({ path: testInfo.outputPath('performance.png') });
      // Another period and 中文: asked again, the same officer, labels in Chinese.
      await lead.page.getByTestId('perf-period').selectOption('day');
      await lead.page.getByTestId('lang-zh-CN').click();
      await expect(lead.page.getByTestId('performance')).toContainText('安检员绩效');
      await expect(lead.page.getByTestId(`perf-decisions-${OFFICER.id}`)).toHaveText('2');
      await lead.page.getByTestId('perf-refresh').click();
      await expect(lead.page.getByTestId('perf-state')).toContainText('生成于');
      expect(lead.errors).toEqual([]);
    } finally {
      await leadContext.close();
    }

    // The officer takes the break from the banner: the reminder goes.
    await page.getByTestId('take-break').click();
    await expect(page.getByTestId('availability')).toHaveText('On break');
    await expect(reminder).toBeHidden();
    expect(officerConsole.errors).toEqual([]);
  });
});
