/**
 * The shift lead's dashboard on the hub, beside the flight board (flights.ts): a flight's bags and
 * its report on request (`flight:bags`, `flight:report`), officers' performance over a period
 * (`performance:report`, officer-performance.ts), and every screening officer's load and break
 * status pushed as `officers:status` (every 2 s while a shift lead watches). Each screening officer
 * gets their own figures by the same rule as `officer:workload` (every 5 s, and when a break falls due).
 *
 * Time at the screen comes from two sources joined: the line's officer states sampled every
 * second (signed in and available: the domain's screen periods) and, for time before this hub
 * started, each decision's shown-to-decided span. Break due: officer-performance.ts.
 */
import {
  DEFAULT_POLICY, DEFAULT_STAFFING, DEFAULT_WORKLOAD, LINK_EARLY_MS, LINK_LATE_MS, bagsOfFlight, buildFlightReport, continuousScreen, isCheckedBagTag, sentToSearch,
  type ClearancePolicy, type ContinuousScreen, type FlightReport, type ReportBagInput, type ScreenPeriod, type StaffingOptions, type WorkloadConfig,
} from '@clearway/domain';
import {
  DEFAULT_PERFORMANCE_PERIOD_MS, MAX_FLIGHT_BAG_ROWS, SHIFT_LEAD_ROLES,
  type ConsoleToHubEvents, type ErrorBody, type FlightBagRow, type FlightInfo, type FlightQuery, type HubToConsoleEvents, type Officer,
  type OfficerLoad, type OfficerStatus, type OfficerWorkloadPush, type OfficersStatus, type PerformanceQuery, type PerformanceReport,
} from '@clearway/protocol';
import { performanceReport } from './officer-performance.ts';
import type { DecisionTiming, Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace, Socket } from 'socket.io';
import { wallClock, type ClockTimer, type HubClock } from './clock.ts';

type ConsoleSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents>;

const ROOM = 'shift-leads';
const MIN = 60_000;
const HOUR = 60 * MIN;
/** Decisions and screen periods kept in memory: enough for any break rule and the last hour's count. */
const KEEP_MS = 4 * HOUR;

/** What the hub's screening line tells about its officers (ScreeningDispatcher.officerStates). */
export interface OfficerSource {
  officerStates(): { officerId: string; connected: boolean; status: OfficerStatus; screening: boolean }[];
}

export interface ShiftLeadOptions {
  /** The same targets and staffing figures as the flight clocks (FlightHubOptions). */
  policy?: Partial<ClearancePolicy>;
  staffing?: Partial<StaffingOptions>;
  /** The hub's clock (clock.ts): officers' time at the screen and reports run on it. Default the wall clock. */
  clock?: HubClock;
  /** The flight clocks' time, for reports, where it differs from `clock`. */
  now?: () => number;
  /** Break rule (default: 20 minutes on screen, a 10-minute break resets it); a function: read at each use (the hub's settings). */
  workload?: WorkloadConfig | (() => WorkloadConfig);
  /** How often officers:status goes out while someone watches (wall clock: it paces messages). Default 2 s. */
  officersPushMs?: number;
  /** How often each screening officer gets officer:workload (wall clock). Default 5 s; also at once when a break falls due. */
  workloadPushMs?: number;
  /** How often officer states are sampled, on the hub's clock. Default 1 s. */
  sampleMs?: number;
}

/** The window of bags that may count toward a flight (clearance.ts linkBagToFlight). */
export function bagWindow(flight: FlightInfo): { from: Date; to: Date } {
  const expected = Date.parse(flight.actualOnBlock ?? flight.estimatedOnBlock ?? flight.scheduledOnBlock);
  return { from: new Date(expected - LINK_EARLY_MS), to: new Date(expected + LINK_LATE_MS) };
}

/** The flight's report from the store, at `now`; null for an unknown flight. */
export function flightReportFrom(store: Store, flightId: string, now: number, policy: ClearancePolicy, staffing: Partial<StaffingOptions>): FlightReport | null {
  const flight = store.flights.flight(flightId);
  if (!flight) return null;
  const { from, to } = bagWindow(flight);
  const data = store.flightDetail.reportData(flightId, from, to);
  return data ? buildFlightReport(data, { now, policy, staffing }) : null;
}

function bagRow(b: ReportBagInput): FlightBagRow {
  const d = b.decision;
  const state = d === null ? (b.screeningOfficer ? 'screening' : 'waiting') : !sentToSearch(b) ? 'cleared' : b.search ? 'searched' : 'search';
  return {
    bagId: b.bagId, bagTag: b.bagTag, lane: b.lane, kind: isCheckedBagTag(b.bagTag) ? 'checked' : 'cabin', state,
    verdict: d?.verdict ?? null, officerId: d?.officerId ?? b.screeningOfficer, madeBy: d?.madeBy ?? null,
    receivedAt: b.receivedAt, assignedAt: b.firstAssignedAt, decidedAt: d?.storedAt ?? null,
    searchOutcome: (b.search?.outcome ?? null) as FlightBagRow['searchOutcome'], searchedAt: b.search?.storedAt ?? null,
  };
}

export class ShiftLeadHub {
  private readonly policy: ClearancePolicy;
  private readonly staffing: Partial<StaffingOptions>;
  private readonly clock: HubClock;
  private readonly now: () => number;
  private readonly workload: () => WorkloadConfig;
  private readonly pushIntervalMs: number;
  private readonly workloadPushMs: number;
  private lastWorkloadPushAt = 0;
  /** What each screening officer was last told: a break falling due between pushes goes out at once. */
  private readonly toldWorkload = new Map<string, { breakDue: boolean; breakDueAt: number | null }>();
  /** Sampled stretches at the screen, per officer; the last one open (end null) while it lasts. */
  private readonly periods = new Map<string, ScreenPeriod[]>();
  private readonly decisions: DecisionTiming[] = [];
  private lastSeq = 0;
  private readonly names = new Map<string, string>();
  private readonly sampler: ClockTimer;
  private lastPushAt = 0;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly consoles: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly line: OfficerSource,
    private readonly log: Logger,
    options: ShiftLeadOptions = {},
  ) {
    this.policy = { ...DEFAULT_POLICY, ...options.policy, targets: { ...DEFAULT_POLICY.targets, ...options.policy?.targets } };
    this.staffing = { ...DEFAULT_STAFFING, ...options.staffing };
    this.clock = options.clock ?? wallClock;
    this.now = options.now ?? this.clock.now;
    const workload = options.workload ?? DEFAULT_WORKLOAD;
    this.workload = typeof workload === 'function' ? workload : () => workload;
    this.pushIntervalMs = options.officersPushMs ?? 2000;
    this.workloadPushMs = options.workloadPushMs ?? 5000;
    this.readDecisions(this.clock.now());
    this.sampler = this.clock.every(options.sampleMs ?? 1000, () => this.tick());
  }

  /** Shift leads and admins get the officers' load now and every few seconds after; a screening officer their own. */
  consoleJoined(socket: ConsoleSocket, officer: Officer): void {
    if (officer.role === 'screening-officer') {
      const now = this.clock.now();
      this.readDecisions(now);
      socket.emit('officer:workload', this.workloadOf(officer.id, now, this.workload(), this.decisionSpans()));
      return;
    }
    if (!SHIFT_LEAD_ROLES.some((r) => r === officer.role)) return;
    void socket.join(ROOM);
    const now = this.clock.now();
    this.readDecisions(now);
    socket.emit('officers:status', this.officersStatus(now));
  }

  consoleHandlers(officer: Officer) {
    return {
      'flight:bags': ({ flightId }: FlightQuery): { flightId: string; bags: FlightBagRow[]; truncated: boolean } | ErrorBody => {
        const flight = this.store.flights.flight(flightId);
        if (!flight) return { code: 'not-found', message: `no flight ${flightId}` };
        const { from, to } = bagWindow(flight);
        const details = this.store.flightDetail.bagsOfFlightNumber(flight.flight, from, to);
        const bags = bagsOfFlight({ flight, sameNumber: this.store.flights.flightsByNumber(flight.flight), bags: details });
        return { flightId, bags: bags.slice(0, MAX_FLIGHT_BAG_ROWS).map(bagRow), truncated: bags.length > MAX_FLIGHT_BAG_ROWS };
      },
      'flight:report': ({ flightId }: FlightQuery): { report: FlightReport } | ErrorBody => {
        const started = performance.now();
        const report = flightReportFrom(this.store, flightId, this.now(), this.policy, this.staffing);
        if (!report) return { code: 'not-found', message: `no flight ${flightId}` };
        this.log.info({ officerId: officer.id, flightId, complete: report.complete, bags: report.bags.total, ms: Math.round(performance.now() - started) }, 'flight report');
        return { report };
      },
      'performance:report': (q: PerformanceQuery): { report: PerformanceReport } | ErrorBody => {
        const started = performance.now();
        const report = this.performance(q);
        this.log.info({ officerId: officer.id, from: report.from, to: report.to, officers: report.officers.length, ms: Math.round(performance.now() - started) }, 'performance report');
        return { report };
      },
    };
  }

  /** Officers' performance over the period (default: the last 8 hours), with their continuous time now. */
  performance(q: PerformanceQuery): PerformanceReport {
    const now = this.clock.now();
    const to = q.to === undefined ? now : Date.parse(q.to);
    const from = q.from === undefined ? to - DEFAULT_PERFORMANCE_PERIOD_MS : Date.parse(q.from);
    this.readDecisions(now);
    const config = this.workload();
    const spans = this.decisionSpans();
    const officers = new Map(this.store.identity.listOfficers().map((o) => [o.id, { name: o.name, team: o.team }]));
    return performanceReport({
      records: this.store.search.decisionRecords({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }),
      sampled: this.periods, from, to, now, config, officers,
      live: (officerId) => this.screenOf(officerId, now, config, spans),
    });
  }

  /** Each officer's decisions as spans at the screen (shown to decided): the evidence for time before sampling began. */
  private decisionSpans(): Map<string, ScreenPeriod[]> {
    const spans = new Map<string, ScreenPeriod[]>();
    for (const d of this.decisions) {
      const shown = Date.parse(d.shownAt);
      const decided = Date.parse(d.decidedAt);
      if (decided >= shown) (spans.get(d.officerId) ?? spans.set(d.officerId, []).get(d.officerId))?.push({ start: shown, end: decided });
    }
    return spans;
  }

  /** The one break rule for everybody: officers:status, officer:workload and the performance report. */
  private screenOf(officerId: string, now: number, config: WorkloadConfig, spans: ReadonlyMap<string, ScreenPeriod[]>): ContinuousScreen {
    return continuousScreen([...(this.periods.get(officerId) ?? []), ...(spans.get(officerId) ?? [])], now, config);
  }

  private workloadOf(officerId: string, now: number, config: WorkloadConfig, spans: ReadonlyMap<string, ScreenPeriod[]>): OfficerWorkloadPush {
    const screen = this.screenOf(officerId, now, config, spans);
    this.toldWorkload.set(officerId, { breakDue: screen.breakDue, breakDueAt: screen.breakDueAt });
    return {
      at: new Date(now).toISOString(), continuousMs: screen.continuousMs, breakDue: screen.breakDue,
      breakDueAt: screen.breakDueAt === null ? null : new Date(screen.breakDueAt).toISOString(),
      maxContinuousMinutes: config.maxContinuousScreenMs / MIN, minBreakMinutes: config.minBreakMs / MIN,
    };
  }

  /** Every screening officer signed in or deciding in the last hour, with load and break figures. */
  officersStatus(now: number): OfficersStatus {
    const states = new Map(this.line.officerStates().map((s) => [s.officerId, s]));
    const hourAgo = now - HOUR;
    const lastHour = new Map<string, number>();
    for (const d of this.decisions) if (Date.parse(d.storedAt) >= hourAgo) lastHour.set(d.officerId, (lastHour.get(d.officerId) ?? 0) + 1);
    const spans = this.decisionSpans();
    const workload = this.workload();
    const ids = new Set([...[...states.values()].filter((s) => s.connected).map((s) => s.officerId), ...lastHour.keys()]);
    const officers: OfficerLoad[] = [...ids].sort().map((officerId) => {
      const s = states.get(officerId);
      const state = !s?.connected ? 'signed-out' : s.screening ? 'screening' : s.status === 'on-break' ? 'on-break' : 'available';
      const screen = this.screenOf(officerId, now, workload, spans);
      return {
        officerId, name: this.nameOf(officerId), state, bagsLastHour: lastHour.get(officerId) ?? 0,
        continuousMs: screen.continuousMs, breakDue: screen.breakDue, breakDueAt: screen.breakDueAt === null ? null : new Date(screen.breakDueAt).toISOString(),
      };
    });
    return {
      at: new Date(now).toISOString(), officers: officers.slice(0, 500),
      maxContinuousMinutes: workload.maxContinuousScreenMs / MIN, minBreakMinutes: workload.minBreakMs / MIN,
    };
  }

  close(): void {
    this.closed = true;
    this.sampler.cancel();
  }

  private nameOf(officerId: string): string {
    let name = this.names.get(officerId);
    if (name === undefined) {
      name = this.store.identity.getOfficer(officerId)?.name ?? officerId;
      this.names.set(officerId, name);
    }
    return name;
  }

  private readDecisions(now: number): void {
    const since = new Date(this.lastSeq === 0 ? now - KEEP_MS : 0);
    for (;;) {
      const batch = this.store.flightDetail.decisionTimings(this.lastSeq, since);
      for (const d of batch) this.decisions.push(d);
      this.lastSeq = batch[batch.length - 1]?.seq ?? this.lastSeq;
      if (batch.length < 5000) break;
    }
    const keepFrom = now - KEEP_MS;
    let drop = 0;
    while (drop < this.decisions.length && Date.parse(this.decisions[drop]?.storedAt ?? '') < keepFrom) drop++;
    if (drop > 0) this.decisions.splice(0, drop);
  }

  private tick(): void {
    if (this.closed) return;
    const now = this.clock.now();
    // Officers at the screen: signed in and available (a bag on screen or waiting for one).
    for (const s of this.line.officerStates()) {
      const list = this.periods.get(s.officerId) ?? [];
      this.periods.set(s.officerId, list);
      const open = list[list.length - 1]?.end === null ? list[list.length - 1] : undefined;
      const atScreen = s.connected && s.status === 'available';
      if (atScreen && !open) list.push({ start: now, end: null });
      else if (!atScreen && open) open.end = now;
      while (list.length > 0 && (list[0]?.end ?? Infinity) < now - KEEP_MS) list.shift();
    }
    const wall = Date.now();
    this.pushWorkloads(now, wall);
    if ((this.consoles.adapter.rooms.get(ROOM)?.size ?? 0) === 0 || wall - this.lastPushAt < this.pushIntervalMs) return;
    this.lastPushAt = wall;
    try {
      this.readDecisions(now);
      this.consoles.to(ROOM).emit('officers:status', this.officersStatus(now));
    } catch (err) {
      this.log.error({ err }, 'could not work out the officers\' load');
    }
  }

  /** officer:workload to each signed-in screening officer: every few seconds, and at once when a break falls due. */
  private pushWorkloads(now: number, wall: number): void {
    const signedIn = this.line.officerStates().filter((s) => s.connected).map((s) => s.officerId);
    const periodic = wall - this.lastWorkloadPushAt >= this.workloadPushMs;
    const due = signedIn.filter((id) => {
      const told = this.toldWorkload.get(id);
      return !told || (!told.breakDue && told.breakDueAt !== null && now >= told.breakDueAt);
    });
    if (!periodic && due.length === 0) return;
    if (periodic) this.lastWorkloadPushAt = wall;
    try {
      this.readDecisions(now);
      const spans = this.decisionSpans();
      const workload = this.workload();
      for (const officerId of periodic ? signedIn : due) this.consoles.to(`officer:${officerId}`).emit('officer:workload', this.workloadOf(officerId, now, workload, spans));
      for (const id of [...this.toldWorkload.keys()]) if (!signedIn.includes(id)) this.toldWorkload.delete(id);
    } catch (err) {
      this.log.error({ err }, 'could not work out the officers\' time at the screen');
    }
  }
}
