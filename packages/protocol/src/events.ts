import { z } from 'zod';
import { ErrorBody, LaneId, Role, Timestamp, Uuid, replyOf } from './common.ts';
import { BagSummary, MachineResult, ScanSource, ScanSubmit, ScanView } from './scan.ts';
import { DeviceReady, OfficerStatus, SessionReady } from './session.ts';
import {
  RobotCommandDeviceReply, RobotCommandReply, RobotCommandRequest, RobotCommandToDevice, RobotDispatchReply, RobotDispatchRequest,
  RobotFleetSnapshot, RobotLogPush, RobotLogReply, RobotLogReport, RobotMissionCancel, RobotMissionCancelReply, RobotMissionPush,
  RobotMissionsQuery, RobotMissionsReply, RobotStatesPush, RobotStatesReply, RobotStatesReport,
} from './robots.ts';
import { DetectionResultReply, DetectionResultSubmit, DetectionVerdicts } from './console-detection.ts';
import { ModelCurrent } from './models.ts';
import { FlightBoard, FlightUpdatePush, FlightUpsert, FlightUpsertReply } from './flights.ts';
import { ExitCheckDirect, ExitCheckDirectReply, ExitCheckList } from './exit-check.ts';
import { OfficerNote, SEARCH_ROLES, SearchBagQuery, SearchBagReply, SearchMarks, SearchOutcomeReply, SearchOutcomeSubmit, SearchQueuePush } from './search.ts';
import { TipItemSet, TipItemSetReply, TipLibraryQuery, TipLibraryReply, TipQuery, TipQueryReply, TipResult } from './tip.ts';
import { FlightBagsReply, FlightQuery, FlightReportReply, OfficersStatus, SHIFT_LEAD_ROLES } from './shift-lead.ts';
import { FlightManifest, FlightManifestReply, RiskReportQuery, RiskReportReply } from './manifest.ts';
import { OfficerWorkloadPush, PerformanceQuery, PerformanceReportReply } from './officer-performance.ts';

// ---- console → hub (every one is acknowledged) -------------------------------------------

export const OfficerStatusSet = z.object({ status: OfficerStatus });
export const OfficerStatusReply = replyOf({ status: OfficerStatus });

export const Verdict = z.enum(['clear', 'search']);
export type Verdict = z.infer<typeof Verdict>;

/**
 * An officer's decision on the bag assigned to them. `idempotencyKey` is generated once, when
 * the officer presses the key, and resent unchanged until acknowledged: the hub stores at most
 * one decision per key and acknowledges only after the database commit.
 */
export const DecisionSubmit = z
  .object({
    idempotencyKey: Uuid,
    assignmentId: Uuid,
    bagId: Uuid,
    verdict: Verdict,
    /** When the image was first painted on the officer's screen. */
    shownAt: Timestamp,
    /** When the officer pressed the decision key. */
    decidedAt: Timestamp,
    /** The officer's verdict on each machine detection shown (absent from older consoles). */
    detections: DetectionVerdicts.optional(),
    /** Time to first paint: ms from bag:assigned arriving at the console to `shownAt`, on the console's clock (no skew). */
    paintMs: z.number().min(0).max(3_600_000).optional(),
    /** With 'search' only: regions marked for the search officer, in image pixels (search.ts). */
    marks: SearchMarks.optional(),
    /** With 'search' only: the screening officer's note to the search officer. */
    note: OfficerNote.optional(),
  })
  .refine((d) => Date.parse(d.decidedAt) >= Date.parse(d.shownAt), { path: ['decidedAt'], message: 'decidedAt is before shownAt' })
  .refine((d) => d.verdict === 'search' || (d.marks === undefined && d.note === undefined), { path: ['marks'], message: 'marks and a note go with a search verdict only' });
export type DecisionSubmit = z.infer<typeof DecisionSubmit>;
export const DecisionReply = replyOf({
  decisionId: Uuid,
  /** True when this key was already stored: the earlier decision stands. */
  duplicate: z.boolean(),
  storedAt: Timestamp,
});
export type DecisionReply = z.infer<typeof DecisionReply>;

/**
 * The console painted the bag's image for the first time. Tells the hub the officer has seen the
 * bag (a break gives back only a bag not yet seen) and keeps the time to first paint.
 */
export const BagShown = z.object({
  assignmentId: Uuid,
  shownAt: Timestamp,
  /** ms from bag:assigned arriving at the console to the first paint, on the console's clock. */
  paintMs: z.number().min(0).max(3_600_000),
});
export type BagShown = z.infer<typeof BagShown>;
export const BagShownReply = replyOf({});

// ---- hub → console ----------------------------------------------------------------------

export const BagAssigned = z.object({
  assignmentId: Uuid,
  assignedAt: Timestamp,
  bag: BagSummary,
  views: z.array(ScanView).min(1).max(2),
  /** The scanner's own threat recognition, drawn on the image as the machine's boxes. */
  machineResult: MachineResult.optional(),
  /** The decision time window: the belt stops at `beltStopsAt`; at `expiresAt` the hub takes the bag back. */
  decideBy: z.object({ beltStopsAt: Timestamp, expiresAt: Timestamp }).optional(),
});
export type BagAssigned = z.output<typeof BagAssigned>;

export const BagWithdrawn = z.object({ assignmentId: Uuid, reason: z.string() });
export type BagWithdrawn = z.infer<typeof BagWithdrawn>;

export const QueueStatus = z.object({
  waitingBags: z.number().int().min(0),
  officersAvailable: z.number().int().min(0),
  officersSignedIn: z.number().int().min(0),
  oldestWaitMs: z.number().min(0),
  at: Timestamp,
  /** Signed-in screening officers on break. */
  officersOnBreak: z.number().int().min(0).optional(),
  /** Waiting bags per lane they were scanned on, deepest first. */
  lanes: z.array(z.object({ lane: LaneId, waiting: z.number().int().min(1), oldestWaitMs: z.number().min(0) })).max(500).optional(),
  /** Waiting bags per priority (flight deadline and risk steps; 0 = ordinary), highest first. */
  byPriority: z.array(z.object({ priority: z.number().int().min(0), waiting: z.number().int().min(1), oldestWaitMs: z.number().min(0) })).max(100).optional(),
});
export type QueueStatus = z.infer<typeof QueueStatus>;

/** Sent when an event without an acknowledgement callback was refused. */
export const ProtocolError = z.object({ event: z.string(), error: ErrorBody });
export type ProtocolError = z.infer<typeof ProtocolError>;

// ---- device → hub -------------------------------------------------------------------------

export const ScanReply = replyOf({ bagId: Uuid, duplicate: z.boolean() });
export type ScanReply = z.infer<typeof ScanReply>;

// ---- hub → device ---------------------------------------------------------------------------

/**
 * A decision on a bag this device scanned, so that the scanner's own system (a DICOS hot
 * folder's operator TDR, say) learns the outcome. Sent with an ack; resent on every reconnect
 * until the device acknowledges it.
 */
export const DecisionStored = z.object({
  decisionId: Uuid,
  bagId: Uuid,
  scanId: Uuid,
  bagTag: z.string(),
  verdict: Verdict,
  officer: z.object({ id: z.string(), name: z.string() }),
  shownAt: Timestamp,
  decidedAt: Timestamp,
  storedAt: Timestamp,
  source: ScanSource.optional(),
});
export type DecisionStored = z.infer<typeof DecisionStored>;
export const DecisionStoredReply = replyOf({});
export type DecisionStoredReply = z.infer<typeof DecisionStoredReply>;

// ---- the contract tables --------------------------------------------------------------------

const ALL_ROLES = Role.options;

/**
 * Every acknowledged request a console may send: its payload schema, its reply schema and the
 * roles allowed to send it. The hub checks all three for every message.
 */
export const consoleRequests = {
  'officer:status': { payload: OfficerStatusSet, reply: OfficerStatusReply, roles: ALL_ROLES },
  'decision:submit': { payload: DecisionSubmit, reply: DecisionReply, roles: ['screening-officer'] },
  'bag:shown': { payload: BagShown, reply: BagShownReply, roles: ['screening-officer'] },
  // Every role may send robot:command, but only for an emergency stop; the other commands
  // (release included) are for robot-operator, shift-lead and admin, checked by the hub.
  'robot:command': { payload: RobotCommandRequest, reply: RobotCommandReply, roles: ALL_ROLES },
  // A screening officer only for a bag they decided 'search' on.
  'robot:dispatch': { payload: RobotDispatchRequest, reply: RobotDispatchReply, roles: ['screening-officer', 'search-officer', 'robot-operator', 'shift-lead', 'admin'] },
  'robot:missions': { payload: RobotMissionsQuery, reply: RobotMissionsReply, roles: ALL_ROLES },
  'robot:mission-cancel': { payload: RobotMissionCancel, reply: RobotMissionCancelReply, roles: ['robot-operator', 'shift-lead', 'admin'] },
  'detection:result': { payload: DetectionResultSubmit, reply: DetectionResultReply, roles: ['screening-officer'] },
  'search:outcome': { payload: SearchOutcomeSubmit, reply: SearchOutcomeReply, roles: SEARCH_ROLES },
  'search:bag': { payload: SearchBagQuery, reply: SearchBagReply, roles: SEARCH_ROLES },
  // The exit check at reclaim (exit-check.ts): the passenger of a flagged checked bag was stopped.
  'exit-check:direct': { payload: ExitCheckDirect, reply: ExitCheckDirectReply, roles: SEARCH_ROLES },
  // Threat Image Projection (tip.ts): a screening officer asks only about bags they decided.
  'tip:query': { payload: TipQuery, reply: TipQueryReply, roles: ['screening-officer'] },
  'tip:library': { payload: TipLibraryQuery, reply: TipLibraryReply, roles: ['admin'] },
  'tip:item-set': { payload: TipItemSet, reply: TipItemSetReply, roles: ['admin'] },
  // The shift lead's dashboard (shift-lead.ts): a flight's bags, its report.
  'flight:bags': { payload: FlightQuery, reply: FlightBagsReply, roles: SHIFT_LEAD_ROLES },
  'flight:report': { payload: FlightQuery, reply: FlightReportReply, roles: SHIFT_LEAD_ROLES },
  // Risk-based selection (manifest.ts): find rate of risk-selected against randomly selected searches.
  'risk:report': { payload: RiskReportQuery, reply: RiskReportReply, roles: SHIFT_LEAD_ROLES },
  // Officers' performance per officer and team over a period (officer-performance.ts).
  'performance:report': { payload: PerformanceQuery, reply: PerformanceReportReply, roles: SHIFT_LEAD_ROLES },
} as const satisfies Record<string, { payload: z.ZodType; reply: z.ZodType; roles: readonly Role[] }>;

/** Every acknowledged request a device may send, and the device kinds allowed to send it. */
export const deviceRequests = {
  'scan:submit': { payload: ScanSubmit, reply: ScanReply, kinds: ['scanner', 'dicos-hot-folder'] },
  'robot:states': { payload: RobotStatesReport, reply: RobotStatesReply, kinds: ['robot-bridge'] },
  'robot:log': { payload: RobotLogReport, reply: RobotLogReply, kinds: ['robot-bridge'] },
  'flight:upsert': { payload: FlightUpsert, reply: FlightUpsertReply, kinds: ['flight-feed'] },
  'flight:manifest': { payload: FlightManifest, reply: FlightManifestReply, kinds: ['flight-feed'] },
} as const;

/** Everything the hub pushes to consoles. */
export const consolePushes = {
  'session:ready': SessionReady,
  'bag:assigned': BagAssigned,
  'bag:withdrawn': BagWithdrawn,
  'queue:status': QueueStatus,
  'model:current': ModelCurrent,
  'robot:fleet': RobotFleetSnapshot,
  'robot:states': RobotStatesPush,
  'robot:log': RobotLogPush,
  'robot:mission': RobotMissionPush,
  // Only to FLIGHT_BOARD_ROLES (flights.ts).
  'flight:board': FlightBoard,
  'flight:update': FlightUpdatePush,
  // Only to SHIFT_LEAD_ROLES (shift-lead.ts).
  'officers:status': OfficersStatus,
  // Only to the screening officer concerned: their own time at the screen and break due.
  'officer:workload': OfficerWorkloadPush,
  // Only to SEARCH_ROLES (search.ts).
  'search:queue': SearchQueuePush,
  'exit-check:list': ExitCheckList,
  // Only to the deciding officer, right after each decision's ack (tip.ts).
  'tip:result': TipResult,
  'protocol:error': ProtocolError,
} as const;

/** Everything the hub pushes to devices. */
export const devicePushes = {
  'device:ready': DeviceReady,
  'protocol:error': ProtocolError,
} as const;

/** Hub → device messages the device must acknowledge with a DecisionStoredReply-style reply. */
export const deviceAckedPushes = {
  'decision:stored': { payload: DecisionStored, reply: DecisionStoredReply },
  'robot:command': { payload: RobotCommandToDevice, reply: RobotCommandDeviceReply },
} as const;

export type ConsoleRequestName = keyof typeof consoleRequests;
export type DeviceRequestName = keyof typeof deviceRequests;
export type ConsolePushName = keyof typeof consolePushes;
export type DevicePushName = keyof typeof devicePushes;

type Ack<R extends z.ZodType> = (reply: z.output<R>) => void;

/** socket.io typed event maps. Clients send schema *inputs*; the hub parses them into outputs. */
export type ConsoleToHubEvents = {
  [K in ConsoleRequestName]: (payload: z.input<(typeof consoleRequests)[K]['payload']>, ack: Ack<(typeof consoleRequests)[K]['reply']>) => void;
};
export type HubToConsoleEvents = { [K in ConsolePushName]: (payload: z.input<(typeof consolePushes)[K]>) => void };
export type DeviceToHubEvents = {
  [K in DeviceRequestName]: (payload: z.input<(typeof deviceRequests)[K]['payload']>, ack: Ack<(typeof deviceRequests)[K]['reply']>) => void;
};
export type HubToDeviceEvents = { [K in DevicePushName]: (payload: z.input<(typeof devicePushes)[K]>) => void } & {
  [K in keyof typeof deviceAckedPushes]: (payload: z.input<(typeof deviceAckedPushes)[K]['payload']>, ack: Ack<(typeof deviceAckedPushes)[K]['reply']>) => void;
};

