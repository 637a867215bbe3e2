// The outbox in the real SQLite file (no server needed): queued in the
// session's own transaction, kept by retention until sent, steered by staff
// (audited); the sender's backoff and its reading of server answers; the
// transaction Bundle (conditional creates) and the [fhir] config keys.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <SQLiteCpp/Statement.h>
#include <set>

#include "core/config.h"
#include "core/export/fhir_bundle.h"
#include "core/fhir/fhir_sender.h"
#include "core/session/session_json.h"
#include "core/storage/audit_log.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"
#include "script/questionnaire.h"
#include "script/session.h"
#include "storage/session_fixture.h"
#include "support/plate_used.h"
#include "support/temp_dir.h"

using namespace kiosk;
using kiosk::WallClock;
using nlohmann::json;
using storage::Database;
using storage::Outbox;
using storage::SessionStore;

namespace {
const auto kNoon = *kiosk::parse_iso_utc("2024-05-01T12:00:00Z");
int count(Database& db, const std::string& sql) { return db.sql().execAndGet(sql).getInt(); }

Config with_server(bool purge_unsent = false) {
  Config c;
  c.retention_days = 7;
  c.fhir.base_url = "https://fhir.clinic.example/fhir";
  c.fhir.purge_unsent = purge_unsent;
  return c;
}
}  // namespace

TEST_CASE("a committed session is queued in its own transaction and a refused one queues nothing") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  const auto id = store.commit(test::fixture_record(test::fixture_session("session_full.json"), kNoon));
  REQUIRE(id);
  const auto item = Outbox(db).find(*id);
  REQUIRE(item);
  CHECK(item->state == "pending");
  CHECK(item->attempts == 0);

  // A record storage refuses (a measure that is not a number) leaves neither a session nor a queue entry.
  auto bad = test::fixture_record(test::fixture_session("session_full.json"), kNoon);
  bad.session.tests.at(0).measures.at(0).value = std::nan("");
  CHECK_THROWS_AS(store.commit(bad), storage::StorageError);
  CHECK(count(db, "SELECT count(*) FROM sessions") == 1);
  CHECK(count(db, "SELECT count(*) FROM outbox") == 1);

  // records = none: nothing stored, nothing queued.
  Config none;
  none.records = RecordsMode::none;
  CHECK_FALSE(SessionStore(db, none).commit(test::fixture_record(test::fixture_session("session_full.json"), kNoon)));
  CHECK(count(db, "SELECT count(*) FROM outbox") == 1);
}

TEST_CASE("retention never deletes an unsent session while a server is configured unless told to") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  const auto session = test::fixture_session("session_red_flag.json");
  std::vector<std::int64_t> ids;
  {
    SessionStore store(db, with_server());
    for (int i = 0; i < 4; ++i) ids.push_back(*store.commit(test::fixture_record(session, kNoon)));
  }
  Outbox outbox(db);
  outbox.mark_sent(ids[0], kNoon);
  outbox.park(ids[1], "HTTP 422: error invalid: x", kNoon);
  CHECK(outbox.drop(ids[2], "staff"));
  const auto later = kNoon + std::chrono::days(30);

  SessionStore store(db, with_server());
  CHECK(store.purge_expired(later) == 2);  // sent and dropped go; parked and pending stay
  CHECK_FALSE(store.find(ids[0]));
  CHECK(store.find(ids[1]));
  CHECK_FALSE(store.find(ids[2]));
  CHECK(store.find(ids[3]));
  CHECK(count(db, "SELECT count(*) FROM outbox") == 2);  // the rows went with their sessions

  SessionStore purging(db, with_server(/*purge_unsent=*/true));
  CHECK(purging.purge_expired(later) == 2);
  CHECK(count(db, "SELECT count(*) FROM sessions") == 0);
  const auto audit = storage::read_audit(db, {});
  CHECK_THAT(audit.back().detail, Catch::Contains("unsent_kept=false"));

  // No server configured: retention works as it always did (the queue waits with its sessions).
  const auto id = *SessionStore(db, Config{}).commit(test::fixture_record(session, kNoon));
  Config no_server;
  no_server.retention_days = 7;
  CHECK(SessionStore(db, no_server).purge_expired(later) == 1);
  CHECK_FALSE(Outbox(db).find(id));
}

TEST_CASE("staff retry and drop parked sessions and each is audited") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  const auto a = *store.commit(test::fixture_record(test::fixture_session("session_red_flag.json"), kNoon));
  const auto b = *store.commit(test::fixture_record(test::fixture_session("session_red_flag.json"), kNoon));
  Outbox outbox(db);
  outbox.park(a, "HTTP 400: error structure: String must contain non-whitespace content", kNoon);
  outbox.park(b, "HTTP 422: error invalid: other", kNoon);
  auto s = outbox.summary();
  CHECK(s.parked == 2);
  CHECK(s.pending == 0);
  CHECK_THAT(s.last_error, Catch::Contains("HTTP 422"));
  CHECK(outbox.items("parked").size() == 2);

  CHECK(outbox.retry(a, "clinician") == 1);
  CHECK(outbox.find(a)->state == "pending");
  CHECK(outbox.retry(a, "clinician") == 0);  // no longer parked
  CHECK(outbox.drop(b, "clinician"));
  CHECK_FALSE(outbox.drop(b, "clinician"));
  outbox.mark_sent(a, kNoon);
  CHECK_FALSE(outbox.drop(a, "clinician"));  // sent: nothing to give up
  s = outbox.summary();
  CHECK(s.sent == 1);
  CHECK(s.dropped == 1);
  CHECK(s.last_error.empty());  // a success clears the last error
  CHECK(s.last_sent_at == kiosk::to_iso_utc(kNoon));

  std::vector<std::string> events;
  for (const auto& e : storage::read_audit(db, {})) events.push_back(e.event + " " + e.actor + " " + e.detail);
  CHECK(std::count(events.begin(), events.end(), fmt::format("fhir_retry clinician session={}", a)) == 1);
  CHECK(std::count(events.begin(), events.end(), fmt::format("fhir_drop clinician session={}", b)) == 1);
  CHECK(std::count(events.begin(), events.end(), fmt::format("fhir_parked fhir session={}", a)) == 1);
}

TEST_CASE("backoff doubles from the first wait to the cap with 50 to 100 percent jitter even after days offline") {
  FhirConfig f;
  f.backoff_first_s = 10;
  f.backoff_max_s = 1800;
  std::mt19937_64 random(7);
  for (int attempts : {1, 2, 3, 5, 8, 20, 5000}) {
    const double full = std::min(10.0 * std::pow(2.0, attempts - 1), 1800.0);
    std::set<long long> seen;
    for (int i = 0; i < 200; ++i) {
      const auto ms = fhir::backoff_delay(f, attempts, random).count();
      CHECK(ms >= static_cast<long long>(full * 500) - 1);
      CHECK(ms <= static_cast<long long>(full * 1000));
      seen.insert(ms);
    }
    CHECK(seen.size() > 100);  // jittered: a fleet does not retry in step
  }
}

TEST_CASE("server answers are read as sent retry park or auth") {
  using fhir::Verdict;
  std::string why;
  fhir::HttpResponse r;
  r.transport_error = "timeout";
  CHECK(fhir::classify(r, why) == Verdict::retry);
  CHECK(why == "timeout");

  const json oo = {{"resourceType", "OperationOutcome"},
                   {"issue",
                    {{{"severity", "error"},
                      {"code", "invalid"},
                      {"details", {{"text", "bad status"}}},
                      {"expression", {"Observation.status"}}}}}};
  auto answer = [](long status, const json& body) {
    fhir::HttpResponse a;
    a.status = status;
    a.body = body.is_null() ? std::string("<html>Not Found</html>") : body.dump();
    return a;
  };
  CHECK(fhir::classify(answer(400, oo), why) == Verdict::park);
  CHECK(why == "HTTP 400: error invalid: bad status (Observation.status)");
  CHECK(fhir::classify(answer(422, oo), why) == Verdict::park);
  CHECK(fhir::classify(answer(503, oo), why) == Verdict::retry);
  CHECK(fhir::classify(answer(500, nullptr), why) == Verdict::retry);
  CHECK(fhir::classify(answer(429, oo), why) == Verdict::retry);
  CHECK(fhir::classify(answer(408, nullptr), why) == Verdict::retry);
  CHECK(fhir::classify(answer(401, oo), why) == Verdict::auth);
  CHECK(fhir::classify(answer(403, nullptr), why) == Verdict::auth);
  CHECK(fhir::classify(answer(404, nullptr), why) == Verdict::retry);  // no OperationOutcome: not the session's fault
  CHECK_THAT(why, Catch::Contains("fhir.base_url"));

  json ok = {{"resourceType", "Bundle"},
             {"type", "transaction-response"},
             {"entry", {{{"response", {{"status", "201 Created"}}}}, {{"response", {{"status", "200"}}}}}}};
  CHECK(fhir::classify(answer(200, ok), why) == Verdict::sent);
  ok["entry"][1]["response"]["status"] = "400";
  CHECK(fhir::classify(answer(200, ok), why) == Verdict::retry);
  CHECK(fhir::classify(answer(200, oo), why) == Verdict::retry);  // 200 but not a transaction-response
}

TEST_CASE("a session's transaction Bundle is conditional creates on its identifiers in parts") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  auto record = test::fixture_record(test::fixture_session("session_full.json"), kNoon, 3000);
  record.visit_code = "A1234";
  const auto id = *store.commit(record);
  const auto install = store.install_id();

  const auto bundle = *records_export::fhir_transaction(store, id, {records_export::VisitCodeUse::off, ""});
  CHECK(bundle["type"] == "transaction");
  const auto& entries = bundle["entry"];
  REQUIRE(entries.size() == 2 + 1 + 9 + 6 + 1);  // QRs, safety, measures, findings, the handout
  std::set<std::string> conditions;
  for (const auto& e : entries) {
    const auto& r = e["resource"];
    CHECK(e["request"]["method"] == "POST");
    CHECK(e["request"]["url"] == r["resourceType"]);
    const auto& ident = r["identifier"].is_array() ? r["identifier"][0] : r["identifier"];
    CHECK(ident["system"] == "urn:heel-kiosk:fhir:session");
    CHECK_THAT(ident["value"].get<std::string>(), Catch::StartsWith(fmt::format("{}/{}/", install, id)));
    const std::string condition = e["request"]["ifNoneExist"];
    CHECK_THAT(condition, Catch::StartsWith("identifier=urn%3Aheel-kiosk%3Afhir%3Asession%7C" + install + "%2F"));
    conditions.insert(condition);
    CHECK_FALSE(r.contains("encounter"));  // visit code "off": no identity leaves the kiosk
    CHECK_FALSE(r.contains("subject"));
    CHECK_FALSE(r.contains("context"));
  }
  CHECK(conditions.size() == entries.size());

  // Standard codes beside the local ones: the single-leg stance time is LOINC 66569-5.
  int loinc = 0;
  for (const auto& e : entries)
    for (const auto& c : e["resource"].value("code", json::object()).value("coding", json::array()))
      if (c["system"] == "http://loinc.org") {
        ++loinc;
        CHECK(c["code"] == "66569-5");
        CHECK(e["resource"]["code"]["coding"][0]["code"] == "single_leg_balance.stance_s");
      }
  CHECK(loinc == 2);  // left and right

  // The same resources and ids as the export.
  const auto exported = records_export::fhir_bundle(store, {}, kNoon);
  REQUIRE(exported["entry"].size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) CHECK(exported["entry"][i]["fullUrl"] == entries[i]["fullUrl"]);

  // The visit code as the clinic configured it.
  const auto as_patient = *records_export::fhir_transaction(
      store, id, {records_export::VisitCodeUse::patient, "https://clinic.example/mrn"});
  CHECK(as_patient["entry"][0]["resource"]["subject"] ==
        json({{"type", "Patient"}, {"identifier", {{"system", "https://clinic.example/mrn"}, {"value", "A1234"}}}}));

  const auto parts = fhir::transaction_parts(bundle, 8);
  REQUIRE(parts.size() == 3);
  CHECK(parts[0]["entry"].size() == 8);
  CHECK(parts[2]["entry"].size() == 3);
  CHECK(parts[2]["type"] == "transaction");
  CHECK(parts[2]["entry"][2] == entries[18]);
  CHECK_FALSE(records_export::fhir_transaction(store, id + 100, {}));
}

TEST_CASE("a plate session's transaction creates its Device and DeviceMetric only if new, before the Observations") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  auto session = test::fixture_session("session_full.json");
  const session::PlateUsed plate = test::sim_plate_used("2024-04-30T09:12:00.000Z", 2);
  auto recalibrated = plate;  // between two tests of one session
  recalibrated.calibrated_at = "2024-05-01T11:30:00.000Z";
  for (auto& t : session.tests) {
    if (t.test == "single_leg_balance") t.plate = plate;
    if (t.test == "heel_raise") t.plate = recalibrated;
  }
  const auto id = *store.commit(test::fixture_record(session, kNoon));
  int on_plate = 0, typed = 0;  // the results rows name the plate (knee-to-wall: typed in, NULL)
  const auto stored = store.find(id);
  REQUIRE(stored);
  for (const auto& m : stored->measures) {
    on_plate += m.plate == "sim:SIM-0001";
    typed += m.plate.empty() && m.test == "knee_to_wall";
  }
  CHECK(on_plate == 6);
  CHECK(typed == 3);

  const auto bundle = *records_export::fhir_transaction(store, id, {});
  int devices = 0, metrics = 0, with_device = 0;
  size_t last_plate_entry = 0, first_measured = SIZE_MAX;  // the plates go before the Observations naming them
  for (size_t i = 0; i < bundle["entry"].size(); ++i) {
    const auto& r = bundle["entry"][i]["resource"];
    devices += r["resourceType"] == "Device";
    metrics += r["resourceType"] == "DeviceMetric";
    if (r["resourceType"] == "Device" || r["resourceType"] == "DeviceMetric") last_plate_entry = i;
    if (r.contains("device")) {
      ++with_device;
      first_measured = std::min(first_measured, i);
    }
  }
  CHECK(devices == 1);  // one plate, recalibrated: its Device once, a DeviceMetric per calibration
  CHECK(metrics == 2);
  CHECK(with_device == 6);
  CHECK(last_plate_entry < first_measured);
  for (const auto& e : bundle["entry"]) {
    const auto& r = e["resource"];
    if (r["resourceType"] == "Device")
      CHECK(e["request"]["ifNoneExist"] == "identifier=urn%3Aheel-kiosk%3Afhir%3Aplate%7Csim%3ASIM-0001");
    if (r["resourceType"] == "DeviceMetric")
      CHECK_THAT(e["request"]["ifNoneExist"].get<std::string>(),
                 Catch::StartsWith("identifier=urn%3Aheel-kiosk%3Afhir%3Aplate-calibration%7Csim%3ASIM-0001%2F2024-0"));
  }
  // The Device's id is the plate's: the same from another kiosk's database.
  test::TempDir other;
  auto other_db = Database::open(other / "kiosk.db");
  SessionStore other_store(other_db, Config{});
  const auto other_id = *other_store.commit(test::fixture_record(session, kNoon + std::chrono::hours(1)));
  const auto again = *records_export::fhir_transaction(other_store, other_id, {});
  auto device_url = [](const json& b) {
    for (const auto& e : b["entry"])
      if (e["resource"]["resourceType"] == "Device") return e["fullUrl"].get<std::string>();
    return std::string();
  };
  CHECK(device_url(again) == device_url(bundle));
  CHECK_FALSE(device_url(bundle).empty());
}

TEST_CASE("the [fhir] keys are read and the ones that need each other are checked") {
  const auto c = parse_config(R"(
[fhir]
base_url = "https://fhir.clinic.example/fhir"
auth = "smart"
token_url = "https://auth.clinic.example/token"
client_id = "kiosk-7"
key_algorithm = "RS384"
backoff_first_s = 0.5
backoff_max_s = 60
bundle_max_entries = 50
visit_code_as = "encounter"
visit_code_system = "https://clinic.example/visit"
purge_unsent = true
)",
                              "kiosk.toml");
  CHECK(c.fhir.auth == "smart");
  CHECK(c.fhir.key_algorithm == "RS384");
  CHECK(c.fhir.backoff_first_s == 0.5);
  CHECK(c.fhir.bundle_max_entries == 50);
  CHECK(c.fhir.purge_unsent);
  auto error_of = [](const std::string& toml) {
    try {
      parse_config(toml, "kiosk.toml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(error_of("[fhir]\nauth = \"smart\"\n") == "kiosk.toml: fhir: auth = \"smart\" needs token_url and client_id");
  CHECK(error_of("[fhir]\nauth = \"bearer\"\n") == "kiosk.toml: fhir: auth = \"bearer\" needs bearer_token_file");
  CHECK(error_of("[fhir]\nauth = \"basic\"\n") ==
        "kiosk.toml:2: fhir.auth: must be one of none, bearer, smart (got \"basic\")");
  CHECK(error_of("[fhir]\nbase_url = \"ftp://x\"\n") ==
        "kiosk.toml:2: fhir.base_url: must start with https:// (or http:// on a private network), or be empty");
  CHECK(error_of("[fhir]\nvisit_code_as = \"patient\"\n") ==
        "kiosk.toml: fhir: visit_code_as needs visit_code_system (the clinic's identifier system URI)");
  CHECK(error_of("[fhir]\nbackoff_first_s = 100\nbackoff_max_s = 10\n") ==
        "kiosk.toml: fhir: backoff_first_s must not exceed backoff_max_s");
}

TEST_CASE("session ids are never used twice, not even after a wipe, as the server knows sessions by them") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  const auto session = test::fixture_session("session_red_flag.json");
  const auto a = *store.commit(test::fixture_record(session, kNoon));
  const auto b = *store.commit(test::fixture_record(session, kNoon));
  store.wipe_all("staff");
  const auto c = *store.commit(test::fixture_record(session, kNoon));
  CHECK(b > a);
  CHECK(c > b);
}

namespace {

// The shipped screening and profile Questionnaires, generated from the scripts.
records_export::QuestionnaireDefs shipped_questionnaires() {
  script::Catalogue catalogue({std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"});
  catalogue.scan();
  return script::questionnaires(catalogue, script::clinic_context(Config{}));
}

// The session's resources of one type, by the part their identifier names ("safety", "screening", ...).
std::map<std::string, json> by_part(const json& bundle, const std::string& type) {
  std::map<std::string, json> out;
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == type) {
      const std::string value = e["resource"]["identifier"].is_array() ? e["resource"]["identifier"][0]["value"]
                                                                       : e["resource"]["identifier"]["value"];
      out[value.substr(value.find('/', value.find('/') + 1) + 1)] = e["resource"];
    }
  return out;
}

}  // namespace

TEST_CASE("the Questionnaires a session names go first as conditional creates on url and version") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  const auto id = *store.commit(test::fixture_record(test::fixture_session("session_full.json"), kNoon, 0));
  const auto defs = shipped_questionnaires();
  REQUIRE(defs.size() == 2);

  const auto bundle = *records_export::fhir_transaction(store, id, {records_export::VisitCodeUse::off, ""}, defs);
  const auto& entries = bundle["entry"];
  REQUIRE(entries.size() == 2 + 2 + 1 + 9 + 6);
  for (int i = 0; i < 2; ++i) {
    const auto& q = entries[i]["resource"];
    CHECK(q["resourceType"] == "Questionnaire");
    CHECK(q["version"] == "2.0.0");  // the script's own version
    CHECK(entries[i]["request"]["ifNoneExist"] ==
          fmt::format("url=urn%3Aheel-kiosk%3Afhir%3Aquestionnaire%3A{}&version=2.0.0",
                      i == 0 ? "screening" : "profile"));
  }
  const auto qrs = by_part(bundle, "QuestionnaireResponse");
  CHECK(qrs.at("screening")["questionnaire"] == entries[0]["resource"]["url"].get<std::string>() + "|2.0.0");

  // A version the kiosk has no definition for: the response still names it, no Questionnaire goes.
  auto other = defs;
  for (auto& d : other) d.version = "9.9.9";
  const auto without = *records_export::fhir_transaction(store, id, {records_export::VisitCodeUse::off, ""}, other);
  CHECK(without["entry"].size() == entries.size() - 2);
  CHECK(without["entry"][0]["resource"]["questionnaire"] == "urn:heel-kiosk:fhir:questionnaire:screening|2.0.0");
  // Untyped, a whole number stays a number as stored and a choice is still a code.
  const auto profile = by_part(without, "QuestionnaireResponse").at("profile");
  CHECK(profile["item"][0]["answer"][0]["valueCoding"]["code"].is_string());
}

TEST_CASE("the safety state red flags and staff overrides are Observations a clinician reads") {
  test::TempDir dir;
  auto db = Database::open(dir / "kiosk.db");
  SessionStore store(db, Config{});
  const auto defs = shipped_questionnaires();
  // Stored documents as an older or damaged kiosk might have left them: read back through the session model.
  const auto doc = [](const char* name) { return kiosk::session::to_json(test::fixture_session(name)); };
  const auto transaction = [&](const json& document) {
    const auto id = *store.commit(test::fixture_record(kiosk::session::session_from_json(document), kNoon, 0));
    return *records_export::fhir_transaction(store, id, {records_export::VisitCodeUse::off, ""}, defs);
  };
  const auto state_of = [](const json& o) { return o["valueCodeableConcept"]["coding"][0]; };

  // Cleared: one Observation, no red flags.
  const auto cleared = by_part(transaction(doc("session_full.json")), "Observation");
  CHECK(state_of(cleared.at("safety")) ==
        json({{"system", "urn:heel-kiosk:fhir:safety-state"},
              {"code", "cleared"},
              {"display", "Cleared: the safety screen found no red flag in force; the tests ran."}}));
  CHECK_FALSE(cleared.at("safety").contains("hasMember"));

  // A red flag: the state, the flag with the answer that raised it, and the response holding that answer.
  const auto red_bundle = transaction(doc("session_red_flag.json"));
  const auto red = by_part(red_bundle, "Observation");
  CHECK(state_of(red.at("safety"))["code"] == "red_flag");
  const auto& flag = red.at("safety.red-flag.screening.night_pain");
  CHECK(flag["code"]["coding"][0] ==
        json({{"system", "urn:heel-kiosk:fhir:red-flag"}, {"code", "screening.night_pain"}}));
  CHECK(flag["valueString"] == "yes");
  CHECK(flag["component"][0]["valueBoolean"] == true);  // in force
  CHECK(red.at("safety")["hasMember"][0]["identifier"] == flag["identifier"][0]);
  const auto screening = by_part(red_bundle, "QuestionnaireResponse").at("screening");
  CHECK(flag["derivedFrom"][0]["identifier"] == screening["identifier"]);
  CHECK(screening["item"].back() == json({{"linkId", "night_pain"}, {"answer", {{{"valueBoolean", true}}}}}));
  CHECK(red.size() == 2);  // no tests ran: no measures, no findings

  // Staff overrode it: the flag stays on record, no longer in force, with the reason and when.
  auto overridden = doc("session_red_flag.json");
  overridden["safety"]["flags"][0]["override"] = {{"reason", "clinician_assessed"}, {"at", "2024-05-01T11:58:00.000Z"}};
  overridden["safety"]["state"] = "cleared";
  const auto after = by_part(transaction(overridden), "Observation");
  CHECK(state_of(after.at("safety"))["code"] == "cleared");
  const auto& kept = after.at("safety.red-flag.screening.night_pain");
  CHECK(kept["component"][0]["valueBoolean"] == false);
  CHECK(kept["component"][1]["valueCodeableConcept"]["coding"][0] ==
        json({{"system", "urn:heel-kiosk:fhir:override-reason"}, {"code", "clinician_assessed"}}));
  CHECK(kept["note"][0]["time"] == "2024-05-01T11:58:00.000Z");

  // An override whose reason is not on the list does not count, as when the kiosk reads the record back.
  auto unlisted = doc("session_red_flag.json");
  unlisted["safety"]["flags"][0]["override"] = {{"reason", "patient_insisted"}, {"at", "2024-05-01T11:58:00.000Z"}};
  const auto still = by_part(transaction(unlisted), "Observation").at("safety.red-flag.screening.night_pain");
  CHECK(still["component"][0]["valueBoolean"] == true);
  CHECK(still["component"].size() == 1);

  // A session whose safety block is missing, unknown or garbled is never sent as cleared.
  auto unknown = doc("session_full.json");
  unknown["safety"]["state"] = "fine";
  CHECK(state_of(by_part(transaction(unknown), "Observation").at("safety"))["code"] == "unscreened");
  for (const json& garbled :
       {json("cleared"), json({{"state", 1}, {"flags", "x"}, {"unscreened_reason", 2}}),
        json({{"state", "red_flag"},
              {"flags",
               {{{"raised_by", "screening.fever"}, {"answer", 3}, {"from_answer", "yes"}, {"override", 7}}}}})}) {
    auto odd = doc("session_full.json");
    odd["safety"] = garbled;
    const auto observations = by_part(transaction(odd), "Observation");
    CHECK(state_of(observations.at("safety"))["code"] != "cleared");
  }
}
