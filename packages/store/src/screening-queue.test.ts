// The screening repository's part in the queue: risk kept with the bag, first paint, time-limit
// search decisions, and the timings a decision keeps.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanSubmit } from '@clearway/protocol';
import { Store, TIME_LIMIT_REASON } from './index.ts';

const stores: Store[] = [];
afterEach(async () => { for (const s of stores.splice(0)) await s.close(); });

const scan = (over: Partial<ScanSubmit> = {}): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-4', flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 1, height: 1, encoding: 'single-energy-u16le', high: new Uint8Array([3, 0]) }],
  ...over,
});

function setup() {
  const s = Store.open(':memory:');
  stores.push(s);
  // Imported with a placeholder hash: nobody signs in here, and scrypt would only cost time.
  for (const id of ['li.wei', 'anna']) s.identity.importOfficer({ id, name: id, role: 'screening-officer', passwordHash: 'scrypt$32768$8$c2FsdA$a2V5' });
  return s;
}

describe('screening queue in the store', () => {
  it('keeps the bag\'s risk and lane for the waiting line, also after a withdrawal', () => {
    const s = setup();
    const risk = { score: 70, reasons: ['watch-list hit: +60', 'late check-in: +10'] };
    const { bagId } = s.screening.storeScan('scanner-1', scan({ risk }), new Date());
    expect(s.screening.waitingBags()).toMatchObject([{ bagId, lane: 'lane-4', flight: 'CA981', bagTag: '0999123456', risk }]);
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    expect(s.screening.waitingBags()).toEqual([]);
    s.screening.withdraw(a.assignmentId, 'officer went on break before the bag was shown', new Date());
    expect(s.screening.bag(bagId)?.risk).toEqual(risk);
    expect(s.screening.timedOutOfficers(bagId)).toEqual([]); // a break is not a time-out
  });

  it('records the first paint once, only for the officer who holds the bag', () => {
    const s = setup();
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    expect(s.screening.markShown('anna', a.assignmentId, 5, new Date())).toMatchObject({ ok: false, code: 'forbidden' });
    expect(s.screening.markShown('li.wei', randomUUID(), 5, new Date())).toMatchObject({ ok: false, code: 'not-found' });
    expect(s.screening.markShown('li.wei', a.assignmentId, 21, new Date())).toEqual({ ok: true, first: true });
    expect(s.screening.markShown('li.wei', a.assignmentId, 99, new Date())).toEqual({ ok: true, first: false });
    expect(s.screening.openAssignments()[0]?.shownAt).toBeDefined();
    const now = new Date().toISOString();
    const r = s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear', shownAt: now, decidedAt: now }, new Date());
    // The paint time comes from bag:shown when the decision carries none.
    expect(r).toMatchObject({ ok: true, decision: { paintMs: 21, assignedAt: a.assignedAt, madeBy: 'officer' } });
    expect(s.screening.decisionsForBag(bagId)).toMatchObject([{ paintMs: 21, assignedAt: a.assignedAt, madeBy: 'officer' }]);
  });

  it('sends an undecided bag to search once, closing the assignment so that a late decision is a conflict', () => {
    const s = setup();
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const a = s.screening.assign(bagId, 'li.wei', new Date(Date.now() - 40_000));
    const reason = `${TIME_LIMIT_REASON} (30 s) ran out: sent to search`;
    const d = s.screening.sendToSearch(a.assignmentId, reason, new Date());
    expect(d).toMatchObject({ verdict: 'search', madeBy: 'time-limit', officerId: 'li.wei', shownAt: a.assignedAt, assignedAt: a.assignedAt });
    expect(s.screening.sendToSearch(a.assignmentId, reason, new Date())).toBeNull();
    expect(s.screening.bag(bagId)?.state).toBe('decided');
    expect(s.screening.waitingBags()).toEqual([]);
    const now = new Date().toISOString();
    expect(s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear', shownAt: now, decidedAt: now }, new Date()))
      .toMatchObject({ ok: false, code: 'conflict' });
    expect(s.screening.decisionsForBag(bagId)).toHaveLength(1);
    expect(s.screening.unreportedDecisions('scanner-1')).toMatchObject([{ verdict: 'search', officer: { id: 'li.wei' } }]);
    expect(s.audit.verify().ok).toBe(true);
  });

  it('names the officers a bag timed out with, for giving it to someone else', () => {
    const s = setup();
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const first = s.screening.assign(bagId, 'li.wei', new Date());
    s.screening.withdraw(first.assignmentId, `${TIME_LIMIT_REASON} (30 s) ran out: given to another officer`, new Date());
    const second = s.screening.assign(bagId, 'anna', new Date());
    s.screening.withdraw(second.assignmentId, 'officer signed out', new Date());
    expect(s.screening.timedOutOfficers(bagId)).toEqual(['li.wei']);
  });
});
