// Databases made at every earlier schema version, with data, opened by this
// program: migrated to the latest schema, nothing lost, still usable.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fstream>
#include <iterator>

#include "core/export/fhir_bundle.h"
#include "core/storage/audit_log.h"
#include "core/storage/calibration_store.h"
#include "core/storage/session_store.h"
#include "session_fixture.h"
#include "support/temp_dir.h"

using namespace kiosk;
using storage::Database;
namespace fs = std::filesystem;

namespace {

fs::path seed_file(int version) {
  return fs::path(KIOSK_SOURCE_DIR) / "tests/fixtures/db" / fmt::format("seed_v{}.sql", version);
}

// A file at exactly `version`: migrations 1..version as that program ran them, then its seed data.
void make_database_at(const fs::path& file, int version) {
  SQLite::Database db(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  for (const auto& m : storage::migrations()) {
    if (m.version > version) break;
    db.exec(std::string(m.sql));
    db.exec(fmt::format("PRAGMA user_version = {}", m.version));
  }
  std::ifstream in(seed_file(version));
  db.exec(std::string(std::istreambuf_iterator<char>(in), {}));
}

int count(Database& db, const std::string& table) {
  return db.sql().execAndGet("SELECT count(*) FROM " + table).getInt();
}

}  // namespace

TEST_CASE("every earlier schema has seed data to test it with") {
  for (int v = 1; v < storage::latest_schema_version(); ++v) {
    INFO("add tests/fixtures/db/seed_v" << v << ".sql: rows as schema v" << v << " held them");
    CHECK(fs::exists(seed_file(v)));
  }
}

TEST_CASE("a database from every earlier schema opens at the latest with its data kept") {
  for (int from = 1; from < storage::latest_schema_version(); ++from) {
    DYNAMIC_SECTION("from schema v" << from) {
      test::TempDir dir;
      const auto file = dir / "kiosk.db";
      make_database_at(file, from);
      int sessions = 0, results = 0, findings = 0, calibrations = 0, audit = 0;
      {
        SQLite::Database raw(file.string());
        sessions = raw.execAndGet("SELECT count(*) FROM sessions").getInt();
        results = raw.execAndGet("SELECT count(*) FROM results").getInt();
        findings = raw.execAndGet("SELECT count(*) FROM findings").getInt();
        calibrations = raw.execAndGet("SELECT count(*) FROM calibrations").getInt();
        audit = raw.execAndGet("SELECT count(*) FROM audit_log").getInt();
      }
      REQUIRE(sessions > 0);

      storage::OpenReport report;
      auto db = Database::open(file, &report);
      CHECK(report.schema_before == from);
      CHECK(report.schema_after == storage::latest_schema_version());
      CHECK_FALSE(report.quarantined);
      CHECK(db.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
      SQLite::Statement fk(db.sql(), "PRAGMA foreign_key_check");
      CHECK_FALSE(fk.executeStep());
      CHECK(count(db, "sessions") == sessions);
      CHECK(count(db, "results") == results);
      CHECK(count(db, "findings") == findings);
      CHECK(count(db, "calibrations") == calibrations);
      CHECK(count(db, "audit_log") == audit);
      if (from >= 3) CHECK(count(db, "handouts") == 1);  // v4 rebuilt sessions: nothing cascaded away
      CHECK(count(db, "outbox") == sessions);            // v5: sessions from before the outbox are queued too

      // Old sessions read back whole, with their answers recovered from the document.
      storage::SessionStore store(db, RecordsMode::results, 3650);
      const auto s = store.find(1);
      REQUIRE(s);
      CHECK(s->visit_code == "V2024-17");
      CHECK(s->print_status == "none");
      CHECK(s->measures.size() == 9);
      for (const auto& m : s->measures) CHECK(m.plate.empty());  // v6: measured before plates were named
      bool night_pain = false, knee_attempts = false;
      for (const auto& a : s->answers) {
        night_pain =
            night_pain || (a.test == "screening" && a.ask == "night_pain" && a.value == kiosk::session::Answer(false));
        knee_attempts = knee_attempts || (a.test == "knee_to_wall" && a.ask == "left.distance_cm" &&
                                          a.value == kiosk::session::Answer(std::vector<double>{7.0, 8.5}));
      }
      CHECK(night_pain);
      CHECK(knee_attempts);
      CHECK(store.find(2)->outcome == "red_flag");
      CHECK(store.install_id().size() == 32);

      // Calibrations from before report formats read back, refused with the reason, never in force.
      storage::CalibrationStore calibrations_store(db);
      const auto old = calibrations_store.history();
      CHECK(static_cast<int>(old.size()) == calibrations);
      for (const auto& c : old) CHECK_THAT(c.refused, Catch::Contains("cannot be applied"));
      CHECK_FALSE(calibrations_store.latest("USB-0042", calibration::RunKind::calibration, true));

      // Audit entries of the storage layer are of kind "storage" now.
      for (const auto& e : storage::read_audit(db, {}))
        if (e.actor == "storage") CHECK(e.kind == "storage");

      // Old and new sessions export together; a new session commits; wipe clears both.
      const auto id =
          store.commit(test::fixture_record(test::fixture_session("session_full.json"), kiosk::WallClock::now(), 100));
      REQUIRE(id);
      CHECK(*id > 2);
      const auto bundle = records_export::fhir_bundle(store, {}, kiosk::WallClock::now());
      int questionnaires = 0;
      for (const auto& e : bundle["entry"]) questionnaires += e["resource"]["resourceType"] == "QuestionnaireResponse";
      CHECK(questionnaires == 2 + 1 + 2);  // v1 full session, v1 red flag (screening only), new one
      CHECK(store.wipe_all("test") == sessions + 1);
    }
  }
}

TEST_CASE("a database at the latest schema is opened without migrating") {
  test::TempDir dir;
  { auto db = Database::open(dir / "kiosk.db"); }
  storage::OpenReport report;
  auto db = Database::open(dir / "kiosk.db", &report);
  CHECK(report.schema_before == storage::latest_schema_version());
  CHECK(report.schema_after == report.schema_before);
}
