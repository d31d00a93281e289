/**
 * The exit check at baggage reclaim. Checked bags are screened on the belt before they reach
 * reclaim; a checked bag flagged for search marks its passenger (found through the manifest and
 * the bag tag), and the officer at the reclaim exit looks out for that passenger and directs them
 * to the search station with the bag. This builds the officer's list: one entry per passenger
 * (or per bag where no manifest names the passenger), whom to look out for first, each bag with
 * its tag and why it was flagged. Pure: the hub gathers the bags from the store.
 */

/** Why a checked bag was flagged. */
export type ExitFlagSource = 'screener' | 'time-limit' | 'risk-rules' | 'random';

export interface FlaggedCheckedBag {
  bagId: string;
  /** The IATA licence plate on the bag. */
  bagTag: string;
  flight: string;
  /** When it was flagged (ms since epoch). */
  flaggedAt: number;
  sources: readonly ExitFlagSource[];
  screenerNote: string | null;
  /** Regions the screener marked on the image. */
  marks: number;
  /** The risk rules' readable reasons, when the rules selected it. */
  riskReasons: readonly string[];
  /** The passenger the manifest gives for this bag tag; null without a manifest entry. */
  passenger: { ref: string; name: string | null } | null;
  /** When the exit officer directed the passenger to the search station; null until then. */
  directedAt: number | null;
  /** The search station's outcome for the bag; null while it is open. */
  outcome: 'threat-found' | 'other-contraband' | 'nothing-found' | null;
  outcomeAt: number | null;
}

/** look-out: the passenger has not been stopped yet; directed: sent to the search station, search open; searched: every bag has its outcome. */
export type ExitCheckState = 'look-out' | 'directed' | 'searched';

export interface ExitCheckBag {
  bagId: string;
  bagTag: string;
  flaggedAt: number;
  reasons: string[];
  state: ExitCheckState;
  outcome: FlaggedCheckedBag['outcome'];
}

export interface ExitCheckEntry {
  /** The passenger's reference, or `bag:<tag>` where the manifest does not name them. */
  key: string;
  passenger: { ref: string; name: string | null } | null;
  flight: string;
  state: ExitCheckState;
  /** The earliest flag among the passenger's bags. */
  flaggedAt: number;
  /** When the last of the passenger's bags got its outcome; null until then. */
  searchedAt: number | null;
  bags: ExitCheckBag[];
}

/** Readable reasons for a flag, in the order an officer would say them. */
export function flagReasons(bag: Pick<FlaggedCheckedBag, 'sources' | 'screenerNote' | 'marks' | 'riskReasons'>): string[] {
  const reasons: string[] = [];
  if (bag.sources.includes('screener')) {
    const marked = bag.marks > 0 ? ` (${bag.marks} region${bag.marks === 1 ? '' : 's'} marked)` : '';
    reasons.push(bag.screenerNote ? `screener: ${bag.screenerNote}${marked}` : `flagged by the screener${marked}`);
  }
  if (bag.sources.includes('time-limit')) reasons.push('not decided within the time limit');
  if (bag.sources.includes('risk-rules')) reasons.push(bag.riskReasons.length > 0 ? `risk rules: ${bag.riskReasons.join('; ')}` : 'selected by the risk rules');
  if (bag.sources.includes('random')) reasons.push('random selection');
  return reasons;
}

function bagState(b: FlaggedCheckedBag): ExitCheckState {
  if (b.outcome !== null) return 'searched';
  return b.directedAt !== null ? 'directed' : 'look-out';
}

const STATE_ORDER: Record<ExitCheckState, number> = { 'look-out': 0, directed: 1, searched: 2 };

/**
 * The exit officer's list: passengers still to look out for first (longest flagged first, they
 * are nearest the exit), then those sent to the search station, then those searched (latest
 * first). A passenger is searched only when every flagged bag of theirs has its outcome.
 */
export function exitCheckList(bags: readonly FlaggedCheckedBag[]): ExitCheckEntry[] {
  const groups = new Map<string, FlaggedCheckedBag[]>();
  for (const b of bags) {
    const key = b.passenger ? b.passenger.ref : `bag:${b.bagTag}`;
    const list = groups.get(key);
    if (list) list.push(b);
    else groups.set(key, [b]);
  }
  const entries = [...groups.entries()].map(([key, list]): ExitCheckEntry => {
    const sorted = [...list].sort((a, b) => a.flaggedAt - b.flaggedAt || (a.bagTag < b.bagTag ? -1 : 1));
    const states = sorted.map(bagState);
    const state: ExitCheckState = states.includes('look-out') ? 'look-out' : states.includes('directed') ? 'directed' : 'searched';
    const first = sorted[0] as FlaggedCheckedBag;
    return {
      key, passenger: first.passenger, flight: first.flight, state, flaggedAt: first.flaggedAt,
      searchedAt: state === 'searched' ? Math.max(...sorted.map((b) => b.outcomeAt ?? 0)) : null,
      bags: sorted.map((b, i) => ({ bagId: b.bagId, bagTag: b.bagTag, flaggedAt: b.flaggedAt, reasons: flagReasons(b), state: states[i] as ExitCheckState, outcome: b.outcome })),
    };
  });
  return entries.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state]
    || (a.state === 'searched' ? (b.searchedAt ?? 0) - (a.searchedAt ?? 0) : a.flaggedAt - b.flaggedAt)
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
