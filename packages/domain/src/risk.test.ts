import { describe, expect, it } from 'vitest';
import { assessRisk, riskPriorityBoost, seededDraw, selectionReport, type PassengerFacts, type RiskConfig, type SelectionOutcome } from './risk.ts';

const config: RiskConfig = {
  rules: [
    { kind: 'origin-in', airports: ['KBL', 'XYZ'], weight: 30 },
    { kind: 'route-through', airports: ['DXB'], weight: 10 },
    { kind: 'flag', flag: 'watch-list-hit', weight: 60 },
    { kind: 'flag', flag: 'cash-declaration', weight: 15 },
    { kind: 'flag', flag: 'late-check-in', weight: 10 },
    { kind: 'flag', flag: 'one-way-ticket', weight: 10, label: 'single ticket' },
    { kind: 'frequent-trips', trips: 4, withinDays: 60, weight: 15 },
    { kind: 'short-stay', maxDays: 2, weight: 5 },
  ],
  searchThreshold: 50,
  priorityBoost: { everyPoints: 25, max: 3 },
  randomSelectionRate: 0.1,
  randomSeed: 'shift-2026-03-01-early',
};
const plain: PassengerFacts = { origin: 'FRA', route: ['FRA', 'PVG'], flags: [] };

describe('assessRisk', () => {
  it('scores nothing for a passenger no rule matches', () => {
    const a = assessRisk('bag-1', plain, config);
    expect(a).toMatchObject({ score: 0, reasons: [], priorityBoost: 0, riskSelected: false });
  });

  it('adds the matched rules with a readable reason each', () => {
    const a = assessRisk('bag-2', { origin: 'KBL', route: ['KBL', 'DXB', 'PVG'], flags: ['cash-declaration', 'one-way-ticket'], stayDays: 1 }, config);
    expect(a.reasons.map((r) => r.text)).toEqual([
      'origin KBL on high-risk list: +30',
      'route through DXB on high-risk list: +10',
      'cash declaration: +15',
      'single ticket: +10',
      'stay of 1 days: +5',
    ]);
    expect(a.score).toBe(70);
    expect(a.priorityBoost).toBe(2);
    expect(a.riskSelected).toBe(true);
  });

  it('counts only transfers for route-through and only recent trips for the travel pattern', () => {
    expect(assessRisk('b', { origin: 'DXB', route: ['DXB', 'PVG'], flags: [] }, config).score).toBe(0);
    expect(assessRisk('b', { ...plain, route: ['DXB'], recentTripsDaysAgo: [1, 5, 20, 59] }, config).reasons.map((r) => r.text))
      .toEqual(['4 trips in the last 60 days: +15']);
    expect(assessRisk('b', { ...plain, recentTripsDaysAgo: [1, 5, 20, 61] }, config).score).toBe(0);
  });

  it('clamps the score to 0..100 and the boost to its maximum', () => {
    const heavy = assessRisk('b', { origin: 'KBL', route: ['KBL', 'DXB', 'PVG'], flags: ['watch-list-hit', 'cash-declaration', 'late-check-in'] }, config);
    expect(heavy.score).toBe(100);
    expect(heavy.priorityBoost).toBe(3);
    const trusted = assessRisk('b', { ...plain, flags: ['late-check-in'] }, { ...config, rules: [...config.rules, { kind: 'origin-in', airports: ['FRA'], weight: -40, label: 'trusted origin' }] });
    expect(trusted.score).toBe(0);
    expect(trusted.reasons.map((r) => r.text)).toEqual(['late check-in: +10', 'trusted origin: -40']);
    expect(riskPriorityBoost(49, config)).toBe(1);
  });

  it('selects for search exactly at the threshold', () => {
    const rules = { ...config, rules: [{ kind: 'flag' as const, flag: 'watch-list-hit' as const, weight: 50 }] };
    expect(assessRisk('b', { ...plain, flags: ['watch-list-hit'] }, rules).riskSelected).toBe(true);
    expect(assessRisk('b', { ...plain, flags: ['watch-list-hit'] }, { ...rules, searchThreshold: 51 }).riskSelected).toBe(false);
  });
});

describe('random selection', () => {
  const bags = Array.from({ length: 20_000 }, (_, i) => `bag-${i}`);

  it('draws the same for the same seed and bag, whatever the passenger', () => {
    for (const id of bags.slice(0, 200)) {
      const a = assessRisk(id, plain, config);
      const b = assessRisk(id, { origin: 'KBL', route: ['KBL'], flags: ['watch-list-hit'] }, config);
      expect(b.randomSelected).toBe(a.randomSelected);
      expect(seededDraw(config.randomSeed, id)).toBe(seededDraw(config.randomSeed, id));
    }
  });

  it('selects about the configured share, and none or all at 0 and 1', () => {
    const picked = bags.filter((id) => assessRisk(id, plain, config).randomSelected).length;
    // 10 % of 20,000 = 2,000; four binomial standard deviations are ±170
    expect(picked).toBeGreaterThan(1830);
    expect(picked).toBeLessThan(2170);
    const few = bags.slice(0, 2000);
    expect(few.some((id) => assessRisk(id, plain, { ...config, randomSelectionRate: 0 }).randomSelected)).toBe(false);
    expect(few.every((id) => assessRisk(id, plain, { ...config, randomSelectionRate: 1 }).randomSelected)).toBe(true);
  });

  it('picks other bags under another seed', () => {
    const pick = (seed: string) => new Set(bags.filter((id) => seededDraw(seed, id) < 0.1));
    const a = pick('seed-a');
    const b = pick('seed-b');
    const overlap = [...a].filter((id) => b.has(id)).length;
    // independent draws overlap on about 10 % of the picks (about 200)
    expect(overlap).toBeGreaterThan(100);
    expect(overlap).toBeLessThan(300);
    for (const id of bags.slice(0, 1000)) {
      const u = seededDraw('seed-a', id);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
  });
});

describe('selectionReport', () => {
  const outcomes = (risk: boolean, random: boolean, finds: number, total: number): SelectionOutcome[] =>
    Array.from({ length: total }, (_, i) => ({ riskSelected: risk, randomSelected: random, outcome: i < finds ? 'threat-found' : 'nothing-found' }));

  it('compares find rates with Wilson intervals and Newcombe\'s interval for the difference', () => {
    // Newcombe (1998), example (a): 56/70 against 48/80, difference 0.2, method 10: 0.0524 to 0.3339
    const report = selectionReport([...outcomes(true, false, 56, 70), ...outcomes(false, true, 48, 80)]);
    expect(report.risk).toMatchObject({ searches: 70, finds: 56, rate: 0.8 });
    expect(report.random).toMatchObject({ searches: 80, finds: 48, rate: 0.6 });
    expect(report.difference?.value).toBeCloseTo(0.2, 10);
    expect(report.difference?.low).toBeCloseTo(0.0524, 4);
    expect(report.difference?.high).toBeCloseTo(0.3339, 4);
  });

  it('counts other contraband as a find, leaves open searches out and puts a bag drawn both ways in both groups', () => {
    const report = selectionReport([
      { riskSelected: true, randomSelected: true, outcome: 'other-contraband' },
      { riskSelected: true, randomSelected: false, outcome: 'nothing-found' },
      { riskSelected: false, randomSelected: true, outcome: 'nothing-found' },
      { riskSelected: true, randomSelected: true, outcome: null },
      { riskSelected: false, randomSelected: false, outcome: 'threat-found' }, // found on the image: in neither group
    ]);
    expect(report.risk).toMatchObject({ searches: 2, finds: 1, rate: 0.5 });
    expect(report.random).toMatchObject({ searches: 2, finds: 1, rate: 0.5 });
    expect(report.both).toBe(1);
  });

  it('has no difference while a group is empty', () => {
    const report = selectionReport(outcomes(true, false, 3, 10));
    expect(report.random.searches).toBe(0);
    expect(report.random.rate).toBeNaN();
    expect(report.difference).toBeNull();
  });
});
