import { describe, expect, it } from 'vitest';
import { adviseStaffing, erlangC, staffingLevel } from './staffing.ts';

/** Erlang C straight from its textbook formula, for small c. */
function erlangCDirect(c: number, a: number): number {
  let fact = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    if (k > 0) fact *= k;
    sum += a ** k / fact;
  }
  const top = (a ** c / (fact * c)) * (c / (c - a));
  return top / (sum + top);
}

describe('erlangC', () => {
  it('agrees with the textbook formula', () => {
    for (const [c, a] of [[1, 0.5], [2, 1.5], [5, 4], [9, 25 / 3], [12, 10.2]] as const) {
      expect(erlangC(c, a)).toBeCloseTo(erlangCDirect(c, a), 10);
    }
  });

  it('is ρ for one server (M/M/1) and 1 at or beyond capacity', () => {
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    expect(erlangC(3, 3)).toBe(1);
  });

  it('stays finite for hundreds of servers', () => {
    const p = erlangC(400, 380);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
  });
});

describe('staffingLevel', () => {
  it('gives the M/M/1 wait: ρ / (μ − λ)', () => {
    // λ = 2/min, μ = 3/min: Wq = (2/3) / (3 − 2) min = 40 s.
    const level = staffingLevel(1, 2, 3);
    expect(level.utilisation).toBeCloseTo(2 / 3, 12);
    expect(level.meanWaitS).toBeCloseTo(40, 9);
  });
});

describe('adviseStaffing', () => {
  it('finds the smallest crew for 450 bags in 18 minutes at 20 s a bag, and says why', () => {
    const advice = adviseStaffing(450, 18, { secondsPerItem: 20 });
    expect(advice.requiredPerMin).toBeCloseTo(25, 9);
    expect(advice.perOfficerPerMin).toBeCloseTo(3, 9);
    // 25/min needs more than 8.33 officers; 9 run at ρ = 0.93, over the 0.9 ceiling; 10 at 0.83.
    expect(advice.levels.map((l) => l.officers)).toEqual([9, 10]);
    expect(advice.officers).toBe(10);
    expect(advice.lines[0]).toBe('450 bags in 18 min left → 25 bags/min');
    expect(advice.lines[1]).toBe('at 20 s per bag one officer clears 3/min');
    expect(advice.lines[2]).toMatch(/^9 officers give ρ=0\.93, expected wait \d+(\.\d)? s \(over 0\.90\)$/);
    expect(advice.lines[3]).toMatch(/^10 officers give ρ=0\.83, expected wait .* ✓$/);
    expect(advice.lines.at(-1)).toMatch(/^→ 10 officers on screens, 6 lanes/);
    // Each level tried needs fewer officers to be worse, never better.
    const [nine, ten] = advice.levels;
    expect(nine && ten && nine.meanWaitS > ten.meanWaitS).toBe(true);
  });

  it('needs more officers for slower images and fewer when the machine clears most bags', () => {
    const base = adviseStaffing(450, 18).officers ?? 0;
    expect(adviseStaffing(450, 18, { secondsPerItem: 36 }).officers).toBeGreaterThan(base);
    expect(adviseStaffing(450, 18, { autoClearShare: 0.8 }).officers).toBeLessThan(base);
  });

  it('counts lanes from the lane rate', () => {
    expect(adviseStaffing(450, 18, { laneItemsPerMin: 1500 / 60 }).lanes).toBe(1);
    expect(adviseStaffing(450, 18, { laneItemsPerMin: 10 }).lanes).toBe(3);
  });

  it('says when nothing is left and when no time is left', () => {
    expect(adviseStaffing(0, 10)).toMatchObject({ officers: 0 });
    const late = adviseStaffing(40, 0);
    expect(late.officers).toBeNull();
    expect(late.lines[0]).toMatch(/target has passed/);
  });

  it('holds back the crew whose expected wait would overrun the time left', () => {
    // 6 bags in half a minute at 20 s each: a bag's own screening barely fits; a queue does not.
    const advice = adviseStaffing(6, 0.5, { secondsPerItem: 20 });
    expect(advice.officers).not.toBeNull();
    const chosen = advice.levels.at(-1);
    expect(chosen && chosen.meanWaitS + 20 <= 30).toBe(true);
  });
});
