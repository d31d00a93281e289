import { appendAudit } from './audit.ts';
import type { Db } from './database.ts';

/**
 * A checked bag flagged for search, with what the exit check needs: who it belongs to (from the
 * manifest of the bag's flight number, the latest service date), why it was flagged, whether the passenger was stopped at the reclaim exit, and what
 * the search found. The input of `exitCheckList` (packages/domain/src/exit-check.ts), times in ms.
 */
export interface FlaggedCheckedBagRecord {
  bagId: string;
  bagTag: string;
  flight: string;
  flaggedAt: number;
  sources: ('screener' | 'time-limit' | 'risk-rules' | 'random')[];
  screenerNote: string | null;
  marks: number;
  riskReasons: string[];
  passenger: { ref: string; name: string | null } | null;
  directedAt: number | null;
  outcome: 'threat-found' | 'other-contraband' | 'nothing-found' | null;
  outcomeAt: number | null;
}

interface Row {
  bag_id: string; bag_tag: string; flight: string; flagged_at: string; verdict: string; made_by: string; marks: string | null; note: string | null;
  risk_selected: number | null; random_selected: number | null; reasons: string | null; passenger_ref: string | null; passenger_name: string | null;
  directed_at: string | null; outcome: FlaggedCheckedBagRecord['outcome']; outcome_at: string | null;
}

/** A checked bag carries a ten-digit IATA licence plate (isCheckedBagTag in @clearway/domain). */
const CHECKED = `length(b.bag_tag) = 10 AND b.bag_tag NOT GLOB '*[^0-9]*'`;
/**
 * Each checked bag's latest decision that sends it to the station: a search verdict, or any
 * verdict on a bag its manifest selected (search.ts). The passenger comes from the bag's risk
 * assessment, else from any manifest that lists the tag (the latest service date).
 */
const FLAGGED = `
  SELECT b.id AS bag_id, b.bag_tag, b.flight, d.stored_at AS flagged_at, d.verdict, d.made_by, d.marks, d.note,
         r.risk_selected, r.random_selected, r.reasons,
         COALESCE(r.passenger_ref, mb.passenger_ref) AS passenger_ref, mp.name AS passenger_name,
         x.directed_at, s.outcome, s.stored_at AS outcome_at
  FROM decisions d JOIN bags b ON b.id = d.bag_id
       LEFT JOIN bag_risk r ON r.bag_id = b.id
       LEFT JOIN manifest_bags mb ON r.bag_id IS NULL AND mb.bag_tag = b.bag_tag
            AND mb.flight_key = (SELECT max(flight_key) FROM manifest_bags WHERE bag_tag = b.bag_tag AND flight_key LIKE b.flight || '/%')
       LEFT JOIN manifest_passengers mp ON mp.flight_key = COALESCE(r.flight_key, mb.flight_key) AND mp.passenger_ref = COALESCE(r.passenger_ref, mb.passenger_ref)
       LEFT JOIN exit_directions x ON x.bag_id = b.id
       LEFT JOIN search_outcomes s ON s.bag_id = b.id
  WHERE ${CHECKED}
    AND (d.verdict = 'search' OR r.risk_selected = 1 OR r.random_selected = 1)
    AND d.rowid = (SELECT max(rowid) FROM decisions WHERE bag_id = b.id)`;

function toRecord(r: Row): FlaggedCheckedBagRecord {
  const sources: FlaggedCheckedBagRecord['sources'] = [];
  if (r.verdict === 'search') sources.push(r.made_by === 'officer' ? 'screener' : 'time-limit');
  if (r.risk_selected === 1) sources.push('risk-rules');
  if (r.random_selected === 1) sources.push('random');
  const reasons = r.risk_selected === 1 && r.reasons ? (JSON.parse(r.reasons) as { text: string }[]).map((x) => x.text) : [];
  return {
    bagId: r.bag_id, bagTag: r.bag_tag, flight: r.flight, flaggedAt: Date.parse(r.flagged_at), sources,
    screenerNote: r.verdict === 'search' ? r.note : null,
    marks: r.verdict === 'search' && r.marks ? (JSON.parse(r.marks) as unknown[]).length : 0,
    riskReasons: reasons,
    passenger: r.passenger_ref === null ? null : { ref: r.passenger_ref, name: r.passenger_name },
    directedAt: r.directed_at === null ? null : Date.parse(r.directed_at),
    outcome: r.outcome, outcomeAt: r.outcome_at === null ? null : Date.parse(r.outcome_at),
  };
}

/** The exit check at reclaim: flagged checked bags and the passengers stopped for them. */
export class ExitCheckRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      // Open ones whatever their age; searched ones only since `since`.
      flagged: db.prepare(`${FLAGGED} AND (s.bag_id IS NULL OR s.stored_at >= ?) ORDER BY d.stored_at, d.rowid LIMIT ?`),
      one: db.prepare(`${FLAGGED} AND b.id = ?`),
      direct: db.prepare('INSERT INTO exit_directions (bag_id, officer_id, directed_at) VALUES (?, ?, ?) ON CONFLICT (bag_id) DO NOTHING'),
    };
  }

  /** Flagged checked bags still open, and those searched since `since`, oldest flag first. */
  flaggedCheckedBags(since: Date, limit = 1000): FlaggedCheckedBagRecord[] {
    return (this.stmt.flagged.all(since.toISOString(), limit) as Row[]).map(toRecord);
  }

  flaggedCheckedBag(bagId: string): FlaggedCheckedBagRecord | null {
    const row = this.stmt.one.get(bagId) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  /**
   * The officer at the exit stopped the passenger and sent them to the search station with these
   * bags. Only flagged checked bags not yet directed nor searched are marked; each is audited.
   * `marked`: the bags newly marked; `flagged`: how many of the IDs are flagged checked bags at all.
   */
  direct(officerId: string, bagIds: readonly string[], at: Date): { marked: string[]; flagged: number } {
    return this.db.transaction(() => {
      const marked: string[] = [];
      let flagged = 0;
      for (const bagId of bagIds) {
        const bag = this.flaggedCheckedBag(bagId);
        if (bag) flagged++;
        if (!bag || bag.directedAt !== null || bag.outcome !== null) continue;
        if (this.stmt.direct.run(bagId, officerId, at.toISOString()).changes === 0) continue;
        appendAudit(this.db, {
          type: 'exit-check.directed', actor: { kind: 'officer', id: officerId }, subjectId: bagId,
          payload: { bagTag: bag.bagTag, flight: bag.flight, passengerRef: bag.passenger?.ref ?? null, directedAt: at.toISOString() },
        }, at);
        marked.push(bagId);
      }
      return { marked, flagged };
    }).immediate();
  }
}
