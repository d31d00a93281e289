import { isFree, planAssignments, type ScreeningOfficerState, type WaitingBag } from '@clearway/domain';
import type { BagAssigned, OfficerStatus, QueueStatus, ScanView } from '@clearway/protocol';
import type { OpenAssignment, Store } from '@clearway/store';
import type { Logger } from 'pino';

export interface DispatcherEvents {
  /** Deliver a bag to every console the officer is signed in on. */
  assigned(officerId: string, message: BagAssigned): void;
  withdrawn(officerId: string, assignmentId: string, reason: string): void;
  /** The line changed; `status()` gives the figures (computed only when someone sends them). */
  queueChanged(): void;
}

/**
 * The hub's screening line: waiting bags, signed-in screening officers and who holds which bag.
 * Decisions about who gets what come from the pure planner in @clearway/domain; this class
 * applies them to the store and tells the consoles. All state survives a restart through the
 * store (waiting bags and open assignments are reloaded).
 */
export class ScreeningDispatcher {
  private readonly waiting = new Map<string, WaitingBag>();
  private readonly officers = new Map<string, ScreeningOfficerState & { sockets: Set<string> }>();
  private readonly open = new Map<string, OpenAssignment>(); // by assignmentId
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
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
  ) {
    for (const b of store.screening.waitingBags()) this.waiting.set(b.bagId, { bagId: b.bagId, receivedAt: Date.parse(b.receivedAt), priority: 0 });
    for (const a of store.screening.openAssignments()) {
      this.open.set(a.assignmentId, a);
      this.officerState(a.officerId).openAssignment = a.assignmentId;
      this.startGrace(a.officerId);
    }
  }

  private officerState(officerId: string) {
    let o = this.officers.get(officerId);
    if (!o) {
      o = { officerId, connected: false, status: 'available', openAssignment: null, freeSince: Date.now(), sockets: new Set() };
      this.officers.set(officerId, o);
    }
    return o;
  }

  officerSignedIn(officerId: string, socketId: string): { status: OfficerStatus; current: BagAssigned | null } {
    const o = this.officerState(officerId);
    o.sockets.add(socketId);
    o.connected = true;
    const t = this.graceTimers.get(officerId);
    if (t) { clearTimeout(t); this.graceTimers.delete(officerId); }
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

  setStatus(officerId: string, status: OfficerStatus): void {
    const o = this.officerState(officerId);
    if (o.status !== status && status === 'available') o.freeSince = Date.now();
    o.status = status;
    this.pump();
  }

  bagArrived(bagId: string, receivedAt: Date, views?: ScanView[]): void {
    if (views) this.remember(bagId, views);
    this.waiting.set(bagId, { bagId, receivedAt: receivedAt.getTime(), priority: 0 });
    this.pump();
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
    this.open.delete(assignmentId);
    this.forget(a.bagId);
    const o = this.officerState(a.officerId);
    if (o.openAssignment === assignmentId) {
      o.openAssignment = null;
      o.freeSince = Date.now();
    }
  }

  private startGrace(officerId: string): void {
    if (this.graceTimers.has(officerId)) return;
    const timer = setTimeout(() => {
      this.graceTimers.delete(officerId);
      const o = this.officers.get(officerId);
      if (!o || o.connected || !o.openAssignment) return;
      this.withdraw(o.openAssignment, 'officer signed out');
    }, this.reassignAfterSignOutMs);
    timer.unref();
    this.graceTimers.set(officerId, timer);
  }

  private withdraw(assignmentId: string, reason: string): void {
    const a = this.open.get(assignmentId);
    if (!a) return;
    if (this.store.screening.withdraw(assignmentId, reason, new Date())) {
      const bag = this.store.screening.bag(a.bagId);
      this.waiting.set(a.bagId, { bagId: a.bagId, receivedAt: bag ? Date.parse(bag.receivedAt) : Date.now(), priority: 0 });
      this.log.info({ assignmentId, bagId: a.bagId, officerId: a.officerId, reason }, 'bag withdrawn');
      this.events.withdrawn(a.officerId, assignmentId, reason);
    }
    this.open.delete(assignmentId);
    const o = this.officerState(a.officerId);
    if (o.openAssignment === assignmentId) o.openAssignment = null;
    this.pump();
  }

  /** Gives waiting bags to free officers. Cheap when nothing can move. */
  pump(): void {
    const plan = planAssignments([...this.waiting.values()], [...this.officers.values()]);
    for (const { bagId, officerId } of plan) {
      const a = this.store.screening.assign(bagId, officerId, new Date());
      this.waiting.delete(bagId);
      this.open.set(a.assignmentId, a);
      this.officerState(officerId).openAssignment = a.assignmentId;
      this.events.assigned(officerId, this.message(a));
    }
    this.queueChanged();
  }

  private message(a: OpenAssignment): BagAssigned {
    const bag = this.store.screening.bag(a.bagId);
    if (!bag) throw new Error(`assigned bag ${a.bagId} is missing from the store`);
    const machineResult = this.store.screening.machineResult(a.bagId);
    return {
      assignmentId: a.assignmentId,
      assignedAt: a.assignedAt,
      bag: { bagId: bag.bagId, bagTag: bag.bagTag, lane: bag.lane, flight: bag.flight, scannedAt: bag.scannedAt },
      views: this.recentViews.get(a.bagId)?.views ?? this.store.screening.views(a.bagId),
      ...(machineResult ? { machineResult } : {}),
    };
  }

  status(): QueueStatus {
    const now = Date.now();
    let oldest = now;
    for (const b of this.waiting.values()) oldest = Math.min(oldest, b.receivedAt);
    const officers = [...this.officers.values()].filter((o) => o.connected);
    return {
      waitingBags: this.waiting.size,
      officersSignedIn: officers.length,
      officersAvailable: officers.filter(isFree).length, // ready for a bag right now
      oldestWaitMs: now - oldest,
      at: new Date(now).toISOString(),
    };
  }

  private queueChanged(): void {
    this.events.queueChanged();
  }

  close(): void {
    for (const t of this.graceTimers.values()) clearTimeout(t);
    this.graceTimers.clear();
  }
}
