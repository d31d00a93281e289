import { flightKey, type AuditActor, type FlightManifest, type RiskFlag, type SearchOutcomeKind, type SearchSelection } from '@clearway/protocol';
import { HUB_DISPATCHER, appendAudit } from './audit.ts';
import type { Db } from './database.ts';

/** What the risk rules read about a passenger (PassengerFacts in @clearway/domain risk.ts). */
export interface ManifestPassengerFacts {
  origin: string;
  route: string[];
  flags: RiskFlag[];
  recentTripsDaysAgo?: number[];
  stayDays?: number | null;
}

/** A passenger of a flight's latest manifest, with every bag tag the manifest gave them. */
export interface StoredPassenger {
  flightKey: string;
  passengerRef: string;
  name?: string;
  facts: ManifestPassengerFacts;
  bagTags: string[];
  receivedAt: string;
}

export interface ManifestIngestResult {
  flightKey: string;
  passengers: number;
  bags: number;
  /** Passengers of the earlier manifest that this one replaced (0 for a first manifest). */
  replaced: number;
}

/** A bag's risk assessment as the hub made it at arrival (RiskAssessment in @clearway/domain risk.ts). */
export interface BagRiskAssessment {
  bagId: string;
  flightKey: string;
  passengerRef: string;
  score: number;
  reasons: { rule: string; points: number; text: string }[];
  priorityBoost: number;
  riskSelected: boolean;
  randomSelected: boolean;
  assessedAt: string;
}

/** A selected bag with its search outcome (null while the search is open), in the input shape of `selectionReport`. */
export interface SelectionRecord {
  bagId: string;
  riskSelected: boolean;
  randomSelected: boolean;
  outcome: SearchOutcomeKind | null;
}

interface PassengerRow { flight_key: string; passenger_ref: string; name: string | null; facts: string; received_at: string }
interface RiskRow {
  bag_id: string; flight_key: string; passenger_ref: string; score: number; reasons: string; priority_boost: number;
  risk_selected: number; random_selected: number; assessed_at: string;
}

const toRisk = (r: RiskRow): BagRiskAssessment => ({
  bagId: r.bag_id, flightKey: r.flight_key, passengerRef: r.passenger_ref, score: r.score,
  reasons: JSON.parse(r.reasons) as BagRiskAssessment['reasons'], priorityBoost: r.priority_boost,
  riskSelected: r.risk_selected === 1, randomSelected: r.random_selected === 1, assessedAt: r.assessed_at,
});

/**
 * Flight manifests (the flight feed's `flight:manifest`): each flight's passengers and which bag
 * tag belongs to whom, and the risk assessment the hub made for each scanned bag it found there.
 *
 * A flight has one manifest, the latest: ingesting one replaces that flight's passengers and bags
 * in one transaction, with a `manifest.received` audit row; sending the same manifest again
 * leaves the same rows. Assessments stay as they were made (the hub acted on them), also when the
 * manifest changes later; a selection for search writes `bag.selected-for-search`.
 */
export class ManifestRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      countPassengers: db.prepare('SELECT COUNT(*) AS n FROM manifest_passengers WHERE flight_key = ?'),
      deleteBags: db.prepare('DELETE FROM manifest_bags WHERE flight_key = ?'),
      deletePassengers: db.prepare('DELETE FROM manifest_passengers WHERE flight_key = ?'),
      insertPassenger: db.prepare(`INSERT INTO manifest_passengers (flight_key, passenger_ref, name, facts, received_at, device_id)
                                   VALUES (?, ?, ?, ?, ?, ?)`),
      insertBag: db.prepare('INSERT INTO manifest_bags (flight_key, bag_tag, passenger_ref) VALUES (?, ?, ?)'),
      passengers: db.prepare('SELECT flight_key, passenger_ref, name, facts, received_at FROM manifest_passengers WHERE flight_key = ? ORDER BY passenger_ref'),
      passenger: db.prepare('SELECT flight_key, passenger_ref, name, facts, received_at FROM manifest_passengers WHERE flight_key = ? AND passenger_ref = ?'),
      bagsOfFlight: db.prepare('SELECT bag_tag, passenger_ref FROM manifest_bags WHERE flight_key = ? ORDER BY passenger_ref, bag_tag'),
      bagsOfPassenger: db.prepare('SELECT bag_tag FROM manifest_bags WHERE flight_key = ? AND passenger_ref = ? ORDER BY bag_tag'),
      ownerOfBag: db.prepare('SELECT passenger_ref FROM manifest_bags WHERE flight_key = ? AND bag_tag = ?'),
      flightsOfTag: db.prepare('SELECT flight_key, passenger_ref FROM manifest_bags WHERE bag_tag = ? ORDER BY flight_key DESC'),
      insertRisk: db.prepare(`INSERT INTO bag_risk (bag_id, flight_key, passenger_ref, score, reasons, priority_boost, risk_selected, random_selected, assessed_at)
                              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (bag_id) DO NOTHING`),
      // The bag's risk also raises its place in the line after a restart (waitingBags reads bags.risk).
      bagRisk: db.prepare(`UPDATE bags SET risk = ? WHERE id = ? AND (risk IS NULL OR json_extract(risk, '$.score') < ?)`),
      risk: db.prepare('SELECT * FROM bag_risk WHERE bag_id = ?'),
      searchesOfNumber: db.prepare(`SELECT b.id AS bag_id, s.stored_at AS searched_at FROM bags b LEFT JOIN search_outcomes s ON s.bag_id = b.id
                                     WHERE b.flight = ? AND b.received_at >= ?
                                       AND (EXISTS (SELECT 1 FROM decisions d WHERE d.bag_id = b.id AND d.verdict = 'search')
                                            OR EXISTS (SELECT 1 FROM bag_risk r WHERE r.bag_id = b.id AND (r.risk_selected = 1 OR r.random_selected = 1)))`),
      selected: db.prepare(`SELECT r.bag_id, r.risk_selected, r.random_selected, s.outcome
                            FROM bag_risk r LEFT JOIN search_outcomes s ON s.bag_id = r.bag_id
                            WHERE (r.risk_selected = 1 OR r.random_selected = 1) AND r.assessed_at >= ? AND r.assessed_at < ?
                            ORDER BY r.assessed_at, r.bag_id`),
    };
  }

  /** Stores a flight's manifest in place of the one before (parsed with FlightManifest). */
  ingest(deviceId: string, manifest: FlightManifest, at = new Date(), actor: AuditActor = { kind: 'device', id: deviceId }): ManifestIngestResult {
    const key = flightKey(manifest);
    const receivedAt = at.toISOString();
    return this.db.transaction((): ManifestIngestResult => {
      const replaced = (this.stmt.countPassengers.get(key) as { n: number }).n;
      this.stmt.deleteBags.run(key);
      this.stmt.deletePassengers.run(key);
      let bags = 0;
      for (const p of manifest.passengers) {
        const facts: ManifestPassengerFacts = {
          origin: p.origin, route: p.route, flags: p.flags,
          ...(p.recentTripsDaysAgo === undefined ? {} : { recentTripsDaysAgo: p.recentTripsDaysAgo }),
          ...(p.stayDays === undefined ? {} : { stayDays: p.stayDays }),
        };
        this.stmt.insertPassenger.run(key, p.passengerRef, p.name ?? null, JSON.stringify(facts), receivedAt, deviceId);
        for (const tag of p.bagTags) {
          this.stmt.insertBag.run(key, tag, p.passengerRef);
          bags++;
        }
      }
      const result = { flightKey: key, passengers: manifest.passengers.length, bags, replaced };
      // Counts only: the passengers' data stays in its own table, not copied into the permanent trail.
      appendAudit(this.db, {
        type: 'manifest.received', actor, subjectId: key,
        payload: { passengers: result.passengers, bags, replaced, ...(manifest.issuedAt === undefined ? {} : { issuedAt: manifest.issuedAt }) },
      }, at);
      return result;
    }).immediate();
  }

  /** Whether the flight has a manifest (its passengers' clock then counts people). */
  hasManifest(flightKey: string): boolean {
    return (this.stmt.countPassengers.get(flightKey) as { n: number }).n > 0;
  }

  /** The flight's passengers with their bag tags, by reference. */
  passengers(flightKey: string): StoredPassenger[] {
    const tags = new Map<string, string[]>();
    for (const b of this.stmt.bagsOfFlight.all(flightKey) as { bag_tag: string; passenger_ref: string }[]) {
      const list = tags.get(b.passenger_ref);
      if (list) list.push(b.bag_tag);
      else tags.set(b.passenger_ref, [b.bag_tag]);
    }
    return (this.stmt.passengers.all(flightKey) as PassengerRow[]).map((r) => this.toPassenger(r, tags.get(r.passenger_ref) ?? []));
  }

  /** Bag tag → passenger reference for a flight (the passengers' clock). */
  bagOwners(flightKey: string): Map<string, string> {
    return new Map((this.stmt.bagsOfFlight.all(flightKey) as { bag_tag: string; passenger_ref: string }[]).map((b) => [b.bag_tag, b.passenger_ref]));
  }

  /** One passenger with all their bag tags; null when the flight's manifest does not list them. */
  passenger(flightKey: string, passengerRef: string): StoredPassenger | null {
    const row = this.stmt.passenger.get(flightKey, passengerRef) as PassengerRow | undefined;
    if (!row) return null;
    const tags = (this.stmt.bagsOfPassenger.all(flightKey, passengerRef) as { bag_tag: string }[]).map((b) => b.bag_tag);
    return this.toPassenger(row, tags);
  }

  /** The passenger a bag tag belongs to on the flight's manifest (all their bags included); null when it is on none. */
  passengerOfBag(flightKey: string, bagTag: string): StoredPassenger | null {
    const owner = this.stmt.ownerOfBag.get(flightKey, bagTag) as { passenger_ref: string } | undefined;
    return owner ? this.passenger(flightKey, owner.passenger_ref) : null;
  }

  /** Every manifest that lists the tag, latest service date first (a tag seen without its flight, e.g. at an exit check). */
  findBagTag(bagTag: string): { flightKey: string; passengerRef: string }[] {
    return (this.stmt.flightsOfTag.all(bagTag) as { flight_key: string; passenger_ref: string }[]).map((r) => ({ flightKey: r.flight_key, passengerRef: r.passenger_ref }));
  }

  /**
   * Keeps the bag's assessment (once: a second call for the bag changes nothing and returns
   * false), raises the bag's stored risk to its score, and audits a selection for search.
   */
  recordAssessment(a: Omit<BagRiskAssessment, 'assessedAt'>, at = new Date()): boolean {
    return this.db.transaction((): boolean => {
      const inserted = this.stmt.insertRisk.run(
        a.bagId, a.flightKey, a.passengerRef, a.score, JSON.stringify(a.reasons), a.priorityBoost, a.riskSelected ? 1 : 0, a.randomSelected ? 1 : 0, at.toISOString(),
      ).changes > 0;
      if (!inserted) return false;
      if (a.score > 0) this.stmt.bagRisk.run(JSON.stringify({ score: a.score, reasons: a.reasons.map((r) => r.text).slice(0, 20) }), a.bagId, a.score);
      if (a.riskSelected || a.randomSelected) {
        appendAudit(this.db, {
          type: 'bag.selected-for-search', actor: HUB_DISPATCHER, subjectId: a.bagId,
          payload: {
            flightKey: a.flightKey, passengerRef: a.passengerRef, score: a.score, reasons: a.reasons.map((r) => r.text),
            riskSelected: a.riskSelected, randomSelected: a.randomSelected,
          },
        }, at);
      }
      return true;
    }).immediate();
  }

  assessment(bagId: string): BagRiskAssessment | null {
    const row = this.stmt.risk.get(bagId) as RiskRow | undefined;
    return row ? toRisk(row) : null;
  }

  /**
   * Bags of a flight number received since `since` that go to the search station (a search
   * verdict, or selected from the manifest), with when their outcome was stored (null: open).
   */
  searchesOfFlightNumber(flight: string, since: Date): { bagId: string; searchedAt: string | null }[] {
    return (this.stmt.searchesOfNumber.all(flight, since.toISOString()) as { bag_id: string; searched_at: string | null }[])
      .map((r) => ({ bagId: r.bag_id, searchedAt: r.searched_at }));
  }

  /** Why the bag is at the search station when the manifest selected it; null when it was not selected. */
  selection(bagId: string): SearchSelection | null {
    const a = this.assessment(bagId);
    if (!a || !(a.riskSelected || a.randomSelected)) return null;
    return { riskSelected: a.riskSelected, randomSelected: a.randomSelected, score: a.score, reasons: a.reasons.map((r) => r.text).slice(0, 50) };
  }

  /** Bags selected (risk or random) and assessed in `from` ≤ t < `to`, each with its search outcome. */
  selectionRecords(range: { from?: string; to?: string } = {}): SelectionRecord[] {
    const from = range.from === undefined ? '' : new Date(range.from).toISOString();
    const to = range.to === undefined ? '\uffff' : new Date(range.to).toISOString();
    return (this.stmt.selected.all(from, to) as { bag_id: string; risk_selected: number; random_selected: number; outcome: SearchOutcomeKind | null }[])
      .map((r) => ({ bagId: r.bag_id, riskSelected: r.risk_selected === 1, randomSelected: r.random_selected === 1, outcome: r.outcome }));
  }

  private toPassenger(r: PassengerRow, bagTags: string[]): StoredPassenger {
    return {
      flightKey: r.flight_key, passengerRef: r.passenger_ref, ...(r.name === null ? {} : { name: r.name }),
      facts: JSON.parse(r.facts) as ManifestPassengerFacts, bagTags, receivedAt: r.received_at,
    };
  }
}
