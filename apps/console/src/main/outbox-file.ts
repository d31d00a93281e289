/**
 * The decision outbox on disk (Electron shell): one JSON file, replaced atomically so that a
 * crash or power cut mid-write leaves either the old list or the new one, never half of each.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { type OutboxEntry, OutboxEntries } from '../common/ipc.ts';

export interface OutboxFile {
  load(): Promise<OutboxEntry[]>;
  save(entries: readonly OutboxEntry[]): Promise<void>;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}

function parseEntries(text: string): OutboxEntry[] | null {
  try {
    const parsed = OutboxEntries.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function outboxFile(file: string): OutboxFile {
  // Saves run one after another: two overlapping renames could otherwise land out of order.
  let queue: Promise<void> = Promise.resolve();

  async function writeAtomically(entries: readonly OutboxEntry[]): Promise<void> {
    const temp = `${file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(entries, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  }

  return {
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
      const entries = parseEntries(text);
      if (entries) return entries;
      // Keep the unreadable file for investigation rather than overwrite decisions in it.
      const aside = `${file}.unreadable-${Date.now()}`;
      await rename(file, aside);
      console.error(`outbox file ${file} was unreadable; moved to ${aside}`);
      return [];
    },
    save(entries) {
      const next = queue.then(() => writeAtomically(entries));
      // A failed save must not block the ones after it; the caller still sees the failure.
      queue = next.catch(() => rm(`${file}.${process.pid}.tmp`, { force: true }));
      return next;
    },
  };
}
