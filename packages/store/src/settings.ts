import { SETTINGS, isSettingKey, parseSetting, type AuditActor, type SettingKey, type SettingValue } from '@clearway/protocol';
import { SYSTEM_ACTOR, appendAudit } from './audit.ts';
import type { Db } from './database.ts';
import { StoreError } from './identity.ts';

export interface StoredSetting {
  key: SettingKey;
  value: unknown;
  updatedAt: string;
  updatedBy: string;
}

/**
 * Run-time settings (the keys and their schemas: SETTINGS in @clearway/protocol). Every change
 * writes `config.changed` (subject: the key; payload: from, to) in the same transaction.
 * `version` moves on every change made through this object, so a reader in the same process
 * notices at once; another process (the CLI) is seen on the reader's next look at the table.
 */
export class SettingsRepository {
  private readonly stmt;
  version = 0;

  constructor(private readonly db: Db) {
    this.stmt = {
      get: db.prepare('SELECT key, value, updated_at, updated_by FROM settings WHERE key = ?'),
      all: db.prepare('SELECT key, value, updated_at, updated_by FROM settings ORDER BY key'),
      upsert: db.prepare(`INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
                          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`),
      remove: db.prepare('DELETE FROM settings WHERE key = ?'),
    };
  }

  /**
   * The key's value as stored, parsed with its schema; null when the key is not set. A stored
   * value the schema refuses (edited by hand) is an error: the caller decides whether to fall
   * back to the defaults.
   */
  get<K extends SettingKey>(key: K): SettingValue<K> | null {
    const row = this.stmt.get.get(key) as { value: string } | undefined;
    if (!row) return null;
    return SETTINGS[key].parse(JSON.parse(row.value)) as SettingValue<K>;
  }

  /** The key's value, or its schema's defaults when it is not set. */
  effective<K extends SettingKey>(key: K): SettingValue<K> {
    return this.get(key) ?? this.defaults(key);
  }

  /** What a key is when nobody set it. */
  defaults<K extends SettingKey>(key: K): SettingValue<K> {
    return SETTINGS[key].parse({}) as SettingValue<K>;
  }

  list(): StoredSetting[] {
    return (this.stmt.all.all() as { key: SettingKey; value: string; updated_at: string; updated_by: string }[])
      .map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  /** Checks the value against the key's schema and stores it with its defaults filled in. */
  set(key: string, value: unknown, actor: AuditActor = SYSTEM_ACTOR, at = new Date()): StoredSetting {
    const parsed = parseSetting(key, value);
    if (!parsed.ok) throw new StoreError('invalid', parsed.message);
    const text = JSON.stringify(parsed.value);
    const stored = this.db.transaction(() => {
      const prior = this.stmt.get.get(parsed.key) as { value: string } | undefined;
      this.stmt.upsert.run(parsed.key, text, at.toISOString(), `${actor.kind}:${actor.id}`);
      appendAudit(this.db, {
        type: 'config.changed', actor, subjectId: parsed.key,
        payload: { from: prior ? (JSON.parse(prior.value) as never) : null, to: parsed.value as never },
      }, at);
      return { key: parsed.key, value: parsed.value, updatedAt: at.toISOString(), updatedBy: `${actor.kind}:${actor.id}` };
    }).immediate();
    this.version++;
    return stored;
  }

  /** Back to the defaults. False when the key was not set. */
  unset(key: string, actor: AuditActor = SYSTEM_ACTOR, at = new Date()): boolean {
    if (!isSettingKey(key)) throw new StoreError('invalid', `unknown setting ${key}; known: ${Object.keys(SETTINGS).join(', ')}`);
    const removed = this.db.transaction(() => {
      const prior = this.stmt.get.get(key) as { value: string } | undefined;
      if (!prior) return false;
      this.stmt.remove.run(key);
      appendAudit(this.db, { type: 'config.changed', actor, subjectId: key, payload: { from: JSON.parse(prior.value) as never, to: null } }, at);
      return true;
    }).immediate();
    if (removed) this.version++;
    return removed;
  }
}
