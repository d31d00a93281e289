/**
 * The audit trail: an append-only, hash-chained log in the `audit_log` table.
 *
 * Each row's hash is SHA-256 (lower-case hex) over the UTF-8 bytes of the JSON text of the array
 *
 *   [seq, at, actor_kind, actor_id, type, subject_id, payload, prev_hash]
 *
 * exactly as JavaScript's JSON.stringify writes it (no white space; seq a number, subject_id a
 * string or null, every other field a string; `payload` is the stored payload *text*, so it is
 * hashed as one JSON string). The payload text itself is canonical JSON: object keys sorted by
 * UTF-16 code units at every level, no white space. In Python:
 *   hashlib.sha256(json.dumps([seq, at, kind, id, type, subject, payload, prev],
 *                             separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
 * `prev_hash` is the previous row's hash; the first row's is GENESIS_HASH (64 zeros).
 *
 * What this catches and what it cannot: an edited row (its hash no longer matches), a deleted
 * row (a gap in seq, or a broken prev_hash link once later rows are renumbered), an inserted
 * row (the next row's prev_hash no longer matches). A tamperer who rewrites every row after
 * the edit, or cuts rows off the end, leaves a chain that checks out on its own: only a head
 * hash written down elsewhere (`pnpm clearway audit anchor`) catches that, with
 * `verifyAuditChain(db, { anchor })`. Triggers refuse UPDATE and DELETE so the application
 * cannot change history by mistake; someone editing the file directly is caught by verify.
 */
import { createHash } from 'node:crypto';
import { AuditEvent, type AuditActor, type AuditEventInput, type AuditEventType } from '@clearway/protocol';
import type { Db } from './database.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level and no white space. Refuses what JSON cannot hold exactly. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean': return value ? 'true' : 'false';
    case 'string': return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`audit payloads hold finite numbers only, got ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default: throw new TypeError(`audit payloads hold plain JSON only, got ${typeof value}`);
  }
}

export interface AuditRowFields {
  seq: number;
  at: string;
  actorKind: string;
  actorId: string;
  type: string;
  subjectId: string | null;
  /** The canonical payload text, as stored. */
  payload: string;
  prevHash: string;
}

/** The row's hash in the encoding documented at the top of this file. */
export function auditHash(f: AuditRowFields): string {
  const text = JSON.stringify([f.seq, f.at, f.actorKind, f.actorId, f.type, f.subjectId, f.payload, f.prevHash]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** One stored row as it is in the table: `payload` is the canonical JSON text that was hashed. */
export interface AuditRecord extends AuditRowFields {
  hash: string;
}

interface AuditRow {
  seq: number; at: string; actor_kind: string; actor_id: string; type: string; subject_id: string | null;
  payload: string; prev_hash: string; hash: string;
}

const toRecord = (r: AuditRow): AuditRecord => ({
  seq: r.seq, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, type: r.type, subjectId: r.subject_id,
  payload: r.payload, prevHash: r.prev_hash, hash: r.hash,
});

const prepare = (db: Db) => ({
  head: db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1'),
  insert: db.prepare(`INSERT INTO audit_log (seq, at, actor_kind, actor_id, type, subject_id, payload, prev_hash, hash)
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
});
const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
function stmts(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = prepare(db);
    statements.set(db, s);
  }
  return s;
}

/**
 * Appends one event to the audit trail. Call it inside the transaction that does what the event
 * records (a decision, an assignment, an account change), so that both commit or neither does.
 * Outside a transaction it takes the write lock itself (BEGIN IMMEDIATE), so two processes on
 * one data folder (the hub and the CLI) never read the same head.
 */
export function appendAudit(db: Db, event: AuditEventInput, at: Date = new Date()): AuditRecord {
  const e = AuditEvent.parse(event);
  const write = (): AuditRecord => {
    const s = stmts(db);
    const head = s.head.get() as { seq: number; hash: string } | undefined;
    const fields: AuditRowFields = {
      seq: (head?.seq ?? 0) + 1, at: at.toISOString(), actorKind: e.actor.kind, actorId: e.actor.id, type: e.type,
      subjectId: e.subjectId, payload: canonicalJson(e.payload), prevHash: head?.hash ?? GENESIS_HASH,
    };
    const hash = auditHash(fields);
    s.insert.run(fields.seq, fields.at, fields.actorKind, fields.actorId, fields.type, fields.subjectId, fields.payload, fields.prevHash, hash);
    return { ...fields, hash };
  };
  return db.inTransaction ? write() : db.transaction(write).immediate();
}

export type AuditBreak =
  /** The row's content no longer gives its stored hash: edited in place. */
  | 'hash-mismatch'
  /** Rows are missing before this one: deleted. */
  | 'seq-gap'
  /** The row does not follow the one before it: a row was inserted, or removed and the rest renumbered. */
  | 'prev-hash-mismatch'
  /** No row carries the anchor hash: rows up to the anchor were rewritten, or the tail was cut off. */
  | 'anchor-not-found';

export type AuditVerification =
  | { ok: true; rows: number; head: { seq: number; hash: string; at: string } | null; anchorSeq?: number }
  | { ok: false; rows: number; seq: number | null; reason: AuditBreak; message: string };

/**
 * Walks the chain from the first row and returns the first row that breaks it, with the reason.
 * With `anchor` (a head hash written down earlier), also requires a row with that hash: a chain
 * cut short or rewritten up to it fails even when it is consistent in itself.
 */
export function verifyAuditChain(db: Db, options: { anchor?: string } = {}): AuditVerification {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let rows = 0;
  let last: AuditRow | null = null;
  let anchorSeq: number | undefined;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (r.seq !== expectedSeq) {
      const missing = r.seq - expectedSeq === 1 ? `row ${expectedSeq} is` : `rows ${expectedSeq}–${r.seq - 1} are`;
      return { ok: false, rows, seq: r.seq, reason: 'seq-gap', message: `${missing} missing before row ${r.seq} (deleted)` };
    }
    if (r.prev_hash !== prev) {
      return {
        ok: false, rows, seq: r.seq, reason: 'prev-hash-mismatch',
        message: `row ${r.seq} does not follow row ${r.seq - 1}: its prev_hash is not that row's hash (a row was inserted or removed before it)`,
      };
    }
    const hash = auditHash({
      seq: r.seq, at: r.at, actorKind: r.actor_kind, actorId: r.actor_id, type: r.type, subjectId: r.subject_id, payload: r.payload, prevHash: r.prev_hash,
    });
    if (hash !== r.hash) {
      return { ok: false, rows, seq: r.seq, reason: 'hash-mismatch', message: `row ${r.seq} (${r.type}) was changed after it was written: its content does not give its hash` };
    }
    if (options.anchor !== undefined && r.hash === options.anchor) anchorSeq = r.seq;
    prev = r.hash;
    expectedSeq++;
    rows++;
    last = r;
  }
  if (options.anchor !== undefined && anchorSeq === undefined) {
    return {
      ok: false, rows, seq: null, reason: 'anchor-not-found',
      message: `no row has the anchor hash ${options.anchor}: the trail was cut short or rewritten up to that point`,
    };
  }
  return {
    ok: true, rows, head: last ? { seq: last.seq, hash: last.hash, at: last.at } : null,
    ...(anchorSeq === undefined ? {} : { anchorSeq }),
  };
}

/** Reading and appending the audit trail. Appends inside other repositories' transactions go through appendAudit. */
export class AuditLog {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      range: db.prepare(`SELECT * FROM audit_log WHERE at >= ? AND at < ? ORDER BY seq`),
      tail: db.prepare('SELECT * FROM (SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq'),
      count: db.prepare('SELECT COUNT(*) AS n FROM audit_log'),
      head: db.prepare('SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1'),
    };
  }

  append(event: AuditEventInput, at?: Date): AuditRecord {
    return appendAudit(this.db, event, at);
  }

  /** Rows with `from` ≤ at < `to` (ISO 8601), oldest first; the whole trail without bounds. */
  *entries(range: { from?: string; to?: string } = {}): Generator<AuditRecord> {
    const from = range.from === undefined ? '' : new Date(range.from).toISOString();
    const to = range.to === undefined ? '\uffff' : new Date(range.to).toISOString();
    for (const r of this.stmt.range.iterate(from, to) as IterableIterator<AuditRow>) yield toRecord(r);
  }

  /** The last `n` rows, oldest first. */
  tail(n: number): AuditRecord[] {
    return (this.stmt.tail.all(n) as AuditRow[]).map(toRecord);
  }

  count(): number {
    return (this.stmt.count.get() as { n: number }).n;
  }

  /** The newest row's seq and hash: write it down elsewhere to detect a rewritten or shortened trail later. */
  head(): { seq: number; hash: string; at: string } | null {
    return (this.stmt.head.get() as { seq: number; hash: string; at: string } | undefined) ?? null;
  }

  verify(options: { anchor?: string } = {}): AuditVerification {
    return verifyAuditChain(this.db, options);
  }
}

/** Who acts when the hub itself assigns or withdraws a bag. */
export const HUB_DISPATCHER: AuditActor = { kind: 'hub', id: 'dispatcher' };
/** Default actor for store calls that name none (fixtures, imports); the CLI names the OS user. */
export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: 'clearway' };

export type { AuditActor, AuditEventInput, AuditEventType };
