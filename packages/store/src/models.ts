import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSummary } from '@clearway/protocol';
import { SYSTEM_ACTOR, appendAudit, type AuditActor } from './audit.ts';
import type { Db } from './database.ts';
import { StoreError } from './identity.ts';

/** What the registry records about a model; @clearway/detection's readModelInfo gives it. */
export interface ModelHeader { classNames: string[]; inputWidth: number; inputHeight: number }

/** Checks a model file and reads its header; throws (ModelRefused) to refuse it. */
export type ModelInspector = (bytes: Uint8Array) => ModelHeader;

export type StoredModel = ModelSummary;

interface ModelRow {
  sha256: string; name: string; file_name: string; class_names: string; input_width: number; input_height: number;
  size_bytes: number; added_at: string; added_by: string; active: number;
}

const toModel = (r: ModelRow): StoredModel => ({
  sha256: r.sha256, name: r.name, fileName: r.file_name, classNames: JSON.parse(r.class_names) as string[],
  inputWidth: r.input_width, inputHeight: r.input_height, sizeBytes: r.size_bytes, addedAt: r.added_at, addedBy: r.added_by, active: r.active === 1,
});

const COLUMNS = 'sha256, name, file_name, class_names, input_width, input_height, size_bytes, added_at, added_by, active';

/** How an actor is written in `added_by`: officers by their ID, everyone else as kind:id. */
const addedBy = (actor: AuditActor): string => (actor.kind === 'officer' ? actor.id : `${actor.kind}:${actor.id}`);

/** Display name from a file name: "clearway-xray-ref-v1.onnx" → "clearway-xray-ref-v1". */
export function modelNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  return (base.replace(/\.onnx$/i, '').trim() || 'model').slice(0, 128);
}

/**
 * Detection models (ONNX files) and which one is active: exactly one once any is stored. In a
 * data folder the files live in MODELS_DIR/<sha256>.onnx, written before the row that points at
 * them; in-memory stores keep them in the row. Adding, activating and the audit trail entry for
 * each commit together.
 */
export class ModelRepository {
  private readonly stmt;
  private readonly atomically: <T>(work: () => T) => T;

  /** `modelDir`: where model files are written; null keeps them in the database (in-memory stores). */
  constructor(private readonly db: Db, private readonly modelDir: string | null = null) {
    const run = db.transaction((work: () => unknown) => work());
    this.atomically = <T>(work: () => T): T => run.immediate(work) as T;
    this.stmt = {
      get: db.prepare(`SELECT ${COLUMNS} FROM models WHERE sha256 = ?`),
      byPrefix: db.prepare(`SELECT ${COLUMNS} FROM models WHERE sha256 LIKE ? || '%' ORDER BY added_at LIMIT 2`),
      list: db.prepare(`SELECT ${COLUMNS} FROM models ORDER BY added_at, sha256`),
      current: db.prepare(`SELECT ${COLUMNS} FROM models WHERE active = 1`),
      count: db.prepare('SELECT COUNT(*) AS n FROM models'),
      insert: db.prepare(`INSERT INTO models (${COLUMNS}, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`),
      deactivate: db.prepare('UPDATE models SET active = 0 WHERE active = 1'),
      activate: db.prepare('UPDATE models SET active = 1 WHERE sha256 = ?'),
      blob: db.prepare('SELECT bytes FROM models WHERE sha256 = ?'),
    };
  }

  /**
   * Registers a model file after `inspect` accepts it (pass @clearway/detection's readModelInfo,
   * or a closure over verifyModel's result); a refusal is thrown unchanged and nothing changes.
   * The first model stored becomes active; later ones when `activate` is set. The same file added
   * again is the same model (`duplicate: true`; activated if asked).
   */
  add(
    bytes: Uint8Array, inspect: ModelInspector,
    options: { fileName: string; name?: string; activate?: boolean; actor?: AuditActor },
  ): { model: StoredModel; duplicate: boolean } {
    const header = inspect(bytes);
    const actor = options.actor ?? SYSTEM_ACTOR;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = this.get(sha256);
    if (existing) {
      if (options.activate && !existing.active) this.activate(sha256, actor);
      return { model: this.get(sha256) as StoredModel, duplicate: true };
    }
    const fileName = (options.fileName.split(/[\\/]/).pop() ?? options.fileName).slice(0, 255);
    const name = (options.name?.trim() || modelNameFromFile(fileName)).slice(0, 128);
    // The file first, then the row: a crash between leaves an orphan file, never a row without its model.
    if (this.modelDir) {
      mkdirSync(this.modelDir, { recursive: true });
      const path = this.path(sha256);
      writeFileSync(`${path}.part`, bytes);
      renameSync(`${path}.part`, path); // a hub serving this path never sees half a file
    }
    try {
      this.insert(sha256, name, fileName, header, bytes, actor, options.activate ?? false);
    } catch (e) {
      // Added by another process (the hub and the CLI) a moment ago: the same model.
      if (e instanceof Error && /UNIQUE|PRIMARY KEY/.test(e.message)) return this.add(bytes, () => header, options);
      throw e;
    }
    return { model: this.get(sha256) as StoredModel, duplicate: false };
  }

  private insert(sha256: string, name: string, fileName: string, header: ModelHeader, bytes: Uint8Array, actor: AuditActor, activate: boolean): void {
    this.atomically(() => {
      this.stmt.insert.run(sha256, name, fileName, JSON.stringify(header.classNames), header.inputWidth, header.inputHeight, bytes.length,
        new Date().toISOString(), addedBy(actor), this.modelDir ? null : bytes);
      appendAudit(this.db, {
        type: 'model.added', actor, subjectId: sha256,
        payload: { name, fileName, sizeBytes: bytes.length, classNames: header.classNames, inputWidth: header.inputWidth, inputHeight: header.inputHeight },
      });
      const first = (this.stmt.count.get() as { n: number }).n === 1;
      if (first || activate) this.switchTo(sha256, actor);
    });
  }

  /** Makes the model active (the one consoles run). Refuses unknown models; the current one stays. */
  activate(sha256: string, actor: AuditActor = SYSTEM_ACTOR): StoredModel {
    return this.atomically(() => {
      if (!this.get(sha256)) throw new StoreError('not-found', `no model ${sha256}`);
      this.switchTo(sha256, actor);
      return this.get(sha256) as StoredModel;
    });
  }

  private switchTo(sha256: string, actor: AuditActor): void {
    const previous = this.current();
    if (previous?.sha256 === sha256) return;
    this.stmt.deactivate.run();
    this.stmt.activate.run(sha256);
    appendAudit(this.db, { type: 'model.activated', actor, subjectId: sha256, payload: { previous: previous?.sha256 ?? null } });
  }

  get(sha256: string): StoredModel | null {
    const row = this.stmt.get.get(sha256) as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  /** The model whose SHA-256 starts with `prefix` (at least 6 hex digits, as `git` abbreviates). */
  find(prefix: string): StoredModel {
    const p = prefix.trim().toLowerCase();
    if (!/^[0-9a-f]{6,64}$/.test(p)) throw new StoreError('invalid', 'give the model\'s SHA-256, or its first 6 or more hex digits');
    const rows = this.stmt.byPrefix.all(p) as ModelRow[];
    if (rows.length === 0) throw new StoreError('not-found', `no model ${p}`);
    if (rows.length > 1) throw new StoreError('invalid', `${p} matches more than one model; give more digits`);
    return toModel(rows[0] as ModelRow);
  }

  list(): StoredModel[] {
    return (this.stmt.list.all() as ModelRow[]).map(toModel);
  }

  /** The active model, or null while none is stored. */
  current(): StoredModel | null {
    const row = this.stmt.current.get() as ModelRow | undefined;
    return row ? toModel(row) : null;
  }

  /** The model file's bytes. */
  bytes(sha256: string): Uint8Array {
    if (!this.get(sha256)) throw new StoreError('not-found', `no model ${sha256}`);
    if (this.modelDir) return readFileSync(this.path(sha256));
    const row = this.stmt.blob.get(sha256) as { bytes: Uint8Array | null };
    if (!row.bytes) throw new StoreError('not-found', `model ${sha256} has no file`);
    return row.bytes;
  }

  /** Where the model's file is (data folders), for streaming it; null for in-memory stores. */
  filePath(sha256: string): string | null {
    return this.modelDir ? this.path(sha256) : null;
  }

  /**
   * SQLite's data_version: changes whenever another connection (the CLI, say) commits to the
   * database. A cheap question to ask every second before looking at the active model again.
   */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  private path(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new StoreError('invalid', 'not a SHA-256');
    return join(this.modelDir as string, `${sha256}.onnx`);
  }
}
