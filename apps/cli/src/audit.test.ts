// `pnpm clearway audit …` and `decisions export --tdr` as processes, on a data folder with a short
// history; then the same folder tampered with as someone with the sqlite3 shell would.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDicos, uidFromUuid } from '@clearway/dicos';
import { ScanSubmit } from '@clearway/protocol';
import { GENESIS_HASH, Store } from '@clearway/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const ROOT = resolve(dirname(MAIN), '../../..');
const PASSWORD_HASH = 'scrypt$32768$8$c2FsdA$a2V5'; // imported, never checked here
let dir: string;
const decisionIds: string[] = [];

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', MAIN, '--data', dir, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clearway-cli-audit-'));
  const store = Store.open(dir);
  try {
    store.identity.importOfficer({ id: 'li.wei', name: 'Li Wei', role: 'screening-officer', passwordHash: PASSWORD_HASH });
    store.identity.createDevice('scanner-1', 'scanner');
    const plane = new Uint8Array(4 * 4 * 2);
    for (const verdict of ['clear', 'search'] as const) {
      const scan = ScanSubmit.parse({
        scanId: randomUUID(), lane: 'lane-1', flight: 'CA981', bagTag: '0999100001', scannedAt: new Date().toISOString(),
        views: [{ view: 'top', width: 4, height: 4, encoding: 'dual-energy-u16le', low: plane, high: plane }],
      });
      const { bagId } = store.screening.storeScan('scanner-1', scan, new Date());
      const a = store.screening.assign(bagId, 'li.wei', new Date());
      const shownAt = new Date(Date.now() - 4000).toISOString();
      const r = store.screening.recordDecision('li.wei', { idempotencyKey: randomUUID(), assignmentId: a.assignmentId, bagId, verdict, shownAt, decidedAt: new Date().toISOString() }, new Date());
      if (r.ok) decisionIds.push(r.decision.decisionId);
    }
    // A note that needs CSV quoting: commas, quotes and a line break.
    store.audit.append({ type: 'config.changed', actor: { kind: 'cli', id: 'root' }, subjectId: 'tip.note', payload: { to: 'say "hello",\nthen go' } });
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Minimal RFC 4180 reader, enough to check the export independently of the writer. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

describe('clearway audit', () => {
  it('verifies, anchors, tails and exports an intact trail', async () => {
    const csv = join(dir, 'audit.csv');
    const [verify, anchor, tail, exported] = await Promise.all([cli('audit', 'verify'), cli('audit', 'anchor'), cli('audit', 'tail', '-n', '2'), cli('audit', 'export', '--csv', csv)]);
    expect(verify.code).toBe(0);
    const result = JSON.parse(verify.stdout) as { ok: boolean; rows: number; head: { seq: number; hash: string } };
    expect(result).toMatchObject({ ok: true, rows: 7, head: { seq: 7 } });
    expect(anchor.code).toBe(0);
    expect(JSON.parse(anchor.stdout)).toMatchObject({ rows: 7, seq: 7, hash: result.head.hash });
    const lines = tail.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; type: string; payload: unknown });
    expect(lines.map((l) => [l.seq, l.type])).toEqual([[6, 'decision.recorded'], [7, 'config.changed']]);
    expect(lines[1]?.payload).toEqual({ to: 'say "hello",\nthen go' });

    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ rows: 7, file: csv });
    const [header, ...rows] = parseCsv(await readFile(csv, 'utf8'));
    expect(header).toEqual(['seq', 'at', 'actor_kind', 'actor_id', 'type', 'subject_id', 'payload', 'prev_hash', 'hash']);
    expect(rows).toHaveLength(7);
    // The export alone is enough to check the chain again, elsewhere.
    let prev = GENESIS_HASH;
    for (const [seq, at, kind, id, type, subject, payload, prevHash, hash] of rows) {
      expect(prevHash).toBe(prev);
      const text = JSON.stringify([Number(seq), at, kind, id, type, subject === '' ? null : subject, payload, prevHash]);
      expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
      prev = hash ?? '';
    }
    expect(prev).toBe(result.head.hash);
  }, 60_000);

  it('exports decisions as operator TDRs once each', async () => {
    const out = join(dir, 'tdr');
    const first = await cli('decisions', 'export', '--tdr', out);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ written: 2, existing: 0, dir: out });
    const files = (await readdir(out)).sort();
    expect(files).toEqual(decisionIds.map((id) => `${uidFromUuid(id)}.dcm`).sort());
    const search = readDicos(await readFile(join(out, `${uidFromUuid(decisionIds[1] ?? '')}.dcm`)));
    expect(search).toMatchObject({ kind: 'tdr', tdrType: 'OPERATOR', alarmDecision: 'ALARM', operator: { id: 'li.wei', name: 'Li Wei' } });
    const again = await cli('decisions', 'export', '--tdr', out);
    expect(JSON.parse(again.stdout)).toEqual({ written: 0, existing: 2, dir: out });
  }, 60_000);

  it('exits 1 naming the first broken row when the database was tampered with', async () => {
    const anchor = (JSON.parse((await cli('audit', 'anchor')).stdout) as { hash: string }).hash;
    const store = Store.open(dir);
    try {
      store.db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
      store.db.prepare(`UPDATE audit_log SET payload = replace(payload, '"verdict":"search"', '"verdict":"clear"') WHERE type = 'decision.recorded' AND seq = 6`).run();
    } finally {
      await store.close();
    }
    const edited = await cli('audit', 'verify');
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, seq: 6, reason: 'hash-mismatch' });
    expect(edited.stderr).toMatch(/audit trail broken at row 6: row 6 \(decision\.recorded\) was changed/);

    // Cut off the edited row and everything after: consistent on its own, but not with the anchor.
    const cut = Store.open(dir);
    try {
      cut.db.prepare('DELETE FROM audit_log WHERE seq >= 6').run();
    } finally {
      await cut.close();
    }
    const [plain, anchored, badAnchor] = await Promise.all([cli('audit', 'verify'), cli('audit', 'verify', '--anchor', anchor), cli('audit', 'verify', '--anchor', 'xyz')]);
    expect(plain.code).toBe(0);
    expect(anchored.code).toBe(1);
    expect(JSON.parse(anchored.stdout)).toMatchObject({ ok: false, reason: 'anchor-not-found' });
    expect(anchored.stderr).toMatch(/cut short or rewritten/);
    expect(badAnchor.code).toBe(2);
  }, 60_000);
});
