import { z } from 'zod';
import { Id, Timestamp, Uuid, replyOf } from './common.ts';
import { BagSummary, Detection, MachineResult, ScanView, ViewBox, ViewName } from './scan.ts';
import { DetectionModelRef, DetectionVerdicts } from './console-detection.ts';
import { SearchSelection } from './manifest.ts';

// The search station: bags a screening officer sent to search, with the regions they marked on
// the image and their note, and the search officer's outcome, the ground truth for officer
// statistics (packages/domain/src/officer-performance.ts).

/** The simulator's threat classes (device-adapters/scanner-sim/src/threats.ts), the classes a search officer records. */
export const ThreatClass = z.enum(['gun', 'knife', 'wrench', 'pliers', 'scissors', 'battery', 'lighter', 'hammer']);
export type ThreatClass = z.infer<typeof ThreatClass>;

/** What the search found. A real threat names its class. */
export const SearchOutcomeKind = z.enum(['threat-found', 'other-contraband', 'nothing-found']);
export type SearchOutcomeKind = z.infer<typeof SearchOutcomeKind>;

export const NOTE_MAX_CHARS = 500;
export const MARKS_MAX = 20;

/** A short free-text note from an officer; blank notes are sent as no note. */
export const OfficerNote = z.string().trim().min(1).max(NOTE_MAX_CHARS);

/** Regions the screening officer marked for the search, in the view's image pixels (not screen pixels). */
export const SearchMarks = z.array(ViewBox).max(MARKS_MAX);
export type SearchMarks = z.infer<typeof SearchMarks>;

/** Search officers only: screening officers decide, search officers record what the search found. */
export const SEARCH_ROLES = ['search-officer'] as const;

/**
 * Search officer → hub: the outcome of the search of a flagged bag. Like a decision it carries an
 * idempotency key made when the officer confirms, goes through the console's outbox and is
 * stored at most once; a bag has at most one outcome.
 */
export const SearchOutcomeSubmit = z
  .object({
    idempotencyKey: Uuid,
    bagId: Uuid,
    outcome: SearchOutcomeKind,
    /** Required with 'threat-found', refused otherwise. */
    threatClass: ThreatClass.optional(),
    note: OfficerNote.optional(),
    /** When the officer confirmed it (absent: the hub's time of storing). */
    recordedAt: Timestamp.optional(),
  })
  .refine((o) => (o.outcome === 'threat-found') === (o.threatClass !== undefined), {
    path: ['threatClass'],
    message: 'a threat found names its class; other outcomes name none',
  });
export type SearchOutcomeSubmit = z.infer<typeof SearchOutcomeSubmit>;
export const SearchOutcomeReply = replyOf({
  outcomeId: Uuid,
  /** True when this key was already stored: the earlier outcome stands. */
  duplicate: z.boolean(),
  storedAt: Timestamp,
});
export type SearchOutcomeReply = z.infer<typeof SearchOutcomeReply>;

/** A console model's boxes on the bag, as stored by the screening console that ran it. */
export const SearchConsoleResult = z.object({
  model: DetectionModelRef,
  alarm: z.boolean(),
  detections: z.array(Detection).max(200),
});
export type SearchConsoleResult = z.output<typeof SearchConsoleResult>;

/** One bag waiting at the search station (no images: `search:bag` fetches them for the bag on screen). */
export const SearchBag = z.object({
  bag: BagSummary,
  decisionId: Uuid,
  /** When the search decision was stored: the bag's place in the station's line. */
  flaggedAt: Timestamp,
  screener: z.object({ id: Id, name: z.string().min(1).max(100) }),
  marks: SearchMarks,
  note: OfficerNote.optional(),
  /** The view names and sizes, so marks can be drawn before the images arrive. */
  views: z.array(z.object({ view: ViewName, width: z.number().int().positive(), height: z.number().int().positive() })).min(1).max(2),
  machineResult: MachineResult.optional(),
  consoleResults: z.array(SearchConsoleResult).max(10).default([]),
  /** The screener's verdict on each console detection shown, when the console sent them. */
  detectionVerdicts: DetectionVerdicts.optional(),
  /** Selected for search from the flight's manifest (risk rules or the random draw), whatever the screener decided. */
  selection: SearchSelection.optional(),
});
export type SearchBag = z.output<typeof SearchBag>;
export type SearchBagInput = z.input<typeof SearchBag>;

/**
 * Hub → search officers: the whole line on sign-in (oldest first), then each bag that joins it
 * and each that leaves it (an outcome recorded at any search console).
 */
export const SearchQueuePush = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('snapshot'), bags: z.array(SearchBag).max(500), at: Timestamp }),
  z.object({ kind: z.literal('added'), bag: SearchBag, at: Timestamp }),
  z.object({ kind: z.literal('removed'), bagId: Uuid, reason: z.enum(['outcome-recorded']), at: Timestamp }),
]);
export type SearchQueuePush = z.output<typeof SearchQueuePush>;

/** Search officer → hub: the images of one flagged bag. */
export const SearchBagQuery = z.object({ bagId: Uuid });
export const SearchBagReply = replyOf({ bagId: Uuid, views: z.array(ScanView).min(1).max(2) });
export type SearchBagReply = z.output<typeof SearchBagReply>;
