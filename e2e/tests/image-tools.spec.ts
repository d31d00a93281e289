import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { ScanSubmitInput } from '@clearway/protocol';
import { ConsolePage, OFFICER, expect, test } from '../fixtures.ts';

// ---- a bag with known materials -----------------------------------------------------------

/** The wire encoding (see @clearway/imaging): u16 = log-attenuation × 8192, 65535 impenetrable. */
const SCALE = 8192;
const IMPENETRABLE = 65535;
/** low/high log-attenuation ratios well inside the colour bands. */
const RATIO = { organic: 1.1, inorganic: 1.5, metal: 2.3 } as const;
type Material = keyof typeof RATIO;

interface Layer {
  readonly material: Material | 'lead';
  /** Log-attenuation at the high energy where the shape is fully there. */
  readonly a: number;
  /** 0…1 coverage of pixel (x, y). */
  readonly shape: (x: number, y: number) => number;
}

const rect = (x0: number, y0: number, x1: number, y1: number) => (x: number, y: number) => (x >= x0 && x < x1 && y >= y0 && y < y1 ? 1 : 0);
const frame = (x0: number, y0: number, x1: number, y1: number, t: number) => (x: number, y: number) =>
  rect(x0, y0, x1, y1)(x, y) && !rect(x0 + t, y0 + t, x1 - t, y1 - t)(x, y) ? 1 : 0;
const ellipse = (cx: number, cy: number, rx: number, ry: number) => (x: number, y: number) => {
  const d = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
  return d < 1 ? Math.sqrt(1 - d) : 0; // thicker in the middle, like a bottle or a roll
};
/** A blade: a thin rotated rectangle, narrowing to a point. */
const blade = (x0: number, y0: number, length: number, width: number, angle: number) => (x: number, y: number) => {
  const dx = x - x0;
  const dy = y - y0;
  const u = dx * Math.cos(angle) + dy * Math.sin(angle);
  const v = -dx * Math.sin(angle) + dy * Math.cos(angle);
  if (u < 0 || u > length) return 0;
  const half = u > length * 0.7 ? (width / 2) * (1 - (u - length * 0.7) / (length * 0.3)) : width / 2;
  return Math.abs(v) <= half ? 1 : 0;
};

/** Deterministic noise, so that the screenshot never changes. */
function noise(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5);
}

function render(width: number, height: number, layers: readonly Layer[], seed: number): { low: Uint16Array; high: Uint16Array } {
  const low = new Uint16Array(width * height);
  const high = new Uint16Array(width * height);
  const rnd = noise(seed);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let al = 0.02 + Math.abs(rnd()) * 0.02; // belt and air
      let ah = al;
      let lead = false;
      for (const layer of layers) {
        const c = layer.shape(x, y);
        if (c <= 0) continue;
        if (layer.material === 'lead') {
          lead = true;
          continue;
        }
        ah += layer.a * c;
        al += layer.a * c * RATIO[layer.material];
      }
      const i = y * width + x;
      const grain = 1 + rnd() * 0.04;
      // A detector that saturates reports 65535 (impenetrable), as the wire format says.
      const h = Math.round(ah * grain * SCALE);
      const l = Math.round(al * grain * SCALE);
      high[i] = lead || h >= IMPENETRABLE ? IMPENETRABLE : h;
      low[i] = lead || l >= IMPENETRABLE ? IMPENETRABLE : l;
    }
  }
  return { low, high };
}

/** A carry-on: plastic shell, clothes, a bottle, a laptop, a knife, batteries, a lead box and a dense steel bar. */
function richScan(over: Partial<ScanSubmitInput> = {}): ScanSubmitInput {
  const top = render(
    400,
    300,
    [
      { material: 'organic', a: 0.35, shape: frame(20, 20, 380, 280, 8) },
      { material: 'organic', a: 0.5, shape: rect(40, 40, 200, 260) },
      { material: 'organic', a: 1.6, shape: ellipse(120, 90, 45, 28) },
      { material: 'inorganic', a: 0.9, shape: rect(215, 40, 360, 150) },
      { material: 'metal', a: 0.6, shape: rect(225, 50, 260, 70) },
      { material: 'metal', a: 1.4, shape: blade(60, 190, 150, 14, -0.25) },
      { material: 'inorganic', a: 1.8, shape: rect(230, 180, 262, 250) },
      { material: 'metal', a: 1.1, shape: rect(270, 180, 302, 250) },
      { material: 'lead', a: 0, shape: rect(320, 190, 355, 240) },
      { material: 'metal', a: 6.4, shape: rect(215, 258, 370, 268) },
    ],
    7,
  );
  const side = render(
    400,
    200,
    [
      { material: 'organic', a: 0.35, shape: frame(20, 30, 380, 170, 8) },
      { material: 'organic', a: 0.8, shape: rect(40, 50, 200, 150) },
      { material: 'inorganic', a: 1.2, shape: rect(215, 60, 360, 80) },
      { material: 'metal', a: 2.2, shape: blade(60, 125, 150, 6, -0.05) },
      { material: 'lead', a: 0, shape: rect(320, 100, 355, 150) },
    ],
    11,
  );
  const bytes = (a: Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  return {
    scanId: randomUUID(),
    lane: 'lane-2',
    flight: 'CA981',
    bagTag: `09992${String(Math.floor(Math.random() * 1e5)).padStart(5, '0')}`,
    scannedAt: new Date().toISOString(),
    views: [
      { view: 'top', width: 400, height: 300, encoding: 'dual-energy-u16le', low: bytes(top.low), high: bytes(top.high) },
      { view: 'side', width: 400, height: 200, encoding: 'dual-energy-u16le', low: bytes(side.low), high: bytes(side.high) },
    ],
    machineResult: {
      algorithm: 'Clearway e2e ATR 1.0',
      alarm: true,
      detections: [
        { id: 'pto-1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.91, box: { view: 'top', x: 55, y: 150, width: 155, height: 50 } },
        { id: 'pto-2', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.84, box: { view: 'side', x: 55, y: 112, width: 155, height: 22 } },
        { id: 'pto-3', label: 'battery', category: 'PROHIBITED_ITEM', score: 0.57, box: { view: 'top', x: 226, y: 176, width: 80, height: 78 } },
      ],
    },
    ...over,
  };
}

// ---- the page's side -----------------------------------------------------------------------

interface Comparison {
  renderer: string;
  pixels: number;
  maxDiff: number;
  over: number;
  firstOver: string | null;
}

/** GPU (or CPU) output at image resolution against the CPU reference, computed in the page by the bundled @clearway/imaging. */
function compareNative(page: Page, view: 'top' | 'side', tolerance = 2): Promise<Comparison> {
  return page.evaluate(
    ({ view, tolerance }) => {
      const probes = (globalThis as unknown as { __clearwayProbes: Map<string, { renderer: string; width: number; readNative(): Uint8Array; reference(): Uint8Array }> }).__clearwayProbes;
      const probe = probes.get(view);
      if (!probe) throw new Error(`no probe for ${view}`);
      const got = probe.readNative();
      const want = probe.reference();
      if (got.length !== want.length) throw new Error(`sizes differ: ${got.length} vs ${want.length}`);
      let maxDiff = 0;
      let over = 0;
      let firstOver: string | null = null;
      for (let i = 0; i < got.length; i++) {
        const d = Math.abs((got[i] ?? 0) - (want[i] ?? 0));
        if (d > maxDiff) maxDiff = d;
        if (d > tolerance) {
          over++;
          if (firstOver === null) {
            const p = i >> 2;
            firstOver = `pixel (${p % probe.width}, ${Math.floor(p / probe.width)}) channel ${i & 3}: got ${got[i]}, want ${want[i]}`;
          }
        }
      }
      return { renderer: probe.renderer, pixels: got.length / 4, maxDiff, over, firstOver };
    },
    { view, tolerance },
  );
}

interface DisplayComparison {
  compared: number;
  over: number;
  maxDiff: number;
  scale: number;
}

/**
 * The canvas as shown against the CPU reference: every canvas pixel whose centre falls clearly
 * inside one image pixel (not within 5 % of its border) must show that pixel's colour. Meant
 * for zooms where pixels are drawn crisp.
 */
function compareDisplay(page: Page, view: 'top' | 'side', tolerance = 2): Promise<DisplayComparison> {
  return page.evaluate(
    ({ view, tolerance }) => {
      type Probe = {
        width: number;
        height: number;
        reference(): Uint8Array;
        readDisplay(): { width: number; height: number; pixels: Uint8Array; transform: { scale: number; tx: number; ty: number } };
      };
      const probe = (globalThis as unknown as { __clearwayProbes: Map<string, Probe> }).__clearwayProbes.get(view);
      if (!probe) throw new Error(`no probe for ${view}`);
      const want = probe.reference();
      const shown = probe.readDisplay();
      const { scale, tx, ty } = shown.transform;
      let compared = 0;
      let over = 0;
      let maxDiff = 0;
      for (let y = 0; y < shown.height; y++) {
        const iy = (y + 0.5 - ty) / scale;
        const fy = iy - Math.floor(iy);
        if (iy < 0 || iy >= probe.height || fy < 0.05 || fy > 0.95) continue;
        for (let x = 0; x < shown.width; x++) {
          const ix = (x + 0.5 - tx) / scale;
          const fx = ix - Math.floor(ix);
          if (ix < 0 || ix >= probe.width || fx < 0.05 || fx > 0.95) continue;
          const s = (y * shown.width + x) * 4;
          const r = (Math.floor(iy) * probe.width + Math.floor(ix)) * 4;
          compared++;
          let worst = 0;
          for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs((shown.pixels[s + c] ?? 0) - (want[r + c] ?? 0)));
          maxDiff = Math.max(maxDiff, worst);
          if (worst > tolerance) over++;
        }
      }
      return { compared, over, maxDiff, scale };
    },
    { view, tolerance },
  );
}

/** Keeps the views' current pixels in the page, to tell later whether a tool changed anything. */
function keepBaseline(page: Page): Promise<void> {
  return page.evaluate(() => {
    const probes = (globalThis as unknown as { __clearwayProbes: Map<string, { readNative(): Uint8Array }> }).__clearwayProbes;
    const baseline = new Map<string, Uint8Array>();
    for (const [view, probe] of probes) baseline.set(view, probe.readNative());
    (globalThis as unknown as { __e2eBaseline: Map<string, Uint8Array> }).__e2eBaseline = baseline;
  });
}

/** How many pixels differ from the kept baseline: proves a tool did something. */
function changedFromBaseline(page: Page, view: 'top' | 'side'): Promise<number> {
  return page.evaluate((view) => {
    const g = globalThis as unknown as { __clearwayProbes: Map<string, { readNative(): Uint8Array }>; __e2eBaseline: Map<string, Uint8Array> };
    const now = g.__clearwayProbes.get(view)?.readNative();
    const before = g.__e2eBaseline.get(view);
    if (!now || !before) throw new Error(`no probe or baseline for ${view}`);
    let changed = 0;
    for (let i = 0; i < now.length; i += 4) if (now[i] !== before[i] || now[i + 1] !== before[i + 1] || now[i + 2] !== before[i + 2]) changed++;
    return changed;
  }, view);
}

/** Pixels of the view that are not gray. */
function colouredPixels(page: Page, view: 'top' | 'side'): Promise<number> {
  return page.evaluate((view) => {
    const px = (globalThis as unknown as { __clearwayProbes: Map<string, { readNative(): Uint8Array }> }).__clearwayProbes.get(view)?.readNative();
    if (!px) throw new Error(`no probe for ${view}`);
    let coloured = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] !== px[i + 1] || px[i + 1] !== px[i + 2]) coloured++;
    return coloured;
  }, view);
}

/**
 * The console's address with WebGL2 forced on. Left to itself the console draws on the CPU when
 * WebGL2 is software-emulated, as it is in this headless Chromium (SwiftShader): the GPU path is
 * tested through this switch.
 */
const gpu = (hubUrl: string) => new URL('/?renderer=webgl2', hubUrl).href;

async function signInWithHooks(officerConsole: ConsolePage, url: string): Promise<void> {
  await officerConsole.page.addInitScript(() => {
    (globalThis as unknown as { __CLEARWAY_TEST_HOOKS__: boolean }).__CLEARWAY_TEST_HOOKS__ = true;
  });
  await officerConsole.open(url);
  await officerConsole.signIn(OFFICER.id, OFFICER.password);
  await expect(officerConsole.linkState()).toHaveText('Connected');
}

async function pressAll(page: Page, keys: readonly string[]): Promise<void> {
  for (const key of keys) await page.keyboard.press(key);
}

const pressed = (page: Page, tool: string) => page.getByTestId(`tool-${tool}`);

// ---- the tests -------------------------------------------------------------------------------

test.describe('image tools', () => {
  test('the GPU draws every tool as the CPU reference does, pixel by pixel (±2)', async ({ hub, scanner, officerConsole }) => {
    test.setTimeout(180_000);
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, gpu(hub.url));
    const scan = richScan();
    await scanner.send(scan);
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(page.getByTestId('view-top')).toHaveAttribute('data-renderer', 'webgl2');
    await expect(page.getByTestId('view-side')).toHaveAttribute('data-renderer', 'webgl2');
    await keepBaseline(page);

    // Each step: keys pressed on top of the previous step, the button that must light, and the check.
    const steps: { name: string; keys: string[]; lit?: string; changes: boolean }[] = [
      { name: 'standard colour', keys: [], lit: 'colour', changes: false },
      { name: 'grayscale', keys: ['2'], lit: 'grayscale', changes: true },
      { name: 'grayscale inverse', keys: ['i'], lit: 'inverse', changes: true },
      { name: 'colour inverse', keys: ['1'], lit: 'colour', changes: true },
      { name: 'edge enhancement', keys: ['i', 'e'], lit: 'edge', changes: true },
      { name: 'organic strip', keys: ['e', 'o'], lit: 'strip-organic', changes: true },
      { name: 'inorganic strip', keys: ['m'], lit: 'strip-inorganic', changes: true },
      { name: 'density slice moved', keys: ['m', 'd', ']', ']', '}'], lit: 'slice', changes: true },
      { name: 'impenetrable marking', keys: ['d', 'x'], lit: 'mark', changes: true },
      { name: 'brighter', keys: ['x', '.', '.'], changes: true },
      { name: 'darker', keys: [',', ',', ',', ',', ','], changes: true },
      { name: 'everything at once', keys: ['.', '.', '.', 'e', 'i', 'x', 'o', 'd', '['], lit: 'mark', changes: true },
      { name: 'everything in grayscale', keys: ['2'], lit: 'grayscale', changes: true },
    ];
    const worst: Record<string, number> = {};
    for (const step of steps) {
      await pressAll(page, step.keys);
      if (step.lit) await expect(pressed(page, step.lit), step.name).toHaveAttribute('aria-pressed', 'true');
      for (const view of ['top', 'side'] as const) {
        const result = await compareNative(page, view);
        expect(result, `${step.name}, ${view} view: ${result.firstOver ?? ''}`).toMatchObject({ renderer: 'webgl2', over: 0 });
        expect(result.maxDiff).toBeLessThanOrEqual(2);
        worst[`${step.name} (${view})`] = result.maxDiff;
        const changed = await changedFromBaseline(page, view);
        if (step.changes) expect(changed, `${step.name} changes the ${view} view`).toBeGreaterThan(100);
        else expect(changed).toBe(0);
      }
    }

    test.info().annotations.push({ type: 'largest GPU − CPU difference per channel', description: JSON.stringify(worst) });

    // On screen too: zoomed 8× (crisp pixels), then panned with the keys and by dragging.
    await page.keyboard.press('r');
    await pressAll(page, ['e', 'x', '+', '+', '+', '+', '+', '+']);
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '8.00');
    for (const view of ['top', 'side'] as const) {
      const shown = await compareDisplay(page, view);
      expect(shown.compared, `${view}: pixels compared on screen`).toBeGreaterThan(50_000);
      expect(shown, `${view} on screen at 8×`).toMatchObject({ over: 0 });
    }
    await pressAll(page, ['ArrowLeft', 'ArrowLeft', 'ArrowUp']);
    const box = await page.getByTestId('view-top').boundingBox();
    if (!box) throw new Error('no top view on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 83, box.y + box.height / 2 - 41, { steps: 4 });
    await page.mouse.up();
    const panned = await compareDisplay(page, 'top');
    expect(panned.compared).toBeGreaterThan(50_000);
    expect(panned).toMatchObject({ over: 0 });
    expect(officerConsole.errors).toEqual([]);
  });

  test('every tool, zoom included, resets on the next bag; zoom reaches 8×', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, hub.url);
    const first = richScan();
    const second = richScan();
    await scanner.send(first);
    await scanner.send(second);
    await expect(officerConsole.bagTag()).toHaveText(first.bagTag);

    // The machine's boxes, labelled, on the view they belong to.
    const topBoxes = page.getByTestId('detections-top').getByTestId('detection-box');
    await expect(topBoxes).toHaveCount(2);
    await expect(page.getByTestId('detections-side').getByTestId('detection-box')).toHaveCount(1);
    await expect(topBoxes.first()).toContainText('knife 91%');
    const knife = await topBoxes.first().locator('.pto-box').boundingBox();
    if (!knife) throw new Error('no knife box');

    // Zoom in by keys: 1 → 8 in six presses of +, never past 16.
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '8.00');
    await expect(page.getByTestId('viewer-side')).toHaveAttribute('data-zoom', '8.00');
    await expect(page.getByTestId('zoom-level')).toHaveText('8.0×');
    for (let i = 0; i < 6; i++) await page.keyboard.press('+');
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '16.00');
    await page.keyboard.press('0');
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '1.00');

    // The wheel zooms the view under the pointer, at the pointer; the box follows.
    const centre = { x: knife.x + knife.width / 2, y: knife.y + knife.height / 2 };
    await page.mouse.move(centre.x, centre.y);
    for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => Number(await page.getByTestId('viewer-top').getAttribute('data-zoom'))).toBeGreaterThanOrEqual(8);
    await expect(page.getByTestId('viewer-side')).toHaveAttribute('data-zoom', '1.00');
    const zoom = Number(await page.getByTestId('viewer-top').getAttribute('data-zoom'));
    const knifeZoomed = page.getByTestId('detections-top').getByTestId('detection-box').filter({ hasText: 'knife' }).locator('.pto-box');
    const zoomedBox = await knifeZoomed.boundingBox();
    if (!zoomedBox) throw new Error('the knife box left the screen');
    expect(zoomedBox.width).toBeCloseTo(knife.width * zoom, -1);
    // The point under the pointer stayed there (give or take the first notches, while the
    // letterboxed axis still fits and stays centred): the box's centre is still at the pointer.
    expect(Math.abs(zoomedBox.x + zoomedBox.width / 2 - centre.x)).toBeLessThan(16);
    expect(Math.abs(zoomedBox.y + zoomedBox.height / 2 - centre.y)).toBeLessThan(16);

    // H hides them.
    await pressAll(page, ['2', 'i', 'e', 'o', 'd', ']', 'x', '.', 'h']);
    await expect(page.getByTestId('detection-box')).toHaveCount(0);
    for (const tool of ['grayscale', 'inverse', 'edge', 'strip-organic', 'slice', 'mark']) await expect(pressed(page, tool)).toHaveAttribute('aria-pressed', 'true');
    await expect(pressed(page, 'boxes')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('brightness')).toHaveText('+1');
    await expect(page.getByTestId('slice-window')).toHaveText('1.25–2.25');

    // The next bag starts with none of it.
    await page.keyboard.press('c');
    await expect(officerConsole.bagTag()).toHaveText(second.bagTag);
    await expect(pressed(page, 'colour')).toHaveAttribute('aria-pressed', 'true');
    for (const tool of ['grayscale', 'inverse', 'edge', 'strip-organic', 'strip-inorganic', 'slice', 'mark']) await expect(pressed(page, tool)).toHaveAttribute('aria-pressed', 'false');
    await expect(pressed(page, 'boxes')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('detection-box')).toHaveCount(3);
    await expect(page.getByTestId('brightness')).toHaveText('0');
    await expect(page.getByTestId('slice-window')).toHaveText('1.00–2.00');
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '1.00');
    await expect(page.getByTestId('viewer-side')).toHaveAttribute('data-zoom', '1.00');
    const settings = await page.evaluate(() => (globalThis as unknown as { __clearwayProbes: Map<string, { settings(): unknown }> }).__clearwayProbes.get('top')?.settings());
    expect(settings).toEqual({ mode: 'colour', inverse: false, edge: false, strip: 'none', slice: { enabled: false, lo: 1, hi: 2 }, markImpenetrable: false, brightness: 0 });

    // R resets everything on the bag on screen as well.
    await pressAll(page, ['x', 'm', '+', '+']);
    await expect(pressed(page, 'mark')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('r');
    await expect(pressed(page, 'mark')).toHaveAttribute('aria-pressed', 'false');
    await expect(pressed(page, 'strip-inorganic')).toHaveAttribute('aria-pressed', 'false');
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '1.00');

    // ? shows the keys; Esc closes them.
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await expect(page.getByTestId('help-overlay')).toContainText('Organic strip');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toHaveCount(0);
    expect(officerConsole.errors).toEqual([]);
  });

  test('a single-energy view is drawn in grayscale and says so', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, gpu(hub.url));
    const rich = richScan();
    const topView = rich.views[0];
    if (!topView) throw new Error('no view');
    const scan = richScan({ views: [{ view: 'top', width: topView.width, height: topView.height, encoding: 'single-energy-u16le', high: topView.high }], machineResult: undefined });
    await scanner.send(scan);
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(page.getByTestId('single-energy-top')).toContainText('no material colour');
    await expect(pressed(page, 'strip-organic')).toBeDisabled();
    expect(await colouredPixels(page, 'top')).toBe(0);
    for (const keys of [[], ['e', 'x'], ['i', 'd']]) {
      await pressAll(page, keys);
      const result = await compareNative(page, 'top');
      expect(result, result.firstOver ?? '').toMatchObject({ renderer: 'webgl2', over: 0 });
    }
  });

  test('the viewer looks as it should (screenshot)', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, gpu(hub.url));
    const scan = richScan({ bagTag: '0999200001', scannedAt: '2025-01-01T08:00:00.000Z' });
    await scanner.send(scan);
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(page.getByTestId('view-top')).toHaveAttribute('data-renderer', 'webgl2');
    await expect(page.locator('.scan-views')).toHaveScreenshot('viewer.png', { maxDiffPixelRatio: 0.002 });
    await pressAll(page, ['e', 'x', 'o', '+', '+']);
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '2.00');
    await expect(page.locator('.bag-panel')).toHaveScreenshot('viewer-tools.png', { maxDiffPixelRatio: 0.002, mask: [page.getByTestId('bag-scanned-at')] });
  });

  test('left to itself, the console uses WebGL2 only on a real GPU; ?renderer=cpu always picks the CPU', async ({ hub, scanner, officerConsole }) => {
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, hub.url);
    const scan = richScan();
    await scanner.send(scan);
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    // What WebGL2 is here (a string: the e2e type check has no DOM types).
    const glRenderer = await page.evaluate<string>(`(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      if (!gl) return 'none';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return name;
    })()`);
    const software = glRenderer === 'none' || /swiftshader|llvmpipe|softpipe|software/i.test(glRenderer);
    await expect(page.getByTestId('view-top')).toHaveAttribute('data-renderer', software ? 'cpu' : 'webgl2');
    if (software && glRenderer !== 'none') await expect(page.locator('.view-renderer').first()).toHaveAttribute('title', /software-emulated/);
    await page.keyboard.press('c');
    await expect(officerConsole.lastDecision()).toContainText('stored');

    await page.goto(new URL('/?renderer=cpu', hub.url).href);
    const next = richScan();
    await scanner.send(next);
    await expect(officerConsole.bagTag()).toHaveText(next.bagTag);
    await expect(page.getByTestId('view-side')).toHaveAttribute('data-renderer', 'cpu');
    expect(officerConsole.errors).toEqual([]);
  });
});

test.describe('image tools without WebGL2', () => {
  test('falls back to the CPU reference on a 2D canvas, with the same tools and zoom', async ({ hub, scanner, playwright }) => {
    // A browser of its own, started with WebGL switched off.
    const browser = await playwright.chromium.launch({
      executablePath: process.env['CLEARWAY_CHROMIUM'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-webgl', '--disable-webgl2', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    });
    const officerConsole = new ConsolePage(await browser.newPage({ viewport: { width: 1400, height: 900 } }));
    const page = officerConsole.page;
    await signInWithHooks(officerConsole, hub.url);
    const scan = richScan();
    await scanner.send(scan);
    await expect(officerConsole.bagTag()).toHaveText(scan.bagTag);
    await expect(page.getByTestId('view-top')).toHaveAttribute('data-renderer', 'cpu');
    await keepBaseline(page);
    await pressAll(page, ['e', 'x', 'o', '+', '+', '+', '+', '+', '+']);
    await expect(page.getByTestId('viewer-top')).toHaveAttribute('data-zoom', '8.00');
    expect(await changedFromBaseline(page, 'top')).toBeGreaterThan(100);
    expect(await compareNative(page, 'top', 0)).toMatchObject({ renderer: 'cpu', over: 0 });
    const shown = await compareDisplay(page, 'top', 0);
    expect(shown.compared).toBeGreaterThan(50_000);
    expect(shown).toMatchObject({ over: 0 });
    await expect(page.getByTestId('detections-top').getByTestId('detection-box')).not.toHaveCount(0);
    await page.keyboard.press('c');
    await expect(officerConsole.lastDecision()).toContainText('stored');
    expect(officerConsole.errors).toEqual([]);
  });

});
