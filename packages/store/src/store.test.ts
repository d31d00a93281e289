import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScanSubmit } from '@clearway/protocol';
import { MIGRATIONS, SCANS_DIR, Store, schemaVersion } from './index.ts';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'clearway-store-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const scan = (over: Partial<ScanSubmit> = {}): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 2, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array([1, 0, 2, 0]), high: new Uint8Array([3, 0, 4, 0]) }],
  ...over,
});

async function withOfficerAndBag(store: Store) {
  await store.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
  const { bagId } = store.screening.storeScan('scanner-1', scan(), new Date());
  const a = store.screening.assign(bagId, 'li.wei', new Date());
  const decision = { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear' as const, shownAt: new Date().toISOString(), decidedAt: new Date().toISOString() };
  return { bagId, a, decision };
}

describe('Store', () => {
  it('migrates a new database to the latest version and reopens without reapplying', async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    expect(schemaVersion(s1.db)).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    expect(s1.db.pragma('journal_mode', { simple: true })).toBe('wal');
    await s1.close();
    const s2 = Store.open(dir);
    expect(schemaVersion(s2.db)).toBe(MIGRATIONS.length);
    await s2.close();
  });

  it('refuses a database from a newer Clearway', async () => {
    const dir = tempDir();
    const s = Store.open(dir);
    s.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run('future', new Date().toISOString());
    await s.close();
    expect(() => Store.open(dir)).toThrow(/newer than this hub/);
  });

  it('checks passwords with scrypt and never stores them in clear', async () => {
    const s = Store.open(':memory:');
    await s.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    expect(await s.identity.checkPassword('li.wei', 'correct horse')).toEqual({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer' });
    expect(await s.identity.checkPassword('li.wei', 'wrong horse')).toBeNull();
    expect(await s.identity.checkPassword('nobody', 'correct horse')).toBeNull();
    const row = s.db.prepare('SELECT password_hash FROM officers').get() as { password_hash: string };
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain('correct horse');
    await expect(s.identity.createOfficer({ id: 'li.wei', name: 'x', role: 'admin', password: '12345678' })).rejects.toThrow(/already exists/);
    await expect(s.identity.createOfficer({ id: 'short', name: 'x', role: 'admin', password: '123' })).rejects.toThrow(/at least 8/);
  });

  it('expires sessions and checks device tokens', async () => {
    const s = Store.open(':memory:');
    await s.identity.createOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', password: 'correct horse' });
    const t0 = new Date('2026-01-01T00:00:00Z');
    const { token } = s.identity.createSession('li.wei', 60_000, t0);
    expect(s.identity.resolveSession(token, new Date(t0.getTime() + 1000))?.officer.id).toBe('li.wei');
    expect(s.identity.resolveSession(token, new Date(t0.getTime() + 61_000))).toBeNull();
    const dev = s.identity.createDevice('scanner-1', 'scanner');
    expect(s.identity.checkDeviceToken('scanner-1', dev.token)).toEqual({ id: 'scanner-1', kind: 'scanner' });
    expect(s.identity.checkDeviceToken('scanner-1', 'x'.repeat(43))).toBeNull();
    s.identity.revokeDevice('scanner-1');
    expect(s.identity.checkDeviceToken('scanner-1', dev.token)).toBe('revoked');
  });

  it('stores a resent scan once', () => {
    const s = Store.open(':memory:');
    const sc = scan();
    const first = s.screening.storeScan('scanner-1', sc, new Date());
    const again = s.screening.storeScan('scanner-1', sc, new Date());
    expect(again).toEqual({ bagId: first.bagId, duplicate: true });
    expect(s.screening.waitingBags()).toHaveLength(1);
    const [view] = s.screening.views(first.bagId);
    expect(Array.from(view?.low ?? [])).toEqual([1, 0, 2, 0]);
  });

  it('keeps a data folder\'s scan images in files and reads them back after a reopen', async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    const sc = scan();
    const { bagId } = s1.screening.storeScan('scanner-1', sc, new Date());
    expect(s1.screening.storeScan('scanner-1', sc, new Date())).toEqual({ bagId, duplicate: true });
    await s1.close();
    expect(existsSync(join(dir, SCANS_DIR, bagId, 'top.high'))).toBe(true);
    const s2 = Store.open(dir);
    const [view] = s2.screening.views(bagId);
    expect(Array.from(view?.low ?? [])).toEqual([1, 0, 2, 0]);
    expect(Array.from(view?.high ?? [])).toEqual([3, 0, 4, 0]);
    await s2.close();
  });

  it('records a decision exactly once per idempotency key', async () => {
    const s = Store.open(':memory:');
    const { bagId, decision } = await withOfficerAndBag(s);
    const first = s.screening.recordDecision('li.wei', decision, new Date());
    const again = s.screening.recordDecision('li.wei', decision, new Date());
    expect(first.ok && !first.duplicate).toBe(true);
    expect(again.ok && again.duplicate).toBe(true);
    expect(again.ok && first.ok && again.decision.decisionId === first.decision.decisionId).toBe(true);
    expect(s.screening.decisionsForBag(bagId)).toHaveLength(1);
    expect(s.screening.bag(bagId)?.state).toBe('decided');
    // a new key for the same, now closed, assignment is a conflict, not a second decision
    const other = s.screening.recordDecision('li.wei', { ...decision, idempotencyKey: randomUUID() }, new Date());
    expect(other).toMatchObject({ ok: false, code: 'conflict' });
    expect(s.screening.decisionCount()).toBe(1);
  });

  it('refuses a decision on a bag assigned to someone else', async () => {
    const s = Store.open(':memory:');
    const { decision } = await withOfficerAndBag(s);
    await s.identity.createOfficer({ id: 'zhang.min', name: 'Zhang Min', role: 'screening-officer', password: 'battery staple' });
    expect(s.screening.recordDecision('zhang.min', decision, new Date())).toMatchObject({ ok: false, code: 'forbidden' });
    expect(s.screening.recordDecision('li.wei', { ...decision, bagId: randomUUID() }, new Date())).toMatchObject({ ok: false, code: 'forbidden' });
    expect(s.screening.recordDecision('li.wei', { ...decision, assignmentId: randomUUID() }, new Date())).toMatchObject({ ok: false, code: 'not-found' });
    expect(s.screening.decisionCount()).toBe(0);
  });

  it('puts a withdrawn bag back in the waiting line and refuses late decisions on it', async () => {
    const s = Store.open(':memory:');
    const { bagId, a, decision } = await withOfficerAndBag(s);
    expect(s.screening.withdraw(a.assignmentId, 'officer signed out', new Date())).toBe(true);
    expect(s.screening.waitingBags().map((b) => b.bagId)).toEqual([bagId]);
    expect(s.screening.recordDecision('li.wei', decision, new Date())).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('keeps committed decisions across a reopen', async () => {
    const dir = tempDir();
    const s1 = Store.open(dir);
    const { bagId, decision } = await withOfficerAndBag(s1);
    s1.screening.recordDecision('li.wei', decision, new Date());
    await s1.close();
    const s2 = Store.open(dir);
    expect(s2.screening.decisionsForBag(bagId)).toHaveLength(1);
    await s2.close();
  });
});
