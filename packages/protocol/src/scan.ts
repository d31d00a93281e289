import { z } from 'zod';
import { BagTag, Binary, FlightNumber, LaneId, Timestamp, Uuid } from './common.ts';

export const ViewName = z.enum(['top', 'side']);
export type ViewName = z.infer<typeof ViewName>;

/** Largest detector geometry accepted: a 4096-pixel line array, 8192 lines per bag. */
export const MAX_VIEW_WIDTH = 4096;
export const MAX_VIEW_HEIGHT = 8192;

/**
 * One view of a line scan. `dual-energy-u16le`: two little-endian 16-bit attenuation images,
 * low and high energy, row-major, value = −ln(I/I0) × 8192, 65535 = impenetrable.
 * `single-energy-u16le`: one attenuation image in `high` (DICOS DX images and CT projections
 * from scanners that give no energy pair); `low` is absent and material colour is unknown.
 */
export const ViewEncoding = z.enum(['dual-energy-u16le', 'single-energy-u16le']);
export type ViewEncoding = z.infer<typeof ViewEncoding>;

export const ScanView = z
  .object({
    view: ViewName,
    width: z.number().int().min(1).max(MAX_VIEW_WIDTH),
    height: z.number().int().min(1).max(MAX_VIEW_HEIGHT),
    encoding: ViewEncoding,
    low: Binary.optional(),
    high: Binary,
  })
  .superRefine((v, ctx) => {
    const expected = v.width * v.height * 2;
    if (v.encoding === 'dual-energy-u16le' && v.low === undefined) ctx.addIssue({ code: 'custom', path: ['low'], message: 'dual-energy views carry a low-energy image' });
    if (v.encoding === 'single-energy-u16le' && v.low !== undefined) ctx.addIssue({ code: 'custom', path: ['low'], message: 'single-energy views carry only `high`' });
    for (const key of ['low', 'high'] as const) {
      const bytes = v[key];
      if (bytes !== undefined && bytes.byteLength !== expected) {
        ctx.addIssue({ code: 'custom', path: [key], message: `expected ${expected} bytes (width × height × 2), got ${bytes.byteLength}` });
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

/** A box in a view's pixel coordinates (origin top left). */
export const ViewBox = z.object({
  view: ViewName,
  x: z.number().finite().min(0),
  y: z.number().finite().min(0),
  width: z.number().finite().positive(),
  height: z.number().finite().positive(),
});
export type ViewBox = z.infer<typeof ViewBox>;

/** DICOS threat categories (4010,1012). */
export const ThreatCategory = z.enum(['EXPLOSIVE', 'PROHIBITED_ITEM', 'CONTRABAND', 'ANOMALY', 'LAPTOP', 'PHARMACEUTICAL', 'OTHER']);
export type ThreatCategory = z.infer<typeof ThreatCategory>;

/** One potential threat object (PTO) found by a machine: the scanner's own algorithm or a detector. */
export const Detection = z.object({
  /** PTO ID, unique within the bag. */
  id: z.string().min(1).max(64),
  /** Class name, e.g. "knife", "gun", "battery". */
  label: z.string().min(1).max(64),
  category: ThreatCategory.default('PROHIBITED_ITEM'),
  score: z.number().min(0).max(1),
  box: ViewBox,
});
export type Detection = z.output<typeof Detection>;
export type DetectionInput = z.input<typeof Detection>;

export const MachineResult = z.object({
  /** Threat Detection Algorithm and Version (4010,1029), e.g. "VendorX ATR 4.2". */
  algorithm: z.string().min(1).max(128),
  /** Alarm Decision (4010,1031) of the machine. */
  alarm: z.boolean(),
  detections: z.array(Detection).max(200),
  processingMs: z.number().min(0).optional(),
});
export type MachineResult = z.output<typeof MachineResult>;

/** Where a scan came from when it was not produced on the wire: the DICOS object it was read from. */
export const ScanSource = z.object({
  standard: z.literal('dicos'),
  sopClassUid: z.string().regex(/^[0-9.]{1,64}$/),
  sopInstanceUid: z.string().regex(/^[0-9.]{1,64}$/),
  studyInstanceUid: z.string().regex(/^[0-9.]{1,64}$/).optional(),
  seriesInstanceUid: z.string().regex(/^[0-9.]{1,64}$/).optional(),
  modality: z.string().max(16).optional(),
  /** File name in the hot folder, for the officer's and the auditor's reference. */
  fileName: z.string().max(255).optional(),
});
export type ScanSource = z.infer<typeof ScanSource>;

/**
 * The bag's risk score from a manifest system (0..100, see risk.ts in @clearway/domain) with its
 * readable reasons. It raises the bag's place in the screening line; it never clears a bag.
 */
export const ScanRisk = z.object({
  score: z.number().min(0).max(100),
  reasons: z.array(z.string().min(1).max(200)).max(20).default([]),
});
export type ScanRisk = z.output<typeof ScanRisk>;

/** Scanner → hub: one bag's scan. `scanId` is the idempotency key: a resent scan is stored once. */
export const ScanSubmit = z.object({
  scanId: Uuid,
  lane: LaneId,
  flight: FlightNumber,
  bagTag: BagTag,
  scannedAt: Timestamp,
  views: z.array(ScanView).min(1).max(2).refine((vs) => new Set(vs.map((v) => v.view)).size === vs.length, 'each view name at most once'),
  /** The scanner's own automatic threat recognition, when it has one. */
  machineResult: MachineResult.optional(),
  source: ScanSource.optional(),
  /** Where the lane or a manifest system knows it: the bag's risk score, for its priority. */
  risk: ScanRisk.optional(),
});
export type ScanSubmit = z.output<typeof ScanSubmit>;
export type ScanSubmitInput = z.input<typeof ScanSubmit>;
