import { z } from 'zod';

/** Bumped on any change a deployed peer would misread. Checked in the connect handshake. */
export const PROTOCOL_VERSION = 1;

/** socket.io namespaces: people's consoles and devices (scanners, bridges, feeds) never share one. */
export const NAMESPACE = { console: '/console', device: '/device' } as const;

export const Role = z.enum(['screening-officer', 'search-officer', 'shift-lead', 'robot-operator', 'admin']);
export type Role = z.infer<typeof Role>;

export const DeviceKind = z.enum(['scanner', 'dicos-hot-folder', 'robot-bridge', 'flight-feed']);
export type DeviceKind = z.infer<typeof DeviceKind>;

export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only');
export const Uuid = z.uuid();
export const Timestamp = z.iso.datetime({ offset: true });
/** Lane identifier as painted at the checkpoint, e.g. "lane-3". */
export const LaneId = Id;
/** IATA flight designator: airline code plus 1-4 digits and an optional suffix, e.g. "CA981", "MU5101A". */
export const FlightNumber = z.string().regex(/^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$/, 'an IATA flight number such as CA981');
/** Bag tag: the 10-digit IATA licence plate, or a lane-local tag for cabin bags. */
export const BagTag = z.string().min(1).max(32).regex(/^[A-Z0-9-]+$/, 'upper-case letters, digits and dashes');

/**
 * Binary payload. socket.io delivers Buffer in Node and ArrayBuffer in browsers; both are
 * normalised to Uint8Array. Never base64.
 */
export const Binary = z
  .union([z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected binary data'), z.instanceof(ArrayBuffer)])
  .transform((v): Uint8Array => (v instanceof Uint8Array ? v : new Uint8Array(v)));

export const ErrorCode = z.enum([
  'invalid', // the payload failed its schema; `field` names the first offending path
  'forbidden', // the sender's role may not send this event, or the object is not theirs
  'not-found',
  'conflict', // e.g. the assignment was already closed by someone else
  'too-large',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Dotted path of the first invalid field, e.g. "views.0.width". */
  field: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const ErrorReply = z.object({ ok: z.literal(false), error: ErrorBody });
export type ErrorReply = z.infer<typeof ErrorReply>;

/** Every acknowledged event replies `{ ok: true, ... }` or an ErrorReply. */
export function replyOf<T extends z.ZodRawShape>(shape: T) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), ...shape }), ErrorReply]);
}

/** Reasons given in a refused handshake (`connect_error` with `err.data`). */
export const ConnectErrorCode = z.enum(['protocol-version', 'bad-credentials', 'session-expired', 'bad-request', 'device-revoked']);
export type ConnectErrorCode = z.infer<typeof ConnectErrorCode>;
export const ConnectErrorData = z.object({ code: ConnectErrorCode, message: z.string(), serverProtocolVersion: z.number().int() });
export type ConnectErrorData = z.infer<typeof ConnectErrorData>;
