import type { InferenceSession, Tensor } from 'onnxruntime-common';
import { DEFAULT_DECODE, decodeYolo, type DecodeOptions, type Detection } from './decode.ts';
import { letterbox } from './letterbox.ts';
import { ModelRefused, readModelInfo, type ModelInfo } from './model-info.ts';

// Module-local declaration: present in workers, browsers and Node, but not in the ES library.
declare const performance: { now(): number };

/**
 * The parts of an ONNX Runtime module the detector uses: onnxruntime-web in the console's worker,
 * onnxruntime-node in the command line and the hub. Passed in, so this package loads neither.
 */
export interface OrtRuntime {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

export interface DetectionTimings { preMs: number; inferMs: number; postMs: number }

export interface DetectResult { detections: Detection[]; timings: DetectionTimings }

export interface Detector {
  info: ModelInfo;
  /** Letterbox, inference, decode. Calls are run one at a time, in order (a session runs one inference at a time). */
  detect(pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 3 | 4, options?: Partial<DecodeOptions>): Promise<DetectResult>;
  release(): Promise<void>;
}

/** Checks the model's header (readModelInfo) and opens an inference session on it. */
export async function createDetector(ort: OrtRuntime, modelBytes: Uint8Array, sessionOptions?: InferenceSession.SessionOptions): Promise<Detector> {
  const info = readModelInfo(modelBytes);
  let session: InferenceSession;
  try {
    session = await ort.InferenceSession.create(modelBytes, sessionOptions);
  } catch (e) {
    throw new ModelRefused('cannot-load', `ONNX Runtime cannot load the model: ${e instanceof Error ? e.message : String(e)}`);
  }
  const dims = [1, 3, info.inputHeight, info.inputWidth] as const;
  // One input buffer for the detector's life: a 640×640 input is 4.9 MB per bag otherwise.
  let buffer = new Float32Array(3 * info.inputWidth * info.inputHeight);
  let queue: Promise<unknown> = Promise.resolve();
  let released = false;

  const run = async (pixels: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: 3 | 4, options: Partial<DecodeOptions>): Promise<DetectResult> => {
    if (released) throw new Error('the detector has been released');
    const t0 = performance.now();
    // A runtime that transfers tensor data to another thread leaves the buffer detached.
    if (buffer.buffer.byteLength === 0) buffer = new Float32Array(3 * info.inputWidth * info.inputHeight);
    const { input, box } = letterbox(pixels, width, height, channels, info.inputWidth, info.inputHeight, buffer);
    const feeds = { [info.inputName]: new ort.Tensor('float32', input, dims) };
    const t1 = performance.now();
    const results = await session.run(feeds);
    const t2 = performance.now();
    const output = results[info.outputName] as Tensor | undefined;
    if (!output || output.type !== 'float32') throw new Error(`the model gave no float32 output "${info.outputName}"`);
    const detections = decodeYolo(output.data as Float32Array, output.dims, info.classNames, box, { ...DEFAULT_DECODE, ...options });
    output.dispose();
    const t3 = performance.now();
    return { detections, timings: { preMs: t1 - t0, inferMs: t2 - t1, postMs: t3 - t2 } };
  };

  return {
    info,
    detect(pixels, width, height, channels, options = {}) {
      const result = queue.then(() => run(pixels, width, height, channels, options));
      queue = result.catch(() => undefined);
      return result;
    },
    async release() {
      if (released) return;
      released = true;
      await queue;
      await session.release();
    },
  };
}

/**
 * Everything Clearway checks before it accepts a model: the header (readModelInfo), that ONNX
 * Runtime loads it, and that one inference on a blank image gives an output the decoder reads.
 * Returns the model's info; throws ModelRefused with the reason otherwise.
 */
export async function verifyModel(ort: OrtRuntime, modelBytes: Uint8Array, sessionOptions?: InferenceSession.SessionOptions): Promise<ModelInfo> {
  const detector = await createDetector(ort, modelBytes, sessionOptions);
  try {
    const { inputWidth: w, inputHeight: h } = detector.info;
    await detector.detect(new Uint8Array(w * h * 3), w, h, 3);
  } catch (e) {
    if (e instanceof ModelRefused) throw e;
    const why = e instanceof Error ? e.message : String(e);
    // The decoder's RangeErrors describe an output that does not fit; anything else is the runtime's.
    throw new ModelRefused(e instanceof RangeError ? 'bad-output' : 'cannot-load', `a trial inference failed: ${why}`);
  } finally {
    await detector.release();
  }
  return detector.info;
}
