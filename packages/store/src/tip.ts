import { randomUUID } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditActor, ScanSubmit, Verdict, ViewBox } from '@clearway/protocol';
import { appendAudit } from './audit.ts';
import type { Db } from './database.ts';
import type { ScreeningRepository } from './screening.ts';

/** The hub's TIP projector, as the audit trail names it. */
export const TIP_PROJECTOR: AuditActor = { kind: 'hub', id: 'tip' };

/** close_reason of an assignment ended by the officer's response to a projection (no row in decisions). */
export const TIP_RESPONSE_REASON = 'tip-response';

export interface TipPose {
  quarterTurns: number;
  mirrored: boolean;
}

/** A projection as the hub made it at ingest. */
export interface NewTipProjection {
  itemId: string;
  itemClass: string;
  description: string;
  pose: TipPose;
  /** Where the item lies, one box per view it was projected into. */
  boxes: ViewBox[];
  /**
   * The bag's own pixels under the boxes, to put back after the response: for each box in order,
   * the low plane (dual-energy views) then the high plane, row by row, u16 little-endian.
   */
  original: Uint8Array;
}

/** hit: sent to search (marking the item, if anything was marked); miss: cleared, or marked elsewhere; timed-out: no response in the decision window. */
export type TipOutcome = 'hit' | 'miss' | 'timed-out';

export interface TipResponse {
  responseId: string;
  assignmentId: string;
  officerId: string;
  outcome: TipOutcome;
  found: boolean;
  /** The officer's verdict; absent when the time limit ran out. */
  verdict?: Verdict;
  marks?: ViewBox[];
  shownAt?: string;
  decidedAt: string;
  respondedAt: string;
}

export interface StoredTipProjection {
  projectionId: string;
  bagId: string;
  itemId: string;
  itemClass: string;
  description: string;
  pose: TipPose;
  boxes: ViewBox[];
  projectedAt: string;
  response: TipResponse | null;
  /** When the bag's own pixels were put back (after the response); null until then. */
  restoredAt: string | null;
}

export type TipRespondResult =
  | { kind: 'recorded' | 'duplicate'; projection: StoredTipProjection; response: TipResponse }
  | { kind: 'refused'; code: 'forbidden'; message: string };

interface ProjectionRow {
  id: string; bag_id: string; item_id: string; item_class: string; description: string; pose: string; boxes: string; projected_at: string;
  response_id: string | null; idempotency_key: string | null; assignment_id: string | null; officer_id: string | null; verdict: Verdict | null;
  marks: string | null; shown_at: string | null; decided_at: string | null; responded_at: string | null; outcome: TipOutcome | null;
  restored_at: string | null;
}

const COLUMNS = `id, bag_id, item_id, item_class, description, pose, boxes, projected_at, response_id, idempotency_key, assignment_id, officer_id,
                 verdict, marks, shown_at, decided_at, responded_at, outcome, restored_at`;

function toProjection(r: ProjectionRow): StoredTipProjection {
  const response: TipResponse | null = r.outcome && r.response_id && r.assignment_id && r.officer_id && r.decided_at && r.responded_at
    ? {
      responseId: r.response_id, assignmentId: r.assignment_id, officerId: r.officer_id, outcome: r.outcome, found: r.outcome === 'hit',
      ...(r.verdict ? { verdict: r.verdict } : {}), ...(r.marks ? { marks: JSON.parse(r.marks) as ViewBox[] } : {}),
      ...(r.shown_at ? { shownAt: r.shown_at } : {}), decidedAt: r.decided_at, respondedAt: r.responded_at,
    }
    : null;
  return {
    projectionId: r.id, bagId: r.bag_id, itemId: r.item_id, itemClass: r.item_class, description: r.description,
    pose: JSON.parse(r.pose) as TipPose, boxes: JSON.parse(r.boxes) as ViewBox[], projectedAt: r.projected_at, response, restoredAt: r.restored_at,
  };
}

/**
 * Threat Image Projection records: which bag carries which fictional item where, the officer's
 * response, and the bag's own pixels under the item until they are put back. Nothing here is
 * ever sent to a screening console before its decision on the bag.
 *
 * A response to a projection is not a decision on the bag: it is kept here (and in the audit
 * trail as `tip.result`), never in `decisions`, so that no search station, robot, flight clock or
 * scanner report ever sees it. Its assignment is closed as decided with close_reason
 * TIP_RESPONSE_REASON and the bag goes back to the line, its own image restored, for a real decision.
 */
export class TipRepository {
  private readonly stmt;
  private readonly atomically: <T>(work: () => T) => T;

  constructor(private readonly db: Db, private readonly screening: ScreeningRepository, private readonly imageDir: string | null = null) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run.immediate(work) as T;
    this.stmt = {
      insert: db.prepare(`INSERT INTO tip_projections (id, bag_id, item_id, item_class, description, pose, boxes, original, projected_at)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      byBag: db.prepare(`SELECT ${COLUMNS} FROM tip_projections WHERE bag_id = ?`),
      byKey: db.prepare(`SELECT ${COLUMNS} FROM tip_projections WHERE idempotency_key = ?`),
      byAssignment: db.prepare(`SELECT ${COLUMNS} FROM tip_projections WHERE assignment_id = ?`),
      recent: db.prepare(`SELECT ${COLUMNS} FROM tip_projections ORDER BY projected_at DESC, id LIMIT ?`),
      assignment: db.prepare('SELECT id, bag_id, officer_id, state FROM assignments WHERE id = ?'),
      decisionOf: db.prepare('SELECT decided_at FROM decisions WHERE assignment_id = ?'),
      respond: db.prepare(`UPDATE tip_projections SET response_id = ?, idempotency_key = ?, assignment_id = ?, officer_id = ?, verdict = ?, marks = ?,
                             shown_at = ?, decided_at = ?, responded_at = ?, outcome = ? WHERE id = ? AND outcome IS NULL`),
      closeAssignment: db.prepare(`UPDATE assignments SET state = 'decided', closed_at = ?, close_reason = '${TIP_RESPONSE_REASON}' WHERE id = ? AND state = 'open'`),
      bagWaiting: db.prepare(`UPDATE bags SET state = 'waiting' WHERE id = ?`),
      dropDetections: db.prepare('DELETE FROM detection_results WHERE assignment_id = ?'),
      original: db.prepare('SELECT id, boxes, original, restored_at FROM tip_projections WHERE bag_id = ?'),
      restored: db.prepare('UPDATE tip_projections SET restored_at = ? WHERE id = ?'),
      pending: db.prepare('SELECT bag_id FROM tip_projections WHERE outcome IS NOT NULL AND restored_at IS NULL ORDER BY responded_at'),
      views: db.prepare('SELECT view, width, height, encoding, in_file FROM scan_views WHERE bag_id = ?'),
      viewBlobs: db.prepare('SELECT low, high FROM scan_views WHERE bag_id = ? AND view = ?'),
      setViewBlobs: db.prepare('UPDATE scan_views SET low = ?, high = ? WHERE bag_id = ? AND view = ?'),
      stats: db.prepare(`SELECT item_id, COUNT(*) AS projections, SUM(outcome = 'hit') AS hits, SUM(outcome IN ('miss', 'timed-out')) AS misses
                         FROM tip_projections GROUP BY item_id`),
    };
  }

  /**
   * Stores the scan (ScreeningRepository.storeScan, images already composited) and its projection
   * in one transaction, with `tip.projected` in the audit trail. A resent scanId stores nothing.
   */
  storeScan(deviceId: string, scan: ScanSubmit, receivedAt: Date, projection: NewTipProjection | null): { bagId: string; duplicate: boolean; projectionId: string | null } {
    if (!projection) return { ...this.screening.storeScan(deviceId, scan, receivedAt), projectionId: null };
    return this.atomically(() => {
      const stored = this.screening.storeScan(deviceId, scan, receivedAt);
      if (stored.duplicate) return { ...stored, projectionId: null };
      const projectionId = randomUUID();
      const at = receivedAt.toISOString();
      this.stmt.insert.run(projectionId, stored.bagId, projection.itemId, projection.itemClass, projection.description, JSON.stringify(projection.pose),
        JSON.stringify(projection.boxes), projection.original, at);
      appendAudit(this.db, {
        type: 'tip.projected', actor: TIP_PROJECTOR, subjectId: stored.bagId,
        payload: { projectionId, itemId: projection.itemId, itemClass: projection.itemClass, pose: { ...projection.pose }, boxes: projection.boxes.map((b) => ({ ...b })) },
      }, receivedAt);
      return { ...stored, projectionId };
    });
  }

  forBag(bagId: string): StoredTipProjection | null {
    const row = this.stmt.byBag.get(bagId) as ProjectionRow | undefined;
    return row ? toProjection(row) : null;
  }

  /** The projection an assignment responded to, if it did. */
  forAssignment(assignmentId: string): StoredTipProjection | null {
    const row = this.stmt.byAssignment.get(assignmentId) as ProjectionRow | undefined;
    return row ? toProjection(row) : null;
  }

  /** True when the assignment ended with a response to a projection (its detections are not kept). */
  answered(assignmentId: string): boolean {
    return this.stmt.byAssignment.get(assignmentId) !== undefined;
  }

  /** Newest first. */
  recent(limit: number): StoredTipProjection[] {
    return (this.stmt.recent.all(limit) as ProjectionRow[]).map(toProjection);
  }

  /**
   * Records an officer's decision on a bag that carries a projection nobody has responded to, as
   * the response to it: exactly once per idempotency key, in one transaction with the assignment
   * closed, the bag back in the line and `tip.result` in the audit trail. Null when the decision
   * is not a TIP response (no such assignment, not theirs, not open, no open projection): the
   * caller stores it as an ordinary decision, which gives the ordinary answers.
   */
  respond(
    officerId: string,
    d: { idempotencyKey: string; assignmentId: string; bagId: string; verdict: Verdict; shownAt: string; decidedAt: string; marks?: ViewBox[] | undefined },
    found: (boxes: ViewBox[]) => boolean,
    at: Date,
  ): TipRespondResult | null {
    return this.atomically((): TipRespondResult | null => {
      const prior = this.stmt.byKey.get(d.idempotencyKey) as ProjectionRow | undefined;
      if (prior) {
        if (prior.officer_id !== officerId) return { kind: 'refused', code: 'forbidden', message: 'that decision belongs to another officer' };
        const projection = toProjection(prior);
        return projection.response ? { kind: 'duplicate', projection, response: projection.response } : null;
      }
      const a = this.stmt.assignment.get(d.assignmentId) as { id: string; bag_id: string; officer_id: string; state: string } | undefined;
      if (!a || a.officer_id !== officerId || a.bag_id !== d.bagId || a.state !== 'open') return null;
      const row = this.stmt.byBag.get(d.bagId) as ProjectionRow | undefined;
      if (!row || row.outcome !== null) return null;
      const projection = toProjection(row);
      const hit = found(projection.boxes);
      const response: TipResponse = {
        responseId: randomUUID(), assignmentId: d.assignmentId, officerId, outcome: hit ? 'hit' : 'miss', found: hit, verdict: d.verdict,
        ...(d.marks && d.marks.length > 0 ? { marks: d.marks } : {}), shownAt: d.shownAt, decidedAt: d.decidedAt, respondedAt: at.toISOString(),
      };
      this.stmt.respond.run(response.responseId, d.idempotencyKey, d.assignmentId, officerId, d.verdict, response.marks ? JSON.stringify(response.marks) : null,
        d.shownAt, d.decidedAt, response.respondedAt, response.outcome, projection.projectionId);
      this.stmt.closeAssignment.run(response.respondedAt, d.assignmentId);
      this.stmt.bagWaiting.run(d.bagId);
      // The console's model ran on the image with the item in it: its boxes are not the bag's.
      this.stmt.dropDetections.run(d.assignmentId);
      appendAudit(this.db, {
        type: 'tip.result', actor: { kind: 'officer', id: officerId }, subjectId: d.bagId,
        payload: {
          projectionId: projection.projectionId, itemId: projection.itemId, itemClass: projection.itemClass, assignmentId: d.assignmentId, officerId,
          responseId: response.responseId, idempotencyKey: d.idempotencyKey, verdict: d.verdict, outcome: response.outcome, found: hit,
          shownAt: d.shownAt, decidedAt: d.decidedAt, ...(response.marks ? { marks: response.marks.map((m) => ({ ...m })) } : {}),
        },
      }, at);
      return { kind: 'recorded', projection: { ...projection, response }, response };
    });
  }

  /**
   * The decision window ran out on a bag with an open projection (the time limit sent the bag
   * itself to search): a miss for the officer who held it. Null when the bag has no open projection.
   */
  timedOut(bagId: string, assignmentId: string, officerId: string, at: Date): StoredTipProjection | null {
    return this.atomically(() => {
      const row = this.stmt.byBag.get(bagId) as ProjectionRow | undefined;
      if (!row || row.outcome !== null) return null;
      const projection = toProjection(row);
      const response: TipResponse = { responseId: randomUUID(), assignmentId, officerId, outcome: 'timed-out', found: false, decidedAt: at.toISOString(), respondedAt: at.toISOString() };
      this.stmt.respond.run(response.responseId, null, assignmentId, officerId, null, null, null, response.decidedAt, response.respondedAt, 'timed-out', projection.projectionId);
      appendAudit(this.db, {
        type: 'tip.result', actor: TIP_PROJECTOR, subjectId: bagId,
        payload: { projectionId: projection.projectionId, itemId: projection.itemId, itemClass: projection.itemClass, assignmentId, officerId, outcome: 'timed-out', found: false },
      }, at);
      return { ...projection, response };
    });
  }

  /**
   * Puts the bag's own pixels back where the item was, once it has been responded to. Idempotent;
   * false when there is nothing to restore. Image files are replaced whole (write, then rename).
   */
  restore(bagId: string, at: Date = new Date()): boolean {
    const row = this.stmt.original.get(bagId) as { id: string; boxes: string; original: Uint8Array; restored_at: string | null } | undefined;
    if (!row || row.restored_at !== null) return false;
    const boxes = JSON.parse(row.boxes) as ViewBox[];
    const views = new Map((this.stmt.views.all(bagId) as { view: string; width: number; height: number; encoding: string; in_file: number }[]).map((v) => [v.view, v]));
    const patches: { view: string; plane: 'low' | 'high'; box: ViewBox; width: number; pixels: Uint8Array }[] = [];
    let offset = 0;
    for (const box of boxes) {
      const v = views.get(box.view);
      if (!v) throw new Error(`bag ${bagId}: no ${box.view} view to restore`);
      for (const plane of v.encoding === 'dual-energy-u16le' ? (['low', 'high'] as const) : (['high'] as const)) {
        const bytes = box.width * box.height * 2;
        patches.push({ view: box.view, plane, box, width: v.width, pixels: row.original.subarray(offset, offset + bytes) });
        offset += bytes;
      }
    }
    if (offset !== row.original.byteLength) throw new Error(`bag ${bagId}: the stored pixels do not match the projection's boxes`);
    const paste = (image: Uint8Array, p: (typeof patches)[number]): void => {
      const rowBytes = p.box.width * 2;
      for (let r = 0; r < p.box.height; r++) image.set(p.pixels.subarray(r * rowBytes, (r + 1) * rowBytes), ((p.box.y + r) * p.width + p.box.x) * 2);
    };
    const inFiles = [...views.values()].some((v) => v.in_file === 1);
    if (inFiles && this.imageDir) {
      for (const p of patches) {
        const file = join(this.imageDir, bagId, `${p.view}.${p.plane}`);
        const image = readFileSync(file);
        paste(image, p);
        writeFileSync(`${file}.tmp`, image);
        renameSync(`${file}.tmp`, file);
      }
      this.stmt.restored.run(at.toISOString(), row.id);
      return true;
    }
    this.atomically(() => {
      for (const view of new Set(patches.map((p) => p.view))) {
        const blobs = this.stmt.viewBlobs.get(bagId, view) as { low: Uint8Array | null; high: Uint8Array };
        const planes = { low: blobs.low ? new Uint8Array(blobs.low) : null, high: new Uint8Array(blobs.high) };
        for (const p of patches.filter((q) => q.view === view)) {
          const image = planes[p.plane];
          if (image) paste(image, p);
        }
        this.stmt.setViewBlobs.run(planes.low, planes.high, bagId, view);
      }
      this.stmt.restored.run(at.toISOString(), row.id);
    });
    return true;
  }

  /** Bags responded to whose own pixels are not back yet (a crash in between): restored at the hub's start. */
  pendingRestores(): string[] {
    return (this.stmt.pending.all() as { bag_id: string }[]).map((r) => r.bag_id);
  }

  /** An assignment as tip:query needs it: whose, whether decided, and when. */
  assignment(assignmentId: string): { officerId: string; bagId: string; state: string; decidedAt: string | null } | null {
    const a = this.stmt.assignment.get(assignmentId) as { bag_id: string; officer_id: string; state: string } | undefined;
    if (!a) return null;
    const decision = this.stmt.decisionOf.get(assignmentId) as { decided_at: string } | undefined;
    return { officerId: a.officer_id, bagId: a.bag_id, state: a.state, decidedAt: decision?.decided_at ?? null };
  }

  /** Projections, hits and misses (time-outs included) per library item. */
  itemStats(): Map<string, { projections: number; hits: number; misses: number }> {
    const rows = this.stmt.stats.all() as { item_id: string; projections: number; hits: number | null; misses: number | null }[];
    return new Map(rows.map((r) => [r.item_id, { projections: r.projections, hits: r.hits ?? 0, misses: r.misses ?? 0 }]));
  }
}
