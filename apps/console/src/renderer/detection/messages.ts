/**
 * Every message between the console's UI and its detection worker, as zod schemas: each side
 * parses what it receives, so a malformed message is a named error rather than a silent
 * undefined. Pure: the worker, the UI and the tests share it.
 */
import { z } from 'zod';
import { ModelSha256 } from '@clearway/protocol';

/** The model the hub says is current (its `model:current` push), with its URL made absolute. */
export const ModelDescriptor = z.object({
  sha256: ModelSha256,
  name: z.string().min(1).max(128),
  classNames: z.array(z.string().min(1).max(64)).min(1).max(1000),
  inputWidth: z.number().int().min(1).max(4096),
  inputHeight: z.number().int().min(1).max(4096),
  url: z.url(),
  sizeBytes: z.number().int().min(1),
});
export type ModelDescriptor = z.infer<typeof ModelDescriptor>;

/** What actually runs the model: WebGPU, or WebAssembly with its thread count. */
export const BackendInfo = z.object({
  name: z.enum(['webgpu', 'wasm']),
  /** WebAssembly threads in use (1 when the page is not cross-origin isolated). */
  threads: z.number().int().min(1),
  simd: z.boolean(),
  crossOriginIsolated: z.boolean(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

const Pixels = z.custom<Uint8ClampedArray | Uint8Array>((v) => v instanceof Uint8ClampedArray || v instanceof Uint8Array, 'expected image bytes');

/** One view's colour image as the officer sees it: RGBA, row 0 at the top. */
export const DetectImage = z
  .object({ width: z.number().int().min(1).max(8192), height: z.number().int().min(1).max(8192), pixels: Pixels })
  .refine((i) => i.pixels.byteLength === i.width * i.height * 4, { path: ['pixels'], message: 'expected width × height × 4 bytes (RGBA)' });

// ---- UI → worker -----------------------------------------------------------------------------

export const ToWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('configure'),
    /** Absolute URL of the folder holding onnxruntime-web's .wasm and .mjs files (served by the hub or app://). */
    wasmBase: z.url(),
    /** Try WebGPU (when the browser offers an adapter) before WebAssembly. */
    allowWebGpu: z.boolean(),
  }),
  z.object({ type: z.literal('load'), model: ModelDescriptor }),
  z.object({
    type: z.literal('detect'),
    requestId: z.string().min(1).max(100),
    image: DetectImage,
    /** The lowest score returned: the officer's per-class thresholds filter above it. */
    minScore: z.number().min(0).max(1),
  }),
]);
export type ToWorker = z.infer<typeof ToWorker>;

// ---- worker → UI -----------------------------------------------------------------------------

export const WorkerDetection = z.object({
  classIndex: z.number().int().min(0),
  label: z.string(),
  score: z.number().min(0).max(1),
  x: z.number().finite(),
  y: z.number().finite(),
  width: z.number().finite().min(0),
  height: z.number().finite().min(0),
});
export type WorkerDetection = z.infer<typeof WorkerDetection>;

export const Timings = z.object({ preMs: z.number().min(0), inferMs: z.number().min(0), postMs: z.number().min(0) });
export type Timings = z.infer<typeof Timings>;

export const FromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('model-progress'), sha256: ModelSha256, loadedBytes: z.number().min(0), totalBytes: z.number().min(0) }),
  z.object({
    type: z.literal('model-ready'),
    model: ModelDescriptor,
    backend: BackendInfo,
    /** Download, checks and session creation (ms). */
    loadMs: z.number().min(0),
  }),
  z.object({
    type: z.literal('model-failed'),
    sha256: ModelSha256,
    name: z.string(),
    reason: z.string(),
    /** The model still in use, if an earlier one loaded. */
    inUse: ModelSha256.nullable(),
  }),
  z.object({
    type: z.literal('result'),
    requestId: z.string(),
    sha256: ModelSha256,
    detections: z.array(WorkerDetection),
    timings: Timings,
  }),
  z.object({ type: z.literal('detect-failed'), requestId: z.string(), reason: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorker>;

/** Parses a message or says what is wrong with it (first issue, with its path). */
export function parseMessage<T>(schema: z.ZodType<T>, raw: unknown): { ok: true; message: T } | { ok: false; error: string } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `${where}${issue?.message ?? 'invalid message'}` };
}
