/**
 * Imaging: how fast the scanner simulator makes bags, how fast a raw dual-energy view becomes a
 * colour frame (CPU reference in Node and in Chromium, the console's WebGL2 path in Chromium),
 * and how long an officer waits from a scan leaving the scanner to its image on screen with ten
 * lanes streaming — each against a baseline measured in the same run.
 *
 *   pnpm bench imaging                       # 40 seeds, 20 tool passes, 60 bags over 10 lanes at 12/min each
 *   pnpm bench imaging --seeds=20 --bags=30 --rate=24
 *
 * 1. Simulator: generateBag (one view 640×480; two views) in bags/s, against the floor of any
 *    simulator of that size: allocating and filling the same u16 images with a cheap PRNG.
 * 2. Colour frame in ms per megapixel: renderView (default settings alternating with edge on, so
 *    every pass runs) in Node, then in Chromium through the console's test probe (`timeTools`):
 *    the WebGL2 renderer (setSettings + readNative, which waits for the GPU and reads back) and
 *    the same CPU reference in the page. Headless Chromium without a GPU runs WebGL on SwiftShader
 *    (software): the renderer string is printed.
 * 3. Paint latency: the hub as its own process, bags from runScannerSimulator (10 lanes, two
 *    views), a signed-in console (default renderer, what an officer gets) that clears each bag
 *    two animation frames after its tag appears. Latency = painted − emitted, where emitted is
 *    the simulator's send time (taken from its per-bag ack log line: ack time − "acked in N ms";
 *    `scannedAt` would also count the bag's generation). Baseline: the same hub delivering the
 *    same bags (same seed, another flight so the tags differ) to a Node socket.io officer.
 *    Goal (imaging issue): paint p95 under 300 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectDevice, connectOfficer, decisionFor } from '@clearway/hub/testing';
import { DEFAULT_IMAGE_SETTINGS, renderView, toggleEdge, type ImageSettings, type ToolImage } from '@clearway/imaging';
import type { ScanSubmitInput } from '@clearway/protocol';
import { SimulatedScanner, generateBag, runScannerSimulator, sideViewWidth } from '@clearway/scanner-sim';
import { Store, hashPassword } from '@clearway/store';
import { percentile } from '@clearway/domain';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ratio, serve, stop, table, intOption } from './support.ts';

const SEEDS = intOption('seeds', 40);
const TOOL_RUNS = intOption('tool-runs', 20);
const BAGS = intOption('bags', 60);
const LANES = intOption('lanes', 10);
const RATE = intOption('rate', 12); // bags per minute per lane
const W = 640;
const H = 480;
const BIG_W = 2048;
const BIG_H = 1024;
const GOAL_PAINT_P95_MS = 300;
const PASSWORD = 'bench password';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

const r1 = (x: number) => Number(x.toFixed(1));
const r3 = (x: number) => Number(x.toFixed(3));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- 1. simulator ---------------------------------------------------------------------------

/** The floor: allocate and fill one view's two u16 images with an LCG per pixel. */
function fillFloor(seed: number, pixels: number): number {
  const low = new Uint16Array(pixels);
  const high = new Uint16Array(pixels);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < pixels; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    high[i] = x >>> 16;
    low[i] = x & 0xffff;
  }
  return (low[pixels - 1] ?? 0) + (high[0] ?? 0);
}

function bagsPerS(n: number, make: (i: number) => unknown): number {
  make(1_000_000); // warm
  const t0 = performance.now();
  for (let i = 0; i < n; i++) make(i);
  return n / ((performance.now() - t0) / 1000);
}

function simulator() {
  const twoViewPixels = [W * H, sideViewWidth(W) * H];
  const one = bagsPerS(SEEDS, (i) => generateBag(i, { views: ['top'], width: W, height: H }));
  const oneFloor = bagsPerS(SEEDS, (i) => fillFloor(i, W * H));
  const two = bagsPerS(SEEDS, (i) => generateBag(i, { views: ['top', 'side'], width: W, height: H }));
  const twoFloor = bagsPerS(SEEDS, (i) => twoViewPixels.reduce((s, p) => s + fillFloor(i, p), 0));
  return {
    seeds: SEEDS,
    one_view: { bags_per_s: r1(one), floor_bags_per_s: r1(oneFloor), ratio: ratio(one, oneFloor), ms_per_bag: r3(1000 / one) },
    two_views: { bags_per_s: r1(two), floor_bags_per_s: r1(twoFloor), ratio: ratio(two, twoFloor), ms_per_bag: r3(1000 / two) },
  };
}

// ---- 2. colour frame ------------------------------------------------------------------------

/** A synthetic view: attenuations spread over the colour bands, a little air, some impenetrable. */
function syntheticView(width: number, height: number): { low: Uint16Array; high: Uint16Array } {
  const low = new Uint16Array(width * height);
  const high = new Uint16Array(width * height);
  let x = 12345;
  const ratios = [1.1, 1.5, 2.3];
  for (let i = 0; i < low.length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const h = (x >>> 16) % 40000;
    const l = Math.min(65535, Math.round(h * (ratios[(x >>> 8) % 3] ?? 1.5)));
    high[i] = (x & 0xff) === 0 ? 65535 : h;
    low[i] = (x & 0xff) === 0 ? 65535 : l;
  }
  return { low, high };
}

/** Mean ms per renderView pass, alternating default and edge-on settings (as timeTools does). */
function cpuMs(image: ToolImage, runs: number): number {
  const settings: ImageSettings[] = [DEFAULT_IMAGE_SETTINGS, toggleEdge(DEFAULT_IMAGE_SETTINGS)];
  const out = new Uint8ClampedArray(image.width * image.height * 4);
  renderView(image, settings[1] ?? DEFAULT_IMAGE_SETTINGS, out);
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) renderView(image, settings[i % 2] ?? DEFAULT_IMAGE_SETTINGS, out);
  return (performance.now() - t0) / runs;
}

const bytes = (a: Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

interface Seeded { dataDir: string; token: string; officers: string[] }

async function seedHub(officers: string[]): Promise<Seeded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-imaging-'));
  const store = Store.open(dataDir);
  const passwordHash = await hashPassword(PASSWORD);
  for (const id of officers) store.identity.importOfficer({ id, name: id, role: 'screening-officer', passwordHash });
  const token = store.identity.createDevice('bench-scanner', 'scanner').token;
  await store.close();
  return { dataDir, token, officers };
}

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

async function signIn(page: Page, url: string, officerId: string): Promise<void> {
  await page.goto(url);
  await page.locator('#officer-id').fill(officerId);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('link-state').waitFor({ timeout: 15_000 });
}

const rendererInfo = async (page: Page): Promise<string> => String(await page.evaluate(RENDERER_INFO));
const RENDERER_INFO = `(() => {
  const c = document.createElement('canvas');
  const gl = c.getContext('webgl2') || c.getContext('webgl');
  if (!gl) return 'no WebGL';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
})()`;

interface ProbeTiming { renderer: string; width: number; height: number; rendererMs: number; referenceMs: number }

/** Sends one scan, waits for the console to draw it, runs timeTools on the top view. */
async function timeInPage(page: Page, device: Awaited<ReturnType<typeof connectDevice>>, scan: ScanSubmitInput, width: number): Promise<ProbeTiming> {
  const reply = await device.emitWithAck('scan:submit', scan);
  if (!reply.ok) throw new Error(`scan refused: ${reply.error.message}`);
  await page.waitForFunction((w) => {
    const probes = Reflect.get(globalThis, '__clearwayProbes') as Map<string, { width: number }> | undefined;
    return probes?.get('top')?.width === w;
  }, width, { timeout: 20_000 });
  return page.evaluate((runs) => {
    const probes = Reflect.get(globalThis, '__clearwayProbes') as Map<string, { renderer: string; width: number; height: number; timeTools(n: number): { rendererMs: number; referenceMs: number } }>;
    const p = probes.get('top');
    if (!p) throw new Error('no probe for the top view');
    return { renderer: p.renderer, width: p.width, height: p.height, ...p.timeTools(runs) };
  }, TOOL_RUNS);
}

async function colour() {
  const bag = generateBag(1, { views: ['top'], width: W, height: H });
  const top = bag.views[0];
  if (!top) throw new Error('no top view');
  const big = syntheticView(BIG_W, BIG_H);
  const mp = (w: number, h: number) => (w * h) / 1e6;
  const node = {
    bag: cpuMs(top, TOOL_RUNS) / mp(W, H),
    synthetic: cpuMs({ width: BIG_W, height: BIG_H, ...big }, TOOL_RUNS) / mp(BIG_W, BIG_H),
  };

  const seeded = await seedHub(['bench.gpu']);
  const hub = await serve('apps/hub/src/main.ts', ['--data', seeded.dataDir, '--port', '0']);
  let browser: Browser | null = null;
  let device: Awaited<ReturnType<typeof connectDevice>> | null = null;
  try {
    browser = await launch();
    const page = await browser.newPage();
    await page.addInitScript({ content: 'globalThis.__CLEARWAY_TEST_HOOKS__ = true;' });
    await signIn(page, new URL('/?renderer=webgl2', hub.url).href, 'bench.gpu');
    const webgl = await rendererInfo(page);
    device = await connectDevice(hub.url, 'bench-scanner', seeded.token);
    const sim = new SimulatedScanner({ id: 'bench-scanner', views: 1, seed: 1 });
    const small = await timeInPage(page, device, sim.scanBag(0), W);
    await page.keyboard.press('c'); // clear it, so the next scan comes to this console
    const bigScan: ScanSubmitInput = { ...sim.scanBag(1), views: [{ view: 'top', width: BIG_W, height: BIG_H, encoding: 'dual-energy-u16le', low: bytes(big.low), high: bytes(big.high) }] };
    const large = await timeInPage(page, device, bigScan, BIG_W);
    await page.keyboard.press('c');
    return {
      webgl_renderer: webgl,
      software_webgl: /swiftshader|llvmpipe|software/i.test(webgl),
      console_renderer: small.renderer,
      runs: TOOL_RUNS,
      ms_per_mp: {
        cpu_node: { bag_640x480: r3(node.bag), synthetic_2048x1024: r3(node.synthetic) },
        cpu_chromium: { bag_640x480: r3(small.referenceMs / mp(W, H)), synthetic_2048x1024: r3(large.referenceMs / mp(BIG_W, BIG_H)) },
        gpu_chromium: { bag_640x480: r3(small.rendererMs / mp(W, H)), synthetic_2048x1024: r3(large.rendererMs / mp(BIG_W, BIG_H)) },
      },
    };
  } finally {
    device?.close();
    await browser?.close();
    await stop(hub.child);
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

// ---- 3. paint latency -----------------------------------------------------------------------

/**
 * In the page: when the bag tag shows a new bag, wait two animation frames (the frame with the
 * drawn canvas has been presented), record it, then press 'c' so the next bag comes. The tag
 * element comes and goes with the bag, so the observer watches the document for it.
 */
const PAINT_HOOK = `(() => {
  const painted = [];
  globalThis.__clearwayPainted = painted;
  let last = '';
  const check = () => {
    const el = document.querySelector('[data-testid="bag-tag"]');
    const tag = el ? (el.textContent || '') : '';
    if (!tag || tag === last) return;
    last = tag;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const view = document.querySelector('[data-testid="view-top"]');
      painted.push({ tag, paintedAt: Date.now(), renderer: view ? view.dataset.renderer : 'none' });
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'c', bubbles: true }));
    }));
  };
  const start = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  if (document.documentElement) start(); else document.addEventListener('DOMContentLoaded', start);
})();`;

interface Stream { emitted: Map<string, number>; acked: number; elapsedMs: number }

/** Streams BAGS two-view bags from the simulator; the emit time of each from its ack log line. */
async function stream(url: string, token: string, flight: string): Promise<Stream> {
  const emitted = new Map<string, number>();
  const summary = await runScannerSimulator({
    hubUrl: url, deviceId: 'bench-scanner', token, lanes: LANES, rate: RATE, count: BAGS, views: 2, seed: 1, flight, width: W, height: H,
    log: (line) => {
      const m = /^(\S+) \S+ acked in (\d+) ms/.exec(line);
      if (m?.[1] && m[2]) emitted.set(m[1], Date.now() - Number(m[2]));
    },
  });
  return { emitted, acked: summary.bagsAcked, elapsedMs: summary.elapsedMs };
}

async function waitFor(done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done()) && Date.now() < until) await sleep(100);
}

function latencies(emitted: Map<string, number>, received: Map<string, number>) {
  const samples: number[] = [];
  for (const [tag, at] of received) {
    const e = emitted.get(tag);
    if (e !== undefined) samples.push(at - e);
  }
  if (samples.length === 0) return { samples: 0, p50_ms: NaN, p95_ms: NaN, max_ms: NaN };
  return { samples: samples.length, p50_ms: r1(percentile(samples, 50)), p95_ms: r1(percentile(samples, 95)), max_ms: r1(Math.max(...samples)) };
}

async function paint() {
  const seeded = await seedHub(['bench.console', 'bench.node']);
  const hub = await serve('apps/hub/src/main.ts', ['--data', seeded.dataDir, '--port', '0']);
  let browser: Browser | null = null;
  const closers: (() => void)[] = [];
  try {
    // Baseline first (it also warms the hub): the same bags to a Node officer deciding at once.
    const officer = await connectOfficer(hub.url, { officerId: 'bench.node', password: PASSWORD });
    closers.push(() => officer.socket.close());
    const nodeReceived = new Map<string, number>();
    officer.socket.on('bag:assigned', (bag) => {
      nodeReceived.set(bag.bag.bagTag, Date.now());
      officer.socket.emit('decision:submit', decisionFor(bag as never), () => {});
    });
    for (const b of officer.bags.splice(0)) officer.socket.emit('decision:submit', decisionFor(b), () => {});
    const nodeStream = await stream(hub.url, seeded.token, 'CA982');
    await waitFor(() => nodeReceived.size >= BAGS, 15_000);
    officer.socket.close();
    await sleep(500);

    // The officer's console: default renderer, signed in, clearing each bag once it is on screen.
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.addInitScript({ content: PAINT_HOOK });
    await signIn(page, hub.url, 'bench.console');
    const consoleRenderer = await rendererInfo(page);
    const browserStream = await stream(hub.url, seeded.token, 'CA981');
    const painted = async () => (await page.evaluate('globalThis.__clearwayPainted.length')) as number;
    await waitFor(async () => (await painted()) >= BAGS, 20_000);
    const rows = (await page.evaluate('globalThis.__clearwayPainted')) as { tag: string; paintedAt: number; renderer: string }[];
    const viewRenderer = [...new Set(rows.map((r) => r.renderer))].join('+') || 'none';
    const browserReceived = new Map(rows.map((r) => [r.tag, r.paintedAt]));
    const browserLat = latencies(browserStream.emitted, browserReceived);
    const nodeLat = latencies(nodeStream.emitted, nodeReceived);
    return {
      bags: BAGS, lanes: LANES, rate_per_lane_per_min: RATE, offered_bags_per_s: r3((LANES * RATE) / 60), views: 2,
      emitted_from: 'simulator send time (ack log line)',
      console_webgl: consoleRenderer,
      console_view_renderer: viewRenderer,
      browser: { ...browserLat, painted: rows.length, acked: browserStream.acked },
      node: { ...nodeLat, received: nodeReceived.size, acked: nodeStream.acked },
      p50_ratio: ratio(browserLat.p50_ms, nodeLat.p50_ms),
      p95_ratio: ratio(browserLat.p95_ms, nodeLat.p95_ms),
    };
  } finally {
    for (const c of closers) c();
    await browser?.close();
    await stop(hub.child);
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

// ---- run and report -------------------------------------------------------------------------

const sim = simulator();
const col = await colour();
const pnt = await paint();
const met = pnt.browser.p95_ms < GOAL_PAINT_P95_MS;

console.log(`imaging: simulator over ${SEEDS} seeds (${W}×${H} top view, side ${sideViewWidth(W)}×${H})`);
console.log(table([
  ['', 'bags/s', 'ms/bag', 'floor bags/s', 'sim/floor'],
  ['generateBag, 1 view', sim.one_view.bags_per_s.toFixed(1), sim.one_view.ms_per_bag.toFixed(1), sim.one_view.floor_bags_per_s.toFixed(1), `${sim.one_view.ratio.toFixed(3)}×`],
  ['generateBag, 2 views', sim.two_views.bags_per_s.toFixed(1), sim.two_views.ms_per_bag.toFixed(1), sim.two_views.floor_bags_per_s.toFixed(1), `${sim.two_views.ratio.toFixed(3)}×`],
]));
const m = col.ms_per_mp;
console.log(`\ncolour frame, ms per megapixel (mean of ${TOOL_RUNS} passes alternating default / edge); Chromium WebGL: ${col.webgl_renderer}${col.software_webgl ? ' (software)' : ''}; console drew with ${col.console_renderer}`);
console.log(table([
  ['', `bag ${W}×${H}`, `synthetic ${BIG_W}×${BIG_H}`],
  ['CPU reference, Node', m.cpu_node.bag_640x480.toFixed(2), m.cpu_node.synthetic_2048x1024.toFixed(2)],
  ['CPU reference, Chromium', m.cpu_chromium.bag_640x480.toFixed(2), m.cpu_chromium.synthetic_2048x1024.toFixed(2)],
  ['WebGL2 + readback, Chromium', m.gpu_chromium.bag_640x480.toFixed(2), m.gpu_chromium.synthetic_2048x1024.toFixed(2)],
  ['WebGL2 / CPU Chromium', `${ratio(m.gpu_chromium.bag_640x480, m.cpu_chromium.bag_640x480).toFixed(2)}×`, `${ratio(m.gpu_chromium.synthetic_2048x1024, m.cpu_chromium.synthetic_2048x1024).toFixed(2)}×`],
]));
console.log(`\nscan emitted → on screen: ${BAGS} two-view bags, ${LANES} lanes at ${RATE}/min each (${pnt.offered_bags_per_s} bags/s); console view renderer ${pnt.console_view_renderer}`);
console.log(table([
  ['', 'bags', 'p50 ms', 'p95 ms', 'max ms'],
  ['console painted (Chromium)', String(pnt.browser.samples), pnt.browser.p50_ms.toFixed(1), pnt.browser.p95_ms.toFixed(1), pnt.browser.max_ms.toFixed(1)],
  ['Node officer received', String(pnt.node.samples), pnt.node.p50_ms.toFixed(1), pnt.node.p95_ms.toFixed(1), pnt.node.max_ms.toFixed(1)],
  ['browser/Node', '', `${pnt.p50_ratio.toFixed(2)}×`, `${pnt.p95_ratio.toFixed(2)}×`, ''],
]));
console.log(`goal: paint p95 under ${GOAL_PAINT_P95_MS} ms: ${pnt.browser.p95_ms.toFixed(1)} ms (${met ? 'met' : 'NOT met'})`);
console.log(JSON.stringify({
  name: 'imaging',
  simulator: sim,
  colour: col,
  paint: pnt,
  goals: { paint_p95_ms: GOAL_PAINT_P95_MS, paint_p95_met: met },
}));
