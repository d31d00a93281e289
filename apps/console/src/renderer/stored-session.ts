/**
 * The session kept in sessionStorage: it survives a reload of this tab (reconnect silently
 * with the token) but not closing it, and never holds the password.
 */
import { z } from 'zod';
import { Officer } from '@clearway/protocol';

export const SESSION_KEY = 'clearway.session.v1';

export const StoredSession = z.object({
  sessionToken: z.string().min(20).max(200),
  /** Shown while the console reconnects after a reload, before the hub confirms. */
  officer: Officer,
});
export type StoredSession = z.infer<typeof StoredSession>;

type SessionStorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadSession(storage: SessionStorageLike): StoredSession | null {
  const text = storage.getItem(SESSION_KEY);
  if (text === null) return null;
  try {
    const parsed = StoredSession.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through: an unreadable session is no session
  }
  storage.removeItem(SESSION_KEY);
  return null;
}

export function saveSession(storage: SessionStorageLike, session: StoredSession): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: SessionStorageLike): void {
  storage.removeItem(SESSION_KEY);
}
