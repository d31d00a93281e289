import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../common/ipc.ts';
import { outboxFile } from './outbox-file.ts';

const entry: OutboxEntry = {
  idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
  officerId: 'officer-7',
  bagTag: '0123456789',
  payload: {
    idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
    assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70',
    bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    verdict: 'clear',
    shownAt: '2030-01-01T10:00:00.000Z',
    decidedAt: '2030-01-01T10:00:02.500Z',
  },
  createdAt: '2030-01-01T10:00:02.500Z',
  attempts: 0,
  state: 'waiting',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'clearway-outbox-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('outbox file', () => {
  it('starts empty and round-trips entries', async () => {
    const file = outboxFile(path.join(dir, 'outbox.json'));
    expect(await file.load()).toEqual([]);
    await file.save([entry]);
    expect(await file.load()).toEqual([entry]);
  });

  it('writes through a temporary file and leaves none behind', async () => {
    const file = outboxFile(path.join(dir, 'outbox.json'));
    await Promise.all([file.save([entry]), file.save([]), file.save([{ ...entry, attempts: 3 }])]);
    expect(await readdir(dir)).toEqual(['outbox.json']);
    // Saves land in the order they were made.
    expect(await file.load()).toEqual([{ ...entry, attempts: 3 }]);
  });

  it('moves an unreadable file aside instead of overwriting the decisions in it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const target = path.join(dir, 'outbox.json');
    await writeFile(target, '[{"idempotencyKey": "7d7c1f5e');
    expect(await outboxFile(target).load()).toEqual([]);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^outbox\.json\.unreadable-\d+$/);
    expect(await readFile(path.join(dir, files[0] ?? ''), 'utf8')).toContain('7d7c1f5e');
  });
});
