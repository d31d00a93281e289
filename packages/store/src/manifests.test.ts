import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FlightManifest, type FlightManifestInput, type ScanSubmit } from '@clearway/protocol';
import { Store } from './index.ts';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'clearway-manifest-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const KEY = 'CA981/2025-06-01';
const manifest = (over: Partial<FlightManifestInput> = {}): FlightManifestInput => ({
  flight: 'CA981', date: '2025-06-01',
  passengers: [
    { passengerRef: 'ZX4K2P-1', name: 'WANG/FANG', origin: 'JFK', route: ['JFK', 'PEK'], bagTags: ['0999000001', 'C-101'] },
    { passengerRef: 'ZX4K2P-2', origin: 'KBL', route: ['KBL', 'IST', 'PEK'], flags: ['watch-list-hit'], recentTripsDaysAgo: [3, 9], stayDays: 2, bagTags: ['0999000002'] },
  ],
  ...over,
});

const scan = (bagTag: string): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag, scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 4, height: 2, encoding: 'single-energy-u16le', high: new Uint8Array(16) }],
});

describe('ManifestRepository', () => {
  it('links bag tags to passengers, and a manifest sent again replaces the flight\'s passengers (audited)', () => {
    const s = Store.open(':memory:');
    const first = s.manifests.ingest('feed-1', FlightManifest.parse(manifest()), new Date('2025-06-01T05:00:00Z'));
    expect(first).toEqual({ flightKey: KEY, passengers: 2, bags: 3, replaced: 0 });
    expect(s.manifests.hasManifest(KEY)).toBe(true);
    expect(s.manifests.hasManifest('CA981/2025-06-02')).toBe(false);
    const owner = s.manifests.passengerOfBag(KEY, 'C-101');
    expect(owner).toMatchObject({ passengerRef: 'ZX4K2P-1', name: 'WANG/FANG', bagTags: ['0999000001', 'C-101'], facts: { origin: 'JFK', route: ['JFK', 'PEK'], flags: [] } });
    expect(s.manifests.passengerOfBag(KEY, '0999000002')?.facts).toEqual({ origin: 'KBL', route: ['KBL', 'IST', 'PEK'], flags: ['watch-list-hit'], recentTripsDaysAgo: [3, 9], stayDays: 2 });
    expect(s.manifests.passengerOfBag(KEY, 'NOT-ON-IT')).toBeNull();
    expect(s.manifests.findBagTag('C-101')).toEqual([{ flightKey: KEY, passengerRef: 'ZX4K2P-1' }]);

    // Again, the same: same rows. Then a revised one: the second passenger is gone, a bag moved.
    expect(s.manifests.ingest('feed-1', FlightManifest.parse(manifest())).replaced).toBe(2);
    expect(s.manifests.passengers(KEY)).toHaveLength(2);
    const revised = manifest({ passengers: [{ passengerRef: 'ZX4K2P-1', origin: 'JFK', route: ['JFK', 'PEK'], bagTags: ['0999000001', '0999000002'] }] });
    expect(s.manifests.ingest('feed-1', FlightManifest.parse(revised))).toEqual({ flightKey: KEY, passengers: 1, bags: 2, replaced: 2 });
    expect(s.manifests.passenger(KEY, 'ZX4K2P-2')).toBeNull();
    expect(s.manifests.passengerOfBag(KEY, '0999000002')?.passengerRef).toBe('ZX4K2P-1');
    expect(s.manifests.passengerOfBag(KEY, 'C-101')).toBeNull();
    expect([...s.manifests.bagOwners(KEY)]).toEqual([['0999000001', 'ZX4K2P-1'], ['0999000002', 'ZX4K2P-1']]);

    const rows = s.audit.tail(10).filter((r) => r.type === 'manifest.received');
    expect(rows.map((r) => JSON.parse(r.payload) as unknown)).toEqual([{ passengers: 2, bags: 3, replaced: 0 }, { passengers: 2, bags: 3, replaced: 2 }, { passengers: 1, bags: 2, replaced: 2 }]);
    expect(rows.every((r) => r.subjectId === KEY && r.actorKind === 'device')).toBe(true);
    // No personal data in the permanent trail.
    expect(JSON.stringify(rows)).not.toContain('WANG');
    expect(s.audit.verify().ok).toBe(true);
  });

  it('refuses a manifest that gives one bag to two passengers or lists a passenger twice', () => {
    const twice = manifest({ passengers: [
      { passengerRef: 'A-1', origin: 'JFK', route: ['JFK', 'PEK'], bagTags: ['0999000001'] },
      { passengerRef: 'A-2', origin: 'JFK', route: ['JFK', 'PEK'], bagTags: ['0999000001'] },
    ] });
    expect(FlightManifest.safeParse(twice).error?.issues[0]?.path).toEqual(['passengers', 1, 'bagTags', 0]);
    const same = manifest({ passengers: [
      { passengerRef: 'A-1', origin: 'JFK', route: ['JFK', 'PEK'] }, { passengerRef: 'A-1', origin: 'JFK', route: ['JFK', 'PEK'] },
    ] });
    expect(FlightManifest.safeParse(same).success).toBe(false);
    expect(FlightManifest.safeParse(manifest({ passengers: [{ passengerRef: 'A-1', origin: 'JFK', route: ['LHR', 'PEK'] }] })).success).toBe(false);
  });

  it('keeps one assessment per bag across a restart, raises the bag\'s risk and audits selections; the report counts outcomes', async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    await s1.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    await s1.identity.createOfficer({ id: 'zhang', name: 'Zhang Min', role: 'search-officer', password: 'search station' });
    s1.manifests.ingest('feed-1', FlightManifest.parse(manifest()));
    const risky = s1.screening.storeScan('scanner-1', scan('0999000002'), new Date()).bagId;
    const plain = s1.screening.storeScan('scanner-1', scan('0999000001'), new Date()).bagId;
    const reasons = [{ rule: 'flag', points: 60, text: 'watch-list hit: +60' }];
    const base = { flightKey: KEY, priorityBoost: 2, randomSelected: false };
    expect(s1.manifests.recordAssessment({ ...base, bagId: risky, passengerRef: 'ZX4K2P-2', score: 60, reasons, riskSelected: true })).toBe(true);
    expect(s1.manifests.recordAssessment({ ...base, bagId: risky, passengerRef: 'ZX4K2P-2', score: 0, reasons: [], riskSelected: false })).toBe(false);
    expect(s1.manifests.recordAssessment({ ...base, bagId: plain, passengerRef: 'ZX4K2P-1', score: 0, reasons: [], priorityBoost: 0, riskSelected: false })).toBe(true);
    expect(s1.screening.waitingBags().find((b) => b.bagId === risky)?.risk).toEqual({ score: 60, reasons: ['watch-list hit: +60'] });
    expect(s1.screening.waitingBags().find((b) => b.bagId === plain)?.risk).toBeNull();
    await s1.close();

    const s = Store.open(dir);
    expect(s.manifests.assessment(risky)).toMatchObject({ score: 60, reasons, riskSelected: true, randomSelected: false, passengerRef: 'ZX4K2P-2' });
    expect(s.manifests.selection(plain)).toBeNull();
    const audited = s.audit.tail(20).filter((r) => r.type === 'bag.selected-for-search');
    expect(audited).toHaveLength(1);
    expect(audited[0]?.subjectId).toBe(risky);
    expect(JSON.parse(audited[0]?.payload ?? '{}')).toEqual({ flightKey: KEY, passengerRef: 'ZX4K2P-2', riskSelected: true, randomSelected: false, score: 60, reasons: ['watch-list hit: +60'] });

    // The screener clears the selected bag: it still reaches the station, with why, and takes an outcome.
    const a = s.screening.assign(risky, 'li.wei', new Date());
    const now = new Date().toISOString();
    const d = s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId: risky, verdict: 'clear', shownAt: now, decidedAt: now }, new Date());
    expect(d.ok).toBe(true);
    expect(s.search.flagged().map((b) => [b.bag.bagId, b.selection])).toEqual([[risky, { riskSelected: true, randomSelected: false, score: 60, reasons: ['watch-list hit: +60'] }]]);
    expect(s.manifests.selectionRecords()).toEqual([{ bagId: risky, riskSelected: true, randomSelected: false, outcome: null }]);
    const o = s.search.recordOutcome('zhang', { idempotencyKey: randomUUID(), bagId: risky, outcome: 'other-contraband' }, new Date());
    expect(o.ok).toBe(true);
    expect(s.search.flagged()).toEqual([]);
    expect(s.manifests.selectionRecords()).toEqual([{ bagId: risky, riskSelected: true, randomSelected: false, outcome: 'other-contraband' }]);
    expect(s.manifests.selectionRecords({ to: '2000-01-01T00:00:00Z' })).toEqual([]);
    // An unselected cleared bag never reaches the station.
    const b = s.screening.assign(plain, 'li.wei', new Date());
    s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: b.assignmentId, bagId: plain, verdict: 'clear', shownAt: now, decidedAt: now }, new Date());
    expect(s.search.wasFlagged(plain)).toBe(false);
    expect(s.audit.verify().ok).toBe(true);
    await s.close();
  });
});
