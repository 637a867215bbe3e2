// The schema, as numbered migrations applied in order at open. Append new
// ones; never edit or renumber a migration that has shipped (tests open
// databases made at every earlier version).
#include <array>

#include "core/storage/database.h"

namespace kiosk::storage {
namespace {

constexpr std::string_view kV1 = R"sql(
CREATE TABLE sessions (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,                 -- UTC, ISO 8601
  ended_at      TEXT NOT NULL,
  language      TEXT NOT NULL,
  visit_code    TEXT,                          -- optional code from reception; no names
  outcome       TEXT NOT NULL CHECK (outcome IN ('completed', 'red_flag', 'cancelled', 'timed_out')),
  document      TEXT NOT NULL                  -- the whole session as JSON
);
CREATE TABLE results (
  id            INTEGER PRIMARY KEY,
  session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  test          TEXT NOT NULL,                 -- script id, e.g. knee_to_wall
  test_version  TEXT NOT NULL,
  measure       TEXT NOT NULL,                 -- stable measure id, e.g. distance_cm
  side          TEXT CHECK (side IN ('left', 'right') OR side IS NULL),
  value         REAL NOT NULL,
  unit          TEXT NOT NULL                  -- UCUM
);
CREATE INDEX results_by_session ON results(session_id);
CREATE TABLE findings (
  session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  test          TEXT NOT NULL,
  finding       TEXT NOT NULL,                 -- stable finding id, e.g. calf_capacity_low_left
  PRIMARY KEY (session_id, test, finding)
);
CREATE TABLE calibrations (
  id            INTEGER PRIMARY KEY,
  device_serial TEXT NOT NULL,
  technician    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  mass_kg       REAL NOT NULL CHECK (mass_kg > 0),
  passed        INTEGER NOT NULL CHECK (passed IN (0, 1)),
  report        TEXT NOT NULL                  -- positions, raw means, gains, residuals as JSON
);
CREATE INDEX calibrations_by_device ON calibrations(device_serial, created_at);
CREATE TABLE audit_log (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  actor         TEXT NOT NULL,                 -- staff role, "kiosk", "kioskctl", "storage"
  event         TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT ''
);
)sql";

// v2: what a finished session needs to be kept whole (answers, the handout
// plan and PDF, print status), a kind on audit entries, and this kiosk's own
// random id (export identifiers stay unique across kiosks of one clinic).
constexpr std::string_view kV2 = R"sql(
ALTER TABLE sessions ADD COLUMN plan TEXT;      -- handout plan as JSON; NULL: no plan
ALTER TABLE sessions ADD COLUMN print_status TEXT NOT NULL DEFAULT 'none'
  CHECK (print_status IN ('none', 'pending', 'printed', 'saved', 'failed'));
ALTER TABLE sessions ADD COLUMN print_detail TEXT NOT NULL DEFAULT '';  -- printer's words when failed
ALTER TABLE sessions ADD COLUMN print_updated_at TEXT;                  -- UTC, ISO 8601
CREATE INDEX sessions_by_end ON sessions(ended_at);
CREATE TABLE answers (
  session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  test          TEXT NOT NULL,                 -- script id, e.g. screening
  ask           TEXT NOT NULL,                 -- stable ask id, e.g. left.distance_cm
  value         TEXT NOT NULL,                 -- JSON: the answer as the script got it (a list: attempts)
  PRIMARY KEY (session_id, test, ask)
);
-- Sessions stored at v1 get their answers from their own document.
INSERT OR IGNORE INTO answers(session_id, test, ask, value)
SELECT parts.session_id, json_extract(parts.part, '$.test'), a.key,
       CASE WHEN a.type IN ('object', 'array') THEN a.value
            WHEN a.type IN ('true', 'false', 'null') THEN a.type
            ELSE json_quote(a.value) END
FROM (SELECT id AS session_id, json_extract(document, '$.screening') AS part FROM sessions WHERE json_valid(document)
      UNION ALL
      SELECT id, json_extract(document, '$.profile') FROM sessions WHERE json_valid(document)
      UNION ALL
      SELECT s.id, t.value FROM sessions s, json_each(s.document, '$.tests') t WHERE json_valid(s.document)
     ) AS parts, json_each(parts.part, '$.answers') AS a
WHERE json_type(parts.part) = 'object' AND json_type(parts.part, '$.test') = 'text';
CREATE TABLE handouts (
  session_id    INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  pdf           BLOB NOT NULL,                 -- the handout as printed
  created_at    TEXT NOT NULL
);
ALTER TABLE audit_log ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';  -- staff, script, device, ...
UPDATE audit_log SET kind = 'storage' WHERE actor = 'storage';
CREATE INDEX audit_by_time ON audit_log(at);
CREATE TABLE kiosk_info (
  key           TEXT PRIMARY KEY,
  value         TEXT NOT NULL
);
INSERT INTO kiosk_info(key, value) VALUES ('install_id', lower(hex(randomblob(16))));
)sql";

// v3: calibration records say what they were (a full calibration or the
// daily spot check) and what became of them (accepted, rejected by the
// technician, refused by the maths). Rows from v1 were accepted calibrations.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE calibrations ADD COLUMN kind TEXT NOT NULL DEFAULT 'calibration'
  CHECK (kind IN ('calibration', 'check'));
ALTER TABLE calibrations ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted'
  CHECK (status IN ('accepted', 'rejected', 'refused'));
CREATE INDEX calibrations_by_kind ON calibrations(device_serial, kind, status, id);
)sql";

// v4: a session whose safety screen could not run ends "unscreened" (no
// tests, no exercises). SQLite cannot change a CHECK in place, so the table
// is rebuilt the documented way (foreign keys are off while migrations run,
// and checked before each one commits).
constexpr std::string_view kV4 = R"sql(
CREATE TABLE sessions_v4 (
  id            INTEGER PRIMARY KEY,
  started_at    TEXT NOT NULL,                 -- UTC, ISO 8601
  ended_at      TEXT NOT NULL,
  language      TEXT NOT NULL,
  visit_code    TEXT,                          -- optional code from reception; no names
  outcome       TEXT NOT NULL
    CHECK (outcome IN ('completed', 'red_flag', 'unscreened', 'cancelled', 'timed_out')),
  document      TEXT NOT NULL,                 -- the whole session as JSON
  plan          TEXT,                          -- handout plan as JSON; NULL: no plan
  print_status  TEXT NOT NULL DEFAULT 'none'
    CHECK (print_status IN ('none', 'pending', 'printed', 'saved', 'failed')),
  print_detail  TEXT NOT NULL DEFAULT '',      -- printer's words when failed
  print_updated_at TEXT                        -- UTC, ISO 8601
);
INSERT INTO sessions_v4(id, started_at, ended_at, language, visit_code, outcome, document, plan, print_status,
                        print_detail, print_updated_at)
SELECT id, started_at, ended_at, language, visit_code, outcome, document, plan, print_status, print_detail,
       print_updated_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_v4 RENAME TO sessions;
CREATE INDEX sessions_by_end ON sessions(ended_at);
)sql";

// v5: the outbox to the clinic's FHIR server. A session is queued in the
// transaction that stores it (one row per session; its FHIR resources are
// made from the stored session when sent, with the same ids every time).
// Sessions stored before v5 are queued too: the clinic gets its history.
constexpr std::string_view kV5 = R"sql(
CREATE TABLE outbox (
  session_id    INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  state         TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'parked', 'sent', 'dropped')),
  queued_at     TEXT NOT NULL,                 -- UTC, ISO 8601
  attempts      INTEGER NOT NULL DEFAULT 0,    -- sends tried (any outcome)
  next_attempt_at TEXT NOT NULL,               -- UTC: not tried again before this (backoff)
  last_error    TEXT NOT NULL DEFAULT '',      -- the server's or the network's words; never patient data
  sent_at       TEXT                           -- UTC; set when the server took it
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
INSERT INTO outbox(session_id, queued_at, next_attempt_at) SELECT id, ended_at, ended_at FROM sessions;
)sql";

// v6: which plate measured a result (its id "<plugin>:<serial>"; NULL:
// typed in or stored before v6). The plate's details and calibration are
// in the session's document (the part's "plate").
constexpr std::string_view kV6 = R"sql(
ALTER TABLE results ADD COLUMN plate TEXT;
)sql";

constexpr std::array kMigrations{
    Migration{1, "sessions, results, findings, calibrations, audit log", kV1},
    Migration{2, "answers, handout plan and PDF, print status, audit kinds, install id", kV2},
    Migration{3, "calibration kind (calibration, check) and status (accepted, rejected, refused)", kV3},
    Migration{4, "session outcome unscreened (the safety screen could not run)", kV4},
    Migration{5, "outbox to the clinic's FHIR server", kV5},
    Migration{6, "the plate that measured each result", kV6},
};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

}  // namespace kiosk::storage
