import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BagSummary, DecisionStored, MachineResult, ScanSource, ScanSubmit, ScanView, Verdict, ViewEncoding, ViewName } from '@clearway/protocol';
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
}

export interface OpenAssignment {
  assignmentId: string;
  bagId: string;
  officerId: string;
  assignedAt: string;
}

export type RecordDecisionResult =
  | { ok: true; decision: StoredDecision; duplicate: boolean }
  | { ok: false; code: 'not-found' | 'forbidden' | 'conflict'; message: string };

interface BagRow { id: string; bag_tag: string; lane: string; flight: string; scanned_at: string; received_at: string; state: string }
interface DecisionRow {
  id: string; idempotency_key: string; bag_id: string; assignment_id: string; officer_id: string;
  verdict: Verdict; shown_at: string; decided_at: string; stored_at: string;
}

const toDecision = (r: DecisionRow): StoredDecision => ({
  decisionId: r.id, idempotencyKey: r.idempotency_key, bagId: r.bag_id, assignmentId: r.assignment_id,
  officerId: r.officer_id, verdict: r.verdict, shownAt: r.shown_at, decidedAt: r.decided_at, storedAt: r.stored_at,
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
    this.atomically = <T>(work: () => T): T => run(work) as T;
    this.stmt = {
      bagByScan: db.prepare('SELECT id FROM bags WHERE scan_id = ?'),
      insertBag: db.prepare(`INSERT INTO bags (id, scan_id, device_id, lane, flight, bag_tag, scanned_at, received_at, state, machine_result, source)
                             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'waiting', ?, ?)`),
      machineResult: db.prepare('SELECT machine_result FROM bags WHERE id = ?'),
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
      bag: db.prepare('SELECT id, bag_tag, lane, flight, scanned_at, received_at, state FROM bags WHERE id = ?'),
      views: db.prepare('SELECT view, width, height, encoding, low, high, in_file FROM scan_views WHERE bag_id = ? ORDER BY view DESC'),
      waiting: db.prepare(`SELECT id, received_at FROM bags WHERE state = 'waiting' ORDER BY received_at, id`),
      openAssignments: db.prepare(`SELECT id, bag_id, officer_id, assigned_at FROM assignments WHERE state = 'open'`),
      insertAssignment: db.prepare(`INSERT INTO assignments (id, bag_id, officer_id, assigned_at, state) VALUES (?, ?, ?, ?, 'open')`),
      setBagState: db.prepare('UPDATE bags SET state = ? WHERE id = ?'),
      assignment: db.prepare('SELECT id, bag_id, officer_id, state FROM assignments WHERE id = ?'),
      closeAssignment: db.prepare(`UPDATE assignments SET state = ?, closed_at = ?, close_reason = ? WHERE id = ? AND state = 'open'`),
      decisionByKey: db.prepare('SELECT * FROM decisions WHERE idempotency_key = ?'),
      insertDecision: db.prepare(`INSERT INTO decisions (id, idempotency_key, bag_id, assignment_id, officer_id, verdict, shown_at, decided_at, stored_at)
                                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
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
        scan.machineResult ? JSON.stringify(scan.machineResult) : null, scan.source ? JSON.stringify(scan.source) : null);
      for (const v of scan.views) {
        if (imageDir) this.stmt.insertView.run(bagId, v.view, v.width, v.height, v.encoding, null, null, 1);
        else this.stmt.insertView.run(bagId, v.view, v.width, v.height, v.encoding, v.low ?? null, v.high, 0);
      }
      return { bagId, duplicate: false };
    });
  }

  bag(bagId: string): (BagSummary & { state: string; receivedAt: string }) | null {
    const row = this.stmt.bag.get(bagId) as BagRow | undefined;
    return row ? { ...toBag(row), state: row.state, receivedAt: row.received_at } : null;
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

  markReported(decisionId: string, at: Date): void {
    this.stmt.markReported.run(at.toISOString(), decisionId);
  }

  /** The device that scanned the bag. */
  deviceOf(bagId: string): string | null {
    const row = this.stmt.deviceOf.get(bagId) as { device_id: string } | undefined;
    return row?.device_id ?? null;
  }

  waitingBags(): { bagId: string; receivedAt: string }[] {
    return (this.stmt.waiting.all() as { id: string; received_at: string }[]).map((r) => ({ bagId: r.id, receivedAt: r.received_at }));
  }

  openAssignments(): OpenAssignment[] {
    return (this.stmt.openAssignments.all() as { id: string; bag_id: string; officer_id: string; assigned_at: string }[])
      .map((r) => ({ assignmentId: r.id, bagId: r.bag_id, officerId: r.officer_id, assignedAt: r.assigned_at }));
  }

  assign(bagId: string, officerId: string, at: Date): OpenAssignment {
    return this.atomically(() => {
      const assignmentId = randomUUID();
      this.stmt.insertAssignment.run(assignmentId, bagId, officerId, at.toISOString());
      this.stmt.setBagState.run('assigned', bagId);
      return { assignmentId, bagId, officerId, assignedAt: at.toISOString() };
    });
  }

  /** Takes a bag back from an officer (signed out too long, time limit): it rejoins the waiting line. */
  withdraw(assignmentId: string, reason: string, at: Date): boolean {
    return this.atomically(() => {
      const a = this.stmt.assignment.get(assignmentId) as { bag_id: string } | undefined;
      if (!a) return false;
      const r = this.stmt.closeAssignment.run('withdrawn', at.toISOString(), reason, assignmentId);
      if (r.changes === 0) return false;
      this.stmt.setBagState.run('waiting', a.bag_id);
      return true;
    });
  }

  /**
   * Records an officer's decision exactly once. The idempotency key is checked first, so a
   * resend after a lost ack (even across a hub restart) returns the stored decision.
   */
  recordDecision(
    officerId: string,
    d: { idempotencyKey: string; assignmentId: string; bagId: string; verdict: Verdict; shownAt: string; decidedAt: string },
    storedAt: Date,
  ): RecordDecisionResult {
    return this.atomically((): RecordDecisionResult => {
      const prior = this.stmt.decisionByKey.get(d.idempotencyKey) as DecisionRow | undefined;
      if (prior) {
        if (prior.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'that decision belongs to another officer' };
        return { ok: true, decision: toDecision(prior), duplicate: true };
      }
      const a = this.stmt.assignment.get(d.assignmentId) as { id: string; bag_id: string; officer_id: string; state: string } | undefined;
      if (!a) return { ok: false, code: 'not-found', message: 'no such assignment' };
      if (a.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'this bag is not assigned to you' };
      if (a.bag_id !== d.bagId) return { ok: false, code: 'forbidden', message: 'bagId does not match the assignment' };
      if (a.state !== 'open') return { ok: false, code: 'conflict', message: `the assignment is already ${a.state}` };
      const decision: StoredDecision = { decisionId: randomUUID(), officerId, storedAt: storedAt.toISOString(), ...d };
      this.stmt.insertDecision.run(decision.decisionId, d.idempotencyKey, d.bagId, d.assignmentId, officerId, d.verdict, d.shownAt, d.decidedAt, decision.storedAt);
      this.stmt.closeAssignment.run('decided', decision.storedAt, null, d.assignmentId);
      this.stmt.setBagState.run('decided', d.bagId);
      return { ok: true, decision, duplicate: false };
    });
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
