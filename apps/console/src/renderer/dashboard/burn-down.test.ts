import { describe, expect, it } from 'vitest';
import type { ClearanceClock } from '@clearway/protocol';
import { burnDown } from './burn-down.ts';

const MIN = 60_000;
const START = Date.parse('2025-06-01T02:00:00Z');
const iso = (minutes: number) => new Date(START + minutes * MIN).toISOString();
const s = (minutes: number) => (START + minutes * MIN) / 1000;

function clock(over: Partial<ClearanceClock> = {}): ClearanceClock {
  return {
    state: 'in-progress', startsAt: iso(0), onBlockAssumed: false, targetMinutes: 20, deadline: iso(20),
    total: 100, started: 60, done: 40, remaining: 60, clearedAt: null, metTarget: null,
    projection: { ratePerMin: 4, rateLowPerMin: 3, rateHighPerMin: 6, expectedAt: iso(25), earliestAt: iso(20), latestAt: iso(30), completions: 40 },
    atRiskReason: null, staffing: null, ...over,
  };
}

const history = [{ t: START, remaining: 100 }, { t: START + 4 * MIN, remaining: 80 }, { t: START + 8 * MIN, remaining: 65 }];

describe('burn-down chart data', () => {
  const d = burnDown(clock(), history, START + 10 * MIN);
  const at = (series: (number | null)[], minutes: number) => series[d.x.indexOf(s(minutes))];

  it('has one ascending time axis that holds start, samples, now, the projected ends and the deadline', () => {
    expect(d.x).toEqual([...new Set(d.x)].sort((a, b) => a - b));
    for (const m of [0, 4, 8, 10, 20, 25, 30]) expect(d.x).toContain(s(m));
    for (const series of [d.remaining, d.expected, d.earliest, d.latest, d.target]) expect(series).toHaveLength(d.x.length);
    expect(d.deadline).toBe(s(20));
    expect(d.now).toBe(s(10));
  });

  it('draws what was left up to now, as a step at each sample, ending on the clock\'s own figure', () => {
    expect([0, 4, 8, 10].map((m) => at(d.remaining, m))).toEqual([100, 80, 65, 60]);
    expect(at(d.remaining, 20)).toBeNull();
  });

  it('projects from now at the median rate and the band\'s rates, reaching nothing left at each end', () => {
    expect(at(d.expected, 10)).toBe(60);
    expect(at(d.expected, 25)).toBe(0);
    expect(at(d.earliest, 20)).toBe(0);
    expect(at(d.latest, 30)).toBe(0);
    expect(at(d.latest, 20)).toBe(30);
    expect(at(d.expected, 8)).toBeNull();
    d.x.forEach((_, i) => {
      const [e, m, l] = [d.earliest[i], d.expected[i], d.latest[i]];
      if (m === null || m === undefined) return;
      expect(e).not.toBeNull();
      expect(e as number).toBeLessThanOrEqual(m);
      expect(l as number).toBeGreaterThanOrEqual(m);
    });
  });

  it('draws the target line from everything at the start to nothing at the deadline', () => {
    expect(at(d.target, 0)).toBe(100);
    expect(at(d.target, 10)).toBe(50);
    expect(at(d.target, 20)).toBe(0);
    expect(at(d.target, 25)).toBeNull();
  });

  it('keeps a slow end that never finishes flat, and a cleared clock at nothing left with no projection', () => {
    const never = burnDown(clock({ projection: { ratePerMin: 1, rateLowPerMin: 0, rateHighPerMin: 2, expectedAt: iso(70), earliestAt: iso(40), latestAt: null, completions: 3 } }), history, START + 10 * MIN);
    expect(never.latest.filter((v) => v !== null).every((v) => v === 60)).toBe(true);
    const cleared = burnDown(clock({ state: 'cleared', remaining: 0, done: 100, clearedAt: iso(15), metTarget: true, projection: null }), history, START + 18 * MIN);
    expect(cleared.remaining[cleared.x.indexOf(s(15))]).toBe(0);
    expect(cleared.remaining[cleared.x.indexOf(s(18))]).toBe(0);
    expect(cleared.expected.every((v) => v === null)).toBe(true);
  });
});
