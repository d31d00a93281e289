import { z } from 'zod';
import { FlightNumber, Timestamp, Uuid, replyOf, type Role } from './common.ts';

/** IATA airport code, e.g. "PEK". */
export const AirportCode = z.string().regex(/^[A-Z]{3}$/, 'a three-letter IATA airport code such as PEK');
/** Aircraft type: ICAO designator ("A333", "B77W") or IATA code ("333"). */
export const AircraftType = z.string().regex(/^[A-Z0-9]{2,4}$/, 'an ICAO aircraft type such as A333 or B77W');
/** Stand or gate as signed at the airport, e.g. "215", "W12", "D5-L". */
export const StandId = z.string().min(1).max(12).regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes');
/** The flight's service date, YYYY-MM-DD. */
export const ServiceDate = z.iso.date();

/** Largest figures a flight may declare: well above an A380 (853 seats). */
export const MAX_FLIGHT_PASSENGERS = 1000;
export const MAX_FLIGHT_BAGS = 5000;

/** A flight's own clearance targets, minutes from on-block; missing ones come from the airport's. */
export const ClearanceTargets = z.object({
  passengersMinutes: z.number().positive().max(600).optional(),
  checkedBagsMinutes: z.number().positive().max(600).optional(),
});
export type ClearanceTargets = z.infer<typeof ClearanceTargets>;

/**
 * One arriving flight as the flight feed knows it. A flight is identified by its number and
 * service date (`date`; by default the date of `scheduledOnBlock` as written, i.e. airport local
 * time when the feed writes local offsets). Sending it again replaces the fields it carries;
 * optional fields it leaves out keep their stored values.
 */
export const FlightArrival = z.object({
  flight: FlightNumber,
  date: ServiceDate.optional(),
  origin: AirportCode,
  aircraft: AircraftType,
  scheduledOnBlock: Timestamp,
  estimatedOnBlock: Timestamp.optional(),
  actualOnBlock: Timestamp.optional(),
  stand: StandId.optional(),
  gate: StandId.optional(),
  passengers: z.number().int().min(0).max(MAX_FLIGHT_PASSENGERS),
  checkedBags: z.number().int().min(0).max(MAX_FLIGHT_BAGS),
  cabinBags: z.number().int().min(0).max(MAX_FLIGHT_BAGS),
  targets: ClearanceTargets.optional(),
});
export type FlightArrival = z.infer<typeof FlightArrival>;

/** Which flight an update is about. */
export const FlightRef = z.object({ flight: FlightNumber, date: ServiceDate });
export type FlightRef = z.infer<typeof FlightRef>;

/** The service date of an arrival: its own, or the date of its scheduled on-block as written. */
export function serviceDateOf(arrival: Pick<FlightArrival, 'date' | 'scheduledOnBlock'>): string {
  return arrival.date ?? arrival.scheduledOnBlock.slice(0, 10);
}

/** The hub's key for a flight: "CA981/2025-06-01". */
export function flightKey(ref: FlightRef): string {
  return `${ref.flight}/${ref.date}`;
}

const updateBase = {
  /** Idempotency key: generated once per update; a resent update is stored once. */
  updateId: Uuid,
  ...FlightRef.shape,
  /** When the feed learned of it. */
  at: Timestamp,
};

/** Live changes to a known flight. */
export const FlightUpdate = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delay'), ...updateBase, estimatedOnBlock: Timestamp }),
  z.object({ type: z.literal('stand'), ...updateBase, stand: StandId, gate: StandId.optional() }),
  z.object({ type: z.literal('on-block'), ...updateBase, actualOnBlock: Timestamp }),
  z.object({ type: z.literal('cancelled'), ...updateBase, reason: z.string().max(200).optional() }),
]);
export type FlightUpdate = z.infer<typeof FlightUpdate>;
export type FlightUpdateType = FlightUpdate['type'];

/** Most arrivals plus updates in one `flight:upsert`. A day's schedule goes in several. */
export const MAX_FLIGHT_BATCH = 500;

/** Flight feed → hub: new or revised arrivals and live updates, in one batch. */
export const FlightUpsert = z
  .object({
    arrivals: z.array(FlightArrival).max(MAX_FLIGHT_BATCH).default([]),
    updates: z.array(FlightUpdate).max(MAX_FLIGHT_BATCH).default([]),
  })
  .refine((b) => b.arrivals.length + b.updates.length > 0, 'an empty batch')
  .refine((b) => b.arrivals.length + b.updates.length <= MAX_FLIGHT_BATCH, `at most ${MAX_FLIGHT_BATCH} arrivals and updates together`);
export type FlightUpsert = z.output<typeof FlightUpsert>;
export type FlightUpsertInput = z.input<typeof FlightUpsert>;

/** Items of a batch the hub could not apply (the rest is stored). */
export const FlightRejection = z.object({
  kind: z.enum(['arrival', 'update']),
  index: z.number().int().min(0),
  reason: z.string(),
});
export type FlightRejection = z.infer<typeof FlightRejection>;

export const FlightUpsertReply = replyOf({
  arrivals: z.object({ created: z.number().int().min(0), changed: z.number().int().min(0), unchanged: z.number().int().min(0) }),
  updates: z.object({ applied: z.number().int().min(0), duplicate: z.number().int().min(0) }),
  rejected: z.array(FlightRejection),
});
export type FlightUpsertReply = z.infer<typeof FlightUpsertReply>;

/**
 * One row of a schedule file (CSV or JSON), before it is an arrival. CSV headers are the keys
 * below or their snake_case forms (`scheduled_on_block`); values are text, empty means absent.
 * Times are full timestamps with a zone, or HH:MM on the row's `date` in the file's UTC offset.
 */
export const ScheduleRow = z.object({
  flight: z.string(),
  date: z.string().optional(),
  origin: z.string(),
  aircraft: z.string(),
  scheduledOnBlock: z.string(),
  estimatedOnBlock: z.string().optional(),
  stand: z.string().optional(),
  gate: z.string().optional(),
  passengers: z.union([z.string(), z.number()]),
  checkedBags: z.union([z.string(), z.number()]),
  cabinBags: z.union([z.string(), z.number()]),
  passengersTargetMinutes: z.union([z.string(), z.number()]).optional(),
  checkedBagsTargetMinutes: z.union([z.string(), z.number()]).optional(),
});
export type ScheduleRow = z.infer<typeof ScheduleRow>;
export const SCHEDULE_COLUMNS = Object.keys(ScheduleRow.shape) as (keyof ScheduleRow)[];

// ---- hub → console: the shift lead's board -----------------------------------------------------

/** Roles that receive `flight:board` and `flight:update`. */
export const FLIGHT_BOARD_ROLES = ['shift-lead', 'admin'] as const satisfies readonly Role[];

export const ClockState = z.enum(['arriving', 'in-progress', 'at-risk', 'breached', 'cleared']);
export type ClockState = z.infer<typeof ClockState>;
export const ClockName = z.enum(['passengers', 'checkedBags']);
export type ClockName = z.infer<typeof ClockName>;

const Count = z.number().int().min(0);
const Rate = z.number().min(0);

/** Projected completion from observed throughput: the median and an 80 % band (null: never). */
export const ClockProjection = z.object({
  ratePerMin: Rate,
  rateLowPerMin: Rate,
  rateHighPerMin: Rate,
  expectedAt: Timestamp.nullable(),
  earliestAt: Timestamp.nullable(),
  latestAt: Timestamp.nullable(),
  completions: Count,
});
export type ClockProjection = z.infer<typeof ClockProjection>;

/** How many officers and lanes would finish on target (Erlang C), with the reasoning. */
export const StaffingAdviceView = z.object({
  officers: Count.nullable(),
  lanes: Count,
  lines: z.array(z.string()),
});
export type StaffingAdviceView = z.infer<typeof StaffingAdviceView>;

/**
 * One clearance clock. Counts are bags for `checkedBags` and passengers for `passengers`: real
 * passengers where the flight has a manifest (`flight:manifest`; a passenger starts with their
 * first bag seen and is done when all their bags are cleared or searched), otherwise estimated
 * through their cabin bags (`countedBy`). Rates are per minute in the same unit.
 */
export const ClearanceClock = z.object({
  state: ClockState,
  startsAt: Timestamp,
  onBlockAssumed: z.boolean(),
  targetMinutes: z.number().positive(),
  deadline: Timestamp,
  total: Count,
  started: Count,
  done: Count,
  remaining: Count,
  clearedAt: Timestamp.nullable(),
  metTarget: z.boolean().nullable(),
  projection: ClockProjection.nullable(),
  atRiskReason: z.string().nullable(),
  staffing: StaffingAdviceView.nullable(),
  /** The passengers' clock only: 'manifest' counts people, 'cabin-bags' estimates them. */
  countedBy: z.enum(['manifest', 'cabin-bags']).optional(),
});
export type ClearanceClock = z.infer<typeof ClearanceClock>;

/** A flight as the hub holds it. */
export const FlightInfo = FlightArrival.extend({
  key: z.string(),
  date: ServiceDate,
  cancelled: z.boolean(),
  updatedAt: Timestamp,
});
export type FlightInfo = z.infer<typeof FlightInfo>;

export const FlightBoardEntry = FlightInfo.extend({
  clocks: z.object({ passengers: ClearanceClock, checkedBags: ClearanceClock }),
});
export type FlightBoardEntry = z.infer<typeof FlightBoardEntry>;

/** Hub → shift-lead consoles: every active flight with its clocks, on sign-in and on change (at most twice a second). */
export const FlightBoard = z.object({ at: Timestamp, flights: z.array(FlightBoardEntry).max(500) });
export type FlightBoard = z.infer<typeof FlightBoard>;

/** What changed about a flight: a feed update, a new or revised arrival, or a clock's state. */
export const FlightChange = z.discriminatedUnion('type', [
  z.object({ type: z.literal('arrival'), created: z.boolean() }),
  z.object({ type: z.literal('delay'), estimatedOnBlock: Timestamp }),
  z.object({ type: z.literal('stand'), stand: StandId, gate: StandId.optional(), previousStand: StandId.optional() }),
  z.object({ type: z.literal('on-block'), actualOnBlock: Timestamp }),
  z.object({ type: z.literal('cancelled'), reason: z.string().optional() }),
  z.object({ type: z.literal('clock'), clock: ClockName, from: ClockState, to: ClockState }),
]);
export type FlightChange = z.infer<typeof FlightChange>;

/** Hub → shift-lead consoles: one flight changed, with its board entry as it is now (for alerts). */
export const FlightUpdatePush = z.object({ at: Timestamp, flight: FlightBoardEntry, change: FlightChange });
export type FlightUpdatePush = z.infer<typeof FlightUpdatePush>;
