import { z } from 'zod';
import { Id, Timestamp, Uuid, replyOf } from './common.ts';
import { ViewBox } from './scan.ts';

// Threat Image Projection (TIP): the hub projects fictional threat items from a library into a
// share of bags, inside their dual-energy data. Nothing here reaches a screening console before
// its decision on the bag: the assignment is the same message as for any bag.

/** Library item ID, e.g. "tip-knife-02". */
export const TipItemId = Id;

/** One item of the library as `assets/tip/manifest.json` lists it. */
export const TipManifestItem = z.object({
  id: TipItemId,
  /** Threat class, as the simulator and the detector name it: gun, knife, wrench, … */
  class: z.string().min(1).max(64),
  /** What an officer would call it, e.g. "kitchen knife, 31 × 4 cm". */
  description: z.string().min(1).max(200),
  /** The patch file, relative to the manifest (gzip of the encoding in packages/domain/src/tip.ts). */
  file: z.string().regex(/^[A-Za-z0-9._/-]+$/).refine((f) => !f.split('/').includes('..'), 'no ".." in a library path'),
  /** SHA-256 of that file, lower-case hex: a changed file is refused. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Top-view patch size in pixels (length × width of the item as it lies, at the library's pitch). */
  width: z.number().int().min(1).max(4096),
  height: z.number().int().min(1).max(4096),
  /** Whether the hub projects it unless an administrator says otherwise. */
  enabled: z.boolean(),
  /** The seed the generator built it from. */
  seed: z.number().int().min(0),
});
export type TipManifestItem = z.infer<typeof TipManifestItem>;

export const TipManifest = z.object({
  format: z.literal('clearway-tip-library'),
  version: z.literal(1),
  /** Pixel pitch of every patch in mm, across, along and up: the scanner simulator's detector. */
  pitchMm: z.number().positive(),
  /** Patch values are log-attenuation × this (the wire encoding's scale). */
  attenuationScale: z.number().positive(),
  generator: z.object({ tool: z.string(), simulatorVersion: z.string(), seed: z.number().int().min(0) }),
  items: z.array(TipManifestItem).min(1).max(10_000)
    .refine((items) => new Set(items.map((i) => i.id)).size === items.length, 'each item ID at most once'),
});
export type TipManifest = z.infer<typeof TipManifest>;

/** Share of bags that get a projection, 0 to 1. */
export const TipRate = z.number().min(0).max(1);

/** Default share of bags with a projection. */
export const DEFAULT_TIP_RATE = 0.03;

/**
 * The run-time setting `tip.projection` (settings.ts): how many bags get a projection and the
 * administrators' choices per library item, over the manifest's `enabled`.
 */
export const TipSettings = z.object({
  rate: TipRate.default(DEFAULT_TIP_RATE),
  items: z.record(TipItemId, z.boolean()).default({}),
});
export type TipSettings = z.output<typeof TipSettings>;

/** An item as the administrator sees it: the manifest's facts, whether it is projected now, how it fared. */
export const TipLibraryItem = z.object({
  id: TipItemId,
  class: z.string(),
  description: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  enabled: z.boolean(),
  projections: z.number().int().min(0),
  hits: z.number().int().min(0),
  misses: z.number().int().min(0),
});
export type TipLibraryItem = z.infer<typeof TipLibraryItem>;

// ---- console → hub --------------------------------------------------------------------------------

/** Admin: the library and the projection rate. */
export const TipLibraryQuery = z.object({}).strict();
export const TipLibraryReply = replyOf({ rate: TipRate, items: z.array(TipLibraryItem) });
export type TipLibraryReply = z.infer<typeof TipLibraryReply>;

/** Admin: project an item from now on, or stop projecting it. */
export const TipItemSet = z.object({ itemId: TipItemId, enabled: z.boolean() });
export type TipItemSet = z.infer<typeof TipItemSet>;
export const TipItemSetReply = replyOf({ item: TipLibraryItem });
export type TipItemSetReply = z.infer<typeof TipItemSetReply>;

/** What the officer learns about a bag they decided: was it a projection, did they find it. */
const TipResultFields = {
  assignmentId: Uuid,
  bagId: Uuid,
  projected: z.boolean(),
  /** Present when projected: true when the officer sent the bag to search (marking the item, if they marked anything). */
  found: z.boolean().optional(),
  item: z.object({ class: z.string(), description: z.string(), boxes: z.array(ViewBox).min(1).max(2) }).optional(),
  decidedAt: Timestamp,
};

/**
 * Screening officer: the TIP result of an assignment they decided (the same as the `tip:result`
 * push, for a console that missed it). Refused alike for every undecided assignment.
 */
export const TipQuery = z.object({ assignmentId: Uuid });
export const TipQueryReply = replyOf(TipResultFields);
export type TipQueryReply = z.infer<typeof TipQueryReply>;

// ---- hub → console ----------------------------------------------------------------------------------

/**
 * Pushed to the officer's consoles right after the ack of each of their decisions (never
 * before). After a projection the bag comes back, without the item, for a decision on the bag
 * itself.
 */
export const TipResult = z.object(TipResultFields);
export type TipResult = z.infer<typeof TipResult>;
