import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlightUpsert, type ScanSubmit } from '@clearway/protocol';
import { Store } from './index.ts';

let store: Store;
beforeEach(async () => {
  store = Store.open(':memory:');
  await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  await store.identity.createOfficer({ id: 'anna', name: 'Anna Kowalski', role: 'screening-officer', password: 'battery staple' });
  await store.identity.createOfficer({ id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' });
});
afterEach(async () => { await store.close(); });

const T0 = Date.parse('2025-06-01T02:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function scan(over: Partial<ScanSubmit> = {}): ScanSubmit {
  return {
    scanId: randomUUID(), lane: 'lane-2', flight: 'CA982', bagTag: '0999123456', scannedAt: at(0).toISOString(),
    views: [{ view: 'top', width: 4, height: 2, encoding: 'single-energy-u16le', high: new Uint8Array(16) }], ...over,
  };
}

function decide(bagId: string, officerId: string, verdict: 'clear' | 'search', minute: number) {
  const a = store.screening.assign(bagId, officerId, at(minute - 0.5));
  const r = store.screening.recordDecision(officerId, { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict, shownAt: at(minute - 0.4).toISOString(), decidedAt: at(minute).toISOString() }, at(minute));
  if (!r.ok) throw new Error(r.message);
}

describe('FlightDetailRepository', () => {
  it('lists a flight number\'s bags in a time window with assignment, first decision and search outcome', () => {
    const waiting = store.screening.storeScan('scanner-1', scan({ bagTag: '0999000001', lane: 'lane-1' }), at(1)).bagId;
    const onScreen = store.screening.storeScan('scanner-1', scan({ bagTag: '0999000002' }), at(2)).bagId;
    const cleared = store.screening.storeScan('scanner-1', scan({ bagTag: 'C-17' }), at(3)).bagId;
    const searched = store.screening.storeScan('scanner-1', scan({ bagTag: '0999000004' }), at(4)).bagId;
    store.screening.storeScan('scanner-1', scan({ flight: 'MU574' }), at(4)); // another flight
    store.screening.storeScan('scanner-1', scan(), at(200)); // outside the window
    store.screening.assign(onScreen, 'anna', at(2.5));
    decide(cleared, 'li.wei', 'clear', 5);
    decide(searched, 'anna', 'search', 6);
    const o = store.search.recordOutcome('zhang', { idempotencyKey: randomUUID(), bagId: searched, outcome: 'nothing-found' }, at(9));
    expect(o.ok).toBe(true);

    const bags = store.flightDetail.bagsOfFlightNumber('CA982', at(0), at(60));
    expect(bags.map((b) => b.bagId)).toEqual([waiting, onScreen, cleared, searched]);
    expect(bags[0]).toEqual({
      bagId: waiting, bagTag: '0999000001', lane: 'lane-1', receivedAt: at(1).toISOString(), firstAssignedAt: null, screeningOfficer: null, decision: null, search: null, selectedForSearch: false,
    });
    expect(bags[1]).toMatchObject({ firstAssignedAt: at(2.5).toISOString(), screeningOfficer: 'anna', decision: null });
    expect(bags[2]).toMatchObject({ bagTag: 'C-17', screeningOfficer: null, decision: { verdict: 'clear', officerId: 'li.wei', storedAt: at(5).toISOString(), madeBy: 'officer' } });
    expect(bags[3]).toMatchObject({ decision: { verdict: 'search', officerId: 'anna' }, search: { outcome: 'nothing-found', storedAt: at(9).toISOString() } });
  });

  it('gives officers\' decision times after the last one seen, and the report data of a flight', () => {
    store.flights.upsert('feed-1', FlightUpsert.parse({ arrivals: [{ flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: at(0).toISOString(), passengers: 3, checkedBags: 2, cabinBags: 2 }] }), at(-60));
    const a = store.screening.storeScan('scanner-1', scan(), at(1)).bagId;
    const b = store.screening.storeScan('scanner-1', scan({ flight: 'MU574' }), at(1)).bagId;
    decide(a, 'li.wei', 'clear', 2);
    decide(b, 'anna', 'clear', 3);

    const all = store.flightDetail.decisionTimings(0, at(0));
    expect(all.map((d) => [d.officerId, d.decidedAt])).toEqual([['li.wei', at(2).toISOString()], ['anna', at(3).toISOString()]]);
    expect(store.flightDetail.decisionTimings(all[0]?.seq ?? 0, at(0)).map((d) => d.officerId)).toEqual(['anna']);
    expect(store.flightDetail.decisionTimings(0, at(2.5)).map((d) => d.officerId)).toEqual(['anna']);

    const data = store.flightDetail.reportData('CA982/2025-06-01', at(-120), at(24 * 60));
    expect(data?.flight).toMatchObject({ key: 'CA982/2025-06-01', passengers: 3 });
    expect(data?.sameNumber.map((f) => f.key)).toEqual(['CA982/2025-06-01']);
    expect(data?.bags.map((x) => x.bagId)).toEqual([a]);
    expect(data?.feed.map((h) => h.kind)).toEqual(['arrival']);
    // Every officer deciding then, whatever the flight: who was at the screens.
    expect(data?.officerDecisions).toEqual([{ officerId: 'li.wei', at: at(2).toISOString() }, { officerId: 'anna', at: at(3).toISOString() }]);
    expect(store.flightDetail.reportData('CA999/2025-06-01', at(0), at(1))).toBeNull();
  });
});
