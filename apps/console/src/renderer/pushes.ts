/** The hub's words, checked at the boundary: pushes, handshake refusals and replies. */
import { z } from 'zod';
import { type ConnectErrorData, type ConsolePushName, ConnectErrorData as ConnectErrorDataSchema, PROTOCOL_VERSION, consolePushes } from '@clearway/protocol';

export type PushPayloads = { [K in ConsolePushName]: z.output<(typeof consolePushes)[K]> };
// Mapped re-typing so that a generic K keeps its own schema type (see common/ipc.ts).
const pushSchemas: { [K in ConsolePushName]: z.ZodType<PushPayloads[K]> } = consolePushes;

/** The push's payload if it matches its schema; otherwise null, with a warning (a bad push is dropped, never half-used). */
export function parsePush<K extends ConsolePushName>(name: K, raw: unknown): PushPayloads[K] | null {
  const result = pushSchemas[name].safeParse(raw);
  if (result.success) return result.data;
  console.warn(`dropped an invalid "${name}" from the hub: ${z.prettifyError(result.error)}`);
  return null;
}

/** The reason the hub gave for refusing the handshake, or null for a network failure. */
export function connectErrorOf(error: unknown): ConnectErrorData | null {
  if (typeof error !== 'object' || error === null || !('data' in error)) return null;
  const parsed = ConnectErrorDataSchema.safeParse(error.data);
  return parsed.success ? parsed.data : null;
}

export const WRONG_CREDENTIALS = 'Wrong officer ID or password';
export const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/** What the sign-in screen says when the hub refuses the handshake. */
export function signInMessage(refusal: ConnectErrorData): string {
  switch (refusal.code) {
    case 'bad-credentials':
      return WRONG_CREDENTIALS;
    case 'session-expired':
      return SESSION_ENDED;
    case 'protocol-version':
      return (
        `This console speaks protocol version ${PROTOCOL_VERSION} but the hub speaks version ${refusal.serverProtocolVersion}. ` +
        'Ask your shift lead or IT to update the console before signing in.'
      );
    case 'bad-request':
    case 'device-revoked':
      return `The hub refused this console: ${refusal.message}`;
  }
}
