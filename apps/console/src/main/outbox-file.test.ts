import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutboxEntry } from '../common/ipc.ts';
import { sampleOutboxEntry } from '../common/test-fixtures.ts';
import { outboxFile } from './outbox-file.ts';

const entry: OutboxEntry = sampleOutboxEntry();

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
