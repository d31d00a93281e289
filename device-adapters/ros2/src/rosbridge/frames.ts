// The rosbridge v2 wire format: what this client sends, what it accepts, and the two codecs.
// Pure: no sockets here.

/** A JSON value as ROS messages travel in rosbridge frames. */
export type RosValue = string | number | boolean | null | readonly RosValue[] | { readonly [key: string]: RosValue };
export type RosMessage = { readonly [key: string]: RosValue };

export type StatusLevel = 'error' | 'warning' | 'info' | 'none';

/** Every operation this client sends. */
export type OutgoingOp =
  | { op: 'set_level'; id: string; level: StatusLevel }
  | { op: 'advertise'; id: string; topic: string; type: string; latch?: boolean; queue_size?: number }
  | { op: 'unadvertise'; id: string; topic: string }
  | { op: 'publish'; id: string; topic: string; msg: RosMessage; latch?: boolean }
  | { op: 'subscribe'; id: string; topic: string; type: string; throttle_rate?: number; queue_length?: number }
  | { op: 'unsubscribe'; id: string; topic: string }
  | { op: 'call_service'; id: string; service: string; type: string; args: RosMessage }
  | { op: 'send_action_goal'; id: string; action: string; action_type: string; args: RosMessage; feedback: boolean }
  | { op: 'cancel_action_goal'; id: string; action: string };

/** What this client understands from a bridge; anything else is reported and ignored. */
export type IncomingOp =
  | { op: 'publish'; topic: string; msg: Record<string, unknown> }
  | { op: 'status'; level: string; msg: string; id: string | null }
  | { op: 'service_response'; service: string; id: string | null; result: boolean; values: unknown }
  | { op: 'action_feedback'; action: string; id: string | null; values: unknown }
  | { op: 'action_result'; action: string; id: string | null; result: boolean; status: number | null; values: unknown };

export class FrameEncodeError extends Error {
  override readonly name = 'FrameEncodeError';
}

const MAX_DEPTH = 64;

function checkValue(value: unknown, path: string, depth: number, seen: Set<object>): void {
  if (depth > MAX_DEPTH) throw new FrameEncodeError(`${path}: nested deeper than ${MAX_DEPTH}`);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      // JSON has no NaN or Infinity: JSON.stringify would quietly turn them into null.
      if (!Number.isFinite(value)) throw new FrameEncodeError(`${path}: ${value} is not a finite number`);
      return;
    case 'object': {
      if (value === null) return;
      if (seen.has(value)) throw new FrameEncodeError(`${path}: refers to itself`);
      seen.add(value);
      if (Array.isArray(value)) {
        value.forEach((item, i) => checkValue(item, `${path}[${i}]`, depth + 1, seen));
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) throw new FrameEncodeError(`${path}: only plain objects, not ${proto?.constructor?.name ?? 'this object'}`);
        for (const [key, item] of Object.entries(value)) {
          if (item === undefined) throw new FrameEncodeError(`${path}.${key}: undefined`);
          checkValue(item, `${path}.${key}`, depth + 1, seen);
        }
      }
      seen.delete(value);
      return;
    }
    default:
      throw new FrameEncodeError(`${path}: a ${typeof value} cannot travel as JSON`);
  }
}

/**
 * Serialises one operation, or throws FrameEncodeError. Never returns a frame the bridge could
 * misread: a malformed frame leaves ros2-web-bridge's parser stuck for the whole connection.
 */
export function encodeFrame(op: OutgoingOp): string {
  checkValue(op, op.op, 0, new Set());
  const text = JSON.stringify(op);
  if (typeof text !== 'string' || text[0] !== '{') throw new FrameEncodeError(`${op.op}: did not serialise to a JSON object`);
  return text;
}

export type DecodeResult =
  | { ok: true; op: IncomingOp; repaired: boolean }
  | { ok: false; reason: string; ignorable: boolean };

/** JSON.parse, or a second try with bare NaN / Infinity tokens (outside strings) read as null. */
function parseTolerant(text: string): { value: unknown; repaired: boolean } | null {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch {
    // Python's json module (rosbridge_suite) writes NaN and Infinity bare, which is not JSON.
    if (!/NaN|Infinity/.test(text)) return null;
    let out = '';
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (inString) {
        out += c;
        if (c === '\\') out += text[++i] ?? '';
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') {
        inString = true;
        out += c;
      } else if (text.startsWith('NaN', i)) {
        out += 'null';
        i += 2;
      } else if (text.startsWith('-Infinity', i)) {
        out += 'null';
        i += 8;
      } else if (text.startsWith('Infinity', i)) {
        out += 'null';
        i += 7;
      } else {
        out += c;
      }
    }
    try {
      return { value: JSON.parse(out), repaired: true };
    } catch {
      return null;
    }
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const optionalId = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/**
 * Reads one frame from a bridge. Never throws: a frame that is not JSON, not an object, or an
 * operation of the wrong shape comes back as { ok: false } with the reason.
 */
export function decodeFrame(data: unknown, maxBytes = 8 * 1024 * 1024): DecodeResult {
  let text: string;
  if (typeof data === 'string') text = data;
  else if (data instanceof Uint8Array) text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  else if (data instanceof ArrayBuffer) text = Buffer.from(data).toString('utf8');
  else if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) text = Buffer.concat(data as Uint8Array[]).toString('utf8');
  else return { ok: false, reason: 'frame is neither text nor bytes', ignorable: false };
  if (text.length > maxBytes) return { ok: false, reason: `frame of ${text.length} bytes is over the ${maxBytes}-byte limit`, ignorable: false };

  const parsed = parseTolerant(text);
  if (!parsed) return { ok: false, reason: `not JSON: ${JSON.stringify(text.slice(0, 60))}`, ignorable: false };
  const { value, repaired } = parsed;
  if (!isRecord(value)) return { ok: false, reason: 'not a JSON object', ignorable: false };
  const op = value['op'];
  if (typeof op !== 'string') return { ok: false, reason: 'no op', ignorable: false };
  const id = optionalId(value['id']);
  switch (op) {
    case 'publish':
      if (typeof value['topic'] !== 'string' || !isRecord(value['msg'])) return { ok: false, reason: 'publish without topic or msg object', ignorable: false };
      return { ok: true, repaired, op: { op, topic: value['topic'], msg: value['msg'] } };
    case 'status':
      return {
        ok: true,
        repaired,
        op: { op, level: typeof value['level'] === 'string' ? value['level'] : 'error', msg: typeof value['msg'] === 'string' ? value['msg'] : '', id },
      };
    case 'service_response':
      return {
        ok: true,
        repaired,
        op: { op, service: typeof value['service'] === 'string' ? value['service'] : '', id, result: value['result'] !== false, values: value['values'] },
      };
    case 'action_feedback':
      return { ok: true, repaired, op: { op, action: typeof value['action'] === 'string' ? value['action'] : '', id, values: value['values'] } };
    case 'action_result':
      return {
        ok: true,
        repaired,
        op: {
          op,
          action: typeof value['action'] === 'string' ? value['action'] : '',
          id,
          result: value['result'] !== false,
          status: typeof value['status'] === 'number' ? value['status'] : null,
          values: value['values'],
        },
      };
    default:
      // A server may send operations this client has no use for (e.g. a call_service to an
      // advertised service, or png fragments): not an error, just not ours.
      return { ok: false, reason: `unhandled op ${JSON.stringify(op).slice(0, 40)}`, ignorable: true };
  }
}
