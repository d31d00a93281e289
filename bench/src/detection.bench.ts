/**
 * Detection: the console's model inference in Chromium, in the detection worker exactly as the
 * console runs it (the real hub serving the console build cross-origin isolated, an officer
 * signed in, the model pushed as `model:current`, onnxruntime-web on WebAssembly with SIMD and
 * threads, or WebGPU where Chromium has an adapter), against onnxruntime-node (native) running
 * the same @clearway/detection code on the same model and the same images in the same run.
 *
 *   pnpm bench detection                   # 12 simulator images × 3 rounds
 *   pnpm bench detection --images=20 --rounds=5
 *   pnpm bench detection --model=path/to/airport-model.onnx
 *
 * Model: assets/models/clearway-xray-ref-v1.onnx when it is there, otherwise the e2e fixture
 * e2e/fixtures/metal-detector.onnx (same input and output layout, almost no compute); the output
 * says which. Images: top views (640×480) from the scanner simulator in the standard colours.
 * Native runs with as many intra-op threads as the worker has WebAssembly threads.
 * Figures per image: pre-processing (letterbox), inference (session.run), post-processing
 * (decode + NMS), and in Chromium the round trip UI → worker → UI. Load: download + session in
 * the worker (console), session creation (native). Goal: web p50 inference within 2× native.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { percentile } from '@clearway/domain';
import { type OrtRuntime, createDetector, readModelInfo } from '@clearway/detection';
import { renderPseudoColour } from '@clearway/imaging';
import { generateBag } from '@clearway/scanner-sim';
import { Store, hashPassword } from '@clearway/store';
import { chromium } from 'playwright-core';
import { ROOT, intOption, ratio, serve, stop, table } from './support.ts';

const IMAGES = intOption('images', 12);
const ROUNDS = intOption('rounds', 3);
const WARMUP = 2;
const W = 640;
const H = 480;
const GOAL_RATIO = 2;
const PASSWORD = 'bench password';
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// No --disable-gpu: the console gets whatever GPU Chromium finds (headless on a machine without
// one has no WebGPU adapter, and the worker runs WebAssembly).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--enable-unsafe-webgpu'];

const REFERENCE = join(ROOT, 'assets/models/clearway-xray-ref-v1.onnx');
const FIXTURE = join(ROOT, 'e2e/fixtures/metal-detector.onnx');
/** `--model=FILE` (or BENCH_MODEL): an airport's own model, say. */
const asked = process.argv.slice(2).find((a) => a.startsWith('--model='))?.slice('--model='.length) ?? process.env['BENCH_MODEL'];
const modelFile = asked ? resolve(asked) : existsSync(REFERENCE) ? REFERENCE : FIXTURE;
const modelKind = asked ? 'given' : modelFile === REFERENCE ? 'reference' : 'fixture';

const r3 = (x: number) => Number(x.toFixed(3));

interface Sample { preMs: number; inferMs: number; postMs: number; roundTripMs?: number; detections: number }

function summary(samples: readonly Sample[]): Record<'infer_p50_ms' | 'infer_p95_ms' | 'pre_p50_ms' | 'post_p50_ms' | 'total_p50_ms', number> & { roundtrip_p50_ms?: number; roundtrip_p95_ms?: number } {
  const of = (pick: (s: Sample) => number) => samples.map(pick);
  const out = {
    infer_p50_ms: r3(percentile(of((s) => s.inferMs), 50)),
    infer_p95_ms: r3(percentile(of((s) => s.inferMs), 95)),
    pre_p50_ms: r3(percentile(of((s) => s.preMs), 50)),
    post_p50_ms: r3(percentile(of((s) => s.postMs), 50)),
    total_p50_ms: r3(percentile(of((s) => s.preMs + s.inferMs + s.postMs), 50)),
  };
  const trips = samples.flatMap((s) => (s.roundTripMs === undefined ? [] : [s.roundTripMs]));
  return trips.length > 0 ? { ...out, roundtrip_p50_ms: r3(percentile(trips, 50)), roundtrip_p95_ms: r3(percentile(trips, 95)) } : out;
}

/** The officer's colour image of simulator bags (with threats more often than on a real belt). */
function images(): Uint8ClampedArray[] {
  return Array.from({ length: IMAGES }, (_, i) => {
    const bag = generateBag(1000 + i, { views: ['top'], width: W, height: H, threatRate: 0.8 });
    const v = bag.views[0];
    if (!v) throw new Error('no top view');
    return renderPseudoColour(v.low, v.high, new Uint8ClampedArray(W * H * 4));
  });
}

const CORES = (await import('node:os')).availableParallelism();

async function nativeDetector(model: Uint8Array, threads: number) {
  const t0 = performance.now();
  const detector = await createDetector(ortNode as unknown as OrtRuntime, model, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
  return { detector, loadMs: performance.now() - t0 };
}

interface HookBackend { name: string; threads: number; simd: boolean; crossOriginIsolated: boolean }
interface Hook {
  active(): { sha256: string; backend: HookBackend; loadMs: number } | null;
  failure(): { name: string; reason: string } | null;
  detect(width: number, height: number, rgbaBase64: string): Promise<{ detections: unknown[]; timings: { preMs: number; inferMs: number; postMs: number }; roundTripMs: number }>;
}

/** The hub with the model active and an officer, Chromium signed in, the console's model loaded. */
async function openConsole(model: Uint8Array) {
  const assets = join(ROOT, 'apps/console/dist/renderer/assets');
  if (!existsSync(assets) || !readdirSync(assets).some((f) => f.startsWith('ort-'))) {
    throw new Error('the console build (with onnxruntime-web under assets/ort-<version>/) is missing: run `pnpm build` first');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'clearway-detection-bench-'));
  const store = Store.open(dataDir);
  try {
    store.identity.importOfficer({ id: 'bench.ai', name: 'Bench AI', role: 'screening-officer', passwordHash: await hashPassword(PASSWORD) });
    store.models.add(model, readModelInfo, { fileName: relative(ROOT, modelFile).split('/').pop() ?? 'model.onnx', activate: true });
  } finally {
    await store.close();
  }
  const hub = await serve('apps/hub/src/main.ts', ['--data', dataDir, '--port', '0']);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    await stop(hub.child);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.addInitScript({ content: 'globalThis.__CLEARWAY_TEST_HOOKS__ = true;' });
    await page.goto(hub.url);
    const isolated = (await page.evaluate('crossOriginIsolated')) === true;
    await page.locator('#officer-id').fill('bench.ai');
    await page.locator('#password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => {
      const hook = Reflect.get(globalThis, '__clearwayDetection') as Hook | undefined;
      return Boolean(hook?.active() ?? hook?.failure());
    }, undefined, { timeout: 120_000 });
    const failure = await page.evaluate(() => (Reflect.get(globalThis, '__clearwayDetection') as Hook).failure());
    if (failure) throw new Error(`the console could not load the model: ${failure.reason}`);
    const active = await page.evaluate(() => (Reflect.get(globalThis, '__clearwayDetection') as Hook).active());
    if (!active) throw new Error('no model in the console');
    const userAgent = String(await page.evaluate('navigator.userAgent'));
    const detect = (rgbaBase64: string) =>
      page.evaluate(([w, h, data]) => (Reflect.get(globalThis, '__clearwayDetection') as Hook).detect(w, h, data), [W, H, rgbaBase64] as const);
    return { isolated, active, chromium: /Chrome\/([\d.]+)/.exec(userAgent)?.[1] ?? userAgent, detect, close };
  } catch (e) {
    await close();
    throw e;
  }
}

const model = new Uint8Array(readFileSync(modelFile));
const info = readModelInfo(model);
const inputs = images();
const encoded = inputs.map((px) => Buffer.from(px.buffer, px.byteOffset, px.byteLength).toString('base64'));
const web = await openConsole(model);
// Native gets the worker's thread count (WebGPU: as many as the worker would have used on WebAssembly).
const threads = web.active.backend.name === 'wasm' ? web.active.backend.threads : Math.min(4, CORES);
const native = await nativeDetector(model, threads);
const webSamples: Sample[] = [];
const nativeSamples: Sample[] = [];
try {
  for (let i = 0; i < WARMUP; i++) {
    await web.detect(encoded[i % encoded.length] as string);
    await native.detector.detect(inputs[i % inputs.length] as Uint8ClampedArray, W, H, 4);
  }
  // Interleaved, image by image: a busy machine slows both sides alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, input] of inputs.entries()) {
      const r = await web.detect(encoded[i] as string);
      webSamples.push({ ...r.timings, roundTripMs: r.roundTripMs, detections: r.detections.length });
      const { detections, timings } = await native.detector.detect(input, W, H, 4);
      nativeSamples.push({ ...timings, detections: detections.length });
    }
  }
} finally {
  await native.detector.release();
  await web.close();
}
const webRun = { isolated: web.isolated, sha256: web.active.sha256, backend: web.active.backend, loadMs: web.active.loadMs, samples: webSamples, chromium: web.chromium };
const nativeRun = { loadMs: native.loadMs, samples: nativeSamples };

const w = summary(webRun.samples);
const n = summary(nativeRun.samples);
const sameCounts = webRun.samples.every((s, i) => s.detections === nativeRun.samples[i]?.detections);
const ratioP50 = ratio(w.infer_p50_ms, n.infer_p50_ms);
const ratioP95 = ratio(w.infer_p95_ms, n.infer_p95_ms);
const backend = webRun.backend.name === 'webgpu' ? 'webgpu' : `wasm${webRun.backend.simd ? ' SIMD' : ''} ${webRun.backend.threads} threads`;

console.log(`detection: model ${relative(ROOT, modelFile)} (${modelKind}; input ${info.inputWidth}×${info.inputHeight}, ${info.classNames.length} classes), ${IMAGES} simulator images ${W}×${H} × ${ROUNDS} rounds`);
console.log(`Chromium ${webRun.chromium}, worker on ${backend}, crossOriginIsolated ${webRun.isolated}; native onnxruntime-node CPU, ${threads} intra-op threads; ${CORES} cores`);
console.log(table([
  ['ms per image', 'pre p50', 'infer p50', 'infer p95', 'post p50', 'round trip p50', 'load'],
  ['console worker (Chromium)', w.pre_p50_ms.toFixed(2), w.infer_p50_ms.toFixed(2), w.infer_p95_ms.toFixed(2), w.post_p50_ms.toFixed(2), (w.roundtrip_p50_ms ?? 0).toFixed(2), webRun.loadMs.toFixed(0)],
  ['onnxruntime-node', n.pre_p50_ms.toFixed(2), n.infer_p50_ms.toFixed(2), n.infer_p95_ms.toFixed(2), n.post_p50_ms.toFixed(2), '', nativeRun.loadMs.toFixed(0)],
  ['web / native', '', `${ratioP50.toFixed(2)}×`, `${ratioP95.toFixed(2)}×`, '', '', ''],
]));
console.log(`same number of detections per image on both: ${sameCounts ? 'yes' : 'NO'}`);
console.log(`goal: console inference within ${GOAL_RATIO}× native (p50): ${ratioP50.toFixed(2)}× (${ratioP50 <= GOAL_RATIO ? 'met' : 'NOT met'})`);
console.log(JSON.stringify({
  name: 'detection',
  model: { file: relative(ROOT, modelFile), kind: modelKind, sha256: webRun.sha256, input: [info.inputWidth, info.inputHeight], classes: info.classNames.length },
  images: IMAGES,
  rounds: ROUNDS,
  cores: CORES,
  web: { chromium: webRun.chromium, backend, threads: webRun.backend.threads, cross_origin_isolated: webRun.isolated, load_ms: r3(webRun.loadMs), ...w },
  native: { runtime: 'onnxruntime-node cpu', threads, load_ms: r3(nativeRun.loadMs), ...n },
  same_detection_counts: sameCounts,
  web_native_ratio_p50: ratioP50,
  web_native_ratio_p95: ratioP95,
  goals: { web_native_ratio_p50: GOAL_RATIO, met: ratioP50 <= GOAL_RATIO },
}));
