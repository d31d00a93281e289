/**
 * Versioned schema. Append new migrations; never edit one that has shipped: a hub opening an
 * older data folder applies the missing ones in order, in one transaction each.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'officers, devices, sessions, bags, assignments, decisions',
    sql: `
      CREATE TABLE officers (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE devices (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        token_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        revoked    INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        officer_id TEXT NOT NULL REFERENCES officers(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE bags (
        id          TEXT PRIMARY KEY,
        scan_id     TEXT NOT NULL UNIQUE,
        device_id   TEXT NOT NULL,
        lane        TEXT NOT NULL,
        flight      TEXT NOT NULL,
        bag_tag     TEXT NOT NULL,
        scanned_at  TEXT NOT NULL,
        received_at TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('waiting', 'assigned', 'decided')),
        machine_result TEXT,  -- JSON MachineResult: the scanner's own threat recognition
        source      TEXT      -- JSON ScanSource: the DICOS object the scan was read from
      ) STRICT;
      CREATE INDEX bags_by_state ON bags(state, received_at);

      CREATE TABLE scan_views (
        bag_id   TEXT NOT NULL REFERENCES bags(id),
        view     TEXT NOT NULL,
        width    INTEGER NOT NULL,
        height   INTEGER NOT NULL,
        encoding TEXT NOT NULL,
        -- In a data folder the image planes live in files (SCANS_DIR/<bag>/<view>.low|high):
        -- one write instead of WAL plus checkpoint. In-memory databases keep them here.
        low      BLOB,             -- NULL for single-energy views and for images in files
        high     BLOB,             -- NULL for images in files
        in_file  INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (bag_id, view)
      ) STRICT;

      CREATE TABLE assignments (
        id          TEXT PRIMARY KEY,
        bag_id      TEXT NOT NULL REFERENCES bags(id),
        officer_id  TEXT NOT NULL REFERENCES officers(id),
        assigned_at TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('open', 'decided', 'withdrawn')),
        closed_at   TEXT,
        close_reason TEXT
      ) STRICT;
      CREATE INDEX assignments_open ON assignments(state, officer_id);
      -- at most one open assignment per bag
      CREATE UNIQUE INDEX assignments_one_open_per_bag ON assignments(bag_id) WHERE state = 'open';

      CREATE TABLE decisions (
        id              TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        bag_id          TEXT NOT NULL REFERENCES bags(id),
        assignment_id   TEXT NOT NULL UNIQUE REFERENCES assignments(id),
        officer_id      TEXT NOT NULL REFERENCES officers(id),
        verdict         TEXT NOT NULL,
        shown_at        TEXT NOT NULL,
        decided_at      TEXT NOT NULL,
        stored_at       TEXT NOT NULL,
        reported_at     TEXT  -- when the scanning device acknowledged decision:stored
      ) STRICT;
      CREATE INDEX decisions_unreported ON decisions(reported_at) WHERE reported_at IS NULL;
    `,
  },
];
