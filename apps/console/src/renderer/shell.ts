/**
 * Where the renderer runs. In Electron the preload gives `window.clearway` (typed bridge, outbox
 * on disk); in a browser, served by the hub, the hub is this page's origin and the outbox
 * lives in localStorage.
 */
import { type ClearwayBridge, type OutboxEntry, OutboxEntries } from '../common/ipc.ts';

declare global {
  interface Window {
    /** Present only in the Electron shell. */
    readonly clearway?: ClearwayBridge;
  }
}

export interface OutboxStorage {
  load(): Promise<OutboxEntry[]>;
  save(entries: readonly OutboxEntry[]): Promise<void>;
}

export interface Shell {
  kind: 'electron' | 'browser';
  hubUrl: string;
  appVersion: string;
  outbox: OutboxStorage;
}

export const OUTBOX_KEY = 'clearway.outbox.v1';

type LocalStorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The outbox in localStorage. An unreadable value is moved aside, never overwritten. */
export function localStorageOutbox(storage: LocalStorageLike, now: () => number = Date.now): OutboxStorage {
  return {
    async load() {
      const text = storage.getItem(OUTBOX_KEY);
      if (text === null) return [];
      try {
        const parsed = OutboxEntries.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // handled below
      }
      const aside = `${OUTBOX_KEY}.unreadable-${now()}`;
      storage.setItem(aside, text);
      console.error(`the stored decision outbox was unreadable; kept as ${aside}`);
      return [];
    },
    async save(entries) {
      storage.setItem(OUTBOX_KEY, JSON.stringify(entries));
    },
  };
}

export async function detectShell(): Promise<Shell> {
  const bridge = window.clearway;
  if (bridge) {
    const config = await bridge.getConfig();
    return {
      kind: 'electron',
      hubUrl: config.hubUrl,
      appVersion: config.appVersion,
      outbox: { load: () => bridge.outboxLoad(), save: (entries) => bridge.outboxSave([...entries]) },
    };
  }
  return { kind: 'browser', hubUrl: window.location.origin, appVersion: __CLEARWAY_VERSION__, outbox: localStorageOutbox(window.localStorage) };
}
