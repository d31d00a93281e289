import { FlightManifest, flightKey } from '@clearway/protocol';
import { describe, expect, it } from 'vitest';
import { SIMULATED_HIGH_RISK_AIRPORTS, parseManifests, simulateManifest } from './manifest.ts';
import { simulateDay } from './simulator.ts';

const START = Date.parse('2025-06-01T00:00:00+08:00');

describe('simulateManifest', () => {
  const { arrivals } = simulateDay({ seed: 4, start: START, flights: 60 });

  it('gives each flight a valid manifest with its declared passengers and about its bags, the same for the same seed', () => {
    let passengers = 0;
    let flagged = 0;
    let riskyRoutes = 0;
    for (const arrival of arrivals) {
      const m = simulateManifest(arrival, { seed: 4 });
      expect(simulateManifest(arrival, { seed: 4 })).toEqual(m);
      const parsed = FlightManifest.safeParse(m);
      expect(parsed.success, parsed.error?.message).toBe(true);
      expect(m.passengers).toHaveLength(arrival.passengers);
      const tags = m.passengers.flatMap((p) => p.bagTags ?? []);
      const checked = tags.filter((t) => /^\d{10}$/.test(t)).length;
      expect(Math.abs(checked - arrival.checkedBags)).toBeLessThan(arrival.checkedBags * 0.2 + 5);
      expect(Math.abs(tags.length - checked - arrival.cabinBags)).toBeLessThan(arrival.cabinBags * 0.2 + 5);
      for (const p of m.passengers) {
        expect(p.route.at(-1)).toBe('PVG');
        if ((p.flags ?? []).length > 0) flagged++;
        if (p.route.some((a) => (SIMULATED_HIGH_RISK_AIRPORTS as readonly string[]).includes(a))) riskyRoutes++;
      }
      passengers += m.passengers.length;
    }
    const first = arrivals[0];
    if (!first) throw new Error('no arrivals');
    expect(simulateManifest(first, { seed: 5 })).not.toEqual(simulateManifest(first, { seed: 4 }));
    // A small share flagged (one-way tickets most of it), a few high-risk journeys: rules fire, not everywhere.
    expect(flagged / passengers).toBeGreaterThan(0.05);
    expect(flagged / passengers).toBeLessThan(0.2);
    expect(riskyRoutes).toBeGreaterThan(0);
    expect(riskyRoutes / passengers).toBeLessThan(0.03);
  });
});

describe('parseManifests', () => {
  it('groups passengers by flight, reports bad rows as their line and keeps the rest', () => {
    const csv = [
      'flight,date,pnr,name,origin,route,flags,recent_trips,stay_days,bag_tags',
      'CA981,2025-06-01,ZX4K2P-1,WANG/FANG,JFK,JFK-PEK,,,,0999000001 C-101',
      '# a comment',
      'CA981,2025-06-01,QW7T3M-1,,KBL,KBL>IST>PEK,watch-list-hit;late-check-in,3 10,2,0999000002',
      'CA981,2025-06-01,BAD-1,,KBL,KBL-PEK,smuggler,,,',
      'CA981,2025-06-01,DUP-1,,JFK,JFK-PEK,,,,0999000001',
      'MU5101,2025-06-01,AB12CD-1,,HKG,HKG-PEK,,,,C-7',
      'MU5101,2025-06-01,AB12CD-2,,HKG,LHR-PEK,,,,',
      'MU5101,2025-06-01',
    ].join('\n');
    const r = parseManifests(csv, 'csv');
    expect(r.rows).toBe(7);
    expect(r.problems.map((p) => [p.line, p.flight])).toEqual([[5, 'CA981'], [6, 'CA981'], [8, 'MU5101'], [9, undefined]]);
    expect(r.problems[0]?.reason).toMatch(/^flags\.0/);
    expect(r.problems[1]?.reason).toBe('CA981/2025-06-01: bag 0999000001 is already on line 2');
    expect(r.problems[2]?.reason).toMatch(/^route: the route starts at the origin/);
    expect(r.manifests.map((m) => [flightKey(m), m.passengers.map((p) => p.passengerRef)])).toEqual([
      ['CA981/2025-06-01', ['ZX4K2P-1', 'QW7T3M-1']], ['MU5101/2025-06-01', ['AB12CD-1']],
    ]);
    expect(r.manifests[0]?.passengers[1]).toEqual({
      passengerRef: 'QW7T3M-1', origin: 'KBL', route: ['KBL', 'IST', 'PEK'], flags: ['watch-list-hit', 'late-check-in'], recentTripsDaysAgo: [3, 10], stayDays: 2, bagTags: ['0999000002'],
    });
    expect(r.manifests[0]?.passengers[0]?.name).toBe('WANG/FANG');
  });

  it('reads JSON with arrays and names the line of a bad element', () => {
    const json = `[
  { "flight": "CA981", "date": "2025-06-01", "passengerRef": "ZX4K2P-1", "origin": "JFK", "route": ["JFK", "PEK"], "bagTags": ["0999000001"] },
  { "flight": "CA981", "date": "June 1", "passengerRef": "ZX4K2P-2", "origin": "JFK" },
  42
]`;
    const r = parseManifests(json, 'json');
    expect(r.problems).toEqual([{ line: 3, reason: 'date: "June 1" is not a date such as 2025-06-01', flight: 'CA981' }, { line: 4, reason: 'expected an object' }]);
    expect(r.manifests).toHaveLength(1);
    expect(parseManifests('{', 'json').problems[0]?.reason).toMatch(/^not JSON/);
    expect(parseManifests('flight,date\nCA981,2025-06-01', 'csv').problems[0]?.reason).toBe('missing columns passengerRef, origin: nothing loaded');
  });
});
