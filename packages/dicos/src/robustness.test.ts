// Corrupt, truncated and hostile input: always a DicosError with a reason, never a crash or a hang.
import { describe, expect, it } from 'vitest';
import { DICOS_ERROR_REASONS, DicosError } from './errors.ts';
import { writeCtVolume, writeDxImage } from './image-write.ts';
import { readDicos } from './read.ts';
import { writeMachineTdr, writeOperatorTdr } from './tdr.ts';
import { SOP_CLASS, newUid } from './uids.ts';

function failure(bytes: Uint8Array): DicosError {
  try {
    readDicos(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(DicosError);
    expect(DICOS_ERROR_REASONS).toContain((error as DicosError).reason);
    return error as DicosError;
  }
  throw new Error('readDicos accepted the file');
}

/** mulberry32: a small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const image = (transferSyntax: 'explicit' | 'implicit') => writeDxImage({
  rows: 4, columns: 5, frames: 2, pixels: Array.from({ length: 40 }, (_, i) => i * 1000), transferSyntax, accessionNumber: '0999000001',
});
const machineTdr = () => writeMachineTdr({
  imageSopInstanceUid: newUid(), imageSopClassUid: SOP_CLASS.dxForPresentation, imageSeriesInstanceUid: newUid(), algorithm: 'VendorX ATR 4.2', alarm: true, processingMs: 12,
  ptos: [{ category: 'PROHIBITED_ITEM', label: 'knife', probability: 0.8, box: { x: 1, y: 2, width: 3, height: 4 } }, { category: 'EXPLOSIVE', box: { x: 5, y: 6, width: 7, height: 8 } }],
});

describe('truncated files', () => {
  for (const ts of ['explicit', 'implicit'] as const) {
    it(`a ${ts} VR DX image cut at every offset is 'truncated'`, () => {
      const full = image(ts);
      expect(readDicos(full).kind).toBe('image');
      for (let cut = 0; cut < full.byteLength; cut++) {
        const error = failure(full.subarray(0, cut));
        expect(error.reason, `cut at ${cut} of ${full.byteLength}: ${error.message}`).toBe('truncated');
      }
    }, 30_000);
  }

  it('a CT volume cut inside its pixel data is truncated', () => {
    const full = writeCtVolume({ rows: 8, columns: 8, frames: 4, pixels: new Array(256).fill(0), pixelRepresentation: 1 });
    for (const cut of [full.byteLength - 1, full.byteLength - 2, full.byteLength - 100, full.byteLength - 300]) {
      expect(failure(full.subarray(0, cut)).reason).toBe('truncated');
    }
  });

  for (const [name, make] of [['machine', machineTdr], ['operator', () => writeOperatorTdr({
    imageSopInstanceUid: newUid(), imageSopClassUid: SOP_CLASS.ct,
    decision: { verdict: 'search', officer: { id: 'li.wei', name: 'Li Wei' }, shownAt: '2025-01-01T00:00:00Z', decidedAt: '2025-01-01T00:00:03Z' },
    ptos: [{ label: 'knife', box: { x: 1, y: 2, width: 3, height: 4 } }],
  })]] as const) {
    it(`a ${name} TDR cut at every offset is 'truncated'`, () => {
      const full = make();
      expect(readDicos(full).kind).toBe('tdr');
      const reasons = new Map<string, number>();
      for (let cut = 0; cut < full.byteLength; cut++) {
        let reason = 'accepted';
        try {
          readDicos(full.subarray(0, cut));
        } catch (error) {
          expect(error).toBeInstanceOf(DicosError);
          reason = (error as DicosError).reason;
        }
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        // Elements after Alarm Decision (4010,1031) are optional: a cut among them still reads.
        if (reason !== 'truncated') expect(reason, `cut at ${cut} of ${full.byteLength}`).toBe('accepted');
      }
      expect(reasons.get('truncated') ?? 0).toBeGreaterThan(full.byteLength * 0.9);
    }, 30_000);
  }
});

describe('garbage', () => {
  it('random bytes, text and an empty file are refused', () => {
    const random = prng(7);
    expect(failure(new Uint8Array(0)).reason).toBe('truncated');
    expect(failure(new TextEncoder().encode('%PDF-1.7 this is not DICOM at all, not even close to 132 bytes long............................................................................')).reason).toBe('not-dicom');
    for (const size of [1, 50, 131, 132, 200, 4096]) {
      const bytes = new Uint8Array(size).map(() => Math.floor(random() * 256));
      expect(failure(bytes).reason).toBe('not-dicom');
    }
  });

  it('a DICM header followed by garbage is refused with a reason', () => {
    const random = prng(11);
    for (const size of [132, 140, 200, 1000]) {
      const bytes = new Uint8Array(size).map((_, i) => (i < 128 ? 0 : Math.floor(random() * 256)));
      bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
      failure(bytes);
    }
  });

  it('files with random bytes flipped never crash or hang the reader', () => {
    const random = prng(2024);
    const originals = [image('explicit'), image('implicit'), machineTdr()];
    const started = performance.now();
    let refused = 0;
    for (let round = 0; round < 600; round++) {
      const original = originals[round % originals.length] ?? originals[0];
      if (!original) throw new Error('no original');
      const bytes = original.slice();
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) bytes[132 + Math.floor(random() * (bytes.byteLength - 132))] = Math.floor(random() * 256);
      const t0 = performance.now();
      try {
        readDicos(bytes);
      } catch (error) {
        expect(error).toBeInstanceOf(DicosError);
        refused++;
      }
      expect(performance.now() - t0, `round ${round}`).toBeLessThan(1_000);
    }
    expect(refused).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);
});
