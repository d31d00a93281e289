/**
 * The screening line's order: a bag's priority comes from its flight's deadline (time left to the
 * flight's clearance target) and its risk (the boost from risk.ts); within one priority, first in,
 * first out. Priorities are whole steps on purpose, so that arrival order still means something;
 * the result is a WaitingBag for planAssignments / headOfLine, which order by it unchanged.
 * Deadlines come closer while bags wait: recompute with `prioritise` before each planning round.
 */
import type { WaitingBag } from './assignment.ts';

export interface QueuePriorityConfig {
  /** A flight with at most `withinMin` minutes left to its clearance target gives its bags `boost`; the largest applicable boost counts. */
  deadlineBands: readonly { withinMin: number; boost: number }[];
  /** Boost for bags of a flight already past its clearance target. */
  overdueBoost: number;
}

/** One flight's checked baggage in about 20 minutes (facts page): the line tightens over its last 20 minutes. */
export const DEFAULT_QUEUE_PRIORITY: QueuePriorityConfig = {
  deadlineBands: [{ withinMin: 20, boost: 1 }, { withinMin: 10, boost: 2 }, { withinMin: 5, boost: 3 }],
  overdueBoost: 4,
};

export interface QueuedBag {
  bagId: string;
  /** When the hub received the scan (ms since epoch). */
  receivedAt: number;
  /**
   * The flight's clearance target (ms since epoch), e.g. the `deadline` of its clock in
   * clearance.ts; null when the flight has none (no manifest, crew bags).
   */
  flightDeadline: number | null;
  /** From the bag's risk assessment (riskPriorityBoost); 0 without one. */
  riskBoost: number;
}

/** Priority steps from the flight's time left at `now`. */
export function deadlineBoost(flightDeadline: number | null, now: number, config: QueuePriorityConfig): number {
  if (flightDeadline === null) return 0;
  const left = flightDeadline - now;
  let boost = left <= 0 ? config.overdueBoost : 0;
  for (const band of config.deadlineBands) if (left <= band.withinMin * 60_000 && band.boost > boost) boost = band.boost;
  return boost;
}

/** The bag's place in the line at `now`, as the planner reads it. */
export function queueKey(bag: QueuedBag, now: number, config: QueuePriorityConfig): WaitingBag {
  return { bagId: bag.bagId, receivedAt: bag.receivedAt, priority: deadlineBoost(bag.flightDeadline, now, config) + bag.riskBoost };
}

/** The whole waiting line with priorities as of `now`, ready for planAssignments. */
export function prioritise(bags: readonly QueuedBag[], now: number, config: QueuePriorityConfig): WaitingBag[] {
  return bags.map((b) => queueKey(b, now, config));
}
