import { z } from 'zod';
import { BagTag, Binary, FlightNumber, LaneId, Timestamp, Uuid } from './common.ts';

export const ViewName = z.enum(['top', 'side']);
export type ViewName = z.infer<typeof ViewName>;

/** Largest detector geometry accepted: a 4096-pixel line array, 8192 lines per bag. */
export const MAX_VIEW_WIDTH = 4096;
export const MAX_VIEW_HEIGHT = 8192;

/**
 * One view of a dual-energy line scan: two little-endian 16-bit attenuation images, low and
 * high energy, row-major, 0 = no attenuation (air), 65535 = impenetrable.
 */
export const ScanView = z
  .object({
    view: ViewName,
    width: z.number().int().min(1).max(MAX_VIEW_WIDTH),
    height: z.number().int().min(1).max(MAX_VIEW_HEIGHT),
    encoding: z.literal('dual-energy-u16le'),
    low: Binary,
    high: Binary,
  })
  .superRefine((v, ctx) => {
    const expected = v.width * v.height * 2;
    for (const key of ['low', 'high'] as const) {
      if (v[key].byteLength !== expected) {
        ctx.addIssue({ code: 'custom', path: [key], message: `expected ${expected} bytes (width × height × 2), got ${v[key].byteLength}` });
      }
    }
  });
export type ScanView = z.output<typeof ScanView>;
export type ScanViewInput = z.input<typeof ScanView>;

/** Metadata of a scanned bag, as the officer sees it. */
export const BagSummary = z.object({
  bagId: Uuid,
  bagTag: BagTag,
  lane: LaneId,
  flight: FlightNumber,
  scannedAt: Timestamp,
});
export type BagSummary = z.infer<typeof BagSummary>;

/** Scanner → hub: one bag's scan. `scanId` is the idempotency key: a resent scan is stored once. */
export const ScanSubmit = z.object({
  scanId: Uuid,
  lane: LaneId,
  flight: FlightNumber,
  bagTag: BagTag,
  scannedAt: Timestamp,
  views: z.array(ScanView).min(1).max(2).refine((vs) => new Set(vs.map((v) => v.view)).size === vs.length, 'each view name at most once'),
});
export type ScanSubmit = z.output<typeof ScanSubmit>;
export type ScanSubmitInput = z.input<typeof ScanSubmit>;
