import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY, evaluateClock, flightClocks, isCheckedBagTag, linkBagToFlight, passengerItems, passengersWithBags, targetsFor,
  type ClearanceFlight, type ClockInput, type ClockState, type PassengerBag, type WorkItem,
} from './clearance.ts';

const MIN = 60_000;
const ON_BLOCK = Date.parse('2025-06-01T06:00:00Z');
const at = (minutes: number) => ON_BLOCK + minutes * MIN;

const flight = (over: Partial<ClearanceFlight> = {}): ClearanceFlight => ({
  scheduledOnBlock: ON_BLOCK, passengers: 300, checkedBags: 450, cabinBags: 330, ...over,
});

/** `count` items done one every 60/perMin seconds from minute `from`; the rest of `total` waiting since `from`. */
function workAt(perMin: number, from: number, total: number, now: number): WorkItem[] {
  const items: WorkItem[] = [];
  for (let i = 0; i < total; i++) {
    const doneAt = at(from) + (i * MIN) / perMin;
    items.push(doneAt <= now ? { state: 'done', startedAt: at(from), doneAt } : { state: 'waiting', startedAt: at(from) });
  }
  return items;
}

const bagClock = (items: readonly WorkItem[], now: number, over: Partial<ClockInput> = {}) =>
  evaluateClock({ declared: 450, items, startsAt: ON_BLOCK, onBlockAssumed: false, targetMinutes: 20, now, ...over });

/** The clock's state every 10 s from on-block until `until` minutes. */
function timeline(perMin: number, from: number, total: number, until: number): { t: number; state: ClockState; done: number }[] {
  const out: { t: number; state: ClockState; done: number }[] = [];
  for (let now = at(0); now <= at(until); now += 10_000) {
    const c = bagClock(workAt(perMin, from, total, now), now, { declared: total });
    out.push({ t: now, state: c.state, done: c.done });
  }
  return out;
}

describe('targets', () => {
  it('defaults to 30 minutes for passengers and 20 for checked bags, whatever the size', () => {
    expect(targetsFor({ passengers: 300 })).toEqual({ passengersMinutes: 30, checkedBagsMinutes: 20 });
    expect(targetsFor({ passengers: 450 })).toEqual({ passengersMinutes: 30, checkedBagsMinutes: 20 });
  });

  it('takes the flight\'s own targets, and the airport\'s size rule when it has one', () => {
    expect(targetsFor({ passengers: 300, targets: { checkedBagsMinutes: 15 } })).toEqual({ passengersMinutes: 30, checkedBagsMinutes: 15 });
    const scaled = { ...DEFAULT_POLICY, scalePassengersTargetAbove: 300 };
    expect(targetsFor({ passengers: 450 }, scaled).passengersMinutes).toBe(45);
    expect(targetsFor({ passengers: 120 }, scaled).passengersMinutes).toBe(30);
    expect(targetsFor({ passengers: 450, targets: { passengersMinutes: 40 } }, scaled).passengersMinutes).toBe(40);
  });
});

describe('clock states', () => {
  it('is arriving before on-block with no bag seen', () => {
    const c = flightClocks(flight({ estimatedOnBlock: at(10) }), { checkedBags: [], cabinBags: [] }, at(5));
    expect(c.checkedBags.state).toBe('arriving');
    expect(c.checkedBags.startsAt).toBe(at(10));
    expect(c.checkedBags.deadline).toBe(at(30));
    expect(c.passengers.deadline).toBe(at(40));
    expect(c.checkedBags.onBlockAssumed).toBe(true);
  });

  it('starts at the first bag when it comes before the estimate, and at the reported on-block when there is one', () => {
    const bag: WorkItem = { state: 'waiting', startedAt: at(3) };
    const early = flightClocks(flight({ estimatedOnBlock: at(10) }), { checkedBags: [bag], cabinBags: [] }, at(4));
    expect(early.checkedBags).toMatchObject({ state: 'in-progress', startsAt: at(3), onBlockAssumed: true, started: 1 });
    const reported = flightClocks(flight({ estimatedOnBlock: at(10), actualOnBlock: at(1) }), { checkedBags: [bag], cabinBags: [] }, at(4));
    expect(reported.checkedBags).toMatchObject({ startsAt: at(1), onBlockAssumed: false });
  });

  it('is cleared once every item is done, saying whether on target', () => {
    const onTime = bagClock(workAt(30, 1, 450, at(60)), at(60));
    expect(onTime).toMatchObject({ state: 'cleared', metTarget: true, remaining: 0 });
    expect(onTime.clearedAt).toBe(at(1) + (449 * MIN) / 30);
    const late = bagClock(workAt(15, 1, 450, at(60)), at(60));
    expect(late).toMatchObject({ state: 'cleared', metTarget: false });
    expect(bagClock([], at(1), { declared: 0 })).toMatchObject({ state: 'cleared', clearedAt: ON_BLOCK, metTarget: true });
  });

  it('is breached past the deadline with work left', () => {
    expect(bagClock(workAt(15, 1, 450, at(21)), at(21)).state).toBe('breached');
  });

  it('counts every bag seen, beyond the declared figure, and does not count held bags as done', () => {
    const items: WorkItem[] = [
      ...Array.from({ length: 5 }, (): WorkItem => ({ state: 'done', startedAt: at(1), doneAt: at(2) })),
      { state: 'held', startedAt: at(1) },
      { state: 'screening', startedAt: at(1) },
    ];
    const c = bagClock(items, at(3), { declared: 4 });
    expect(c).toMatchObject({ total: 7, started: 7, done: 5, held: 1, remaining: 2 });
    expect(c.state).not.toBe('cleared');
  });
});

describe('at-risk', () => {
  it('fires long before the breach on a steady but too slow flight, and stays on', () => {
    // 450 bags at 18 a minute from minute 2: done at minute 27, deadline at minute 20.
    const line = timeline(18, 2, 450, 21);
    const first = line.findIndex((p) => p.state === 'at-risk');
    expect(first).toBeGreaterThan(-1);
    const flagged = line[first];
    if (!flagged) return;
    expect(flagged.t).toBeLessThan(at(5)); // a quarter of the way in, with 15 minutes to act
    expect(flagged.done).toBeLessThan(100);
    const after = line.slice(first).map((p) => p.state);
    expect(after.every((s) => s === 'at-risk' || s === 'breached')).toBe(true);
    expect(after.at(-1)).toBe('breached');
  });

  it('fires before the breach on a flight that is slightly too slow', () => {
    // 450 at 21 a minute from minute 1: done at minute 22.4, two and a half minutes late.
    const line = timeline(21, 1, 450, 21);
    const first = line.find((p) => p.state === 'at-risk');
    expect(first && first.t < at(12)).toBe(true);
  });

  it('never fires on a flight that keeps a comfortable pace', () => {
    // 30 a minute from minute 1: done at minute 16, four minutes early.
    const line = timeline(30, 1, 450, 17);
    expect(line.filter((p) => p.state === 'at-risk')).toEqual([]);
    expect(line.at(-1)?.state).toBe('cleared');
  });

  it('fires when screening stops', () => {
    // On pace until minute 6, then nothing.
    const items = workAt(30, 1, 450, at(6));
    expect(bagClock(items, at(6)).state).toBe('in-progress');
    // Two idle minutes are enough to show that the rest cannot be done in time.
    expect(bagClock(items, at(8)).state).toBe('at-risk');
  });

  it('fires when nothing is done a quarter of the target after on-block', () => {
    const waiting = Array.from({ length: 50 }, (): WorkItem => ({ state: 'waiting', startedAt: at(1) }));
    expect(bagClock(waiting, at(4)).state).toBe('in-progress');
    const c = bagClock(waiting, at(5));
    expect(c.state).toBe('at-risk');
    expect(c.atRiskReason).toMatch(/too little done/);
  });

  it('fires on a random (seeded Poisson) flight that is too slow, before the breach', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const items: WorkItem[] = [];
    let t = at(2);
    for (let i = 0; i < 450; i++) {
      t += (-Math.log(1 - random()) * MIN) / 19; // 19 a minute on average: 23.7 minutes of work
      items.push({ state: 'done', startedAt: at(2), doneAt: t });
    }
    let flaggedAt: number | null = null;
    for (let now = at(0); now <= at(20) && flaggedAt === null; now += 10_000) {
      const view = items.map((it): WorkItem => ((it.doneAt ?? 0) <= now ? it : { state: 'waiting', startedAt: it.startedAt }));
      if (bagClock(view, now).state === 'at-risk') flaggedAt = now;
    }
    expect(flaggedAt).not.toBeNull();
    expect((flaggedAt ?? Infinity) < at(10)).toBe(true);
  });
});

describe('passengers, through their cabin bags', () => {
  it('reports passengers in proportion to cabin bags done, rounding down, and all once cleared', () => {
    const cabin = (done: number, total: number): WorkItem[] =>
      Array.from({ length: total }, (_, i): WorkItem => (i < done ? { state: 'done', startedAt: at(1), doneAt: at(2) } : { state: 'waiting', startedAt: at(1) }));
    const f = flight({ passengers: 300, cabinBags: 330 });
    const half = flightClocks(f, { checkedBags: [], cabinBags: cabin(165, 330) }, at(3));
    expect(half.passengers).toMatchObject({ passengersTotal: 300, passengersDone: 150, total: 330, done: 165 });
    expect(flightClocks(f, { checkedBags: [], cabinBags: cabin(329, 330) }, at(3)).passengers.passengersDone).toBe(299);
    expect(flightClocks(f, { checkedBags: [], cabinBags: cabin(330, 330) }, at(3)).passengers).toMatchObject({ state: 'cleared', passengersDone: 300 });
  });

  it('clears at once a flight without passengers', () => {
    expect(flightClocks(flight({ passengers: 0 }), { checkedBags: [], cabinBags: [] }, at(1)).passengers.state).toBe('cleared');
  });
});

describe('passengers, through the manifest', () => {
  const bag = (passengerRef: string, item: WorkItem): PassengerBag => ({ passengerRef, item });
  const done = (minute: number, seen = 1): WorkItem => ({ state: 'done', startedAt: at(seen), doneAt: at(minute) });
  // A: two bags; B: one bag; C: three bags; D: no bags (nothing to screen).
  const perPassenger = new Map([['A', 2], ['B', 1], ['C', 3], ['D', 0]]);

  it('starts a passenger at their first bag and finishes them with their last bag done', () => {
    const items = passengerItems(perPassenger, [
      bag('A', done(3, 1)), bag('A', done(5, 2)), // both done: A done at minute 5
      bag('B', { state: 'screening', startedAt: at(4) }),
      bag('C', done(6, 2)), // one of three seen: C waits for the others
      bag('X', done(2)), // not on the manifest: left out
    ]);
    expect(items).toEqual([
      { state: 'done', startedAt: at(1), doneAt: at(5) },
      { state: 'screening', startedAt: at(4) },
      { state: 'waiting', startedAt: at(2) },
    ]);
    expect(passengersWithBags(perPassenger)).toBe(3);
  });

  it('holds a passenger while a bag is at the search station, and lets them go with its outcome', () => {
    const held = passengerItems(perPassenger, [bag('B', { state: 'held', startedAt: at(1) })]);
    expect(held).toEqual([{ state: 'held', startedAt: at(1) }]);
    const searched = passengerItems(perPassenger, [bag('B', done(9))]);
    expect(searched).toEqual([{ state: 'done', startedAt: at(1), doneAt: at(9) }]);
    // One bag cleared, the other at search: still held.
    expect(passengerItems(perPassenger, [bag('A', done(3)), bag('A', { state: 'held', startedAt: at(1) })])[0]?.state).toBe('held');
  });

  it('runs the passengers\' clock on real passengers, not the cabin-bag estimate', () => {
    const f = flight({ passengers: 300, cabinBags: 330 });
    const items = passengerItems(perPassenger, [bag('A', done(3)), bag('A', done(4)), bag('B', done(5)), bag('C', done(6))]);
    const clocks = flightClocks(f, { checkedBags: [], cabinBags: [done(2)], passengers: { total: passengersWithBags(perPassenger), items } }, at(10));
    expect(clocks.passengers).toMatchObject({ countedBy: 'manifest', passengersTotal: 3, passengersDone: 2, total: 3, done: 2, held: 0, remaining: 1 });
    const all = passengerItems(perPassenger, [bag('A', done(3)), bag('A', done(4)), bag('B', done(5)), bag('C', done(6)), bag('C', done(7)), bag('C', done(8))]);
    const cleared = flightClocks(f, { checkedBags: [], cabinBags: [], passengers: { total: 3, items: all } }, at(10)).passengers;
    expect(cleared).toMatchObject({ state: 'cleared', clearedAt: at(8), metTarget: true, passengersDone: 3 });
    expect(flightClocks(f, { checkedBags: [], cabinBags: [] }, at(10)).passengers.countedBy).toBe('cabin-bags');
  });
});

describe('bags and flights', () => {
  it('tells checked bags (IATA licence plates) from cabin bags', () => {
    expect(isCheckedBagTag('0999123456')).toBe(true);
    expect(isCheckedBagTag('L2-0042')).toBe(false);
    expect(isCheckedBagTag('099912345')).toBe(false);
  });

  it('links a bag to the flight with its number that arrived last before the scan', () => {
    const day = 24 * 60 * MIN;
    const flights = [{ key: 'CA981/2025-05-31', startsAt: ON_BLOCK - day }, { key: 'CA981/2025-06-01', startsAt: ON_BLOCK }, { key: 'CA981/2025-06-02', startsAt: ON_BLOCK + day }];
    expect(linkBagToFlight(at(10), flights)).toBe('CA981/2025-06-01');
    expect(linkBagToFlight(at(-30), flights)).toBe('CA981/2025-06-01'); // early, within two hours
    expect(linkBagToFlight(at(-300), flights)).toBe('CA981/2025-05-31');
    expect(linkBagToFlight(at(10), [])).toBeNull();
    expect(linkBagToFlight(ON_BLOCK + 2 * day, flights.slice(0, 1))).toBeNull();
  });
});
