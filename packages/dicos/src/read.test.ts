import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { DicosError } from './errors.ts';
import { writeCtVolume, writeDxImage, type WriteImageInput } from './image-write.ts';
import { readDicos } from './read.ts';
import type { DicosImage } from './types.ts';
import { SOP_CLASS, TRANSFER_SYNTAX, newUid } from './uids.ts';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data;

function image(bytes: Uint8Array): DicosImage {
  const obj = readDicos(bytes);
  if (obj.kind !== 'image') throw new Error(`expected an image, got ${obj.kind}`);
  return obj;
}

/** dcmjs on its own, as a second reader of what the writer wrote. */
function viaDcmjs(bytes: Uint8Array) {
  const dict = DicomMessage.readFile(bytes.slice().buffer);
  return { meta: DicomMetaDictionary.naturalizeDataset(dict.meta), ds: DicomMetaDictionary.naturalizeDataset(dict.dict) };
}

interface PixelCase {
  name: string;
  bitsAllocated: 8 | 16 | 32 | 64;
  pixelRepresentation: 0 | 1;
  float?: boolean;
  bitsStored?: number;
  /** Stored values to write (including the extremes of the type). */
  values: number[];
  /** What readDicos must give back, before rescale (defaults to `values`). */
  expected?: number[];
}

const CASES: PixelCase[] = [
  { name: 'u8', bitsAllocated: 8, pixelRepresentation: 0, values: [0, 1, 127, 128, 200, 255] },
  { name: 's8', bitsAllocated: 8, pixelRepresentation: 1, values: [-128, -1, 0, 1, 100, 127] },
  { name: 'u16', bitsAllocated: 16, pixelRepresentation: 0, values: [0, 1, 1000, 32768, 65534, 65535] },
  { name: 's16', bitsAllocated: 16, pixelRepresentation: 1, values: [-32768, -1000, -1, 0, 1000, 32767] },
  { name: 'u32', bitsAllocated: 32, pixelRepresentation: 0, values: [0, 1, 65536, 2 ** 31, 2 ** 32 - 2, 2 ** 32 - 1] },
  { name: 's32', bitsAllocated: 32, pixelRepresentation: 1, values: [-(2 ** 31), -70000, -1, 0, 70000, 2 ** 31 - 1] },
  { name: 'u64', bitsAllocated: 64, pixelRepresentation: 0, values: [0, 1, 2 ** 40, 2 ** 52, 7, 2 ** 53 - 1] },
  { name: 's64', bitsAllocated: 64, pixelRepresentation: 1, values: [-(2 ** 53 - 1), -(2 ** 40), -1, 0, 2 ** 40, 2 ** 53 - 1] },
  { name: 'f32', bitsAllocated: 32, pixelRepresentation: 0, float: true, values: [-1.5, 0, 0.25, 0.5, 1, 1e6] },
  { name: 'f64', bitsAllocated: 64, pixelRepresentation: 0, float: true, values: [-1e-9, 0, 0.1, 1 / 3, 1, 1e300] },
  // 12 bits stored in 16: the unused high bits carry garbage that must be masked off.
  { name: 'u12 in 16', bitsAllocated: 16, pixelRepresentation: 0, bitsStored: 12, values: [0, 0xf001, 0x0fff, 0xa800, 2048, 4095], expected: [0, 1, 4095, 2048, 2048, 4095] },
  // Signed 12 bits: two's complement within 12 bits, sign-extended or not in the stored word.
  { name: 's12 in 16', bitsAllocated: 16, pixelRepresentation: 1, bitsStored: 12, values: [-2048, -1, 0x0fff, 0x07ff, 0x0800, 5], expected: [-2048, -1, -1, 2047, -2048, 5] },
];

const SYNTAXES = [
  ['Explicit VR Little Endian', 'explicit', TRANSFER_SYNTAX.explicitLittleEndian],
  ['Implicit VR Little Endian', 'implicit', TRANSFER_SYNTAX.implicitLittleEndian],
] as const;

describe('readDicos: every transfer syntax × pixel type', () => {
  for (const [tsName, ts, tsUid] of SYNTAXES) {
    for (const c of CASES) {
      for (const frames of [1, 3]) {
        it(`${tsName}, ${c.name}, ${frames} frame${frames > 1 ? 's' : ''}`, () => {
          // rows × columns = 2 × 3; each frame a shifted copy so frames are told apart.
          const per = c.values.length;
          const values = Array.from({ length: per * frames }, (_, i) => c.values[(i + Math.floor(i / per)) % per] ?? 0);
          const expectedStored = c.expected ?? c.values;
          const expected = Array.from({ length: per * frames }, (_, i) => expectedStored[(i + Math.floor(i / per)) % per] ?? 0);
          const sopInstanceUid = newUid();
          const bytes = writeDxImage({
            rows: 2, columns: 3, frames, pixels: values, bitsAllocated: c.bitsAllocated, pixelRepresentation: c.pixelRepresentation,
            ...(c.float ? { float: true } : {}), ...(c.bitsStored ? { bitsStored: c.bitsStored } : {}), transferSyntax: ts, sopInstanceUid,
          });
          const img = image(bytes);
          expect(img).toMatchObject({
            kind: 'image', imageType: 'dx', rows: 2, columns: 3, frames, bitsAllocated: c.bitsAllocated, bitsStored: c.bitsStored ?? c.bitsAllocated,
            pixelRepresentation: c.float ? 0 : c.pixelRepresentation, floatPixels: c.float === true, transferSyntaxUid: tsUid, sopInstanceUid,
            sopClassUid: SOP_CLASS.dxForPresentation, modality: 'DX',
          });
          for (let f = 0; f < frames; f++) {
            const got = Array.from(img.frameValues(f));
            const want = expected.slice(f * per, (f + 1) * per);
            if (c.name === 'f32') want.forEach((w, i) => expect(got[i]).toBeCloseTo(Math.fround(w), 6));
            else expect(got).toEqual(want);
          }
          // dcmjs on its own reads the same attributes back.
          const { meta, ds } = viaDcmjs(bytes);
          expect(meta['TransferSyntaxUID']).toBe(tsUid);
          expect(ds).toMatchObject({ Rows: 2, Columns: 3, BitsAllocated: c.bitsAllocated, SOPInstanceUID: sopInstanceUid, PhotometricInterpretation: 'MONOCHROME2' });
          if (!c.float) expect(ds).toMatchObject({ PixelRepresentation: c.pixelRepresentation, BitsStored: c.bitsStored ?? c.bitsAllocated });
          expect(ds[c.float ? (c.bitsAllocated === 32 ? 'FloatPixelData' : 'DoubleFloatPixelData') : 'PixelData']).toBeDefined();
        });
      }
    }
  }
});

describe('readDicos: images', () => {
  it('applies Rescale Slope and Intercept', () => {
    const img = image(writeDxImage({ rows: 1, columns: 4, pixels: [0, 1, 10, 100], rescaleSlope: 0.5, rescaleIntercept: -3, transferSyntax: 'implicit' }));
    expect(Array.from(img.frameValues(0))).toEqual([-3, -2.5, 2, 47]);
    expect(img.rescaleSlope).toBe(0.5);
    expect(img.rescaleIntercept).toBe(-3);
  });

  it('reads the SOP class, UIDs, accession number, acquisition time and photometric interpretation', () => {
    const study = newUid();
    const series = newUid();
    const at = new Date('2025-03-04T05:06:07.089Z');
    const img = image(writeDxImage({
      rows: 2, columns: 2, pixels: [1, 2, 3, 4], sopClassUid: SOP_CLASS.dxForProcessing, studyInstanceUid: study, seriesInstanceUid: series,
      accessionNumber: '0999123456', acquiredAt: at, photometricInterpretation: 'MONOCHROME1', pixelSpacing: [0.5, 0.25],
    }));
    expect(img).toMatchObject({
      sopClassUid: SOP_CLASS.dxForProcessing, sopClass: 'DICOS Digital X-Ray Image - For Processing', studyInstanceUid: study, seriesInstanceUid: series,
      accessionNumber: '0999123456', acquiredAt: at.toISOString(), photometricInterpretation: 'MONOCHROME1', pixelSpacing: [0.5, 0.25],
      presentationIntentType: 'FOR PROCESSING', transferSyntax: 'Explicit VR Little Endian',
    });
  });

  it('reads a CT volume, with geometry from the Shared Functional Groups Sequence', () => {
    const bytes = writeCtVolume({
      rows: 2, columns: 2, frames: 2, pixels: [-1000, 0, 1000, 2000, 0, 0, 0, 0], bitsAllocated: 16, pixelRepresentation: 1,
      rescaleSlope: 1, rescaleIntercept: 0,
      extra: { SharedFunctionalGroupsSequence: [{ PixelMeasuresSequence: [{ PixelSpacing: [0.8, 0.9], SliceThickness: 2 }] }] },
    });
    const img = image(bytes);
    expect(img).toMatchObject({ imageType: 'ct', sopClass: 'DICOS CT Image', frames: 2, pixelSpacing: [0.8, 0.9], sliceSpacing: 2, rescaleType: 'HU', modality: 'CT' });
    expect(Array.from(img.frameValues(0))).toEqual([-1000, 0, 1000, 2000]);
  });

  it('views the file bytes when aligned, and copies when not', () => {
    const bytes = writeDxImage({ rows: 2, columns: 2, pixels: [1, 2, 3, 4] });
    const shifted = new Uint8Array(bytes.byteLength + 1);
    shifted.set(bytes, 1);
    const img = image(shifted.subarray(1));
    expect(Array.from(img.frameValues(0))).toEqual([1, 2, 3, 4]);
  });

  it('refuses a colour image, 12 bits allocated, and pixel data of the wrong length', () => {
    const rgb = writeDxImage({ rows: 1, columns: 2, pixels: [1, 2], extra: { SamplesPerPixel: 3, PhotometricInterpretation: 'RGB' } });
    expect(() => readDicos(rgb)).toThrow(expect.objectContaining({ reason: 'unsupported-pixel-format' }));
    const twelve = writeDxImage({ rows: 1, columns: 2, pixels: [1, 2], extra: { BitsAllocated: 12 } });
    expect(() => readDicos(twelve)).toThrow(expect.objectContaining({ reason: 'unsupported-pixel-format' }));
    // Rows says 3, the pixel data holds 2 × 2 values, and other elements follow it: not a cut, a lie.
    const liar = writeDxImage({ rows: 2, columns: 2, pixels: [1, 2, 3, 4], extra: { Rows: 3, DataSetTrailingPadding: new Uint8Array(4).buffer } });
    expect(() => readDicos(liar)).toThrow(expect.objectContaining({ reason: 'bad-pixel-data' }));
    const long = writeDxImage({ rows: 1, columns: 4, pixels: [1, 2, 3, 4], extra: { Columns: 2 } });
    expect(() => readDicos(long)).toThrow(expect.objectContaining({ reason: 'bad-pixel-data' }));
  });

  it('refuses deflated and big-endian files by their transfer syntax, and other SOP classes', () => {
    for (const ts of [TRANSFER_SYNTAX.deflatedExplicitLittleEndian, TRANSFER_SYNTAX.explicitBigEndian, '1.2.840.10008.1.2.4.90']) {
      const bytes = writeDxImage({ rows: 1, columns: 1, pixels: [1], transferSyntax: ts });
      let error: unknown;
      try { readDicos(bytes); } catch (e) { error = e; }
      expect(error).toBeInstanceOf(DicosError);
      expect(error).toMatchObject({ reason: 'unsupported-transfer-syntax' });
      expect((error as Error).message).toContain(ts);
    }
    const ait = writeDxImage({ rows: 1, columns: 1, pixels: [1], sopClassUid: SOP_CLASS.ait2d } as WriteImageInput);
    expect(() => readDicos(ait)).toThrow(expect.objectContaining({ reason: 'unsupported-sop-class', message: expect.stringContaining('AIT') }));
    const mr = writeDxImage({ rows: 1, columns: 1, pixels: [1], sopClassUid: '1.2.840.10008.5.1.4.1.1.4' });
    expect(() => readDicos(mr)).toThrow(expect.objectContaining({ reason: 'unsupported-sop-class' }));
  });

  it('says which attribute is missing', () => {
    const noRows = writeDxImage({ rows: 1, columns: 1, pixels: [1], extra: { Rows: undefined } });
    expect(() => readDicos(noRows)).toThrow(expect.objectContaining({ reason: 'missing-attribute', message: expect.stringContaining('Rows') }));
    const badUid = writeDxImage({ rows: 1, columns: 1, pixels: [1], sopInstanceUid: '1.2.3' });
    // Replace the UID in data set and meta with an invalid one of the same length.
    const text = Buffer.from(badUid).toString('latin1').replaceAll('1.2.3\0', '1..23\0');
    expect(() => readDicos(Buffer.from(text, 'latin1'))).toThrow(expect.objectContaining({ reason: 'missing-attribute', message: expect.stringContaining('SOP Instance UID') }));
  });
});
