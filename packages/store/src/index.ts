import { join } from 'node:path';
import { startCheckpointer, type Checkpointer } from './checkpointer.ts';
import { DATABASE_FILE, openDatabase, type Db } from './database.ts';
import { AuditLog } from './audit.ts';
import { FlightRepository } from './flights.ts';
import { FlightDetailRepository } from './flight-detail.ts';
import { SettingsRepository } from './settings.ts';
import { IdentityRepository } from './identity.ts';
import { ModelRepository } from './models.ts';
import { RobotMissionRepository } from './missions.ts';
import { ScreeningRepository } from './screening.ts';
import { SearchRepository } from './search.ts';
import { TipRepository } from './tip.ts';
import { ManifestRepository } from './manifests.ts';
import { ExitCheckRepository } from './exit-check.ts';

export { openDatabase, migrate, schemaVersion, DATABASE_FILE, type Db } from './database.ts';
export { MIGRATIONS, type Migration } from './migrations.ts';
export { IdentityRepository, StoreError } from './identity.ts';
export { FlightRepository, type FlightBag, type FlightHistoryEntry, type FlightUpsertResult } from './flights.ts';
export { FlightDetailRepository, type DecisionTiming, type FlightBagDetail, type FlightReportData } from './flight-detail.ts';
export { SettingsRepository, type StoredSetting } from './settings.ts';
export { RobotMissionRepository } from './missions.ts';
export { ModelRepository, modelNameFromFile, type ModelHeader, type ModelInspector, type StoredModel } from './models.ts';
export {
  ScreeningRepository, type StoredDecision, type OpenAssignment, type RecordDecisionResult, type RecordDetectionResult, type StoredDetectionResult,
  type WaitingBagRow, type MarkShownResult, TIME_LIMIT_REASON,
} from './screening.ts';
export { ExitCheckRepository, type FlaggedCheckedBagRecord } from './exit-check.ts';
export { SearchRepository, type OfficerDecisionRecord, type RecordSearchOutcomeResult, type StoredSearchOutcome } from './search.ts';
export {
  TipRepository, TIP_PROJECTOR, TIP_RESPONSE_REASON, type NewTipProjection, type StoredTipProjection, type TipOutcome, type TipResponse, type TipRespondResult,
} from './tip.ts';
export {
  ManifestRepository, type BagRiskAssessment, type ManifestIngestResult, type ManifestPassengerFacts, type SelectionRecord, type StoredPassenger,
} from './manifests.ts';
export { hashPassword, verifyPassword, newToken, hashToken } from './credentials.ts';
export {
  AuditLog, appendAudit, verifyAuditChain, auditHash, canonicalJson, GENESIS_HASH, HUB_DISPATCHER, SYSTEM_ACTOR,
  type AuditRecord, type AuditVerification, type AuditBreak,
} from './audit.ts';

/** Folder in the data folder that holds scan image planes. */
export const SCANS_DIR = 'scans';
/** Folder in the data folder that holds detection models, `<sha256>.onnx`. */
export const MODELS_DIR = 'models';

/** The hub's storage: one SQLite database (and scan images beside it), reached only through these repositories. */
export class Store {
  readonly identity: IdentityRepository;
  readonly screening: ScreeningRepository;
  /** The append-only, hash-chained audit trail. */
  readonly audit: AuditLog;
  /** Robot missions: a robot carries a bag to the search station. */
  readonly missions: RobotMissionRepository;
  /** Detection models and which one consoles run. */
  readonly models: ModelRepository;
  /** Arriving flights from the flight feed and their updates. */
  readonly flights: FlightRepository;
  /** Read-only: a flight's bags with their screening history, officers' decisions (shift lead, reports). */
  readonly flightDetail: FlightDetailRepository;
  /** Run-time settings (screening time limits, queue priority), audited. */
  readonly settings: SettingsRepository;
  /** The search station: flagged bags, the screener's marks and note, search outcomes. */
  readonly search: SearchRepository;
  /** Threat Image Projection: projected items and the officers' responses. */
  readonly tip: TipRepository;
  /** Flight manifests (passengers and their bag tags) and each bag's risk assessment. */
  readonly manifests: ManifestRepository;
  /** The exit check at reclaim: flagged checked bags, their passengers, who was stopped. */
  readonly exitCheck: ExitCheckRepository;

  private constructor(readonly db: Db, private readonly checkpointer: Checkpointer | null, imageDir: string | null, modelDir: string | null = null) {
    this.identity = new IdentityRepository(db);
    this.screening = new ScreeningRepository(db, imageDir);
    this.audit = new AuditLog(db);
    this.missions = new RobotMissionRepository(db);
    this.models = new ModelRepository(db, modelDir);
    this.flights = new FlightRepository(db);
    this.flightDetail = new FlightDetailRepository(db, this.flights);
    this.settings = new SettingsRepository(db);
    this.search = new SearchRepository(db);
    this.tip = new TipRepository(db, this.screening, imageDir);
    this.manifests = new ManifestRepository(db);
    this.exitCheck = new ExitCheckRepository(db);
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
    const inMemory = dataDir === ':memory:';
    return new Store(db, checkpointer, inMemory ? null : join(dataDir, SCANS_DIR), inMemory ? null : join(dataDir, MODELS_DIR));
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
