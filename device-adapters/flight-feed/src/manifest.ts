/**
 * Flight manifests for the hub's risk-based selection (`flight:manifest`): a seeded simulator of
 * a flight's passengers and their bags, and a manifest file reader (CSV or JSON) that reports bad
 * rows as FILE:LINE and skips them, keeping the rest. Pure: no I/O here.
 *
 * File rows are one passenger each: `flight`, `date`, `passengerRef` (or `pnr`), `name`
 * (optional), `origin`, `route` (airports joined by `-`, `>` or spaces: "KBL-IST-PVG"), `flags`
 * (`;` or spaces: "watch-list-hit;late-check-in"), `recentTrips` (days ago, "3 10 12"),
 * `stayDays`, `bagTags` (spaces or `;`: "0999123456 C-2002"). A file may hold several flights.
 */
import { FlightManifest, MAX_FLIGHT_PASSENGERS, ManifestPassenger, RiskFlag, flightKey, serviceDateOf, type FlightArrival, type FlightManifestInput } from '@clearway/protocol';
import { Random, mixSeed } from './random.ts';
import { parseCsv, topLevelElementLines, type ScheduleFormat, type ScheduleProblem } from './schedule-file.ts';

/**
 * Where the simulated journeys of a few passengers begin or change planes: airports an airport's
 * policy might list as high-risk, so that `origin-in` and `route-through` rules have something to
 * find in a demo. Illustrative only; no real list.
 */
export const SIMULATED_HIGH_RISK_AIRPORTS = ['KBL', 'SAH', 'MGQ'] as const;

/** Shares of passengers with each flag in the simulator: a few per flight, a watch-list hit now and then. */
const FLAG_SHARES: Record<RiskFlag, number> = { 'watch-list-hit': 0.004, 'cash-declaration': 0.01, 'late-check-in': 0.03, 'one-way-ticket': 0.08 };
const TRANSFER_HUBS = ['DXB', 'DOH', 'IST', 'FRA', 'HKG', 'SIN', 'ICN'] as const;
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export interface ManifestSimOptions {
  /** The same seed and flight give the same manifest. Default 1. */
  seed?: number;
  /** This airport (the route's last stop). Default PVG. */
  airport?: string;
}

/**
 * A flight's manifest: as many passengers as the arrival declares, in bookings of one to four,
 * each with cabin bags (about 1.1 each, tags "C<flight>-<n>") and checked bags (IATA licence
 * plates) in the arrival's proportions; most journeys from the flight's origin, a fifth with a
 * transfer, about one in a hundred and fifty through or from a simulated high-risk airport; flags
 * at FLAG_SHARES; recent trips and stay lengths for the travel-pattern rules.
 */
export function simulateManifest(arrival: FlightArrival, options: ManifestSimOptions = {}): FlightManifestInput {
  const airport = options.airport ?? 'PVG';
  const date = serviceDateOf(arrival);
  const random = new Random(mixSeed(options.seed ?? 1, ...[...`${arrival.flight}/${date}`].map((c) => c.charCodeAt(0))));
  const checkedPerPassenger = arrival.passengers > 0 ? arrival.checkedBags / arrival.passengers : 0;
  const cabinPerPassenger = arrival.passengers > 0 ? arrival.cabinBags / arrival.passengers : 0;
  const airline = Number.parseInt(arrival.flight.slice(2).replace(/\D/g, '') || '0', 10) % 1000;
  const passengers: FlightManifestInput['passengers'] = [];
  let checkedSerial = random.int(0, 899_999);
  let cabinSerial = 0;
  const count = (mean: number) => Math.floor(mean) + (random.chance(mean - Math.floor(mean)) ? 1 : 0);
  while (passengers.length < Math.min(arrival.passengers, MAX_FLIGHT_PASSENGERS)) {
    const pnr = Array.from({ length: 6 }, () => LETTERS[random.int(0, LETTERS.length - 1)]).join('');
    const party = Math.min(random.pick([1, 1, 1, 2, 2, 3, 4]), arrival.passengers - passengers.length);
    // Most journeys start at the flight's origin; a fifth change planes there; a few touch a high-risk airport.
    let origin: string = arrival.origin;
    let route: string[] = [origin, airport];
    if (random.chance(1 / 150)) {
      const risky = random.pick(SIMULATED_HIGH_RISK_AIRPORTS);
      if (random.chance(0.5)) origin = risky;
      else origin = random.pick(TRANSFER_HUBS.filter((h) => h !== arrival.origin));
      route = origin === risky ? [risky, arrival.origin, airport] : [origin, risky, arrival.origin, airport];
    } else if (random.chance(0.2)) {
      origin = random.pick(TRANSFER_HUBS.filter((h) => h !== arrival.origin));
      route = [origin, arrival.origin, airport];
    }
    const oneWay = random.chance(FLAG_SHARES['one-way-ticket']);
    const stayDays = oneWay ? null : Math.max(1, Math.round(Math.exp(random.normal(2, 0.8))));
    const trips = random.chance(0.05) ? Array.from({ length: random.int(2, 6) }, () => random.int(2, 60)).sort((a, b) => a - b) : [];
    for (let n = 1; n <= party; n++) {
      const flags: RiskFlag[] = [];
      for (const flag of RiskFlag.options) if (flag === 'one-way-ticket' ? oneWay : random.chance(FLAG_SHARES[flag])) flags.push(flag);
      const bagTags: string[] = [];
      for (let i = count(checkedPerPassenger); i > 0; i--) bagTags.push(`0${String(airline).padStart(3, '0')}${String(checkedSerial++ % 1_000_000).padStart(6, '0')}`);
      for (let i = count(cabinPerPassenger); i > 0; i--) bagTags.push(`C${arrival.flight}-${++cabinSerial}`);
      passengers.push({
        passengerRef: `${pnr}-${n}`, origin, route, flags, stayDays, bagTags: bagTags.slice(0, 20),
        ...(trips.length > 0 ? { recentTripsDaysAgo: trips } : {}),
      });
    }
  }
  return { flight: arrival.flight, date, passengers };
}

export interface ParsedManifests {
  manifests: FlightManifest[];
  problems: ScheduleProblem[];
  /** Passenger rows read (good and bad). */
  rows: number;
}

type Column = 'flight' | 'date' | 'passengerRef' | 'name' | 'origin' | 'route' | 'flags' | 'recentTripsDaysAgo' | 'stayDays' | 'bagTags';
const COLUMNS: Record<string, Column> = {
  flight: 'flight', date: 'date', passengerref: 'passengerRef', passenger: 'passengerRef', pnr: 'passengerRef', name: 'name', origin: 'origin',
  route: 'route', flags: 'flags', recenttrips: 'recentTripsDaysAgo', recenttripsdaysago: 'recentTripsDaysAgo', staydays: 'stayDays', bagtags: 'bagTags', bags: 'bagTags',
};
const REQUIRED: Column[] = ['flight', 'date', 'passengerRef', 'origin'];
const columnOf = (name: string): Column | null => COLUMNS[name.toLowerCase().replace(/[^a-z]/g, '')] ?? null;

/** Reads a manifest file's text: passengers grouped into one manifest per flight. */
export function parseManifests(text: string, format: ScheduleFormat): ParsedManifests {
  const raw = format === 'csv' ? csvRows(text.replace(/^\uFEFF/, '')) : jsonRows(text.replace(/^\uFEFF/, ''));
  const problems = [...raw.problems];
  const flights = new Map<string, { flight: string; date: string; passengers: ManifestPassenger[]; refs: Map<string, number>; tags: Map<string, number> }>();
  for (const { line, fields } of raw.rows) {
    const r = rowToPassenger(fields);
    const flightText = typeof fields.flight === 'string' ? fields.flight.trim().toUpperCase() : undefined;
    if (!r.ok) {
      problems.push({ line, reason: r.reason, ...(flightText ? { flight: flightText } : {}) });
      continue;
    }
    const key = flightKey(r.ref);
    let f = flights.get(key);
    if (!f) flights.set(key, (f = { ...r.ref, passengers: [], refs: new Map(), tags: new Map() }));
    const clash = f.refs.get(r.passenger.passengerRef);
    if (clash !== undefined) {
      problems.push({ line, reason: `${key}: passenger ${r.passenger.passengerRef} is already on line ${clash}`, flight: r.ref.flight });
      continue;
    }
    const taken = r.passenger.bagTags.find((t) => f.tags.has(t));
    if (taken !== undefined) {
      problems.push({ line, reason: `${key}: bag ${taken} is already on line ${f.tags.get(taken)}`, flight: r.ref.flight });
      continue;
    }
    if (f.passengers.length >= MAX_FLIGHT_PASSENGERS) {
      problems.push({ line, reason: `${key}: more than ${MAX_FLIGHT_PASSENGERS} passengers`, flight: r.ref.flight });
      continue;
    }
    f.refs.set(r.passenger.passengerRef, line);
    for (const t of r.passenger.bagTags) f.tags.set(t, line);
    f.passengers.push(r.passenger);
  }
  const manifests = [...flights.values()].map((f) => FlightManifest.parse({ flight: f.flight, date: f.date, passengers: f.passengers }));
  problems.sort((a, b) => a.line - b.line);
  return { manifests, problems, rows: raw.count };
}

const list = (v: unknown, split: RegExp): unknown[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v;
  const t = String(v).trim();
  return t === '' ? [] : t.split(split).filter((x) => x !== '');
};

function rowToPassenger(fields: Partial<Record<Column, unknown>>): { ok: true; ref: { flight: string; date: string }; passenger: ManifestPassenger } | { ok: false; reason: string } {
  for (const k of REQUIRED) {
    if (fields[k] === undefined || String(fields[k]).trim() === '') return { ok: false, reason: `${k} is missing` };
  }
  const text = (v: unknown) => (v === undefined || v === null || String(v).trim() === '' ? undefined : String(v).trim());
  const flight = String(fields.flight).trim().toUpperCase();
  const date = String(fields.date).trim();
  if (!/^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$/.test(flight)) return { ok: false, reason: `flight: "${flight}" is not an IATA flight number such as CA981` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) return { ok: false, reason: `date: "${date}" is not a date such as 2025-06-01` };
  const origin = String(fields.origin).trim().toUpperCase();
  const numbers = (key: Column) => list(fields[key], /[\s;,]+/)?.map((x) => (typeof x === 'number' ? x : /^\d+$/.test(String(x)) ? Number(x) : String(x)));
  const stay = text(fields.stayDays);
  const candidate = {
    passengerRef: String(fields.passengerRef).trim().toUpperCase(),
    ...(text(fields.name) === undefined ? {} : { name: text(fields.name) }),
    origin,
    route: list(fields.route, /[\s>-]+/)?.map((a) => String(a).toUpperCase()) ?? [origin],
    flags: list(fields.flags, /[\s;,]+/)?.map((f) => String(f).toLowerCase()) ?? [],
    ...(fields.recentTripsDaysAgo === undefined ? {} : { recentTripsDaysAgo: numbers('recentTripsDaysAgo') }),
    ...(stay === undefined ? {} : { stayDays: /^\d+$/.test(stay) ? Number(stay) : stay }),
    bagTags: list(fields.bagTags, /[\s;,]+/)?.map((t) => String(t).toUpperCase()) ?? [],
  };
  const parsed = ManifestPassenger.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    let value: unknown = candidate;
    for (const p of path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[p] : undefined;
    return { ok: false, reason: `${path.join('.') || 'row'}: ${issue?.message ?? 'invalid'}${value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`}` };
  }
  return { ok: true, ref: { flight, date }, passenger: parsed.data };
}

interface RawRows {
  rows: { line: number; fields: Partial<Record<Column, unknown>> }[];
  problems: ScheduleProblem[];
  count: number;
}

function csvRows(text: string): RawRows {
  const records = parseCsv(text).filter((r) => !(r.fields.length === 1 && r.fields[0]?.trim() === '') && !(r.fields[0]?.trimStart().startsWith('#') ?? false));
  const [header, ...data] = records;
  if (!header) return { rows: [], problems: [{ line: 1, reason: 'the file has no header row' }], count: 0 };
  const problems: ScheduleProblem[] = [];
  const columns = header.fields.map((name) => ({ name: name.trim(), key: columnOf(name) }));
  for (const c of columns) if (c.key === null && c.name !== '') problems.push({ line: header.line, reason: `unknown column "${c.name}" ignored` });
  const missing = REQUIRED.filter((k) => !columns.some((c) => c.key === k));
  if (missing.length > 0) return { rows: [], problems: [...problems, { line: header.line, reason: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: nothing loaded` }], count: data.length };
  const rows: RawRows['rows'] = [];
  for (const r of data) {
    if (r.error) { problems.push({ line: r.line, reason: r.error }); continue; }
    if (r.fields.length !== columns.length) { problems.push({ line: r.line, reason: `${r.fields.length} fields where the header has ${columns.length}` }); continue; }
    const fields: Partial<Record<Column, unknown>> = {};
    columns.forEach((c, i) => { if (c.key) fields[c.key] = r.fields[i]; });
    rows.push({ line: r.line, fields });
  }
  return { rows, problems, count: data.length };
}

/** JSON: an array of passenger objects with the CSV's keys (lists may be arrays). */
function jsonRows(text: string): RawRows {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { rows: [], problems: [{ line: 1, reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` }], count: 0 };
  }
  if (!Array.isArray(data)) return { rows: [], problems: [{ line: 1, reason: 'expected an array of passengers' }], count: 0 };
  const lines = topLevelElementLines(text);
  const rows: RawRows['rows'] = [];
  const problems: ScheduleProblem[] = [];
  data.forEach((item: unknown, index) => {
    const line = lines[index] ?? 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) { problems.push({ line, reason: 'expected an object' }); return; }
    const fields: Partial<Record<Column, unknown>> = {};
    for (const [name, value] of Object.entries(item)) {
      const key = columnOf(name);
      if (key && value !== null) fields[key] = value;
    }
    rows.push({ line, fields });
  });
  return { rows, problems, count: data.length };
}
