import { describe, expect, it } from 'vitest';
import { ManifestPassenger } from '@clearway/protocol';
import { licencePlate } from '@clearway/scanner-sim';
import { demoManifestCsv } from './demo-manifest.ts';

describe('the demo manifest', () => {
  it('lists exactly the simulator run\'s first plates, one passenger a row, with a few flagged passengers', () => {
    const csv = demoManifestCsv({ flight: 'CA981', date: '2026-11-28', seed: 1, bags: 150, origin: 'JFK' });
    const [header, ...rows] = csv.trim().split('\n');
    expect(header).toBe('flight,date,passengerRef,name,origin,route,flags,bagTags');
    const tags = rows.flatMap((r) => (r.split(',')[7] ?? '').split(' '));
    expect(tags).toEqual(Array.from({ length: 150 }, (_, i) => licencePlate(1, i, 'CA981')));
    const flagged = rows.filter((r) => r.includes('watch-list-hit'));
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeLessThan(rows.length / 5);
    for (const r of rows) {
      const [, , passengerRef, name, origin, route, flags, bagTags] = r.split(',');
      const parsed = ManifestPassenger.safeParse({
        passengerRef, name, origin, route: (route ?? '').split('-'), flags: flags ? flags.split(';') : [], bagTags: (bagTags ?? '').split(' '),
      });
      expect(parsed.success, r).toBe(true);
    }
    expect(new Set(rows.map((r) => r.split(',')[2])).size).toBe(rows.length);
    expect(demoManifestCsv({ flight: 'CA981', date: '2026-11-28', seed: 1, bags: 150, origin: 'JFK' })).toBe(csv);
  });
});
