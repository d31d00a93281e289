import { z } from 'zod';
import { ErrorBody, Role, Timestamp, Uuid, replyOf } from './common.ts';
import { BagSummary, MachineResult, ScanSource, ScanSubmit, ScanView } from './scan.ts';
import { DeviceReady, OfficerStatus, SessionReady } from './session.ts';

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
  })
  .refine((d) => Date.parse(d.decidedAt) >= Date.parse(d.shownAt), { path: ['decidedAt'], message: 'decidedAt is before shownAt' });
export type DecisionSubmit = z.infer<typeof DecisionSubmit>;
export const DecisionReply = replyOf({
  decisionId: Uuid,
  /** True when this key was already stored: the earlier decision stands. */
  duplicate: z.boolean(),
  storedAt: Timestamp,
});
export type DecisionReply = z.infer<typeof DecisionReply>;

// ---- hub → console ----------------------------------------------------------------------

export const BagAssigned = z.object({
  assignmentId: Uuid,
  assignedAt: Timestamp,
  bag: BagSummary,
  views: z.array(ScanView).min(1).max(2),
  /** The scanner's own threat recognition, drawn on the image as the machine's boxes. */
  machineResult: MachineResult.optional(),
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
} as const satisfies Record<string, { payload: z.ZodType; reply: z.ZodType; roles: readonly Role[] }>;

/** Every acknowledged request a device may send, and the device kinds allowed to send it. */
export const deviceRequests = {
  'scan:submit': { payload: ScanSubmit, reply: ScanReply, kinds: ['scanner', 'dicos-hot-folder'] },
} as const;

/** Everything the hub pushes to consoles. */
export const consolePushes = {
  'session:ready': SessionReady,
  'bag:assigned': BagAssigned,
  'bag:withdrawn': BagWithdrawn,
  'queue:status': QueueStatus,
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

