/**
 * Flight clearance clocks. From on-block, a flight's passengers must be cleared within one target
 * (30 minutes by default) and its checked bags inspected within another (20 minutes). Pure: the
 * flight, its bags with their states, and the time in; each clock's state out.
 *
 * States, in the order they are tested:
 * - cleared: every item is done (nothing to do counts as done at the start). Final; `metTarget`
 *   says whether it was done by the deadline.
 * - arriving: the clock has not started: before on-block, and no bag of the flight seen yet.
 * - breached: past the deadline with work left.
 * - at-risk: the work will probably not be done by the deadline (see `atRiskReason`).
 * - in-progress: otherwise.
 *
 * The clock starts at the reported on-block time; without one, at the estimated (else scheduled)
 * on-block time, or at the first bag seen if that comes earlier (`onBlockAssumed` then says so).
 */
import { DEFAULT_PROJECTION, projectCompletion, type Projection, type ProjectionOptions } from './projection.ts';

export type ClockState = 'arriving' | 'in-progress' | 'at-risk' | 'breached' | 'cleared';
export type ClockName = 'passengers' | 'checkedBags';

export interface ClearanceTargets {
  passengersMinutes: number;
  checkedBagsMinutes: number;
}

/** The field targets (China Customs, Shanghai Pudong): a 300-passenger flight in 30 minutes, its checked bags in about 20. */
export const DEFAULT_TARGETS: ClearanceTargets = { passengersMinutes: 30, checkedBagsMinutes: 20 };

/** The airport's rules for clocks; a flight may bring its own targets. */
export interface ClearancePolicy {
  targets: ClearanceTargets;
  /**
   * null (the default): the passengers' target is the same for every flight: it is what the
   * airport promises a passenger, and a bigger flight gets more officers (see staffing.ts), not
   * more time. A number N: flights with more than N passengers get the target × passengers / N
   * (N = 300 reads the field figure as a rate: 450 passengers → 45 minutes). Smaller flights keep
   * the target either way.
   */
  scalePassengersTargetAbove: number | null;
  projection: ProjectionOptions;
  /**
   * The projection's band end that raises at-risk once the rate rests on enough evidence
   * (`bandEvidence` effective completions): the latest end, i.e. a 1-in-10 chance of missing
   * with the default 80 % band. Before that only the median does, because a band from a handful
   * of completions crosses any deadline and would flag every flight in its first minutes.
   */
  bandEvidence: number;
  /** No projection yet (too few items done) this long after the start, as a share of the target: at risk. Default 0.25. */
  stallShare: number;
}

export const DEFAULT_POLICY: ClearancePolicy = {
  targets: DEFAULT_TARGETS,
  scalePassengersTargetAbove: null,
  projection: DEFAULT_PROJECTION,
  bandEvidence: 50,
  stallShare: 0.25,
};

/** What the clocks need to know about a flight. Times in ms since epoch. */
export interface ClearanceFlight {
  scheduledOnBlock: number;
  estimatedOnBlock?: number | undefined;
  actualOnBlock?: number | undefined;
  passengers: number;
  checkedBags: number;
  cabinBags: number;
  /** The flight's own targets, where the feed gives them. */
  targets?: { passengersMinutes?: number | undefined; checkedBagsMinutes?: number | undefined } | undefined;
}

/**
 * One bag (or passenger) on its way through screening.
 * - waiting: scanned, in the line for an officer;
 * - screening: on an officer's screen;
 * - held: sent to search, outcome not yet known (not done);
 * - done: cleared, or inspected (see the hub for what counts as done per clock).
 */
export type WorkItemState = 'waiting' | 'screening' | 'held' | 'done';

export interface WorkItem {
  state: WorkItemState;
  /** When the item reached screening (scanned). */
  startedAt: number;
  /** When it was done; required for state 'done'. */
  doneAt?: number | undefined;
}

/** A bag as stored (its screening state, when seen, when decided) as a work item: done once decided, on screen while assigned. */
export function workItemOf(state: string, seenAt: number, doneAt: number | null): WorkItem {
  if (doneAt !== null) return { state: 'done', startedAt: seenAt, doneAt };
  return { state: state === 'assigned' ? 'screening' : 'waiting', startedAt: seenAt };
}

export interface Clock {
  state: ClockState;
  /** When the clock started (or will start): on-block. */
  startsAt: number;
  /** True when no on-block time has been reported and `startsAt` is the estimate or the first bag. */
  onBlockAssumed: boolean;
  targetMinutes: number;
  deadline: number;
  /** Items expected: the declared figure, or more when more were seen. */
  total: number;
  /** Items seen at screening so far. */
  started: number;
  done: number;
  held: number;
  remaining: number;
  /** When the last item was done, once the clock is cleared. */
  clearedAt: number | null;
  /** Once cleared: whether that was by the deadline. */
  metTarget: boolean | null;
  projection: Projection | null;
  /** Why the clock is at risk, in words; null unless `state` is 'at-risk'. */
  atRiskReason: string | null;
}

/** The IATA licence plate: ten digits on a checked bag's tag. Cabin bags carry lane-local tags. */
export function isCheckedBagTag(bagTag: string): boolean {
  return /^\d{10}$/.test(bagTag);
}

/** The flight's targets: its own where given, else the airport's, with the size rule applied. */
export function targetsFor(flight: Pick<ClearanceFlight, 'passengers' | 'targets'>, policy: ClearancePolicy = DEFAULT_POLICY): ClearanceTargets {
  const n = policy.scalePassengersTargetAbove;
  const airportPassengers = n !== null && flight.passengers > n ? (policy.targets.passengersMinutes * flight.passengers) / n : policy.targets.passengersMinutes;
  return {
    passengersMinutes: flight.targets?.passengersMinutes ?? airportPassengers,
    checkedBagsMinutes: flight.targets?.checkedBagsMinutes ?? policy.targets.checkedBagsMinutes,
  };
}

/** When the clocks start, and whether that is an assumption. */
export function clockStart(flight: ClearanceFlight, firstItemAt: number | null): { startsAt: number; onBlockAssumed: boolean } {
  if (flight.actualOnBlock !== undefined) return { startsAt: flight.actualOnBlock, onBlockAssumed: false };
  const expected = flight.estimatedOnBlock ?? flight.scheduledOnBlock;
  // Bags on the belt mean the aircraft is in, whatever the estimate said.
  return { startsAt: firstItemAt === null ? expected : Math.min(expected, firstItemAt), onBlockAssumed: true };
}

export interface ClockInput {
  /** Items the flight declared (checked bags, say); the total is never below what was seen. */
  declared: number;
  items: readonly WorkItem[];
  startsAt: number;
  onBlockAssumed: boolean;
  targetMinutes: number;
  now: number;
}

/** One clock's state from its items. */
export function evaluateClock(input: ClockInput, policy: ClearancePolicy = DEFAULT_POLICY): Clock {
  const { items, startsAt, targetMinutes, now } = input;
  const deadline = startsAt + targetMinutes * 60_000;
  const completions: number[] = [];
  let held = 0;
  for (const item of items) {
    if (item.state === 'done') completions.push(item.doneAt ?? item.startedAt);
    else if (item.state === 'held') held++;
  }
  const total = Math.max(input.declared, items.length);
  const done = completions.length;
  const remaining = total - done;
  const base = {
    startsAt, onBlockAssumed: input.onBlockAssumed, targetMinutes, deadline, total, started: items.length, done, held, remaining,
  };
  if (remaining === 0) {
    const clearedAt = done === 0 ? startsAt : Math.max(...completions);
    return { ...base, state: 'cleared', clearedAt, metTarget: clearedAt <= deadline, projection: null, atRiskReason: null };
  }
  const open = { clearedAt: null, metTarget: null };
  if (now < startsAt && items.length === 0) return { ...base, ...open, state: 'arriving', projection: null, atRiskReason: null };
  const projection = projectCompletion(completions, remaining, now, policy.projection);
  if (now > deadline) return { ...base, ...open, state: 'breached', projection, atRiskReason: null };
  const reason = atRiskReason(projection, deadline, startsAt, targetMinutes, now, policy);
  return { ...base, ...open, state: reason ? 'at-risk' : 'in-progress', projection, atRiskReason: reason };
}

function atRiskReason(projection: Projection | null, deadline: number, startsAt: number, targetMinutes: number, now: number, policy: ClearancePolicy): string | null {
  if (!projection) {
    const stallMs = policy.stallShare * targetMinutes * 60_000;
    return now - startsAt >= stallMs ? `too little done ${minutes(now - startsAt)} after on-block to project a finish` : null;
  }
  if (projection.expectedAt > deadline) {
    return projection.expectedAt === Infinity
      ? 'nothing done lately: at this rate it never finishes'
      : `projected to finish ${minutes(projection.expectedAt - deadline)} after the deadline at ${projection.ratePerMin.toFixed(1)}/min`;
  }
  if (projection.effectiveCompletions >= policy.bandEvidence && projection.latestAt > deadline) {
    const pct = Math.round(((1 - policy.projection.confidence) / 2) * 100);
    return `a ${pct} % chance or more of finishing after the deadline (latest ${projection.latestAt === Infinity ? 'never' : `${minutes(projection.latestAt - deadline)} late`})`;
  }
  return null;
}

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(1)} min`;
}

export interface FlightWork {
  /** Checked bags of the flight (IATA licence plates), one item each. */
  checkedBags: readonly WorkItem[];
  /**
   * Cabin bags, standing in for their passengers when the flight has no manifest: the passengers'
   * clock then runs on cabin bags and reports passengers in proportion.
   */
  cabinBags: readonly WorkItem[];
  /**
   * The passengers themselves, where a manifest links them to their bags (`passengerItems`):
   * `total` passengers with bags to screen, `items` those whose first bag has been seen.
   */
  passengers?: { total: number; items: readonly WorkItem[] } | undefined;
}

export interface PassengerClock extends Clock {
  /** The passengers' figures; without a manifest `total`, `done`, `remaining` count cabin bags and these count people. */
  passengersTotal: number;
  passengersDone: number;
  /** 'manifest': real passengers; 'cabin-bags': estimated through their cabin bags. */
  countedBy: 'manifest' | 'cabin-bags';
}

/** One bag of a passenger on the manifest, as a work item for that passenger. */
export interface PassengerBag {
  passengerRef: string;
  /**
   * Done once the bag is cleared, or, when it went to search (a search verdict, or selected from
   * the manifest), once the search outcome is stored; 'held' between decision and outcome.
   */
  item: WorkItem;
}

/**
 * Passengers as work items, from the manifest's bag count per passenger and the bags seen. A
 * passenger starts when their first bag is seen at screening and is done when all their bags on
 * the manifest are done (cleared, or searched with an outcome): they may leave only with every
 * bag. Bags of passengers not on the manifest are left out; passengers without bags on it have
 * nothing to screen and are not counted (`passengersWithBags`).
 */
export function passengerItems(bagsPerPassenger: ReadonlyMap<string, number>, bags: readonly PassengerBag[]): WorkItem[] {
  const byPassenger = new Map<string, WorkItem[]>();
  for (const b of bags) {
    if (!bagsPerPassenger.has(b.passengerRef)) continue;
    const list = byPassenger.get(b.passengerRef);
    if (list) list.push(b.item);
    else byPassenger.set(b.passengerRef, [b.item]);
  }
  const out: WorkItem[] = [];
  for (const [ref, items] of byPassenger) {
    const startedAt = Math.min(...items.map((i) => i.startedAt));
    const done = items.filter((i) => i.state === 'done');
    if (done.length >= (bagsPerPassenger.get(ref) ?? items.length)) {
      out.push({ state: 'done', startedAt, doneAt: Math.max(...done.map((i) => i.doneAt ?? i.startedAt)) });
      continue;
    }
    const open = items.filter((i) => i.state !== 'done');
    // All bags seen so far done and one still to come: the passenger waits for it.
    const state: WorkItemState = open.some((i) => i.state === 'screening') ? 'screening' : open.some((i) => i.state === 'waiting') || open.length === 0 ? 'waiting' : 'held';
    out.push({ state, startedAt });
  }
  return out;
}

/** Passengers on a manifest with at least one bag: those the passengers' clock counts. */
export function passengersWithBags(bagsPerPassenger: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const count of bagsPerPassenger.values()) if (count > 0) n++;
  return n;
}

export interface FlightClocks {
  passengers: PassengerClock;
  checkedBags: Clock;
}

/** Both clocks of a flight. */
export function flightClocks(flight: ClearanceFlight, work: FlightWork, now: number, policy: ClearancePolicy = DEFAULT_POLICY): FlightClocks {
  let firstItemAt: number | null = null;
  for (const item of [...work.checkedBags, ...work.cabinBags]) firstItemAt = firstItemAt === null ? item.startedAt : Math.min(firstItemAt, item.startedAt);
  const { startsAt, onBlockAssumed } = clockStart(flight, firstItemAt);
  const targets = targetsFor(flight, policy);
  const common = { startsAt, onBlockAssumed, now };
  const checkedBags = evaluateClock({ ...common, declared: flight.checkedBags, items: work.checkedBags, targetMinutes: targets.checkedBagsMinutes }, policy);
  if (work.passengers) {
    const people = evaluateClock({ ...common, declared: work.passengers.total, items: work.passengers.items, targetMinutes: targets.passengersMinutes }, policy);
    return { passengers: { ...people, passengersTotal: people.total, passengersDone: people.done, countedBy: 'manifest' }, checkedBags };
  }
  // Without passengers there is no one to clear; without cabin bags the proxy has nothing to count.
  const cabin = evaluateClock(
    { ...common, declared: flight.passengers === 0 ? 0 : flight.cabinBags, items: work.cabinBags, targetMinutes: targets.passengersMinutes },
    policy,
  );
  const passengersTotal = flight.passengers;
  // Rounded down: a passenger counts as cleared only when their share of bags is.
  const passengersDone = cabin.state === 'cleared' ? passengersTotal : cabin.total === 0 ? 0 : Math.floor((passengersTotal * cabin.done) / cabin.total);
  return { passengers: { ...cabin, passengersTotal, passengersDone, countedBy: 'cabin-bags' }, checkedBags };
}

/** A flight that a bag's flight number could belong to: its key and when its clock starts. */
export interface FlightCandidate {
  key: string;
  startsAt: number;
}

/** A bag seen up to this long before its flight's on-block still belongs to it (clock skew, early arrivals). */
export const LINK_EARLY_MS = 2 * 60 * 60_000;
/** A bag seen this long after on-block no longer belongs to that flight. */
export const LINK_LATE_MS = 24 * 60 * 60_000;

/**
 * The flight a bag belongs to, among flights with its flight number: the latest one whose
 * on-block (actual, else estimated, else scheduled; less `LINK_EARLY_MS`) came before the bag was
 * seen, and not more than `LINK_LATE_MS` before. Null when none fits: the bag waits for its flight
 * to appear in the feed.
 */
export function linkBagToFlight(seenAt: number, candidates: readonly FlightCandidate[]): string | null {
  let best: FlightCandidate | null = null;
  for (const c of candidates) {
    if (c.startsAt - LINK_EARLY_MS > seenAt || seenAt - c.startsAt > LINK_LATE_MS) continue;
    if (!best || c.startsAt > best.startsAt || (c.startsAt === best.startsAt && c.key < best.key)) best = c;
  }
  return best?.key ?? null;
}
