import { z } from 'zod';
import { Timestamp, Uuid, replyOf } from './common.ts';
import { Detection } from './scan.ts';

// Threat detection run on the officer's console (a YOLO model in onnxruntime-web): its result
// on a bag goes to the hub as a machine result, and the officer's decision says which of its
// detections they confirmed or dismissed.

/** What the officer made of one machine detection on the bag. */
export const DetectionVerdictValue = z.enum(['confirmed', 'dismissed']);
export type DetectionVerdictValue = z.infer<typeof DetectionVerdictValue>;

export const DetectionVerdict = z.object({
  /** The detection's `id` (PTO ID) as the console showed it. */
  detectionId: z.string().min(1).max(64),
  verdict: DetectionVerdictValue,
});
export type DetectionVerdict = z.infer<typeof DetectionVerdict>;

const uniqueIds = <T>(key: (item: T) => string) => (items: readonly T[]) => new Set(items.map(key)).size === items.length;

export const DetectionVerdicts = z.array(DetectionVerdict).max(200).refine(uniqueIds((v: DetectionVerdict) => v.detectionId), 'each detectionId at most once');

/** A detection model by the SHA-256 of its ONNX file (lower-case hex) and its display name. */
export const ModelSha256 = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 in lower-case hex');
export const DetectionModelRef = z.object({ sha256: ModelSha256, name: z.string().min(1).max(128) });
export type DetectionModelRef = z.infer<typeof DetectionModelRef>;

/**
 * Console → hub: the console's model ran on the bag assigned to this console. `detections` are
 * everything the model found above the console's floor score, with boxes in the view's pixels;
 * `alarm` says whether any of them reached the officer's threshold for its class (drawn on screen).
 */
export const DetectionResultSubmit = z.object({
  assignmentId: Uuid,
  bagId: Uuid,
  model: DetectionModelRef,
  /** What ran it, e.g. "wasm SIMD 4 threads" or "webgpu". */
  backend: z.string().min(1).max(64),
  /** Inference time summed over the bag's views (ms). */
  inferMs: z.number().finite().min(0).max(600_000),
  alarm: z.boolean().optional(),
  detections: z.array(Detection).max(200).refine(uniqueIds((d: z.output<typeof Detection>) => d.id), 'each detection id at most once'),
});
export type DetectionResultSubmit = z.output<typeof DetectionResultSubmit>;
export type DetectionResultSubmitInput = z.input<typeof DetectionResultSubmit>;

export const DetectionResultReply = replyOf({
  resultId: Uuid,
  /** True when this model's result on this assignment was stored before and has been replaced. */
  replaced: z.boolean(),
  storedAt: Timestamp,
});
export type DetectionResultReply = z.infer<typeof DetectionResultReply>;
