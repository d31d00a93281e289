import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  BagSummary, DecisionStored, DetectionResultSubmit, DetectionVerdict, MachineResult, ScanRisk, ScanSource, ScanSubmit, ScanView, Verdict, ViewBox, ViewEncoding, ViewName,
} from '@clearway/protocol';
import { HUB_DISPATCHER, appendAudit } from './audit.ts';
import type { Db } from './database.ts';

export interface StoredDecision {
  decisionId: string;
  idempotencyKey: string;
  bagId: string;
  assignmentId: string;
  officerId: string;
  verdict: Verdict;
  shownAt: string;
  decidedAt: string;
  storedAt: string;
  /** The officer's verdict on each machine detection shown; absent when the console sent none. */
  detections?: DetectionVerdict[];
  /** A search decision's regions marked for the search officer (image pixels) and note; absent when none. */
  marks?: ViewBox[];
  note?: string;
  /** When the hub assigned the bag (absent on decisions stored before this was kept). */
  assignedAt?: string;
  /** Time to first paint (ms): bag:assigned arriving at the console to the image on screen; absent when not reported. */
  paintMs?: number;
  /**
   * 'time-limit': nobody decided in time and the hub sent the bag to search (`officerId` is who
   * held it; `shownAt` is the hub's record of the first paint, else the assignment time). Leave
   * these out of an officer's false-alarm figures.
   */
  madeBy: 'officer' | 'time-limit';
}

/** A console model's result on a bag: a machine result of its own, beside the scanner's. */
export interface StoredDetectionResult {
  resultId: string;
  bagId: string;
  assignmentId: string;
  officerId: string;
  model: { sha256: string; name: string };
  backend: string;
  inferMs: number;
  alarm: boolean;
  detections: DetectionResultSubmit['detections'];
  storedAt: string;
}

export type RecordDetectionResult =
  | { ok: true; result: StoredDetectionResult; replaced: boolean }
  | { ok: false; code: 'not-found' | 'forbidden' | 'conflict'; message: string };

export interface OpenAssignment {
  assignmentId: string;
  bagId: string;
  officerId: string;
  assignedAt: string;
  /** When the console reported the first paint (bag:shown); absent until then. */
  shownAt?: string;
}

/** A bag in the waiting line as stored, with what its priority needs. */
export interface WaitingBagRow {
  bagId: string;
  receivedAt: string;
  lane: string;
  flight: string;
  bagTag: string;
  risk: ScanRisk | null;
}

export type MarkShownResult = { ok: true; first: boolean } | { ok: false; code: 'not-found' | 'forbidden' | 'conflict'; message: string };

/** close_reason prefix of a withdrawal for running out of decision time (counted for maxReassignments). */
export const TIME_LIMIT_REASON = 'decision time limit';

export type RecordDecisionResult =
  | { ok: true; decision: StoredDecision; duplicate: boolean }
  | { ok: false; code: 'not-found' | 'forbidden' | 'conflict' | 'invalid'; message: string };

interface BagRow { id: string; bag_tag: string; lane: string; flight: string; scanned_at: string; received_at: string; state: string; risk: string | null }
interface DecisionRow {
  id: string; idempotency_key: string; bag_id: string; assignment_id: string; officer_id: string;
  verdict: Verdict; shown_at: string; decided_at: string; stored_at: string; detections: string | null;
  assigned_at: string | null; paint_ms: number | null; made_by: 'officer' | 'time-limit'; marks: string | null; note: string | null;
}
interface AssignmentRow {
  id: string; bag_id: string; officer_id: string; state: string; assigned_at: string; shown_at: string | null; paint_ms: number | null;
}
interface DetectionResultRow {
  id: string; bag_id: string; assignment_id: string; officer_id: string; model_sha256: string; model_name: string;
  backend: string; infer_ms: number; alarm: number; detections: string; stored_at: string;
}

const toDecision = (r: DecisionRow): StoredDecision => ({
  decisionId: r.id, idempotencyKey: r.idempotency_key, bagId: r.bag_id, assignmentId: r.assignment_id,
  officerId: r.officer_id, verdict: r.verdict, shownAt: r.shown_at, decidedAt: r.decided_at, storedAt: r.stored_at,
  ...(r.detections ? { detections: JSON.parse(r.detections) as DetectionVerdict[] } : {}),
  ...(r.assigned_at === null ? {} : { assignedAt: r.assigned_at }),
  ...(r.paint_ms === null ? {} : { paintMs: r.paint_ms }),
  ...(r.marks ? { marks: JSON.parse(r.marks) as ViewBox[] } : {}),
  ...(r.note === null ? {} : { note: r.note }),
  madeBy: r.made_by,
});
const toDetectionResult = (r: DetectionResultRow): StoredDetectionResult => ({
  resultId: r.id, bagId: r.bag_id, assignmentId: r.assignment_id, officerId: r.officer_id,
  model: { sha256: r.model_sha256, name: r.model_name }, backend: r.backend, inferMs: r.infer_ms, alarm: r.alarm === 1,
  detections: JSON.parse(r.detections) as StoredDetectionResult['detections'], storedAt: r.stored_at,
});
const toBag = (r: BagRow): BagSummary => ({ bagId: r.id, bagTag: r.bag_tag, lane: r.lane, flight: r.flight, scannedAt: r.scanned_at });

/** Bags, their scan images, assignments to officers, and officers' decisions. */
export class ScreeningRepository {
  private readonly stmt;
  /** One transaction wrapper for every write: building one per call cost more than the writes. */
  private readonly atomically: <T>(work: () => T) => T;

  /** `imageDir`: where image planes are written; null keeps them in the database (in-memory stores). */
  constructor(private readonly db: Db, private readonly imageDir: string | null = null) {
    const run = db.transaction((work: () => unknown) => work());
    // IMMEDIATE: take the write lock first, so a CLI writing the same data folder makes this
    // wait (busy_timeout) instead of failing on a stale read snapshot.
    this.atomically = <T>(work: () => T): T => run.immediate(work) as T;
    this.stmt = {
      bagByScan: db.prepare('SELECT id FROM bags WHERE scan_id = ?'),
      insertBag: db.prepare(`INSERT INTO bags (id, scan_id, device_id, lane, flight, bag_tag, scanned_at, received_at, state, machine_result, source, risk)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)`),
      machineResult: db.prepare('SELECT machine_result FROM bags WHERE id = ?'),
      scanSource: db.prepare('SELECT source FROM bags WHERE id = ?'),
      unreported: db.prepare(`SELECT d.id, d.bag_id, b.scan_id, b.bag_tag, d.verdict, d.officer_id, o.name AS officer_name,
                                     d.shown_at, d.decided_at, d.stored_at, b.source
                              FROM decisions d JOIN bags b ON b.id = d.bag_id JOIN officers o ON o.id = d.officer_id
                              WHERE d.reported_at IS NULL AND b.device_id = ?
                              ORDER BY d.stored_at`),
      unreportedOne: db.prepare(`SELECT d.id, d.bag_id, b.scan_id, b.bag_tag, d.verdict, d.officer_id, o.name AS officer_name,
                                        d.shown_at, d.decided_at, d.stored_at, b.source
                                 FROM decisions d JOIN bags b ON b.id = d.bag_id JOIN officers o ON o.id = d.officer_id
                                 WHERE d.id = ? AND d.reported_at IS NULL AND b.device_id = ?`),
      deviceOf: db.prepare('SELECT device_id FROM bags WHERE id = ?'),
      markReported: db.prepare('UPDATE decisions SET reported_at = ? WHERE id = ? AND reported_at IS NULL'),
      insertView: db.prepare('INSERT INTO scan_views (bag_id, view, width, height, encoding, low, high, in_file) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      bag: db.prepare('SELECT id, bag_tag, lane, flight, scanned_at, received_at, state, risk FROM bags WHERE id = ?'),
      views: db.prepare('SELECT view, width, height, encoding, low, high, in_file FROM scan_views WHERE bag_id = ? ORDER BY view DESC'),
      waiting: db.prepare(`SELECT id, received_at, lane, flight, bag_tag, risk FROM bags WHERE state = 'waiting' ORDER BY received_at, id`),
      openAssignments: db.prepare(`SELECT id, bag_id, officer_id, assigned_at, shown_at FROM assignments WHERE state = 'open'`),
      markShown: db.prepare(`UPDATE assignments SET shown_at = ?, paint_ms = ? WHERE id = ? AND shown_at IS NULL`),
      timedOut: db.prepare(`SELECT officer_id FROM assignments WHERE bag_id = ? AND state = 'withdrawn' AND close_reason LIKE '${TIME_LIMIT_REASON}%' ORDER BY closed_at`),
      insertAssignment: db.prepare(`INSERT INTO assignments (id, bag_id, officer_id, assigned_at, state) VALUES (?, ?, ?, ?, 'open')`),
      setBagState: db.prepare('UPDATE bags SET state = ? WHERE id = ?'),
      assignment: db.prepare('SELECT id, bag_id, officer_id, state, assigned_at, shown_at, paint_ms FROM assignments WHERE id = ?'),
      closeAssignment: db.prepare(`UPDATE assignments SET state = ?, closed_at = ?, close_reason = ? WHERE id = ? AND state = 'open'`),
      decisionByKey: db.prepare('SELECT * FROM decisions WHERE idempotency_key = ?'),
      insertDecision: db.prepare(`INSERT INTO decisions (id, idempotency_key, bag_id, assignment_id, officer_id, verdict, shown_at, decided_at, stored_at, detections,
                                                     assigned_at, paint_ms, made_by)
                                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setDecisionMarks: db.prepare('UPDATE decisions SET marks = ?, note = ? WHERE id = ?'),
      viewSizes: db.prepare('SELECT view, width, height FROM scan_views WHERE bag_id = ?'),
      detectionResultOf: db.prepare('SELECT id FROM detection_results WHERE assignment_id = ? AND model_sha256 = ?'),
      insertDetectionResult: db.prepare(`INSERT INTO detection_results (id, bag_id, assignment_id, officer_id, model_sha256, model_name, backend, infer_ms, alarm, detections, stored_at)
                                         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      replaceDetectionResult: db.prepare(`UPDATE detection_results SET model_name = ?, backend = ?, infer_ms = ?, alarm = ?, detections = ?, stored_at = ? WHERE id = ?`),
      detectionResultsForBag: db.prepare('SELECT * FROM detection_results WHERE bag_id = ? ORDER BY stored_at, id'),
      decisionsForBag: db.prepare('SELECT * FROM decisions WHERE bag_id = ? ORDER BY stored_at'),
      recentDecisions: db.prepare('SELECT * FROM decisions ORDER BY stored_at DESC, id LIMIT ?'),
      countDecisions: db.prepare('SELECT COUNT(*) AS n FROM decisions'),
    };
  }

  /** Stores a scan and its views in one transaction. A resent scanId returns the stored bag. */
  storeScan(deviceId: string, scan: ScanSubmit, receivedAt: Date): { bagId: string; duplicate: boolean } {
    const existing = this.stmt.bagByScan.get(scan.scanId) as { id: string } | undefined;
    if (existing) return { bagId: existing.id, duplicate: true };
    const bagId = randomUUID();
    // Image files first, then the rows that point at them: a crash in between leaves only an
    // orphan folder, never a bag without its images. (Synchronous code: no resend can interleave.)
    const imageDir = this.imageDir;
    if (imageDir) {
      mkdirSync(join(imageDir, bagId), { recursive: true });
      for (const v of scan.views) {
        writeFileSync(join(imageDir, bagId, `${v.view}.high`), v.high);
        if (v.low) writeFileSync(join(imageDir, bagId, `${v.view}.low`), v.low);
      }
    }
    return this.atomically(() => {
      this.stmt.insertBag.run(bagId, scan.scanId, deviceId, scan.lane, scan.flight, scan.bagTag, scan.scannedAt, receivedAt.toISOString(),
        scan.machineResult ? JSON.stringify(scan.machineResult) : null, scan.source ? JSON.stringify(scan.source) : null,
        scan.risk ? JSON.stringify(scan.risk) : null);
      for (const v of scan.views) {
        if (imageDir) this.stmt.insertView.run(bagId, v.view, v.width, v.height, v.encoding, null, null, 1);
        else this.stmt.insertView.run(bagId, v.view, v.width, v.height, v.encoding, v.low ?? null, v.high, 0);
      }
      return { bagId, duplicate: false };
    });
  }

  bag(bagId: string): (BagSummary & { state: string; receivedAt: string; risk: ScanRisk | null }) | null {
    const row = this.stmt.bag.get(bagId) as BagRow | undefined;
    return row ? { ...toBag(row), state: row.state, receivedAt: row.received_at, risk: row.risk ? (JSON.parse(row.risk) as ScanRisk) : null } : null;
  }

  views(bagId: string): ScanView[] {
    const rows = this.stmt.views.all(bagId) as { view: ViewName; width: number; height: number; encoding: ViewEncoding; low: Buffer | null; high: Buffer | null; in_file: number }[];
    return rows.map((r) => {
      const base = { view: r.view, width: r.width, height: r.height, encoding: r.encoding };
      if (r.in_file && this.imageDir) {
        const folder = join(this.imageDir, bagId);
        const high = readFileSync(join(folder, `${r.view}.high`));
        return r.encoding === 'dual-energy-u16le' ? { ...base, high, low: readFileSync(join(folder, `${r.view}.low`)) } : { ...base, high };
      }
      if (!r.high) throw new Error(`bag ${bagId}: ${r.view} view has no image`);
      return { ...base, high: r.high, ...(r.low ? { low: r.low } : {}) };
    });
  }

  machineResult(bagId: string): MachineResult | null {
    const row = this.stmt.machineResult.get(bagId) as { machine_result: string | null } | undefined;
    return row?.machine_result ? (JSON.parse(row.machine_result) as MachineResult) : null;
  }

  /** The DICOS object the bag's scan was read from, if it came through a DICOS adapter. */
  scanSource(bagId: string): ScanSource | null {
    const row = this.stmt.scanSource.get(bagId) as { source: string | null } | undefined;
    return row?.source ? (JSON.parse(row.source) as ScanSource) : null;
  }

  /** Decisions on the device's bags that the device has not acknowledged yet (all, or one). */
  unreportedDecisions(deviceId: string, decisionId: string | null = null): DecisionStored[] {
    // One decision by its key (the hot path, right after a decision), or the device's whole backlog.
    const rows = (decisionId ? this.stmt.unreportedOne.all(decisionId, deviceId) : this.stmt.unreported.all(deviceId)) as {
      id: string; bag_id: string; scan_id: string; bag_tag: string; verdict: Verdict; officer_id: string; officer_name: string;
      shown_at: string; decided_at: string; stored_at: string; source: string | null;
    }[];
    return rows.map((r) => ({
      decisionId: r.id, bagId: r.bag_id, scanId: r.scan_id, bagTag: r.bag_tag, verdict: r.verdict,
      officer: { id: r.officer_id, name: r.officer_name }, shownAt: r.shown_at, decidedAt: r.decided_at, storedAt: r.stored_at,
      ...(r.source ? { source: JSON.parse(r.source) as ScanSource } : {}),
    }));
  }

  /** Every stored decision in the report shape (for operator TDRs), stored in `from` ≤ t < `to`, oldest first. */
  *decisionReports(range: { from?: string; to?: string } = {}): Generator<DecisionStored> {
    const rows = this.db.prepare(`SELECT d.id, d.bag_id, b.scan_id, b.bag_tag, d.verdict, d.officer_id, o.name AS officer_name,
                                         d.shown_at, d.decided_at, d.stored_at, b.source
                                  FROM decisions d JOIN bags b ON b.id = d.bag_id JOIN officers o ON o.id = d.officer_id
                                  WHERE d.stored_at >= ? AND d.stored_at < ? ORDER BY d.stored_at, d.id`)
      .iterate(range.from === undefined ? '' : new Date(range.from).toISOString(), range.to === undefined ? '\uffff' : new Date(range.to).toISOString()) as IterableIterator<{
        id: string; bag_id: string; scan_id: string; bag_tag: string; verdict: Verdict; officer_id: string; officer_name: string;
        shown_at: string; decided_at: string; stored_at: string; source: string | null;
      }>;
    for (const r of rows) {
      yield {
        decisionId: r.id, bagId: r.bag_id, scanId: r.scan_id, bagTag: r.bag_tag, verdict: r.verdict,
        officer: { id: r.officer_id, name: r.officer_name }, shownAt: r.shown_at, decidedAt: r.decided_at, storedAt: r.stored_at,
        ...(r.source ? { source: JSON.parse(r.source) as ScanSource } : {}),
      };
    }
  }

  markReported(decisionId: string, at: Date): void {
    this.stmt.markReported.run(at.toISOString(), decisionId);
  }

  /** The device that scanned the bag. */
  deviceOf(bagId: string): string | null {
    const row = this.stmt.deviceOf.get(bagId) as { device_id: string } | undefined;
    return row?.device_id ?? null;
  }

  waitingBags(): WaitingBagRow[] {
    return (this.stmt.waiting.all() as { id: string; received_at: string; lane: string; flight: string; bag_tag: string; risk: string | null }[])
      .map((r) => ({ bagId: r.id, receivedAt: r.received_at, lane: r.lane, flight: r.flight, bagTag: r.bag_tag, risk: r.risk ? (JSON.parse(r.risk) as ScanRisk) : null }));
  }

  openAssignments(): OpenAssignment[] {
    return (this.stmt.openAssignments.all() as { id: string; bag_id: string; officer_id: string; assigned_at: string; shown_at: string | null }[])
      .map((r) => ({ assignmentId: r.id, bagId: r.bag_id, officerId: r.officer_id, assignedAt: r.assigned_at, ...(r.shown_at ? { shownAt: r.shown_at } : {}) }));
  }

  /**
   * The officer's console painted the bag (bag:shown). The first report counts; a later one (a
   * second console of the same officer) changes nothing.
   */
  markShown(officerId: string, assignmentId: string, paintMs: number, at: Date): MarkShownResult {
    const a = this.stmt.assignment.get(assignmentId) as AssignmentRow | undefined;
    if (!a) return { ok: false, code: 'not-found', message: 'no such assignment' };
    if (a.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'this bag is not assigned to you' };
    if (a.state === 'withdrawn') return { ok: false, code: 'conflict', message: 'the bag was taken back from you' };
    return { ok: true, first: this.stmt.markShown.run(at.toISOString(), paintMs, assignmentId).changes === 1 };
  }

  /** The officers the bag was already taken back from for running out of decision time, first first. */
  timedOutOfficers(bagId: string): string[] {
    return (this.stmt.timedOut.all(bagId) as { officer_id: string }[]).map((r) => r.officer_id);
  }

  assign(bagId: string, officerId: string, at: Date): OpenAssignment {
    return this.atomically(() => {
      const assignmentId = randomUUID();
      this.stmt.insertAssignment.run(assignmentId, bagId, officerId, at.toISOString());
      this.stmt.setBagState.run('assigned', bagId);
      appendAudit(this.db, { type: 'bag.assigned', actor: HUB_DISPATCHER, subjectId: bagId, payload: { assignmentId, officerId } }, at);
      return { assignmentId, bagId, officerId, assignedAt: at.toISOString() };
    });
  }

  /** Takes a bag back from an officer (signed out too long, time limit): it rejoins the waiting line. */
  withdraw(assignmentId: string, reason: string, at: Date): boolean {
    return this.atomically(() => {
      const a = this.stmt.assignment.get(assignmentId) as { bag_id: string; officer_id: string } | undefined;
      if (!a) return false;
      const r = this.stmt.closeAssignment.run('withdrawn', at.toISOString(), reason, assignmentId);
      if (r.changes === 0) return false;
      this.stmt.setBagState.run('waiting', a.bag_id);
      appendAudit(this.db, { type: 'bag.withdrawn', actor: HUB_DISPATCHER, subjectId: a.bag_id, payload: { assignmentId, officerId: a.officer_id, reason } }, at);
      return true;
    });
  }

  /**
   * Nobody decided in time: the assignment is closed as withdrawn (so a late decision is a
   * conflict) and the hub stores a 'search' decision made by the time limit, in one transaction.
   * Null when the assignment is no longer open (decided or withdrawn meanwhile).
   */
  sendToSearch(assignmentId: string, reason: string, at: Date): StoredDecision | null {
    return this.atomically((): StoredDecision | null => {
      const a = this.stmt.assignment.get(assignmentId) as AssignmentRow | undefined;
      if (!a || a.state !== 'open') return null;
      const storedAt = at.toISOString();
      this.stmt.closeAssignment.run('withdrawn', storedAt, reason, assignmentId);
      this.stmt.setBagState.run('decided', a.bag_id);
      const decision: StoredDecision = {
        decisionId: randomUUID(), idempotencyKey: randomUUID(), bagId: a.bag_id, assignmentId, officerId: a.officer_id, verdict: 'search',
        shownAt: a.shown_at ?? a.assigned_at, decidedAt: storedAt, storedAt, assignedAt: a.assigned_at,
        ...(a.paint_ms === null ? {} : { paintMs: a.paint_ms }), madeBy: 'time-limit',
      };
      this.stmt.insertDecision.run(decision.decisionId, decision.idempotencyKey, a.bag_id, assignmentId, a.officer_id, 'search', decision.shownAt, storedAt, storedAt,
        null, a.assigned_at, a.paint_ms, 'time-limit');
      appendAudit(this.db, { type: 'bag.withdrawn', actor: HUB_DISPATCHER, subjectId: a.bag_id, payload: { assignmentId, officerId: a.officer_id, reason } }, at);
      appendAudit(this.db, {
        type: 'decision.recorded', actor: HUB_DISPATCHER, subjectId: a.bag_id,
        payload: { decisionId: decision.decisionId, assignmentId, officerId: a.officer_id, verdict: 'search', madeBy: 'time-limit', reason, assignedAt: a.assigned_at, decidedAt: storedAt },
      }, at);
      return decision;
    });
  }

  /**
   * Records an officer's decision exactly once. The idempotency key is checked first, so a
   * resend after a lost ack (even across a hub restart) returns the stored decision.
   */
  recordDecision(
    officerId: string,
    d: {
      idempotencyKey: string; assignmentId: string; bagId: string; verdict: Verdict; shownAt: string; decidedAt: string;
      detections?: DetectionVerdict[] | undefined; paintMs?: number | undefined; marks?: ViewBox[] | undefined; note?: string | undefined;
    },
    storedAt: Date,
  ): RecordDecisionResult {
    return this.atomically((): RecordDecisionResult => {
      const prior = this.stmt.decisionByKey.get(d.idempotencyKey) as DecisionRow | undefined;
      if (prior) {
        if (prior.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'that decision belongs to another officer' };
        return { ok: true, decision: toDecision(prior), duplicate: true };
      }
      const a = this.stmt.assignment.get(d.assignmentId) as AssignmentRow | undefined;
      if (!a) return { ok: false, code: 'not-found', message: 'no such assignment' };
      if (a.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'this bag is not assigned to you' };
      if (a.bag_id !== d.bagId) return { ok: false, code: 'forbidden', message: 'bagId does not match the assignment' };
      if (a.state !== 'open') return { ok: false, code: 'conflict', message: `the assignment is already ${a.state}` };
      const outside = d.marks ? this.markOutsideViews(d.bagId, d.marks) : null;
      if (outside) return { ok: false, code: 'invalid', message: outside };
      const { detections, paintMs: sentPaintMs, marks, note, ...fields } = d;
      // The decision's own report of the paint time, else the console's bag:shown.
      const paintMs = sentPaintMs ?? a.paint_ms ?? undefined;
      const decision: StoredDecision = {
        decisionId: randomUUID(), officerId, storedAt: storedAt.toISOString(), ...fields, ...(detections ? { detections } : {}),
        assignedAt: a.assigned_at, ...(paintMs === undefined ? {} : { paintMs }), madeBy: 'officer',
        ...(marks && marks.length > 0 ? { marks } : {}), ...(note === undefined ? {} : { note }),
      };
      this.stmt.insertDecision.run(decision.decisionId, d.idempotencyKey, d.bagId, d.assignmentId, officerId, d.verdict, d.shownAt, d.decidedAt, decision.storedAt,
        detections ? JSON.stringify(detections) : null, a.assigned_at, paintMs ?? null, 'officer');
      if (decision.marks || decision.note !== undefined) this.stmt.setDecisionMarks.run(decision.marks ? JSON.stringify(decision.marks) : null, decision.note ?? null, decision.decisionId);
      this.stmt.closeAssignment.run('decided', decision.storedAt, null, d.assignmentId);
      this.stmt.setBagState.run('decided', d.bagId);
      appendAudit(this.db, {
        type: 'decision.recorded', actor: { kind: 'officer', id: officerId }, subjectId: d.bagId,
        payload: {
          decisionId: decision.decisionId, assignmentId: d.assignmentId, officerId, verdict: d.verdict, shownAt: d.shownAt, decidedAt: d.decidedAt,
          idempotencyKey: d.idempotencyKey, ...(detections ? { detections } : {}),
          ...(decision.marks ? { marks: decision.marks } : {}), ...(decision.note === undefined ? {} : { note: decision.note }),
        },
      }, storedAt);
      return { ok: true, decision, duplicate: false };
    });
  }

  /** Why a search mark does not fit the bag's images (a view it lacks, or past its edge), or null. */
  private markOutsideViews(bagId: string, marks: readonly ViewBox[]): string | null {
    const sizes = new Map((this.stmt.viewSizes.all(bagId) as { view: ViewName; width: number; height: number }[]).map((v) => [v.view, v]));
    for (const [i, m] of marks.entries()) {
      const v = sizes.get(m.view);
      if (!v) return `marks.${i}: the bag has no ${m.view} view`;
      // Half a pixel of slack: a console rounds the edge of a region drawn at high zoom.
      if (m.x + m.width > v.width + 0.5 || m.y + m.height > v.height + 0.5) return `marks.${i}: the region reaches past the ${m.view} view (${v.width} × ${v.height})`;
    }
    return null;
  }

  /**
   * Stores a console model's result on a bag. Only the officer the bag is (or was, until their
   * decision) assigned to may send it; the same model on the same assignment again (a resend
   * after a lost ack, or a rerun) replaces the earlier result.
   */
  recordDetectionResult(officerId: string, r: DetectionResultSubmit, storedAt: Date): RecordDetectionResult {
    return this.atomically((): RecordDetectionResult => {
      const a = this.stmt.assignment.get(r.assignmentId) as { id: string; bag_id: string; officer_id: string; state: string } | undefined;
      if (!a) return { ok: false, code: 'not-found', message: 'no such assignment' };
      if (a.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'this bag is not assigned to you' };
      if (a.bag_id !== r.bagId) return { ok: false, code: 'forbidden', message: 'bagId does not match the assignment' };
      if (a.state === 'withdrawn') return { ok: false, code: 'conflict', message: 'the bag was taken back from you' };
      const alarm = r.alarm ?? r.detections.length > 0;
      const at = storedAt.toISOString();
      const prior = this.stmt.detectionResultOf.get(r.assignmentId, r.model.sha256) as { id: string } | undefined;
      const resultId = prior?.id ?? randomUUID();
      const detections = JSON.stringify(r.detections);
      if (prior) this.stmt.replaceDetectionResult.run(r.model.name, r.backend, r.inferMs, alarm ? 1 : 0, detections, at, resultId);
      else this.stmt.insertDetectionResult.run(resultId, r.bagId, r.assignmentId, officerId, r.model.sha256, r.model.name, r.backend, r.inferMs, alarm ? 1 : 0, detections, at);
      const result: StoredDetectionResult = {
        resultId, bagId: r.bagId, assignmentId: r.assignmentId, officerId, model: { sha256: r.model.sha256, name: r.model.name },
        backend: r.backend, inferMs: r.inferMs, alarm, detections: r.detections, storedAt: at,
      };
      return { ok: true, result, replaced: prior !== undefined };
    });
  }

  /** The console models' results on a bag, oldest first. */
  detectionResults(bagId: string): StoredDetectionResult[] {
    return (this.stmt.detectionResultsForBag.all(bagId) as DetectionResultRow[]).map(toDetectionResult);
  }

  decisionsForBag(bagId: string): StoredDecision[] {
    return (this.stmt.decisionsForBag.all(bagId) as DecisionRow[]).map(toDecision);
  }

  recentDecisions(limit: number): StoredDecision[] {
    return (this.stmt.recentDecisions.all(limit) as DecisionRow[]).map(toDecision);
  }

  decisionCount(): number {
    return (this.stmt.countDecisions.get() as { n: number }).n;
  }
}
