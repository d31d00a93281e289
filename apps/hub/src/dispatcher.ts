import {
  DEFAULT_QUEUE_PRIORITY, DEFAULT_TIME_LIMITS, decisionWindow, isFree, planAssignments, queueKey, riskPriorityBoost,
  type QueuedBag, type ScreeningOfficerState, type WaitingBag,
} from '@clearway/domain';
import type { BagAssigned, OfficerStatus, QueueStatus, ScanRisk, ScanView } from '@clearway/protocol';
import { TIME_LIMIT_REASON, type OpenAssignment, type Store, type StoredDecision } from '@clearway/store';
import type { Logger } from 'pino';
import { wallClock, type ClockTimer, type HubClock } from './clock.ts';
import type { ScreeningRules } from './screening-config.ts';

export interface DispatcherEvents {
  /** Deliver a bag to every console the officer is signed in on. */
  assigned(officerId: string, message: BagAssigned): void;
  withdrawn(officerId: string, assignmentId: string, reason: string): void;
  /** Nobody decided in time and the hub stored a 'search' decision (report it like any decision). */
  sentToSearch(decision: StoredDecision): void;
  /** The line changed; `status()` gives the figures (computed only when someone sends them). */
  queueChanged(): void;
}

export interface DispatcherOptions {
  /** Time limits and queue priority as configured now (default: the domain's defaults). */
  rules?: () => ScreeningRules;
  /** The bag's flight clearance deadline (ms since epoch), or null without a known flight. */
  flightDeadline?: (bag: { flight: string; bagTag: string; receivedAt: number }) => number | null;
  /** What stamps assignments and runs the time limits (default: the wall clock; a replay passes its scenario clock). */
  clock?: HubClock;
  /** Priority steps from a bag's risk score as configured now (setting `screening.risk`); default one step per 25 points, at most 3. */
  riskSteps?: () => { everyPoints: number; max: number };
}

/** A bag arriving at the line, as the hub stored it. */
export interface ArrivingBag {
  bagId: string;
  receivedAt: Date;
  lane: string;
  flight: string;
  bagTag: string;
  risk?: ScanRisk | null | undefined;
}

/** A waiting bag with what its priority needs; the priority itself is computed at planning time. */
interface LineEntry extends QueuedBag {
  lane: string;
  flight: string;
  bagTag: string;
  /** Officers who let the bag's decision time run out: it goes to someone else. */
  notFor: string[];
}

/** Default risk-score steps (RiskRules' default: one step per 25 points, at most 3). */
const RISK_STEPS = { priorityBoost: { everyPoints: 25, max: 3 } };
const TICK_MS = 1000;

/**
 * The hub's screening line: waiting bags, signed-in screening officers and who holds which bag.
 * Decisions about who gets what come from the pure planner in @clearway/domain (priority from the
 * flight's deadline and the bag's risk, then first in, first out); this class applies them to the
 * store and tells the consoles. It also keeps each assignment's decision time window
 * (time-limits.ts): a bag not decided in time is given to another officer or sent to search.
 * All state survives a restart through the store: waiting bags and open assignments are reloaded
 * and their windows recomputed from the stored assignment times.
 */
export class ScreeningDispatcher {
  private readonly waiting = new Map<string, LineEntry>();
  private readonly officers = new Map<string, ScreeningOfficerState & { sockets: Set<string> }>();
  private readonly open = new Map<string, OpenAssignment>(); // by assignmentId
  private readonly graceTimers = new Map<string, ClockTimer>();
  private readonly expiryTimers = new Map<string, ClockTimer>(); // by assignmentId
  private readonly rules: () => ScreeningRules;
  private readonly flightDeadline: NonNullable<DispatcherOptions['flightDeadline']> | null;
  private rulesSeen: ScreeningRules;
  private readonly ticker: ClockTimer;
  private readonly clock: HubClock;
  private readonly riskSteps: () => { everyPoints: number; max: number };
  private closed = false;
  /**
   * Images of recently arrived bags, so that an assignment does not read megabytes back from
   * SQLite that just went in. Bounded by bytes; the oldest go first; misses read the store.
   */
  private readonly recentViews = new Map<string, { views: ScanView[]; bytes: number }>();
  private recentViewBytes = 0;
  static readonly VIEW_CACHE_BYTES = 256 * 1024 * 1024;

  constructor(
    private readonly store: Store,
    private readonly events: DispatcherEvents,
    private readonly log: Logger,
    /** How long a signed-out officer keeps their bag before it goes back to the line. */
    private readonly reassignAfterSignOutMs: number,
    options: DispatcherOptions = {},
  ) {
    this.rules = options.rules ?? (() => ({ timeLimits: DEFAULT_TIME_LIMITS, queuePriority: DEFAULT_QUEUE_PRIORITY }));
    this.flightDeadline = options.flightDeadline ?? null;
    this.clock = options.clock ?? wallClock;
    this.riskSteps = options.riskSteps ?? (() => RISK_STEPS.priorityBoost);
    this.rulesSeen = this.rules();
    for (const b of store.screening.waitingBags()) {
      this.enqueue({ ...b, receivedAt: new Date(b.receivedAt) }, store.screening.timedOutOfficers(b.bagId));
    }
    for (const a of store.screening.openAssignments()) {
      this.open.set(a.assignmentId, a);
      this.officerState(a.officerId).openAssignment = a.assignmentId;
      this.startGrace(a.officerId);
      this.scheduleExpiry(a); // a window that ran out while the hub was down acts at once
    }
    // Settings the CLI changed, deadlines that came closer, waits that grew.
    this.ticker = this.clock.every(TICK_MS, () => this.tick());
  }

  private officerState(officerId: string) {
    let o = this.officers.get(officerId);
    if (!o) {
      o = { officerId, connected: false, status: 'available', openAssignment: null, freeSince: this.clock.now(), sockets: new Set() };
      this.officers.set(officerId, o);
    }
    return o;
  }

  officerSignedIn(officerId: string, socketId: string): { status: OfficerStatus; current: BagAssigned | null } {
    const o = this.officerState(officerId);
    o.sockets.add(socketId);
    o.connected = true;
    const t = this.graceTimers.get(officerId);
    if (t) { t.cancel(); this.graceTimers.delete(officerId); }
    const current = o.openAssignment ? this.open.get(o.openAssignment) : undefined;
    return { status: o.status, current: current ? this.message(current) : null };
  }

  officerSignedOut(officerId: string, socketId: string): void {
    const o = this.officers.get(officerId);
    if (!o) return;
    o.sockets.delete(socketId);
    if (o.sockets.size > 0) return;
    o.connected = false;
    if (o.openAssignment) this.startGrace(officerId);
    this.queueChanged();
  }

  /**
   * Available or on break. A break takes no decided bag back, and leaves the officer a bag they
   * have already seen (they decide it, then get no more); a bag assigned but not yet shown goes
   * back to the line at its place by arrival, i.e. to its head.
   */
  setStatus(officerId: string, status: OfficerStatus): void {
    const o = this.officerState(officerId);
    if (o.status !== status && status === 'available') o.freeSince = this.clock.now();
    o.status = status;
    const held = o.openAssignment ? this.open.get(o.openAssignment) : undefined;
    if (status === 'on-break' && held && held.shownAt === undefined) this.withdraw(held.assignmentId, 'officer went on break before the bag was shown');
    else this.pump();
  }

  /** The officer's console painted the bag (the store has recorded it). */
  shown(assignmentId: string, at: Date): void {
    const a = this.open.get(assignmentId);
    if (a && a.shownAt === undefined) a.shownAt = at.toISOString();
  }

  bagArrived(bag: ArrivingBag, views?: ScanView[]): void {
    if (views) this.remember(bag.bagId, views);
    this.enqueue(bag, []);
    this.pump();
  }

  private enqueue(bag: ArrivingBag, notFor: string[]): void {
    const receivedAt = bag.receivedAt.getTime();
    const entry: LineEntry = {
      bagId: bag.bagId, receivedAt, lane: bag.lane, flight: bag.flight, bagTag: bag.bagTag, notFor,
      riskBoost: bag.risk ? riskPriorityBoost(bag.risk.score, { priorityBoost: this.riskSteps() }) : 0,
      flightDeadline: null,
    };
    entry.flightDeadline = this.deadlineOf(entry);
    this.waiting.set(bag.bagId, entry);
  }

  private deadlineOf(entry: LineEntry): number | null {
    if (!this.flightDeadline) return null;
    try {
      return this.flightDeadline(entry);
    } catch (err) {
      this.log.error({ err, bagId: entry.bagId }, 'could not find the bag\'s flight deadline; priority from risk only');
      return null;
    }
  }

  private remember(bagId: string, views: ScanView[]): void {
    const bytes = views.reduce((n, v) => n + v.high.byteLength + (v.low?.byteLength ?? 0), 0);
    if (bytes > ScreeningDispatcher.VIEW_CACHE_BYTES) return;
    this.recentViews.set(bagId, { views, bytes });
    this.recentViewBytes += bytes;
    for (const [oldest, entry] of this.recentViews) {
      if (this.recentViewBytes <= ScreeningDispatcher.VIEW_CACHE_BYTES) break;
      this.recentViews.delete(oldest);
      this.recentViewBytes -= entry.bytes;
    }
  }

  private forget(bagId: string): void {
    const entry = this.recentViews.get(bagId);
    if (!entry) return;
    this.recentViews.delete(bagId);
    this.recentViewBytes -= entry.bytes;
  }

  /** The officer's assignment is closed by a stored decision: the officer is free again. */
  decided(assignmentId: string): void {
    const a = this.open.get(assignmentId);
    if (!a) return;
    const o = this.officerState(a.officerId);
    if (o.openAssignment === assignmentId) o.freeSince = this.clock.now();
    this.closeOpen(a);
    this.forget(a.bagId);
  }

  private closeOpen(a: OpenAssignment): void {
    this.open.delete(a.assignmentId);
    const timer = this.expiryTimers.get(a.assignmentId);
    if (timer) { timer.cancel(); this.expiryTimers.delete(a.assignmentId); }
    const o = this.officerState(a.officerId);
    if (o.openAssignment === a.assignmentId) o.openAssignment = null;
  }

  private startGrace(officerId: string): void {
    // Consoles still disconnect while the hub closes: no timer may outlive the store.
    if (this.closed || this.graceTimers.has(officerId)) return;
    const timer = this.clock.after(this.reassignAfterSignOutMs, () => {
      this.graceTimers.delete(officerId);
      const o = this.officers.get(officerId);
      if (!o || o.connected || !o.openAssignment) return;
      this.withdraw(o.openAssignment, 'officer signed out');
    });
    this.graceTimers.set(officerId, timer);
  }

  /** Takes a bag back: it rejoins the line at its place by arrival. `notFor`: an officer who must not get it again. */
  private withdraw(assignmentId: string, reason: string, notFor?: string): void {
    const a = this.open.get(assignmentId);
    if (!a) return;
    if (this.store.screening.withdraw(assignmentId, reason, new Date(this.clock.now()))) {
      const bag = this.store.screening.bag(a.bagId);
      if (bag) {
        const barred = this.store.screening.timedOutOfficers(a.bagId);
        if (notFor && !barred.includes(notFor)) barred.push(notFor);
        this.enqueue({ ...bag, receivedAt: new Date(bag.receivedAt) }, barred);
      }
      this.log.info({ assignmentId, bagId: a.bagId, officerId: a.officerId, reason }, 'bag withdrawn');
      this.events.withdrawn(a.officerId, assignmentId, reason);
    }
    this.closeOpen(a);
    this.pump();
  }

  // ---- decision time limits -----------------------------------------------------------------

  private scheduleExpiry(a: OpenAssignment): void {
    const old = this.expiryTimers.get(a.assignmentId);
    if (old) old.cancel();
    const { expiresAt } = decisionWindow(Date.parse(a.assignedAt), this.clock.now(), this.rules().timeLimits);
    const timer = this.clock.after(expiresAt - this.clock.now(), () => this.expire(a.assignmentId));
    this.expiryTimers.set(a.assignmentId, timer);
  }

  /** The window of an open assignment ran out (or the limits changed): act as configured now. */
  private expire(assignmentId: string): void {
    this.expiryTimers.delete(assignmentId);
    const a = this.open.get(assignmentId);
    if (!a) return;
    const limits = this.rules().timeLimits;
    const timedOut = this.store.screening.timedOutOfficers(a.bagId);
    const now = this.clock.now();
    const w = decisionWindow(Date.parse(a.assignedAt), now, limits, timedOut.length);
    if (w.phase !== 'expired') return this.scheduleExpiry(a); // the limits grew meanwhile
    const total = `${limits.beltMovingS + limits.beltStoppedS} s`;
    const someoneElse = [...this.officers.values()].some((o) => o.connected && o.officerId !== a.officerId && !timedOut.includes(o.officerId));
    if (w.action === 'reassign' && someoneElse) {
      this.withdraw(assignmentId, `${TIME_LIMIT_REASON} (${total}) ran out: given to another officer`, a.officerId);
      return;
    }
    const why = w.action === 'reassign' ? 'no other officer signed in: sent to search' : 'sent to search';
    const reason = `${TIME_LIMIT_REASON} (${total}) ran out: ${why}`;
    const decision = this.store.screening.sendToSearch(assignmentId, reason, new Date(now));
    this.closeOpen(a);
    this.forget(a.bagId);
    if (decision) {
      this.log.warn({ assignmentId, bagId: a.bagId, officerId: a.officerId, reason }, 'bag sent to search');
      this.events.withdrawn(a.officerId, assignmentId, reason);
      this.events.sentToSearch(decision);
    }
    this.pump();
  }

  private tick(): void {
    const rules = this.rules();
    if (rules !== this.rulesSeen) {
      const limitsChanged = JSON.stringify(rules.timeLimits) !== JSON.stringify(this.rulesSeen.timeLimits);
      this.rulesSeen = rules;
      if (limitsChanged) for (const a of this.open.values()) this.scheduleExpiry(a);
    }
    if (this.waiting.size === 0) return;
    if (this.flightDeadline) for (const entry of this.waiting.values()) entry.flightDeadline = this.deadlineOf(entry);
    this.queueChanged(); // waits grow and deadlines come closer while bags wait
  }

  // ---- planning ----------------------------------------------------------------------------

  /** The waiting line with priorities as of `now`, ready for the planner. */
  private line(now: number): WaitingBag[] {
    const { queuePriority } = this.rules();
    return [...this.waiting.values()].map((entry) => ({ ...queueKey(entry, now, queuePriority), notFor: entry.notFor }));
  }

  /** Gives waiting bags to free officers. Cheap when nothing can move. */
  pump(): void {
    let anyFree = false;
    for (const o of this.officers.values()) if (isFree(o)) { anyFree = true; break; }
    if (anyFree && this.waiting.size > 0) {
      const plan = planAssignments(this.line(this.clock.now()), [...this.officers.values()]);
      for (const { bagId, officerId } of plan) {
        const a = this.store.screening.assign(bagId, officerId, new Date(this.clock.now()));
        this.waiting.delete(bagId);
        this.open.set(a.assignmentId, a);
        this.officerState(officerId).openAssignment = a.assignmentId;
        this.scheduleExpiry(a);
        this.events.assigned(officerId, this.message(a));
      }
    }
    this.queueChanged();
  }

  private message(a: OpenAssignment): BagAssigned {
    const bag = this.store.screening.bag(a.bagId);
    if (!bag) throw new Error(`assigned bag ${a.bagId} is missing from the store`);
    const machineResult = this.store.screening.machineResult(a.bagId);
    const w = decisionWindow(Date.parse(a.assignedAt), this.clock.now(), this.rules().timeLimits);
    return {
      assignmentId: a.assignmentId,
      assignedAt: a.assignedAt,
      bag: { bagId: bag.bagId, bagTag: bag.bagTag, lane: bag.lane, flight: bag.flight, scannedAt: bag.scannedAt },
      views: this.recentViews.get(a.bagId)?.views ?? this.store.screening.views(a.bagId),
      ...(machineResult ? { machineResult } : {}),
      decideBy: { beltStopsAt: new Date(w.beltStopsAt).toISOString(), expiresAt: new Date(w.expiresAt).toISOString() },
    };
  }

  status(): QueueStatus {
    const now = this.clock.now();
    let oldest = now;
    const lanes = new Map<string, { waiting: number; oldest: number }>();
    const priorities = new Map<number, { waiting: number; oldest: number }>();
    const count = <K>(m: Map<K, { waiting: number; oldest: number }>, key: K, receivedAt: number) => {
      const e = m.get(key);
      if (e) { e.waiting++; e.oldest = Math.min(e.oldest, receivedAt); } else m.set(key, { waiting: 1, oldest: receivedAt });
    };
    const { queuePriority } = this.rules();
    for (const b of this.waiting.values()) {
      oldest = Math.min(oldest, b.receivedAt);
      count(lanes, b.lane, b.receivedAt);
      count(priorities, queueKey(b, now, queuePriority).priority, b.receivedAt);
    }
    const officers = [...this.officers.values()].filter((o) => o.connected);
    return {
      waitingBags: this.waiting.size,
      officersSignedIn: officers.length,
      officersAvailable: officers.filter(isFree).length, // ready for a bag right now
      oldestWaitMs: now - oldest,
      at: new Date(now).toISOString(),
      officersOnBreak: officers.filter((o) => o.status === 'on-break').length,
      lanes: [...lanes].map(([lane, e]) => ({ lane, waiting: e.waiting, oldestWaitMs: now - e.oldest }))
        .sort((a, b) => b.waiting - a.waiting || b.oldestWaitMs - a.oldestWaitMs || (a.lane < b.lane ? -1 : 1)).slice(0, 500),
      byPriority: [...priorities].map(([priority, e]) => ({ priority, waiting: e.waiting, oldestWaitMs: now - e.oldest }))
        .sort((a, b) => b.priority - a.priority).slice(0, 100),
    };
  }

  /** Bags waiting for an officer (cheap, for /healthz). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  /** Screening officers the line knows, signed in or not: status and whether a bag is on their screen (the shift lead's view). */
  officerStates(): { officerId: string; connected: boolean; status: OfficerStatus; screening: boolean }[] {
    return [...this.officers.values()].map((o) => ({ officerId: o.officerId, connected: o.connected, status: o.status, screening: o.openAssignment !== null }));
  }

  private queueChanged(): void {
    this.events.queueChanged();
  }

  close(): void {
    this.closed = true;
    this.ticker.cancel();
    for (const t of this.graceTimers.values()) t.cancel();
    this.graceTimers.clear();
    for (const t of this.expiryTimers.values()) t.cancel();
    this.expiryTimers.clear();
  }
}
