/**
 * The decision outbox: the console's promise that no decision is lost and none is doubled.
 *
 * Every decision becomes an entry with an idempotency key made at the key press. The entry is
 * saved (disk in Electron, localStorage in a browser) on every change, before anything is
 * sent, and it leaves the outbox only when the hub acknowledges it as stored. Anything else
 * (timeout, disconnect, hub trouble) sends it again later with the same key; the hub stores at
 * most one decision per key. A refusal the hub will repeat forever (invalid, forbidden,
 * conflict, not found) is kept, shown and not retried.
 *
 * A search officer's outcome on a flagged bag (`kind: 'search-outcome'`) takes the same road:
 * saved first, sent in order with the decisions, resent with its key until the hub stores it.
 *
 * The functions below are pure; `DecisionOutbox` drives them with injected I/O.
 */
import { DecisionReply, type DecisionSubmit, type ErrorCode, SearchOutcomeReply, type SearchOutcomeSubmit } from '@clearway/protocol';
import type { DecisionOutboxEntry, OutboxEntry, SearchOutcomeOutboxEntry } from '../common/ipc.ts';

export type { OutboxEntry };

/** Hub refusals that will not change on a resend. */
const FINAL_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['invalid', 'forbidden', 'conflict', 'not-found', 'too-large']);

export type SendOutcome =
  /** `decisionId`: the stored decision's ID, or the stored search outcome's. */
  | { kind: 'stored'; decisionId: string; duplicate: boolean }
  | { kind: 'refused'; code: ErrorCode; message: string }
  | { kind: 'retry'; reason: string };

export function createEntry(input: {
  officerId: string;
  bagTag: string;
  payload: DecisionSubmit;
  createdAt: string;
}): DecisionOutboxEntry {
  return { idempotencyKey: input.payload.idempotencyKey, ...input, attempts: 0, state: 'waiting' };
}

export function createOutcomeEntry(input: {
  officerId: string;
  bagTag: string;
  payload: SearchOutcomeSubmit;
  createdAt: string;
}): SearchOutcomeOutboxEntry {
  return { idempotencyKey: input.payload.idempotencyKey, kind: 'search-outcome', ...input, attempts: 0, state: 'waiting' };
}

/** Adds an entry at the end (oldest first). A key already present is not added twice. */
export function enqueue(entries: readonly OutboxEntry[], entry: OutboxEntry): OutboxEntry[] {
  if (entries.some((e) => e.idempotencyKey === entry.idempotencyKey)) return [...entries];
  return [...entries, entry];
}

/** After a reload or crash nothing is in flight any more: 'sending' entries are 'waiting' again. */
export function restore(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return entries.map((e) => (e.state === 'sending' ? { ...e, state: 'waiting' } : e));
}

/**
 * The entries to send now for this officer, oldest first, so that at most `maxInFlight` are
 * in flight at once.
 */
export function pickNext(entries: readonly OutboxEntry[], officerId: string, maxInFlight: number): OutboxEntry[] {
  const inFlight = entries.filter((e) => e.state === 'sending').length;
  const room = Math.max(0, maxInFlight - inFlight);
  return entries.filter((e) => e.state === 'waiting' && e.officerId === officerId).slice(0, room);
}

export function markSending(entries: readonly OutboxEntry[], key: string): OutboxEntry[] {
  return entries.map((e) => (e.idempotencyKey === key ? { ...e, state: 'sending', attempts: e.attempts + 1 } : e));
}

/** Applies the outcome of one send: stored → gone, refused → kept as refused, retry → waiting. */
export function settle(entries: readonly OutboxEntry[], key: string, outcome: SendOutcome): OutboxEntry[] {
  switch (outcome.kind) {
    case 'stored':
      return entries.filter((e) => e.idempotencyKey !== key);
    case 'refused':
      return entries.map((e) => (e.idempotencyKey === key ? { ...e, state: 'refused', error: outcome.message } : e));
    case 'retry':
      return entries.map((e) => (e.idempotencyKey === key && e.state === 'sending' ? { ...e, state: 'waiting' } : e));
  }
}

/** Removes a refused entry once the officer has seen it. Entries still to send cannot be dropped. */
export function dismiss(entries: readonly OutboxEntry[], key: string): OutboxEntry[] {
  return entries.filter((e) => !(e.idempotencyKey === key && e.state === 'refused'));
}

/** Decisions not yet stored by the hub (refused ones are not waiting for anything). */
export function unsentCount(entries: readonly OutboxEntry[]): number {
  return entries.filter((e) => e.state !== 'refused').length;
}

/**
 * Reads a `decision:submit` acknowledgement (or a `search:outcome` one). A duplicate counts as
 * stored: the earlier decision stands.
 */
export function classifyReply(raw: unknown, kind: NonNullable<OutboxEntry['kind']> = 'decision'): SendOutcome {
  const reply = kind === 'search-outcome' ? SearchOutcomeReply.safeParse(raw) : DecisionReply.safeParse(raw);
  if (!reply.success) return { kind: 'retry', reason: 'the hub sent an unreadable acknowledgement' };
  if (reply.data.ok) return { kind: 'stored', decisionId: 'outcomeId' in reply.data ? reply.data.outcomeId : reply.data.decisionId, duplicate: reply.data.duplicate };
  const { code, message } = reply.data.error;
  if (FINAL_REFUSALS.has(code)) return { kind: 'refused', code, message };
  return { kind: 'retry', reason: message };
}

/** 1 s, 2 s, 4 s … up to 30 s between resends of the same entry. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export interface OutboxDeps {
  load(): Promise<OutboxEntry[]>;
  save(entries: readonly OutboxEntry[]): Promise<void>;
  /** Sends one decision; resolves with the raw acknowledgement, rejects on timeout or disconnect. */
  send(payload: DecisionSubmit): Promise<unknown>;
  /** Sends one search outcome, likewise. Without it, outcomes wait in the outbox. */
  sendSearchOutcome?(payload: SearchOutcomeSubmit): Promise<unknown>;
  onChange?(entries: readonly OutboxEntry[]): void;
  onSettled?(entry: OutboxEntry, outcome: SendOutcome): void;
  /** Runs `run` after `ms`; returns a cancel function. Injected so tests control time. */
  schedule?(run: () => void, ms: number): () => void;
  maxInFlight?: number;
}

const defaultSchedule = (run: () => void, ms: number): (() => void) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

export class DecisionOutbox {
  private entries: readonly OutboxEntry[] = [];
  /** The officer whose session is connected and ready, or null while offline. */
  private sender: string | null = null;
  private loading: Promise<void> | null = null;
  private saving: Promise<void> = Promise.resolve();
  private cancelRetry: (() => void) | null = null;
  private readonly schedule: (run: () => void, ms: number) => () => void;
  private readonly maxInFlight: number;

  constructor(private readonly deps: OutboxDeps) {
    this.schedule = deps.schedule ?? defaultSchedule;
    this.maxInFlight = deps.maxInFlight ?? 1;
  }

  list(): readonly OutboxEntry[] {
    return this.entries;
  }

  /** Loads what an earlier run left behind. Changes wait for it, so no save overwrites unread entries. */
  start(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** Records a decision: saved first, then sent if the link is up. */
  async enqueue(entry: OutboxEntry): Promise<void> {
    await this.loading;
    await this.commit(enqueue(this.entries, entry));
    this.flush();
  }

  /** The session of `officerId` is connected and ready: send what waits. */
  connected(officerId: string): void {
    this.sender = officerId;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.flush();
  }

  disconnected(): void {
    this.sender = null;
  }

  async dismiss(key: string): Promise<void> {
    await this.loading;
    await this.commit(dismiss(this.entries, key));
  }

  /** Sends waiting entries, oldest first, keeping at most `maxInFlight` unacknowledged. */
  flush(): void {
    if (this.sender === null || this.cancelRetry !== null) return;
    for (const entry of pickNext(this.entries, this.sender, this.maxInFlight)) {
      void this.sendOne(entry).finally(() => this.flush());
    }
  }

  private async load(): Promise<void> {
    let loaded: OutboxEntry[] = [];
    try {
      loaded = restore(await this.deps.load());
    } catch (error) {
      console.error('could not load the decision outbox', error);
    }
    const known = new Set(loaded.map((e) => e.idempotencyKey));
    await this.commit([...loaded, ...this.entries.filter((e) => !known.has(e.idempotencyKey))]);
    this.flush();
  }

  private async sendOne(entry: OutboxEntry): Promise<void> {
    const key = entry.idempotencyKey;
    // The attempt is on record before the packet leaves (marked synchronously, so the next
    // flush does not pick this entry again), and saved before it is sent.
    await this.commit(markSending(this.entries, key));
    let outcome: SendOutcome;
    try {
      if (entry.kind === 'search-outcome') {
        if (!this.deps.sendSearchOutcome) throw new Error('this console cannot send search outcomes');
        outcome = classifyReply(await this.deps.sendSearchOutcome(entry.payload), 'search-outcome');
      } else {
        outcome = classifyReply(await this.deps.send(entry.payload));
      }
    } catch (error) {
      outcome = { kind: 'retry', reason: error instanceof Error ? error.message : String(error) };
    }
    if (outcome.kind === 'retry' && this.cancelRetry === null) {
      // Pause the whole outbox, not just this entry: order is kept and a dead link is not hammered.
      this.cancelRetry = this.schedule(() => {
        this.cancelRetry = null;
        this.flush();
      }, retryDelayMs(entry.attempts + 1));
    }
    const settled = this.commit(settle(this.entries, key, outcome));
    this.deps.onSettled?.(entry, outcome);
    await settled;
  }

  /** Adopts `next`, tells the UI, and saves it. Saves are chained so they land in order. */
  private commit(next: readonly OutboxEntry[]): Promise<void> {
    this.entries = next;
    this.deps.onChange?.(next);
    const save = this.saving.then(() => this.deps.save(next));
    // A failed save is reported but does not stop delivery: a decision the hub has stored is
    // safe, while one held back because the disk is full would be lost with the window.
    this.saving = save.catch((error: unknown) => console.error('could not save the decision outbox', error));
    return this.saving;
  }
}
