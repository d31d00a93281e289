import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanSubmit, SearchOutcomeSubmit } from '@clearway/protocol';
import { Store } from './index.ts';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'clearway-search-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const scan = (): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-2', flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 4, height: 2, encoding: 'single-energy-u16le', high: new Uint8Array(16) }],
});

/** One bag screened by li.wei with the given verdict; returns its ID. */
function screened(store: Store, verdict: 'clear' | 'search', extra: { marks?: { view: 'top'; x: number; y: number; width: number; height: number }[]; note?: string } = {}) {
  const { bagId } = store.screening.storeScan('scanner-1', scan(), new Date());
  const a = store.screening.assign(bagId, 'li.wei', new Date());
  const now = new Date().toISOString();
  const r = store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict, shownAt: now, decidedAt: now, ...extra }, new Date());
  if (!r.ok) throw new Error(r.message);
  return bagId;
}

const outcome = (bagId: string, over: Partial<SearchOutcomeSubmit> = {}): SearchOutcomeSubmit => ({
  idempotencyKey: randomUUID(), bagId, outcome: 'other-contraband', note: 'undeclared cash', ...over,
});

async function officers(store: Store) {
  await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  await store.identity.createOfficer({ id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' });
}

describe('SearchRepository', () => {
  it('keeps marks, note and outcome across a restart, and a resent key stays a duplicate', async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    await officers(s1);
    const bagId = screened(s1, 'search', { marks: [{ view: 'top', x: 0.5, y: 0, width: 3.5, height: 2 }], note: 'look under the lining' });
    const o = outcome(bagId);
    const first = s1.search.recordOutcome('zhang', o, new Date());
    await s1.close();

    const s2 = Store.open(dir);
    expect(s2.screening.decisionsForBag(bagId)[0]).toMatchObject({ marks: [{ view: 'top', x: 0.5, y: 0, width: 3.5, height: 2 }], note: 'look under the lining' });
    const again = s2.search.recordOutcome('zhang', o, new Date());
    expect(first.ok && again.ok && again.duplicate && again.outcome.outcomeId === first.outcome.outcomeId).toBe(true);
    expect(s2.search.outcome(bagId)).toMatchObject({ outcome: 'other-contraband', note: 'undeclared cash', officerId: 'zhang' });
    expect(s2.search.flagged()).toEqual([]);
    await s2.close();
  });

  it('lists flagged bags oldest first, each until its outcome', async () => {
    const store = Store.open(':memory:');
    await officers(store);
    const a = screened(store, 'search');
    screened(store, 'clear');
    const b = screened(store, 'search', { note: 'second' });
    expect(store.search.flagged().map((f) => f.bag.bagId)).toEqual([a, b]);
    expect(store.search.flaggedBag(b)).toMatchObject({ note: 'second', marks: [], views: [{ view: 'top', width: 4, height: 2 }], consoleResults: [] });
    expect(store.search.recordOutcome('zhang', outcome(a), new Date()).ok).toBe(true);
    expect(store.search.flagged().map((f) => f.bag.bagId)).toEqual([b]);
    expect(store.search.flaggedBag(a)).toBeNull();
    await store.close();
  });

  it('refuses by the database too: a threat without its class never gets stored', async () => {
    const store = Store.open(':memory:');
    await officers(store);
    const bagId = screened(store, 'search');
    // The schema refuses this before the store sees it; the table's CHECK is the last line.
    expect(() => store.search.recordOutcome('zhang', outcome(bagId, { outcome: 'threat-found' }), new Date())).toThrow(/CHECK constraint/);
    expect(store.search.outcome(bagId)).toBeNull();
    expect(store.audit.tail(1)[0]?.type).toBe('decision.recorded'); // the failed outcome left no audit row behind
    await store.close();
  });

  it('counts the responses to projected threats as TIP records, and the decision on the bag itself as an ordinary one', async () => {
    const store = Store.open(':memory:');
    await officers(store);
    const plain = screened(store, 'clear');
    // A bag with a projected knife (tip.ts): the officer's search is the response, not a decision on the bag.
    const tipBox = { view: 'top' as const, x: 0, y: 0, width: 2, height: 1 };
    const { bagId: projected } = store.tip.storeScan('scanner-1', scan(), new Date(), {
      itemId: 'tip-knife-01', itemClass: 'knife', description: 'kitchen knife', pose: { quarterTurns: 0, mirrored: false }, boxes: [tipBox], original: new Uint8Array(4),
    });
    const a = store.screening.assign(projected, 'li.wei', new Date());
    const now = new Date().toISOString();
    store.tip.respond('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId: projected, verdict: 'search', shownAt: now, decidedAt: now }, () => true, new Date());
    const b = store.screening.assign(projected, 'li.wei', new Date());
    store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: b.assignmentId, bagId: projected, verdict: 'clear', shownAt: now, decidedAt: now }, new Date());
    const records = store.search.decisionRecords({ from: new Date(Date.now() - 60_000).toISOString() });
    expect(records.map((r) => [r.bagId, r.verdict, r.tipProjected])).toEqual([[plain, 'clear', false], [projected, 'clear', false], [projected, 'search', true]]);
    await store.close();
  });
});
