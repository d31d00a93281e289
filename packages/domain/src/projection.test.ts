import { describe, expect, it } from 'vitest';
import { poissonLower, poissonUpper, projectCompletion } from './projection.ts';

const MIN = 60_000;
/** Completions at a steady rate (per minute) from `from` (ms) until `to`. */
const steady = (perMin: number, from: number, to: number): number[] => {
  const out: number[] = [];
  for (let t = from; t <= to; t += MIN / perMin) out.push(t);
  return out;
};

describe('Poisson bounds', () => {
  it('bracket the count and agree with the exact (chi-square) bounds within a few per cent', () => {
    // Exact 90 % one-sided bounds for n = 10: 6.221 and 15.407 (Garwood).
    expect(poissonLower(10, 1.281552)).toBeCloseTo(6.221, 1);
    expect(poissonUpper(10, 1.281552)).toBeCloseTo(15.407, 1);
    for (const n of [1, 5, 30, 200]) {
      expect(poissonLower(n, 1.28)).toBeLessThan(n);
      expect(poissonUpper(n, 1.28)).toBeGreaterThan(n);
    }
    expect(poissonLower(0, 1.28)).toBe(0);
  });
});

describe('projectCompletion', () => {
  it('gives nothing until enough completions exist', () => {
    expect(projectCompletion([1, 2, 3], 100, 10)).toBeNull();
    expect(projectCompletion(steady(30, 0, 10_000), 100, 10_000, { minCompletions: 5 })).not.toBeNull();
  });

  it('measures a steady rate and projects the finish from it', () => {
    const now = 10 * MIN;
    const p = projectCompletion(steady(30, 0, now), 300, now);
    expect(p).not.toBeNull();
    if (!p) return;
    expect(p.ratePerMin).toBeCloseTo(30, 0);
    // 300 left at 30 a minute: ten minutes from now.
    expect((p.expectedAt - now) / MIN).toBeCloseTo(10, 0);
    expect(p.earliestAt).toBeLessThan(p.expectedAt);
    expect(p.latestAt).toBeGreaterThan(p.expectedAt);
  });

  it('narrows the band as evidence grows', () => {
    const width = (minutes: number) => {
      const p = projectCompletion(steady(20, 0, minutes * MIN), 200, minutes * MIN);
      if (!p) throw new Error('no projection');
      return (p.rateHighPerMin - p.rateLowPerMin) / p.ratePerMin;
    };
    expect(width(1)).toBeGreaterThan(width(3));
    expect(width(3)).toBeGreaterThan(width(10));
  });

  it('follows a change of pace within a few time constants', () => {
    // 10 a minute for 20 minutes, then 40 a minute for 10.
    const times = [...steady(10, 0, 20 * MIN), ...steady(40, 20 * MIN + 1500, 30 * MIN)];
    const p = projectCompletion(times, 100, 30 * MIN, { timeConstantMs: 3 * MIN });
    expect(p?.ratePerMin).toBeGreaterThan(33);
  });

  it('lets the rate fall, and the latest finish run to never, when completions stop', () => {
    const times = steady(30, 0, 5 * MIN);
    const fresh = projectCompletion(times, 100, 5 * MIN);
    const stale = projectCompletion(times, 100, 25 * MIN);
    expect(fresh && stale && stale.ratePerMin < fresh.ratePerMin / 5).toBe(true);
    expect(stale?.rateLowPerMin).toBeLessThan(fresh?.rateLowPerMin ?? 0);
    expect(projectCompletion(times, 100, 5 * MIN + 60 * MIN)?.latestAt).toBeGreaterThan(5 * MIN + 24 * 60 * MIN);
  });

  it('ignores completions after now and projects now when nothing remains', () => {
    const times = steady(30, 0, 10 * MIN);
    const p = projectCompletion(times, 0, 5 * MIN);
    expect(p?.completions).toBe(Math.floor(5 * 30));
    expect(p?.expectedAt).toBe(5 * MIN);
  });
});
