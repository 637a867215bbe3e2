#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>
#include <cmath>
#include <fstream>
#include <iterator>

#include "core/session/session_json.h"
#include "core/storage/audit_log.h"
#include "core/storage/session_store.h"
#include "core/utc_time.h"
#include "session_fixture.h"
#include "support/temp_dir.h"

using namespace kiosk;
using kiosk::WallClock;
using storage::Database;
using storage::SessionStore;
using test::TempDir;

namespace {
const auto kNoon = *kiosk::parse_iso_utc("2024-05-01T12:00:00Z");

int count(Database& db, const std::string& sql) { return db.sql().execAndGet(sql).getInt(); }

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}
}  // namespace

TEST_CASE("UTC times are written with milliseconds and read back") {
  const auto t = *kiosk::parse_iso_utc("2024-02-29T23:59:58.250Z");
  CHECK(kiosk::to_iso_utc(t) == "2024-02-29T23:59:58.250Z");
  CHECK(kiosk::to_iso_utc(*kiosk::parse_iso_utc("2024-03-01")) == "2024-03-01T00:00:00.000Z");
  CHECK(kiosk::to_iso_utc(*kiosk::parse_iso_utc("1999-12-31T10:00:00Z")) == "1999-12-31T10:00:00.000Z");
  for (const char* bad : {"", "2024", "2024-02-30", "2024-13-01", "2024-01-01T25:00:00Z", "2024-01-01T10:00:00",
                          "2024-01-01 10:00:00Z", "2024-01-01T10:00:00.5Z", "yesterday", "2999-01-01"})
    CHECK_FALSE(kiosk::parse_iso_utc(bad));
}

TEST_CASE("a committed session keeps its answers measures findings plan handout and print status") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_full.json");
  auto record = test::fixture_record(session, kNoon, 5000);
  record.visit_code = "A1234";
  const auto id = store.commit(record);
  REQUIRE(id);

  const auto s = store.find(*id);
  REQUIRE(s);
  CHECK(s->ended_at == "2024-05-01T12:00:00.000Z");
  CHECK(s->started_at == "2024-05-01T11:59:00.000Z");
  CHECK(s->visit_code == "A1234");
  CHECK(s->outcome == "completed");
  CHECK(s->language == "en");
  CHECK(s->print_status == "printed");
  CHECK(kiosk::session::to_json(s->session) == kiosk::session::to_json(session));  // read back whole
  CHECK(s->plan == record.plan);
  CHECK(s->has_handout);
  CHECK(store.handout_pdf(*id) == record.handout_pdf);

  // Every measure the scripts gave, with its test version, side and unit.
  size_t expected_measures = 0;
  for (const auto& t : session.tests) expected_measures += t.measures.size();
  REQUIRE(s->measures.size() == expected_measures);
  CHECK(s->measures[0].test == "knee_to_wall");
  CHECK(s->measures[0].id == "distance_cm");
  CHECK(s->measures[0].side == "left");
  CHECK(s->measures[0].value == Approx(8.5));
  CHECK(s->measures[0].unit == "cm");
  CHECK(s->measures[2].side.empty());  // asymmetry is not sided

  // Answers of screening and profile as the scripts got them; attempts as lists.
  auto answer = [&](const std::string& test, const std::string& ask) {
    for (const auto& a : s->answers)
      if (a.test == test && a.ask == ask) return a.value;
    return kiosk::session::Answer(std::string("missing"));
  };
  CHECK(answer("screening", "night_pain") == kiosk::session::Answer(false));
  CHECK(answer("profile", "age_band") == kiosk::session::Answer(std::string("40-49")));
  CHECK(answer("knee_to_wall", "left.distance_cm") == kiosk::session::Answer(std::vector<double>{7.0, 8.5}));

  std::vector<std::string> findings;
  for (const auto& f : s->findings) findings.push_back(f.id);
  CHECK(findings == session.findings);
}

TEST_CASE("records none stores nothing of the patient") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::none, 30);
  auto record = test::fixture_record(test::fixture_session("session_full.json"), kNoon, 100);
  record.visit_code = "B777";
  CHECK_FALSE(store.commit(record));
  for (const char* table : {"sessions", "results", "findings", "answers", "handouts"})
    CHECK(count(db, std::string("SELECT count(*) FROM ") + table) == 0);
  db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  CHECK(read_all(dir / "kiosk.db").find("B777") == std::string::npos);
}

TEST_CASE("a bad record is refused whole and names the problem") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_full.json");

  auto named = test::fixture_record(session, kNoon);
  named.visit_code = "Maria Lopez";  // a name, not a code
  CHECK_THROWS_WITH(store.commit(named), Catch::Contains("visit code"));

  auto not_finite = test::fixture_record(session, kNoon, 100);
  not_finite.session.tests.at(1).measures.at(0).value = std::nan("");
  CHECK_THROWS_WITH(store.commit(not_finite), Catch::Contains("not a finite number"));

  // The database fails after the session row is written: the transaction leaves nothing behind.
  db.sql().exec("CREATE TRIGGER fail_results BEFORE INSERT ON results BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
  CHECK_THROWS_WITH(store.commit(test::fixture_record(session, kNoon, 100)), Catch::Contains("disk says no"));
  db.sql().exec("DROP TRIGGER fail_results");

  auto no_lang = test::fixture_record(session, kNoon);
  no_lang.session.lang.clear();
  CHECK_THROWS_WITH(store.commit(no_lang), Catch::Contains("language"));

  for (const char* table : {"sessions", "results", "findings", "answers", "handouts"})
    CHECK(count(db, std::string("SELECT count(*) FROM ") + table) == 0);
}

TEST_CASE("visit codes are short codes with a digit and never names") {
  for (const char* ok : {"A12", "2024-117", "abc9", "X1234567890123456789"}) CHECK(storage::is_valid_visit_code(ok));
  for (const char* bad : {"", "A1", "Maria", "Maria Lopez", "A 123", "123456789012345678901", "a1;drop", "Ana\u00e91"})
    CHECK_FALSE(storage::is_valid_visit_code(bad));
}

TEST_CASE("the print status can be updated after a reprint") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto id = *store.commit(test::fixture_record(test::fixture_session("session_full.json"), kNoon, 10));
  store.set_print_status(id, storage::PrintStatus::failed, "printer offline");
  CHECK(store.find(id)->print_status == "failed");
  CHECK(store.find(id)->print_detail == "printer offline");
  store.set_print_status(id, storage::PrintStatus::printed);
  CHECK(store.find(id)->print_status == "printed");
  CHECK_THROWS_AS(store.set_print_status(id + 100, storage::PrintStatus::printed), storage::StorageError);
}

TEST_CASE("retention deletes sessions older than N days with everything they hold") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_full.json");
  const auto now = kNoon;
  using std::chrono::days;
  using std::chrono::hours;
  const auto old_id = *store.commit(test::fixture_record(session, now - days(30) - hours(1), 50));
  const auto edge_id = *store.commit(test::fixture_record(session, now - days(30) + hours(1), 50));
  const auto new_id = *store.commit(test::fixture_record(session, now - hours(2), 50));

  CHECK(store.purge_expired(now) == 1);
  CHECK_FALSE(store.find(old_id));
  CHECK(store.find(edge_id));
  CHECK(store.find(new_id));
  for (const char* table : {"results", "findings", "answers", "handouts"})
    CHECK(count(db, fmt::format("SELECT count(*) FROM {} WHERE session_id = {}", table, old_id)) == 0);
  CHECK(count(db,
              "SELECT count(*) FROM audit_log WHERE kind = 'records' AND event = 'retention_purge' "
              "AND detail LIKE 'deleted=1 %'") == 1);

  // Daily: a second purge within 24 h does nothing, the next day it runs.
  CHECK_FALSE(store.purge_if_due(now + hours(23)));
  CHECK(store.find(edge_id));
  CHECK(store.purge_if_due(now + hours(25)));
  CHECK_FALSE(store.find(edge_id));
  CHECK(store.find(new_id));
}

TEST_CASE("wipe all deletes every session and leaves no trace of them in the files") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_full.json");
  for (int i = 0; i < 20; ++i) {
    auto r = test::fixture_record(session, kNoon + std::chrono::minutes(i), 3000, i);
    r.visit_code = fmt::format("ZQ{:04}", 9000 + i);
    store.commit(r);
  }
  db.sql().exec("PRAGMA wal_checkpoint(TRUNCATE)");
  REQUIRE(read_all(dir / "kiosk.db").find("ZQ9007") != std::string::npos);  // the marker is findable

  CHECK(store.wipe_all("staff") == 20);
  CHECK(count(db, "SELECT count(*) FROM sessions") == 0);
  CHECK(count(db, "SELECT count(*) FROM handouts") == 0);
  const auto files = read_all(dir / "kiosk.db") + read_all(dir / "kiosk.db-wal");
  CHECK(files.find("ZQ90") == std::string::npos);
  CHECK(files.find("dorsiflexion_restricted_left") == std::string::npos);
  const auto audit = storage::read_audit(db, {});
  REQUIRE_FALSE(audit.empty());
  CHECK(audit.back().kind == "staff");
  CHECK(audit.back().actor == "staff");
  CHECK(audit.back().event == "records_wiped");
  CHECK(audit.back().detail == "deleted=20");
}

TEST_CASE("audit entries keep their kind and read back oldest first") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  db.audit(storage::AuditKind::device, "kiosk", "plate_connected", "serial=SIM-1");
  db.audit(storage::AuditKind::calibration, "technician", "calibration_saved", "serial=SIM-1 passed=1");
  db.audit(storage::AuditKind::script, "kiosk", "script_changed", "id=heel_raise version=1.0.1");
  db.audit("staff", "reprint", "session=4");
  const auto all = storage::read_audit(db, {});
  REQUIRE(all.size() == 4);
  CHECK(all[0].kind == "device");
  CHECK(all[1].kind == "calibration");
  CHECK(all[2].kind == "script");
  CHECK(all[3].kind == "other");
  CHECK(all[2].detail == "id=heel_raise version=1.0.1");
  const auto newest = storage::read_audit(db, {}, 2);
  REQUIRE(newest.size() == 2);
  CHECK(newest[0].event == "script_changed");
  CHECK(storage::read_audit(db, WallClock::now() + std::chrono::hours(1)).empty());
}

TEST_CASE("sessions since a date come oldest first and the count agrees") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_red_flag.json");
  for (int day : {3, 1, 2}) store.commit(test::fixture_record(session, kNoon + std::chrono::days(day)));
  const auto since = kNoon + std::chrono::days(2);
  const auto got = store.sessions_since(since);
  REQUIRE(got.size() == 2);
  CHECK(got[0].ended_at < got[1].ended_at);
  CHECK(got[0].outcome == "red_flag");
  CHECK(store.count_since(since) == 2);
  CHECK(store.count_since({}) == 3);
}

TEST_CASE("a visit code's last session within retention is the follow-up's previous visit") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, RecordsMode::results, 30);
  const auto session = test::fixture_session("session_full.json");
  REQUIRE_FALSE(session.tests.empty());
  auto commit_at = [&](const std::string& code, WallClock::time_point ended) {
    auto record = test::fixture_record(session, ended);
    record.visit_code = code;
    return *store.commit(record);
  };
  const auto first = commit_at("4711", kNoon - std::chrono::days(20));
  const auto second = commit_at("4711", kNoon - std::chrono::days(3));
  const auto other = commit_at("B999", kNoon - std::chrono::days(1));  // another patient, later
  const auto now = kNoon;

  SECTION("found: the last one of that code, with its measures") {
    const auto last = store.last_for_visit_code("4711", now);
    REQUIRE(last);
    CHECK(last->id == second);
    CHECK(last->visit_code == "4711");
    CHECK_FALSE(last->measures.empty());
    const auto all = store.visits_of("4711", now);
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == first);
    CHECK(all[1].id == second);
  }
  SECTION("another code's session is never returned") {
    for (const auto& s : store.visits_of("4711", now)) CHECK(s.id != other);
    const auto b = store.last_for_visit_code("B999", now);
    REQUIRE(b);
    CHECK(b->id == other);
  }
  SECTION("unknown or empty codes have no history") {
    CHECK_FALSE(store.last_for_visit_code("4712", now));
    CHECK_FALSE(store.last_for_visit_code("", now));
  }
  SECTION("sessions older than the retention are not history, even before the purge ran") {
    const auto later = kNoon + std::chrono::days(20);  // the first is now 40 days old, the second 23
    const auto all = store.visits_of("4711", later);
    REQUIRE(all.size() == 1);
    CHECK(all[0].id == second);
    CHECK_FALSE(store.last_for_visit_code("4711", kNoon + std::chrono::days(28)));
  }
  SECTION("a session ending after `now` (this visit itself) is not its own previous visit") {
    const auto last = store.last_for_visit_code("4711", kNoon - std::chrono::days(3));
    REQUIRE(last);
    CHECK(last->id == first);
  }
}

TEST_CASE("with records none there is no visit history") {
  TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore keeping(db, RecordsMode::results, 30);
  auto record = test::fixture_record(test::fixture_session("session_full.json"), kNoon - std::chrono::days(1));
  record.visit_code = "4711";
  REQUIRE(keeping.commit(record));
  SessionStore none(db, RecordsMode::none, 30);
  CHECK_FALSE(none.last_for_visit_code("4711", kNoon));
  CHECK(none.visits_of("4711", kNoon).empty());
}
