import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScenarioError, checkScenario, parseScenario, planScenario, searchOf, thinkTimeMs, triangularQuantile, verdictOf, type ScenarioInput } from './scenario.ts';

const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../cli/scenarios');

const flight = {
  flight: 'CA932', origin: 'FRA', aircraft: 'A333', scheduledOnBlock: '2025-06-01T10:00:00Z', actualOnBlock: '2025-06-01T10:03:00Z',
  passengers: 300, cabinBags: 300, checkedBags: 150,
};
const scenario = (over: Partial<ScenarioInput> = {}) => checkScenario({ name: 'test', flights: [flight], ...over });

function refused(raw: unknown): ScenarioError {
  try {
    checkScenario(raw);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('the scenario was accepted');
}

describe('scenario files', () => {
  it('reads every example scenario', () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const f of files) expect(() => parseScenario(readFileSync(join(SCENARIOS, f), 'utf8')), f).not.toThrow();
  });

  it('refuses a bad scenario naming the field', () => {
    const negative = refused({ name: 'x', flights: [{ ...flight, passengers: -3 }] });
    expect(negative.field).toBe('flights.0.passengers');
    expect(negative.message).toMatch(/^flights\.0\.passengers: /);
    expect(refused({ name: 'x', flights: [{ ...flight, cabinBagArrivals: { fromMin: 10, toMin: 5 } }] }).field).toBe('flights.0.cabinBagArrivals.toMin');
    expect(refused({ name: 'x', flights: [{ ...flight, scheduledOnBlock: 'ten o\'clock' }] }).field).toBe('flights.0.scheduledOnBlock');
    expect(refused({ name: 'x', flights: [] }).field).toBe('flights');
    expect(refused({ name: 'x', flights: [flight, flight] }).message).toMatch(/CA932\/2025-06-01 is listed twice/);
    expect(refused({ name: 'x', start: '2025-06-01T10:10:00Z', flights: [flight] }).field).toBe('start');
    // A misspelt key is refused, not ignored: the run would otherwise use a default unnoticed.
    expect(refused({ name: 'x', offcers: 4, flights: [flight] }).message).toMatch(/offcers/);
    expect(() => parseScenario('{ "name": ')).toThrow(/not JSON/);
  });
});

describe('planScenario', () => {
  it('plans exactly the scenario\'s bags, each kind in its window after on-block, on its own lanes', () => {
    const plan = planScenario(scenario());
    const onBlock = Date.parse(flight.actualOnBlock);
    expect(plan.start).toBe(onBlock - 5 * 60_000);
    expect(plan.bags).toHaveLength(450);
    const cabin = plan.bags.filter((b) => !b.checked);
    const checked = plan.bags.filter((b) => b.checked);
    expect(cabin).toHaveLength(300);
    expect(checked).toHaveLength(150);
    for (const b of cabin) {
      expect(b.at - onBlock).toBeGreaterThanOrEqual(5 * 60_000);
      expect(b.at - onBlock).toBeLessThanOrEqual(22 * 60_000 + 500);
      expect(b.lane).toMatch(/^lane-[1-4]$/);
      expect(b.bagTag).not.toMatch(/^\d{10}$/); // the hub counts it toward the passengers
    }
    for (const b of checked) {
      expect(b.at - onBlock).toBeGreaterThanOrEqual(8 * 60_000);
      expect(b.at - onBlock).toBeLessThanOrEqual(16 * 60_000 + 500);
      expect(b.lane).toBe('hbs-1');
      expect(b.bagTag).toMatch(/^\d{10}$/); // an IATA licence plate: a checked bag
    }
    expect(new Set(plan.bags.map((b) => b.bagTag)).size).toBe(450);
    // Strictly increasing: the hub never sees two bags in the same millisecond.
    for (let i = 1; i < plan.bags.length; i++) expect((plan.bags[i]?.at ?? 0) > (plan.bags[i - 1]?.at ?? 0)).toBe(true);
    expect(plan.bags.map((b) => b.index)).toEqual(plan.bags.map((_, i) => i));
    // The busiest minutes are around the peak, not at the edges.
    const inMinute = (m: number) => cabin.filter((b) => Math.floor((b.at - onBlock) / 60_000) === m).length;
    expect(inMinute(10)).toBeGreaterThan(inMinute(5));
    expect(inMinute(10)).toBeGreaterThan(inMinute(21));
  });

  it('sends the schedule at the start and the on-block when it happens', () => {
    const plan = planScenario(scenario());
    expect(plan.feed.map((m) => [m.kind, m.at])).toEqual([['arrivals', plan.start], ['on-block', Date.parse(flight.actualOnBlock)]]);
  });

  it('gives the same plan for the same seed and another for another seed', () => {
    const a = planScenario(scenario());
    expect(planScenario(scenario())).toEqual(a);
    const b = planScenario(scenario(), { seed: 2, officers: 5 });
    expect(b.officers).toBe(5);
    expect(b.bags.map((x) => x.at)).not.toEqual(a.bags.map((x) => x.at));
  });

  it('draws think times from the facts page\'s range, and verdicts at the search rate', () => {
    const plan = planScenario(scenario({ searchRate: 0.2 }));
    const times = Array.from({ length: 2000 }, (_, i) => thinkTimeMs(plan, i, 1));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(11_000);
    expect(Math.max(...times)).toBeLessThanOrEqual(36_000);
    const sorted = [...times].sort((x, y) => x - y);
    expect(sorted[1000]).toBeGreaterThan(18_000); // median √(11·36) ≈ 19.9 s
    expect(sorted[1000]).toBeLessThan(22_000);
    expect(thinkTimeMs(plan, 7, 1)).toBe(thinkTimeMs(plan, 7, 1));
    expect(thinkTimeMs(plan, 7, 2)).not.toBe(thinkTimeMs(plan, 7, 1));
    const searched = Array.from({ length: 2000 }, (_, i) => verdictOf(plan, i)).filter((v) => v === 'search').length;
    expect(searched / 2000).toBeGreaterThan(0.17);
    expect(searched / 2000).toBeLessThan(0.23);
  });

  it('draws each search\'s length from the station\'s range and its find at the find rate', () => {
    const plan = planScenario(scenario({ search: { teams: 3, minutes: { min: 2, max: 6 }, findRate: 0.25 } }));
    const searches = Array.from({ length: 2000 }, (_, i) => searchOf(plan, i));
    expect(Math.min(...searches.map((x) => x.durationMs))).toBeGreaterThanOrEqual(2 * 60_000);
    expect(Math.max(...searches.map((x) => x.durationMs))).toBeLessThanOrEqual(6 * 60_000);
    const found = searches.filter((x) => x.outcome === 'other-contraband').length / 2000;
    expect(found).toBeGreaterThan(0.22);
    expect(found).toBeLessThan(0.28);
    expect(searchOf(plan, 11)).toEqual(searchOf(plan, 11));
    // Defaults: two teams, 3 to 5 minutes (facts page: about 4 minutes a bag).
    expect(planScenario(scenario()).search).toEqual({ teams: 2, minutes: { min: 3, max: 5 }, findRate: 0.1 });
    expect(refused({ name: 't', flights: [flight], search: { minutes: { min: 5, max: 3 } } }).message).toMatch(/search\.minutes\.max/);
  });

  it('places the triangular profile\'s quantiles', () => {
    const p = { fromMin: 5, toMin: 21, peakMin: 9 };
    expect(triangularQuantile(0, p)).toBe(5);
    expect(triangularQuantile(1, p)).toBe(21);
    expect(triangularQuantile(0.25, p)).toBeCloseTo(9); // F(peak) = (9-5)/(21-5)
  });
});
