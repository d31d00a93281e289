import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanViewInput } from '@clearway/protocol';
import { generateBag } from '@clearway/scanner-sim';
import { Store } from '@clearway/store';
import { HubProcess, OFFICER, ROOT, expect, test as base } from '../fixtures.ts';

// The console's own threat detection in browser mode: onnxruntime-web in a worker, WebAssembly
// with threads (the hub serves the console cross-origin isolated), boxes on the views, the
// officer's mark on one, and both the decision's verdicts and the console's machine result in
// the hub's database. The model is the e2e fixture (e2e/fixtures/metal-detector.onnx: blue
// patches, metal in the standard colours, come back as 'gun'), so the test never depends on how
// well a trained model does.

const MODEL_FILE = join(ROOT, 'e2e/fixtures/metal-detector.onnx');

const test = base.extend({
  // The hub with the fixture model as its active model (registered before it starts).
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take an object pattern
  hub: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'clearway-e2e-detection-'));
    const hub = new HubProcess(dir);
    await hub.seed();
    const store = Store.open(dir);
    try {
      // The fixture's header, as readModelInfo reads it (the hub checks real uploads itself).
      store.models.add(readFileSync(MODEL_FILE), () => ({ classNames: ['gun', 'knife'], inputWidth: 320, inputHeight: 320 }), { fileName: 'metal-detector.onnx', activate: true });
    } finally {
      await store.close();
    }
    await hub.start();
    await use(hub);
    await hub.kill();
    rmSync(dir, { recursive: true, force: true });
  },
});

/** A simulated bag with a pistol and a knife in it (seed 12 of the scanner simulator), both views. */
function bagWithGun(): ScanViewInput[] {
  const bag = generateBag(12, { views: ['top', 'side'], width: 640, height: 480 });
  expect(bag.threats.map((t) => t.label)).toContain('gun');
  const bytes = (a: Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return bag.views.map((v) => ({ view: v.view, width: v.width, height: v.height, encoding: 'dual-energy-u16le', low: bytes(v.low), high: bytes(v.high) }));
}

interface HookActive { sha256: string; backend: { name: string; threads: number; simd: boolean; crossOriginIsolated: boolean } }

test.describe('AI threat detection on the console', () => {
  test('draws the model boxes, records the officer marks with the decision and stores the result as a machine result', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await page.addInitScript({ content: 'globalThis.__CLEARWAY_TEST_HOOKS__ = true;' });
    await officerConsole.open(hub.url);
    expect(await page.evaluate('crossOriginIsolated')).toBe(true);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    await expect(officerConsole.linkState()).toHaveText('Connected');

    const scan = await scanner.send({ views: bagWithGun() });
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    const status = page.getByTestId('ai-status');
    await expect(status).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });
    await expect(status).toHaveText(/^\d+ threats? \(\d+ ms, wasm SIMD \d+ threads\)/);

    // WebAssembly with more than one thread, in the worker, cross-origin isolated.
    const active = (await page.evaluate(() => (Reflect.get(globalThis, '__clearwayDetection') as { active(): unknown }).active())) as HookActive | null;
    expect(active?.backend).toMatchObject({ name: 'wasm', simd: true, crossOriginIsolated: true });
    expect(active?.backend.threads).toBeGreaterThan(1);

    const boxes = page.getByTestId('ai-box');
    const box = (id: string) => page.locator(`[data-testid="ai-box"][data-id="${id}"]`);
    await expect(box('ai-top-1').locator('.ai-outline')).toBeVisible();
    const shownIds = (await boxes.evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''))).sort();
    expect(new Set(shownIds).size).toBe(shownIds.length);
    expect(shownIds).toContain('ai-top-2'); // the fixture model finds the pistol in more than one place

    // The officer marks the strongest box as a threat (a click on its label, which also selects
    // it), hides and shows the boxes with A, selects the next one with N and marks it twice with T
    // (threat, then not a threat).
    await box('ai-top-1').locator('.ai-label').click();
    await expect(box('ai-top-1')).toHaveAttribute('data-mark', 'confirmed');
    await officerConsole.press('a');
    await expect(boxes).toHaveCount(0);
    await officerConsole.press('a');
    await expect(boxes).toHaveCount(shownIds.length);
    await officerConsole.press('n');
    await expect(box('ai-top-2')).toHaveClass(/ai-selected/);
    await officerConsole.press('t');
    await officerConsole.press('t');
    await expect(box('ai-top-2')).toHaveAttribute('data-mark', 'dismissed');

    // Send it to search (S, then Enter in the search form): the boxes the officer did not touch
    // count as confirmed.
    await officerConsole.press('s');
    await officerConsole.press('Enter');
    await expect(officerConsole.lastDecision()).toContainText('stored');
    const [decision] = hub.decisions();
    const byId = (a: { detectionId: string }, b: { detectionId: string }) => a.detectionId.localeCompare(b.detectionId);
    expect([...(decision?.detections ?? [])].sort(byId)).toEqual(shownIds.map((id) => ({ detectionId: id, verdict: id === 'ai-top-2' ? 'dismissed' : 'confirmed' })));

    // The console's result is the bag's machine result from this model, beside the scanner's.
    await expect.poll(() => storedResults(hub.dataDir, scan.bagTag).length).toBe(1);
    const [result] = storedResults(hub.dataDir, scan.bagTag);
    expect(result?.model.sha256).toBe(active?.sha256);
    expect(result?.model.name).toBe('metal-detector');
    expect(result?.backend).toMatch(/^wasm SIMD \d+ threads$/);
    expect(result?.alarm).toBe(true);
    const storedIds = result?.detections.map((d) => d.id) ?? [];
    for (const id of shownIds) expect(storedIds).toContain(id);
    expect(result?.detections.find((d) => d.id === 'ai-top-1')).toMatchObject({ label: 'gun', category: 'PROHIBITED_ITEM' });
    expect(officerConsole.errors).toEqual([]);
  });
});

test.describe('a new model from the administrator', () => {
  test('reaches a signed-in console without a reload, and the next bag runs on it', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await page.addInitScript({ content: 'globalThis.__CLEARWAY_TEST_HOOKS__ = true;' });
    await officerConsole.open(hub.url);
    await officerConsole.signIn(OFFICER.id, OFFICER.password);
    const activeSha = () => page.evaluate(() => (Reflect.get(globalThis, '__clearwayDetection') as { active(): { sha256: string } | null }).active()?.sha256 ?? null);
    await expect.poll(activeSha, { timeout: 30_000 }).not.toBeNull();
    const first = await activeSha();

    // As `pnpm clearway models add FILE --activate` does, from another process.
    const store = Store.open(hub.dataDir);
    let second: string;
    try {
      const grid = readFileSync(join(ROOT, 'packages/detection/fixtures/grid-detector.onnx'));
      second = store.models.add(grid, () => ({ classNames: ['gun', 'knife'], inputWidth: 64, inputHeight: 64 }), { fileName: 'grid-detector.onnx', activate: true }).model.sha256;
    } finally {
      await store.close();
    }
    expect(second).not.toBe(first);
    await expect.poll(activeSha, { timeout: 30_000 }).toBe(second);

    const scan = await scanner.send({ views: bagWithGun() });
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(page.getByTestId('ai-status')).toHaveAttribute('data-phase', 'done', { timeout: 30_000 });

    // The officer raises the threshold for guns: weaker gun boxes go, and the browser remembers it.
    await page.getByTestId('ai-thresholds').locator('summary').click();
    await page.getByTestId('threshold-gun').fill('0.95');
    await expect(page.getByTestId('ai-thresholds')).toContainText('95%');
    expect(await page.evaluate("localStorage.getItem('clearway.detection.thresholds')")).toBe('{"gun":0.95}');
    const gunScores = await page.locator('[data-testid="ai-box"] .ai-label').evaluateAll((labels) =>
      labels.map((l) => l.textContent ?? '').filter((t) => t.startsWith('AI gun')).map((t) => Number(/(\d+)%/.exec(t)?.[1])));
    for (const score of gunScores) expect(score).toBeGreaterThanOrEqual(95);
    await officerConsole.press('c');
    await expect(officerConsole.lastDecision()).toContainText('stored');
    await expect.poll(() => storedResults(hub.dataDir, scan.bagTag).map((r) => r.model.sha256)).toEqual([second]);
    expect(officerConsole.errors).toEqual([]);
  });
});

/** The console models' results on the bag with this tag, read straight from the hub's database. */
function storedResults(dataDir: string, bagTag: string) {
  const store = Store.open(dataDir);
  try {
    const decision = store.screening.recentDecisions(100).find((d) => store.screening.bag(d.bagId)?.bagTag === bagTag);
    return decision ? store.screening.detectionResults(decision.bagId) : [];
  } finally {
    store.db.close();
  }
}
