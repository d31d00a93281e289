import { unletterbox, type Letterbox } from './letterbox.ts';

/** One threat the model found: box in source-image pixels, clipped to the image. */
export interface Detection {
  classIndex: number;
  label: string;
  score: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DecodeOptions {
  /** Minimum score: one for every class, or one per class (indexed like the class names). */
  scoreThreshold: number | readonly number[];
  /** Boxes of the same class overlapping more than this (intersection over union) are one object. */
  iouThreshold: number;
  maxDetections: number;
}

/** Ultralytics' prediction defaults are 0.25 and 0.7; 0.45 is the classic YOLO NMS setting and merges more duplicates. */
export const DEFAULT_DECODE: DecodeOptions = Object.freeze({ scoreThreshold: 0.25, iouThreshold: 0.45, maxDetections: 100 });

/** Axis-aligned box as x, y (top-left), width, height. */
export interface Box { x: number; y: number; width: number; height: number }

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression per class: highest score first; a box is dropped when it
 * overlaps a kept box of the same class by more than `iouThreshold`. Boxes of different classes
 * never suppress each other (a knife next to a gun stays). Returns at most `maxDetections`,
 * highest score first.
 */
export function nms<T extends Box & { classIndex: number; score: number }>(boxes: readonly T[], iouThreshold: number, maxDetections = Infinity): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  const keptByClass = new Map<number, T[]>();
  for (const candidate of sorted) {
    if (kept.length >= maxDetections) break;
    const same = keptByClass.get(candidate.classIndex) ?? [];
    if (same.some((k) => iou(k, candidate) > iouThreshold)) continue;
    same.push(candidate);
    keptByClass.set(candidate.classIndex, same);
    kept.push(candidate);
  }
  return kept;
}

/**
 * Ultralytics detection output → detections in source-image pixels. `dims` is [1, 4+nc, N]
 * (YOLOv8/YOLO11 export: one column per candidate, cx, cy, w, h in input pixels, then nc class
 * scores, already sigmoid) or the transposed [1, N, 4+nc]; the layout is told apart by which
 * dimension equals 4 + nc. Per candidate: best class, threshold, then per-class NMS, then the
 * letterbox is undone.
 */
export function decodeYolo(output: Float32Array, dims: readonly number[], classNames: readonly string[], box: Letterbox, options: DecodeOptions): Detection[] {
  const nc = classNames.length;
  const rows = 4 + nc;
  if (dims.length !== 3 || dims[0] !== 1) throw new RangeError(`expected an output of shape [1, ${rows}, N], got [${dims.join(', ')}]`);
  const [, a, b] = dims as [number, number, number];
  // [1, 4+nc, N] unless only the last dimension fits; with a square [1, 4+nc, 4+nc] the export layout wins.
  const channelsFirst = a === rows;
  if (!channelsFirst && b !== rows) throw new RangeError(`output shape [${dims.join(', ')}] does not fit ${nc} classes: expected [1, ${rows}, N] or [1, N, ${rows}]`);
  const n = channelsFirst ? b : a;
  if (output.length < rows * n) throw new RangeError(`output has ${output.length} values; shape [${dims.join(', ')}] needs ${rows * n}`);
  const thresholds = classThresholds(options.scoreThreshold, nc);
  const minThreshold = Math.min(...thresholds);
  // Element (row r, candidate i) of either layout.
  const at = channelsFirst ? (r: number, i: number) => output[r * n + i] as number : (r: number, i: number) => output[i * rows + r] as number;

  const candidates: (Box & { classIndex: number; score: number })[] = [];
  for (let i = 0; i < n; i++) {
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < nc; c++) {
      const s = at(4 + c, i);
      if (s > score) { score = s; best = c; }
    }
    if (!(score >= minThreshold) || score < (thresholds[best] as number)) continue;
    const cx = at(0, i);
    const cy = at(1, i);
    const w = at(2, i);
    const h = at(3, i);
    if (!(w > 0 && h > 0)) continue; // NaN or degenerate
    // Suppression in input pixels (as Ultralytics does); the letterbox is undone on the survivors.
    candidates.push({ x: cx - w / 2, y: cy - h / 2, width: w, height: h, classIndex: best, score });
  }
  const detections: Detection[] = [];
  for (const k of nms(candidates, options.iouThreshold, options.maxDetections)) {
    const src = unletterbox(box, k.x, k.y, k.x + k.width, k.y + k.height);
    if (src.width <= 0 || src.height <= 0) continue; // entirely in the padding
    detections.push({ classIndex: k.classIndex, label: classNames[k.classIndex] as string, score: k.score, ...src });
  }
  return detections;
}

function classThresholds(threshold: number | readonly number[], nc: number): number[] {
  if (typeof threshold === 'number') return new Array<number>(nc).fill(threshold);
  if (threshold.length !== nc) throw new RangeError(`${threshold.length} score thresholds for ${nc} classes`);
  return [...threshold];
}
