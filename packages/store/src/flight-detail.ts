import type { FlightInfo, Verdict } from '@clearway/protocol';
import type { Db } from './database.ts';
import type { FlightHistoryEntry, FlightRepository } from './flights.ts';

/** A bag carrying a flight number, with what happened to it at screening (for the shift lead). */
export interface FlightBagDetail {
  bagId: string;
  bagTag: string;
  lane: string;
  receivedAt: string;
  /** When an officer first got it; null while it has only waited. */
  firstAssignedAt: string | null;
  /** The officer it is on screen with now. */
  screeningOfficer: string | null;
  /** The first stored decision (`storedAt`: when the hub stored it). */
  decision: { verdict: Verdict; officerId: string; storedAt: string; madeBy: 'officer' | 'time-limit' } | null;
  search: { outcome: string; storedAt: string } | null;
  /** Its manifest selected it for search (bag_risk): it goes to the station whatever the verdict. */
  selectedForSearch: boolean;
}

/** A decision's officer and times, for officer load and break figures. */
export interface DecisionTiming {
  /** The row's order of insertion: ask for those after the last seen. */
  seq: number;
  officerId: string;
  shownAt: string;
  decidedAt: string;
  storedAt: string;
}

/** Everything a flight report is built from (@clearway/domain buildFlightReport). */
export interface FlightReportData {
  flight: FlightInfo;
  sameNumber: FlightInfo[];
  bags: FlightBagDetail[];
  feed: FlightHistoryEntry[];
  officerDecisions: { officerId: string; at: string }[];
}

interface BagRow {
  id: string; bag_tag: string; lane: string; received_at: string; first_assigned_at: string | null; open_officer: string | null;
  outcome: string | null; search_at: string | null; selected: number;
}
interface DecisionRow { bag_id: string; verdict: Verdict; officer_id: string; stored_at: string; made_by: 'officer' | 'time-limit' }

/** Read-only views for the shift lead's dashboard and flight reports: bags with their screening history, officers' decisions. */
export class FlightDetailRepository {
  private readonly stmt;

  constructor(db: Db, private readonly flights: FlightRepository) {
    this.stmt = {
      // Assignments by bag and decisions by assignment are indexed; decisions have no bag index.
      bags: db.prepare(`SELECT b.id, b.bag_tag, b.lane, b.received_at,
                               MIN(a.assigned_at) AS first_assigned_at,
                               MAX(CASE WHEN a.state = 'open' THEN a.officer_id END) AS open_officer,
                               s.outcome, s.stored_at AS search_at,
                               COALESCE(MAX(r.risk_selected OR r.random_selected), 0) AS selected
                        FROM bags b
                        LEFT JOIN assignments a ON a.bag_id = b.id
                        LEFT JOIN search_outcomes s ON s.bag_id = b.id
                        LEFT JOIN bag_risk r ON r.bag_id = b.id
                        WHERE b.flight = ? AND b.received_at >= ? AND b.received_at <= ?
                        GROUP BY b.id ORDER BY b.received_at, b.rowid`),
      decisions: db.prepare(`SELECT a.bag_id, d.verdict, d.officer_id, d.stored_at, d.made_by
                             FROM bags b JOIN assignments a ON a.bag_id = b.id JOIN decisions d ON d.assignment_id = a.id
                             WHERE b.flight = ? AND b.received_at >= ? AND b.received_at <= ?
                             ORDER BY d.stored_at, d.rowid`),
      officerDecisions: db.prepare(`SELECT officer_id, stored_at FROM decisions
                                    WHERE made_by = 'officer' AND stored_at >= ? AND stored_at <= ? ORDER BY stored_at, rowid`),
      timings: db.prepare(`SELECT rowid AS seq, officer_id, shown_at, decided_at, stored_at FROM decisions
                           WHERE rowid > ? AND made_by = 'officer' AND stored_at >= ? ORDER BY rowid LIMIT ?`),
    };
  }

  /** Bags with this flight number that reached the hub between two times, oldest first, each with its first decision. */
  bagsOfFlightNumber(flight: string, from: Date, to: Date): FlightBagDetail[] {
    const range = [flight, from.toISOString(), to.toISOString()] as const;
    const decisions = new Map<string, DecisionRow>();
    for (const d of this.stmt.decisions.all(...range) as DecisionRow[]) if (!decisions.has(d.bag_id)) decisions.set(d.bag_id, d);
    return (this.stmt.bags.all(...range) as BagRow[]).map((r) => {
      const d = decisions.get(r.id);
      return {
        bagId: r.id, bagTag: r.bag_tag, lane: r.lane, receivedAt: r.received_at, firstAssignedAt: r.first_assigned_at,
        screeningOfficer: d ? null : r.open_officer,
        decision: d ? { verdict: d.verdict, officerId: d.officer_id, storedAt: d.stored_at, madeBy: d.made_by } : null,
        search: r.outcome === null || r.search_at === null ? null : { outcome: r.outcome, storedAt: r.search_at },
        selectedForSearch: r.selected === 1,
      };
    });
  }

  /** Officers' own decisions (not the time limit's) stored between two times, any flight. */
  officerDecisions(from: Date, to: Date): { officerId: string; at: string }[] {
    return (this.stmt.officerDecisions.all(from.toISOString(), to.toISOString()) as { officer_id: string; stored_at: string }[])
      .map((r) => ({ officerId: r.officer_id, at: r.stored_at }));
  }

  /** Officers' decisions inserted after `afterSeq` and stored at or after `since`, in insertion order, at most `limit`. */
  decisionTimings(afterSeq: number, since: Date, limit = 5000): DecisionTiming[] {
    return (this.stmt.timings.all(afterSeq, since.toISOString(), limit) as { seq: number; officer_id: string; shown_at: string; decided_at: string; stored_at: string }[])
      .map((r) => ({ seq: r.seq, officerId: r.officer_id, shownAt: r.shown_at, decidedAt: r.decided_at, storedAt: r.stored_at }));
  }

  /**
   * A flight's report data: the flight, the others with its number, its feed history, bags with
   * its number that reached the hub in [from, to] and officers' decisions in that time. Null for
   * an unknown flight.
   */
  reportData(key: string, from: Date, to: Date): FlightReportData | null {
    const flight = this.flights.flight(key);
    if (!flight) return null;
    return {
      flight,
      sameNumber: this.flights.flightsByNumber(flight.flight),
      bags: this.bagsOfFlightNumber(flight.flight, from, to),
      feed: this.flights.history(key),
      officerDecisions: this.officerDecisions(from, to),
    };
  }
}
