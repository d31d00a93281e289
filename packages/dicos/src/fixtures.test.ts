// The committed samples (packages/dicos/fixtures) stay readable, with the content their README describes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imageToScanViews, tdrToMachineResult } from './convert.ts';
import { readDicos } from './read.ts';
import { SOP_CLASS, TRANSFER_SYNTAX } from './uids.ts';

const sample = (name: string) => readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)));

describe('committed samples', () => {
  it('a 16-bit DX image and its machine TDR pair up', () => {
    const image = readDicos(sample('dx-explicit-u16.dcm'));
    const tdr = readDicos(sample('dx-explicit-u16.tdr.dcm'));
    if (image.kind !== 'image' || tdr.kind !== 'tdr') throw new Error('unexpected kinds');
    expect(image).toMatchObject({ sopClassUid: SOP_CLASS.dxForPresentation, rows: 12, columns: 16, frames: 1, bitsAllocated: 16, accessionNumber: '0999000001', transferSyntaxUid: TRANSFER_SYNTAX.explicitLittleEndian });
    expect(tdr.referencedImage?.sopInstanceUid).toBe(image.sopInstanceUid);
    const result = tdrToMachineResult(tdr, { image });
    expect(result).toMatchObject({ algorithm: 'Clearway sample ATR 1.0', alarm: true, processingMs: 20 });
    expect(result.detections).toEqual([{ id: '1', label: 'knife', category: 'PROHIBITED_ITEM', score: 0.75, box: { view: 'top', x: 4, y: 3, width: 8, height: 6 } }]);
    const [top] = imageToScanViews(image);
    const att = new Uint16Array(new Uint8Array(top?.high ?? new Uint8Array()).slice().buffer);
    expect(att[3 * 16 + 4]).toBeGreaterThan(att[0] ?? Infinity); // the block attenuates more than the background
  });

  it('an implicit-VR, signed 8-bit, two-frame DX image', () => {
    const image = readDicos(sample('dx-implicit-s8-2frames.dcm'));
    if (image.kind !== 'image') throw new Error('not an image');
    expect(image).toMatchObject({ frames: 2, bitsAllocated: 8, pixelRepresentation: 1, transferSyntaxUid: TRANSFER_SYNTAX.implicitLittleEndian });
    expect(Array.from(image.frameValues(1)).slice(0, 3)).toEqual([-128, -112, -96]);
    expect(imageToScanViews(image).map((v) => v.view)).toEqual(['top', 'side']);
  });
});
