// `pnpm clearway flights`: flights from the flight feed with their clearance clocks, computed
// from the data folder the way the hub computes them (@clearway/domain).
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_POLICY, flightClocks, isCheckedBagTag, linkBagToFlight, workItemOf, type Clock, type WorkItem } from '@clearway/domain';
import { FlightNumber, type FlightInfo } from '@clearway/protocol';
import type { Store } from '@clearway/store';

type Run = (action: (store: Store) => Promise<void> | void) => Promise<void>;

const HOUR = 3_600_000;

export interface FlightLine {
  key: string;
  flight: string;
  origin: string;
  aircraft: string;
  stand: string | null;
  onBlock: string;
  onBlockAssumed: boolean;
  cancelled: boolean;
  passengers: ClockLine;
  checkedBags: ClockLine;
}

interface ClockLine {
  state: Clock['state'];
  done: number;
  total: number;
  deadline: string;
  projectedAt: string | null;
  clearedAt: string | null;
  metTarget: boolean | null;
}

/** Every flight on block in [from, to] (by its expected on-block), with its clocks at `now`. */
export function flightLines(store: Store, from: number, to: number, now: number, only?: string): FlightLine[] {
  // Delays run to hours: look wider by schedule, then keep those whose expected on-block fits.
  const flights = store.flights.flightsScheduledBetween(from - 12 * HOUR, to + 12 * HOUR).filter((f) => only === undefined || f.flight === only);
  const expected = (f: FlightInfo) => Date.parse(f.actualOnBlock ?? f.estimatedOnBlock ?? f.scheduledOnBlock);
  const lines: FlightLine[] = [];
  const byNumber = new Map<string, Map<string, { checked: WorkItem[]; cabin: WorkItem[] }>>();
  for (const number of new Set(flights.map((f) => f.flight))) {
    const candidates = store.flights.flightsByNumber(number).filter((f) => !f.cancelled).map((f) => ({ key: f.key, startsAt: expected(f) }));
    const work = new Map<string, { checked: WorkItem[]; cabin: WorkItem[] }>();
    for (const bag of store.flights.bagsOfFlightNumber(number, new Date(from - 48 * HOUR))) {
      const seenAt = Date.parse(bag.receivedAt);
      if (seenAt > now) continue;
      const key = linkBagToFlight(seenAt, candidates);
      if (key === null) continue;
      const decidedAt = bag.decidedAt === null ? null : Date.parse(bag.decidedAt);
      const item = workItemOf(bag.state, seenAt, decidedAt !== null && decidedAt <= now ? decidedAt : null);
      let entry = work.get(key);
      if (!entry) work.set(key, (entry = { checked: [], cabin: [] }));
      (isCheckedBagTag(bag.bagTag) ? entry.checked : entry.cabin).push(item);
    }
    byNumber.set(number, work);
  }
  for (const f of flights) {
    const start = expected(f);
    if (start < from || start > to) continue;
    const work = byNumber.get(f.flight)?.get(f.key) ?? { checked: [], cabin: [] };
    const clocks = flightClocks(
      {
        scheduledOnBlock: Date.parse(f.scheduledOnBlock),
        estimatedOnBlock: f.estimatedOnBlock === undefined ? undefined : Date.parse(f.estimatedOnBlock),
        actualOnBlock: f.actualOnBlock === undefined ? undefined : Date.parse(f.actualOnBlock),
        passengers: f.passengers, checkedBags: f.checkedBags, cabinBags: f.cabinBags, targets: f.targets,
      },
      { checkedBags: work.checked, cabinBags: work.cabin },
      now,
      DEFAULT_POLICY,
    );
    const line = (c: Clock, done: number, total: number): ClockLine => ({
      state: c.state, done, total, deadline: new Date(c.deadline).toISOString(),
      projectedAt: c.projection && Number.isFinite(c.projection.expectedAt) ? new Date(c.projection.expectedAt).toISOString() : null,
      clearedAt: c.clearedAt === null ? null : new Date(c.clearedAt).toISOString(), metTarget: c.metTarget,
    });
    lines.push({
      key: f.key, flight: f.flight, origin: f.origin, aircraft: f.aircraft, stand: f.stand ?? null,
      onBlock: new Date(clocks.checkedBags.startsAt).toISOString(), onBlockAssumed: clocks.checkedBags.onBlockAssumed, cancelled: f.cancelled,
      passengers: line(clocks.passengers, clocks.passengers.passengersDone, clocks.passengers.passengersTotal),
      checkedBags: line(clocks.checkedBags, clocks.checkedBags.done, clocks.checkedBags.total),
    });
  }
  return lines.sort((a, b) => a.onBlock.localeCompare(b.onBlock) || a.key.localeCompare(b.key));
}

function hours(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of hours, 0 or more');
  return n;
}

function time(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)) throw new InvalidArgumentError('expected a timestamp with a zone, e.g. 2025-06-01T06:30:00+08:00');
  return ms;
}

function flightNumber(value: string): string {
  if (!FlightNumber.safeParse(value).success) throw new InvalidArgumentError('expected an IATA flight number such as CA981');
  return value;
}

/** Adds `flights`. Times use the airport's default targets (the hub's own flags may differ). */
export function registerFlightCommands(program: Command, run: Run): void {
  program.command('flights')
    .description('flights from the flight feed with their clearance clocks, one JSON object per line (or a table)')
    .option('--past <hours>', 'flights on block up to this long ago', hours, 12)
    .option('--next <hours>', 'flights due on block within this long', hours, 6)
    .option('--at <time>', 'evaluate the clocks at this time instead of now', time)
    .option('--flight <number>', 'only this flight number', flightNumber)
    .option('--cancelled', 'include cancelled flights')
    .option('--table', 'a table for people instead of JSON lines')
    .action((o: { past: number; next: number; at?: number; flight?: string; cancelled?: boolean; table?: boolean }) => run((store) => {
      const now = o.at ?? Date.now();
      const lines = flightLines(store, now - o.past * HOUR, now + o.next * HOUR, now, o.flight).filter((l) => o.cancelled || !l.cancelled);
      if (!o.table) {
        for (const l of lines) console.log(JSON.stringify(l));
        return;
      }
      const hhmm = (iso: string) => iso.slice(11, 16);
      const cell = (c: ClockLine) => `${c.state.padEnd(11)} ${`${c.done}/${c.total}`.padStart(9)} by ${hhmm(c.deadline)}`;
      console.log(`${'flight'.padEnd(8)} ${'from'.padEnd(4)} ${'type'.padEnd(4)} ${'stand'.padEnd(5)} on-block  ${'passengers'.padEnd(30)} checked bags (UTC)`);
      for (const l of lines) {
        const onBlock = `${hhmm(l.onBlock)}${l.onBlockAssumed ? '?' : ' '}`;
        console.log(`${l.flight.padEnd(8)} ${l.origin.padEnd(4)} ${l.aircraft.padEnd(4)} ${(l.stand ?? '').padEnd(5)} ${onBlock.padEnd(9)} ${l.cancelled ? 'cancelled' : `${cell(l.passengers)}   ${cell(l.checkedBags)}`}`);
      }
    }));
}
