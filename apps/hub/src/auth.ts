import { ConsoleAuth, DeviceAuth, PROTOCOL_VERSION, type ConnectErrorCode, type ConnectErrorData, type DeviceKind, type Officer } from '@clearway/protocol';
import type { Store } from '@clearway/store';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';

export interface OfficerSession { officer: Officer; sessionToken: string; expiresAt: string }
export interface DeviceSession { deviceId: string; kind: DeviceKind }

declare module 'socket.io' {
  interface SocketData {
    officerSession?: OfficerSession;
    device?: DeviceSession;
  }
}

/** A refused handshake; the client sees `err.message` and `err.data` (ConnectErrorData). */
export function refusal(code: ConnectErrorCode, message: string): Error & { data: ConnectErrorData } {
  return Object.assign(new Error(message), { data: { code, message, serverProtocolVersion: PROTOCOL_VERSION } });
}

function checkVersion(auth: unknown): Error | null {
  const v = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>)['protocolVersion'] : undefined;
  if (v !== PROTOCOL_VERSION) {
    return refusal('protocol-version', `this hub speaks protocol version ${PROTOCOL_VERSION}; the client sent ${JSON.stringify(v ?? null)}`);
  }
  return null;
}

/** Consoles: officer ID + password on first sign-in, the session token on every reconnect. */
export function consoleHandshake(store: Store, log: Logger, sessionTtlMs: number) {
  return async (socket: Socket, next: (err?: Error) => void): Promise<void> => {
    const versionError = checkVersion(socket.handshake.auth);
    if (versionError) return next(versionError);
    const parsed = ConsoleAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(refusal('bad-request', 'sign in with officerId and password, or a sessionToken'));
    const auth = parsed.data;
    if ('sessionToken' in auth) {
      const session = store.identity.resolveSession(auth.sessionToken);
      if (!session) {
        store.audit.append({
          type: 'officer.sign-in-refused', actor: { kind: 'anonymous', id: 'session-token' }, subjectId: null,
          payload: { reason: 'session-expired', address: socket.handshake.address },
        });
        return next(refusal('session-expired', 'your session has ended; sign in again'));
      }
      socket.data.officerSession = { officer: session.officer, sessionToken: auth.sessionToken, expiresAt: session.expiresAt };
      return next();
    }
    const officer = await store.identity.checkPassword(auth.officerId, auth.password);
    if (!officer) {
      log.warn({ officerId: auth.officerId, address: socket.handshake.address }, 'sign-in refused');
      // The ID as typed: it may name no account, which is worth seeing in the trail too.
      store.audit.append({
        type: 'officer.sign-in-refused', actor: { kind: 'anonymous', id: auth.officerId }, subjectId: auth.officerId,
        payload: { reason: 'bad-credentials', address: socket.handshake.address },
      });
      return next(refusal('bad-credentials', 'wrong officer ID or password'));
    }
    const { token, expiresAt } = store.identity.createSession(officer.id, sessionTtlMs, new Date(), { address: socket.handshake.address });
    log.info({ officerId: officer.id, role: officer.role }, 'officer signed in');
    socket.data.officerSession = { officer, sessionToken: token, expiresAt };
    next();
  };
}

/** Devices: device ID + per-device token from `pnpm clearway devices add`. */
export function deviceHandshake(store: Store, log: Logger) {
  return (socket: Socket, next: (err?: Error) => void): void => {
    const versionError = checkVersion(socket.handshake.auth);
    if (versionError) return next(versionError);
    const parsed = DeviceAuth.safeParse(socket.handshake.auth);
    if (!parsed.success) return next(refusal('bad-request', 'connect with deviceId and token'));
    const result = store.identity.checkDeviceToken(parsed.data.deviceId, parsed.data.token);
    if (result === 'revoked') return next(refusal('device-revoked', `device ${parsed.data.deviceId} has been revoked`));
    if (!result) {
      log.warn({ deviceId: parsed.data.deviceId, address: socket.handshake.address }, 'device refused');
      return next(refusal('bad-credentials', 'unknown device or wrong token'));
    }
    socket.data.device = { deviceId: result.id, kind: result.kind };
    next();
  };
}
