import { z } from 'zod';
import { Timestamp } from './common.ts';
import { ModelSha256 } from './console-detection.ts';

// The model registry: detection models (ONNX, Ultralytics YOLO layout) stored by the hub, one of
// them active. Consoles are told the active one (`model:current`) and fetch its file over HTTP;
// an administrator adds models with `pnpm clearway models add` or an HTTP upload.

const ClassNames = z.array(z.string().min(1).max(64)).min(1).max(1000);
const Pixels = z.number().int().min(1).max(4096);

/**
 * Hub → console, after `session:ready` and whenever the active model changes (also when the CLI
 * changes it in another process). Not sent while the hub has no model at all.
 */
export const ModelCurrent = z.object({
  sha256: ModelSha256,
  name: z.string().min(1).max(128),
  classNames: ClassNames,
  inputWidth: Pixels,
  inputHeight: Pixels,
  /** Path on the hub, `/models/<sha256>.onnx`: resolve it against the hub's address. The file never changes (cache it). */
  url: z.string().regex(/^\/models\/[0-9a-f]{64}\.onnx$/),
  sizeBytes: z.number().int().min(1),
});
export type ModelCurrent = z.infer<typeof ModelCurrent>;

/** A model in the registry, as `pnpm clearway models list` and the upload reply show it. */
export const ModelSummary = ModelCurrent.omit({ url: true }).extend({
  fileName: z.string(),
  addedAt: Timestamp,
  /** Officer ID (console upload), or `cli:<user>` / `hub:reference` for the command line and the default model. */
  addedBy: z.string(),
  active: z.boolean(),
});
export type ModelSummary = z.infer<typeof ModelSummary>;

/** Why a model was refused (the detection package's ModelRefused codes). */
export const ModelRefusalCode = z.enum(['not-onnx', 'no-class-names', 'bad-input', 'bad-output', 'too-large', 'external-data', 'cannot-load']);
export type ModelRefusalCode = z.infer<typeof ModelRefusalCode>;

/**
 * `POST /models` (body: the .onnx bytes; `Authorization: Bearer <sessionToken>` of an admin;
 * query: `name` (display name), `file` (original file name), `activate=0` to add without
 * switching). 201 with this body; 200 when the same file was already registered.
 */
export const ModelUploadReply = z.object({ model: ModelSummary, duplicate: z.boolean() });
export type ModelUploadReply = z.infer<typeof ModelUploadReply>;

/** Every refused `/models` request: 422 with a ModelRefusalCode, 401/403/413 with the HTTP reason. */
export const ModelHttpError = z.object({
  error: z.object({ code: z.union([ModelRefusalCode, z.enum(['unauthorised', 'forbidden', 'too-large', 'not-found'])]), message: z.string() }),
});
export type ModelHttpError = z.infer<typeof ModelHttpError>;

/** Largest upload the hub reads (the detection package refuses models above this too). */
export const MAX_MODEL_UPLOAD_BYTES = 128 * 1024 * 1024;
