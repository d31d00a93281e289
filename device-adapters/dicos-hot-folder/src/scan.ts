/** Turning a DICOS image (and its machine TDR) into a `scan:submit` message. */
import { createHash } from 'node:crypto';
import { DicosError, imageToScanViews, tdrToMachineResult, type DicosImage, type DicosTdr } from '@clearway/dicos';
import { BagTag, type ScanSubmitInput, type ViewName } from '@clearway/protocol';

/** Namespace of the hot folder's name-based scan IDs (RFC 9562 UUIDv5). */
const SCAN_ID_NAMESPACE = 'a3b5c0de-6f61-4c8e-9d2e-3c7f0b1d2e01';

/**
 * The scanId of an image: a UUIDv5 of its SOP Instance UID, so the same file dropped twice is the
 * same scan to the hub (stored once, answered `duplicate: true`).
 */
export function scanIdFor(sopInstanceUid: string): string {
  const ns = Buffer.from(SCAN_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(sopInstanceUid, 'utf8').digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50; // version 5
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80; // RFC variant
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The bag tag: the Accession Number (0008,0050) when it is a valid tag (upper-cased), else the
 * longest run of digits in the file name (its last 32 digits), else the last 10 digits of the
 * SOP Instance UID.
 */
export function bagTagFor(image: Pick<DicosImage, 'accessionNumber' | 'sopInstanceUid'>, fileName: string): string {
  const accession = image.accessionNumber?.trim().toUpperCase();
  if (accession && BagTag.safeParse(accession).success) return accession;
  const stem = fileName.replace(/\.[^.]*$/, '');
  const runs = stem.match(/\d+/g) ?? [];
  const longest = runs.reduce((best, r) => (r.length > best.length ? r : best), '');
  if (longest.length > 0) return longest.slice(-32);
  return image.sopInstanceUid.replace(/\D/g, '').slice(-10) || '0';
}

export interface ScanContext {
  lane: string;
  flight: string;
  fileName: string;
  views: readonly ViewName[];
  now: Date;
}

/**
 * The scan of one image: views converted (single-energy), the machine result from its TDR, scanId
 * from its SOP Instance UID. Throws DicosError when the image gives none of the wanted views.
 */
export function scanFromDicos(image: DicosImage, tdr: DicosTdr | undefined, ctx: ScanContext): ScanSubmitInput {
  const views = imageToScanViews(image, ctx.views);
  if (views.length === 0) {
    throw new DicosError('unsupported-pixel-format', `${image.sopClass} gives none of the views this device declares (${ctx.views.join(', ')})`);
  }
  const machineResult = tdr
    ? tdrToMachineResult(tdr, { image: { imageType: image.imageType, rows: image.rows, columns: image.columns, frames: image.frames }, views: views.map((v) => v.view) })
    : undefined;
  return {
    scanId: scanIdFor(image.sopInstanceUid),
    lane: ctx.lane,
    flight: ctx.flight,
    bagTag: bagTagFor(image, ctx.fileName),
    scannedAt: image.acquiredAt ?? ctx.now.toISOString(),
    views,
    ...(machineResult ? { machineResult } : {}),
    source: {
      standard: 'dicos',
      sopClassUid: image.sopClassUid,
      sopInstanceUid: image.sopInstanceUid,
      ...(image.studyInstanceUid ? { studyInstanceUid: image.studyInstanceUid } : {}),
      ...(image.seriesInstanceUid ? { seriesInstanceUid: image.seriesInstanceUid } : {}),
      ...(image.modality ? { modality: image.modality } : {}),
      fileName: ctx.fileName.slice(0, 255),
    },
  };
}

/** True for a TDR whose detections are the machine's own (MACHINE, or no TDR Type at all). */
export function isMachineTdr(tdr: DicosTdr): boolean {
  return tdr.tdrType === undefined || tdr.tdrType === 'MACHINE';
}
