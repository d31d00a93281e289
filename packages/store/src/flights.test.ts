import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlightUpsert, type FlightArrival, type FlightUpsertInput } from '@clearway/protocol';
import { Store } from './index.ts';

let store: Store;
beforeEach(() => { store = Store.open(':memory:'); });
afterEach(async () => { await store.close(); });

const arrival = (over: Partial<FlightArrival> = {}): FlightArrival => ({
  flight: 'CA982', origin: 'JFK', aircraft: 'B77W', scheduledOnBlock: '2025-06-01T05:50:00+08:00', stand: '215', gate: 'E15',
  passengers: 336, checkedBags: 502, cabinBags: 360, ...over,
});
const upsert = (batch: FlightUpsertInput, at = new Date()) => store.flights.upsert('feed-1', FlightUpsert.parse(batch), at);
const ref = { flight: 'CA982', date: '2025-06-01' };

describe('FlightRepository', () => {
  it('creates a flight keyed by number and service date, then tells unchanged from revised', () => {
    expect(upsert({ arrivals: [arrival()] }).arrivals).toEqual({ created: 1, changed: 0, unchanged: 0 });
    expect(store.flights.flight('CA982/2025-06-01')).toMatchObject({ key: 'CA982/2025-06-01', date: '2025-06-01', passengers: 336, cancelled: false, stand: '215' });
    expect(upsert({ arrivals: [arrival()] }).arrivals).toEqual({ created: 0, changed: 0, unchanged: 1 });
    const revised = upsert({ arrivals: [arrival({ passengers: 340, stand: undefined })] });
    expect(revised.arrivals).toEqual({ created: 0, changed: 1, unchanged: 0 });
    // Left out: kept.
    expect(store.flights.flight('CA982/2025-06-01')).toMatchObject({ passengers: 340, stand: '215' });
    const history = store.flights.history('CA982/2025-06-01');
    expect(history.map((h) => h.kind)).toEqual(['arrival', 'arrival']);
    expect(history[1]?.detail).toEqual({ passengers: [336, 340] });
  });

  it('applies delays, stand changes, on-block and cancellation, each update once', () => {
    upsert({ arrivals: [arrival()] });
    const delay = { type: 'delay', updateId: randomUUID(), ...ref, at: '2025-06-01T03:50:00+08:00', estimatedOnBlock: '2025-06-01T06:20:00+08:00' } as const;
    const stand = { type: 'stand', updateId: randomUUID(), ...ref, at: '2025-06-01T05:20:00+08:00', stand: '221', gate: 'E21' } as const;
    const onBlock = { type: 'on-block', updateId: randomUUID(), ...ref, at: '2025-06-01T06:18:00+08:00', actualOnBlock: '2025-06-01T06:18:00+08:00' } as const;
    const first = upsert({ updates: [delay, stand, onBlock] });
    expect(first.updates).toEqual({ applied: 3, duplicate: 0 });
    expect(first.changes.map((c) => c.change)).toEqual([
      { type: 'delay', estimatedOnBlock: delay.estimatedOnBlock },
      { type: 'stand', stand: '221', gate: 'E21', previousStand: '215' },
      { type: 'on-block', actualOnBlock: onBlock.actualOnBlock },
    ]);
    expect(store.flights.flight('CA982/2025-06-01')).toMatchObject({ estimatedOnBlock: delay.estimatedOnBlock, actualOnBlock: onBlock.actualOnBlock, stand: '221', gate: 'E21' });
    expect(upsert({ updates: [delay, stand] }).updates).toEqual({ applied: 0, duplicate: 2 });
    expect(store.flights.history('CA982/2025-06-01').map((h) => h.kind)).toEqual(['arrival', 'delay', 'stand', 'on-block']);
    upsert({ updates: [{ type: 'cancelled', updateId: randomUUID(), ...ref, at: '2025-06-01T04:00:00+08:00', reason: 'weather' }] });
    expect(store.flights.flight('CA982/2025-06-01')?.cancelled).toBe(true);
    // A later schedule import does not bring a cancelled flight back.
    upsert({ arrivals: [arrival({ passengers: 300 })] });
    expect(store.flights.flight('CA982/2025-06-01')).toMatchObject({ cancelled: true, passengers: 300 });
  });

  it('rejects updates for unknown flights and still applies the rest of the batch', () => {
    const result = upsert({
      arrivals: [arrival()],
      updates: [
        { type: 'delay', updateId: randomUUID(), flight: 'MU574', date: '2025-06-01', at: '2025-06-01T03:00:00Z', estimatedOnBlock: '2025-06-01T08:00:00Z' },
        { type: 'delay', updateId: randomUUID(), ...ref, at: '2025-06-01T03:00:00Z', estimatedOnBlock: '2025-06-01T06:00:00+08:00' },
      ],
    });
    expect(result.rejected).toEqual([{ kind: 'update', index: 0, reason: expect.stringMatching(/no flight MU574 on 2025-06-01/) as unknown as string }]);
    expect(result.updates.applied).toBe(1);
    expect(store.flights.flight('MU574/2025-06-01')).toBeNull();
  });

  it('finds flights by schedule and by number', () => {
    upsert({ arrivals: [arrival(), arrival({ flight: 'KE855', scheduledOnBlock: '2025-06-01T06:30:00+08:00' }), arrival({ scheduledOnBlock: '2025-06-02T05:50:00+08:00' })] });
    const t = Date.parse('2025-06-01T05:00:00+08:00');
    expect(store.flights.flightsScheduledBetween(t, t + 2 * 3_600_000).map((f) => f.key)).toEqual(['CA982/2025-06-01', 'KE855/2025-06-01']);
    expect(store.flights.flightsByNumber('CA982').map((f) => f.key)).toEqual(['CA982/2025-06-01', 'CA982/2025-06-02']);
  });

  it('lists a flight number\'s bags with their first decision', async () => {
    await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    const view = { view: 'top' as const, width: 1, height: 1, encoding: 'dual-energy-u16le' as const, low: new Uint8Array(2), high: new Uint8Array(2) };
    const scan = (bagTag: string, flight = 'CA982') => ({ scanId: randomUUID(), lane: 'lane-1', flight, bagTag, scannedAt: new Date().toISOString(), views: [view] });
    const since = new Date(Date.now() - 1000);
    const { bagId } = store.screening.storeScan('scanner-1', scan('0999000001'), new Date());
    store.screening.storeScan('scanner-1', scan('0999000002'), new Date());
    store.screening.storeScan('scanner-1', scan('0999000003', 'KE855'), new Date());
    const a = store.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'search', shownAt: now, decidedAt: now }, new Date());
    const bags = store.flights.bagsOfFlightNumber('CA982', since);
    expect(bags.map((b) => [b.bagTag, b.state, b.verdict])).toEqual([['0999000001', 'decided', 'search'], ['0999000002', 'waiting', null]]);
    expect(bags[0]?.decidedAt).not.toBeNull();
    expect(store.flights.bag(bagId)?.verdict).toBe('search');
    expect(store.flights.bagsOfFlightNumber('CA982', new Date(Date.now() + 60_000))).toEqual([]);
  });
});
