import {
  flightKey, serviceDateOf,
  type FlightArrival, type FlightChange, type FlightInfo, type FlightRejection, type FlightUpdate, type FlightUpsert, type Verdict,
} from '@clearway/protocol';
import type { Db } from './database.ts';

/** A bag as the flight clocks see it. */
export interface FlightBag {
  bagId: string;
  bagTag: string;
  flight: string;
  scannedAt: string;
  receivedAt: string;
  /** The bag's screening state ('waiting', 'assigned', 'decided', …). */
  state: string;
  /** The first stored decision on the bag, if any. */
  verdict: Verdict | null;
  decidedAt: string | null;
}

export interface FlightUpsertResult {
  arrivals: { created: number; changed: number; unchanged: number };
  updates: { applied: number; duplicate: number };
  rejected: FlightRejection[];
  /** What changed, flight by flight, in the order applied. */
  changes: { key: string; change: FlightChange }[];
}

export interface FlightHistoryEntry {
  seq: number;
  updateId: string | null;
  kind: 'arrival' | FlightUpdate['type'];
  detail: unknown;
  at: string | null;
  deviceId: string;
  receivedAt: string;
}

interface FlightRow {
  key: string; flight: string; service_date: string; origin: string; aircraft: string;
  scheduled_on_block: string; estimated_on_block: string | null; actual_on_block: string | null;
  stand: string | null; gate: string | null; passengers: number; checked_bags: number; cabin_bags: number;
  passengers_target_min: number | null; checked_bags_target_min: number | null; cancelled: number; updated_at: string;
}

const toFlight = (r: FlightRow): FlightInfo => {
  const targets = {
    ...(r.passengers_target_min === null ? {} : { passengersMinutes: r.passengers_target_min }),
    ...(r.checked_bags_target_min === null ? {} : { checkedBagsMinutes: r.checked_bags_target_min }),
  };
  return {
    key: r.key, flight: r.flight, date: r.service_date, origin: r.origin, aircraft: r.aircraft,
    scheduledOnBlock: r.scheduled_on_block,
    ...(r.estimated_on_block === null ? {} : { estimatedOnBlock: r.estimated_on_block }),
    ...(r.actual_on_block === null ? {} : { actualOnBlock: r.actual_on_block }),
    ...(r.stand === null ? {} : { stand: r.stand }),
    ...(r.gate === null ? {} : { gate: r.gate }),
    passengers: r.passengers, checkedBags: r.checked_bags, cabinBags: r.cabin_bags,
    ...(Object.keys(targets).length > 0 ? { targets } : {}),
    cancelled: r.cancelled === 1, updatedAt: r.updated_at,
  };
};

/** Fields an arrival sets, as columns; optional ones it leaves out keep their stored values. */
function columnsOf(a: FlightArrival): Partial<Omit<FlightRow, 'key' | 'cancelled' | 'updated_at'>> {
  return {
    flight: a.flight, service_date: serviceDateOf(a), origin: a.origin, aircraft: a.aircraft, scheduled_on_block: a.scheduledOnBlock,
    ...(a.estimatedOnBlock === undefined ? {} : { estimated_on_block: a.estimatedOnBlock }),
    ...(a.actualOnBlock === undefined ? {} : { actual_on_block: a.actualOnBlock }),
    ...(a.stand === undefined ? {} : { stand: a.stand }),
    ...(a.gate === undefined ? {} : { gate: a.gate }),
    passengers: a.passengers, checked_bags: a.checkedBags, cabin_bags: a.cabinBags,
    ...(a.targets?.passengersMinutes === undefined ? {} : { passengers_target_min: a.targets.passengersMinutes }),
    ...(a.targets?.checkedBagsMinutes === undefined ? {} : { checked_bags_target_min: a.targets.checkedBagsMinutes }),
  };
}

/** Arriving flights from the flight feed, and every change to them (`flight_updates`). */
export class FlightRepository {
  private readonly stmt;
  private readonly atomically: <T>(work: () => T) => T;

  constructor(private readonly db: Db) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run(work) as T;
    this.stmt = {
      flight: db.prepare('SELECT * FROM flights WHERE key = ?'),
      insert: db.prepare(`INSERT INTO flights (key, flight, service_date, origin, aircraft, scheduled_on_block, scheduled_ms, estimated_on_block, actual_on_block,
                            stand, gate, passengers, checked_bags, cabin_bags, passengers_target_min, checked_bags_target_min, device_id, created_at, updated_at)
                          VALUES (@key, @flight, @service_date, @origin, @aircraft, @scheduled_on_block, @scheduled_ms, @estimated_on_block, @actual_on_block,
                            @stand, @gate, @passengers, @checked_bags, @cabin_bags, @passengers_target_min, @checked_bags_target_min, @device_id, @at, @at)`),
      update: db.prepare(`UPDATE flights SET origin = @origin, aircraft = @aircraft, scheduled_on_block = @scheduled_on_block, scheduled_ms = @scheduled_ms,
                            estimated_on_block = @estimated_on_block, actual_on_block = @actual_on_block, stand = @stand, gate = @gate,
                            passengers = @passengers, checked_bags = @checked_bags, cabin_bags = @cabin_bags,
                            passengers_target_min = @passengers_target_min, checked_bags_target_min = @checked_bags_target_min,
                            cancelled = @cancelled, device_id = @device_id, updated_at = @at
                          WHERE key = @key`),
      updateSeen: db.prepare('SELECT 1 FROM flight_updates WHERE update_id = ?'),
      history: db.prepare(`INSERT INTO flight_updates (update_id, flight_key, kind, detail, at, device_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      historyOf: db.prepare('SELECT * FROM flight_updates WHERE flight_key = ? ORDER BY seq'),
      between: db.prepare('SELECT * FROM flights WHERE scheduled_ms BETWEEN ? AND ? ORDER BY scheduled_ms, key'),
      byNumber: db.prepare('SELECT * FROM flights WHERE flight = ? ORDER BY scheduled_ms'),
      bags: db.prepare(`SELECT b.id, b.bag_tag, b.flight, b.scanned_at, b.received_at, b.state, d.verdict, MIN(d.stored_at) AS decided_at
                        FROM bags b LEFT JOIN decisions d ON d.bag_id = b.id
                        WHERE b.flight = ? AND b.received_at >= ?
                        GROUP BY b.id ORDER BY b.received_at, b.rowid`),
      bag: db.prepare(`SELECT b.id, b.bag_tag, b.flight, b.scanned_at, b.received_at, b.state, d.verdict, MIN(d.stored_at) AS decided_at
                       FROM bags b LEFT JOIN decisions d ON d.bag_id = b.id WHERE b.id = ? GROUP BY b.id`),
    };
  }

  /**
   * Applies one `flight:upsert` in one transaction: arrivals first (new, revised or unchanged),
   * then updates in order. A resent update (same updateId) is stored once; an update for a flight
   * the hub does not know is rejected, and the rest of the batch still applies.
   */
  upsert(deviceId: string, batch: FlightUpsert, receivedAt: Date): FlightUpsertResult {
    const at = receivedAt.toISOString();
    return this.atomically(() => {
      const result: FlightUpsertResult = { arrivals: { created: 0, changed: 0, unchanged: 0 }, updates: { applied: 0, duplicate: 0 }, rejected: [], changes: [] };
      batch.arrivals.forEach((arrival, index) => {
        const key = flightKey({ flight: arrival.flight, date: serviceDateOf(arrival) });
        const scheduledMs = Date.parse(arrival.scheduledOnBlock);
        if (!Number.isFinite(scheduledMs)) {
          result.rejected.push({ kind: 'arrival', index, reason: `scheduledOnBlock ${arrival.scheduledOnBlock} is not a time` });
          return;
        }
        const prior = this.stmt.flight.get(key) as FlightRow | undefined;
        const cols = columnsOf(arrival);
        if (!prior) {
          this.stmt.insert.run({
            key, estimated_on_block: null, actual_on_block: null, stand: null, gate: null, passengers_target_min: null, checked_bags_target_min: null,
            ...cols, scheduled_ms: scheduledMs, device_id: deviceId, at,
          });
          this.stmt.history.run(null, key, 'arrival', JSON.stringify(arrival), null, deviceId, at);
          result.arrivals.created++;
          result.changes.push({ key, change: { type: 'arrival', created: true } });
          return;
        }
        const diff: Record<string, [unknown, unknown]> = {};
        for (const [column, value] of Object.entries(cols)) {
          const old = prior[column as keyof FlightRow];
          if (old !== value) diff[column] = [old, value];
        }
        if (Object.keys(diff).length === 0) {
          result.arrivals.unchanged++;
          return;
        }
        this.stmt.update.run({ ...prior, ...cols, scheduled_ms: scheduledMs, device_id: deviceId, at });
        this.stmt.history.run(null, key, 'arrival', JSON.stringify(diff), null, deviceId, at);
        result.arrivals.changed++;
        result.changes.push({ key, change: { type: 'arrival', created: false } });
      });
      batch.updates.forEach((update, index) => {
        if (this.stmt.updateSeen.get(update.updateId)) {
          result.updates.duplicate++;
          return;
        }
        const key = flightKey(update);
        const prior = this.stmt.flight.get(key) as FlightRow | undefined;
        if (!prior) {
          result.rejected.push({ kind: 'update', index, reason: `no flight ${update.flight} on ${update.date}: send its arrival first` });
          return;
        }
        const next: FlightRow = { ...prior };
        let change: FlightChange;
        switch (update.type) {
          case 'delay':
            next.estimated_on_block = update.estimatedOnBlock;
            change = { type: 'delay', estimatedOnBlock: update.estimatedOnBlock };
            break;
          case 'stand':
            next.stand = update.stand;
            if (update.gate !== undefined) next.gate = update.gate;
            change = { type: 'stand', stand: update.stand, ...(update.gate === undefined ? {} : { gate: update.gate }), ...(prior.stand === null ? {} : { previousStand: prior.stand }) };
            break;
          case 'on-block':
            next.actual_on_block = update.actualOnBlock;
            change = { type: 'on-block', actualOnBlock: update.actualOnBlock };
            break;
          case 'cancelled':
            next.cancelled = 1;
            change = { type: 'cancelled', ...(update.reason === undefined ? {} : { reason: update.reason }) };
            break;
        }
        this.stmt.update.run({ ...next, scheduled_ms: Date.parse(next.scheduled_on_block), device_id: deviceId, at });
        const { updateId, type, flight: _f, date: _d, at: updateAt, ...detail } = update;
        this.stmt.history.run(updateId, key, type, JSON.stringify(detail), updateAt, deviceId, at);
        result.updates.applied++;
        result.changes.push({ key, change });
      });
      return result;
    });
  }

  flight(key: string): FlightInfo | null {
    const row = this.stmt.flight.get(key) as FlightRow | undefined;
    return row ? toFlight(row) : null;
  }

  /** Flights scheduled on block between two times (ms since epoch), by scheduled time. */
  flightsScheduledBetween(fromMs: number, toMs: number): FlightInfo[] {
    return (this.stmt.between.all(fromMs, toMs) as FlightRow[]).map(toFlight);
  }

  /** Every flight with this number, by scheduled time. */
  flightsByNumber(flight: string): FlightInfo[] {
    return (this.stmt.byNumber.all(flight) as FlightRow[]).map(toFlight);
  }

  /** The flight's history: its arrival, revisions and live updates, oldest first. */
  history(key: string): FlightHistoryEntry[] {
    const rows = this.stmt.historyOf.all(key) as { seq: number; update_id: string | null; kind: FlightHistoryEntry['kind']; detail: string; at: string | null; device_id: string; received_at: string }[];
    return rows.map((r) => ({ seq: r.seq, updateId: r.update_id, kind: r.kind, detail: JSON.parse(r.detail) as unknown, at: r.at, deviceId: r.device_id, receivedAt: r.received_at }));
  }

  /** Bags carrying this flight number that reached the hub at or after `since`, with their first decision. */
  bagsOfFlightNumber(flight: string, since: Date): FlightBag[] {
    return (this.stmt.bags.all(flight, since.toISOString()) as BagRow[]).map(toBag);
  }

  /** One bag with its first decision. */
  bag(bagId: string): FlightBag | null {
    const row = this.stmt.bag.get(bagId) as BagRow | undefined;
    return row ? toBag(row) : null;
  }
}

interface BagRow { id: string; bag_tag: string; flight: string; scanned_at: string; received_at: string; state: string; verdict: Verdict | null; decided_at: string | null }
const toBag = (r: BagRow): FlightBag => ({
  bagId: r.id, bagTag: r.bag_tag, flight: r.flight, scannedAt: r.scanned_at, receivedAt: r.received_at, state: r.state, verdict: r.verdict, decidedAt: r.decided_at,
});
