import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ScanSubmit } from '@clearway/protocol';
import { GENESIS_HASH, Store, canonicalJson } from './index.ts';

const scan = (): ScanSubmit => ({
  scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: '0999123456', scannedAt: new Date().toISOString(),
  views: [{ view: 'top', width: 2, height: 1, encoding: 'dual-energy-u16le', low: new Uint8Array([1, 0, 2, 0]), high: new Uint8Array([3, 0, 4, 0]) }],
});
const HASH = 'scrypt$32768$8$c2FsdA$a2V5'; // importOfficer takes a stored hash: no scrypt work in these tests

/** A store with a few days' worth of history in miniature: accounts, a device, bags assigned and decided. */
function storeWithHistory(bags = 3): Store {
  const s = Store.open(':memory:');
  s.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash: HASH }, { kind: 'cli', id: 'root' });
  s.identity.createDevice('scanner-1', 'scanner', { kind: 'cli', id: 'root' });
  for (let i = 0; i < bags; i++) {
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    s.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: i % 2 ? 'search' : 'clear', shownAt: now, decidedAt: now }, new Date());
  }
  return s;
}

/** What someone with the sqlite3 shell and write access to the file can do: remove the guards first. */
function dropGuards(s: Store): void {
  s.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_chain;');
}

describe('audit trail', () => {
  it('chains every row to the one before and verifies', () => {
    const s = storeWithHistory();
    const rows = s.audit.tail(100);
    expect(rows.map((r) => r.type)).toEqual([
      'user.created', 'device.registered',
      'bag.assigned', 'decision.recorded', 'bag.assigned', 'decision.recorded', 'bag.assigned', 'decision.recorded',
    ]);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prevHash).toBe(rows[i - 1]?.hash);
    expect(s.audit.verify()).toEqual({ ok: true, rows: 8, head: { seq: 8, hash: rows[7]?.hash, at: rows[7]?.at } });
    expect(Store.open(':memory:').audit.verify()).toEqual({ ok: true, rows: 0, head: null });
  });

  it('hashes the documented encoding: SHA-256 of the JSON array of the fields, payload as canonical text', () => {
    const s = Store.open(':memory:');
    const row = s.audit.append({ type: 'config.changed', actor: { kind: 'cli', id: 'root' }, subjectId: 'tip.share', payload: { to: 0.05, from: 0.02, by: { z: 1, a: [2, { y: 1, b: 'é' }] } } }, new Date('2026-03-01T08:00:00.000Z'));
    expect(row.payload).toBe('{"by":{"a":[2,{"b":"é","y":1}],"z":1},"from":0.02,"to":0.05}');
    const text = `[1,"2026-03-01T08:00:00.000Z","cli","root","config.changed","tip.share",${JSON.stringify(row.payload)},"${GENESIS_HASH}"]`;
    expect(row.hash).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
    expect(() => s.audit.append({ type: 'config.changed', actor: { kind: 'cli', id: 'root' }, subjectId: null, payload: { x: Number.NaN } })).toThrow();
  });

  it('refuses UPDATE, DELETE and rows that do not continue the chain', () => {
    const s = storeWithHistory(1);
    expect(() => s.db.prepare(`UPDATE audit_log SET payload = '{}' WHERE seq = 1`).run()).toThrow(/append-only/);
    expect(() => s.db.prepare('DELETE FROM audit_log WHERE seq = 1').run()).toThrow(/append-only/);
    const insert = s.db.prepare('INSERT INTO audit_log (seq, at, actor_kind, actor_id, type, subject_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const head = s.audit.head();
    expect(() => insert.run(99, new Date().toISOString(), 'cli', 'x', 'config.changed', null, '{}', head?.hash, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(() => insert.run((head?.seq ?? 0) + 1, new Date().toISOString(), 'cli', 'x', 'config.changed', null, '{}', GENESIS_HASH, 'f'.repeat(64))).toThrow(/continue the chain/);
    expect(s.audit.verify().ok).toBe(true);
  });

  it('finds a row whose payload was edited in the file', () => {
    const s = storeWithHistory();
    dropGuards(s);
    s.db.prepare(`UPDATE audit_log SET payload = replace(payload, '"verdict":"search"', '"verdict":"clear"') WHERE seq = 6`).run();
    expect(s.audit.verify()).toMatchObject({ ok: false, seq: 6, reason: 'hash-mismatch', message: expect.stringMatching(/row 6 \(decision\.recorded\) was changed/) });
  });

  it('finds a deleted row in the middle and a deleted first row', () => {
    const s = storeWithHistory();
    dropGuards(s);
    s.db.prepare('DELETE FROM audit_log WHERE seq = 4').run();
    expect(s.audit.verify()).toMatchObject({ ok: false, seq: 5, reason: 'seq-gap', message: 'row 4 is missing before row 5 (deleted)' });
    const t = storeWithHistory();
    dropGuards(t);
    t.db.prepare('DELETE FROM audit_log WHERE seq <= 2').run();
    expect(t.audit.verify()).toMatchObject({ ok: false, seq: 3, reason: 'seq-gap' });
  });

  it('finds a row deleted and the rest renumbered to close the gap', () => {
    const s = storeWithHistory();
    dropGuards(s);
    s.db.exec('DELETE FROM audit_log WHERE seq = 4; UPDATE audit_log SET seq = seq - 1 WHERE seq > 4;');
    expect(s.audit.verify()).toMatchObject({ ok: false, seq: 4, reason: 'prev-hash-mismatch' });
  });

  it('finds an inserted row, even one that carries a correct hash of its own', () => {
    const s = storeWithHistory();
    dropGuards(s);
    // Make room after row 3, then forge a row 4 that links to row 3 and hashes correctly.
    s.db.exec('UPDATE audit_log SET seq = seq + 1000 WHERE seq > 3; UPDATE audit_log SET seq = seq - 999 WHERE seq > 1000;');
    const row3 = s.db.prepare('SELECT hash FROM audit_log WHERE seq = 3').get() as { hash: string };
    const at = new Date().toISOString();
    const payload = canonicalJson({ decisionId: randomUUID(), verdict: 'clear' });
    const hash = createHash('sha256').update(JSON.stringify([4, at, 'officer', 'li.wei', 'decision.recorded', 'bag-x', payload, row3.hash])).digest('hex');
    s.db.prepare('INSERT INTO audit_log (seq, at, actor_kind, actor_id, type, subject_id, payload, prev_hash, hash) VALUES (4, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(at, 'officer', 'li.wei', 'decision.recorded', 'bag-x', payload, row3.hash, hash);
    expect(s.audit.verify()).toMatchObject({ ok: false, seq: 5, reason: 'prev-hash-mismatch' });

    const t = storeWithHistory();
    dropGuards(t);
    t.db.prepare('INSERT INTO audit_log (seq, at, actor_kind, actor_id, type, subject_id, payload, prev_hash, hash) VALUES (9, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(at, 'officer', 'li.wei', 'decision.recorded', 'bag-x', '{}', 'a'.repeat(64), 'b'.repeat(64));
    expect(t.audit.verify()).toMatchObject({ ok: false, seq: 9, reason: 'prev-hash-mismatch' });
  });

  it('needs an anchor to catch a cut-off tail or a chain rewritten from the edit onwards', () => {
    const s = storeWithHistory();
    const anchor = s.audit.head()?.hash ?? '';
    expect(s.audit.verify({ anchor })).toMatchObject({ ok: true, anchorSeq: 8 });
    dropGuards(s);
    s.db.prepare('DELETE FROM audit_log WHERE seq >= 7').run();
    expect(s.audit.verify()).toMatchObject({ ok: true, rows: 6 }); // consistent in itself
    expect(s.audit.verify({ anchor })).toMatchObject({ ok: false, seq: null, reason: 'anchor-not-found' });

    // An edit to row 2 with every later hash recomputed checks out alone, but loses the anchor.
    const t = storeWithHistory();
    const tAnchor = t.audit.head()?.hash ?? '';
    dropGuards(t);
    t.db.prepare(`UPDATE audit_log SET payload = '{"kind":"robot-bridge"}' WHERE seq = 2`).run();
    let prev = (t.db.prepare('SELECT hash FROM audit_log WHERE seq = 1').get() as { hash: string }).hash;
    for (const r of t.db.prepare('SELECT * FROM audit_log WHERE seq >= 2 ORDER BY seq').all() as Record<string, string | number | null>[]) {
      const hash = createHash('sha256').update(JSON.stringify([r['seq'], r['at'], r['actor_kind'], r['actor_id'], r['type'], r['subject_id'], r['payload'], prev])).digest('hex');
      t.db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?').run(prev, hash, r['seq']);
      prev = hash;
    }
    expect(t.audit.verify().ok).toBe(true);
    expect(t.audit.verify({ anchor: tAnchor })).toMatchObject({ ok: false, reason: 'anchor-not-found' });
  });

  it('commits a decision and its audit row together or not at all', () => {
    const s = storeWithHistory(0);
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    const now = new Date().toISOString();
    const decision = { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict: 'clear' as const, shownAt: now, decidedAt: now };
    // A disk that refuses the audit row (simulated with a trigger): the decision must not stand alone.
    s.db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.type = 'decision.recorded' BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    expect(() => s.screening.recordDecision('li.wei', decision, new Date())).toThrow(/disk full/);
    expect(s.screening.decisionCount()).toBe(0);
    expect(s.screening.bag(bagId)?.state).toBe('assigned');
    s.db.exec('DROP TRIGGER fail_audit');
    expect(s.screening.recordDecision('li.wei', decision, new Date()).ok).toBe(true);
    expect(s.screening.recordDecision('li.wei', decision, new Date())).toMatchObject({ ok: true, duplicate: true });
    expect(s.screening.recordDecision('li.wei', { ...decision, idempotencyKey: randomUUID(), assignmentId: randomUUID() }, new Date()).ok).toBe(false);
    expect(s.audit.tail(100).filter((r) => r.type === 'decision.recorded')).toHaveLength(1); // refused and repeated decisions write nothing
    expect(s.audit.verify().ok).toBe(true);
  });

  it('records withdrawals, account and device changes with their actor', async () => {
    const s = storeWithHistory(0);
    const { bagId } = s.screening.storeScan('scanner-1', scan(), new Date());
    const a = s.screening.assign(bagId, 'li.wei', new Date());
    s.screening.withdraw(a.assignmentId, 'officer signed out', new Date());
    await s.identity.setPassword('li.wei', 'a new passphrase', { kind: 'cli', id: 'root' });
    s.identity.rotateDeviceToken('scanner-1', { kind: 'cli', id: 'root' });
    s.identity.revokeDevice('scanner-1', { kind: 'cli', id: 'root' });
    expect(() => s.identity.revokeDevice('no-such-device')).toThrow(/no device/);
    const rows = s.audit.tail(5);
    expect(rows.map((r) => [r.type, r.actorKind, r.actorId, r.subjectId])).toEqual([
      ['bag.assigned', 'hub', 'dispatcher', bagId],
      ['bag.withdrawn', 'hub', 'dispatcher', bagId],
      ['user.changed', 'cli', 'root', 'li.wei'],
      ['device.token-rotated', 'cli', 'root', 'scanner-1'],
      ['device.revoked', 'cli', 'root', 'scanner-1'],
    ]);
    expect(JSON.parse(rows[1]?.payload ?? '{}')).toEqual({ assignmentId: a.assignmentId, officerId: 'li.wei', reason: 'officer signed out' });
    expect(s.audit.count()).toBe(7);
    expect(s.audit.verify().ok).toBe(true);
  });

  it('selects rows by time for export', () => {
    const s = Store.open(':memory:');
    for (const [i, at] of ['2026-03-01T08:00:00Z', '2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z'].entries()) {
      s.audit.append({ type: 'config.changed', actor: { kind: 'cli', id: 'root' }, subjectId: `k${i}`, payload: {} }, new Date(at));
    }
    expect([...s.audit.entries({ from: '2026-03-01T09:00:00Z' })].map((r) => r.subjectId)).toEqual(['k1', 'k2']);
    expect([...s.audit.entries({ from: '2026-03-01T08:30:00Z', to: '2026-03-01T10:00:00Z' })].map((r) => r.subjectId)).toEqual(['k1']);
    expect([...s.audit.entries()]).toHaveLength(3);
  });
});
