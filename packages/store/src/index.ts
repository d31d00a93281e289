import { openDatabase, type Db } from './database.ts';
import { IdentityRepository } from './identity.ts';
import { ScreeningRepository } from './screening.ts';

export { openDatabase, migrate, schemaVersion, DATABASE_FILE, type Db } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { IdentityRepository, StoreError } from './identity.ts';
export { ScreeningRepository, type StoredDecision, type OpenAssignment, type RecordDecisionResult } from './screening.ts';
export { hashPassword, verifyPassword, newToken, hashToken } from './credentials.ts';

/** The hub's storage: one SQLite database, reached only through these repositories. */
export class Store {
  readonly identity: IdentityRepository;
  readonly screening: ScreeningRepository;

  private constructor(readonly db: Db) {
    this.identity = new IdentityRepository(db);
    this.screening = new ScreeningRepository(db);
  }

  /** `dataDir` holds clearway.sqlite; ':memory:' for tests. */
  static open(dataDir: string | ':memory:'): Store {
    return new Store(openDatabase(dataDir));
  }

  close(): void {
    this.db.close();
  }
}
