import { describeAdapterConformance } from '@clearway/device-core/conformance';
import { FlightArrival, FlightUpsert, serviceDateOf, type FlightUpsertInput } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import { AIRCRAFT } from './aircraft.ts';
import { SimulatedFlightFeed, simulateDay } from './simulator.ts';

const START = Date.parse('2025-06-01T00:00:00+08:00');

describeAdapterConformance('SimulatedFlightFeed', () => new SimulatedFlightFeed({ timeScale: Infinity, flights: 12, start: START, batchSize: 5 }), {
  request: 'flight:upsert',
  check: (message) => expect(FlightUpsert.parse(message).arrivals.length + FlightUpsert.parse(message).updates.length).toBeGreaterThan(0),
});

describe('simulateDay', () => {
  it('gives the same day for the same seed and start, and another for another seed', () => {
    const a = simulateDay({ seed: 7, start: START, flights: 40 });
    expect(simulateDay({ seed: 7, start: START, flights: 40 })).toEqual(a);
    expect(simulateDay({ seed: 8, start: START, flights: 40 }).arrivals).not.toEqual(a.arrivals);
  });

  it('writes valid arrivals with realistic figures', () => {
    const { arrivals } = simulateDay({ seed: 3, start: START, flights: 300, utcOffsetMinutes: 480 });
    expect(arrivals).toHaveLength(300);
    expect(new Set(arrivals.map((a) => a.flight)).size).toBe(300);
    let passengers = 0;
    let seats = 0;
    let checked = 0;
    for (const a of arrivals) {
      expect(FlightArrival.safeParse(a).success).toBe(true);
      expect(a.scheduledOnBlock).toMatch(/\+08:00$/);
      const t = Date.parse(a.scheduledOnBlock);
      expect(t).toBeGreaterThanOrEqual(START - 5 * 60_000);
      expect(t).toBeLessThanOrEqual(START + 24 * 3_600_000 + 5 * 60_000);
      const model = AIRCRAFT.find((m) => m.type === a.aircraft);
      if (!model) throw new Error(`unknown aircraft ${a.aircraft}`);
      expect(a.passengers).toBeLessThanOrEqual(model.seats[1]);
      expect(a.checkedBags / a.passengers).toBeGreaterThanOrEqual(1.19);
      expect(a.checkedBags / a.passengers).toBeLessThanOrEqual(1.61);
      expect(a.cabinBags / a.passengers).toBeGreaterThanOrEqual(0.89);
      expect(a.cabinBags / a.passengers).toBeLessThanOrEqual(1.31);
      passengers += a.passengers;
      checked += a.checkedBags;
      seats += (model.seats[0] + model.seats[1]) / 2;
    }
    // Load factor around 82 %, 1.2–1.6 checked bags per passenger over the day.
    expect(passengers / seats).toBeGreaterThan(0.75);
    expect(passengers / seats).toBeLessThan(0.9);
    expect(checked / passengers).toBeGreaterThan(1.25);
    expect(checked / passengers).toBeLessThan(1.55);
    // Banks: more arrivals 07–10 local than 00–06.
    const localHour = (a: { scheduledOnBlock: string }) => Number(a.scheduledOnBlock.slice(11, 13));
    expect(arrivals.filter((a) => localHour(a) >= 7 && localHour(a) < 10).length).toBeGreaterThan(arrivals.filter((a) => localHour(a) < 3).length);
  });

  it('brings each flight its updates in time order: an estimate, maybe a stand, then on-block; or a cancellation', () => {
    const { arrivals, events } = simulateDay({ seed: 5, start: START, flights: 200 });
    for (let i = 1; i < events.length; i++) expect(events[i]?.at).toBeGreaterThanOrEqual(events[i - 1]?.at ?? 0);
    expect(new Set(events.map((e) => e.update.updateId)).size).toBe(events.length);
    let cancelled = 0;
    let delayedHalfHour = 0;
    let standChanges = 0;
    for (const a of arrivals) {
      const mine = events.filter((e) => e.update.flight === a.flight && e.update.date === serviceDateOf(a)).map((e) => e.update);
      expect(mine.length).toBeGreaterThan(0);
      if (mine[0]?.type === 'cancelled') {
        cancelled++;
        expect(mine).toHaveLength(1);
        continue;
      }
      expect(mine[0]?.type).toBe('delay');
      const last = mine.at(-1);
      expect(last?.type).toBe('on-block');
      if (last?.type !== 'on-block') continue;
      expect(Date.parse(last.at)).toBe(Date.parse(last.actualOnBlock));
      if (Date.parse(last.actualOnBlock) - Date.parse(a.scheduledOnBlock) > 30 * 60_000) delayedHalfHour++;
      standChanges += mine.filter((u) => u.type === 'stand').length;
    }
    expect(cancelled).toBeLessThan(12);
    expect(delayedHalfHour).toBeGreaterThan(10);
    expect(delayedHalfHour).toBeLessThan(100);
    expect(standChanges).toBeGreaterThan(5);
  });

  it('refuses options it cannot honour', () => {
    expect(() => simulateDay({ flights: -1 })).toThrow(RangeError);
    expect(() => simulateDay({ hours: 0 })).toThrow(RangeError);
    expect(() => new SimulatedFlightFeed({ timeScale: 0 })).toThrow(RangeError);
    expect(() => new SimulatedFlightFeed({ id: 'no spaces' })).toThrow(RangeError);
  });
});

describe('SimulatedFlightFeed', () => {
  it('publishes the schedule in batches, then every update once, in order', async () => {
    const feed = new SimulatedFlightFeed({ timeScale: Infinity, flights: 30, start: START, batchSize: 20, seed: 2 });
    const messages: FlightUpsertInput[] = [];
    await feed.start(async (m) => {
      messages.push(m);
    });
    expect(messages.slice(0, 2).map((m) => m.arrivals?.length)).toEqual([20, 10]);
    const updates = messages.slice(2).flatMap((m) => m.updates ?? []);
    expect(updates.map((u) => u.updateId)).toEqual(feed.day.events.map((e) => e.update.updateId));
  });

  it('sends each update when the simulated clock reaches it', async () => {
    // About three simulated hours a second: a few flights' updates over a second or two.
    const feed = new SimulatedFlightFeed({ timeScale: 10_000, flights: 4, hours: 1, start: START, seed: 9 });
    const received: { at: number; simulated: number }[] = [];
    const first = feed.day.events[0];
    if (!first) throw new Error('no events');
    await feed.start(async (m) => {
      for (const u of m.updates ?? []) received.push({ at: Date.parse(u.at), simulated: feed.simulatedNow() });
    });
    expect(received).toHaveLength(feed.day.events.length);
    // Never early: each was due by the simulated time it was sent.
    for (const r of received) expect(r.simulated).toBeGreaterThanOrEqual(r.at - 1000);
  });
});
