import { TeamName, type DeviceKind, type Officer, type Role } from '@clearway/protocol';
import { SYSTEM_ACTOR, appendAudit, type AuditActor } from './audit.ts';
import type { Db } from './database.ts';
import { hashPassword, hashToken, newToken, verifyPassword } from './credentials.ts';

interface OfficerRow { id: string; name: string; role: Role; password_hash: string; disabled: number }

export class StoreError extends Error {
  constructor(readonly code: 'exists' | 'not-found' | 'invalid', message: string) {
    super(message);
  }
}

/** A team name checked and trimmed; null or absent: in no team. */
function teamOf(team: string | null | undefined): string | null {
  if (team === null || team === undefined) return null;
  const parsed = TeamName.safeParse(team);
  if (!parsed.success) throw new StoreError('invalid', `team: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/**
 * Officers, their sign-in sessions, and device tokens. Every change is written to the audit
 * trail in the same transaction; `actor` says who made it (the CLI passes the OS user).
 */
export class IdentityRepository {
  private readonly atomically: <T>(work: () => T) => T;

  constructor(private readonly db: Db) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run.immediate(work) as T;
  }

  async createOfficer(input: { id: string; name: string; role: Role; password: string; team?: string | null }, actor: AuditActor = SYSTEM_ACTOR): Promise<Officer> {
    if (input.password.length < 8) throw new StoreError('invalid', 'password must have at least 8 characters');
    const team = teamOf(input.team);
    const hash = await hashPassword(input.password);
    try {
      this.atomically(() => {
        this.db.prepare('INSERT INTO officers (id, name, role, password_hash, created_at, team) VALUES (?, ?, ?, ?, ?, ?)')
          .run(input.id, input.name, input.role, hash, new Date().toISOString(), team);
        appendAudit(this.db, { type: 'user.created', actor, subjectId: input.id, payload: { name: input.name, role: input.role, imported: false, ...(team === null ? {} : { team }) } });
      });
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) throw new StoreError('exists', `officer ${input.id} already exists`);
      throw e;
    }
    return { id: input.id, name: input.name, role: input.role };
  }

  /** Creates an account from an existing scrypt hash (staff directory import, test fixtures). */
  importOfficer(input: { id: string; name: string; role: Role; passwordHash: string; team?: string | null }, actor: AuditActor = SYSTEM_ACTOR): Officer {
    if (!input.passwordHash.startsWith('scrypt$')) throw new StoreError('invalid', 'passwordHash must be a scrypt hash from hashPassword()');
    const team = teamOf(input.team);
    try {
      this.atomically(() => {
        this.db.prepare('INSERT INTO officers (id, name, role, password_hash, created_at, team) VALUES (?, ?, ?, ?, ?, ?)')
          .run(input.id, input.name, input.role, input.passwordHash, new Date().toISOString(), team);
        appendAudit(this.db, { type: 'user.created', actor, subjectId: input.id, payload: { name: input.name, role: input.role, imported: true, ...(team === null ? {} : { team }) } });
      });
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) throw new StoreError('exists', `officer ${input.id} already exists`);
      throw e;
    }
    return { id: input.id, name: input.name, role: input.role };
  }

  async setPassword(officerId: string, password: string, actor: AuditActor = SYSTEM_ACTOR): Promise<void> {
    if (password.length < 8) throw new StoreError('invalid', 'password must have at least 8 characters');
    const hash = await hashPassword(password);
    this.atomically(() => {
      const r = this.db.prepare('UPDATE officers SET password_hash = ? WHERE id = ?').run(hash, officerId);
      if (r.changes === 0) throw new StoreError('not-found', `no officer ${officerId}`);
      const ended = this.db.prepare('DELETE FROM sessions WHERE officer_id = ?').run(officerId).changes;
      appendAudit(this.db, { type: 'user.changed', actor, subjectId: officerId, payload: { password: true, sessionsEnded: ended } });
    });
  }

  getOfficer(id: string): Officer | null {
    const row = this.db.prepare('SELECT id, name, role, password_hash, disabled FROM officers WHERE id = ?').get(id) as OfficerRow | undefined;
    return row && !row.disabled ? { id: row.id, name: row.name, role: row.role } : null;
  }

  listOfficers(): (Officer & { disabled: boolean; team: string | null })[] {
    const rows = this.db.prepare('SELECT id, name, role, password_hash, disabled, team FROM officers ORDER BY id').all() as (OfficerRow & { team: string | null })[];
    return rows.map((r) => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, team: r.team }));
  }

  /** Puts the officer in a team (null: in none), audited as `user.changed` with from and to. */
  setTeam(officerId: string, team: string | null, actor: AuditActor = SYSTEM_ACTOR): { id: string; team: string | null } {
    const next = teamOf(team);
    this.atomically(() => {
      const row = this.db.prepare('SELECT team FROM officers WHERE id = ?').get(officerId) as { team: string | null } | undefined;
      if (!row) throw new StoreError('not-found', `no officer ${officerId}`);
      if (row.team === next) return;
      this.db.prepare('UPDATE officers SET team = ? WHERE id = ?').run(next, officerId);
      appendAudit(this.db, { type: 'user.changed', actor, subjectId: officerId, payload: { team: { from: row.team, to: next } } });
    });
    return { id: officerId, team: next };
  }

  /** Officer ID → team, for every officer in a team (disabled ones too: their past decisions count for it). */
  teams(): Record<string, string> {
    const rows = this.db.prepare('SELECT id, team FROM officers WHERE team IS NOT NULL').all() as { id: string; team: string }[];
    return Object.fromEntries(rows.map((r) => [r.id, r.team]));
  }

  /** The officer when ID and password match an enabled account; null otherwise (never says which part was wrong). */
  async checkPassword(id: string, password: string): Promise<Officer | null> {
    const row = this.db.prepare('SELECT id, name, role, password_hash, disabled FROM officers WHERE id = ?').get(id) as OfficerRow | undefined;
    if (!row || row.disabled) {
      await hashPassword(password); // same work as a real check, so timing does not reveal unknown IDs
      return null;
    }
    return (await verifyPassword(password, row.password_hash)) ? { id: row.id, name: row.name, role: row.role } : null;
  }

  /** Signs the officer in: a new session, recorded in the audit trail with `details` (address, …). */
  createSession(officerId: string, ttlMs: number, now = new Date(), details: { address?: string } = {}): { token: string; expiresAt: string } {
    const token = newToken();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    this.atomically(() => {
      this.db.prepare('INSERT INTO sessions (token_hash, officer_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(hashToken(token), officerId, now.toISOString(), expiresAt);
      appendAudit(this.db, {
        type: 'officer.signed-in', actor: { kind: 'officer', id: officerId }, subjectId: officerId,
        payload: { method: 'password', expiresAt, ...details },
      }, now);
    });
    return { token, expiresAt };
  }

  /** The session's officer while the session is live; expired sessions are removed on sight. */
  resolveSession(token: string, now = new Date()): { officer: Officer; expiresAt: string } | null {
    const row = this.db.prepare('SELECT officer_id, expires_at FROM sessions WHERE token_hash = ?').get(hashToken(token)) as
      { officer_id: string; expires_at: string } | undefined;
    if (!row) return null;
    if (Date.parse(row.expires_at) <= now.getTime()) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
      return null;
    }
    const officer = this.getOfficer(row.officer_id);
    return officer ? { officer, expiresAt: row.expires_at } : null;
  }

  endSession(token: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(hashToken(token));
  }

  /** Registers a device and returns its token: shown once, stored only as a hash. */
  createDevice(id: string, kind: DeviceKind, actor: AuditActor = SYSTEM_ACTOR): { id: string; kind: DeviceKind; token: string } {
    const token = newToken();
    try {
      this.atomically(() => {
        this.db.prepare('INSERT INTO devices (id, kind, token_hash, created_at) VALUES (?, ?, ?, ?)').run(id, kind, hashToken(token), new Date().toISOString());
        appendAudit(this.db, { type: 'device.registered', actor, subjectId: id, payload: { kind } });
      });
    } catch (e) {
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) throw new StoreError('exists', `device ${id} already exists`);
      throw e;
    }
    return { id, kind, token };
  }

  /** Issues a new token for an existing device; the old one stops working at once. */
  rotateDeviceToken(id: string, actor: AuditActor = SYSTEM_ACTOR): string {
    const token = newToken();
    this.atomically(() => {
      const r = this.db.prepare('UPDATE devices SET token_hash = ?, revoked = 0 WHERE id = ?').run(hashToken(token), id);
      if (r.changes === 0) throw new StoreError('not-found', `no device ${id}`);
      appendAudit(this.db, { type: 'device.token-rotated', actor, subjectId: id, payload: {} });
    });
    return token;
  }

  revokeDevice(id: string, actor: AuditActor = SYSTEM_ACTOR): void {
    this.atomically(() => {
      const r = this.db.prepare('UPDATE devices SET revoked = 1 WHERE id = ?').run(id);
      if (r.changes === 0) throw new StoreError('not-found', `no device ${id}`);
      appendAudit(this.db, { type: 'device.revoked', actor, subjectId: id, payload: {} });
    });
  }

  checkDeviceToken(id: string, token: string): { id: string; kind: DeviceKind } | 'revoked' | null {
    const row = this.db.prepare('SELECT id, kind, token_hash, revoked FROM devices WHERE id = ?').get(id) as
      { id: string; kind: DeviceKind; token_hash: string; revoked: number } | undefined;
    if (!row || row.token_hash !== hashToken(token)) return null;
    return row.revoked ? 'revoked' : { id: row.id, kind: row.kind };
  }

  listDevices(): { id: string; kind: DeviceKind; revoked: boolean; createdAt: string }[] {
    const rows = this.db.prepare('SELECT id, kind, revoked, created_at FROM devices ORDER BY id').all() as
      { id: string; kind: DeviceKind; revoked: number; created_at: string }[];
    return rows.map((r) => ({ id: r.id, kind: r.kind, revoked: r.revoked === 1, createdAt: r.created_at }));
  }
}
