import { ScanView } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import { ATTENUATION_SCALE, IMPENETRABLE, MU_WATER_PER_CM, ctProjections, dxFrameAttenuation, imageToScanViews } from './convert.ts';
import { writeCtVolume, writeDxImage, type WriteImageInput } from './image-write.ts';
import { inspect } from './inspect.ts';
import { readDicos } from './read.ts';
import { writeMachineTdr } from './tdr.ts';
import type { DicosImage } from './types.ts';
import { SOP_CLASS } from './uids.ts';

function image(input: WriteImageInput | Uint8Array): DicosImage {
  const obj = readDicos(input instanceof Uint8Array ? input : writeDxImage(input));
  if (obj.kind !== 'image') throw new Error('not an image');
  return obj;
}

const att = (t: number) => Math.round(-Math.log(t) * ATTENUATION_SCALE);
const u16 = (bytes: Uint8Array | ArrayBuffer) => {
  const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Array.from(new Uint16Array(b.slice().buffer));
};

describe('DX → attenuation', () => {
  it('maps MONOCHROME2 intensity over the Bits Stored range: bright is air, black impenetrable', () => {
    const p = dxFrameAttenuation(image({ rows: 1, columns: 4, pixels: [65535, 32768, 6554, 0] }));
    expect(Array.from(p.attenuation)).toEqual([0, att(32768 / 65535), att(6554 / 65535), IMPENETRABLE]);
  });

  it('inverts MONOCHROME1', () => {
    const p = dxFrameAttenuation(image({ rows: 1, columns: 4, pixels: [65535, 32768, 6554, 0], photometricInterpretation: 'MONOCHROME1' }));
    expect(Array.from(p.attenuation)).toEqual([IMPENETRABLE, att(1 - 32768 / 65535), att(1 - 6554 / 65535), 0]);
  });

  it('normalises by Bits Stored, signed ranges and the rescale', () => {
    const twelve = dxFrameAttenuation(image({ rows: 1, columns: 2, pixels: [4095, 2048], bitsStored: 12 }));
    expect(Array.from(twelve.attenuation)).toEqual([0, att(2048 / 4095)]);
    const signed = dxFrameAttenuation(image({ rows: 1, columns: 3, pixels: [32767, 0, -32768], pixelRepresentation: 1 }));
    expect(Array.from(signed.attenuation)).toEqual([0, att(32768 / 65535), IMPENETRABLE]);
    const eight = dxFrameAttenuation(image({ rows: 1, columns: 2, pixels: [255, 51], bitsAllocated: 8, rescaleSlope: 2, rescaleIntercept: 10 }));
    expect(Array.from(eight.attenuation)).toEqual([0, att(51 / 255)]);
  });

  it('takes float pixels in [0, 1] as transmission, and other floats over their own range', () => {
    const t = dxFrameAttenuation(image({ rows: 1, columns: 3, pixels: [1, 0.5, 0], float: true, bitsAllocated: 32 }));
    expect(Array.from(t.attenuation)).toEqual([0, att(0.5), IMPENETRABLE]);
    const d = dxFrameAttenuation(image({ rows: 1, columns: 3, pixels: [1000, 750, 500], float: true, bitsAllocated: 64 }));
    expect(Array.from(d.attenuation)).toEqual([0, att(0.5), IMPENETRABLE]);
  });

  it('gives a single-energy top view, and a side view from a second frame', () => {
    const one = imageToScanViews(image({ rows: 2, columns: 3, pixels: [0, 1, 2, 3, 4, 5] }));
    expect(one).toHaveLength(1);
    expect(ScanView.safeParse(one[0]).success).toBe(true);
    expect(one[0]).toMatchObject({ view: 'top', width: 3, height: 2, encoding: 'single-energy-u16le' });
    expect(one[0]?.low).toBeUndefined();
    const two = imageToScanViews(image({ rows: 2, columns: 3, frames: 2, pixels: [0, 1, 2, 3, 4, 5, 65535, 65535, 65535, 65535, 65535, 65535] }));
    expect(two.map((v) => v.view)).toEqual(['top', 'side']);
    expect(u16(two[1]?.high ?? new Uint8Array())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(imageToScanViews(image({ rows: 1, columns: 1, pixels: [1] }), ['side'])).toEqual([]);
  });

  it('refuses an image wider than a scan view', () => {
    expect(() => imageToScanViews(image({ rows: 1, columns: 4097, pixels: new Array(4097).fill(0), bitsAllocated: 8 }))).toThrow(expect.objectContaining({ reason: 'unsupported-pixel-format' }));
  });
});

describe('CT → projections', () => {
  it('sums μ relative to water along the vertical axis (top) and across the belt (side)', () => {
    // 3 slices of 2 rows × 4 columns, 5 mm pixels: air everywhere but a column of water and one of bone.
    const rows = 2;
    const columns = 4;
    const frames = 3;
    const hu = new Array(rows * columns * frames).fill(-1000);
    for (let z = 0; z < frames; z++) {
      for (let y = 0; y < rows; y++) {
        hu[z * rows * columns + y * columns + 1] = 0; // water
        hu[z * rows * columns + y * columns + 2] = 1000; // twice water
      }
    }
    const img = image(writeCtVolume({ rows, columns, frames, pixels: hu, pixelRepresentation: 1, pixelSpacing: [5, 5] }));
    const { top, side } = ctProjections(img);
    const water = (cm: number) => Math.round(MU_WATER_PER_CM * cm * ATTENUATION_SCALE);
    expect(top).toMatchObject({ width: columns, height: frames });
    expect(Array.from(top.attenuation.subarray(0, columns))).toEqual([0, water(1), water(2), 0]); // 2 rows × 0.5 cm
    expect(side).toMatchObject({ width: rows, height: frames });
    expect(Array.from(side.attenuation.subarray(0, rows))).toEqual([water(1.5), water(1.5)]); // (1 + 2) × 0.5 cm
    const views = imageToScanViews(img, ['top', 'side']);
    expect(views.map((v) => [v.view, v.width, v.height])).toEqual([['top', 4, 3], ['side', 2, 3]]);
    for (const v of views) expect(ScanView.safeParse(v).success).toBe(true);
  });
});

describe('inspect', () => {
  it('summarises an image', () => {
    const summary = inspect(writeDxImage({ rows: 2, columns: 3, frames: 2, pixels: new Array(12).fill(0), bitsAllocated: 8, pixelRepresentation: 1, transferSyntax: 'implicit' }));
    expect(summary).toMatchObject({
      sopClassUid: SOP_CLASS.dxForPresentation, sopClass: 'DICOS Digital X-Ray Image - For Presentation', modality: 'DX',
      transferSyntaxUid: '1.2.840.10008.1.2', transferSyntax: 'Implicit VR Little Endian', rows: 2, columns: 3, frames: 2, bitsAllocated: 8, pixelRepresentation: 1,
    });
    expect(() => JSON.stringify(summary)).not.toThrow();
  });

  it('summarises a TDR with its PTOs', () => {
    const summary = inspect(writeMachineTdr({
      imageSopInstanceUid: '1.2.3.4', imageSopClassUid: SOP_CLASS.dxForPresentation, algorithm: 'VendorX ATR 4.2', alarm: true,
      ptos: [{ category: 'PROHIBITED_ITEM', label: 'knife', box: { x: 1, y: 2, width: 3, height: 4 } }],
    }));
    expect(summary).toMatchObject({
      sopClass: 'DICOS Threat Detection Report', modality: 'TDR', rows: null, tdrType: 'MACHINE', alarmDecision: 'ALARM', algorithm: 'VendorX ATR 4.2',
      referencedSopInstanceUid: '1.2.3.4', ptos: [{ id: 1, category: 'PROHIBITED_ITEM', label: 'knife', box: { x: 1, y: 2, z: 0, width: 3, height: 4, depth: 1 } }],
    });
  });
});
