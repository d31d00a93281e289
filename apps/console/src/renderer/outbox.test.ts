import { describe, expect, it } from 'vitest';
import type { DecisionSubmit } from '@clearway/protocol';
import {
  type OutboxDeps,
  type OutboxEntry,
  type SendOutcome,
  DecisionOutbox,
  classifyReply,
  createEntry,
  enqueue,
  pickNext,
  restore,
  retryDelayMs,
  unsentCount,
} from './outbox.ts';

let counter = 0;
function decision(officerId = 'officer-7'): OutboxEntry {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  const payload: DecisionSubmit = {
    idempotencyKey: `7d7c1f5e-8a59-4a39-9a51-${hex}`,
    assignmentId: `1f0b8d7e-2c41-4a55-8b1e-${hex}`,
    bagId: `2a1b3c4d-5e6f-4a7b-8c9d-${hex}`,
    verdict: 'clear',
    shownAt: '2030-01-01T10:00:00.000Z',
    decidedAt: '2030-01-01T10:00:02.500Z',
  };
  return createEntry({ officerId, bagTag: `BAG-${counter}`, payload, createdAt: payload.decidedAt });
}

const stored = (duplicate = false) => ({
  ok: true,
  decisionId: '9e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0',
  duplicate,
  storedAt: '2030-01-01T10:00:03.000Z',
});
const refusal = (code: string, message = 'no') => ({ ok: false, error: { code, message } });

interface Deferred {
  payload: DecisionSubmit;
  resolve(reply: unknown): void;
  reject(error: Error): void;
}

/** An outbox whose storage, link and clock the test drives by hand. Every step is logged. */
function harness(initial: OutboxEntry[] = []) {
  const log: string[] = [];
  const saves: OutboxEntry[][] = [];
  const sends: Deferred[] = [];
  const timers: { run: () => void; ms: number }[] = [];
  const settled: SendOutcome['kind'][] = [];
  const deps: OutboxDeps = {
    load: async () => structuredClone(initial),
    save: async (entries) => {
      saves.push(structuredClone([...entries]));
      log.push(`save ${entries.map((e) => `${e.bagTag}:${e.state}`).join(',') || 'empty'}`);
    },
    send: (payload) =>
      new Promise((resolve, reject) => {
        log.push(`send ${payload.idempotencyKey}`);
        sends.push({ payload, resolve, reject });
      }),
    onSettled: (_entry, outcome) => settled.push(outcome.kind),
    schedule: (run, ms) => {
      const timer = { run, ms };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  };
  const outbox = new DecisionOutbox(deps);
  return { outbox, log, saves, sends, timers, settled, lastSave: () => saves.at(-1) };
}

/** Lets the outbox's promise chains run to rest. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('outbox helpers', () => {
  it('queues oldest first and never the same key twice', () => {
    const a = decision();
    const b = decision();
    const entries = enqueue(enqueue(enqueue([], a), b), a);
    expect(entries.map((e) => e.bagTag)).toEqual([a.bagTag, b.bagTag]);
    expect(pickNext(entries, 'officer-7', 1)).toEqual([a]);
  });

  it('sends only the signed-in officer’s decisions', () => {
    const mine = decision('officer-7');
    const theirs = decision('officer-9');
    expect(pickNext([theirs, mine], 'officer-7', 5)).toEqual([mine]);
  });

  it('turns in-flight entries back into waiting ones after a reload', () => {
    const entries = restore([{ ...decision(), state: 'sending', attempts: 2 }, { ...decision(), state: 'refused', error: 'x' }]);
    expect(entries.map((e) => e.state)).toEqual(['waiting', 'refused']);
    expect(entries[0]?.attempts).toBe(2);
    expect(unsentCount(entries)).toBe(1);
  });

  it('reads acknowledgements', () => {
    expect(classifyReply(stored())).toMatchObject({ kind: 'stored', duplicate: false });
    expect(classifyReply(stored(true))).toMatchObject({ kind: 'stored', duplicate: true });
    for (const code of ['invalid', 'forbidden', 'conflict', 'not-found']) {
      expect(classifyReply(refusal(code, 'assignment closed'))).toEqual({ kind: 'refused', code, message: 'assignment closed' });
    }
    expect(classifyReply(refusal('internal'))).toMatchObject({ kind: 'retry' });
    expect(classifyReply({ ok: 'maybe' })).toMatchObject({ kind: 'retry' });
    expect(classifyReply(undefined)).toMatchObject({ kind: 'retry' });
  });

  it('backs off from 1 s to at most 30 s', () => {
    expect([1, 2, 3, 4, 10].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});

describe('DecisionOutbox', () => {
  it('saves a decision before sending it, and sends it while connected', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    const entry = decision();
    await h.outbox.enqueue(entry);
    await settle();
    expect(h.log).toEqual([
      'save empty', // start
      `save ${entry.bagTag}:waiting`,
      `save ${entry.bagTag}:sending`,
      `send ${entry.idempotencyKey}`,
    ]);
    expect(h.lastSave()?.[0]?.attempts).toBe(1);
  });

  it('holds decisions while offline and sends them on connect', async () => {
    const h = harness();
    await h.outbox.start();
    await h.outbox.enqueue(decision());
    await settle();
    expect(h.sends).toHaveLength(0);
    expect(h.lastSave()?.map((e) => e.state)).toEqual(['waiting']);
    h.outbox.connected('officer-7');
    await settle();
    expect(h.sends).toHaveLength(1);
  });

  it('removes a decision once the hub acknowledges it as stored', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    await h.outbox.enqueue(decision());
    await settle();
    h.sends[0]?.resolve(stored());
    await settle();
    expect(h.outbox.list()).toEqual([]);
    expect(h.lastSave()).toEqual([]);
    expect(h.settled).toEqual(['stored']);
  });

  it('treats a duplicate acknowledgement as stored', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    await h.outbox.enqueue(decision());
    await settle();
    h.sends[0]?.resolve(stored(true));
    await settle();
    expect(h.outbox.list()).toEqual([]);
    expect(h.lastSave()).toEqual([]);
  });

  it('keeps a refused decision, shows why, and does not resend it', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    await h.outbox.enqueue(decision());
    await settle();
    h.sends[0]?.resolve(refusal('conflict', 'the assignment was already closed'));
    await settle();
    expect(h.outbox.list()).toMatchObject([{ state: 'refused', error: 'the assignment was already closed' }]);
    expect(h.lastSave()).toMatchObject([{ state: 'refused' }]);
    h.outbox.disconnected();
    h.outbox.connected('officer-7');
    await settle();
    expect(h.sends).toHaveLength(1);
    expect(h.timers).toHaveLength(0);
    expect(unsentCount(h.outbox.list())).toBe(0);
  });

  it('keeps a decision after a timeout and resends it later with the same key', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    const entry = decision();
    await h.outbox.enqueue(entry);
    await settle();
    h.sends[0]?.reject(new Error('operation has timed out'));
    await settle();
    expect(h.outbox.list()).toMatchObject([{ state: 'waiting', attempts: 1 }]);
    expect(h.sends).toHaveLength(1); // not resent at once: it waits for the retry timer
    expect(h.timers.map((t) => t.ms)).toEqual([1000]);
    h.timers[0]?.run();
    await settle();
    expect(h.sends).toHaveLength(2);
    expect(h.sends[1]?.payload).toEqual(h.sends[0]?.payload);
    expect(h.sends[1]?.payload.idempotencyKey).toBe(entry.idempotencyKey);
    h.sends[1]?.resolve(stored());
    await settle();
    expect(h.outbox.list()).toEqual([]);
  });

  it('resends at once when the link comes back after a disconnect', async () => {
    const h = harness();
    await h.outbox.start();
    h.outbox.connected('officer-7');
    await h.outbox.enqueue(decision());
    await settle();
    h.outbox.disconnected();
    h.sends[0]?.reject(new Error('socket has been disconnected'));
    await settle();
    h.outbox.connected('officer-7');
    await settle();
    expect(h.sends).toHaveLength(2);
    expect(h.sends[1]?.payload.idempotencyKey).toBe(h.sends[0]?.payload.idempotencyKey);
    expect(h.timers).toHaveLength(0);
  });

  it('sends one at a time, oldest first', async () => {
    const h = harness();
    await h.outbox.start();
    const [a, b, c] = [decision(), decision(), decision()];
    for (const entry of [a, b, c]) await h.outbox.enqueue(entry);
    h.outbox.connected('officer-7');
    await settle();
    expect(h.sends.map((s) => s.payload.idempotencyKey)).toEqual([a.idempotencyKey]);
    h.sends[0]?.resolve(stored());
    await settle();
    h.sends[1]?.resolve(stored());
    await settle();
    expect(h.sends.map((s) => s.payload.idempotencyKey)).toEqual([a.idempotencyKey, b.idempotencyKey, c.idempotencyKey]);
  });

  it('restores the outbox after a reload and sends what the last run left in flight', async () => {
    const inFlight: OutboxEntry = { ...decision(), state: 'sending', attempts: 1 };
    const refused: OutboxEntry = { ...decision(), state: 'refused', error: 'bag not found' };
    const h = harness([inFlight, refused]);
    await h.outbox.start();
    expect(h.outbox.list().map((e) => e.state)).toEqual(['waiting', 'refused']);
    expect(h.lastSave()?.map((e) => e.state)).toEqual(['waiting', 'refused']);
    h.outbox.connected('officer-7');
    await settle();
    expect(h.sends.map((s) => s.payload.idempotencyKey)).toEqual([inFlight.idempotencyKey]);
    expect(h.lastSave()?.[0]).toMatchObject({ state: 'sending', attempts: 2 });
  });

  it('does not save a decision over entries it has not read yet', async () => {
    const earlier = decision();
    const h = harness([earlier]);
    const later = decision();
    const started = h.outbox.start();
    const enqueued = h.outbox.enqueue(later);
    await Promise.all([started, enqueued]);
    for (const save of h.saves) expect(save[0]?.idempotencyKey).toBe(earlier.idempotencyKey);
    expect(h.outbox.list().map((e) => e.bagTag)).toEqual([earlier.bagTag, later.bagTag]);
  });

  it('lets the officer dismiss a refused decision, but never one still to send', async () => {
    const waiting = decision();
    const refused: OutboxEntry = { ...decision(), state: 'refused', error: 'x' };
    const h = harness([waiting, refused]);
    await h.outbox.start();
    await h.outbox.dismiss(waiting.idempotencyKey);
    await h.outbox.dismiss(refused.idempotencyKey);
    expect(h.outbox.list()).toEqual([waiting]);
  });
});
