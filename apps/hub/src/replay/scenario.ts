/**
 * A replay scenario: flights with their passengers and bags, when the bags reach screening after
 * on-block, the lanes, the officers and how long they look at an image. Parsed with zod (a bad
 * file is refused naming its field) and expanded, with a seed, into a plan: every feed message
 * and every bag with its scenario time, tag and lane. Pure: the same scenario and seed give the
 * same plan on every machine.
 */
import {
  AircraftType, AirportCode, ClearanceTargets, DecisionTimeLimits, FlightNumber, MAX_FLIGHT_BAGS, MAX_FLIGHT_PASSENGERS, StandId, Timestamp,
  flightKey, invalidPayload, serviceDateOf, type FlightArrival,
} from '@clearway/protocol';
import { z } from 'zod';

const MIN = 60_000;

/** When a flight's bags reach screening, in minutes after on-block: a triangular profile (busiest at `peakMin`, by default the middle). */
export const ArrivalProfile = z
  .object({
    fromMin: z.number().min(0).max(600),
    toMin: z.number().min(0).max(600),
    peakMin: z.number().min(0).max(600).optional(),
  })
  .strict()
  .refine((p) => p.toMin > p.fromMin, { message: 'must come after fromMin', path: ['toMin'] })
  .refine((p) => p.peakMin === undefined || (p.peakMin >= p.fromMin && p.peakMin <= p.toMin), { message: 'must lie between fromMin and toMin', path: ['peakMin'] });
export type ArrivalProfile = z.infer<typeof ArrivalProfile>;

export const ScenarioFlight = z
  .object({
    flight: FlightNumber,
    origin: AirportCode,
    aircraft: AircraftType,
    stand: StandId.optional(),
    scheduledOnBlock: Timestamp,
    /** When it actually came on block (the feed reports it then). Default: on schedule. */
    actualOnBlock: Timestamp.optional(),
    passengers: z.number().int().min(0).max(MAX_FLIGHT_PASSENGERS),
    /** Bags generated: exactly these many of each kind. */
    checkedBags: z.number().int().min(0).max(MAX_FLIGHT_BAGS),
    cabinBags: z.number().int().min(0).max(MAX_FLIGHT_BAGS),
    targets: ClearanceTargets.optional(),
    /** Passengers walk from the aircraft to the checkpoint: their cabin bags from 5 to 22 minutes after on-block by default. */
    cabinBagArrivals: ArrivalProfile.default({ fromMin: 5, toMin: 22, peakMin: 10 }),
    /** Unloading to the hold-baggage scanners: 8 to 16 minutes after on-block by default. */
    checkedBagArrivals: ArrivalProfile.default({ fromMin: 8, toMin: 16, peakMin: 11 }),
  })
  .strict();
export type ScenarioFlight = z.infer<typeof ScenarioFlight>;

/** Most bags in one scenario, all flights together. */
export const MAX_SCENARIO_BAGS = 20_000;

export const Scenario = z
  .object({
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    /** When the replay's clock starts (the feed sends the flights then). Default: 5 minutes before the first on-block. */
    start: Timestamp.optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(1),
    /** Simulated screening officers, all signed in and available from the start. */
    officers: z.number().int().min(1).max(200).default(12),
    /** Checkpoint lanes (cabin bags) and hold-baggage scanners (checked bags): `lane-N`, `hbs-N`. */
    lanes: z.object({ checkpoint: z.number().int().min(1).max(50).default(4), holdBaggage: z.number().int().min(1).max(20).default(1) }).strict()
      .default({ checkpoint: 4, holdBaggage: 1 }),
    /**
     * Seconds an officer looks at one image before deciding (facts page: 11 to 36 s): log-normal,
     * median √(min·max), 95 % of draws inside [min, max], the rest clipped to it.
     */
    thinkTimeS: z.object({ min: z.number().positive().max(600).default(11), max: z.number().positive().max(600).default(36) }).strict()
      .refine((t) => t.max >= t.min, { message: 'must not be below min', path: ['max'] })
      .default({ min: 11, max: 36 }),
    /** Share of bags the officers send to search. */
    searchRate: z.number().min(0).max(1).default(0.05),
    /**
     * The search station (facts page: level 3, about 4 minutes a bag with 2 staff): search teams
     * working in parallel, how long one search takes (uniform in [min, max] minutes), and the share
     * of searches that find something. 0 teams: searched bags wait at the station unrecorded.
     */
    search: z.object({
      teams: z.number().int().min(0).max(50).default(2),
      minutes: z.object({ min: z.number().positive().max(120).default(3), max: z.number().positive().max(120).default(5) }).strict()
        .refine((m) => m.max >= m.min, { message: 'must not be below min', path: ['max'] })
        .default({ min: 3, max: 5 }),
      findRate: z.number().min(0).max(1).default(0.1),
    }).strict().default({ teams: 2, minutes: { min: 3, max: 5 }, findRate: 0.1 }),
    /** Scan images: single-energy, this small, so that the replay's time goes to the workflow rather than to pixels. */
    image: z.object({ width: z.number().int().min(16).max(1024).default(64), height: z.number().int().min(16).max(1024).default(48) }).strict()
      .default({ width: 64, height: 48 }),
    /** Decision time limits for the run (`pnpm clearway config set screening.timeLimits`); the hub's defaults when absent. */
    timeLimits: DecisionTimeLimits.optional(),
    flights: z.array(ScenarioFlight).min(1).max(50),
  })
  .strict()
  .superRefine((s, ctx) => {
    const bags = s.flights.reduce((n, f) => n + f.cabinBags + f.checkedBags, 0);
    if (bags > MAX_SCENARIO_BAGS) ctx.addIssue({ code: 'custom', path: ['flights'], message: `${bags} bags in all; at most ${MAX_SCENARIO_BAGS}` });
    const seen = new Set<string>();
    s.flights.forEach((f, i) => {
      const key = flightKey({ flight: f.flight, date: serviceDateOf(f) });
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['flights', i, 'flight'], message: `${key} is listed twice` });
      seen.add(key);
    });
    if (s.start !== undefined) {
      const start = Date.parse(s.start);
      s.flights.forEach((f, i) => {
        if (Date.parse(f.scheduledOnBlock) - start > 48 * 60 * MIN) {
          ctx.addIssue({ code: 'custom', path: ['flights', i, 'scheduledOnBlock'], message: 'more than 48 hours after start: the hub would not hold the flight yet' });
        }
        if (onBlockOf(f) + f.cabinBagArrivals.fromMin * MIN < start || onBlockOf(f) + f.checkedBagArrivals.fromMin * MIN < start) {
          ctx.addIssue({ code: 'custom', path: ['start'], message: `after the first bag of ${f.flight}: start the replay before its bags arrive` });
        }
      });
    }
  });
export type Scenario = z.output<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;

export class ScenarioError extends Error {
  constructor(message: string, readonly field?: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** A scenario file's text to a scenario; throws ScenarioError naming the first bad field. */
export function parseScenario(text: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError(`not JSON: ${(e as Error).message}`);
  }
  return checkScenario(raw);
}

export function checkScenario(raw: unknown): Scenario {
  const r = Scenario.safeParse(raw);
  if (r.success) return r.data;
  const body = invalidPayload(r.error);
  throw new ScenarioError(body.message.replace(/^payload: /, 'scenario: '), body.field);
}

// ---- the plan ------------------------------------------------------------------------------------

export interface PlannedBag {
  /** 0-based over the whole scenario, in order of arrival at screening. */
  index: number;
  flightIndex: number;
  flight: string;
  flightId: string;
  checked: boolean;
  bagTag: string;
  lane: string;
  /** When it reaches screening (ms since epoch); no two bags share a millisecond. */
  at: number;
}

/** What the flight feed sends, and when: the schedule, then each flight's on-block. */
export type PlannedFeedMessage =
  | { at: number; kind: 'arrivals'; arrivals: FlightArrival[]; what: string }
  | { at: number; kind: 'on-block'; flight: string; date: string; actualOnBlock: string; what: string };

export interface PlannedFlight {
  flightId: string;
  arrival: FlightArrival;
  onBlock: number;
}

export interface ScenarioPlan {
  name: string;
  seed: number;
  officers: number;
  start: number;
  flights: PlannedFlight[];
  feed: PlannedFeedMessage[];
  bags: PlannedBag[];
  lanes: { checkpoint: string[]; holdBaggage: string[] };
  thinkTimeS: { min: number; max: number };
  searchRate: number;
  search: { teams: number; minutes: { min: number; max: number }; findRate: number };
  image: { width: number; height: number };
  timeLimits: DecisionTimeLimits | null;
}

function onBlockOf(f: Pick<ScenarioFlight, 'actualOnBlock' | 'scheduledOnBlock'>): number {
  return Date.parse(f.actualOnBlock ?? f.scheduledOnBlock);
}

/** Expands a scenario into its plan. `overrides` replace the scenario's own seed and officer count. */
export function planScenario(s: Scenario, overrides: { seed?: number | undefined; officers?: number | undefined } = {}): ScenarioPlan {
  const seed = overrides.seed ?? s.seed;
  const officers = overrides.officers ?? s.officers;
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new ScenarioError(`seed: a whole number from 0 to 2^32-1, got ${seed}`, 'seed');
  if (!Number.isInteger(officers) || officers < 1 || officers > 200) throw new ScenarioError(`officers: a whole number from 1 to 200, got ${officers}`, 'officers');
  const firstOnBlock = Math.min(...s.flights.map(onBlockOf));
  const start = s.start === undefined ? firstOnBlock - 5 * MIN : Date.parse(s.start);
  const lanes = {
    checkpoint: Array.from({ length: s.lanes.checkpoint }, (_, i) => `lane-${i + 1}`),
    holdBaggage: Array.from({ length: s.lanes.holdBaggage }, (_, i) => `hbs-${i + 1}`),
  };

  const flights: PlannedFlight[] = s.flights.map((f) => {
    const arrival: FlightArrival = {
      flight: f.flight, origin: f.origin, aircraft: f.aircraft, scheduledOnBlock: f.scheduledOnBlock,
      passengers: f.passengers, checkedBags: f.checkedBags, cabinBags: f.cabinBags,
      ...(f.stand === undefined ? {} : { stand: f.stand }),
      ...(f.targets === undefined ? {} : { targets: f.targets }),
    };
    return { flightId: flightKey({ flight: f.flight, date: serviceDateOf(f) }), arrival, onBlock: onBlockOf(f) };
  });

  // The morning's schedule at the start, in one batch; each on-block when it happens.
  const feed: PlannedFeedMessage[] = [{ at: start, kind: 'arrivals', arrivals: flights.map((f) => f.arrival), what: `${flights.length} arrival${flights.length === 1 ? '' : 's'}` }];
  const onBlocks = flights.map((f) => ({ f, at: Math.max(start, f.onBlock) })).sort((a, b) => a.at - b.at || (a.f.flightId < b.f.flightId ? -1 : 1));
  for (const { f, at } of onBlocks) {
    feed.push({ at, kind: 'on-block', flight: f.arrival.flight, date: serviceDateOf(f.arrival), actualOnBlock: new Date(f.onBlock).toISOString(), what: `${f.flightId} on block` });
  }

  type Draft = Omit<PlannedBag, 'index' | 'lane'> & { kindIndex: number };
  const drafts: Draft[] = [];
  s.flights.forEach((f, fi) => {
    const planned = flights[fi] as PlannedFlight;
    for (const checked of [false, true]) {
      const n = checked ? f.checkedBags : f.cabinBags;
      const profile = checked ? f.checkedBagArrivals : f.cabinBagArrivals;
      const rng = draws(seed, fi, checked ? 2 : 1);
      for (let i = 0; i < n; i++) {
        // Stratified: one draw in each 1/n of the profile, so a small flight still follows its shape.
        const u = (i + rng()) / n;
        const at = planned.onBlock + Math.round(triangularQuantile(u, profile) * MIN);
        drafts.push({
          flightIndex: fi, flight: f.flight, flightId: planned.flightId, checked, kindIndex: i, at,
          bagTag: checked ? licencePlate(seed, fi, i, f.flight) : cabinTag(f.flight, serviceDateOf(f), i),
        });
      }
    }
  });
  drafts.sort((a, b) => a.at - b.at || a.flightIndex - b.flightIndex || Number(a.checked) - Number(b.checked) || a.kindIndex - b.kindIndex);
  const bags: PlannedBag[] = [];
  const perLane = { checkpoint: 0, holdBaggage: 0 };
  let last = -Infinity;
  for (const d of drafts) {
    // Distinct arrival times: the hub's line orders equal times by bag ID, which is random.
    const at = Math.max(d.at, last + 1);
    last = at;
    const kind = d.checked ? 'holdBaggage' : 'checkpoint';
    const lane = lanes[kind][perLane[kind]++ % lanes[kind].length] as string;
    bags.push({ index: bags.length, flightIndex: d.flightIndex, flight: d.flight, flightId: d.flightId, checked: d.checked, bagTag: d.bagTag, lane, at });
  }

  return {
    name: s.name, seed, officers, start, flights, feed, bags, lanes,
    thinkTimeS: s.thinkTimeS, searchRate: s.searchRate, search: s.search, image: s.image, timeLimits: s.timeLimits ?? null,
  };
}

/** Minutes after on-block at quantile u of the profile's triangular distribution. */
export function triangularQuantile(u: number, p: ArrivalProfile): number {
  const a = p.fromMin;
  const b = p.toMin;
  const c = p.peakMin ?? (a + b) / 2;
  const fc = (c - a) / (b - a);
  return u < fc ? a + Math.sqrt(u * (b - a) * (c - a)) : b - Math.sqrt((1 - u) * (b - a) * (b - c));
}

/**
 * How long the officer looks at bag `bagIndex` on its `attempt`-th assignment (1 for the first),
 * in ms: log-normal with median √(min·max) and 95 % of draws within [min, max], clipped to it.
 * A function of the seed, the bag and the attempt only, never of when messages arrive.
 */
export function thinkTimeMs(plan: Pick<ScenarioPlan, 'seed' | 'thinkTimeS'>, bagIndex: number, attempt: number): number {
  const { min, max } = plan.thinkTimeS;
  const median = Math.sqrt(min * max);
  const sigma = min === max ? 0 : Math.log(max / min) / (2 * 1.959964);
  const rng = draws(plan.seed, 0x7417, bagIndex, attempt);
  const s = median * Math.exp(sigma * standardNormal(rng));
  return Math.round(Math.min(max, Math.max(min, s)) * 1000);
}

/** The officer's verdict on bag `bagIndex`: search with the scenario's rate, the same bag the same verdict on every run. */
export function verdictOf(plan: Pick<ScenarioPlan, 'seed' | 'searchRate'>, bagIndex: number): 'clear' | 'search' {
  return draws(plan.seed, 0x5ea7, bagIndex)() < plan.searchRate ? 'search' : 'clear';
}

/**
 * The search of bag `bagIndex`: how long it takes (ms) and what it finds. Something found is
 * 'other-contraband': the replay's images carry no threat item to name.
 */
export function searchOf(plan: Pick<ScenarioPlan, 'seed' | 'search'>, bagIndex: number): { durationMs: number; outcome: 'other-contraband' | 'nothing-found' } {
  const rng = draws(plan.seed, 0x5ea8, bagIndex);
  const { min, max } = plan.search.minutes;
  const durationMs = Math.round((min + (max - min) * rng()) * MIN);
  return { durationMs, outcome: rng() < plan.search.findRate ? 'other-contraband' : 'nothing-found' };
}

// ---- tags ----------------------------------------------------------------------------------------

/** A checked bag's 10-digit IATA licence plate: 0, a three-digit airline code, a six-digit serial unique in the scenario. */
function licencePlate(seed: number, flightIndex: number, i: number, flight: string): string {
  const airline = flight.slice(0, 2);
  const code = 100 + (mix(airline.charCodeAt(0), airline.charCodeAt(1)) % 900);
  const serial = ((mix(seed, 0x7a6) % 1_000_000) + flightIndex * MAX_FLIGHT_BAGS + i) % 1_000_000;
  return `0${code}${String(serial).padStart(6, '0')}`;
}

/** A cabin bag's tray tag at the checkpoint: not a licence plate, so the hub counts it toward the passengers. */
function cabinTag(flight: string, date: string, i: number): string {
  return `${flight}-${date.slice(5, 7)}${date.slice(8, 10)}-C${String(i + 1).padStart(4, '0')}`;
}

// ---- seeded numbers --------------------------------------------------------------------------------

/** Mixes whole numbers into one 32-bit value (murmur3's finaliser per part). */
function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A stream of uniform numbers in [0, 1) from the parts (mulberry32). */
function draws(...parts: readonly number[]): () => number {
  let state = mix(...parts);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(rng: () => number): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}
