import { describe, expect, it } from 'vitest';
import type { Detection } from './decode.ts';
import { averagePrecision, evaluateDetections } from './evaluate.ts';

const NAMES = ['gun', 'knife', 'lighter'];
const truth = (label: string, x: number, y = 0) => ({ label, x, y, width: 10, height: 10 });
const pred = (label: string, score: number, x: number, y = 0): Detection =>
  ({ classIndex: NAMES.indexOf(label), label, score, x, y, width: 10, height: 10 });

describe('evaluateDetections', () => {
  it('scores perfect predictions 1 and leaves classes without ground truth out of the mean', () => {
    const r = evaluateDetections([
      { truths: [truth('gun', 0), truth('knife', 50)], predictions: [pred('gun', 0.9, 0), pred('knife', 0.8, 50)] },
      { truths: [truth('gun', 20)], predictions: [pred('gun', 0.7, 21)] },
    ], NAMES);
    expect(r.perClass).toEqual([
      { label: 'gun', ap: 1, truths: 2, predictions: 2 },
      { label: 'knife', ap: 1, truths: 1, predictions: 1 },
      { label: 'lighter', ap: 0, truths: 0, predictions: 0 },
    ]);
    expect(r.map).toBe(1);
  });

  it('scores a class without predictions 0', () => {
    const r = evaluateDetections([{ truths: [truth('gun', 0), truth('knife', 50)], predictions: [pred('gun', 0.9, 0)] }], NAMES);
    expect(r.perClass.map((p) => p.ap)).toEqual([1, 0, 0]);
    expect(r.map).toBe(0.5);
    expect(evaluateDetections([{ truths: [], predictions: [] }], NAMES).map).toBe(0);
  });

  it('counts a second prediction on a found object as a false positive', () => {
    // Two guns; found: gun 1 (0.9), gun 1 again (0.8), gun 2 (0.7).
    // Recall 0.5 at precision 1, then recall 1 at precision 2/3: AP = 0.5 + 0.5 × 2/3.
    const r = evaluateDetections([{
      truths: [truth('gun', 0), truth('gun', 100)],
      predictions: [pred('gun', 0.8, 1), pred('gun', 0.9, 0), pred('gun', 0.7, 100)],
    }], NAMES);
    expect(r.perClass[0]?.ap).toBeCloseTo(0.5 + (0.5 * 2) / 3, 10);
  });

  it('matches within the same image and class only, and only at the IoU threshold', () => {
    const r = evaluateDetections([
      { truths: [truth('gun', 0)], predictions: [pred('knife', 0.9, 0)] },
      { truths: [], predictions: [pred('gun', 0.95, 0)] }, // right place, wrong image
      { truths: [truth('gun', 0)], predictions: [pred('gun', 0.5, 5)] }, // IoU 1/3
    ], NAMES);
    expect(r.perClass[0]?.ap).toBe(0);
    expect(evaluateDetections([{ truths: [truth('gun', 0)], predictions: [pred('gun', 0.5, 5)] }], NAMES, 0.3).map).toBe(1);
  });

  it('ranks by score across images', () => {
    // A false alarm scored above the only true find halves the precision at full recall.
    const r = evaluateDetections([
      { truths: [truth('gun', 0)], predictions: [pred('gun', 0.6, 0)] },
      { truths: [], predictions: [pred('gun', 0.9, 0)] },
    ], NAMES);
    expect(r.perClass[0]?.ap).toBe(0.5);
  });

  it('refuses labels the model does not have', () => {
    expect(() => evaluateDetections([{ truths: [truth('bomb', 0)], predictions: [] }], NAMES)).toThrow(/"bomb"/);
  });
});

describe('averagePrecision', () => {
  it('takes the area under the monotone precision envelope', () => {
    expect(averagePrecision([], 3)).toBe(0);
    expect(averagePrecision([true, true, true], 3)).toBe(1);
    // hits at ranks 1, 3 of 4 truths: recall 0.25 at precision 1, 0.5 at 2/3, never more
    expect(averagePrecision([true, false, true, false], 4)).toBeCloseTo(0.25 + 0.25 * (2 / 3), 10);
    // a later higher precision lifts earlier points: F, T, T → precision envelope 2/3 up to recall 1
    expect(averagePrecision([false, true, true], 2)).toBeCloseTo(2 / 3, 10);
  });
});
