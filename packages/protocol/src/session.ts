import { z } from 'zod';
import { Id, Role, Timestamp } from './common.ts';

const Version = z.number().int().min(1);

/** Console handshake (`io(url + '/console', { auth })`): first sign-in with ID and password. */
export const PasswordAuth = z.object({
  protocolVersion: Version,
  officerId: Id,
  password: z.string().min(1).max(256),
});
/** Console handshake on reconnect: the session token from `session:ready`. */
export const SessionAuth = z.object({
  protocolVersion: Version,
  sessionToken: z.string().min(20).max(200),
});
export const ConsoleAuth = z.union([PasswordAuth, SessionAuth]);
export type ConsoleAuth = z.infer<typeof ConsoleAuth>;

/** Device handshake (`io(url + '/device', { auth })`) with a per-device token from `pnpm clearway devices add`. */
export const DeviceAuth = z.object({
  protocolVersion: Version,
  deviceId: Id,
  token: z.string().min(20).max(200),
});
export type DeviceAuth = z.infer<typeof DeviceAuth>;

export const Officer = z.object({ id: Id, name: z.string().min(1).max(100), role: Role });
export type Officer = z.infer<typeof Officer>;

export const OfficerStatus = z.enum(['available', 'on-break']);
export type OfficerStatus = z.infer<typeof OfficerStatus>;

/** Hub → console right after a successful handshake. Keep `sessionToken` to reconnect without the password. */
export const SessionReady = z.object({
  officer: Officer,
  sessionToken: z.string(),
  expiresAt: Timestamp,
  status: OfficerStatus,
  serverTime: Timestamp,
  protocolVersion: z.number().int(),
});
export type SessionReady = z.infer<typeof SessionReady>;

export const DeviceReady = z.object({ deviceId: Id, kind: z.string(), serverTime: Timestamp, protocolVersion: z.number().int() });
export type DeviceReady = z.infer<typeof DeviceReady>;
