import { describe, expect, it } from 'vitest';
import {
  bagsOfFlight, buildFlightReport, flightReportCsv,
  type FlightReportInput, type ReportBagInput, type ReportFlightInput,
} from './flight-report.ts';

const MIN = 60_000;
const ON_BLOCK = Date.parse('2025-06-01T02:00:00Z');
const at = (minutes: number) => new Date(ON_BLOCK + minutes * MIN).toISOString();
const ms = (minutes: number) => ON_BLOCK + minutes * MIN;

const FLIGHT: ReportFlightInput = {
  key: 'CA982/2025-06-01', flight: 'CA982', date: '2025-06-01', origin: 'JFK', aircraft: 'B77W',
  scheduledOnBlock: at(-10), actualOnBlock: at(0), stand: '215', passengers: 10, checkedBags: 20, cabinBags: 10, cancelled: false,
};

let n = 0;
interface BagPlan {
  checked?: boolean;
  lane?: string;
  seen: number;
  /** Minutes after on-block the officer got it and decided; null: still waiting. */
  assigned?: number | null;
  decided?: number | null;
  officer?: string;
  verdict?: 'clear' | 'search';
  madeBy?: 'officer' | 'time-limit';
  searchAt?: number | null;
}

function bag(p: BagPlan): ReportBagInput {
  n++;
  const decided = p.decided ?? null;
  return {
    bagId: `bag-${n}`, bagTag: p.checked === false ? `C-${n}` : `0999${String(n).padStart(6, '0')}`, lane: p.lane ?? 'lane-1', receivedAt: at(p.seen),
    firstAssignedAt: p.assigned === undefined ? (decided === null ? null : at(Math.max(p.seen, decided - 0.3))) : p.assigned === null ? null : at(p.assigned),
    screeningOfficer: null,
    decision: decided === null ? null : { verdict: p.verdict ?? 'clear', officerId: p.officer ?? 'li.wei', storedAt: at(decided), madeBy: p.madeBy ?? 'officer' },
    search: p.searchAt === undefined || p.searchAt === null ? null : { outcome: 'nothing-found', storedAt: at(p.searchAt) },
  };
}

function input(bags: ReportBagInput[], over: Partial<FlightReportInput> = {}): FlightReportInput {
  return {
    flight: FLIGHT, sameNumber: [FLIGHT], bags,
    feed: [
      { kind: 'arrival', detail: {}, at: null, receivedAt: at(-300) },
      { kind: 'delay', detail: { estimatedOnBlock: at(0) }, at: at(-120), receivedAt: at(-120) },
      { kind: 'on-block', detail: { actualOnBlock: at(0) }, at: at(0), receivedAt: at(0.1) },
    ],
    officerDecisions: bags.flatMap((b) => (b.decision && b.decision.madeBy === 'officer' ? [{ officerId: b.decision.officerId, at: b.decision.storedAt }] : [])),
    ...over,
  };
}

/** 20 checked and 10 cabin bags over 5 minutes on two lanes, two officers done by minute 12. */
function onTime(): ReportBagInput[] {
  const bags: ReportBagInput[] = [];
  for (let i = 0; i < 20; i++) bags.push(bag({ seen: 1 + i * 0.25, decided: 2 + i * 0.5, lane: i % 2 ? 'lane-2' : 'lane-1', officer: i % 2 ? 'anna.k' : 'li.wei' }));
  for (let i = 0; i < 10; i++) bags.push(bag({ checked: false, seen: 1 + i * 0.4, decided: 3 + i * 0.8, lane: 'lane-2', officer: 'anna.k' }));
  return bags;
}

describe('flight report: a flight cleared on time', () => {
  const report = buildFlightReport(input(onTime()), { now: ms(60) });

  it('says when each clock cleared against its target, with no breach and no cause', () => {
    expect(report.complete).toBe(true);
    expect(report.onBlock).toBe(at(0));
    expect(report.clocks.checkedBags).toMatchObject({ state: 'cleared', targetMinutes: 20, total: 20, done: 20, clearedAt: at(11.5), minutesToClear: 11.5, metTarget: true, breachedAt: null });
    expect(report.clocks.passengers).toMatchObject({ state: 'cleared', targetMinutes: 30, total: 10, done: 10, clearedAt: at(10.2), metTarget: true });
    expect(report.breaches).toEqual([]);
    expect(report.causes).toEqual([]);
    expect(report.bags).toEqual({ total: 30, checked: 20, cabin: 10, cleared: 30, searched: 0, timeLimit: 0, open: 0, searchOpen: 0 });
  });

  it('lists the timeline in time order: schedule, estimate, on-block, bags, clearing', () => {
    expect(report.timeline.map((e) => e.kind)).toEqual(['delay', 'scheduled', 'on-block', 'first-bag', 'last-bag', 'cleared', 'cleared']);
    const times = report.timeline.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(report.timeline.find((e) => e.kind === 'cleared' && e.clock === 'checkedBags')?.text).toBe('checked bags: cleared in 11.5 min (target 20)');
  });

  it('counts throughput in 5-minute buckets from on-block to clearing', () => {
    expect(report.throughput.map((b) => b.from)).toEqual([at(0), at(5), at(10)]);
    expect(report.throughput.reduce((s, b) => s + b.arrived, 0)).toBe(30);
    expect(report.throughput.reduce((s, b) => s + b.decided, 0)).toBe(30);
    expect(report.throughput[0]).toMatchObject({ officers: 2, checkedRemaining: 14 });
    expect(report.throughput[2]).toMatchObject({ checkedRemaining: 0, cabinRemaining: 0 });
  });

  it('is the same report at any later time once cleared, but for when it was made', () => {
    const later = buildFlightReport(input(onTime()), { now: ms(600) });
    expect({ ...later, generatedAt: '' }).toEqual({ ...report, generatedAt: '' });
  });
});

describe('flight report: a breach and its likely causes', () => {
  // 100 checked bags on three lanes in the first 10 minutes; lane-3 stops before minute 3. One
  // officer decides a bag every 40 s: far too slow for 20 minutes.
  function slow(): ReportBagInput[] {
    const bags: ReportBagInput[] = [];
    let t = 0.5;
    for (let i = 0; i < 100; i++) {
      const lane = i < 9 ? ['lane-1', 'lane-2', 'lane-3'][i % 3] ?? 'lane-1' : i % 2 ? 'lane-2' : 'lane-1';
      const seen = i < 9 ? 0.3 * (i + 1) : 3 + ((i - 9) * 7) / 91;
      t = Math.max(t, seen) + 2 / 3;
      bags.push(bag({ seen, decided: t, lane }));
    }
    return bags;
  }
  const flight = { ...FLIGHT, checkedBags: 100, passengers: 0, cabinBags: 0 };
  const report = buildFlightReport(input(slow(), { flight, sameNumber: [flight] }), { now: ms(90) });

  it('reports the breach: late by how much, how many left at the deadline', () => {
    const c = report.clocks.checkedBags;
    expect(c).toMatchObject({ state: 'cleared', metTarget: false, breachedAt: at(20) });
    expect(report.breaches).toHaveLength(1);
    const b = report.breaches[0];
    expect(b?.clock).toBe('checkedBags');
    expect(b?.lateMinutes).toBeCloseTo((Date.parse(c.clearedAt ?? '') - ms(20)) / MIN, 1);
    // 1.5 bags a minute from minute 0.5: about 70 left at 20 minutes.
    expect(b?.remainingAtDeadline).toBeGreaterThan(65);
    expect(b?.remainingAtDeadline).toBeLessThan(75);
  });

  it('raised at risk well before the breach', () => {
    const risk = report.timeline.find((e) => e.kind === 'at-risk');
    expect(risk).toBeDefined();
    expect(Date.parse(report.clocks.checkedBags.atRiskAt ?? '')).toBeLessThan(ms(10));
    const kinds = report.timeline.filter((e) => e.clock === 'checkedBags').map((e) => e.kind);
    expect(kinds.indexOf('at-risk')).toBeLessThan(kinds.indexOf('breached'));
  });

  it('names the understaffing with officers against the rate the deadline needed', () => {
    const short = report.causes.find((c) => c.kind === 'understaffed');
    expect(short).toBeDefined();
    expect(short?.values['officers']).toBe(1);
    expect(Number(short?.values['needed'])).toBeGreaterThan(1);
    expect(short?.text).toMatch(/^understaffed 02:00–02:\d\d: 1 officer for [\d.]+ bags\/min \(\d+ needed at 20 s per bag\)$/);
    // Only while the deadline could still be met: nothing after it.
    expect(Date.parse(short?.to ?? '')).toBeLessThanOrEqual(ms(20));
  });

  it('names decisions slower than the staffing figure while bags waited', () => {
    const slow = report.causes.find((c) => c.kind === 'slow-decisions');
    expect(slow?.values).toMatchObject({ perOfficerPerMin: '1.5', expectedPerMin: '3', secondsPerItem: 20 });
    expect(slow?.text).toMatch(/^slow decisions 02:00–02:20: 1.5 bags\/min per officer while bags waited \(3 expected at 20 s per bag\)$/);
  });

  it('names the lane that stopped while the others ran', () => {
    const lane = report.causes.filter((c) => c.kind === 'lane-stopped');
    expect(lane.map((c) => c.values['lane'])).toEqual(['lane-3']);
    expect(lane[0]?.to).toBeNull();
    expect(lane[0]?.text).toBe('lane-3 stopped at 02:02: no more bags from it while other lanes ran');
  });

  it('does not call a flight understaffed when its bags never waited for an officer', () => {
    // The same slow arrivals, but each bag decided 10 s after it arrived: the belt was the limit.
    const quick = slow().map((b) => ({ ...b, firstAssignedAt: b.receivedAt, decision: b.decision && { ...b.decision, storedAt: new Date(Date.parse(b.receivedAt) + 10_000).toISOString() } }));
    const r = buildFlightReport(input(quick, { flight, sameNumber: [flight] }), { now: ms(90) });
    expect(r.causes.filter((c) => c.kind === 'understaffed' || c.kind === 'slow-decisions')).toEqual([]);
  });
});

describe('flight report: search, late bags and the time limit', () => {
  const bags = [
    ...Array.from({ length: 8 }, (_, i) => bag({ checked: false, seen: 1 + i, decided: 2 + i, officer: 'li.wei' })),
    bag({ checked: false, seen: 2, decided: 3, verdict: 'search', searchAt: 40 }),
    bag({ checked: false, seen: 3, decided: 4, verdict: 'search', searchAt: 12 }),
    bag({ checked: false, seen: 4, decided: 5, verdict: 'search', madeBy: 'time-limit', searchAt: null }),
    bag({ checked: true, seen: 22, decided: 23 }),
    bag({ checked: true, seen: 25, assigned: null, decided: null }),
  ];
  const flight = { ...FLIGHT, passengers: 11, checkedBags: 2, cabinBags: 11 };
  const report = buildFlightReport(input(bags, { flight, sameNumber: [flight] }), { now: ms(45) });

  it('counts bags still waiting for search at the passengers\' deadline', () => {
    expect(report.causes.find((c) => c.kind === 'search-waiting')?.values).toEqual({ count: 2, searched: 3, deadline: '02:30' });
  });

  it('names checked bags that reached screening after their deadline', () => {
    const late = report.causes.find((c) => c.kind === 'late-bags');
    expect(late).toMatchObject({ clock: 'checkedBags', values: { count: 2, last: '02:25', deadline: '02:20' } });
    expect(report.clocks.checkedBags.state).toBe('breached');
    expect(report.breaches.map((b) => b.clock)).toEqual(['checkedBags']);
  });

  it('counts decisions the time limit made', () => {
    expect(report.causes.find((c) => c.kind === 'time-limit')?.values).toEqual({ count: 1 });
    expect(report.bags).toMatchObject({ searched: 3, timeLimit: 1, open: 1, searchOpen: 1, cleared: 9 });
    expect(report.complete).toBe(false);
  });
});

describe('bags of a flight', () => {
  it('leaves out bags of the same number on another day, and every bag of a cancelled flight', () => {
    const tomorrow: ReportFlightInput = { ...FLIGHT, key: 'CA982/2025-06-02', date: '2025-06-02', scheduledOnBlock: at(24 * 60), actualOnBlock: at(24 * 60) };
    const today = bag({ seen: 5, decided: 6 });
    const next = bag({ seen: 24 * 60 + 5, decided: 24 * 60 + 6 });
    expect(bagsOfFlight({ flight: FLIGHT, sameNumber: [FLIGHT, tomorrow], bags: [today, next] })).toEqual([today]);
    expect(bagsOfFlight({ flight: tomorrow, sameNumber: [FLIGHT, tomorrow], bags: [today, next] })).toEqual([next]);
    const cancelled = { ...FLIGHT, cancelled: true };
    expect(bagsOfFlight({ flight: cancelled, sameNumber: [cancelled], bags: [today] })).toEqual([]);
  });
});

describe('flight report as CSV', () => {
  it('has a section per part, a row per bucket and event, and quotes what needs quoting', () => {
    const report = buildFlightReport(input(onTime()), { now: ms(60) });
    const csv = flightReportCsv({ ...report, origin: 'JF,K', causes: [{ kind: 'time-limit', from: null, to: null, clock: null, text: '=HYPERLINK("x") "quoted"', values: {} }] });
    const blocks = csv.trimEnd().split('\r\n\r\n').map((b) => b.split('\r\n'));
    expect(blocks.map((b) => b[0]?.split(',')[0])).toEqual(['section', 'clock', 'throughput from', 'timeline at', 'breach clock', 'cause']);
    expect(blocks[2]).toHaveLength(1 + report.throughput.length);
    expect(blocks[3]).toHaveLength(1 + report.timeline.length);
    expect(csv).toContain('summary,origin,"JF,K"');
    expect(blocks[5]?.[1]).toBe(`time-limit,,,,"'=HYPERLINK(""x"") ""quoted"""`);
  });
});
