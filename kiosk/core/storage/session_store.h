// Finished sessions in the database: each committed whole in one transaction
// (never half-written), kept for `records.retention_days`, wiped on a staff
// request. No names: an optional visit code from reception is all that ties
// a session to a person. With `records.store = "none"` nothing is written.
//
// The kiosk calls, on its UI thread, with its own Database:
//   SessionStore store(db, config);
//   auto id = store.commit(record);          // when a session ends (nullopt: records = none)
//   store.set_print_status(*id, PrintStatus::printed);   // after (re)printing
//   store.purge_if_due(WallClock::now());        // at start-up and when idle: retention, once a day
//   store.wipe_all("staff");                 // the staff screen's "delete all records"
// Each commit also queues the session in the FHIR outbox (storage/outbox.h)
// in the same transaction; retention keeps what the outbox has not sent
// while a server is configured (fhir.base_url), unless fhir.purge_unsent.
// Every method throws StorageError (never a raw SQLite error) when the
// database fails. Thread: like Database, one thread per store.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/session/session.h"
#include "core/storage/database.h"
#include "core/utc_time.h"

namespace kiosk::storage {

// unscreened: the safety screen could not run (missing or broken script); no tests, no exercises.
enum class Outcome { completed, red_flag, cancelled, timed_out, unscreened };
enum class PrintStatus {
  none,     // no handout (red flag, cancelled, or not asked for)
  pending,  // sent, not yet confirmed
  printed,  // the printer took the job
  saved,    // no printer configured: saved as a PDF file
  failed,   // the printer refused or was unreachable (print_detail says why)
};
std::string_view to_string(Outcome outcome);
std::string_view to_string(PrintStatus status);
std::optional<Outcome> parse_outcome(std::string_view text);
std::optional<PrintStatus> parse_print_status(std::string_view text);

// A visit code is 3 to 20 letters, digits or '-', with at least one digit
// (so a name cannot be typed in its place), e.g. "A1234" or "2024-117".
bool is_valid_visit_code(std::string_view code);

// How a session ended, for its record: `ended` is the journey's word
// ("finished", "timed_out", "cancelled", ...); a finished session's outcome
// follows its safety state.
Outcome outcome_of(const session::Session& session, std::string_view ended);

// One finished session as the kiosk hands it over.
struct SessionRecord {
  WallClock::time_point started_at;
  WallClock::time_point ended_at;
  Outcome outcome = Outcome::completed;
  std::string visit_code;    // empty: none; else is_valid_visit_code()
  session::Session session;  // stored as its document (core/session/session_json.h)
  std::string plan;          // the handout plan's JSON document (handout::plan_json); empty: none
  PrintStatus print = PrintStatus::none;
  std::string print_detail;               // e.g. the printer's error
  std::vector<std::uint8_t> handout_pdf;  // the handout PDF bytes; empty: none
};

// The one mapping from a session that ended to its record, for the kiosk
// and `kioskctl session run --store`: the outcome (outcome_of), the visit
// code when it is valid, and the session. The handout's part comes from
// handout::add_to_record.
SessionRecord record_of(const session::Session& session, std::string_view ended, WallClock::time_point started_at,
                        WallClock::time_point ended_at);

struct StoredAnswer {
  std::string test;  // script id, e.g. "screening"
  std::string ask;   // stable ask id, e.g. "night_pain", "left.distance_cm"
  session::Answer value;
};
struct StoredMeasure {
  std::string test, test_version;
  std::string id;    // stable measure id, e.g. "distance_cm"
  std::string side;  // "left", "right" or "" (not sided)
  double value = 0;
  std::string unit;   // as the script gave it ("cm", "s", "reps", "%", "mm/s", ...)
  std::string plate;  // the plate that measured it ("<plugin>:<serial>"); empty: typed in
};
struct StoredFinding {
  std::string test, id;
};

struct StoredSession {
  std::int64_t id = 0;
  std::string started_at, ended_at;  // UTC, ISO 8601 (utc_time.h)
  std::string language, visit_code, outcome;
  std::string print_status, print_detail;
  session::Session session;  // read back from the document committed (tolerant; safety fails closed)
  std::string plan;          // the handout plan's JSON document; empty: none
  bool has_handout = false;
  std::map<std::string, std::string> versions;  // script id → the version that ran (from the document)
  std::vector<StoredAnswer> answers;            // by test, then ask id
  std::vector<StoredMeasure> measures;          // in the order the script gave them
  std::vector<StoredFinding> findings;
};

class SessionStore {
 public:
  // keep_unsent: retention leaves sessions the outbox has not sent (pending or parked).
  SessionStore(Database& db, RecordsMode mode, int retention_days, bool keep_unsent = false);
  SessionStore(Database& db, const Config& config)
      : SessionStore(db, config.records, config.retention_days,
                     !config.fhir.base_url.empty() && !config.fhir.purge_unsent) {}

  // Writes the whole session in one transaction and returns its id; nullopt
  // when records = none. Throws StorageError for a malformed record (bad
  // visit code, no language, a script part without test or version, a measure that is not finite) or a database
  // failure; either way nothing of it is left in the database.
  std::optional<std::int64_t> commit(const SessionRecord& record);

  // After a (re)print. Throws StorageError for an unknown id.
  void set_print_status(std::int64_t id, PrintStatus status, std::string_view detail = {});

  // The stored handout PDF (empty when there is none).
  std::vector<std::uint8_t> handout_pdf(std::int64_t id);

  std::optional<StoredSession> find(std::int64_t id);
  // Sessions that ended at or after `since`, oldest first; how many.
  std::vector<StoredSession> sessions_since(WallClock::time_point since);
  std::int64_t count_since(WallClock::time_point since);
  // A visit code's sessions that measured something and ended within
  // retention before `now`, oldest first (the clinician's per-visit chart).
  // Empty for an empty code, an unknown code, or records = none.
  std::vector<StoredSession> visits_of(std::string_view visit_code, WallClock::time_point now);
  // The last of them: the visit a follow-up compares with (none: no history).
  std::optional<StoredSession> last_for_visit_code(std::string_view visit_code, WallClock::time_point now);

  // Deletes sessions that ended more than retention_days before `now`
  // (but not unsent ones when keep_unsent); returns how many (audited as
  // done by `actor` when > 0).
  int purge_expired(WallClock::time_point now, std::string_view actor = "kiosk");
  // purge_expired() if this store has not purged in the last 24 h.
  bool purge_if_due(WallClock::time_point now);
  // Deletes every session and its handout, then checkpoints the WAL so the
  // data is gone from disk too. Audited as a staff action by `actor`.
  int wipe_all(std::string_view actor);

  // This kiosk's random id (hex), made when the database was created.
  std::string install_id();

 private:
  template <typename F>
  auto guarded(std::string_view what, F&& body) -> decltype(body());

  Database& db_;
  RecordsMode mode_;
  int retention_days_;
  bool keep_unsent_;
  std::optional<WallClock::time_point> last_purge_;
};

}  // namespace kiosk::storage
