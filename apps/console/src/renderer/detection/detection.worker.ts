/**
 * The console's detection worker: onnxruntime-web off the UI thread. It downloads the hub's
 * current model (reporting progress), opens a session on WebGPU where the machine has an
 * adapter and on WebAssembly (SIMD, threads when cross-origin isolated) otherwise, and runs the
 * shared pre- and post-processing of @clearway/detection on each view it is sent. A new model
 * replaces the running one only once it has loaded: one that fails leaves the previous in use.
 */
import * as ort from 'onnxruntime-web';
import { z } from 'zod';
import { type Detector, createDetector } from '@clearway/detection';
import { type GpuAdapterFacts, executionProviders, gpuAdapterRefusal, wasmThreads } from './backend.ts';
import { type BackendInfo, type FromWorker, type ModelDescriptor, ToWorker, parseMessage } from './messages.ts';

// The console's CSP forbids eval; zod would otherwise probe `new Function`.
z.config({ jitless: true });

interface WorkerScope {
  crossOriginIsolated: boolean;
  navigator: { hardwareConcurrency?: number; gpu?: { requestAdapter(): Promise<(GpuAdapterFacts & { info?: GpuAdapterFacts }) | null> } };
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = self as unknown as WorkerScope;

const post = (message: FromWorker): void => scope.postMessage(message);
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** Progress messages at most this often: a 10 MB model arrives in hundreds of chunks. */
const PROGRESS_EVERY_MS = 100;

let configured: { wasmBase: string; allowWebGpu: boolean } | null = null;
let gpuAdapter: Promise<boolean> | null = null;
let current: { model: ModelDescriptor; detector: Detector; backend: BackendInfo } | null = null;
/** The load in progress; a newer `load` aborts it (the latest model the hub names wins). */
let loading: { sha256: string; abort: AbortController } | null = null;

function hasGpuAdapter(): Promise<boolean> {
  gpuAdapter ??= (async () => {
    const gpu = configured?.allowWebGpu ? scope.navigator.gpu : undefined;
    if (!gpu) return false;
    try {
      const adapter = await gpu.requestAdapter();
      if (!adapter) return false;
      // GPUAdapterInfo's fields are prototype getters: read them one by one (a spread copies none).
      const info = adapter.info;
      const refusal = gpuAdapterRefusal({
        isFallbackAdapter: info?.isFallbackAdapter ?? adapter.isFallbackAdapter,
        vendor: info?.vendor, architecture: info?.architecture, device: info?.device, description: info?.description,
      });
      if (refusal) console.warn(`detection: ${refusal}; running on WebAssembly`);
      return refusal === null;
    } catch {
      return false;
    }
  })();
  return gpuAdapter;
}

async function download(model: ModelDescriptor, signal: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(model.url, { signal });
  if (!response.ok) throw new Error(`the hub answered ${response.status} for the model file`);
  const total = Number(response.headers.get('Content-Length')) || model.sizeBytes;
  const progress = (loadedBytes: number) => post({ type: 'model-progress', sha256: model.sha256, loadedBytes, totalBytes: total });
  progress(0);
  const reader = response.body?.getReader();
  if (!reader) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    progress(bytes.byteLength);
    return bytes;
  }
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reportedAt = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_EVERY_MS) {
      reportedAt = now;
      progress(loaded);
    }
  }
  progress(loaded);
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  // crypto.subtle exists only in secure contexts (https, localhost, app://): elsewhere the size check stands alone.
  if (typeof crypto === 'undefined' || !crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Set once, before the first session: WebAssembly is initialised only once per worker. */
function configureRuntime(wasmBase: string): void {
  ort.env.wasm.wasmPaths = wasmBase;
  ort.env.wasm.numThreads = wasmThreads(scope.crossOriginIsolated, scope.navigator.hardwareConcurrency);
  ort.env.wasm.proxy = false; // already off the UI thread
  ort.env.logLevel = 'error';
}

async function load(model: ModelDescriptor): Promise<void> {
  if (!configured) throw new Error('the detection worker was not configured');
  if (loading?.sha256 === model.sha256) return; // already on its way
  if (current?.model.sha256 === model.sha256 && !loading) return;
  loading?.abort.abort();
  const abort = new AbortController();
  loading = { sha256: model.sha256, abort };
  const started = performance.now();
  try {
    const bytes = await download(model, abort.signal);
    if (bytes.byteLength !== model.sizeBytes) throw new Error(`the model file is ${bytes.byteLength} bytes, the hub announced ${model.sizeBytes}`);
    const sha = await sha256Hex(bytes);
    if (sha !== null && sha !== model.sha256) throw new Error('the model file does not match its SHA-256');
    const webgpu = await hasGpuAdapter();
    const detector = await createDetector(ort, bytes, {
      executionProviders: executionProviders(webgpu),
      graphOptimizationLevel: 'all',
      // Idle threads sleep instead of spinning: the viewer shares these cores (and runs faster for it).
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    // One inference on a blank image before the model counts as loaded: the first run of a
    // session allocates and plans, and that time belongs to loading, not to the officer's bag.
    const { inputWidth: w, inputHeight: h } = detector.info;
    await detector.detect(new Uint8Array(w * h * 4), w, h, 4);
    if (abort.signal.aborted) {
      await detector.release();
      return;
    }
    // ORT sets the WebGPU adapter once its WebGPU backend is up; without it the session runs on WebAssembly.
    const onGpu = webgpu && Boolean(ort.env.webgpu?.adapter);
    const backend: BackendInfo = {
      name: onGpu ? 'webgpu' : 'wasm',
      threads: Math.max(1, ort.env.wasm.numThreads ?? 1),
      simd: ort.env.wasm.simd !== false,
      crossOriginIsolated: scope.crossOriginIsolated,
    };
    const previous = current;
    const info = detector.info;
    const loaded: ModelDescriptor = { ...model, classNames: info.classNames, inputWidth: info.inputWidth, inputHeight: info.inputHeight };
    current = { model: loaded, detector, backend };
    post({ type: 'model-ready', model: loaded, backend, loadMs: performance.now() - started });
    // Finishes any detection already running on it first.
    if (previous) void previous.detector.release();
  } catch (error) {
    if (abort.signal.aborted) return;
    post({ type: 'model-failed', sha256: model.sha256, name: model.name, reason: reasonOf(error), inUse: current?.model.sha256 ?? null });
  } finally {
    if (loading?.abort === abort) loading = null;
  }
}

async function detect(message: Extract<ToWorker, { type: 'detect' }>): Promise<void> {
  const active = current;
  if (!active) {
    post({ type: 'detect-failed', requestId: message.requestId, reason: 'no model is loaded' });
    return;
  }
  try {
    const { width, height, pixels } = message.image;
    const { detections, timings } = await active.detector.detect(pixels, width, height, 4, { scoreThreshold: message.minScore });
    post({
      type: 'result',
      requestId: message.requestId,
      sha256: active.model.sha256,
      detections: detections.map((d) => ({ classIndex: d.classIndex, label: d.label, score: d.score, x: d.x, y: d.y, width: d.width, height: d.height })),
      timings,
    });
  } catch (error) {
    post({ type: 'detect-failed', requestId: message.requestId, reason: reasonOf(error) });
  }
}

scope.addEventListener('message', (event) => {
  const parsed = parseMessage(ToWorker, event.data);
  if (!parsed.ok) {
    console.error(`detection worker: refused a message: ${parsed.error}`);
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'configure':
      if (!configured) configureRuntime(message.wasmBase);
      configured = { wasmBase: message.wasmBase, allowWebGpu: message.allowWebGpu };
      return;
    case 'load':
      void load(message.model);
      return;
    case 'detect':
      void detect(message);
      return;
  }
});
