// A model's average precision on a fresh test set from the scanner simulator: the quality gate's
// measurement, through the same createDetector path as `clearway detect`.
import { evaluateDetections, type ClassAp, type Detection, type Detector, type GroundTruth } from '@clearway/detection';
import { datasetBagSeed } from '@clearway/scanner-sim';
import { simImage } from './detect.ts';

export interface SimEvaluation {
  perClass: ClassAp[];
  map: number;
  images: number;
  truths: number;
  /** Ground-truth objects of classes the model does not have (left out of the score). */
  otherClassTruths: number;
  /** Wall time of inference alone, summed. */
  inferMs: number;
}

/**
 * Runs `detector` on bags 0..bags-1 of the simulator dataset with `seed` (the bags
 * `scanner-sim dataset --seed SEED` would write) and scores it with VOC all-point AP at IoU 0.5.
 * Scores down to `scoreThreshold` (default 0.001, as detection benchmarks do) so that the whole
 * precision–recall curve counts. The next bag is rendered while the model runs on this one.
 */
export async function evaluateOnSimulator(
  detector: Detector,
  options: { seed: number; bags: number; views?: readonly ('top' | 'side')[]; scoreThreshold?: number; iouThreshold?: number },
): Promise<SimEvaluation> {
  const classes = detector.info.classNames;
  const known = new Set(classes);
  const views = options.views ?? ['top'];
  const images: { predictions: Detection[]; truths: GroundTruth[] }[] = [];
  let otherClassTruths = 0;
  let inferMs = 0;
  let pending: Promise<void> = Promise.resolve();
  for (let i = 0; i < options.bags; i++) {
    for (const view of views) {
      const image = simImage(`sim:${options.seed}/${i}:${view}`, datasetBagSeed(options.seed, i), view);
      const truths = (image.truths ?? []).filter((t) => known.has(t.label));
      otherClassTruths += (image.truths?.length ?? 0) - truths.length;
      await pending; // one inference at a time; this bag was rendered while the last one ran
      pending = detector.detect(image.pixels, image.width, image.height, image.channels, {
        scoreThreshold: options.scoreThreshold ?? 0.001, ...(options.iouThreshold !== undefined ? { iouThreshold: options.iouThreshold } : {}),
      }).then(({ detections, timings }) => {
        inferMs += timings.inferMs;
        images.push({ predictions: detections, truths });
      });
    }
  }
  await pending;
  const { perClass, map } = evaluateDetections(images, classes, 0.5);
  return { perClass, map, images: images.length, truths: perClass.reduce((s, c) => s + c.truths, 0), otherClassTruths, inferMs };
}

/** AP per class as a small table, for people reading the test log. */
export function apTable(e: SimEvaluation): string {
  const rows = e.perClass.map((c) => `  ${c.label.padEnd(12)} ${c.truths > 0 ? c.ap.toFixed(3) : '  -  '}  truths ${String(c.truths).padStart(4)}  predictions ${String(c.predictions).padStart(6)}`);
  return [...rows, `  ${'mAP@0.5'.padEnd(12)} ${e.map.toFixed(3)}  (${e.images} images, ${e.truths} objects, inference ${Math.round(e.inferMs)} ms)`].join('\n');
}
