import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import type { Sink } from '@clearway/device-core';
import { FlightUpdate, Id, MAX_FLIGHT_BATCH, serviceDateOf, type FlightArrival, type FlightManifestInput, type FlightUpsertInput } from '@clearway/protocol';
import { AIRCRAFT, AIRLINES, LONG_HAUL_ORIGINS, REGIONAL_ORIGINS, type AircraftModel } from './aircraft.ts';
import type { FlightFeedAdapter, FlightFeedCapabilities } from './feed.ts';
import { Random, mixSeed } from './random.ts';
import { simulateManifest } from './manifest.ts';
import { formatTime } from './time.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface FlightDayOptions {
  /** The same seed (and start) gives the same day: flights, figures, delays, update IDs. Default 1. */
  seed: number;
  /** When the simulated day begins (ms since epoch). Default: now, to the minute. */
  start: number;
  /** Hours of arrivals from `start`. Default 24. */
  hours: number;
  /** Arrivals in that time. Default 120 (a large hub's international arrivals). */
  flights: number;
  /** The airport's offset from UTC in minutes, for the times the feed writes. Default 0 (UTC). */
  utcOffsetMinutes: number;
}

/** A live update and the simulated time it becomes known. */
export interface SimulatedEvent {
  at: number;
  update: FlightUpdate;
}

export interface SimulatedDay {
  /** The schedule as published when the day starts, ordered by scheduled on-block. */
  arrivals: FlightArrival[];
  /** Live updates (delays, stand changes, on-block, cancellations) in time order. */
  events: SimulatedEvent[];
}

export const DEFAULT_DAY: Omit<FlightDayOptions, 'start'> = { seed: 1, hours: 24, flights: 120, utcOffsetMinutes: 0 };

/**
 * A day of arrivals with realistic figures: aircraft from regional narrowbodies to the A380,
 * seats by type, load factors around 82 %, 1.2–1.4 checked bags per passenger on regional sectors
 * and 1.4–1.6 on long haul, 0.9–1.3 cabin bags per passenger; arrivals bunched in the morning
 * and evening banks. Then what the day brings: most flights on time or a few minutes early, a
 * third delayed, a few badly; estimates refined before landing; one stand in seven changed; one
 * flight in seventy cancelled; on-block around the last estimate.
 */
export function simulateDay(options: Partial<FlightDayOptions> = {}): SimulatedDay {
  const o = { ...DEFAULT_DAY, start: Math.floor(Date.now() / MIN) * MIN, ...options };
  if (!Number.isSafeInteger(o.seed) || o.seed < 0) throw new RangeError(`seed must be a whole number of at least 0, got ${o.seed}`);
  if (!Number.isInteger(o.flights) || o.flights < 0 || o.flights > 2000) throw new RangeError(`flights must be a whole number from 0 to 2000, got ${o.flights}`);
  if (!(o.hours > 0 && o.hours <= 72)) throw new RangeError(`hours must lie above 0 and at most 72, got ${o.hours}`);
  if (!Number.isInteger(o.utcOffsetMinutes) || Math.abs(o.utcOffsetMinutes) > 14 * 60) throw new RangeError(`utcOffsetMinutes must be whole and within ±14 h, got ${o.utcOffsetMinutes}`);
  const random = new Random(mixSeed(o.seed, 0x666c));
  const time = (ms: number) => formatTime(ms, o.utcOffsetMinutes);
  const taken = new Set<string>();
  const planned: { sta: number; model: AircraftModel; flight: string }[] = [];
  for (let i = 0; i < o.flights; i++) {
    const model = random.pick(AIRCRAFT);
    let flight: string;
    const airlines = model.widebody ? AIRLINES : AIRLINES.filter((a) => !a.longHaulOnly);
    do {
      const airline = random.pick(airlines);
      flight = `${airline.code}${random.int(airline.numbers[0], airline.numbers[1])}`;
    } while (taken.has(flight));
    taken.add(flight);
    planned.push({ sta: arrivalTime(random, o.start, o.hours, o.utcOffsetMinutes), model, flight });
  }
  planned.sort((a, b) => a.sta - b.sta || a.flight.localeCompare(b.flight));

  const arrivals: FlightArrival[] = [];
  const events: SimulatedEvent[] = [];
  planned.forEach(({ sta, model, flight }, index) => {
    const seats = random.int(model.seats[0], model.seats[1]);
    const loadFactor = Math.min(1, Math.max(0.45, random.normal(0.82, 0.08)));
    const passengers = Math.round(seats * loadFactor);
    const bagsPerPassenger = model.widebody ? random.range(1.4, 1.6) : random.range(1.2, 1.4);
    const stand = standFor(random, model);
    const arrival: FlightArrival = {
      flight,
      origin: random.pick(model.widebody ? LONG_HAUL_ORIGINS : REGIONAL_ORIGINS),
      aircraft: model.type,
      scheduledOnBlock: time(sta),
      stand: stand.stand,
      gate: stand.gate,
      passengers,
      checkedBags: Math.round(passengers * bagsPerPassenger),
      cabinBags: Math.round(passengers * random.range(0.9, 1.3)),
    };
    arrivals.push(arrival);
    events.push(...flightEvents(arrival, sta, o.start, new Random(mixSeed(o.seed, o.start, index)), time));
  });
  // Stable: updates known at the same moment keep the order they were made in.
  events.sort((a, b) => a.at - b.at);
  return { arrivals, events };
}

/** Scheduled on-block in the window, bunched into the morning and evening banks (local time), on a 5-minute grid. */
function arrivalTime(random: Random, start: number, hours: number, utcOffsetMinutes: number): number {
  for (;;) {
    const t = start + random.next() * hours * HOUR;
    const localHour = new Date(t + utcOffsetMinutes * MIN).getUTCHours();
    const weight = localHour < 6 ? 0.25 : localHour >= 7 && localHour < 10 ? 1 : localHour >= 17 && localHour < 21 ? 0.9 : 0.55;
    if (random.next() < weight) return Math.round(t / (5 * MIN)) * 5 * MIN;
  }
}

function standFor(random: Random, model: AircraftModel): { stand: string; gate: string } {
  if (random.chance(0.2)) return { stand: String(random.int(501, 540)), gate: `B${random.int(1, 8)}` }; // remote: bussed in
  if (model.widebody) {
    const n = random.int(1, 30);
    return { stand: String(200 + n), gate: `E${n}` };
  }
  const n = random.int(1, 40);
  return { stand: String(100 + n), gate: `D${n}` };
}

function flightEvents(arrival: FlightArrival, sta: number, dayStart: number, random: Random, time: (ms: number) => string): SimulatedEvent[] {
  const ref = { flight: arrival.flight, date: serviceDateOf(arrival) };
  const make = (at: number, update: Record<string, unknown>): SimulatedEvent => {
    const when = Math.max(dayStart, at);
    return { at: when, update: FlightUpdate.parse({ updateId: random.uuid(), ...ref, at: time(when), ...update }) };
  };
  if (random.chance(1 / 70)) return [make(sta - 3 * HOUR, { type: 'cancelled', reason: random.pick(['aircraft technical', 'weather at origin', 'crew', 'operational']) })];
  const events: SimulatedEvent[] = [];
  // The estimate when the aircraft leaves the origin's gate: mostly on time, a third late.
  const r = random.next();
  const delayMin = r < 0.6 ? Math.min(5, Math.max(-20, Math.round(random.normal(-4, 4)))) : r < 0.9 ? random.int(5, 45) : random.int(45, 180);
  let eta = sta + delayMin * MIN;
  events.push(make(sta - 2 * HOUR, { type: 'delay', estimatedOnBlock: time(eta) }));
  // Refined on approach.
  const refined = eta + Math.round(random.normal(0, 3)) * MIN;
  if (refined !== eta && eta - 25 * MIN > sta - 2 * HOUR) {
    events.push(make(eta - 25 * MIN, { type: 'delay', estimatedOnBlock: time(refined) }));
    eta = refined;
  }
  if (random.chance(1 / 7)) {
    const n = random.int(1, 30);
    const stand = arrival.stand?.startsWith('2') ? { stand: String(200 + n), gate: `E${n}` } : { stand: String(random.int(501, 540)), gate: `B${random.int(1, 8)}` };
    if (stand.stand !== arrival.stand) events.push(make(eta - 30 * MIN, { type: 'stand', ...stand }));
  }
  const onBlock = Math.max(dayStart, Math.round((eta + random.normal(0, 1.5) * MIN) / 1000) * 1000);
  events.push(make(onBlock, { type: 'on-block', actualOnBlock: time(onBlock) }));
  return events;
}

export interface SimulatedFlightFeedOptions extends Partial<FlightDayOptions> {
  /** Device ID registered at the hub. Default 'flight-feed-sim'. */
  id?: string;
  /**
   * Simulated seconds per real second. Default 1. 60 runs a day in 24 minutes; Infinity sends
   * everything as fast as the sink takes it. The times the feed writes are simulated times.
   */
  timeScale?: number;
  /** Arrivals per message when the schedule is published. Default 100. */
  batchSize?: number;
  /** Also a passenger manifest per flight (manifest.ts simulateManifest). Default true. */
  manifests?: boolean;
  /** This airport, the last stop of the manifests' routes. Default PVG. */
  airport?: string;
}

/**
 * A simulated flight feed: publishes a day's schedule, then sends each live update when its
 * simulated time comes. Resolves when the day's last update is sent.
 */
export class SimulatedFlightFeed implements FlightFeedAdapter {
  readonly id: string;
  readonly kind = 'flight-feed' as const;
  readonly capabilities: FlightFeedCapabilities;
  readonly day: SimulatedDay;
  readonly dayStart: number;
  private readonly timeScale: number;
  private readonly batchSize: number;
  private readonly stop = new AbortController();
  private started = false;
  private running: Promise<void> = Promise.resolve();
  private t0 = 0;
  private readonly manifestOptions: { seed: number; airport: string } | null;

  constructor(options: SimulatedFlightFeedOptions = {}) {
    this.id = options.id ?? 'flight-feed-sim';
    if (!Id.safeParse(this.id).success) throw new RangeError(`device id ${JSON.stringify(this.id)}: letters, digits, dot, dash and underscore only`);
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be above 0, got ${this.timeScale}`);
    this.batchSize = options.batchSize ?? 100;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > MAX_FLIGHT_BATCH) throw new RangeError(`batchSize must be a whole number from 1 to ${MAX_FLIGHT_BATCH}`);
    this.dayStart = options.start ?? Math.floor(Date.now() / MIN) * MIN;
    this.day = simulateDay({ ...options, start: this.dayStart });
    this.capabilities = { source: 'simulator', simulated: true, liveUpdates: true, timeScale: this.timeScale };
    this.manifestOptions = options.manifests === false ? null : { seed: options.seed ?? DEFAULT_DAY.seed, airport: options.airport ?? 'PVG' };
  }

  /** The simulated manifest of one of the day's flights (seeded: the same every time). */
  manifestOf(arrival: FlightArrival): FlightManifestInput | null {
    return this.manifestOptions ? simulateManifest(arrival, this.manifestOptions) : null;
  }

  /** The simulated time now (ms since epoch): the day's start plus real time elapsed × timeScale. */
  simulatedNow(): number {
    if (!this.started) return this.dayStart;
    return this.timeScale === Infinity ? Infinity : this.dayStart + (performance.now() - this.t0) * this.timeScale;
  }

  start(sink: Sink<FlightUpsertInput>): Promise<void> {
    if (this.started) return Promise.reject(new Error(`flight feed ${this.id} has already been started`));
    this.started = true;
    this.t0 = performance.now();
    this.running = this.run(sink);
    return this.running;
  }

  async close(): Promise<void> {
    this.stop.abort();
    await this.running.catch(() => {});
  }

  private async run(sink: Sink<FlightUpsertInput>): Promise<void> {
    const { signal } = this.stop;
    const closed = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    const send = async (message: FlightUpsertInput): Promise<boolean> => {
      try {
        await nextTurn(undefined, { signal }); // the hub link's socket runs on this event loop
      } catch {
        return false;
      }
      const delivered = sink(message);
      delivered.catch(() => {}); // after close() nobody awaits it
      await Promise.race([delivered, closed]);
      return !signal.aborted;
    };
    const { arrivals, events } = this.day;
    for (let i = 0; i < arrivals.length; i += this.batchSize) {
      if (!(await send({ arrivals: arrivals.slice(i, i + this.batchSize) }))) return;
    }
    let next = 0;
    while (next < events.length) {
      const head = events[next];
      if (!head) break;
      const waitMs = this.timeScale === Infinity ? 0 : (head.at - this.dayStart) / this.timeScale - (performance.now() - this.t0);
      if (waitMs > 0) {
        try {
          await sleep(waitMs, undefined, { signal });
        } catch {
          return;
        }
      }
      // Everything now due goes together (after a slow hub, that is more than one); at full
      // speed, one moment's updates per message.
      const now = this.timeScale === Infinity ? head.at : this.simulatedNow();
      const due: FlightUpdate[] = [];
      while (next < events.length && due.length < MAX_FLIGHT_BATCH) {
        const e = events[next];
        if (!e || e.at > now) break;
        due.push(e.update);
        next++;
      }
      if (!(await send({ updates: due }))) return;
    }
  }
}
