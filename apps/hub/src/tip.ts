/**
 * Threat Image Projection in the hub. At ingest, before the bag joins the line, a share of bags
 * (setting `tip.projection`, default 3 %) gets a fictional threat item from the library added
 * into its dual-energy data (packages/domain/src/tip.ts); the bag is then stored like any other,
 * and what was projected where goes to `tip_projections`, which no screening console can read
 * before its decision. The assignment is the same message for every bag.
 *
 * The officer's decision on such a bag is the response to the projection: a hit when they sent
 * it to search (and, if they marked regions, one mark overlaps the item), otherwise a miss. It is
 * recorded in the TIP table and the audit trail only, never as a decision on the bag, so nothing
 * downstream (search station, robots, flight clocks, the scanner's report) treats the fictional
 * item as a real alarm. Right after the ack the officer's consoles get `tip:result`; the bag's own
 * pixels are put back and the bag returns to the head of the line for a decision on the bag itself.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { type TipNoiseModel, type TipView, SIMULATOR_NOISE, compositeTip, planTip, tipFound, tipRandom } from '@clearway/domain';
import {
  type ConsoleToHubEvents, type DecisionSubmit, type ErrorBody, type HubToConsoleEvents, type Officer, type ScanSubmit, type ScanView, type TipLibraryItem, type TipResult,
  type TipSettings, type ViewBox,
} from '@clearway/protocol';
import { StoreError, type NewTipProjection, type StoredDecision, type StoredTipProjection, type Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Namespace } from 'socket.io';
import type { ScreeningDispatcher } from './dispatcher.ts';
import { type TipLibrary, loadTipLibrary } from './tip-library.ts';

export interface TipHubOptions {
  /** The library folder (manifest.json, items/); null: no projections. */
  libraryDir: string | null;
  /** Key of the per-bag draw (HMAC-SHA256 of the scan ID). Default: random at each start. */
  secret?: string;
  /** The scanner's detector, for the noise an item adds; null adds none. Default: the simulator's. */
  noise?: TipNoiseModel | null;
  /** The hub's clock (clock.ts), ms since epoch, for the response's stamps. Default: the wall clock. */
  now?: () => number;
}

/**
 * The per-scan draw: `u` (uniform in [0, 1)) decides whether the bag gets a projection, `seed`
 * which item, how it lies and where. Keyed, so that nobody who sees scans can predict it.
 */
export function tipDraw(secret: string, scanId: string): { u: number; seed: number } {
  const h = createHmac('sha256', secret).update(scanId).digest();
  return { u: h.readUInt32BE(0) / 2 ** 32, seed: h.readUInt32BE(4) };
}

function u16Copy(bytes: Uint8Array): Uint16Array {
  const out = new Uint16Array(bytes.byteLength >> 1);
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.byteLength));
  return out;
}

/** The u16 plane as wire bytes (little-endian, as u16View reads them). */
const bytesOf = (u16: Uint16Array): Uint8Array => new Uint8Array(u16.buffer, u16.byteOffset, u16.byteLength);

const SETTINGS_TTL_MS = 1000;

type Reply<T> = T | ErrorBody;

export class TipHub {
  readonly library: TipLibrary | null;
  private readonly secret: string;
  private readonly noise: TipNoiseModel | null;
  private readonly now: () => number;
  private cached: TipSettings | null = null;
  private cachedAt = 0;
  private cachedVersion = -1;

  constructor(
    private readonly store: Store,
    private readonly dispatcher: ScreeningDispatcher,
    private readonly consoleNs: Namespace<ConsoleToHubEvents, HubToConsoleEvents>,
    private readonly log: Logger,
    options: TipHubOptions,
  ) {
    this.secret = options.secret ?? randomBytes(32).toString('hex');
    this.noise = options.noise === undefined ? SIMULATOR_NOISE : options.noise;
    this.now = options.now ?? Date.now;
    let library: TipLibrary | null = null;
    if (options.libraryDir !== null) {
      try {
        library = loadTipLibrary(options.libraryDir);
        for (const r of library.refused) log.error({ itemId: r.id, reason: r.reason }, 'TIP item left out of the library');
        log.info({ dir: library.dir, items: library.items.length }, 'TIP library loaded');
      } catch (err) {
        log.error({ err, dir: options.libraryDir }, 'no TIP library: threat image projection is off');
      }
    }
    this.library = library;
    // Responses the hub took before a crash, whose bags still show the item: put their pixels back
    // before any officer can be given them.
    for (const bagId of store.tip.pendingRestores()) this.restore(bagId);
  }

  /** The setting as stored (re-read at most once a second, at once after a change in this process). */
  settings(): TipSettings {
    const now = Date.now();
    if (this.cached && this.cachedVersion === this.store.settings.version && now - this.cachedAt < SETTINGS_TTL_MS) return this.cached;
    this.cachedAt = now;
    this.cachedVersion = this.store.settings.version;
    try {
      this.cached = this.store.settings.effective('tip.projection');
    } catch (err) {
      this.log.error({ err }, 'stored tip.projection setting is invalid; using the defaults');
      this.cached = this.store.settings.defaults('tip.projection');
    }
    return this.cached;
  }

  private enabled(settings: TipSettings) {
    return (this.library?.items ?? []).filter((e) => settings.items[e.meta.id] ?? e.meta.enabled);
  }

  /**
   * The scan with an item projected into it, or null for a bag that gets none (not drawn, no
   * enabled item, nothing fits). The scan's own buffers are never changed; the machine result
   * and everything but the image planes are passed on as they came.
   */
  project(scan: ScanSubmit): { scan: ScanSubmit; projection: NewTipProjection } | null {
    const settings = this.settings();
    if (!this.library || !(settings.rate > 0)) return null;
    const draw = tipDraw(this.secret, scan.scanId);
    if (draw.u >= settings.rate) return null;
    const entries = this.enabled(settings);
    if (entries.length === 0) return null;
    const views: TipView[] = scan.views.map((v) => ({ view: v.view, width: v.width, height: v.height, high: u16Copy(v.high), ...(v.low ? { low: u16Copy(v.low) } : {}) }));
    const random = tipRandom(draw.seed);
    const plan = planTip(views, entries.map((e) => e.patches), random);
    if (!plan) return null;
    const entry = entries[plan.itemIndex];
    if (!entry) return null;
    const parts: Uint8Array[] = [];
    const boxes: ViewBox[] = [];
    for (const p of plan.placements) {
      const view = views[p.viewIndex] as TipView;
      const original = compositeTip(view, p.patch, p.x, p.y, p.viewIndex, { random, noise: this.noise });
      if (original.low) parts.push(bytesOf(original.low));
      parts.push(bytesOf(original.high));
      boxes.push({ view: (scan.views[p.viewIndex] as ScanView).view, x: p.x, y: p.y, width: p.patch.width, height: p.patch.height });
    }
    const original = new Uint8Array(parts.reduce((n, b) => n + b.byteLength, 0));
    parts.reduce((o, b) => (original.set(b, o), o + b.byteLength), 0);
    const touched = new Set(plan.placements.map((p) => p.viewIndex));
    const composited: ScanSubmit = {
      ...scan,
      views: scan.views.map((v, i): ScanView => {
        const t = views[i] as TipView;
        if (!touched.has(i)) return v;
        return { ...v, high: bytesOf(t.high), ...(v.low && t.low ? { low: bytesOf(t.low) } : {}) };
      }),
    };
    return {
      scan: composited,
      projection: { itemId: entry.meta.id, itemClass: entry.meta.class, description: entry.meta.description, pose: { ...plan.pose }, boxes, original },
    };
  }

  /**
   * Stores a scan, with a projection when the draw says so, in one transaction. Returns the views
   * as stored: the ones to hand to the line (never the scanner's originals of a projected bag).
   */
  storeScan(deviceId: string, scan: ScanSubmit, receivedAt: Date): { bagId: string; duplicate: boolean; views: ScanView[] } {
    let projected: ReturnType<TipHub['project']> = null;
    try {
      projected = this.project(scan);
    } catch (err) {
      // A projection must never cost a bag: store it as it came.
      this.log.error({ err, scanId: scan.scanId }, 'TIP projection failed; bag stored without one');
    }
    const stored = projected ? projected.scan : scan;
    const r = this.store.tip.storeScan(deviceId, stored, receivedAt, projected?.projection ?? null);
    if (r.projectionId && projected) this.log.info({ bagId: r.bagId, itemId: projected.projection.itemId, projectionId: r.projectionId }, 'TIP item projected');
    return { bagId: r.bagId, duplicate: r.duplicate, views: stored.views };
  }

  /**
   * An officer's decision, if it is the response to a projection: recorded, answered and followed
   * by `tip:result` and the bag's return to the line. Null for any other decision (the caller
   * stores it as usual, with the usual refusals).
   */
  decision(officerId: string, d: DecisionSubmit): Reply<{ decisionId: string; duplicate: boolean; storedAt: string }> | null {
    const r = this.store.tip.respond(officerId, d, (boxes) => tipFound(d.verdict, boxes, d.marks), new Date(this.now()));
    if (!r) return null;
    if (r.kind === 'refused') return { code: r.code, message: r.message };
    const { projection, response } = r;
    if (r.kind === 'recorded') {
      this.log.info({ officerId, bagId: d.bagId, itemId: projection.itemId, outcome: response.outcome }, 'TIP response stored');
      this.dispatcher.decided(d.assignmentId);
    }
    // After the ack: the result to the officer, then the bag (its own image) back to the line.
    setImmediate(() => {
      this.push(officerId, this.resultOf(projection));
      if (r.kind === 'recorded') this.returnToLine(d.bagId);
      this.dispatcher.pump();
    });
    return { decisionId: response.responseId, duplicate: r.kind === 'duplicate', storedAt: response.respondedAt };
  }

  /** An ordinary decision was stored (and acknowledged): its `tip:result` says so. */
  decided(officerId: string, decision: StoredDecision): void {
    this.push(officerId, { assignmentId: decision.assignmentId, bagId: decision.bagId, projected: false, decidedAt: decision.decidedAt });
  }

  /** The time limit sent a bag to search: if it carried an item, that is a miss, and the search sees the bag's own image. */
  sentToSearch(decision: StoredDecision): void {
    try {
      const p = this.store.tip.timedOut(decision.bagId, decision.assignmentId, decision.officerId, new Date(this.now()));
      if (!p) return;
      this.log.info({ officerId: decision.officerId, bagId: decision.bagId, itemId: p.itemId }, 'TIP item not responded to in time');
      this.restore(decision.bagId);
    } catch (err) {
      this.log.error({ err, bagId: decision.bagId }, 'could not record the TIP time-out');
    }
  }

  private push(officerId: string, result: TipResult): void {
    this.consoleNs.to(`officer:${officerId}`).emit('tip:result', result);
  }

  private resultOf(p: StoredTipProjection): TipResult {
    const response = p.response;
    if (!response) throw new Error(`projection ${p.projectionId} has no response`);
    return {
      assignmentId: response.assignmentId, bagId: p.bagId, projected: true, found: response.found,
      item: { class: p.itemClass, description: p.description, boxes: p.boxes }, decidedAt: response.decidedAt,
    };
  }

  private restore(bagId: string): boolean {
    try {
      this.store.tip.restore(bagId, new Date(this.now()));
      return true;
    } catch (err) {
      this.log.error({ err, bagId }, 'could not put the bag\'s own image back; tried again when the hub restarts');
      return false;
    }
  }

  private returnToLine(bagId: string): void {
    // A bag that still shows the item stays out of the line until a restart has put its pixels back.
    if (!this.restore(bagId)) return;
    const bag = this.store.screening.bag(bagId);
    if (bag) this.dispatcher.bagArrived({ ...bag, receivedAt: new Date(bag.receivedAt) });
  }

  private libraryItems(): TipLibraryItem[] {
    const settings = this.settings();
    const stats = this.store.tip.itemStats();
    return (this.library?.items ?? []).map(({ meta }) => ({
      id: meta.id, class: meta.class, description: meta.description, width: meta.width, height: meta.height,
      enabled: settings.items[meta.id] ?? meta.enabled, projections: 0, hits: 0, misses: 0, ...stats.get(meta.id),
    }));
  }

  /** tip:query for screening officers; tip:library and tip:item-set for administrators (roles: consoleRequests). */
  consoleHandlers(officer: Officer) {
    return {
      'tip:query': ({ assignmentId }: { assignmentId: string }): Reply<TipResult> => {
        const a = this.store.tip.assignment(assignmentId);
        if (!a) return { code: 'not-found', message: 'no such assignment' };
        if (a.officerId !== officer.id) return { code: 'forbidden', message: 'this bag is not assigned to you' };
        const p = this.store.tip.forAssignment(assignmentId);
        if (p?.response) return this.resultOf(p);
        // The same answer for every undecided bag, projected or not.
        if (a.decidedAt === null) return { code: 'conflict', message: 'TIP feedback follows your decision on the bag' };
        return { assignmentId, bagId: a.bagId, projected: false, decidedAt: a.decidedAt };
      },
      'tip:library': (): Reply<{ rate: number; items: TipLibraryItem[] }> => ({ rate: this.settings().rate, items: this.libraryItems() }),
      'tip:item-set': ({ itemId, enabled }: { itemId: string; enabled: boolean }): Reply<{ item: TipLibraryItem }> => {
        if (!this.library?.items.some((e) => e.meta.id === itemId)) return { code: 'not-found', message: `no TIP item ${itemId} in the library` };
        const current = this.store.settings.effective('tip.projection');
        try {
          this.store.settings.set('tip.projection', { ...current, items: { ...current.items, [itemId]: enabled } }, { kind: 'officer', id: officer.id });
        } catch (err) {
          if (err instanceof StoreError) return { code: 'invalid', message: err.message };
          throw err;
        }
        this.log.info({ officerId: officer.id, itemId, enabled }, 'TIP item switched');
        const item = this.libraryItems().find((i) => i.id === itemId);
        if (!item) return { code: 'not-found', message: `no TIP item ${itemId} in the library` };
        return { item };
      },
    };
  }
}
