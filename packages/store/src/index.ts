import { join } from 'node:path';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { DATABASE_FILE, openDatabase, type Db } from './database.ts';
import { IdentityRepository } from './identity.ts';
import { ScreeningRepository } from './screening.ts';

export { openDatabase, migrate, schemaVersion, DATABASE_FILE, type Db } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { IdentityRepository, StoreError } from './identity.ts';
export { ScreeningRepository, type StoredDecision, type OpenAssignment, type RecordDecisionResult } from './screening.ts';
export { hashPassword, verifyPassword, newToken, hashToken } from './credentials.ts';

/** Folder in the data folder that holds scan image planes. */
export const SCANS_DIR = 'scans';

/** The hub's storage: one SQLite database (and scan images beside it), reached only through these repositories. */
export class Store {
  readonly identity: IdentityRepository;
  readonly screening: ScreeningRepository;

  private constructor(readonly db: Db, private readonly checkpointer: Checkpointer | null, imageDir: string | null) {
    this.identity = new IdentityRepository(db);
    this.screening = new ScreeningRepository(db, imageDir);
  }

  /**
   * `dataDir` holds clearway.sqlite; ':memory:' for tests. A long-lived process (the hub) asks
   * for background checkpoints; short-lived tools checkpoint when they close.
   */
  static open(dataDir: string | ':memory:', options: { backgroundCheckpoints?: boolean; onError?: (message: string) => void } = {}): Store {
    const db = openDatabase(dataDir);
    const checkpointer = options.backgroundCheckpoints && dataDir !== ':memory:'
      ? startCheckpointer(join(dataDir, DATABASE_FILE), 1000, options.onError)
      : null;
    return new Store(db, checkpointer, dataDir === ':memory:' ? null : join(dataDir, SCANS_DIR));
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    if (this.db.open) {
      // Fold what this connection wrote back into the database file; PASSIVE never waits on
      // a running hub's readers or writer.
      try { this.db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the hub's checkpointer will */ }
      this.db.close();
    }
  }
}
