/**
 * Accelerated replay: a whole scenario through the real hub (started in this process on an
 * in-memory store, on a ScenarioClock), with a flight feed, scanner lanes, screening officers and
 * a shift lead as real socket.io clients over TCP, at `speed` × real time. Ends with the hub's
 * flight report (`flight:report`) for every flight.
 *
 * Determinism. The same scenario and seed give the same reports at any speed, because nothing
 * the hub stores depends on when messages happen to arrive:
 * - The hub's clock stands still between steps. The replay is a discrete-event simulation: its
 *   next step is the earliest of its own events (feed message, scan, officer decision) and the
 *   hub's clock timers (time limits, ticks); it waits on the wall clock until that step is due at
 *   `speed`, moves the clock to the step's scenario time, and runs it. Every stamp the hub makes
 *   (arrival, assignment, decision, flight clock) is therefore a scenario time fixed by the plan.
 * - A step is finished only when its consequences have been seen: the ack of its request; the
 *   assignments it brings, which the replay counts from its own view of the line (a free officer
 *   and a waiting bag never both remain once the hub has acted), or, where it cannot count them
 *   (a time limit acting, reassignment configured, a count that does not come), a barrier on each
 *   officer console that could have been given or lost a bag (a request on that socket: socket.io
 *   keeps a socket's messages in order, so its ack comes after every push the hub sent before);
 *   then the acks of the `bag:shown` those consoles sent. The replay may wait for the next step's
 *   time meanwhile, but the clock moves on only then, so the hub never sees a later event before
 *   an earlier one is fully done.
 * - Officers decide at scenario times computed from the seed: assignment time (the hub's stamp)
 *   plus a think time drawn from (seed, bag, attempt); the verdict from (seed, bag). Never from
 *   when a push arrived. Events due at the same millisecond run in a fixed order (feed, scans,
 *   decisions; then bag or officer number), and no two bags reach screening in the same
 *   millisecond (the hub orders equal arrival times by random bag IDs).
 * - What is left to the wall clock changes nothing stored: pushes to consoles coalesced to a few a
 *   second, acks, socket keep-alives. The dashboard's latency is measured on them, in wall time.
 *
 * Late: an event (feed message, scan, decision, or a time limit acting in the hub) that starts
 * more than `lateMs` of scenario time after it was due: the wall clock ran ahead of the hub and
 * the clients. It still runs at its scenario time, so a late replay gives the same report; it just
 * did not keep pace. The hub's periodic ticks are not events: they only look at the state.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep, setImmediate as nextTurn } from 'node:timers/promises';
import {
  NAMESPACE, PROTOCOL_VERSION,
  type BagAssigned, type BagWithdrawn, type ConsoleToHubEvents, type FlightBoardEntry, type FlightReport, type HubToConsoleEvents, type ScanSubmitInput,
} from '@clearway/protocol';
import { hashPassword } from '@clearway/store';
import { pino, type Level, type Logger } from 'pino';
import { io, type Socket } from 'socket.io-client';
import { ScenarioClock } from '../clock.ts';
import { startHub, type Hub } from '../hub.ts';
import { connectDevice, type DeviceClient } from '../testing.ts';
import { planScenario, searchOf, thinkTimeMs, verdictOf, type PlannedBag, type PlannedFeedMessage, type Scenario, type ScenarioPlan } from './scenario.ts';

type ConsoleClient = Socket<HubToConsoleEvents, ConsoleToHubEvents>;

export interface ReplayOptions {
  /** Scenario seconds per wall-clock second; Infinity runs each step as soon as the last is done. */
  speed: number;
  /** Replace the scenario's seed or officer count. */
  seed?: number | undefined;
  officers?: number | undefined;
  /**
   * An event that starts more than this much scenario time after it was due counts as late.
   * Default 5 s: under the report's resolution (0.1 min), half the shortest decision window (10 s
   * with the belt moving), below the gap between two bags on one lane at the busiest minute.
   */
  lateMs?: number;
  /** One line of progress now and then (e.g. to stderr). */
  progress?: (line: string) => void;
  /** Wall time between progress lines. Default 2 s. */
  progressEveryMs?: number;
  /** The hub's log level (to stderr). Default 'error': the replay's own progress says what happens. */
  hubLogLevel?: Level | 'silent';
  /** Give up on a request after this much wall time. Default 30 s. */
  ackTimeoutMs?: number;
}

/** How the run went on the wall clock: differs from run to run, unlike everything else in the result. */
export interface ReplayRun {
  speed: number | 'max';
  wallMs: number;
  /** Steps run: the replay's own events and the hub's clock timers. */
  steps: number;
  lateMs: number;
  /** Events that started more than `lateMs` of scenario time after they were due. */
  lateEvents: number;
  /** The most any event started after it was due, in scenario ms. */
  maxLagMs: number;
  /** Requests refused or unanswered, bags never decided, decisions the dashboard never showed: each with why (the first 20). */
  dropped: number;
  droppedReasons: string[];
  /** Officer decisions: emit to ack, wall ms. */
  decisionRoundTripMs: number[];
  /** From a decision's ack (or a time-limit search's push) to the first flight:board or flight:update showing it, wall ms. */
  dashboardLatencyMs: number[];
}

export interface ReplayResult {
  scenario: string;
  seed: number;
  officers: number;
  /** Scenario times. */
  start: string;
  end: string;
  bags: { planned: number; scanned: number; decidedByOfficers: number; searchedByOfficers: number; searchedByTimeLimit: number; reassigned: number };
  /** The search station: outcomes recorded, of which something found, and bags still waiting there at the end. */
  search: { outcomes: number; finds: number; waiting: number };
  /** The most bags waiting for an officer after any step, and when. */
  queue: { peakWaiting: number; peakAt: string | null };
  reports: FlightReport[];
  run: ReplayRun;
}

interface Holding {
  assignmentId: string;
  bagId: string;
  bag: PlannedBag;
  assignedAt: string;
  step: Step;
}

interface Officer {
  index: number;
  id: string;
  socket: ConsoleClient;
  holding: Holding | null;
  /** `bag:shown` sent and not yet acknowledged. */
  shown: Promise<void>[];
}

interface Step {
  at: number;
  /** Order among steps due at the same millisecond: feed, scans, decisions. */
  rank: number;
  key: number;
  run: () => Promise<void>;
  cancelled: boolean;
}

const RANK = { feed: 0, scan: 1, decision: 2, search: 3 } as const;

/** See `ReplayOptions.lateMs`. */
export const DEFAULT_LATE_MS = 5000;

/** The replay's own events in (time, rank, key) order; cancelled ones are skipped. */
class Steps {
  private readonly list: Step[] = [];

  push(step: Omit<Step, 'cancelled'>): Step {
    const s: Step = { ...step, cancelled: false };
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.list[mid] as Step;
      if (m.at < s.at || (m.at === s.at && (m.rank < s.rank || (m.rank === s.rank && m.key <= s.key)))) lo = mid + 1;
      else hi = mid;
    }
    this.list.splice(lo, 0, s);
    return s;
  }

  peek(): Step | null {
    while (this.list[0]?.cancelled) this.list.shift();
    return this.list[0] ?? null;
  }

  shift(): Step | null {
    const s = this.peek();
    if (s) this.list.shift();
    return s;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function runReplay(scenario: Scenario, options: ReplayOptions): Promise<ReplayResult> {
  const speed = options.speed;
  if (!(speed > 0)) throw new RangeError(`speed must be above 0, got ${speed}`);
  const plan = planScenario(scenario, { seed: options.seed, officers: options.officers });
  const lateMs = options.lateMs ?? DEFAULT_LATE_MS;
  const ackTimeoutMs = options.ackTimeoutMs ?? 30_000;
  const progress = options.progress ?? (() => {});
  const log = pino({ level: options.hubLogLevel ?? 'error' }, pino.destination(2));
  const clock = new ScenarioClock(plan.start, (err) => log.error({ err }, 'hub timer failed'));
  const hub = await startHub({ dataDir: ':memory:', port: 0, host: '127.0.0.1', consoleDir: null, logger: log, clock, referenceModel: null, tip: { libraryDir: null } });
  const closers: (() => void)[] = [];
  try {
    return await replayOn(hub, clock, plan, { speed, lateMs, ackTimeoutMs, progress, progressEveryMs: options.progressEveryMs ?? 2000, closers, log });
  } finally {
    for (const close of closers) close();
    await hub.close();
  }
}

interface Context {
  speed: number;
  lateMs: number;
  ackTimeoutMs: number;
  progress: (line: string) => void;
  progressEveryMs: number;
  closers: (() => void)[];
  log: Logger;
}

async function replayOn(hub: Hub, clock: ScenarioClock, plan: ScenarioPlan, ctx: Context): Promise<ReplayResult> {
  const { speed, lateMs, ackTimeoutMs } = ctx;
  const dropped: string[] = [];
  const drop = (why: string) => {
    dropped.push(why);
    ctx.log.warn({ why }, 'replay: event dropped');
  };

  // ---- accounts, devices and settings in the hub's store --------------------------------------------
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  const officerIds = Array.from({ length: plan.officers }, (_, i) => `officer-${String(i + 1).padStart(3, '0')}`);
  for (const [i, id] of officerIds.entries()) hub.store.identity.importOfficer({ id, name: `Screening officer ${i + 1}`, role: 'screening-officer', passwordHash });
  hub.store.identity.importOfficer({ id: 'shift-lead', name: 'Shift lead', role: 'shift-lead', passwordHash });
  const searchTeamIds = Array.from({ length: plan.search.teams }, (_, i) => `search-${String(i + 1).padStart(2, '0')}`);
  for (const [i, id] of searchTeamIds.entries()) hub.store.identity.importOfficer({ id, name: `Search team ${i + 1}`, role: 'search-officer', passwordHash });
  if (plan.timeLimits) hub.store.settings.set('screening.timeLimits', plan.timeLimits);
  const feedToken = hub.store.identity.createDevice('flight-feed', 'flight-feed').token;
  const laneTokens = [...plan.lanes.checkpoint, ...plan.lanes.holdBaggage].map((lane) => ({ lane, token: hub.store.identity.createDevice(`scanner-${lane}`, 'scanner').token }));

  // ---- clients --------------------------------------------------------------------------------------
  const feed = await connectDevice(hub.url, 'flight-feed', feedToken);
  ctx.closers.push(() => feed.close());
  const scanners = new Map<string, DeviceClient>();
  for (const { lane, token } of laneTokens) {
    const s = await connectDevice(hub.url, `scanner-${lane}`, token);
    ctx.closers.push(() => s.close());
    scanners.set(lane, s);
  }

  const tagIndex = new Map(plan.bags.map((b) => [b.bagTag, b]));
  const attempts = new Map<number, number>();
  /** Assignments received so far, and who waits for the next (see `settle`). */
  let assignedCount = 0;
  let onAssigned: (() => void) | null = null;
  const steps = new Steps();
  const counts = { scanned: 0, decidedByOfficers: 0, searchedByOfficers: 0, searchedByTimeLimit: 0, reassigned: 0, waiting: 0, searchOutcomes: 0, searchFinds: 0 };
  /**
   * Bags sent to search by the last step, and when each search team is next free. They are given
   * to teams between steps, in (flagged time, bag) order, never in the order pushes arrived.
   */
  const flagged: { bagId: string; bag: PlannedBag; at: number }[] = [];
  const teamFreeAt = plan.search.teams > 0 ? Array.from({ length: plan.search.teams }, () => -Infinity) : [];
  let atSearch = 0;
  let decidedTotal = 0;
  const decisionRoundTripMs: number[] = [];

  // The dashboard: what each decision should make the shift lead's board show, and since when.
  const dashboard = new DashboardWatch(plan);

  const officers: Officer[] = [];
  const assigned = (o: Officer, m: Pick<BagAssigned, 'assignmentId' | 'assignedAt' | 'bag'>) => {
    const bag = tagIndex.get(m.bag.bagTag);
    if (!bag) return drop(`${o.id} was given bag ${m.bag.bagTag}, which is not in the scenario`);
    if (o.holding) drop(`${o.id} was given ${m.bag.bagTag} while holding ${o.holding.bag.bagTag}`);
    assignedCount++;
    onAssigned?.();
    const attempt = (attempts.get(bag.index) ?? 0) + 1;
    attempts.set(bag.index, attempt);
    counts.waiting--;
    const assignedAt = Date.parse(m.assignedAt);
    // First paint, as a console reports it: the hub's clock has not moved since the assignment.
    o.shown.push(o.socket.timeout(ackTimeoutMs).emitWithAck('bag:shown', { assignmentId: m.assignmentId, shownAt: m.assignedAt, paintMs: 30 }).then(
      (r) => { if (!r.ok) drop(`bag:shown for ${bag.bagTag} refused: ${r.error.message}`); },
      (err: unknown) => drop(`bag:shown for ${bag.bagTag}: ${(err as Error).message}`),
    ));
    const holding: Holding = {
      assignmentId: m.assignmentId, bagId: m.bag.bagId, bag, assignedAt: m.assignedAt,
      step: steps.push({ at: assignedAt + thinkTimeMs(plan, bag.index, attempt), rank: RANK.decision, key: o.index, run: () => decide(o, holding) }),
    };
    o.holding = holding;
  };
  const withdrawn = (o: Officer, w: BagWithdrawn) => {
    const h = o.holding;
    if (!h || h.assignmentId !== w.assignmentId) return;
    h.step.cancelled = true;
    o.holding = null;
    // The time limit either sent the bag to search (a decision, for the clocks) or gave it back to the line.
    if (/sent to search/.test(w.reason)) {
      counts.searchedByTimeLimit++;
      flagged.push({ bagId: h.bagId, bag: h.bag, at: clock.now() });
      decidedTotal++;
      dashboard.decided(h.bag, performance.now());
    } else {
      counts.reassigned++;
      counts.waiting++;
    }
  };

  // One at a time, in a fixed order: the hub meets its officers in the same order on every run.
  for (const [index, id] of officerIds.entries()) {
    const socket = await connectConsole(hub.url, id, password);
    ctx.closers.push(() => socket.close());
    const o: Officer = { index, id, socket, holding: null, shown: [] };
    socket.on('bag:assigned', (m) => assigned(o, m));
    socket.on('bag:withdrawn', (w) => withdrawn(o, w));
    officers.push(o);
  }
  const lead = await connectConsole(hub.url, 'shift-lead', password, (socket) => {
    const seen = (entries: readonly FlightBoardEntry[]) => dashboard.seen(entries, performance.now());
    socket.on('flight:board', (b) => seen(b.flights));
    socket.on('flight:update', (u) => seen([u.flight]));
  });
  ctx.closers.push(() => lead.close());

  /** Waits until the officers have every push the hub sent them so far, and the hub every first paint. */
  const barrier = async (who: readonly Officer[]) => {
    await Promise.all([...new Set(who)].map(async (o) => {
      // An officer already available saying so again: idempotent, answered after all the hub sent before.
      const r = await o.socket.timeout(ackTimeoutMs).emitWithAck('officer:status', { status: 'available' }).catch((err: unknown) => ({ ok: false as const, error: { message: (err as Error).message } }));
      if (!r.ok) drop(`barrier on ${o.id}: ${r.error.message}`);
    }));
    const shown = officers.flatMap((o) => o.shown.splice(0));
    await Promise.all(shown);
  };
  const free = () => officers.filter((o) => o.holding === null);
  // Without reassignment a free officer and a waiting bag never both remain once the hub has acted
  // (a bag barred from one officer would stay beside them): the replay then knows how many
  // assignments a step brings, and waits for exactly those instead of asking every console.
  const exact = plan.timeLimits?.onExpiry !== 'reassign';
  /**
   * Ends a step: waits for the `expected` assignments counted from `base` (or, where the count
   * cannot be known or they do not come in time, a barrier on `who`), then for their first paints.
   */
  const settle = async (base: number, expected: number, who: () => readonly Officer[]) => {
    if (!exact) await barrier(who());
    else if (assignedCount < base + expected) {
      const arrived = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => { onAssigned = null; resolve(false); }, Math.min(3000, ackTimeoutMs));
        onAssigned = () => {
          if (assignedCount < base + expected) return;
          clearTimeout(timer);
          onAssigned = null;
          resolve(true);
        };
      });
      if (!arrived) await barrier(who());
    }
    await Promise.all(officers.flatMap((o) => o.shown.splice(0)));
  };

  // ---- the replay's own events ----------------------------------------------------------------------
  const images = sampleImages(plan);
  const scan = async (bag: PlannedBag) => {
    const scanner = scanners.get(bag.lane) as DeviceClient;
    const view = { view: 'top' as const, width: plan.image.width, height: plan.image.height, encoding: 'single-energy-u16le' as const, high: images[bag.index % images.length] as Uint8Array };
    const submit: ScanSubmitInput = { scanId: randomUUID(), lane: bag.lane, flight: bag.flight, bagTag: bag.bagTag, scannedAt: iso(clock.now()), views: [view] };
    // A free officer gets the new bag at once (the longest idle: which one is the hub's to say).
    const base = assignedCount;
    const expected = Math.min(free().length, Math.max(0, counts.waiting) + 1);
    let stored = false;
    try {
      const r = await scanner.timeout(ackTimeoutMs).emitWithAck('scan:submit', submit);
      if (r.ok) {
        stored = true;
        counts.scanned++;
        counts.waiting++;
      } else drop(`scan of ${bag.bagTag} refused: ${r.error.message}`);
    } catch (err) {
      drop(`scan of ${bag.bagTag}: ${(err as Error).message}`);
    }
    await settle(base, stored ? expected : 0, free);
  };
  const sendFeed = async (m: PlannedFeedMessage) => {
    const batch = m.kind === 'arrivals'
      ? { arrivals: m.arrivals }
      : { updates: [{ type: 'on-block' as const, updateId: randomUUID(), flight: m.flight, date: m.date, at: iso(clock.now()), actualOnBlock: m.actualOnBlock }] };
    try {
      const r = await feed.timeout(ackTimeoutMs).emitWithAck('flight:upsert', batch);
      if (!r.ok) drop(`flight feed (${m.what}) refused: ${r.error.message}`);
      else for (const x of r.rejected) drop(`flight feed (${m.what}): ${x.kind} ${x.index} refused: ${x.reason}`);
    } catch (err) {
      drop(`flight feed (${m.what}): ${(err as Error).message}`);
    }
  };
  const decide = async (o: Officer, h: Holding) => {
    const verdict = verdictOf(plan, h.bag.index);
    // Once stored, the hub gives this officer the head of the line, if anything waits.
    const base = assignedCount;
    const expected = Math.min(free().length + 1, Math.max(0, counts.waiting));
    let stored = false;
    // Free from the key press: the next bag may arrive in the same read as this ack, before the code after the await runs.
    o.holding = null;
    const t0 = performance.now();
    try {
      const r = await o.socket.timeout(ackTimeoutMs).emitWithAck('decision:submit', {
        idempotencyKey: randomUUID(), assignmentId: h.assignmentId, bagId: h.bagId, verdict, shownAt: h.assignedAt, decidedAt: iso(clock.now()), paintMs: 30,
      });
      const ackAt = performance.now();
      decisionRoundTripMs.push(ackAt - t0);
      if (r.ok) {
        stored = true;
        counts.decidedByOfficers++;
        if (verdict === 'search') {
          counts.searchedByOfficers++;
          flagged.push({ bagId: h.bagId, bag: h.bag, at: clock.now() });
        }
        decidedTotal++;
        dashboard.decided(h.bag, ackAt);
      } else drop(`decision on ${h.bag.bagTag} by ${o.id} refused: ${r.error.message}`);
    } catch (err) {
      drop(`decision on ${h.bag.bagTag} by ${o.id}: ${(err as Error).message}`);
    }
    await settle(base, stored ? expected : 0, () => [o, ...free()]);
  };

  // The search station: the first free team takes the oldest flagged bag and records its outcome when done.
  const searchTeams = await Promise.all(searchTeamIds.map((id) => connectConsole(hub.url, id, password)));
  for (const t of searchTeams) ctx.closers.push(() => t.close());
  const record = async (team: ConsoleClient, f: { bagId: string; bag: PlannedBag }, outcome: 'other-contraband' | 'nothing-found') => {
    try {
      const r = await team.timeout(ackTimeoutMs).emitWithAck('search:outcome', { idempotencyKey: randomUUID(), bagId: f.bagId, outcome, recordedAt: iso(clock.now()) });
      if (!r.ok) return drop(`search outcome for ${f.bag.bagTag} refused: ${r.error.message}`);
      counts.searchOutcomes++;
      atSearch--;
      if (outcome !== 'nothing-found') counts.searchFinds++;
    } catch (err) {
      drop(`search outcome for ${f.bag.bagTag}: ${(err as Error).message}`);
    }
  };
  const giveToSearchTeams = () => {
    if (flagged.length === 0) return;
    flagged.sort((a, b) => a.at - b.at || a.bag.index - b.bag.index);
    for (const f of flagged.splice(0)) {
      atSearch++;
      if (teamFreeAt.length === 0) continue; // no teams: the bag waits at the station
      let team = 0;
      teamFreeAt.forEach((t, i) => { if (t < (teamFreeAt[team] as number)) team = i; });
      const { durationMs, outcome } = searchOf(plan, f.bag.index);
      const done = Math.max(f.at, teamFreeAt[team] as number) + durationMs;
      teamFreeAt[team] = done;
      const socket = searchTeams[team] as ConsoleClient;
      steps.push({ at: done, rank: RANK.search, key: f.bag.index, run: () => record(socket, f, outcome) });
    }
  };

  plan.feed.forEach((m, i) => steps.push({ at: m.at, rank: RANK.feed, key: i, run: () => sendFeed(m) }));
  for (const bag of plan.bags) steps.push({ at: bag.at, rank: RANK.scan, key: bag.index, run: () => scan(bag) });

  // ---- the loop -------------------------------------------------------------------------------------
  const finite = Number.isFinite(speed);
  const wall0 = performance.now();
  let stepCount = 0;
  let lateEvents = 0;
  let maxLagMs = 0;
  let peak = { waiting: 0, at: null as number | null };
  let lastProgress = wall0;
  // Checked once no event of the replay's own is left: every scan has been sent.
  const settled = () => officers.every((o) => o.holding === null) && counts.waiting <= 0;
  const dueAt = (t: number) => wall0 + (t - plan.start) / speed;
  // The step whose consequences are still coming in. The replay waits for the next step's time
  // meanwhile, and for those consequences before it moves the clock again.
  let inFlight: Promise<void> = Promise.resolve();
  for (;;) {
    const guess = Math.min(steps.peek()?.at ?? Infinity, clock.nextAt() ?? Infinity);
    const wait = finite && guess !== Infinity ? dueAt(guess) - performance.now() : 0;
    if (wait >= 1) await sleep(wait);
    await inFlight;
    if (wait < 1) await nextTurn(); // let the wall-clock pushes out
    giveToSearchTeams();
    if (counts.waiting > peak.waiting) peak = { waiting: counts.waiting, at: clock.now() };
    if (performance.now() - lastProgress >= ctx.progressEveryMs) {
      lastProgress = performance.now();
      ctx.progress(progressLine(plan, clock.now(), counts, decidedTotal, officers, lateEvents));
    }
    const event = steps.peek();
    if (!event && settled()) break;
    if (!event && !clock.hasOneShot()) {
      drop(`${plan.bags.length - decidedTotal} bags left undecided with nothing more to happen`);
      break;
    }
    const timerAt = clock.nextAt();
    const t = Math.min(event?.at ?? Infinity, timerAt ?? Infinity);
    if (finite) {
      const due = dueAt(t);
      if (due - performance.now() >= 1) continue; // the last step moved the next one later: wait for it
      // Lateness counts for events: the replay's own and the hub's one-shot timers (a time limit
      // acting). Periodic ticks only look at the state; they run at their scenario time all the same.
      if (event?.at === t || (timerAt === t && clock.oneShotDueBy(t))) {
        const lag = Math.max(0, performance.now() - due) * speed;
        if (lag > maxLagMs) maxLagMs = lag;
        if (lag > lateMs) lateEvents++;
      }
    }
    stepCount++;
    if (timerAt !== null && timerAt <= (event?.at ?? Infinity)) {
      // The hub's own timers first: a time limit due now acts before a decision made at the same moment.
      const fired = clock.advanceTo(timerAt);
      inFlight = fired.oneShot > 0 ? barrier(officers) : Promise.resolve();
    } else if (event) {
      clock.advanceTo(event.at);
      steps.shift();
      inFlight = event.run(); // its request is on the wire before this returns
    }
  }
  const end = clock.now();
  const wallMs = performance.now() - wall0;
  ctx.progress(progressLine(plan, end, counts, decidedTotal, officers, lateEvents));

  // The last board push comes at most one coalescing interval after the last decision.
  await dashboard.settle(5_000);
  for (const miss of dashboard.missed()) drop(miss);

  const reports: FlightReport[] = [];
  for (const f of plan.flights) {
    const r = await lead.timeout(ackTimeoutMs).emitWithAck('flight:report', { flightId: f.flightId });
    if (!r.ok) throw new Error(`the hub gave no report for ${f.flightId}: ${r.error.message}`);
    reports.push(r.report);
  }

  return {
    scenario: plan.name, seed: plan.seed, officers: plan.officers, start: iso(plan.start), end: iso(end),
    bags: {
      planned: plan.bags.length, scanned: counts.scanned, decidedByOfficers: counts.decidedByOfficers,
      searchedByOfficers: counts.searchedByOfficers, searchedByTimeLimit: counts.searchedByTimeLimit, reassigned: counts.reassigned,
    },
    search: { outcomes: counts.searchOutcomes, finds: counts.searchFinds, waiting: atSearch },
    queue: { peakWaiting: peak.waiting, peakAt: peak.at === null ? null : iso(peak.at) },
    reports,
    run: {
      speed: finite ? speed : 'max', wallMs: Math.round(wallMs), steps: stepCount, lateMs, lateEvents, maxLagMs: Math.round(maxLagMs),
      dropped: dropped.length, droppedReasons: dropped.slice(0, 20), decisionRoundTripMs, dashboardLatencyMs: dashboard.latencies,
    },
  };
}

function progressLine(plan: ScenarioPlan, now: number, counts: { scanned: number; waiting: number }, decided: number, officers: readonly Officer[], late: number): string {
  const since = Math.round((now - plan.start) / 1000);
  const clockText = `${iso(now).slice(11, 19)} (+${Math.floor(since / 60)}:${String(since % 60).padStart(2, '0')})`;
  const busy = officers.filter((o) => o.holding !== null).length;
  return `replay ${clockText}  scanned ${counts.scanned}/${plan.bags.length}  decided ${decided}  waiting ${Math.max(0, counts.waiting)}  officers busy ${busy}/${officers.length}  late events ${late}`;
}

/** Signs in a console over the real wire protocol and resolves on session:ready; `before` attaches listeners first. */
function connectConsole(url: string, officerId: string, password: string, before?: (socket: ConsoleClient) => void): Promise<ConsoleClient> {
  const socket: ConsoleClient = io(url + NAMESPACE.console, {
    auth: { protocolVersion: PROTOCOL_VERSION, officerId, password }, transports: ['websocket'], reconnection: false, forceNew: true,
  });
  before?.(socket);
  return new Promise((resolve, reject) => {
    socket.once('session:ready', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

/**
 * Small single-energy images (the scenario's size, 64×48 by default): a few seeded patterns used
 * in turn, so that the replay's time goes to the workflow rather than to pixels.
 */
function sampleImages(plan: ScenarioPlan): Uint8Array[] {
  const { width, height } = plan.image;
  return Array.from({ length: 8 }, (_, k) => {
    const px = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // A bag's outline with a denser block inside, placed differently in each pattern.
        const inBag = x > width / 8 && x < (7 * width) / 8 && y > height / 6 && y < (5 * height) / 6;
        const bx = ((k * 7) % 5) / 8;
        const inBlock = x > width * (0.25 + bx / 2) && x < width * (0.4 + bx / 2) && y > height * 0.35 && y < height * 0.6;
        px[y * width + x] = inBlock ? 30_000 : inBag ? 6_000 + ((x * 31 + y * 17 + k * 101) % 900) : 200;
      }
    }
    return new Uint8Array(px.buffer);
  });
}

/**
 * What the shift lead's board should show after each decision, and whether it did: per flight and
 * clock, the done count the decision brings (passengers in proportion to their cabin bags, as the
 * hub counts them), and the wall time from the decision to the first push showing at least that.
 */
class DashboardWatch {
  readonly latencies: number[] = [];
  private readonly flights = new Map<string, {
    passengers: number; cabinTotal: number; cabinDone: number; checkedDone: number;
    pending: { passengers: { value: number; since: number }[]; checkedBags: { value: number; since: number }[] };
    shown: { passengers: number; checkedBags: number };
  }>();
  private waiter: (() => void) | null = null;

  constructor(plan: ScenarioPlan) {
    for (const f of plan.flights) {
      const cabinTotal = Math.max(f.arrival.cabinBags, plan.bags.filter((b) => b.flightId === f.flightId && !b.checked).length);
      this.flights.set(f.flightId, { passengers: f.arrival.passengers, cabinTotal, cabinDone: 0, checkedDone: 0, pending: { passengers: [], checkedBags: [] }, shown: { passengers: 0, checkedBags: 0 } });
    }
  }

  decided(bag: PlannedBag, at: number): void {
    const f = this.flights.get(bag.flightId);
    if (!f) return;
    if (bag.checked) {
      f.checkedDone++;
      this.expect(f.pending.checkedBags, f.shown.checkedBags, f.checkedDone, at);
    } else if (f.passengers > 0) {
      f.cabinDone++;
      const value = f.cabinDone >= f.cabinTotal ? f.passengers : Math.floor((f.passengers * f.cabinDone) / f.cabinTotal);
      this.expect(f.pending.passengers, f.shown.passengers, value, at);
    }
  }

  seen(entries: readonly FlightBoardEntry[], at: number): void {
    for (const e of entries) {
      const f = this.flights.get(e.key);
      if (!f) continue;
      for (const clock of ['passengers', 'checkedBags'] as const) {
        const done = e.clocks[clock].done;
        f.shown[clock] = Math.max(f.shown[clock], done);
        const list = f.pending[clock];
        while (list.length > 0 && (list[0]?.value ?? Infinity) <= done) this.latencies.push(at - (list.shift()?.since ?? at));
      }
    }
    if (this.waiter && this.open() === 0) this.waiter();
  }

  /** Waits (at most `timeoutMs`) for the board to show every decision. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.open() === 0) return;
    await Promise.race([new Promise<void>((r) => { this.waiter = r; }), sleep(timeoutMs, undefined, { ref: false })]);
    this.waiter = null;
  }

  missed(): string[] {
    const n = this.open();
    return n === 0 ? [] : [`${n} decision${n === 1 ? '' : 's'} never shown on the shift lead's board`];
  }

  private open(): number {
    let n = 0;
    for (const f of this.flights.values()) n += f.pending.passengers.length + f.pending.checkedBags.length;
    return n;
  }

  /** A decision the board could show: only when it changes the figure (passengers move in whole people). */
  private expect(list: { value: number; since: number }[], shown: number, value: number, at: number): void {
    const last = list[list.length - 1]?.value ?? shown;
    if (value > last) list.push({ value, since: at });
  }
}
