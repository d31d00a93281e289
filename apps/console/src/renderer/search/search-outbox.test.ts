// The outbox carries a search decision's marks and note, and search outcomes, unchanged: saved
// whole (localStorage or the Electron file, both through OutboxEntries), resent with their key.
import { describe, expect, it } from 'vitest';
import type { DecisionSubmit, SearchOutcomeSubmit } from '@clearway/protocol';
import { OutboxEntries } from '../../common/ipc.ts';
import { type OutboxEntry, DecisionOutbox, classifyReply, createEntry, createOutcomeEntry } from '../outbox.ts';
import { localStorageOutbox } from '../shell.ts';

const decision: DecisionSubmit = {
  idempotencyKey: '7d7c1f5e-8a59-4a39-9a51-0c6f0f0b2a11',
  assignmentId: '1f0b8d7e-2c41-4a55-8b1e-2f3c4d5e6f70',
  bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  verdict: 'search',
  shownAt: '2030-01-01T10:00:00.000Z',
  decidedAt: '2030-01-01T10:00:02.500Z',
  marks: [{ view: 'side', x: 12, y: 40, width: 30, height: 18 }],
  note: 'dense object under the laptop',
};
const outcome: SearchOutcomeSubmit = {
  idempotencyKey: '5c4b3a29-1807-4f6e-8d5c-4b3a29180706',
  bagId: '2a1b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  outcome: 'threat-found',
  threatClass: 'knife',
  note: 'folding knife, side pocket',
  recordedAt: '2030-01-01T10:06:00.000Z',
};

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('outbox with search marks and outcomes', () => {
  it('saves and loads both kinds whole; entries from before `kind` existed are decisions', async () => {
    const store = localStorageOutbox(memoryStorage());
    const entries: OutboxEntry[] = [
      createEntry({ officerId: 'li.wei', bagTag: '0999123456', payload: decision, createdAt: decision.decidedAt }),
      createOutcomeEntry({ officerId: 'zhang', bagTag: '0999123456', payload: outcome, createdAt: '2030-01-01T10:06:00.000Z' }),
    ];
    await store.save(entries);
    expect(await store.load()).toEqual(entries);
    const old = { ...entries[0], kind: undefined };
    expect(OutboxEntries.parse([old])[0]?.payload).toEqual(decision);
    expect(OutboxEntries.safeParse([{ ...entries[1], kind: 'decision' }]).success).toBe(false);
  });

  it('sends an outcome with search:outcome and settles on its reply, a duplicate included', async () => {
    const sent: { decisions: DecisionSubmit[]; outcomes: SearchOutcomeSubmit[] } = { decisions: [], outcomes: [] };
    const settled: string[] = [];
    const outbox = new DecisionOutbox({
      load: async () => [],
      save: async () => undefined,
      send: async (p) => {
        sent.decisions.push(p);
        return { ok: true, decisionId: '9e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0', duplicate: false, storedAt: '2030-01-01T10:00:03.000Z' };
      },
      sendSearchOutcome: async (p) => {
        sent.outcomes.push(p);
        return { ok: true, outcomeId: '0e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0', duplicate: true, storedAt: '2030-01-01T10:06:01.000Z' };
      },
      onSettled: (entry, result) => settled.push(`${entry.kind ?? 'decision'}:${result.kind}`),
    });
    await outbox.start();
    outbox.connected('zhang');
    await outbox.enqueue(createOutcomeEntry({ officerId: 'zhang', bagTag: '0999123456', payload: outcome, createdAt: '2030-01-01T10:06:00.000Z' }));
    await expect.poll(() => settled).toEqual(['search-outcome:stored']);
    expect(sent.outcomes).toEqual([outcome]);
    expect(sent.decisions).toEqual([]);
    expect(outbox.list()).toEqual([]);
  });

  it('reads a search:outcome reply, and keeps a refusal for the officer to see', () => {
    expect(classifyReply({ ok: true, outcomeId: '0e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0', duplicate: true, storedAt: '2030-01-01T10:06:01.000Z' }, 'search-outcome'))
      .toEqual({ kind: 'stored', decisionId: '0e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0', duplicate: true });
    expect(classifyReply({ ok: false, error: { code: 'conflict', message: 'the bag already has a search outcome' } }, 'search-outcome'))
      .toEqual({ kind: 'refused', code: 'conflict', message: 'the bag already has a search outcome' });
    // A decision reply is no answer to an outcome.
    expect(classifyReply({ ok: true, decisionId: '9e8d7c6b-5a49-4382-9716-a5b4c3d2e1f0', duplicate: false, storedAt: '2030-01-01T10:00:03.000Z' }, 'search-outcome').kind).toBe('retry');
  });
});
