import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { connectDevice, spawnHubProcess, testScan, type DeviceClient } from '@clearway/hub/testing';
import { Store } from '@clearway/store';
import type { ScanSubmitInput } from '@clearway/protocol';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const OFFICER = { id: 'li.wei', name: 'Li Wei', password: 'correct horse battery' } as const;

/** The real hub as its own process, on a fresh data folder, serving the console's web build. */
export class HubProcess {
  child: ChildProcess | null = null;
  url = '';
  port = 0;
  scannerToken = '';

  constructor(readonly dataDir: string) {}

  async seed(): Promise<void> {
    const store = Store.open(this.dataDir);
    await store.identity.createOfficer({ id: OFFICER.id, name: OFFICER.name, role: 'screening-officer', password: OFFICER.password });
    this.scannerToken = store.identity.createDevice('scanner-e2e', 'scanner').token;
    // The longest decision window allowed (10 s + 45 s): a slow machine must not see a bag taken back mid-test.
    store.settings.set('screening.timeLimits', { beltMovingS: 10, beltStoppedS: 45 });
    await store.close();
  }

  async start(env: Record<string, string> = {}): Promise<void> {
    const hub = await spawnHubProcess(['--data', this.dataDir, '--port', String(this.port)], env);
    this.child = hub.child;
    this.url = hub.url;
    this.port = Number(new URL(this.url).port);
  }

  /** Power cut: no shutdown, no flush beyond what SQLite already committed. */
  async kill(): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  }

  /** Decisions as stored, read straight from the hub's database. */
  decisions() {
    const store = Store.open(this.dataDir);
    try {
      return store.screening.recentDecisions(1000);
    } finally {
      // Read-only look: close without the checkpoint that a writer's close does.
      store.db.close();
    }
  }
}

/** The officer console as an officer uses it: through the screen and the keyboard. */
export class ConsolePage {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m: ConsoleMessage) => { if (m.type() === 'error') this.errors.push(m.text()); });
    page.on('pageerror', (e) => this.errors.push(e.message));
  }

  async open(url: string) {
    await this.page.goto(url);
  }

  async signIn(id: string, password: string) {
    await this.page.locator('#officer-id').fill(id);
    await this.page.locator('#password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }

  linkState() {
    return this.page.getByTestId('link-state');
  }

  bagTag() {
    return this.page.getByTestId('bag-tag');
  }

  async press(key: string) {
    await this.page.keyboard.press(key);
  }

  lastDecision() {
    return this.page.getByTestId('last-decision');
  }
}

export const test = base.extend<{ hub: HubProcess; scanner: { send(over?: Partial<ScanSubmitInput>): Promise<ScanSubmitInput> }; officerConsole: ConsolePage }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
  scanner: async ({ hub }, use) => {
    const link: { device: DeviceClient | null } = { device: null };
    await use({
      send: async (over = {}) => {
        link.device ??= await connectDevice(hub.url, 'scanner-e2e', hub.scannerToken);
        const scan = testScan(over, 256);
        const reply = await link.device.emitWithAck('scan:submit', scan);
        expect(reply).toMatchObject({ ok: true });
        return scan;
      },
    });
    link.device?.close();
  },
  officerConsole: async ({ page }, use) => {
    await use(new ConsolePage(page));
  },
});

export { expect };
