import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { Store } from '@clearway/store';
import { ConsolePage, HubProcess, OFFICER, ROOT, expect, test } from '../fixtures.ts';

const OPERATOR = { id: 'ana.silva', name: 'Ana Silva', password: 'robots need watching' } as const;
const ROBOTS = ['robot_1', 'robot_2', 'robot_3'] as const;
const BRIDGE_DEVICE = 'robot-bridge-e2e';

/** A child process whose output we keep, started and awaited until it prints a line. */
class Child {
  out = '';
  readonly proc: ChildProcess;

  constructor(args: string[]) {
    this.proc = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout?.on('data', (b: Buffer) => (this.out += b.toString()));
    this.proc.stderr?.on('data', (b: Buffer) => (this.out += b.toString()));
  }

  waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this.out);
        if (m) {
          this.proc.stdout?.off('data', check);
          resolve(m);
        }
      };
      this.proc.stdout?.on('data', check);
      this.proc.once('exit', (code) => reject(new Error(`exited (${code}) before ${pattern}:\n${this.out}`)));
      check();
    });
  }

  async kill(): Promise<void> {
    const p = this.proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

/** The simulated fleet behind the real ros2-web-bridge, linked to the hub by the ROS 2 adapter. */
class RobotFleet {
  bridge: Child | null = null;
  adapter: Child | null = null;

  async start(hubUrl: string, token: string): Promise<void> {
    this.bridge = new Child([join(ROOT, 'device-adapters/ros2-sim/bin/fleet-bridge.cjs'), '--port', '0', '--robots', String(ROBOTS.length)]);
    const [, url] = await this.bridge.waitFor(/^ready (\S+)/m);
    this.adapter = new Child([
      '--import', 'tsx', join(ROOT, 'device-adapters/ros2/src/main.ts'), 'hub',
      '--hub', hubUrl, '--device-id', BRIDGE_DEVICE, '--token', token, '--bridge', url ?? '', '--robots', ROBOTS.join(','), '--simulated',
    ]);
    await this.adapter.waitFor(/^forwarding /m);
  }

  async stop(): Promise<void> {
    await this.adapter?.kill();
    await this.bridge?.kill();
  }
}

const robotTest = test.extend<{ fleet: RobotFleet; operatorConsole: ConsolePage }>({
  // The real hub with a robot operator and a registered robot bridge, seeded before it starts.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-robots-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    await store.identity.createOfficer({ id: OPERATOR.id, name: OPERATOR.name, role: 'robot-operator', password: OPERATOR.password });
    const token = store.identity.createDevice(BRIDGE_DEVICE, 'robot-bridge').token;
    await store.close();
    testInfo.annotations.push({ type: 'robot-token', description: token });
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
  fleet: async ({ hub }, use, testInfo) => {
    const token = testInfo.annotations.find((a) => a.type === 'robot-token')?.description ?? '';
    const fleet = new RobotFleet();
    try {
      await fleet.start(hub.url, token);
      await use(fleet);
    } finally {
      await fleet.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('fleet-bridge.log', { body: fleet.bridge?.out ?? '' });
        await testInfo.attach('ros2-adapter.log', { body: fleet.adapter?.out ?? '' });
      }
    }
  },
  operatorConsole: async ({ page }, use) => {
    await use(new ConsolePage(page));
  },
});

/** Clicks the map at a point in map metres, through the same transform the console draws with. */
async function clickMap(page: Page, x: number, y: number): Promise<void> {
  const at = await page.getByTestId('terminal-map').evaluate(
    (svg, [wx, wy]) => {
      type Matrix = { a: number; b: number; c: number; d: number; e: number; f: number };
      const el = svg as unknown as { dataset: Record<string, string | undefined>; getScreenCTM(): Matrix | null };
      const d = el.dataset;
      const scale = Number(d['scale']);
      const margin = Number(d['margin']);
      const m = el.getScreenCTM();
      if (!m) throw new Error('map not laid out');
      const sx = margin + (wx - Number(d['minX'])) * scale;
      const sy = margin + (Number(d['maxY']) - wy) * scale;
      return { x: m.a * sx + m.c * sy + m.e, y: m.b * sx + m.d * sy + m.f };
    },
    [x, y] as const,
  );
  await page.mouse.click(at.x, at.y);
}

async function robotAt(page: Page, id: string): Promise<{ x: number; y: number }> {
  const marker = page.getByTestId(`map-robot-${id}`);
  return { x: Number(await marker.getAttribute('data-x')), y: Number(await marker.getAttribute('data-y')) };
}

robotTest.describe('robot operator in browser mode', () => {
  // Each test starts four processes (hub, rosbridge with the simulated fleet, adapter, browser).
  robotTest.describe.configure({ timeout: 120_000 });

  robotTest('sees the fleet live, sends a goal on the map, stops every robot with Space, and sees a dead bridge', async ({ hub, fleet, operatorConsole }) => {
    const page = operatorConsole.page;
    expect(fleet.adapter).not.toBeNull();
    await operatorConsole.open(hub.url);
    await operatorConsole.signIn(OPERATOR.id, OPERATOR.password);
    await expect(page.getByTestId('robot-workspace')).toBeVisible();
    await expect(page.getByTestId('officer-role')).toHaveText('Robot operator');

    // Every robot live, on the map.
    for (const id of ROBOTS) {
      await expect(page.getByTestId(`robot-link-${id}`)).toHaveText('Live');
      await expect(page.getByTestId(`map-robot-${id}`)).toBeVisible();
    }
    await expect(page.getByTestId('stop-all')).toBeInViewport();

    // Robot 1 is selected by key; a click on the map sends it there, and it drives toward the goal.
    await operatorConsole.press('1');
    await expect(page.getByTestId('robot-row-robot_1')).toHaveClass(/selected/);
    await expect(page.getByTestId('goal-hint')).toContainText('Click the map');
    // Straight east along the south wall from dock 1, far enough (about 39 m) that the robot is
    // still on its way when everything stops.
    const goal = { x: 40, y: 2 };
    const start = await robotAt(page, 'robot_1');
    const startDistance = Math.hypot(goal.x - start.x, goal.y - start.y);
    await clickMap(page, goal.x, goal.y);
    await expect(page.getByTestId('command-status')).toHaveText('Goal accepted by the robot');
    await expect(page.getByTestId('goal-nav')).toHaveText('Driving to goal');
    await expect(page.getByTestId('map-goal-robot_1')).toBeVisible();
    await expect(page.getByTestId('goal-distance')).toHaveText(/\d+(\.\d)? m/);
    await expect(page.getByTestId('goal-eta')).toHaveText(/\d+ s|\d+ min/);
    await expect
      .poll(
        async () => {
          const p = await robotAt(page, 'robot_1');
          return Math.hypot(goal.x - p.x, goal.y - p.y);
        },
        { timeout: 30_000 },
      )
      .toBeLessThan(startDistance - 1);

    // Space stops every robot; each one confirms.
    await operatorConsole.press('Space');
    await expect(page.getByTestId('all-stop-state')).toHaveAttribute('data-phase', 'done');
    await expect(page.getByTestId('all-stop-state')).toHaveText(`ALL robots stopped — ${ROBOTS.length} of ${ROBOTS.length} confirmed by the robots`);
    for (const id of ROBOTS) {
      await expect(page.getByTestId(`robot-estop-${id}`)).toHaveText('STOPPED — confirmed by the robot');
    }

    // Releasing takes a deliberate confirmation.
    await page.getByTestId('release-all').click();
    await expect(page.getByTestId('release-confirm')).toBeDisabled();
    await page.getByTestId('release-confirm-check').check();
    await page.getByTestId('release-confirm').click();
    for (const id of ROBOTS) await expect(page.getByTestId(`robot-estop-${id}`)).toHaveText('Not stopped');

    // The rosbridge server dies: every robot shows disconnected, in words.
    await fleet.bridge?.kill();
    for (const id of ROBOTS) {
      await expect(page.getByTestId(`robot-link-${id}`)).toHaveText('Disconnected');
      await expect(page.getByTestId(`robot-row-${id}`)).toHaveAttribute('data-link', 'disconnected');
    }
    await expect(page.getByTestId('stop-all')).toBeEnabled();
    expect(operatorConsole.errors).toEqual([]);
  });

  robotTest('the terminal map looks right', async ({ hub, fleet, operatorConsole }) => {
    const page = operatorConsole.page;
    expect(fleet.bridge).not.toBeNull();
    await operatorConsole.open(hub.url);
    await operatorConsole.signIn(OPERATOR.id, OPERATOR.password);
    for (const id of ROBOTS) await expect(page.getByTestId(`robot-link-${id}`)).toHaveText('Live');
    // Parked robots on their docks: nothing on the map moves.
    await expect(page.getByTestId('terminal-map')).toHaveScreenshot('robot-map.png', { maxDiffPixelRatio: 0.01 });
  });

  robotTest('a screening officer sends a robot for a bag flagged for search and the operator sees the mission', async ({ hub, fleet, scanner, operatorConsole, browser }) => {
    expect(fleet.adapter).not.toBeNull();
    const officer = new ConsolePage(await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage());
    await officer.open(hub.url);
    await officer.signIn(OFFICER.id, OFFICER.password);
    await operatorConsole.open(hub.url);
    await operatorConsole.signIn(OPERATOR.id, OPERATOR.password);
    await expect(operatorConsole.page.getByTestId('robot-link-robot_1')).toHaveText('Live');

    const scan = await scanner.send({ lane: 'lane-2' });
    await expect(officer.bagTag()).toHaveText(scan.bagTag);
    await officer.press('s');
    await officer.press('Enter'); // S opens the search form, Enter sends it
    await expect(officer.page.getByTestId('send-robot')).toContainText(`Bag ${scan.bagTag} flagged for search`);
    await officer.press('f');
    await expect(officer.page.getByTestId('send-robot-mission')).toContainText(scan.bagTag);

    const row = operatorConsole.page.locator(`[data-testid="mission-row"][data-bag="${scan.bagTag}"]`);
    await expect(row).toBeVisible();
    await expect(row).toContainText(/Robot \d/);
    expect(officer.errors).toEqual([]);
    expect(operatorConsole.errors).toEqual([]);
    await officer.page.context().close();
  });
});
