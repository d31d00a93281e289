import { describe, expect, it } from 'vitest';
import { SESSION_KEY, clearSession, loadSession, saveSession } from './stored-session.ts';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const session = {
  sessionToken: 'a'.repeat(32),
  officer: { id: 'officer-7', name: 'Wang Fang', role: 'screening-officer' as const },
};

describe('stored session', () => {
  it('keeps the token (never a password) across a reload of the tab', () => {
    const storage = memoryStorage();
    saveSession(storage, session);
    expect(loadSession(storage)).toEqual(session);
    expect(storage.data.get(SESSION_KEY)).not.toMatch(/password/);
    clearSession(storage);
    expect(loadSession(storage)).toBeNull();
  });

  it('forgets an unreadable session', () => {
    const storage = memoryStorage();
    storage.setItem(SESSION_KEY, '{"sessionToken":"short"}');
    expect(loadSession(storage)).toBeNull();
    expect(storage.data.has(SESSION_KEY)).toBe(false);
    storage.setItem(SESSION_KEY, 'not json');
    expect(loadSession(storage)).toBeNull();
  });
});
