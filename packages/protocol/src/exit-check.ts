import { z } from 'zod';
import { BagTag, FlightNumber, Timestamp, Uuid, replyOf } from './common.ts';
import { PassengerRef } from './manifest.ts';
import { SearchOutcomeKind } from './search.ts';

// The exit check at baggage reclaim (packages/domain/src/exit-check.ts): checked bags flagged on
// the belt mark their passengers, whom the officer at the reclaim exit directs to the search
// station with the bag. Search officers see the list and record that they stopped a passenger;
// the search's outcome is recorded against the bag at the station as for any flagged bag.

export const ExitCheckState = z.enum(['look-out', 'directed', 'searched']);
export type ExitCheckState = z.infer<typeof ExitCheckState>;

export const ExitCheckBag = z.object({
  bagId: Uuid,
  bagTag: BagTag,
  flaggedAt: Timestamp,
  /** Why it was flagged, readable: the screener's note and marks, the time limit, the risk rules' reasons, a random selection. */
  reasons: z.array(z.string().min(1).max(600)).max(10),
  state: ExitCheckState,
  outcome: SearchOutcomeKind.nullable(),
});
export type ExitCheckBag = z.infer<typeof ExitCheckBag>;

/** One passenger to look out for (or one bag, where no manifest names its passenger). */
export const ExitCheckEntry = z.object({
  /** The passenger's reference, or `bag:<tag>`. */
  key: z.string().min(1).max(40),
  passenger: z.object({ ref: PassengerRef, name: z.string().max(100).nullable() }).nullable(),
  flight: FlightNumber,
  state: ExitCheckState,
  flaggedAt: Timestamp,
  searchedAt: Timestamp.nullable(),
  bags: z.array(ExitCheckBag).min(1).max(20),
});
export type ExitCheckEntry = z.infer<typeof ExitCheckEntry>;

/** The most entries a list carries: everyone still open first, then the latest searched. */
export const EXIT_CHECK_MAX_ENTRIES = 300;

/** Hub → search consoles: the whole exit-check list, on sign-in and after every change. */
export const ExitCheckList = z.object({
  entries: z.array(ExitCheckEntry).max(EXIT_CHECK_MAX_ENTRIES),
  at: Timestamp,
});
export type ExitCheckList = z.infer<typeof ExitCheckList>;

/** Search officer → hub: the passenger with these flagged checked bags was stopped and sent to the search station. */
export const ExitCheckDirect = z.object({
  bagIds: z.array(Uuid).min(1).max(20).refine((ids) => new Set(ids).size === ids.length, 'each bag at most once'),
});
export type ExitCheckDirect = z.infer<typeof ExitCheckDirect>;

export const ExitCheckDirectReply = replyOf({
  /** Bags newly marked; a bag already directed, searched, or not a flagged checked bag is left as it was. */
  directed: z.number().int().min(0),
  at: Timestamp,
});
export type ExitCheckDirectReply = z.infer<typeof ExitCheckDirectReply>;
