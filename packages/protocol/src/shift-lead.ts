import { z } from 'zod';
import { Id, LaneId, Timestamp, Uuid, replyOf, type Role } from './common.ts';
import { ClockName, ClockState, FLIGHT_BOARD_ROLES } from './flights.ts';
import { SearchOutcomeKind } from './search.ts';

// The shift lead's dashboard beyond the flight board (flights.ts): a flight's bags, its report
// after clearance, and the screening officers' load and breaks.

/** Roles that may ask for a flight's bags and report, and that receive `officers:status`. */
export const SHIFT_LEAD_ROLES = FLIGHT_BOARD_ROLES satisfies readonly Role[];

/** The hub's key for a flight: its number and service date, "CA981/2025-06-01". */
export const FlightId = z.string().regex(/^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?\/\d{4}-\d{2}-\d{2}$/, 'a flight key such as CA981/2025-06-01');

export const FlightQuery = z.object({ flightId: FlightId });
export type FlightQuery = z.infer<typeof FlightQuery>;

// ---- flight:bags -------------------------------------------------------------------------------

/**
 * Where a bag stands: waiting for an officer, on an officer's screen, cleared, sent to search
 * (outcome not yet stored), or searched.
 */
export const FlightBagState = z.enum(['waiting', 'screening', 'cleared', 'search', 'searched']);
export type FlightBagState = z.infer<typeof FlightBagState>;

export const FlightBagRow = z.object({
  bagId: Uuid,
  bagTag: z.string(),
  lane: LaneId,
  /** A ten-digit IATA licence plate is a checked bag; other tags are cabin bags. */
  kind: z.enum(['checked', 'cabin']),
  state: FlightBagState,
  verdict: z.enum(['clear', 'search']).nullable(),
  /** Who decided it, or who has it on screen now. */
  officerId: Id.nullable(),
  /** 'time-limit': nobody decided in time and the hub sent it to search. */
  madeBy: z.enum(['officer', 'time-limit']).nullable(),
  receivedAt: Timestamp,
  assignedAt: Timestamp.nullable(),
  decidedAt: Timestamp.nullable(),
  searchOutcome: SearchOutcomeKind.nullable(),
  searchedAt: Timestamp.nullable(),
});
export type FlightBagRow = z.infer<typeof FlightBagRow>;

/** Most bags in one reply (oldest first); `truncated` says there were more. */
export const MAX_FLIGHT_BAG_ROWS = 10_000;

export const FlightBagsReply = replyOf({
  flightId: FlightId,
  bags: z.array(FlightBagRow).max(MAX_FLIGHT_BAG_ROWS),
  truncated: z.boolean(),
});
export type FlightBagsReply = z.infer<typeof FlightBagsReply>;

// ---- flight:report (built by @clearway/domain flight-report.ts) ------------------------------------

/** Figures a console fills into its own words for a timeline event or a cause. */
const ReportValues = z.record(z.string(), z.union([z.string(), z.number()]));

export const ReportClock = z.object({
  state: ClockState,
  targetMinutes: z.number().positive(),
  deadline: Timestamp,
  total: z.number().int().min(0),
  done: z.number().int().min(0),
  clearedAt: Timestamp.nullable(),
  minutesToClear: z.number().nullable(),
  metTarget: z.boolean().nullable(),
  atRiskAt: Timestamp.nullable(),
  breachedAt: Timestamp.nullable(),
});

export const TimelineKind = z.enum(['scheduled', 'delay', 'stand', 'on-block', 'cancelled', 'first-bag', 'last-bag', 'at-risk', 'on-track', 'breached', 'cleared']);
export type TimelineKind = z.infer<typeof TimelineKind>;
export const CauseKind = z.enum(['understaffed', 'slow-decisions', 'lane-stopped', 'search-waiting', 'late-bags', 'time-limit']);
export type CauseKind = z.infer<typeof CauseKind>;

export const FlightReport = z.object({
  flightId: FlightId,
  flight: z.string(),
  date: z.string(),
  origin: z.string(),
  aircraft: z.string(),
  stand: z.string().nullable(),
  passengers: z.number().int().min(0),
  checkedBags: z.number().int().min(0),
  cabinBags: z.number().int().min(0),
  generatedAt: Timestamp,
  onBlock: Timestamp,
  onBlockAssumed: z.boolean(),
  /** Both clocks cleared: the report is final. Before that it is the story so far. */
  complete: z.boolean(),
  clocks: z.object({ passengers: ReportClock, checkedBags: ReportClock }),
  bags: z.object({
    total: z.number().int().min(0), checked: z.number().int().min(0), cabin: z.number().int().min(0),
    cleared: z.number().int().min(0), searched: z.number().int().min(0), timeLimit: z.number().int().min(0),
    open: z.number().int().min(0), searchOpen: z.number().int().min(0),
  }),
  timeline: z.array(z.object({ at: Timestamp, kind: TimelineKind, clock: ClockName.nullable(), text: z.string(), values: ReportValues })).max(5000),
  /** Per 5 minutes: bags arrived and decided, officers deciding (any flight), what was left. */
  throughput: z.array(z.object({
    from: Timestamp, to: Timestamp, arrived: z.number().int().min(0), decided: z.number().int().min(0),
    checkedDecided: z.number().int().min(0), cabinDecided: z.number().int().min(0), perMin: z.number().min(0), officers: z.number().int().min(0),
    checkedRemaining: z.number().int().min(0), cabinRemaining: z.number().int().min(0), meanWaitS: z.number().min(0).nullable(),
  })).max(300),
  breaches: z.array(z.object({ clock: ClockName, deadline: Timestamp, clearedAt: Timestamp.nullable(), lateMinutes: z.number(), remainingAtDeadline: z.number().int().min(0) })).max(2),
  causes: z.array(z.object({
    kind: CauseKind, from: Timestamp.nullable(), to: Timestamp.nullable(), clock: ClockName.nullable(), text: z.string(), values: ReportValues,
  })).max(500),
});
export type FlightReport = z.infer<typeof FlightReport>;

export const FlightReportReply = replyOf({ report: FlightReport });
export type FlightReportReply = z.infer<typeof FlightReportReply>;

// ---- officers:status -----------------------------------------------------------------------------

/** available: signed in and free; screening: a bag on screen; on-break; signed-out: decided in the last hour, not signed in now. */
export const OfficerLoadState = z.enum(['available', 'screening', 'on-break', 'signed-out']);
export type OfficerLoadState = z.infer<typeof OfficerLoadState>;

/** An officer's time at the screen since the last proper break (officer-performance.ts in the domain; 0 on a break) and when the break falls due. */
export const BreakStatus = z.object({
  continuousMs: z.number().min(0),
  breakDue: z.boolean(),
  breakDueAt: Timestamp.nullable(),
});
export type BreakStatus = z.infer<typeof BreakStatus>;

/** The rule behind `breakDue`: longest continuous image review, and the break that resets it (setting screening.officerWorkload). */
export const BreakRule = z.object({
  maxContinuousMinutes: z.number().positive(),
  minBreakMinutes: z.number().positive(),
});

export const OfficerLoad = z.object({
  officerId: Id,
  name: z.string(),
  state: OfficerLoadState,
  /** Decisions in the last 60 minutes. */
  bagsLastHour: z.number().int().min(0),
  ...BreakStatus.shape,
});
export type OfficerLoad = z.infer<typeof OfficerLoad>;

/** Hub → shift-lead consoles: every screening officer signed in or deciding in the last hour, every 2 s while watched. */
export const OfficersStatus = z.object({
  at: Timestamp,
  officers: z.array(OfficerLoad).max(500),
  ...BreakRule.shape,
});
export type OfficersStatus = z.infer<typeof OfficersStatus>;
