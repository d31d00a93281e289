import { describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../common/ipc.ts';
import { OUTBOX_KEY, localStorageOutbox } from './shell.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return { data, getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
}

const entry: OutboxEntry = {
  idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
  officerId: 'officer-7',
  bagTag: '0123456789',
  payload: {
    idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
    assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70',
    bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    verdict: 'search',
    shownAt: '2030-01-01T10:00:00.000Z',
    decidedAt: '2030-01-01T10:00:02.500Z',
  },
  createdAt: '2030-01-01T10:00:02.500Z',
  attempts: 1,
  state: 'sending',
};

describe('browser-mode outbox storage', () => {
  it('round-trips the outbox through localStorage', async () => {
    const storage = memoryStorage();
    const outbox = localStorageOutbox(storage);
    expect(await outbox.load()).toEqual([]);
    await outbox.save([entry]);
    expect(JSON.parse(storage.data.get(OUTBOX_KEY) ?? '')).toEqual([entry]);
    expect(await localStorageOutbox(storage).load()).toEqual([entry]);
  });

  it('keeps an unreadable outbox aside instead of overwriting it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const storage = memoryStorage();
    storage.setItem(OUTBOX_KEY, '[{"half": "written"');
    expect(await localStorageOutbox(storage, () => 42).load()).toEqual([]);
    expect(storage.data.get(`${OUTBOX_KEY}.unreadable-42`)).toBe('[{"half": "written"');
  });
});
