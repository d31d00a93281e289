import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WORKLOAD, continuousScreen, dPrime, officerPerformance, signalDetection, teamPerformance,
  type DecisionRecord, type SearchOutcome,
} from './officer-performance.ts';

const MIN = 60_000;
let n = 0;
function rec(officerId: string, verdict: 'clear' | 'search', over: { tip?: boolean; outcome?: SearchOutcome | null; at?: number; ms?: number } = {}): DecisionRecord {
  const shownAt = over.at ?? n * 1000;
  n++;
  return { officerId, bagId: `bag-${n}`, verdict, shownAt, decidedAt: shownAt + (over.ms ?? 5000), tipProjected: over.tip ?? false, searchOutcome: over.outcome ?? null };
}
const repeat = <T>(k: number, make: () => T): T[] => Array.from({ length: k }, make);

describe('dPrime (log-linear correction)', () => {
  // Counts chosen so the corrected rates are quantiles with known z: 19.5/20 = 0.975, 0.5/10 = 0.05.
  it('stays finite at a hit rate of 1 and a false-alarm rate of 0', () => {
    expect(dPrime(19, 19, 0, 9)).toBeCloseTo(1.959963984540054 + 1.6448536269514722, 7);
  });

  it('applies the correction to every rate, not only extreme ones', () => {
    // (7 + 0.5) / 10 = 0.75 → 0.6744897501960817; (2 + 0.5) / 20 = 0.125 → −1.1503493803760079
    expect(dPrime(7, 9, 2, 19)).toBeCloseTo(0.6744897501960817 + 1.1503493803760079, 7);
  });

  it('is null without signal or noise trials and zero for an officer who cannot tell them apart', () => {
    expect(dPrime(0, 0, 1, 10)).toBeNull();
    expect(dPrime(1, 10, 0, 0)).toBeNull();
    expect(dPrime(5, 10, 10, 20)).toBeCloseTo(0, 10);
  });
});

describe('signalDetection', () => {
  it('counts TIP hits, clean bags and false alarms from outcomes', () => {
    const records = [
      ...repeat(8, () => rec('li', 'search', { tip: true })),
      ...repeat(2, () => rec('li', 'clear', { tip: true })),
      ...repeat(90, () => rec('li', 'clear')),
      ...repeat(10, () => rec('li', 'search', { outcome: 'nothing-found' })),
      // real finds and open searches are neither false alarms nor clean bags
      ...repeat(3, () => rec('li', 'search', { outcome: 'threat-found' })),
      rec('li', 'search', { outcome: 'other-contraband' }),
      ...repeat(2, () => rec('li', 'search', { outcome: null })),
    ];
    const s = signalDetection(records);
    expect(s).toMatchObject({ tipProjections: 10, tipHits: 8, tipHitRate: 0.8, cleanBags: 100, falseAlarms: 10, falseAlarmRate: 0.1 });
    expect(s.dPrime).toBeCloseTo(dPrime(8, 10, 10, 100) ?? Number.NaN, 12);
    expect(s.dPrime).toBeGreaterThan(2);
  });

  it('gives NaN rates and no d′ without TIP projections', () => {
    const s = signalDetection([rec('li', 'clear'), rec('li', 'search', { outcome: 'nothing-found' })]);
    expect(s.tipHitRate).toBeNaN();
    expect(s.falseAlarmRate).toBe(0.5);
    expect(s.dPrime).toBeNull();
  });
});

describe('continuousScreen', () => {
  const cfg = DEFAULT_WORKLOAD; // 20 minutes on screen, a break of 10 minutes resets

  it('is due after 20 minutes, counting short gaps as screen time', () => {
    const periods = [{ start: 0, end: 12 * MIN }, { start: 15 * MIN, end: null }]; // a 3-minute gap is no break
    expect(continuousScreen(periods, 19 * MIN, cfg)).toEqual({ continuousMs: 19 * MIN, breakDue: false, breakDueAt: 20 * MIN });
    expect(continuousScreen(periods, 21 * MIN, cfg)).toMatchObject({ continuousMs: 21 * MIN, breakDue: true });
  });

  it('resets after a break of at least the minimum', () => {
    const periods = [{ start: 0, end: 18 * MIN }, { start: 28 * MIN, end: null }];
    expect(continuousScreen(periods, 35 * MIN, cfg)).toEqual({ continuousMs: 7 * MIN, breakDue: false, breakDueAt: 48 * MIN });
    // one minute less of break and the clock runs on from the start
    const shortBreak = [{ start: 0, end: 18 * MIN }, { start: 27 * MIN, end: null }];
    expect(continuousScreen(shortBreak, 35 * MIN, cfg)).toMatchObject({ continuousMs: 35 * MIN, breakDue: true });
  });

  it('is zero while on a break that is long enough, and follows the configured limit', () => {
    expect(continuousScreen([{ start: 0, end: 30 * MIN }], 41 * MIN, cfg)).toEqual({ continuousMs: 0, breakDue: false, breakDueAt: null });
    expect(continuousScreen([{ start: 0, end: null }], 16 * MIN, { maxContinuousScreenMs: 15 * MIN, minBreakMs: 5 * MIN }).breakDue).toBe(true);
  });
});

describe('officerPerformance and teamPerformance', () => {
  it('gives decision times, bags per hour and the break flag per officer', () => {
    const decisions = [
      ...[2, 4, 6, 8, 10, 12, 14, 16, 18, 20].map((s, i) => rec('li', 'clear', { at: i * MIN, ms: s * 1000 })),
      rec('anna', 'clear', { at: 0, ms: 3000 }),
    ];
    const [anna, li] = officerPerformance({
      decisions, now: 60 * MIN, config: DEFAULT_WORKLOAD,
      screenPeriods: { li: [{ start: 0, end: 30 * MIN }], anna: [{ start: 0, end: 6 * MIN }, { start: 36 * MIN, end: null }] },
    });
    expect(li?.officerId).toBe('li');
    expect(li?.decisions).toBe(10);
    expect(li?.meanDecisionMs).toBe(11_000);
    expect(li?.p95DecisionMs).toBe(20_000);
    expect(li?.bagsPerHour).toBeCloseTo(20, 10); // 10 bags in half an hour
    expect(li?.screen).toEqual({ continuousMs: 0, breakDue: false, breakDueAt: null }); // away 30 minutes
    expect(anna?.screenMs).toBe(30 * MIN); // 6 + 24 minutes
    expect(anna?.screen).toMatchObject({ continuousMs: 24 * MIN, breakDue: true });
  });

  it('takes time on screen from the decisions when no periods are known', () => {
    const decisions = repeat(6, () => null).map((_, i) => rec('li', 'clear', { at: i * 2 * MIN, ms: 30_000 }));
    const [li] = officerPerformance({ decisions, now: 11 * MIN, config: DEFAULT_WORKLOAD });
    expect(li?.screenMs).toBe(10.5 * MIN); // first shown 0, last decided 10.5 minutes; gaps of 1.5 minutes are no break
    expect(li?.bagsPerHour).toBeCloseTo(6 / (10.5 / 60), 10);
  });

  it('pools a team\'s counts and lists who is due a break', () => {
    const decisions = [
      ...repeat(5, () => rec('li', 'search', { tip: true })),
      ...repeat(5, () => rec('anna', 'clear', { tip: true })),
      ...repeat(10, () => rec('anna', 'clear')),
      rec('zhang', 'clear'),
    ];
    const teams = teamPerformance({
      decisions, now: 30 * MIN, config: DEFAULT_WORKLOAD, teams: { li: 'A', anna: 'A', zhang: 'B' },
      screenPeriods: { li: [{ start: 0, end: null }], anna: [{ start: 0, end: 10 * MIN }], zhang: [{ start: 0, end: 5 * MIN }] },
    });
    expect(teams.map((t) => t.teamId)).toEqual(['A', 'B']);
    const a = teams[0];
    expect(a).toMatchObject({ officers: ['anna', 'li'], decisions: 20, tipProjections: 10, tipHits: 5, tipHitRate: 0.5, cleanBags: 10, breakDue: ['li'] });
    expect(a?.dPrime).toBeCloseTo(dPrime(5, 10, 0, 10) ?? Number.NaN, 12);
    expect(a?.screenMs).toBe(40 * MIN);
    expect(a?.bagsPerHour).toBeCloseTo(30, 10);
  });
});
