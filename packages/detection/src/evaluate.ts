import { iou, type Box, type Detection } from './decode.ts';

export interface GroundTruth extends Box { label: string }

export interface ClassAp {
  label: string;
  /** Average precision; 0 (and left out of the mean) when the class has no ground truth. */
  ap: number;
  truths: number;
  predictions: number;
}

/**
 * Average precision per class as in PASCAL VOC (2010 onwards, "all points"): predictions of a
 * class over all images, highest score first, each matched to the unmatched truth of that class
 * in the same image that it overlaps most, when that overlap is at least `iouThreshold`; a
 * second prediction on an already matched truth is a false positive. AP is the area under the
 * precision–recall curve with precision made monotone. `map` is the mean over classes that have
 * ground truth.
 */
export function evaluateDetections(
  images: readonly { predictions: readonly Detection[]; truths: readonly GroundTruth[] }[],
  classNames: readonly string[],
  iouThreshold = 0.5,
): { perClass: ClassAp[]; map: number } {
  const index = new Map(classNames.map((name, i) => [name, i]));
  const truthsByClass = classNames.map(() => 0);
  const predsByClass: { image: number; score: number; box: Box }[][] = classNames.map(() => []);
  images.forEach((img, image) => {
    for (const t of img.truths) {
      const c = index.get(t.label);
      if (c === undefined) throw new RangeError(`ground truth label "${t.label}" is not one of the model's classes`);
      truthsByClass[c] = (truthsByClass[c] as number) + 1;
    }
    for (const p of img.predictions) {
      const c = index.get(p.label);
      if (c === undefined) throw new RangeError(`prediction label "${p.label}" is not one of the model's classes`);
      (predsByClass[c] as { image: number; score: number; box: Box }[]).push({ image, score: p.score, box: p });
    }
  });

  const perClass = classNames.map((label, c): ClassAp => {
    const truths = truthsByClass[c] as number;
    const preds = (predsByClass[c] as { image: number; score: number; box: Box }[]).sort((a, b) => b.score - a.score);
    if (truths === 0) return { label, ap: 0, truths, predictions: preds.length };
    const matched = images.map((img) => img.truths.map(() => false));
    const tp: boolean[] = [];
    for (const p of preds) {
      const imageTruths = (images[p.image] as { truths: readonly GroundTruth[] }).truths;
      let best = -1;
      let bestIou = 0;
      imageTruths.forEach((t, k) => {
        if (t.label !== label) return;
        const o = iou(p.box, t);
        if (o > bestIou) { bestIou = o; best = k; }
      });
      const used = matched[p.image] as boolean[];
      // VOC: the best-overlapping truth counts; if it is already taken this is a duplicate.
      if (best >= 0 && bestIou >= iouThreshold && !used[best]) {
        used[best] = true;
        tp.push(true);
      } else tp.push(false);
    }
    return { label, ap: averagePrecision(tp, truths), truths, predictions: preds.length };
  });
  const scored = perClass.filter((p) => p.truths > 0);
  const map = scored.length === 0 ? 0 : scored.reduce((s, p) => s + p.ap, 0) / scored.length;
  return { perClass, map };
}

/** All-point interpolated AP from true/false positives in score order and the number of truths. */
export function averagePrecision(truePositives: readonly boolean[], truths: number): number {
  if (truths === 0) return 0;
  const recall: number[] = [0];
  const precision: number[] = [0];
  let tp = 0;
  truePositives.forEach((hit, i) => {
    if (hit) tp++;
    recall.push(tp / truths);
    precision.push(tp / (i + 1));
  });
  recall.push(1);
  precision.push(0);
  for (let i = precision.length - 2; i >= 0; i--) precision[i] = Math.max(precision[i] as number, precision[i + 1] as number);
  let ap = 0;
  for (let i = 1; i < recall.length; i++) ap += ((recall[i] as number) - (recall[i - 1] as number)) * (precision[i] as number);
  return ap;
}
