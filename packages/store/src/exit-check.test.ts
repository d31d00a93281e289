import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlightManifest, type ScanSubmit } from '@clearway/protocol';
import { Store } from './index.ts';

const scan = (bagTag: string): ScanSubmit => ({
  scanId: randomUUID(), lane: 'hbs-1', flight: 'CA932', bagTag, scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 4, height: 2, encoding: 'single-energy-u16le', high: new Uint8Array(16) }],
});

async function setUp() {
  const s = Store.open(':memory:');
  await s.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  await s.identity.createOfficer({ id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' });
  s.manifests.ingest('feed-1', FlightManifest.parse({
    flight: 'CA932', date: '2025-06-01',
    passengers: [
      { passengerRef: 'ZX4K2P-1', name: 'WANG/FANG', origin: 'FRA', route: ['FRA', 'PVG'], bagTags: ['0999000001', '0999000003', 'CA932-C1'] },
      { passengerRef: 'QW7T9R-1', origin: 'FRA', route: ['FRA', 'PVG'], bagTags: ['0999000002'] },
    ],
  }));
  const decide = (bagTag: string, verdict: 'clear' | 'search', extra: { note?: string; marks?: { view: 'top'; x: number; y: number; width: number; height: number }[] } = {}) => {
    const bagId = s.screening.storeScan('hbs-1', scan(bagTag), new Date()).bagId;
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    const d = s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict, shownAt: now, decidedAt: now, ...extra }, new Date());
    if (!d.ok) throw new Error(d.message);
    return bagId;
  };
  return { s, decide };
}

describe('ExitCheckRepository', () => {
  it('lists flagged checked bags only, with the manifest\'s passenger and the screener\'s note and marks', async () => {
    const { s, decide } = await setUp();
    const flagged = decide('0999000001', 'search', { note: 'dense block', marks: [{ view: 'top', x: 0, y: 0, width: 2, height: 1 }] });
    decide('0999000002', 'clear'); // cleared: nobody to stop
    decide('CA932-C1', 'search'); // a cabin bag: its passenger is at the checkpoint, not at reclaim
    const unknown = decide('0999000099', 'search'); // on no manifest
    const list = s.exitCheck.flaggedCheckedBags(new Date(0));
    expect(list.map((b) => b.bagTag)).toEqual(['0999000001', '0999000099']);
    expect(list[0]).toMatchObject({
      bagId: flagged, flight: 'CA932', sources: ['screener'], screenerNote: 'dense block', marks: 1, riskReasons: [],
      passenger: { ref: 'ZX4K2P-1', name: 'WANG/FANG' }, directedAt: null, outcome: null, outcomeAt: null,
    });
    expect(list[1]).toMatchObject({ bagId: unknown, passenger: null });
    await s.close();
  });

  it('marks a passenger directed once (audited), then the search outcome closes the bag; old searched bags drop off', async () => {
    const { s, decide } = await setUp();
    const a = decide('0999000001', 'search');
    const b = decide('0999000003', 'search');
    const cleared = decide('0999000002', 'clear');
    const at = new Date();
    expect(s.exitCheck.direct('zhang', [a, b, cleared], at)).toEqual({ marked: [a, b], flagged: 2 });
    expect(s.exitCheck.direct('zhang', [a], new Date())).toEqual({ marked: [], flagged: 1 }); // already directed
    expect(s.exitCheck.flaggedCheckedBag(a)?.directedAt).toBe(at.getTime());
    const audited = s.audit.tail(20).filter((r) => r.type === 'exit-check.directed');
    expect(audited.map((r) => r.subjectId)).toEqual([a, b]);
    expect(JSON.parse(audited[0]?.payload ?? '{}')).toMatchObject({ bagTag: '0999000001', flight: 'CA932', passengerRef: 'ZX4K2P-1' });

    const o = s.search.recordOutcome('zhang', { idempotencyKey: randomUUID(), bagId: a, outcome: 'nothing-found' }, new Date());
    expect(o.ok).toBe(true);
    expect(s.exitCheck.flaggedCheckedBag(a)).toMatchObject({ outcome: 'nothing-found' });
    expect(s.exitCheck.direct('zhang', [a], new Date())).toEqual({ marked: [], flagged: 1 }); // searched already
    // Searched bags are listed only since the given time; open ones always.
    expect(s.exitCheck.flaggedCheckedBags(new Date(Date.now() + 60_000)).map((x) => x.bagId)).toEqual([b]);
    expect(s.audit.verify().ok).toBe(true);
    await s.close();
  });
});
