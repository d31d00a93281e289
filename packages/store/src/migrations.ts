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
  {
    version: 2,
    name: 'console detections: the model result per bag, the officer verdict per detection',
    sql: `
      -- JSON [{ detectionId, verdict }]: which machine detections the officer confirmed or dismissed
      ALTER TABLE decisions ADD COLUMN detections TEXT;

      -- The console's model on the bag, beside the scanner's own bags.machine_result.
      -- One row per assignment and model: a resend (lost ack) or a rerun replaces it.
      CREATE TABLE detection_results (
        id            TEXT PRIMARY KEY,
        bag_id        TEXT NOT NULL REFERENCES bags(id),
        assignment_id TEXT NOT NULL REFERENCES assignments(id),
        officer_id    TEXT NOT NULL REFERENCES officers(id),
        model_sha256  TEXT NOT NULL,
        model_name    TEXT NOT NULL,
        backend       TEXT NOT NULL,
        infer_ms      REAL NOT NULL,
        alarm         INTEGER NOT NULL,
        detections    TEXT NOT NULL,  -- JSON Detection[]
        stored_at     TEXT NOT NULL,
        UNIQUE (assignment_id, model_sha256)
      ) STRICT;
      CREATE INDEX detection_results_by_bag ON detection_results(bag_id, stored_at);
    `,
  },
  {
    version: 3,
    name: 'audit trail: append-only, hash-chained audit_log',
    // Hash encoding and what verify catches: packages/store/src/audit.ts.
    sql: `
      CREATE TABLE audit_log (
        seq        INTEGER PRIMARY KEY,  -- 1, 2, 3, … without gaps
        at         TEXT NOT NULL,
        actor_kind TEXT NOT NULL,
        actor_id   TEXT NOT NULL,
        type       TEXT NOT NULL,
        subject_id TEXT,
        payload    TEXT NOT NULL,        -- canonical JSON (sorted keys)
        prev_hash  TEXT NOT NULL,        -- the previous row's hash; 64 zeros for row 1
        hash       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_log_by_time ON audit_log(at);
      -- History is never rewritten by the application; a direct edit of the file is caught by verify.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be changed'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: rows cannot be deleted'); END;
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
        WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
          OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1), '${'0'.repeat(64)}')
        BEGIN SELECT RAISE(ABORT, 'audit_log rows continue the chain: seq = last seq + 1, prev_hash = last hash'); END;
    `,
  },  {
    version: 4,
    name: 'robot missions: a robot carries a bag to the search station',
    sql: `
      CREATE TABLE robot_missions (
        id           TEXT PRIMARY KEY,
        bag_id       TEXT NOT NULL REFERENCES bags(id),
        robot_id     TEXT,            -- NULL until a robot is assigned
        requested_by TEXT NOT NULL,   -- officer ID, or 'hub'
        state        TEXT NOT NULL CHECK (state IN ('requested', 'assigned', 'to-lane', 'carrying', 'delivered', 'failed', 'cancelled')),
        reason       TEXT,            -- why it failed or was cancelled
        pickup       TEXT NOT NULL,   -- JSON {x, y, theta}, map frame
        dropoff      TEXT NOT NULL,
        requested_at TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        ended_at     TEXT
      ) STRICT;
      -- at most one mission per bag that has not ended
      CREATE UNIQUE INDEX robot_missions_one_open_per_bag ON robot_missions(bag_id) WHERE ended_at IS NULL;
      CREATE INDEX robot_missions_by_time ON robot_missions(requested_at);

      CREATE TABLE robot_mission_events (
        seq        INTEGER PRIMARY KEY,
        mission_id TEXT NOT NULL REFERENCES robot_missions(id),
        state      TEXT NOT NULL,
        robot_id   TEXT,
        reason     TEXT,
        at         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX robot_mission_events_by_mission ON robot_mission_events(mission_id, seq);
    `,
  },
  {
    version: 5,
    name: 'model registry: detection models, one active',
    sql: `
      CREATE TABLE models (
        sha256       TEXT PRIMARY KEY,    -- of the .onnx file, lower-case hex
        name         TEXT NOT NULL,       -- display name
        file_name    TEXT NOT NULL,       -- as uploaded
        class_names  TEXT NOT NULL,       -- JSON string[], from the model's metadata
        input_width  INTEGER NOT NULL,
        input_height INTEGER NOT NULL,
        size_bytes   INTEGER NOT NULL,
        added_at     TEXT NOT NULL,
        added_by     TEXT NOT NULL,       -- officer ID, or kind:id (cli:<user>, hub:reference)
        active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
        -- In a data folder the file is MODELS_DIR/<sha256>.onnx; in-memory databases keep it here.
        bytes        BLOB
      ) STRICT;
      -- at most one active model (the repository keeps exactly one once any exists)
      CREATE UNIQUE INDEX models_one_active ON models(active) WHERE active = 1;
    `,
  },
  {
    version: 6,
    name: 'flights from the flight feed, their update history; bags by flight',
    sql: `
      CREATE TABLE flights (
        key                TEXT PRIMARY KEY,  -- "CA981/2025-06-01": flight number and service date
        flight             TEXT NOT NULL,
        service_date       TEXT NOT NULL,
        origin             TEXT NOT NULL,
        aircraft           TEXT NOT NULL,
        scheduled_on_block TEXT NOT NULL,     -- as the feed wrote it (its offset kept)
        scheduled_ms       INTEGER NOT NULL,  -- the same, ms since epoch, for range queries
        estimated_on_block TEXT,
        actual_on_block    TEXT,
        stand              TEXT,
        gate               TEXT,
        passengers         INTEGER NOT NULL,
        checked_bags       INTEGER NOT NULL,
        cabin_bags         INTEGER NOT NULL,
        passengers_target_min   REAL,         -- the flight's own targets; NULL: the airport's
        checked_bags_target_min REAL,
        cancelled          INTEGER NOT NULL DEFAULT 0 CHECK (cancelled IN (0, 1)),
        device_id          TEXT NOT NULL,     -- the feed that last changed it
        created_at         TEXT NOT NULL,
        updated_at         TEXT NOT NULL
      ) STRICT;
      CREATE INDEX flights_by_schedule ON flights(scheduled_ms);
      CREATE INDEX flights_by_number ON flights(flight, scheduled_ms);

      CREATE TABLE flight_updates (
        seq         INTEGER PRIMARY KEY AUTOINCREMENT,
        update_id   TEXT UNIQUE,   -- the feed's updateId; NULL for arrivals and their revisions
        flight_key  TEXT NOT NULL REFERENCES flights(key),
        kind        TEXT NOT NULL CHECK (kind IN ('arrival', 'delay', 'stand', 'on-block', 'cancelled')),
        detail      TEXT NOT NULL, -- JSON: the update, the new arrival, or a revision's changed columns [old, new]
        at          TEXT,          -- when the feed learned of it
        device_id   TEXT NOT NULL,
        received_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX flight_updates_by_flight ON flight_updates(flight_key, seq);

      -- Bags count toward their flight by flight number and time.
      CREATE INDEX bags_by_flight ON bags(flight, received_at);
    `,
  },
  {
    version: 7,
    name: 'screening queue: bag risk, first paint and decision timings, time-limit decisions, settings',
    sql: `
      ALTER TABLE bags ADD COLUMN risk TEXT;              -- JSON ScanRisk { score, reasons }: raises the bag's priority
      ALTER TABLE assignments ADD COLUMN shown_at TEXT;   -- when the hub heard the image was first painted (bag:shown)
      ALTER TABLE assignments ADD COLUMN paint_ms REAL;   -- console: bag:assigned received to first paint
      ALTER TABLE decisions ADD COLUMN assigned_at TEXT;  -- the assignment's time, kept with the decision's other timings
      ALTER TABLE decisions ADD COLUMN paint_ms REAL;
      -- 'time-limit': the hub sent the bag to search when its decision window ran out (officer_id: who held it)
      ALTER TABLE decisions ADD COLUMN made_by TEXT NOT NULL DEFAULT 'officer' CHECK (made_by IN ('officer', 'time-limit'));
      CREATE INDEX assignments_by_bag ON assignments(bag_id, state);

      -- Run-time settings (packages/protocol/src/settings.ts); each change is audited as config.changed.
      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,  -- JSON, as parsed by the key's schema
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL   -- actor kind:id
      ) STRICT;
    `,
  },
  {
    version: 8,
    name: 'search station: the screener\'s marks and note on a search decision, search outcomes',
    sql: `
      ALTER TABLE decisions ADD COLUMN marks TEXT;  -- JSON ViewBox[]: regions marked for the search, in image pixels
      ALTER TABLE decisions ADD COLUMN note TEXT;   -- the screening officer's note to the search officer
      -- The search station's line: search decisions in the order they were stored.
      CREATE INDEX decisions_search_by_time ON decisions(stored_at) WHERE verdict = 'search';

      -- What the search found: the ground truth for officer statistics. One outcome per bag.
      CREATE TABLE search_outcomes (
        id              TEXT PRIMARY KEY,
        idempotency_key TEXT NOT NULL UNIQUE,
        bag_id          TEXT NOT NULL UNIQUE REFERENCES bags(id),
        decision_id     TEXT NOT NULL REFERENCES decisions(id),
        officer_id      TEXT NOT NULL REFERENCES officers(id),  -- the search officer
        outcome         TEXT NOT NULL CHECK (outcome IN ('threat-found', 'other-contraband', 'nothing-found')),
        threat_class    TEXT,
        note            TEXT,
        recorded_at     TEXT NOT NULL,  -- the officer's confirm (console clock)
        stored_at       TEXT NOT NULL,
        CHECK ((outcome = 'threat-found') = (threat_class IS NOT NULL))
      ) STRICT;
      CREATE INDEX search_outcomes_by_time ON search_outcomes(stored_at);
    `,
  },
  {
    version: 9,
    name: 'Threat Image Projection: projected items, the officer\'s response, the bag\'s own pixels',
    // What a response is and why it is not in decisions: packages/store/src/tip.ts.
    sql: `
      CREATE TABLE tip_projections (
        id              TEXT PRIMARY KEY,
        bag_id          TEXT NOT NULL UNIQUE REFERENCES bags(id),
        item_id         TEXT NOT NULL,     -- assets/tip/manifest.json
        item_class      TEXT NOT NULL,
        description     TEXT NOT NULL,
        pose            TEXT NOT NULL,     -- JSON { quarterTurns, mirrored }
        boxes           TEXT NOT NULL,     -- JSON ViewBox[]: where the item lies in each view
        original        BLOB NOT NULL,     -- the bag's own pixels under the boxes, put back after the response
        projected_at    TEXT NOT NULL,
        -- The response: the officer's decision on the bag while it carried the item (or the time limit).
        response_id     TEXT UNIQUE,
        idempotency_key TEXT UNIQUE,       -- the decision's key: a resend returns the same response
        assignment_id   TEXT REFERENCES assignments(id),
        officer_id      TEXT REFERENCES officers(id),
        verdict         TEXT,
        marks           TEXT,              -- JSON ViewBox[] the officer marked
        shown_at        TEXT,
        decided_at      TEXT,
        responded_at    TEXT,
        outcome         TEXT CHECK (outcome IN ('hit', 'miss', 'timed-out')),
        restored_at     TEXT               -- when the bag's own pixels were put back
      ) STRICT;
      CREATE INDEX tip_projections_by_officer ON tip_projections(officer_id, responded_at);
      CREATE INDEX tip_projections_by_item ON tip_projections(item_id);
      CREATE INDEX tip_projections_by_assignment ON tip_projections(assignment_id);
      CREATE INDEX tip_projections_to_restore ON tip_projections(restored_at) WHERE outcome IS NOT NULL AND restored_at IS NULL;
    `,
  },
  {
    version: 10,
    name: 'officers\' team (watch), for performance per team',
    // Null: in no team. A team is just its name; `pnpm clearway users team` sets it.
    sql: `
      ALTER TABLE officers ADD COLUMN team TEXT CHECK (team IS NULL OR length(team) BETWEEN 1 AND 40);
    `,
  },
  {
    version: 11,
    name: 'flight manifests: passengers and their bags; risk assessment and selection per bag',
    // What ingesting replaces and what an assessment keeps: packages/store/src/manifests.ts.
    sql: `
      -- The latest manifest of each flight (flight key "CA981/2025-06-01", which need not be in flights yet).
      CREATE TABLE manifest_passengers (
        flight_key    TEXT NOT NULL,
        passenger_ref TEXT NOT NULL,      -- booking reference with the passenger's number, or the carrier's ID
        name          TEXT,               -- only where the airline sends one
        facts         TEXT NOT NULL,      -- JSON PassengerFacts { origin, route, flags, recentTripsDaysAgo?, stayDays? }
        received_at   TEXT NOT NULL,
        device_id     TEXT NOT NULL,
        PRIMARY KEY (flight_key, passenger_ref)
      ) STRICT;

      -- Bag tag to passenger: a tag is unique within its flight.
      CREATE TABLE manifest_bags (
        flight_key    TEXT NOT NULL,
        bag_tag       TEXT NOT NULL,
        passenger_ref TEXT NOT NULL,
        PRIMARY KEY (flight_key, bag_tag),
        FOREIGN KEY (flight_key, passenger_ref) REFERENCES manifest_passengers(flight_key, passenger_ref)
      ) STRICT;
      CREATE INDEX manifest_bags_by_passenger ON manifest_bags(flight_key, passenger_ref);
      CREATE INDEX manifest_bags_by_tag ON manifest_bags(bag_tag);

      -- The risk assessment of a scanned bag found on a manifest, made once when it arrived.
      -- Kept when the manifest is replaced: it is what the hub acted on.
      CREATE TABLE bag_risk (
        bag_id          TEXT PRIMARY KEY REFERENCES bags(id),
        flight_key      TEXT NOT NULL,
        passenger_ref   TEXT NOT NULL,
        score           REAL NOT NULL,
        reasons         TEXT NOT NULL,    -- JSON RiskReason[] { rule, points, text }
        priority_boost  INTEGER NOT NULL,
        risk_selected   INTEGER NOT NULL CHECK (risk_selected IN (0, 1)),
        random_selected INTEGER NOT NULL CHECK (random_selected IN (0, 1)),
        assessed_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX bag_risk_by_passenger ON bag_risk(flight_key, passenger_ref);
      CREATE INDEX bag_risk_selected ON bag_risk(assessed_at) WHERE risk_selected = 1 OR random_selected = 1;
    `,
  },
  {
    version: 12,
    name: 'exit check at reclaim: passengers stopped for flagged checked bags; decisions by time',
    sql: `
      -- The officer at the reclaim exit stopped the bag's passenger and sent them to the search
      -- station (packages/store/src/exit-check.ts). The search's outcome is in search_outcomes.
      CREATE TABLE exit_directions (
        bag_id      TEXT PRIMARY KEY REFERENCES bags(id),
        officer_id  TEXT NOT NULL REFERENCES officers(id),
        directed_at TEXT NOT NULL
      ) STRICT;
      -- Officer performance and flight reports read decisions by the time they were stored.
      CREATE INDEX decisions_by_time ON decisions(stored_at);
    `,
  },
];
