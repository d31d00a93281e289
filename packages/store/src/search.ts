import { randomUUID } from 'node:crypto';
import type {
  DetectionVerdict, MachineResult, SearchBagInput, SearchConsoleResult, SearchOutcomeKind, SearchOutcomeSubmit, SearchSelection, ThreatClass, ViewBox, ViewName,
} from '@clearway/protocol';
import { appendAudit } from './audit.ts';
import type { Db } from './database.ts';

/** A search officer's outcome on a flagged bag, as stored. */
export interface StoredSearchOutcome {
  outcomeId: string;
  idempotencyKey: string;
  bagId: string;
  /** The search decision that sent the bag to the station. */
  decisionId: string;
  officerId: string;
  outcome: SearchOutcomeKind;
  threatClass?: ThreatClass;
  note?: string;
  recordedAt: string;
  storedAt: string;
}

export type RecordSearchOutcomeResult =
  | { ok: true; outcome: StoredSearchOutcome; duplicate: boolean }
  | { ok: false; code: 'not-found' | 'forbidden' | 'conflict'; message: string };

/**
 * One screening decision with what the search found, in the input shape of
 * `officerPerformance` (packages/domain/src/officer-performance.ts): times in ms since epoch.
 */
export interface OfficerDecisionRecord {
  officerId: string;
  bagId: string;
  verdict: 'clear' | 'search';
  shownAt: number;
  decidedAt: number;
  tipProjected: boolean;
  searchOutcome: SearchOutcomeKind | null;
}

interface OutcomeRow {
  id: string; idempotency_key: string; bag_id: string; decision_id: string; officer_id: string; outcome: SearchOutcomeKind;
  threat_class: ThreatClass | null; note: string | null; recorded_at: string; stored_at: string;
}
interface FlaggedRow {
  decision_id: string; stored_at: string; officer_id: string; officer_name: string; marks: string | null; note: string | null; detections: string | null;
  bag_id: string; bag_tag: string; lane: string; flight: string; scanned_at: string; machine_result: string | null;
  risk_score: number | null; risk_reasons: string | null; risk_selected: number | null; random_selected: number | null;
}

const toOutcome = (r: OutcomeRow): StoredSearchOutcome => ({
  outcomeId: r.id, idempotencyKey: r.idempotency_key, bagId: r.bag_id, decisionId: r.decision_id, officerId: r.officer_id, outcome: r.outcome,
  ...(r.threat_class === null ? {} : { threatClass: r.threat_class }), ...(r.note === null ? {} : { note: r.note }),
  recordedAt: r.recorded_at, storedAt: r.stored_at,
});

/**
 * A bag goes to the station on a search decision, or on any decision when its flight's manifest
 * selected it for search (bag_risk, manifests.ts): the officer screens a selected bag like any
 * other, and their clear does not take it off the station's line.
 */
const SELECTED = `EXISTS (SELECT 1 FROM bag_risk r WHERE r.bag_id = decisions.bag_id AND (r.risk_selected = 1 OR r.random_selected = 1))`;
const FLAGGED = `SELECT d.id AS decision_id, d.stored_at, d.officer_id, o.name AS officer_name, d.marks, d.note, d.detections,
                        b.id AS bag_id, b.bag_tag, b.lane, b.flight, b.scanned_at, b.machine_result,
                        r.score AS risk_score, r.reasons AS risk_reasons, r.risk_selected, r.random_selected
                 FROM decisions d JOIN bags b ON b.id = d.bag_id JOIN officers o ON o.id = d.officer_id
                      LEFT JOIN bag_risk r ON r.bag_id = d.bag_id AND (r.risk_selected = 1 OR r.random_selected = 1)
                 WHERE d.id IN (SELECT id FROM decisions WHERE verdict = 'search'
                                UNION ALL SELECT dd.id FROM bag_risk rr JOIN decisions dd ON dd.bag_id = rr.bag_id
                                          WHERE (rr.risk_selected = 1 OR rr.random_selected = 1) AND dd.verdict <> 'search')
                   AND NOT EXISTS (SELECT 1 FROM search_outcomes s WHERE s.bag_id = d.bag_id)`;

function selectionOf(r: FlaggedRow): SearchSelection {
  const reasons = r.risk_reasons ? (JSON.parse(r.risk_reasons) as { text: string }[]).map((x) => x.text) : [];
  return { riskSelected: r.risk_selected === 1, randomSelected: r.random_selected === 1, score: r.risk_score ?? 0, reasons: reasons.slice(0, 50) };
}

/** The search station: bags sent to search, with the screener's marks and note, and what the search found. */
export class SearchRepository {
  private readonly stmt;
  private readonly atomically: <T>(work: () => T) => T;

  constructor(private readonly db: Db) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run.immediate(work) as T;
    this.stmt = {
      // rowid breaks ties in stored_at (same millisecond) in the order the decisions were stored.
      open: db.prepare(`${FLAGGED} ORDER BY d.stored_at, d.rowid LIMIT ?`),
      openOne: db.prepare(`${FLAGGED} AND d.bag_id = ? ORDER BY d.stored_at DESC LIMIT 1`),
      viewSizes: db.prepare('SELECT view, width, height FROM scan_views WHERE bag_id = ? ORDER BY view DESC'),
      consoleResults: db.prepare('SELECT model_sha256, model_name, alarm, detections FROM detection_results WHERE bag_id = ? ORDER BY stored_at, id'),
      bagExists: db.prepare('SELECT 1 FROM bags WHERE id = ?'),
      searchDecision: db.prepare(`SELECT id FROM decisions WHERE bag_id = ? AND (verdict = 'search' OR ${SELECTED}) ORDER BY stored_at DESC LIMIT 1`),
      byKey: db.prepare('SELECT * FROM search_outcomes WHERE idempotency_key = ?'),
      byBag: db.prepare('SELECT * FROM search_outcomes WHERE bag_id = ?'),
      insert: db.prepare(`INSERT INTO search_outcomes (id, idempotency_key, bag_id, decision_id, officer_id, outcome, threat_class, note, recorded_at, stored_at)
                          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      records: db.prepare(`SELECT d.officer_id, d.bag_id, d.verdict, d.shown_at, d.decided_at, s.outcome
                           FROM decisions d LEFT JOIN search_outcomes s ON s.decision_id = d.id
                           WHERE d.made_by = 'officer' AND d.stored_at >= ? AND d.stored_at < ?
                           ORDER BY d.stored_at, d.rowid`),
      // Responses to Threat Image Projection (tip.ts): kept out of decisions, counted here.
      tipResponses: db.prepare(`SELECT officer_id, bag_id, outcome, shown_at, decided_at FROM tip_projections
                                WHERE outcome IN ('hit', 'miss') AND responded_at >= ? AND responded_at < ? ORDER BY responded_at, id`),
    };
  }

  /** Bags at the search station without an outcome, oldest search decision first. */
  flagged(limit = 500): SearchBagInput[] {
    return (this.stmt.open.all(limit) as FlaggedRow[]).map((r) => this.searchBag(r));
  }

  /** The bag as the station lists it, while it waits for its outcome; null otherwise. */
  flaggedBag(bagId: string): SearchBagInput | null {
    const row = this.stmt.openOne.get(bagId) as FlaggedRow | undefined;
    return row ? this.searchBag(row) : null;
  }

  /** True when the bag was sent to search (with or without an outcome since). */
  wasFlagged(bagId: string): boolean {
    return this.stmt.searchDecision.get(bagId) !== undefined;
  }

  private searchBag(r: FlaggedRow): SearchBagInput {
    const views = this.stmt.viewSizes.all(r.bag_id) as { view: ViewName; width: number; height: number }[];
    const consoleResults = (this.stmt.consoleResults.all(r.bag_id) as { model_sha256: string; model_name: string; alarm: number; detections: string }[])
      .map((c): SearchConsoleResult => ({
        model: { sha256: c.model_sha256, name: c.model_name }, alarm: c.alarm === 1, detections: JSON.parse(c.detections) as SearchConsoleResult['detections'],
      }));
    return {
      bag: { bagId: r.bag_id, bagTag: r.bag_tag, lane: r.lane, flight: r.flight, scannedAt: r.scanned_at },
      decisionId: r.decision_id,
      flaggedAt: r.stored_at,
      screener: { id: r.officer_id, name: r.officer_name },
      marks: r.marks ? (JSON.parse(r.marks) as ViewBox[]) : [],
      ...(r.note === null ? {} : { note: r.note }),
      views,
      ...(r.machine_result ? { machineResult: JSON.parse(r.machine_result) as MachineResult } : {}),
      consoleResults: consoleResults.slice(-10),
      ...(r.detections ? { detectionVerdicts: JSON.parse(r.detections) as DetectionVerdict[] } : {}),
      ...(r.risk_selected === null ? {} : { selection: selectionOf(r) }),
    };
  }

  /**
   * Records what the search of a flagged bag found, exactly once per bag. The idempotency key is
   * looked up first, so a resend after a lost ack returns the stored outcome (`duplicate`).
   */
  recordOutcome(officerId: string, o: SearchOutcomeSubmit, storedAt: Date): RecordSearchOutcomeResult {
    return this.atomically((): RecordSearchOutcomeResult => {
      const prior = this.stmt.byKey.get(o.idempotencyKey) as OutcomeRow | undefined;
      if (prior) {
        if (prior.officer_id !== officerId) return { ok: false, code: 'forbidden', message: 'that outcome belongs to another officer' };
        if (prior.bag_id !== o.bagId) return { ok: false, code: 'conflict', message: 'that idempotency key was used for another bag' };
        return { ok: true, outcome: toOutcome(prior), duplicate: true };
      }
      if (this.stmt.bagExists.get(o.bagId) === undefined) return { ok: false, code: 'not-found', message: 'no such bag' };
      const decision = this.stmt.searchDecision.get(o.bagId) as { id: string } | undefined;
      if (!decision) return { ok: false, code: 'conflict', message: 'the bag was not sent to search' };
      if (this.stmt.byBag.get(o.bagId) !== undefined) return { ok: false, code: 'conflict', message: 'the bag already has a search outcome' };
      const at = storedAt.toISOString();
      const outcome: StoredSearchOutcome = {
        outcomeId: randomUUID(), idempotencyKey: o.idempotencyKey, bagId: o.bagId, decisionId: decision.id, officerId, outcome: o.outcome,
        ...(o.threatClass === undefined ? {} : { threatClass: o.threatClass }), ...(o.note === undefined ? {} : { note: o.note }),
        recordedAt: o.recordedAt ?? at, storedAt: at,
      };
      this.stmt.insert.run(outcome.outcomeId, o.idempotencyKey, o.bagId, decision.id, officerId, o.outcome, o.threatClass ?? null, o.note ?? null, outcome.recordedAt, at);
      appendAudit(this.db, {
        type: 'search.outcome-recorded', actor: { kind: 'officer', id: officerId }, subjectId: o.bagId,
        payload: {
          outcomeId: outcome.outcomeId, decisionId: decision.id, officerId, outcome: o.outcome, recordedAt: outcome.recordedAt, idempotencyKey: o.idempotencyKey,
          ...(o.threatClass === undefined ? {} : { threatClass: o.threatClass }), ...(o.note === undefined ? {} : { note: o.note }),
        },
      }, storedAt);
      return { ok: true, outcome, duplicate: false };
    });
  }

  outcome(bagId: string): StoredSearchOutcome | null {
    const row = this.stmt.byBag.get(bagId) as OutcomeRow | undefined;
    return row ? toOutcome(row) : null;
  }

  /**
   * Officers' decisions stored in `from` ≤ t < `to`, each with the search outcome of its bag, for
   * `officerPerformance`. Decisions the hub made when time ran out are left out (nobody decided).
   * Responses to a projected threat (packages/store/src/tip.ts) are records with `tipProjected`,
   * their verdict 'search' for a hit and 'clear' for a miss (a search marked away from the item
   * missed it); every decision in `decisions` is on a bag's own image.
   */
  decisionRecords(range: { from?: string; to?: string } = {}): OfficerDecisionRecord[] {
    const from = range.from === undefined ? '' : new Date(range.from).toISOString();
    const to = range.to === undefined ? '\uffff' : new Date(range.to).toISOString();
    const rows = this.stmt.records.all(from, to) as { officer_id: string; bag_id: string; verdict: 'clear' | 'search'; shown_at: string; decided_at: string; outcome: SearchOutcomeKind | null }[];
    const tip = this.stmt.tipResponses.all(from, to) as { officer_id: string; bag_id: string; outcome: 'hit' | 'miss'; shown_at: string; decided_at: string }[];
    return [
      ...rows.map((r): OfficerDecisionRecord => ({
        officerId: r.officer_id, bagId: r.bag_id, verdict: r.verdict, shownAt: Date.parse(r.shown_at), decidedAt: Date.parse(r.decided_at),
        tipProjected: false, searchOutcome: r.outcome,
      })),
      ...tip.map((r): OfficerDecisionRecord => ({
        officerId: r.officer_id, bagId: r.bag_id, verdict: r.outcome === 'hit' ? 'search' : 'clear', shownAt: Date.parse(r.shown_at), decidedAt: Date.parse(r.decided_at),
        tipProjected: true, searchOutcome: null,
      })),
    ];
  }
}
