/**
 * Multiplexed screening: any bag from any lane goes to the first free screening officer.
 * Pure planning only; the hub keeps the state and applies the plan.
 */

export interface WaitingBag {
  bagId: string;
  /** When the hub received the scan (ms since epoch): first in, first out. */
  receivedAt: number;
  /** Higher goes first; equal priorities keep arrival order. Flight deadlines and risk raise it (priority.ts). */
  priority: number;
  /** Officers who must not get this bag: e.g. the one who let its decision time run out. */
  notFor?: readonly string[] | undefined;
}

export interface ScreeningOfficerState {
  officerId: string;
  /** Signed in on at least one console. */
  connected: boolean;
  status: 'available' | 'on-break';
  /** The bag on the officer's screen, if any. One bag at a time. */
  openAssignment: string | null;
  /** When the officer last became free (ms since epoch): the longest-idle officer is served first, for fair load. */
  freeSince: number;
}

export interface PlannedAssignment {
  bagId: string;
  officerId: string;
}

export function isFree(o: ScreeningOfficerState): boolean {
  return o.connected && o.status === 'available' && o.openAssignment === null;
}

/** Orders the waiting line: priority first, then arrival, then id for a total order. */
export function compareWaiting(a: WaitingBag, b: WaitingBag): number {
  return b.priority - a.priority || a.receivedAt - b.receivedAt || (a.bagId < b.bagId ? -1 : a.bagId > b.bagId ? 1 : 0);
}

/**
 * Pairs the head of the waiting line with free officers, longest-idle officer first. A bag that
 * is not for an officer goes to the next free one; it waits when nobody else is free.
 */
export function planAssignments(waiting: readonly WaitingBag[], officers: readonly ScreeningOfficerState[]): PlannedAssignment[] {
  const free = officers.filter(isFree).sort((a, b) => a.freeSince - b.freeSince || (a.officerId < b.officerId ? -1 : 1));
  if (free.length === 0 || waiting.length === 0) return [];
  if (waiting.some((b) => b.notFor !== undefined && b.notFor.length > 0)) return planWithExclusions(waiting, free);
  const line = headOfLine(waiting, free.length);
  return line.flatMap((bag, i) => {
    const officer = free[i];
    return officer ? [{ bagId: bag.bagId, officerId: officer.officerId }] : [];
  });
}

/** Each free officer in turn takes the first bag in line that is not barred to them. */
function planWithExclusions(waiting: readonly WaitingBag[], free: readonly ScreeningOfficerState[]): PlannedAssignment[] {
  const line = [...waiting].sort(compareWaiting);
  const plan: PlannedAssignment[] = [];
  for (const officer of free) {
    const i = line.findIndex((b) => !b.notFor?.includes(officer.officerId));
    if (i < 0) continue;
    const [bag] = line.splice(i, 1);
    if (bag) plan.push({ bagId: bag.bagId, officerId: officer.officerId });
  }
  return plan;
}

/**
 * The first `k` bags of the line in order. Usually one officer has just come free, so this
 * picks by linear scans instead of sorting a line that can hold thousands of bags.
 */
export function headOfLine(waiting: readonly WaitingBag[], k: number): WaitingBag[] {
  if (k >= 8) return [...waiting].sort(compareWaiting).slice(0, k);
  const picked: WaitingBag[] = [];
  const taken = new Set<WaitingBag>();
  for (let n = 0; n < Math.min(k, waiting.length); n++) {
    let best: WaitingBag | undefined;
    for (const b of waiting) if (!taken.has(b) && (best === undefined || compareWaiting(b, best) < 0)) best = b;
    if (!best) break;
    taken.add(best);
    picked.push(best);
  }
  return picked;
}
