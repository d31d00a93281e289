/**
 * The flight report after clearance: what happened to a flight at screening, for the shift lead
 * and the airport. Pure: the flight, its feed history, the bags carrying its number (with their
 * assignments, decisions and search outcomes) and every officer decision around it in; the report
 * out. The same data gives the same report, whoever asks (hub, CLI, replay).
 *
 * - Timeline: schedule and feed changes, first and last bag, each clock's state changes (found by
 *   re-running the clocks every `stepMs` over the bags as they were then).
 * - Throughput per `bucketMs` (5 min): bags arrived and decided, officers deciding, what was left.
 * - Time to clear against each target, breaches, and their likely causes, each with its evidence:
 *   too few officers for the rate the deadline needed while bags waited, officers deciding well
 *   below the staffing figure's pace while bags waited, a lane that stopped
 *   delivering while the others ran, bags still waiting for search at the deadline, bags that
 *   reached screening after the deadline, decisions the time limit made.
 *
 * Every text has an English rendering (`text`) and its figures (`values`) so a console can say it
 * in its own language.
 */
import {
  DEFAULT_POLICY, flightClocks, isCheckedBagTag, linkBagToFlight,
  type ClearanceFlight, type ClearancePolicy, type ClockName, type ClockState, type FlightClocks, type WorkItem,
} from './clearance.ts';
import { DEFAULT_STAFFING, type StaffingOptions } from './staffing.ts';

const MIN = 60_000;
/** Officers deciding at under this share of the staffing figure's pace count as slow. */
const SLOW_SHARE = 0.7;

// ---- input ------------------------------------------------------------------------------------

/** A flight as the hub stores it (times as ISO 8601 strings). */
export interface ReportFlightInput {
  key: string;
  flight: string;
  date: string;
  origin: string;
  aircraft: string;
  scheduledOnBlock: string;
  estimatedOnBlock?: string | undefined;
  actualOnBlock?: string | undefined;
  stand?: string | undefined;
  gate?: string | undefined;
  passengers: number;
  checkedBags: number;
  cabinBags: number;
  targets?: { passengersMinutes?: number | undefined; checkedBagsMinutes?: number | undefined } | undefined;
  cancelled: boolean;
}

/** One entry of the flight's feed history: its arrival, revisions and live updates. */
export interface ReportFeedEntry {
  kind: 'arrival' | 'delay' | 'stand' | 'on-block' | 'cancelled';
  /** The update's fields (stand, gate, estimatedOnBlock, actualOnBlock, reason). */
  detail: unknown;
  /** When the feed learned it (null for arrivals); else when the hub received it. */
  at: string | null;
  receivedAt: string;
}

/** A bag carrying the flight's number, with what happened to it at screening. */
export interface ReportBagInput {
  bagId: string;
  bagTag: string;
  lane: string;
  /** When the hub received the scan: the bag reached screening. */
  receivedAt: string;
  /** When an officer first got it; null while it has only waited. */
  firstAssignedAt: string | null;
  /** The officer it is on screen with now (open assignment), if any. */
  screeningOfficer: string | null;
  /** The first stored decision; `storedAt` is when it counted for the clocks. */
  decision: { verdict: 'clear' | 'search'; officerId: string; storedAt: string; madeBy: 'officer' | 'time-limit' } | null;
  /** The search station's outcome, for a bag sent to search. */
  search: { outcome: string; storedAt: string } | null;
  /** Its flight's manifest selected it for search: it goes to the station whatever the verdict (risk.ts). */
  selectedForSearch?: boolean;
}

/** The bag goes to the search station: a search verdict, or any verdict on a bag its manifest selected. */
export function sentToSearch(b: Pick<ReportBagInput, 'decision' | 'selectedForSearch'>): boolean {
  return b.decision !== null && (b.decision.verdict === 'search' || b.selectedForSearch === true);
}

export interface FlightReportInput {
  flight: ReportFlightInput;
  /** Every flight with the same number (this one among them): a bag belongs to the nearest on-block. */
  sameNumber: readonly ReportFlightInput[];
  /** Bags carrying the flight number around the flight's time; those of other flights are left out. */
  bags: readonly ReportBagInput[];
  feed: readonly ReportFeedEntry[];
  /** Officers' decisions on any flight's bags around the flight: who was deciding, and when. */
  officerDecisions: readonly { officerId: string; at: string }[];
}

export interface FlightReportOptions {
  /** The report's time (ms since epoch): the clocks are evaluated here if not cleared. */
  now: number;
  policy?: ClearancePolicy;
  /** Seconds per image and the load limit: what "enough officers" means (staffing.ts). */
  staffing?: Partial<Pick<StaffingOptions, 'secondsPerItem' | 'maxUtilisation'>>;
  /** Throughput bucket. Default 5 minutes. */
  bucketMs?: number;
  /** How finely the clocks' state changes are looked for. Default 30 s. */
  stepMs?: number;
  /** A lane without bags this long while other lanes delivered counts as stopped. Default 5 minutes. */
  laneGapMs?: number;
}

// ---- output -----------------------------------------------------------------------------------

export type ReportValues = Record<string, string | number>;

export interface ReportClock {
  state: ClockState;
  targetMinutes: number;
  deadline: string;
  /** Passengers for the passengers' clock, bags for the checked bags'. */
  total: number;
  done: number;
  clearedAt: string | null;
  /** From the clock's start to cleared. */
  minutesToClear: number | null;
  metTarget: boolean | null;
  /** The first time the clock was at risk, and when it breached. */
  atRiskAt: string | null;
  breachedAt: string | null;
}

export type TimelineKind =
  | 'scheduled' | 'delay' | 'stand' | 'on-block' | 'cancelled'
  | 'first-bag' | 'last-bag' | 'at-risk' | 'on-track' | 'breached' | 'cleared';

export interface TimelineEvent {
  at: string;
  kind: TimelineKind;
  clock: ClockName | null;
  text: string;
  values: ReportValues;
}

export interface ThroughputBucket {
  from: string;
  to: string;
  /** The flight's bags that reached screening in the bucket. */
  arrived: number;
  /** The flight's bags decided in the bucket, checked and cabin. */
  decided: number;
  checkedDecided: number;
  cabinDecided: number;
  perMin: number;
  /** Officers who decided any bag (any flight) in the bucket. */
  officers: number;
  /** Left at the bucket's end (or at the report's time). */
  checkedRemaining: number;
  cabinRemaining: number;
  /** Mean wait for an officer of the flight's bags first assigned in the bucket; null for none. */
  meanWaitS: number | null;
}

export interface Breach {
  clock: ClockName;
  deadline: string;
  clearedAt: string | null;
  /** How late it cleared, or has been so far. */
  lateMinutes: number;
  /** Items (passengers or bags) not done at the deadline. */
  remainingAtDeadline: number;
}

export type CauseKind = 'understaffed' | 'slow-decisions' | 'lane-stopped' | 'search-waiting' | 'late-bags' | 'time-limit';

export interface Cause {
  kind: CauseKind;
  from: string | null;
  to: string | null;
  clock: ClockName | null;
  text: string;
  values: ReportValues;
}

export interface FlightReport {
  flightId: string;
  flight: string;
  date: string;
  origin: string;
  aircraft: string;
  stand: string | null;
  passengers: number;
  checkedBags: number;
  cabinBags: number;
  generatedAt: string;
  onBlock: string;
  onBlockAssumed: boolean;
  /** Both clocks cleared: the report is final. */
  complete: boolean;
  clocks: Record<ClockName, ReportClock>;
  bags: { total: number; checked: number; cabin: number; cleared: number; searched: number; timeLimit: number; open: number; searchOpen: number };
  timeline: TimelineEvent[];
  throughput: ThroughputBucket[];
  breaches: Breach[];
  causes: Cause[];
}

// ---- building -------------------------------------------------------------------------------------

interface Bag {
  input: ReportBagInput;
  checked: boolean;
  seenAt: number;
  assignedAt: number | null;
  /** Decision time, if by the report's time. */
  doneAt: number | null;
}

const expectedOnBlock = (f: ReportFlightInput) => Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock);

/** The bags that count toward this flight: by number and time, as the hub links them (clearance.ts). */
export function bagsOfFlight(input: Pick<FlightReportInput, 'flight' | 'sameNumber' | 'bags'>): ReportBagInput[] {
  const candidates = input.sameNumber.filter((f) => !f.cancelled && f.flight === input.flight.flight).map((f) => ({ key: f.key, startsAt: expectedOnBlock(f) }));
  if (!candidates.some((c) => c.key === input.flight.key) && !input.flight.cancelled) candidates.push({ key: input.flight.key, startsAt: expectedOnBlock(input.flight) });
  return input.bags.filter((b) => linkBagToFlight(Date.parse(b.receivedAt), candidates) === input.flight.key);
}

function clearanceFlight(f: ReportFlightInput): ClearanceFlight {
  const ms = (s: string | undefined) => (s === undefined ? undefined : Date.parse(s));
  return {
    scheduledOnBlock: Date.parse(f.scheduledOnBlock), estimatedOnBlock: ms(f.estimatedOnBlock), actualOnBlock: ms(f.actualOnBlock),
    passengers: f.passengers, checkedBags: f.checkedBags, cabinBags: f.cabinBags, targets: f.targets,
  };
}

/** The clocks as they stood at `t`: bags seen by then, decided by then. */
function clocksAt(flight: ClearanceFlight, bags: readonly Bag[], t: number, policy: ClearancePolicy): FlightClocks {
  const checked: WorkItem[] = [];
  const cabin: WorkItem[] = [];
  for (const b of bags) {
    if (b.seenAt > t) continue;
    const item: WorkItem = b.doneAt !== null && b.doneAt <= t ? { state: 'done', startedAt: b.seenAt, doneAt: b.doneAt } : { state: 'waiting', startedAt: b.seenAt };
    (b.checked ? checked : cabin).push(item);
  }
  return flightClocks(flight, { checkedBags: checked, cabinBags: cabin }, t, policy);
}

export function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

const iso = (ms: number) => new Date(ms).toISOString();
const round1 = (x: number) => Math.round(x * 10) / 10;
const CLOCK_WORDS: Record<ClockName, string> = { passengers: 'passengers', checkedBags: 'checked bags' };

function rate(x: number): string {
  return x >= 10 ? String(Math.round(x)) : String(round1(x));
}

export function buildFlightReport(input: FlightReportInput, options: FlightReportOptions): FlightReport {
  const now = options.now;
  const policy = options.policy ?? DEFAULT_POLICY;
  const secondsPerItem = options.staffing?.secondsPerItem ?? DEFAULT_STAFFING.secondsPerItem;
  const maxUtilisation = options.staffing?.maxUtilisation ?? DEFAULT_STAFFING.maxUtilisation;
  const bucketMs = options.bucketMs ?? 5 * MIN;
  const laneGapMs = options.laneGapMs ?? 5 * MIN;
  const f = input.flight;
  const flight = clearanceFlight(f);

  const bags: Bag[] = bagsOfFlight(input)
    .map((b) => {
      const decided = b.decision === null ? null : Date.parse(b.decision.storedAt);
      return {
        input: b, checked: isCheckedBagTag(b.bagTag), seenAt: Date.parse(b.receivedAt),
        assignedAt: b.firstAssignedAt === null ? null : Date.parse(b.firstAssignedAt),
        doneAt: decided !== null && decided <= now ? decided : null,
      };
    })
    .filter((b) => b.seenAt <= now)
    .sort((a, b) => a.seenAt - b.seenAt);

  const final = clocksAt(flight, bags, now, policy);
  const start = final.checkedBags.startsAt;
  const complete = final.passengers.state === 'cleared' && final.checkedBags.state === 'cleared';
  const end = Math.max(start, complete ? Math.max(final.passengers.clearedAt ?? start, final.checkedBags.clearedAt ?? start) : now);

  // ---- the clocks over time ----
  const clockNames: ClockName[] = ['passengers', 'checkedBags'];
  const clockEvents: TimelineEvent[] = [];
  const atRiskAt: Record<ClockName, number | null> = { passengers: null, checkedBags: null };
  let stepMs = options.stepMs ?? 30_000;
  // Long open flights: at most ~2,000 evaluations.
  if ((end - start) / stepMs > 2000) stepMs = Math.ceil((end - start) / 2000);
  const prev: Record<ClockName, ClockState | null> = { passengers: null, checkedBags: null };
  // Nothing to look back on before the clocks start.
  for (let t = start; now >= start; t = Math.min(end, t + stepMs)) {
    const clocks = clocksAt(flight, bags, t, policy);
    for (const name of clockNames) {
      const c = clocks[name];
      const before = prev[name];
      prev[name] = c.state;
      if (before === c.state) continue;
      const unit = CLOCK_WORDS[name];
      if (c.state === 'at-risk') {
        atRiskAt[name] ??= t;
        const reason = c.atRiskReason ?? '';
        clockEvents.push({ at: iso(t), kind: 'at-risk', clock: name, text: `${unit}: at risk${reason ? ` (${reason})` : ''}`, values: { reason } });
      } else if (c.state === 'in-progress' && before === 'at-risk') {
        clockEvents.push({ at: iso(t), kind: 'on-track', clock: name, text: `${unit}: back on track`, values: {} });
      } else if (c.state === 'breached') {
        const left = name === 'passengers' ? clocks.passengers.passengersTotal - clocks.passengers.passengersDone : c.remaining;
        clockEvents.push({ at: iso(c.deadline), kind: 'breached', clock: name, text: `${unit}: target of ${c.targetMinutes} min missed, ${left} left`, values: { target: c.targetMinutes, remaining: left } });
      } else if (c.state === 'cleared' && c.clearedAt !== null) {
        const minutes = round1((c.clearedAt - c.startsAt) / MIN);
        const met = c.metTarget === true;
        clockEvents.push({
          at: iso(c.clearedAt), kind: 'cleared', clock: name,
          text: `${unit}: cleared in ${minutes} min (target ${c.targetMinutes})${met ? '' : ', late'}`, values: { minutes, target: c.targetMinutes, met: met ? 1 : 0 },
        });
      }
    }
    if (t >= end) break;
  }

  // ---- timeline ----
  const timeline: TimelineEvent[] = [];
  const sched = Date.parse(f.scheduledOnBlock);
  timeline.push({ at: iso(sched), kind: 'scheduled', clock: null, text: `scheduled on block from ${f.origin} (${f.aircraft})`, values: { origin: f.origin, aircraft: f.aircraft } });
  for (const e of input.feed) {
    const d = (typeof e.detail === 'object' && e.detail !== null ? e.detail : {}) as Record<string, unknown>;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
    const at = Date.parse(e.at ?? e.receivedAt);
    if (e.kind === 'delay' && str('estimatedOnBlock')) {
      const eta = Date.parse(str('estimatedOnBlock'));
      timeline.push({ at: iso(at), kind: 'delay', clock: null, text: `new estimate: on block ${hhmm(eta)}`, values: { time: hhmm(eta), estimatedOnBlock: iso(eta) } });
    } else if (e.kind === 'stand' && str('stand')) {
      timeline.push({ at: iso(at), kind: 'stand', clock: null, text: `stand changed to ${str('stand')}`, values: { stand: str('stand') } });
    } else if (e.kind === 'on-block' && str('actualOnBlock')) {
      timeline.push({ at: iso(Date.parse(str('actualOnBlock'))), kind: 'on-block', clock: null, text: 'on block: the clocks start', values: {} });
    } else if (e.kind === 'cancelled') {
      const reason = str('reason');
      timeline.push({ at: iso(at), kind: 'cancelled', clock: null, text: `cancelled${reason ? `: ${reason}` : ''}`, values: { reason } });
    }
  }
  const first = bags[0];
  const last = bags[bags.length - 1];
  if (first) timeline.push({ at: iso(first.seenAt), kind: 'first-bag', clock: null, text: `first bag at screening (${first.input.lane})`, values: { lane: first.input.lane } });
  if (last && last !== first) timeline.push({ at: iso(last.seenAt), kind: 'last-bag', clock: null, text: `last bag${complete ? '' : ' so far'} at screening (${last.input.lane})`, values: { lane: last.input.lane, count: bags.length } });
  timeline.push(...clockEvents);
  // Stable: events at the same moment keep the order they were made in.
  timeline.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  // ---- throughput ----
  const officerAt = input.officerDecisions.map((d) => ({ officerId: d.officerId, at: Date.parse(d.at) })).filter((d) => d.at <= now);
  const gridFrom = Math.floor(Math.min(start, first?.seenAt ?? start) / bucketMs) * bucketMs;
  const gridTo = Math.max(gridFrom + bucketMs, Math.ceil(end / bucketMs) * bucketMs);
  const checkedTotal = final.checkedBags.total;
  const cabinTotal = final.passengers.total;
  const throughput: ThroughputBucket[] = [];
  // At most a day of buckets: the latest ones.
  const firstBucket = Math.max(gridFrom, gridTo - 288 * bucketMs);
  for (let b0 = firstBucket; b0 < gridTo; b0 += bucketMs) {
    const b1 = b0 + bucketMs;
    const inBucket = (t: number | null) => t !== null && t >= b0 && t < b1;
    const until = Math.min(b1, now);
    let arrived = 0, checkedDecided = 0, cabinDecided = 0, checkedDone = 0, cabinDone = 0, waitSum = 0, waitN = 0;
    for (const b of bags) {
      if (inBucket(b.seenAt)) arrived++;
      if (inBucket(b.doneAt)) {
        if (b.checked) checkedDecided++;
        else cabinDecided++;
      }
      if (b.doneAt !== null && b.doneAt < until) {
        if (b.checked) checkedDone++;
        else cabinDone++;
      }
      if (inBucket(b.assignedAt) && b.assignedAt !== null) {
        waitSum += b.assignedAt - b.seenAt;
        waitN++;
      }
    }
    const officers = new Set(officerAt.filter((d) => inBucket(d.at)).map((d) => d.officerId)).size;
    const decided = checkedDecided + cabinDecided;
    throughput.push({
      from: iso(b0), to: iso(b1), arrived, decided, checkedDecided, cabinDecided, perMin: round1(decided / (bucketMs / MIN)), officers,
      checkedRemaining: Math.max(0, checkedTotal - checkedDone), cabinRemaining: Math.max(0, cabinTotal - cabinDone),
      meanWaitS: waitN > 0 ? Math.round(waitSum / waitN / 1000) : null,
    });
  }

  // ---- breaches ----
  const breaches: Breach[] = [];
  for (const name of clockNames) {
    const c = final[name];
    if (!(c.state === 'breached' || c.metTarget === false)) continue;
    const atDeadline = clocksAt(flight, bags, c.deadline, policy);
    const remainingAtDeadline = name === 'passengers' ? atDeadline.passengers.passengersTotal - atDeadline.passengers.passengersDone : atDeadline.checkedBags.remaining;
    breaches.push({
      clock: name, deadline: iso(c.deadline), clearedAt: c.clearedAt === null ? null : iso(c.clearedAt),
      lateMinutes: round1(((c.clearedAt ?? now) - c.deadline) / MIN), remainingAtDeadline,
    });
  }

  // ---- likely causes ----
  const causes: Cause[] = [];
  const deadlines: Record<ClockName, number> = { passengers: final.passengers.deadline, checkedBags: final.checkedBags.deadline };
  const totals = { checked: checkedTotal, cabin: cabinTotal };

  // Too few officers for the rate the deadlines needed, while the flight's bags waited for one.
  type Short = { from: number; to: number; officers: number; needed: number; perMin: number };
  const shorts: Short[] = [];
  const waitedBuckets: { from: number; to: number }[] = [];
  for (let b0 = Math.max(gridFrom, firstBucket); b0 < gridTo; b0 += bucketMs) {
    const b1 = b0 + bucketMs;
    const t0 = Math.max(b0, start);
    if (t0 >= Math.min(b1, end)) continue;
    let needPerMin = 0;
    for (const [checked, name] of [[true, 'checkedBags'], [false, 'passengers']] as const) {
      const left = (checked ? totals.checked : totals.cabin) - bags.filter((b) => b.checked === checked && b.doneAt !== null && b.doneAt <= t0).length;
      const minutesLeft = (deadlines[name] - t0) / MIN;
      if (left > 0 && minutesLeft > 0) needPerMin += left / minutesLeft;
    }
    if (needPerMin <= 0) continue;
    // Bags of the flight waited for an officer for at least 30 s of the bucket.
    const waited = bags.some((b) => {
      const until = b.assignedAt ?? b.doneAt ?? now;
      return Math.min(until, b1) - Math.max(b.seenAt, b0) >= 30_000;
    });
    if (!waited) continue;
    waitedBuckets.push({ from: b0, to: b1 });
    const needed = Math.ceil((needPerMin * secondsPerItem) / 60 / maxUtilisation - 1e-9);
    const officers = new Set(officerAt.filter((d) => d.at >= b0 && d.at < b1).map((d) => d.officerId)).size;
    if (officers >= needed) continue;
    const prior = shorts[shorts.length - 1];
    // A stretch keeps the rate and crew its start needed (enough then would have been enough
    // after); the most officers seen in it, so as not to overstate the shortfall.
    if (prior && prior.to === b0) {
      prior.to = b1;
      prior.officers = Math.max(prior.officers, officers);
    } else shorts.push({ from: b0, to: b1, officers, needed, perMin: needPerMin });
  }
  // Officers slower than the staffing figure while the flight's bags waited: the same crew at the
  // expected pace would have kept up. Their decisions on any flight count: they were all work.
  const expectedPerMin = 60 / secondsPerItem;
  let slowFrom: number | null = null, slowTo = 0, slowDecisions = 0, slowOfficerMinutes = 0;
  for (const w of waitedBuckets) {
    const mine = officerAt.filter((d) => d.at >= w.from && d.at < w.to);
    const officers = new Set(mine.map((d) => d.officerId)).size;
    if (officers === 0) continue;
    slowFrom ??= w.from;
    slowTo = w.to;
    slowDecisions += mine.length;
    slowOfficerMinutes += (officers * (w.to - w.from)) / MIN;
  }
  const pace = slowOfficerMinutes > 0 ? slowDecisions / slowOfficerMinutes : null;
  // A pace below the figure matters only where it cost something: a clock at risk or breached.
  const trouble = breaches.length > 0 || atRiskAt.passengers !== null || atRiskAt.checkedBags !== null;
  if (trouble && slowFrom !== null && pace !== null && pace < SLOW_SHARE * expectedPerMin) {
    const values = { from: hhmm(slowFrom), to: hhmm(slowTo), perOfficerPerMin: rate(pace), expectedPerMin: rate(expectedPerMin), secondsPerItem };
    causes.push({
      kind: 'slow-decisions', from: iso(slowFrom), to: iso(slowTo), clock: null, values,
      text: `slow decisions ${values.from}–${values.to}: ${values.perOfficerPerMin} bags/min per officer while bags waited (${values.expectedPerMin} expected at ${secondsPerItem} s per bag)`,
    });
  }
  for (const s of shorts) {
    const values = { from: hhmm(s.from), to: hhmm(s.to), officers: s.officers, needed: s.needed, perMin: rate(s.perMin), secondsPerItem };
    causes.push({
      kind: 'understaffed', from: iso(s.from), to: iso(s.to), clock: null, values,
      text: `understaffed ${values.from}–${values.to}: ${s.officers} officer${s.officers === 1 ? '' : 's'} for ${values.perMin} bags/min (${s.needed} needed at ${secondsPerItem} s per bag)`,
    });
  }

  // A lane that stopped delivering while the others ran.
  if (first && last) {
    const lanes = new Map<string, number[]>();
    for (const b of bags) {
      const list = lanes.get(b.input.lane);
      if (list) list.push(b.seenAt);
      else lanes.set(b.input.lane, [b.seenAt]);
    }
    const othersBetween = (lane: string, from: number, to: number) => bags.filter((b) => b.input.lane !== lane && b.seenAt > from && b.seenAt < to).length;
    for (const [lane, times] of [...lanes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (lanes.size < 2 || times.length < 3) continue;
      for (let i = 1; i < times.length; i++) {
        const from = times[i - 1] ?? 0;
        const to = times[i] ?? 0;
        if (to - from < laneGapMs || othersBetween(lane, from, to) === 0) continue;
        const minutes = round1((to - from) / MIN);
        causes.push({
          kind: 'lane-stopped', from: iso(from), to: iso(to), clock: null, values: { lane, from: hhmm(from), to: hhmm(to), minutes },
          text: `${lane} stopped ${hhmm(from)}–${hhmm(to)}: no bags for ${minutes} min while other lanes ran`,
        });
      }
      const laneLast = times[times.length - 1] ?? 0;
      if (last.seenAt - laneLast >= laneGapMs && othersBetween(lane, laneLast, Infinity) >= 3) {
        causes.push({
          kind: 'lane-stopped', from: iso(laneLast), to: null, clock: null, values: { lane, from: hhmm(laneLast), to: '', minutes: round1((last.seenAt - laneLast) / MIN) },
          text: `${lane} stopped at ${hhmm(laneLast)}: no more bags from it while other lanes ran`,
        });
      }
    }
  }

  // Bags sent to search with no outcome yet when the passengers' deadline came.
  const searched = bags.filter((b) => sentToSearch(b.input) && b.doneAt !== null);
  const paxDeadline = deadlines.passengers;
  if (paxDeadline <= now && searched.length > 0) {
    const waiting = searched.filter((b) => (b.doneAt ?? Infinity) <= paxDeadline && (b.input.search === null || Date.parse(b.input.search.storedAt) > paxDeadline)).length;
    if (waiting > 0) {
      const values = { count: waiting, searched: searched.length, deadline: hhmm(paxDeadline) };
      causes.push({
        kind: 'search-waiting', from: null, to: iso(paxDeadline), clock: 'passengers', values,
        text: `${waiting} bag${waiting === 1 ? '' : 's'} waiting for search at the passengers' deadline ${values.deadline} (of ${searched.length} sent to search)`,
      });
    }
  }

  // Bags that reached screening after their clock's deadline: late off the aircraft, not slow screening.
  for (const [checked, name] of [[true, 'checkedBags'], [false, 'passengers']] as const) {
    const late = bags.filter((b) => b.checked === checked && b.seenAt > deadlines[name]);
    const lastLate = late[late.length - 1];
    if (!lastLate) continue;
    const what = checked ? 'checked bag' : 'cabin bag';
    const values = { count: late.length, last: hhmm(lastLate.seenAt), deadline: hhmm(deadlines[name]) };
    causes.push({
      kind: 'late-bags', from: iso(deadlines[name]), to: iso(lastLate.seenAt), clock: name, values,
      text: `${late.length} ${what}${late.length === 1 ? '' : 's'} reached screening after the deadline ${values.deadline} (last at ${values.last})`,
    });
  }

  const timedOut = bags.filter((b) => b.input.decision?.madeBy === 'time-limit' && b.doneAt !== null).length;
  if (timedOut > 0) {
    causes.push({
      kind: 'time-limit', from: null, to: null, clock: null, values: { count: timedOut },
      text: `${timedOut} bag${timedOut === 1 ? '' : 's'} ran out of decision time and went to search`,
    });
  }

  const reportClock = (name: ClockName): ReportClock => {
    const c = final[name];
    const people = name === 'passengers';
    const breachEvent = clockEvents.find((e) => e.clock === name && e.kind === 'breached');
    return {
      state: c.state, targetMinutes: c.targetMinutes, deadline: iso(c.deadline),
      total: people ? final.passengers.passengersTotal : c.total, done: people ? final.passengers.passengersDone : c.done,
      clearedAt: c.clearedAt === null ? null : iso(c.clearedAt),
      minutesToClear: c.clearedAt === null ? null : round1((c.clearedAt - c.startsAt) / MIN),
      metTarget: c.metTarget,
      atRiskAt: atRiskAt[name] === null ? null : iso(atRiskAt[name]),
      breachedAt: breachEvent ? breachEvent.at : null,
    };
  };

  const decided = bags.filter((b) => b.doneAt !== null);
  return {
    flightId: f.key, flight: f.flight, date: f.date, origin: f.origin, aircraft: f.aircraft, stand: f.stand ?? null,
    passengers: f.passengers, checkedBags: f.checkedBags, cabinBags: f.cabinBags,
    generatedAt: iso(now), onBlock: iso(start), onBlockAssumed: final.checkedBags.onBlockAssumed, complete,
    clocks: { passengers: reportClock('passengers'), checkedBags: reportClock('checkedBags') },
    bags: {
      total: bags.length, checked: bags.filter((b) => b.checked).length, cabin: bags.filter((b) => !b.checked).length,
      cleared: decided.filter((b) => !sentToSearch(b.input)).length, searched: searched.length, timeLimit: timedOut,
      open: bags.length - decided.length, searchOpen: searched.filter((b) => b.input.search === null).length,
    },
    timeline, throughput, breaches, causes,
  };
}

// ---- CSV ----------------------------------------------------------------------------------------

/** One CSV field: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function field(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const row = (...cells: (string | number | boolean | null)[]) => cells.map(field).join(',');

/**
 * The report as CSV, in sections separated by a blank line (summary, clocks, throughput, timeline,
 * breaches, causes); the first column names the section, so each can be filtered in a spreadsheet.
 */
export function flightReportCsv(r: FlightReport): string {
  const lines: string[] = [];
  lines.push(row('section', 'field', 'value'));
  const summary: [string, string | number | boolean | null][] = [
    ['flight', r.flight], ['flight id', r.flightId], ['date', r.date], ['origin', r.origin], ['aircraft', r.aircraft], ['stand', r.stand],
    ['passengers', r.passengers], ['checked bags declared', r.checkedBags], ['cabin bags declared', r.cabinBags],
    ['on block', r.onBlock], ['on block assumed', r.onBlockAssumed], ['report complete', r.complete], ['generated at', r.generatedAt],
    ['bags seen', r.bags.total], ['checked bags seen', r.bags.checked], ['cabin bags seen', r.bags.cabin], ['cleared', r.bags.cleared],
    ['sent to search', r.bags.searched], ['by the time limit', r.bags.timeLimit], ['not decided', r.bags.open], ['search outcome open', r.bags.searchOpen],
  ];
  for (const [k, v] of summary) lines.push(row('summary', k, v));
  lines.push('');
  lines.push(row('clock', 'state', 'target min', 'deadline', 'total', 'done', 'cleared at', 'minutes to clear', 'met target', 'at risk at', 'breached at'));
  for (const name of ['passengers', 'checkedBags'] as const) {
    const c = r.clocks[name];
    lines.push(row(CLOCK_WORDS[name], c.state, c.targetMinutes, c.deadline, c.total, c.done, c.clearedAt, c.minutesToClear, c.metTarget, c.atRiskAt, c.breachedAt));
  }
  lines.push('');
  lines.push(row('throughput from', 'to', 'arrived', 'decided', 'checked decided', 'cabin decided', 'per min', 'officers', 'checked remaining', 'cabin remaining', 'mean wait s'));
  for (const b of r.throughput) lines.push(row(b.from, b.to, b.arrived, b.decided, b.checkedDecided, b.cabinDecided, b.perMin, b.officers, b.checkedRemaining, b.cabinRemaining, b.meanWaitS));
  lines.push('');
  lines.push(row('timeline at', 'clock', 'event', 'text'));
  for (const e of r.timeline) lines.push(row(e.at, e.clock === null ? '' : CLOCK_WORDS[e.clock], e.kind, e.text));
  lines.push('');
  lines.push(row('breach clock', 'deadline', 'cleared at', 'late min', 'left at deadline'));
  for (const b of r.breaches) lines.push(row(CLOCK_WORDS[b.clock], b.deadline, b.clearedAt, b.lateMinutes, b.remainingAtDeadline));
  lines.push('');
  lines.push(row('cause', 'from', 'to', 'clock', 'text'));
  for (const c of r.causes) lines.push(row(c.kind, c.from, c.to, c.clock === null ? '' : CLOCK_WORDS[c.clock], c.text));
  return lines.join('\r\n') + '\r\n';
}
