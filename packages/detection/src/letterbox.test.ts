import { describe, expect, it } from 'vitest';
import { PAD_VALUE, letterbox, letterboxGeometry, unletterbox } from './letterbox.ts';

const PAD = PAD_VALUE / 255;

/** A solid RGBA image. */
function solid(width: number, height: number, rgb: [number, number, number], channels: 3 | 4 = 4): Uint8Array {
  const px = new Uint8Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    px.set(rgb, i * channels);
    if (channels === 4) px[i * channels + 3] = 255;
  }
  return px;
}

/** The input's value at (x, y) in channel ch. */
const at = (input: Float32Array, w: number, h: number, ch: number, x: number, y: number): number => input[ch * w * h + y * w + x] as number;

describe('letterbox', () => {
  it('fits a landscape image across the width and pads top and bottom equally', () => {
    const { input, box } = letterbox(solid(100, 50, [255, 0, 0]), 100, 50, 4, 64, 64);
    expect(box).toEqual({ scale: 0.64, padX: 0, padY: 16, srcWidth: 100, srcHeight: 50, dstWidth: 64, dstHeight: 64 });
    expect(input).toHaveLength(3 * 64 * 64);
    for (const y of [0, 15, 48, 63]) for (const ch of [0, 1, 2]) expect(at(input, 64, 64, ch, 10, y)).toBeCloseTo(PAD, 6);
    for (const y of [16, 32, 47]) {
      for (const x of [0, 31, 63]) {
        expect([0, 1, 2].map((ch) => at(input, 64, 64, ch, x, y))).toEqual([1, 0, 0]);
      }
    }
  });

  it('fits a portrait image across the height and pads left and right equally', () => {
    const { input, box } = letterbox(solid(50, 100, [0, 0, 255], 3), 50, 100, 3, 64, 64);
    expect(box).toMatchObject({ scale: 0.64, padX: 16, padY: 0 });
    expect(at(input, 64, 64, 2, 15, 30)).toBeCloseTo(PAD, 6);
    expect(at(input, 64, 64, 2, 16, 30)).toBe(1);
    expect(at(input, 64, 64, 2, 47, 30)).toBe(1);
    expect(at(input, 64, 64, 2, 48, 30)).toBeCloseTo(PAD, 6);
  });

  it('gives the odd pixel of padding to the bottom, as Ultralytics does', () => {
    const g = letterboxGeometry(100, 49, 64, 64); // resized to 64 × 31: 33 rows of padding
    expect([g.newWidth, g.newHeight, g.padY]).toEqual([64, 31, 16]);
    const { input } = letterbox(solid(100, 49, [0, 255, 0]), 100, 49, 4, 64, 64);
    expect(at(input, 64, 64, 1, 0, 15)).toBeCloseTo(PAD, 6);
    expect(at(input, 64, 64, 1, 0, 16)).toBe(1);
    expect(at(input, 64, 64, 1, 0, 46)).toBe(1);
    expect(at(input, 64, 64, 1, 0, 47)).toBeCloseTo(PAD, 6);
  });

  it('samples bilinearly at pixel centres and keeps RGB order, ignoring alpha', () => {
    // 2 × 1 RGBA: black, then (255, 128, 64) with alpha 0 → 4 × 2
    const px = new Uint8Array([0, 0, 0, 255, 255, 128, 64, 0]);
    const { input, box } = letterbox(px, 2, 1, 4, 4, 2);
    expect(box).toMatchObject({ scale: 2, padX: 0, padY: 0 });
    const red = [0, 1, 2, 3].map((x) => at(input, 4, 2, 0, x, 0));
    expect(red).toEqual([0, 0.25, 0.75, 1].map((v) => Math.fround(v)));
    expect(at(input, 4, 2, 1, 3, 1)).toBeCloseTo(128 / 255, 6);
    expect(at(input, 4, 2, 2, 3, 1)).toBeCloseTo(64 / 255, 6);
  });

  it('copies an image of the input size unchanged', () => {
    const px = Uint8Array.from({ length: 8 * 8 * 3 }, (_, i) => (i * 37) % 256);
    const { input, box } = letterbox(px, 8, 8, 3, 8, 8);
    expect(box).toMatchObject({ scale: 1, padX: 0, padY: 0 });
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) for (let ch = 0; ch < 3; ch++) {
      expect(at(input, 8, 8, ch, x, y)).toBeCloseTo((px[(y * 8 + x) * 3 + ch] as number) / 255, 6);
    }
  });

  it('reuses the output array it is given and checks sizes', () => {
    const out = new Float32Array(3 * 32 * 32);
    expect(letterbox(solid(10, 10, [1, 2, 3]), 10, 10, 4, 32, 32, out).input).toBe(out);
    expect(() => letterbox(solid(10, 10, [1, 2, 3]), 10, 10, 4, 16, 16, out)).toThrow(/needs 768/);
    expect(() => letterbox(new Uint8Array(10), 10, 10, 4, 32, 32)).toThrow(/too few/);
    expect(() => letterboxGeometry(0, 10, 32, 32)).toThrow(RangeError);
  });

  it('maps boxes back to source pixels and clips them to the image', () => {
    const box = letterboxGeometry(640, 480, 320, 320); // scale 0.5, 40 rows of padding on top
    expect(box).toMatchObject({ scale: 0.5, padX: 0, padY: 40 });
    // Source box (100, 60)–(300, 200) sits at (50, 70)–(150, 140) in the input.
    expect(unletterbox(box, 50, 70, 150, 140)).toEqual({ x: 100, y: 60, width: 200, height: 140 });
    expect(unletterbox(box, -10, 20, 330, 300)).toEqual({ x: 0, y: 0, width: 640, height: 480 });
  });
});
