import { invalidPayload, type ErrorBody } from '@clearway/protocol';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { z } from 'zod';

export type Handler<P, R> = (payload: P) => Promise<R | ErrorBody> | R | ErrorBody;

export interface RequestSpec {
  payload: z.ZodType;
  reply: z.ZodType;
}

export function isErrorBody(x: unknown): x is ErrorBody {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x && !('ok' in x);
}

/** Sum of binary attachment sizes in a socket.io packet's arguments. */
export function binaryBytes(value: unknown, depth = 0): number {
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (depth > 6 || typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += binaryBytes(v, depth + 1);
  return n;
}

/**
 * Registers acknowledged requests on a socket from a contract table: every payload is parsed
 * with its schema, the sender's permission checked, and the reply sent as `{ ok, ... }` or an
 * error naming the field. Nothing reaches a handler unparsed; a throwing handler answers
 * 'internal' and the socket stays up.
 */
export function registerRequests<T extends Record<string, RequestSpec>>(
  socket: Socket,
  table: T,
  opts: {
    log: Logger;
    allowed: (event: keyof T & string) => boolean;
    handlers: { [K in keyof T]: Handler<z.output<T[K]['payload']>, Omit<Extract<z.output<T[K]['reply']>, { ok: true }>, 'ok'>> };
  },
): void {
  // socket.io's typed `on` cannot follow a generic table; payloads are parsed below anyway.
  const untyped = socket as unknown as { on(event: string, listener: (raw: unknown, ack: unknown) => void): void };
  for (const event of Object.keys(table) as (keyof T & string)[]) {
    untyped.on(event, async (first: unknown, second: unknown) => {
      // `emit(event, callback)` with no payload: the callback arrives first.
      const [raw, ack] = typeof first === 'function' && second === undefined ? [undefined, first] : [first, second];
      const reply = (body: Record<string, unknown>) => {
        if (typeof ack === 'function') ack(body);
        else if (body['ok'] === false) socket.emit('protocol:error', { event, error: body['error'] });
      };
      const fail = (error: ErrorBody) => {
        opts.log.warn({ event, error, socket: socket.id }, 'request refused');
        reply({ ok: false, error });
      };
      if (!opts.allowed(event)) return fail({ code: 'forbidden', message: `your role may not send ${event}` });
      const spec = table[event];
      if (!spec) return;
      const parsed = spec.payload.safeParse(raw);
      if (!parsed.success) return fail(invalidPayload(parsed.error));
      try {
        const result = await opts.handlers[event](parsed.data as z.output<T[typeof event]['payload']>);
        if (isErrorBody(result)) return fail(result);
        reply({ ok: true, ...(result as object) });
      } catch (e) {
        opts.log.error({ event, err: e }, 'request handler failed');
        reply({ ok: false, error: { code: 'internal', message: 'the hub could not handle this request; it was not stored' } });
      }
    });
  }
  // Events outside the contract are answered, not silently dropped.
  socket.onAny((event: string, ...args: unknown[]) => {
    if (event in table) return;
    const ack = args[args.length - 1];
    const error: ErrorBody = { code: 'invalid', message: `unknown event ${event}` };
    opts.log.warn({ event, socket: socket.id }, 'unknown event');
    if (typeof ack === 'function') ack({ ok: false, error });
    else socket.emit('protocol:error', { event, error });
  });
}
