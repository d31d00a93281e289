// `pnpm clearway detect FILE...`: the console's detection (same letterbox, model and decoding,
// through @clearway/detection's createDetector) on image files and simulator scans, with
// onnxruntime-node. Airports use it to check a model before they load it.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_DECODE, ModelRefused, createDetector, type Detection, type DetectionTimings, type Detector, type OrtRuntime } from '@clearway/detection';
import { DicosError, imageToScanViews, readDicos } from '@clearway/dicos';
import { DEFAULT_IMAGE_SETTINGS, renderPseudoColour, renderView, u16View } from '@clearway/imaging';
import { DATABASE_FILE, Store, StoreError } from '@clearway/store';
import { datasetBagSeed, generateBag } from '@clearway/scanner-sim';
import { decode as decodePng, convertIndexedToRgb } from 'fast-png';
import jpeg from 'jpeg-js';

/** The reference model trained on the scanner simulator (committed). */
export const REFERENCE_MODEL = resolve(dirname(fileURLToPath(import.meta.url)), '../../../assets/models/clearway-xray-ref-v1.onnx');

/** Share of simulated bags with a prohibited item: the `dataset` subcommand's default. */
export const SIM_THREAT_RATE = 0.7;

export class InputError extends Error {}

/** One picture to run the model on: RGB(A) bytes, and for simulator scans the ground truth. */
export interface InputImage {
  /** The argument as given. */
  file: string;
  view?: 'top' | 'side';
  width: number;
  height: number;
  pixels: Uint8Array | Uint8ClampedArray;
  channels: 3 | 4;
  truths?: { label: string; x: number; y: number; width: number; height: number }[];
}

/**
 * `sim:SEED[:VIEW]`: the bag the scanner simulator generates from SEED.
 * `sim:SEED/INDEX[:VIEW]`: bag INDEX of the training set `scanner-sim dataset --seed SEED` writes.
 * VIEW is top (default) or side.
 */
export function parseSimArgument(arg: string): { bagSeed: number; view: 'top' | 'side' } | null {
  const m = /^sim:(\d+)(?:\/(\d+))?(?::(top|side))?$/.exec(arg);
  if (!m) return null;
  const seed = Number(m[1]);
  if (!Number.isSafeInteger(seed) || seed > 0xffffffff) throw new InputError(`${arg}: the seed must be a whole number below 2^32`);
  const bagSeed = m[2] === undefined ? seed : datasetBagSeed(seed, Number(m[2]));
  return { bagSeed, view: (m[3] as 'top' | 'side' | undefined) ?? 'top' };
}

/** A simulated bag's view coloured exactly as the `dataset` subcommand writes it (viewToPng), with its threats. */
export function simImage(file: string, bagSeed: number, view: 'top' | 'side' = 'top'): InputImage {
  const bag = generateBag(bagSeed, { views: [view], threatRate: SIM_THREAT_RATE });
  const v = bag.views[0];
  if (!v) throw new InputError(`${file}: the simulator rendered no ${view} view`);
  const pixels = renderPseudoColour(v.low, v.high, new Uint8ClampedArray(v.width * v.height * 4));
  const truths = bag.threats.flatMap((t) => t.boxes.filter((b) => b.view === view).map((b) => ({ label: t.label, x: b.x, y: b.y, width: b.width, height: b.height })));
  return { file, view, width: v.width, height: v.height, pixels, channels: 4, truths };
}

/** The pictures one argument names: a PNG, a JPEG, a DICOS image (each view), or a simulator scan. */
export async function readInput(arg: string): Promise<InputImage[]> {
  const sim = parseSimArgument(arg);
  if (sim) return [simImage(arg, sim.bagSeed, sim.view)];
  if (arg.startsWith('sim:')) throw new InputError(`${arg}: write simulator scans as sim:SEED, sim:SEED:side or sim:SEED/INDEX[:side]`);
  let bytes: Buffer;
  try {
    bytes = await readFile(arg);
  } catch (e) {
    throw new InputError(`cannot read ${arg}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ext = extname(arg).toLowerCase();
  if (bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return [pngImage(arg, bytes)];
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return [jpegImage(arg, bytes)];
  if (ext === '.dcm' || bytes.subarray(128, 132).toString('latin1') === 'DICM') return dicosImages(arg, bytes);
  throw new InputError(`${arg}: not a PNG, JPEG or DICOS file`);
}

function pngImage(file: string, bytes: Uint8Array): InputImage {
  let png;
  try {
    png = decodePng(bytes);
  } catch (e) {
    throw new InputError(`${file}: unreadable PNG (${e instanceof Error ? e.message : String(e)})`);
  }
  const { width, height } = png;
  let data = png.palette ? convertIndexedToRgb(png) : png.data;
  const channels = png.palette ? png.palette[0]?.length ?? 3 : png.channels;
  if (!png.palette && png.depth === 16) data = Uint8Array.from(data, (v) => v >> 8);
  else if (!png.palette && png.depth < 8) throw new InputError(`${file}: ${png.depth}-bit PNGs are not supported; save it with 8 bits per channel`);
  if (channels === 3 || channels === 4) return { file, width, height, pixels: data as Uint8Array, channels };
  // Grey (1) or grey + alpha (2): the same grey in R, G and B.
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) rgb.fill(data[i * channels] as number, i * 3, i * 3 + 3);
  return { file, width, height, pixels: rgb, channels: 3 };
}

function jpegImage(file: string, bytes: Uint8Array): InputImage {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { file, width: img.width, height: img.height, pixels: img.data, channels: 4 };
  } catch (e) {
    throw new InputError(`${file}: unreadable JPEG (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** DICOS DX/CT: each view as the console shows a single-energy view at first (its default grayscale). */
function dicosImages(file: string, bytes: Uint8Array): InputImage[] {
  let views;
  try {
    const obj = readDicos(bytes);
    if (obj.kind !== 'image') throw new InputError(`${file}: a DICOS ${obj.sopClass}, not an image`);
    views = imageToScanViews(obj);
  } catch (e) {
    if (e instanceof DicosError) throw new InputError(`${file}: ${e.reason}: ${e.message}`);
    throw e;
  }
  return views.map((v) => {
    const high = u16View(v.high instanceof Uint8Array ? v.high : new Uint8Array(v.high));
    const pixels = renderView({ width: v.width, height: v.height, high }, DEFAULT_IMAGE_SETTINGS, new Uint8ClampedArray(v.width * v.height * 4));
    return { file, view: v.view, width: v.width, height: v.height, pixels, channels: 4 as const };
  });
}

export interface ModelChoice { bytes: Uint8Array; sha256: string; name: string; source: string }

/**
 * The model to run: `--model FILE`; else the active model of the data folder (what the hub serves
 * its consoles); else the committed reference model.
 */
export async function chooseModel(dataDir: string, modelFile?: string): Promise<ModelChoice> {
  const fromFile = async (path: string): Promise<ModelChoice> => {
    const bytes = await readFile(path);
    return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), name: basename(path).replace(/\.onnx$/i, ''), source: path };
  };
  if (modelFile) return fromFile(modelFile);
  // Only an existing database: `detect` must not create a data folder.
  if (existsSync(join(dataDir, DATABASE_FILE))) {
    const store = Store.open(dataDir);
    try {
      const active = store.models.current();
      if (active) return { bytes: store.models.bytes(active.sha256), sha256: active.sha256, name: active.name, source: `${dataDir} (active model)` };
    } finally {
      await store.close();
    }
  }
  if (!existsSync(REFERENCE_MODEL)) {
    throw new StoreError('not-found', `no model: none is active in ${dataDir} and the reference model ${REFERENCE_MODEL} is missing; pass --model FILE`);
  }
  return fromFile(REFERENCE_MODEL);
}

export async function loadOrt(): Promise<OrtRuntime> {
  return (await import('onnxruntime-node')) as unknown as OrtRuntime;
}

/** What `clearway detect` prints for one picture: boxes in the picture's pixels. */
export interface DetectReport {
  file: string;
  view?: string;
  width: number;
  height: number;
  model: { sha256: string; name: string };
  detections: { label: string; score: number; box: { x: number; y: number; width: number; height: number } }[];
  truths?: { label: string; box: { x: number; y: number; width: number; height: number } }[];
  timings: DetectionTimings;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const box = (b: { x: number; y: number; width: number; height: number }) => ({ x: round(b.x, 1), y: round(b.y, 1), width: round(b.width, 1), height: round(b.height, 1) });

export function report(image: InputImage, model: { sha256: string; name: string }, detections: Detection[], timings: DetectionTimings): DetectReport {
  return {
    file: image.file,
    ...(image.view ? { view: image.view } : {}),
    width: image.width, height: image.height,
    model,
    detections: detections.map((d) => ({ label: d.label, score: round(d.score, 4), box: box(d) })),
    ...(image.truths ? { truths: image.truths.map((t) => ({ label: t.label, box: box(t) })) } : {}),
    timings: { preMs: round(timings.preMs, 2), inferMs: round(timings.inferMs, 2), postMs: round(timings.postMs, 2) },
  };
}

const fraction = (name: string) => (v: string): number => {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`${name} must lie between 0 and 1`);
  return n;
};

/** Adds `detect`. */
export function registerDetectCommand(program: Command): void {
  program.command('detect')
    .description('run the detection model on images and print one JSON object per picture (boxes in image pixels)')
    .argument('<files...>', 'PNG or JPEG files, DICOS images (.dcm, one object per view), or simulator scans: sim:SEED, sim:SEED:side, sim:SEED/INDEX (bag INDEX of `scanner-sim dataset --seed SEED`)')
    .option('--model <file>', 'ONNX model (default: the active model in the data folder, else the reference model)')
    .option('--threshold <score>', 'lowest score reported', fraction('--threshold'), DEFAULT_DECODE.scoreThreshold as number)
    .option('--iou <overlap>', 'boxes of one class overlapping more than this are one object', fraction('--iou'), DEFAULT_DECODE.iouThreshold)
    .action(async (files: string[], o: { model?: string; threshold: number; iou: number }) => {
      const dataDir = resolve(program.opts<{ data: string }>().data);
      let detector: Detector;
      let model: ModelChoice;
      try {
        model = await chooseModel(dataDir, o.model);
        detector = await createDetector(await loadOrt(), model.bytes);
      } catch (e) {
        if (!(e instanceof ModelRefused || e instanceof StoreError || (e instanceof Error && 'code' in e && e.code === 'ENOENT'))) throw e;
        console.error(`clearway: ${e instanceof ModelRefused ? `model refused (${e.code}): ` : ''}${e.message}`);
        process.exitCode = 1;
        return;
      }
      console.error(`clearway: model ${model.name} (${model.sha256.slice(0, 12)}) from ${model.source}`);
      try {
        for (const file of files) {
          let images: InputImage[];
          try {
            images = await readInput(file);
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            console.error(`clearway: ${e.message}`);
            process.exitCode = 1;
            continue;
          }
          for (const image of images) {
            const { detections, timings } = await detector.detect(image.pixels, image.width, image.height, image.channels, { scoreThreshold: o.threshold, iouThreshold: o.iou });
            console.log(JSON.stringify(report(image, { sha256: model.sha256, name: model.name }, detections, timings)));
          }
        }
      } finally {
        await detector.release();
      }
    });
}
