/**
 * Pure rules of the screening workspace: which bag is on screen, when a decision may be made,
 * and how the last decision reads.
 */
import type { BagAssigned, Verdict } from '@clearway/protocol';

/** How many decided assignment IDs are remembered to ignore the hub re-sending them. */
const DECIDED_MEMORY = 500;

export interface ScreeningQueue {
  /** Assigned and not yet decided or withdrawn, in arrival order; the first one is on screen. */
  readonly bags: readonly BagAssigned[];
  /** Assignments already decided here (most recent last). */
  readonly decided: readonly string[];
}

export const emptyQueue: ScreeningQueue = { bags: [], decided: [] };

/** A re-sent assignment (e.g. after a reconnect) is shown once, and never again once decided. */
export function assign(queue: ScreeningQueue, bag: BagAssigned): ScreeningQueue {
  const known = queue.decided.includes(bag.assignmentId) || queue.bags.some((b) => b.assignmentId === bag.assignmentId);
  return known ? queue : { ...queue, bags: [...queue.bags, bag] };
}

export function withdraw(queue: ScreeningQueue, assignmentId: string): ScreeningQueue {
  return { ...queue, bags: queue.bags.filter((b) => b.assignmentId !== assignmentId) };
}

/** The bag leaves the screen at once; the hub assigns the next one. */
export function markDecided(queue: ScreeningQueue, assignmentId: string): ScreeningQueue {
  return {
    bags: queue.bags.filter((b) => b.assignmentId !== assignmentId),
    decided: [...queue.decided, assignmentId].slice(-DECIDED_MEMORY),
  };
}

export function currentBag(queue: ScreeningQueue): BagAssigned | undefined {
  return queue.bags[0];
}

/**
 * The decision's timestamps. decidedAt is the key press, but never before shownAt: a clock
 * step backwards would otherwise make a decision the hub refuses as invalid forever.
 */
export function decisionTimes(shownAt: string, pressedAtMs: number): { shownAt: string; decidedAt: string } {
  return { shownAt, decidedAt: new Date(Math.max(pressedAtMs, Date.parse(shownAt))).toISOString() };
}

export type DecisionDelivery = 'waiting' | 'stored' | 'refused';

export interface LastDecision {
  idempotencyKey: string;
  bagTag: string;
  verdict: Verdict;
  delivery: DecisionDelivery;
  error?: string;
}

/** e.g. "Bag 0123456789: clear — stored". */
export function lastDecisionText(decision: LastDecision): string {
  const head = `Bag ${decision.bagTag}: ${decision.verdict}`;
  switch (decision.delivery) {
    case 'stored':
      return `${head} — stored`;
    case 'waiting':
      return `${head} — waiting to send`;
    case 'refused':
      return `${head} — refused: ${decision.error ?? 'no reason given'}`;
  }
}
