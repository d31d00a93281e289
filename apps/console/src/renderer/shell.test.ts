import { describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../common/ipc.ts';
import { sampleOutboxEntry } from '../common/test-fixtures.ts';
import { OUTBOX_KEY, localStorageOutbox } from './shell.ts';

function memoryStorage() {
  const data = new Map<string, string>();
  return { data, getItem: (key: string) => data.get(key) ?? null, setItem: (key: string, value: string) => void data.set(key, value) };
}

const entry: OutboxEntry = sampleOutboxEntry({ attempts: 1, state: 'sending' }, { verdict: 'search' });

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
