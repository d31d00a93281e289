import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE, decodeYolo, iou, nms } from './decode.ts';
import { letterboxGeometry, type Letterbox } from './letterbox.ts';

const NAMES = ['gun', 'knife', 'battery'];
// A 640 × 480 image in a 320 × 320 input: scale 0.5, 40 rows of padding on top.
const BOX: Letterbox = letterboxGeometry(640, 480, 320, 320);

/** Candidates as [cx, cy, w, h, ...scores] in input pixels → the [1, 4+nc, N] export layout. */
function channelsFirst(candidates: number[][]): { data: Float32Array; dims: number[] } {
  const rows = candidates[0]?.length ?? 0;
  const n = candidates.length;
  const data = new Float32Array(rows * n);
  candidates.forEach((c, i) => c.forEach((v, r) => { data[r * n + i] = v; }));
  return { data, dims: [1, rows, n] };
}
/** The same candidates in the transposed [1, N, 4+nc] layout. */
function channelsLast(candidates: number[][]): { data: Float32Array; dims: number[] } {
  return { data: Float32Array.from(candidates.flat()), dims: [1, candidates.length, candidates[0]?.length ?? 0] };
}

const options = { ...DEFAULT_DECODE, scoreThreshold: 0.5 };

describe('decodeYolo', () => {
  // A gun centred at (100, 110) in the input, 40 × 20; a knife at (200, 200); one weak candidate.
  const candidates = [
    [100, 110, 40, 20, 0.9, 0.1, 0.0],
    [200, 200, 20, 60, 0.2, 0.7, 0.1],
    [250, 150, 30, 30, 0.3, 0.2, 0.4],
  ];
  const expected = [
    { classIndex: 0, label: 'gun', score: Math.fround(0.9), x: 160, y: 120, width: 80, height: 40 },
    { classIndex: 1, label: 'knife', score: Math.fround(0.7), x: 380, y: 260, width: 40, height: 120 },
  ];

  it('reads the [1, 4+nc, N] export layout, keeps the best class and undoes the letterbox', () => {
    const { data, dims } = channelsFirst(candidates);
    expect(decodeYolo(data, dims, NAMES, BOX, options)).toEqual(expected);
  });

  it('reads the transposed [1, N, 4+nc] layout the same way', () => {
    const { data, dims } = channelsLast(candidates);
    expect(dims).toEqual([1, 3, 7]);
    expect(decodeYolo(data, dims, NAMES, BOX, options)).toEqual(expected);
  });

  it('applies a threshold per class', () => {
    const { data, dims } = channelsFirst(candidates);
    const found = decodeYolo(data, dims, NAMES, BOX, { ...options, scoreThreshold: [0.95, 0.5, 0.3] });
    expect(found.map((d) => d.label)).toEqual(['knife', 'battery']);
    expect(() => decodeYolo(data, dims, NAMES, BOX, { ...options, scoreThreshold: [0.5] })).toThrow(/1 score thresholds for 3 classes/);
  });

  it('merges overlapping boxes of one class but keeps overlapping boxes of different classes', () => {
    const { data, dims } = channelsFirst([
      [100, 100, 40, 40, 0.8, 0, 0],
      [102, 101, 40, 40, 0.9, 0, 0], // same gun, better score
      [101, 100, 40, 40, 0, 0.6, 0], // a knife in the same place
    ]);
    const found = decodeYolo(data, dims, NAMES, BOX, options);
    expect(found.map((d) => [d.label, d.score])).toEqual([['gun', Math.fround(0.9)], ['knife', Math.fround(0.6)]]);
    expect(found[0]?.x).toBeCloseTo((102 - 20) * 2, 4);
  });

  it('clips boxes to the image, drops boxes in the padding and stops at maxDetections', () => {
    const { data, dims } = channelsFirst([
      [5, 45, 20, 20, 0.9, 0, 0], // crosses the left edge and the top of the image
      [160, 10, 40, 20, 0.8, 0, 0], // entirely in the top padding
      [300, 200, 10, 10, 0.7, 0, 0],
    ]);
    const found = decodeYolo(data, dims, NAMES, BOX, options);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({ x: 0, y: 0, width: 30, height: 30 });
    expect(decodeYolo(data, dims, NAMES, BOX, { ...options, maxDetections: 1 })).toHaveLength(1);
  });

  it('refuses outputs that do not fit the class names', () => {
    const { data } = channelsFirst(candidates);
    expect(() => decodeYolo(data, [1, 7, 3], ['gun'], BOX, options)).toThrow(/does not fit 1 classes/);
    expect(() => decodeYolo(data, [7, 3], NAMES, BOX, options)).toThrow(/expected an output of shape/);
    expect(() => decodeYolo(data.subarray(0, 10), [1, 7, 3], NAMES, BOX, options)).toThrow(/needs 21/);
  });
});

describe('iou and nms', () => {
  it('computes intersection over union', () => {
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 10, height: 10 })).toBe(1);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 10);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 })).toBe(0);
    expect(iou({ x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 0, width: 0, height: 0 })).toBe(0);
  });

  it('keeps the best of each overlapping group per class, best first', () => {
    const b = (x: number, classIndex: number, score: number) => ({ x, y: 0, width: 10, height: 10, classIndex, score });
    const kept = nms([b(0, 0, 0.5), b(1, 0, 0.9), b(30, 0, 0.7), b(1, 1, 0.6)], 0.45);
    expect(kept.map((k) => [k.x, k.classIndex, k.score])).toEqual([[1, 0, 0.9], [30, 0, 0.7], [1, 1, 0.6]]);
    // At exactly the threshold a box survives; above it, it goes.
    expect(nms([b(0, 0, 0.9), b(5, 0, 0.8)], 50 / 150)).toHaveLength(2);
    expect(nms([b(0, 0, 0.9), b(5, 0, 0.8)], 0.3)).toHaveLength(1);
  });
});
