// The outbox's sender against a real FHIR engine on loopback (Medplum's FHIR
// router, tests/fhir/engine/server.js; every Bundle it gets is also checked
// against the official R4 JSON schema) and the fault proxy, through the real
// kioskctl and the real SenderThread: sends, faults, outage, parking with
// staff retry/drop, restarts, bearer and SMART Backend Services auth.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "core/fhir/fhir_sender.h"
#include "core/storage/outbox.h"
#include "core/storage/session_store.h"
#include "node_service.h"
#include "storage/session_fixture.h"
#include "support/plate_used.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace kiosk;
using nlohmann::json;
using test::FaultProxy;
using test::FhirEngine;
namespace fs = std::filesystem;

namespace {

const std::string kAnswers = std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/";

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// A kiosk's config and data dir; kioskctl on them.
struct Kiosk {
  test::TempDir dir;
  explicit Kiosk(const std::string& fhir_section) { configure(fhir_section); }
  void configure(const std::string& fhir_section) const {
    std::ofstream(dir / "kiosk.toml") << "[fhir]\nconnect_timeout_s = 2\nrequest_timeout_s = 2\n"
                                         "backoff_first_s = 0.2\nbackoff_max_s = 1\n" +
                                             fhir_section;
  }
  fs::path data() const { return dir / "data"; }
  test::ProcessResult ctl(const std::string& args) const {
    return test::run(test::program("kioskctl") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                     data().string() + " " + args);
  }
  void store(const std::string& answers, const std::string& extra = "") const {
    const auto r = ctl("session run --answers " + kAnswers + answers + " --store " + extra);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  json status() const {
    const auto r = ctl("fhir status");
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
  std::string log() const { return read_all(data() / "logs" / "kioskctl.log"); }
};

std::string url_line(const std::string& url) { return fmt::format("base_url = \"{}\"\n", url); }

int resources_of(const json& stats, const char* type) { return stats["by_type"].value(type, 0); }

void set_all_pending(const fs::path& data) {
  auto db = storage::Database::open(data / "kiosk.db");
  db.sql().exec("UPDATE outbox SET state = 'pending', next_attempt_at = '2000-01-01T00:00:00.000Z'");
}

}  // namespace

TEST_CASE("push sends every stored session once and sending again creates nothing") {
  FhirEngine engine;
  Kiosk k(url_line(engine.base_url()));
  std::ofstream(k.dir / "handout.pdf", std::ios::binary) << "%PDF-1.7\n" << std::string(3000, 'x') << "\n%%EOF\n";
  k.store("session_full.json", "--visit-code A1234 --handout-pdf " + (k.dir / "handout.pdf").string());
  k.store("session_red_flag.json");
  k.store("session_one_leg_unsafe.json", "--lang es");
  CHECK(k.status()["pending"] == 3);

  auto r = k.ctl("fhir push");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["sent"] == 3);
  auto status = k.status();
  CHECK(status["sent"] == 3);
  CHECK(status["pending"] == 0);
  CHECK_FALSE(status["last_sent_at"].get<std::string>().empty());

  const auto first = engine.stats();
  CHECK(resources_of(first, "QuestionnaireResponse") == 2 + 1 + 2);
  CHECK(resources_of(first, "DocumentReference") == 1);
  CHECK(resources_of(first, "Observation") > 15);
  CHECK(first["duplicates"].empty());
  CHECK(first["schema_invalid"] == 0);  // every Bundle sent is valid against the R4 JSON schema
  // The screening and profile Questionnaires, once each, and every response checked against its own.
  CHECK(resources_of(first, "Questionnaire") == 2);
  CHECK(first["responses_checked"] == 5);
  CHECK(first["responses_unchecked"] == 0);
  std::set<std::string> canonical;
  for (const auto& q : engine.resources("Questionnaire"))
    canonical.insert(q["url"].get<std::string>() + "|" + q["version"].get<std::string>());
  for (const auto& qr : engine.resources("QuestionnaireResponse")) CHECK(canonical.count(qr["questionnaire"]) == 1);
  // A clinician sees each session's safety state.
  int states = 0;
  for (const auto& o : engine.resources("Observation"))
    if (o["code"]["coding"][0]["system"] == "urn:heel-kiosk:fhir:safety") ++states;
  CHECK(states == 3);
  // Visit codes stay at the kiosk unless the clinic turns them on (fhir.visit_code_as).
  CHECK_THAT(engine.resources("QuestionnaireResponse").dump(), !Catch::Contains("A1234"));

  // Everything again (as after a crash between the server's answer and our commit): nothing new.
  set_all_pending(k.data());
  r = k.ctl("fhir push");
  REQUIRE(r.exit_code == 0);
  const auto second = engine.stats();
  CHECK(second["identifiers"] == first["identifiers"]);
  CHECK(second["by_type"] == first["by_type"]);
  CHECK(second["duplicates"].empty());
  CHECK(second["transactions"].get<int>() > first["transactions"].get<int>());
  CHECK(second["schema_invalid"] == 0);

  // The push is audited, with counts only.
  const auto audit = json::parse(k.ctl("audit list").out);
  CHECK(audit.back()["event"] == "fhir_push");
  CHECK_THAT(audit.back()["detail"].get<std::string>(), Catch::Contains("sent=3") && Catch::Contains("left=0"));
}

TEST_CASE(
    "sessions measured on a plate reach the server with one Device per plate and one DeviceMetric per calibration") {
  FhirEngine engine;
  Kiosk k(url_line(engine.base_url()));
  k.store("session_red_flag.json");  // creates the database the way the kiosk does; no plate
  const session::PlateUsed plate = test::sim_plate_used("2026-11-30T08:15:02.000Z", 3);
  auto recalibrated = plate;
  recalibrated.calibrated_at = "2026-12-02T07:59:41.000Z";
  {
    auto db = storage::Database::open(k.data() / "kiosk.db");
    storage::SessionStore store(db, Config{});
    const auto full = test::fixture_session("session_full.json");
    int n = 0;
    for (const auto& used : {plate, plate, recalibrated}) {
      auto session = full;
      for (auto& t : session.tests)
        if (t.test != "knee_to_wall") t.plate = used;
      REQUIRE(store.commit(test::fixture_record(session, kiosk::WallClock::now() - std::chrono::minutes(5 - n++))));
    }
  }
  const auto r = k.ctl("fhir push");
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["sent"] == 4);
  const auto stats = engine.stats();
  CHECK(stats["schema_invalid"] == 0);
  CHECK(stats["duplicates"].empty());  // three sessions, one plate: created once, the rest matched
  CHECK(resources_of(stats, "Device") == 1);
  CHECK(resources_of(stats, "DeviceMetric") == 2);  // two calibrations of it
  const auto devices = engine.resources("Device");
  REQUIRE(devices.size() == 1);
  CHECK(devices[0]["serialNumber"] == "SIM-0001");
  std::set<std::string> calibrated_at;
  for (const auto& m : engine.resources("DeviceMetric")) {
    CHECK(m["source"]["identifier"] == devices[0]["identifier"][0]);
    CHECK(m["calibration"][0]["state"] == "calibrated");
    calibrated_at.insert(m["calibration"][0]["time"].get<std::string>());
  }
  CHECK(calibrated_at.size() == 2);
  int with_device = 0;
  for (const auto& o : engine.resources("Observation"))
    if (o.contains("device")) {
      ++with_device;
      CHECK(o["device"]["identifier"]["value"] == "sim:SIM-0001");
    }
  CHECK(with_device == 3 * 6);  // balance and heel raises, both sides and asymmetry, in each plate session
}

TEST_CASE("each fault is retried later and never makes a duplicate") {
  FhirEngine engine;
  FaultProxy proxy(engine);
  Kiosk k(url_line(proxy.base_url()));
  const std::vector<std::pair<std::string, std::string>> faults{{"500-before", "HTTP 500"},
                                                                {"500-after", "HTTP 500"},
                                                                {"timeout", "timeout"},
                                                                {"reset-before", "connection"},
                                                                {"reset-after", "connection"}};
  int sent = 0;
  for (const auto& [fault, words] : faults) {  // one engine for all: starting one takes seconds
    INFO(fault);
    k.store("session_red_flag.json");
    proxy.mode({{"fail_rate", 1.0}, {"faults", {fault}}});
    const auto r = k.ctl("fhir push");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    const auto report = json::parse(r.out);
    CHECK(report["failed"] == 1);
    CHECK(report["left"] == 1);
    CHECK_THAT(report["stopped_by"].get<std::string>(), Catch::Contains(words));
    const auto status = k.status();
    CHECK(status["pending"] == 1);  // retried later, never parked for a server's trouble
    CHECK(status["parked"] == 0);
    CHECK_THAT(status["last_error"].get<std::string>(), Catch::Contains(words));
    CHECK(status["next_attempt_at"].get<std::string>() > status["last_error_at"].get<std::string>());

    proxy.mode({{"fail_rate", 0.0}});
    REQUIRE(k.ctl("fhir push").exit_code == 0);
    CHECK(k.status()["last_error"] == "");
    CHECK(k.status()["sent"] == ++sent);
  }
  // A slow answer within the timeout is a success.
  k.store("session_red_flag.json");
  proxy.mode({{"fail_rate", 1.0}, {"faults", {"slow"}}, {"slow_ms", 300}});
  CHECK(k.ctl("fhir push").exit_code == 0);
  CHECK(k.status()["sent"] == ++sent);

  const auto stats = engine.stats();
  CHECK(stats["duplicates"].empty());  // the "-after" faults made the server commit sessions sent again
  CHECK(resources_of(stats, "QuestionnaireResponse") == sent);
  CHECK(stats["schema_invalid"] == 0);
}

TEST_CASE("during an outage nothing is sent or lost and the queue drains after it") {
  FhirEngine engine;
  FaultProxy proxy(engine);
  Kiosk k(url_line(proxy.base_url()));
  k.store("session_full.json");
  k.store("session_red_flag.json");
  proxy.outage(true);
  auto r = k.ctl("fhir push");
  CHECK(r.exit_code == 1);
  CHECK(json::parse(r.out)["left"] == 2);
  CHECK(k.status()["pending"] == 2);
  CHECK(resources_of(engine.stats(), "QuestionnaireResponse") == 0);
  proxy.outage(false);
  r = k.ctl("fhir push");
  CHECK(r.exit_code == 0);
  CHECK(resources_of(engine.stats(), "QuestionnaireResponse") == 3);
}

TEST_CASE("a session the server refuses with an OperationOutcome is parked until staff retry or drop it") {
  FhirEngine engine;
  Kiosk k(url_line(engine.base_url()));
  k.store("session_red_flag.json");
  {
    // A session the engine's validator refuses: an answer of blanks is not a FHIR string.
    auto db = storage::Database::open(k.data() / "kiosk.db");
    auto session = test::fixture_session("session_full.json");
    session.profile->answers["sex"] = std::string("   ");
    storage::SessionStore(db, Config{}).commit(test::fixture_record(session, kiosk::WallClock::now()));
  }
  auto r = k.ctl("fhir push");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);  // something is left to send
  CHECK(json::parse(r.out)["parked"] == 1);
  CHECK(json::parse(r.out)["sent"] == 1);  // the other session went
  auto status = k.status();
  REQUIRE(status["parked_items"].size() == 1);
  const auto parked = status["parked_items"][0];
  CHECK(parked["session"] == 2);
  CHECK_THAT(parked["reason"].get<std::string>(), Catch::StartsWith("HTTP 400") && Catch::Contains("non-whitespace") &&
                                                      Catch::Contains("QuestionnaireResponse"));

  CHECK(k.ctl("fhir retry --session 2").exit_code == 0);
  CHECK(k.status()["pending"] == 1);
  CHECK(k.ctl("fhir push").exit_code == 1);  // refused again: parked again
  CHECK(k.status()["parked"] == 1);
  CHECK(k.ctl("fhir drop --session 2").exit_code == 0);
  CHECK(k.ctl("fhir drop --session 2").exit_code == 1);
  r = k.ctl("fhir push");
  CHECK(r.exit_code == 0);  // nothing left: dropped is not waiting
  status = k.status();
  CHECK(status["dropped"] == 1);
  CHECK(status["sent"] == 1);

  std::string events;
  for (const auto& e : json::parse(k.ctl("audit list").out)) events += e["event"].get<std::string>() + " ";
  CHECK_THAT(events, Catch::Contains("fhir_parked fhir_push fhir_retry fhir_parked fhir_push fhir_drop fhir_push"));
  CHECK(k.ctl("fhir retry").exit_code == 2);  // neither --session nor --all
}

TEST_CASE("the server refuses a response that does not match its Questionnaire and the session is parked") {
  FhirEngine engine;
  Kiosk k(url_line(engine.base_url()));
  {
    // An age band the profile's Questionnaire has no option for (a script changed under a stored session?).
    auto db = storage::Database::open(k.data() / "kiosk.db");
    auto session = test::fixture_session("session_full.json");
    session.profile->answers["age_band"] = std::string("15-17");
    storage::SessionStore(db, Config{}).commit(test::fixture_record(session, kiosk::WallClock::now()));
  }
  k.store("session_full.json");
  const auto r = k.ctl("fhir push");
  INFO(r.out << r.err);
  CHECK(json::parse(r.out)["parked"] == 1);
  CHECK(json::parse(r.out)["sent"] == 1);
  const auto status = k.status();
  REQUIRE(status["parked_items"].size() == 1);
  CHECK_THAT(status["parked_items"][0]["reason"].get<std::string>(),
             Catch::StartsWith("HTTP 400") && Catch::Contains("age_band") &&
                 Catch::Contains("urn:heel-kiosk:fhir:questionnaire:profile:age_band|15-17 is not an answerOption"));
  const auto stats = engine.stats();
  CHECK(stats["responses_refused"] == 1);
  CHECK(resources_of(stats, "Questionnaire") == 2);  // held, though the refused transaction brought them too
}

TEST_CASE("the sender thread drains the queue in the background and carries on after a restart") {
  FhirEngine engine;
  FaultProxy proxy(engine);
  Kiosk k(url_line(proxy.base_url()));
  const auto config = load_config_file(k.dir / "kiosk.toml");
  auto db = storage::Database::open(k.data() / "kiosk.db");
  storage::SessionStore store(db, config);
  storage::Outbox outbox(db);
  proxy.outage(true);
  {
    fhir::SenderThread sender(k.data() / "kiosk.db", config, k.data());
    for (int i = 0; i < 3; ++i) {
      store.commit(test::fixture_record(test::fixture_session("session_red_flag.json"), kiosk::WallClock::now()));
      sender.wake();
    }
    for (int i = 0; i < 100 && outbox.summary().last_error.empty(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }  // the kiosk stops (its sender with it) while the server is away
  CHECK(outbox.summary().pending == 3);
  CHECK_FALSE(outbox.summary().last_error.empty());
  proxy.outage(false);
  fhir::SenderThread sender(k.data() / "kiosk.db", config, k.data());
  for (int i = 0; i < 200 && outbox.summary().pending > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(outbox.summary().sent == 3);
  CHECK(resources_of(engine.stats(), "QuestionnaireResponse") == 3);
  CHECK(engine.stats()["duplicates"].empty());
}

TEST_CASE("with no server configured sessions stay queued and push says nothing was sent") {
  Kiosk k("");
  k.store("session_red_flag.json");
  const auto r = k.ctl("fhir push");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("fhir.base_url is empty"));
  CHECK(k.status()["pending"] == 1);
}

TEST_CASE("kioskctl fhir questionnaire prints the Questionnaires generated from the installed scripts") {
  Kiosk k("");
  auto r = k.ctl("fhir questionnaire");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto bundle = json::parse(r.out);
  CHECK(bundle["type"] == "collection");
  REQUIRE(bundle["entry"].size() == 2);
  const auto& screening = bundle["entry"][0]["resource"];
  CHECK(screening["url"] == "urn:heel-kiosk:fhir:questionnaire:screening");
  CHECK(screening["status"] == "active");
  CHECK(screening["item"][5]["linkId"] == "pain_now");
  CHECK(screening["item"][5]["type"] == "integer");
  CHECK(screening["item"][0]["_text"]["extension"][0]["extension"][0]["valueCode"] == "es");
  const auto& age = bundle["entry"][1]["resource"]["item"][0];
  CHECK(age["answerOption"][1]["valueCoding"] ==
        json({{"system", "urn:heel-kiosk:fhir:questionnaire:profile:age_band"},
              {"code", "18-39"},
              {"display", "18 to 39"},
              {"_display",
               {{"extension",
                 {{{"url", "http://hl7.org/fhir/StructureDefinition/translation"},
                   {"extension",
                    {{{"url", "lang"}, {"valueCode", "es"}}, {{"url", "content"}, {"valueString", "18 a 39"}}}}}}}}}}));
  r = k.ctl("fhir questionnaire --all");
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["entry"].size() == 5);  // the three tests' manual questions too
}

TEST_CASE("bearer auth sends the token and a refused token is retried not parked") {
  FhirEngine engine({"--bearer", "tok-3f9a1c"});
  Kiosk k(url_line(engine.base_url()) + "auth = \"bearer\"\nbearer_token_file = \"" +
          (fs::temp_directory_path() / "x").string() + "\"\n");
  std::ofstream(k.dir / "token") << "wrong-token\n";
  k.configure(url_line(engine.base_url()) + "auth = \"bearer\"\nbearer_token_file = \"" + (k.dir / "token").string() +
              "\"\n");
  k.store("session_red_flag.json");
  auto r = k.ctl("fhir push");
  CHECK(r.exit_code == 1);
  auto status = k.status();
  CHECK(status["pending"] == 1);
  CHECK_THAT(status["last_error"].get<std::string>(), Catch::StartsWith("HTTP 401"));
  std::ofstream(k.dir / "token") << "tok-3f9a1c\n";
  CHECK(k.ctl("fhir push").exit_code == 0);
  CHECK(engine.stats()["unauthorized"] == 1);
  CHECK_THAT(k.log(), !Catch::Contains("tok-3f9a1c") && !Catch::Contains("wrong-token"));
}

TEST_CASE("SMART Backend Services: keygen prints the JWKS and signed assertions buy tokens") {
  for (const std::string alg : {"ES384", "RS384"}) {
    DYNAMIC_SECTION(alg) {
      Kiosk k("");
      const auto smart = [&](const FhirEngine& e, const std::string& client) {
        return url_line(e.base_url()) + "auth = \"smart\"\ntoken_url = \"" + e.service.url() + "/auth/token\"\n" +
               "client_id = \"" + client + "\"\nkey_algorithm = \"" + alg + "\"\n";
      };
      k.configure(fmt::format("key_algorithm = \"{}\"\n", alg));
      auto r = k.ctl("fhir keygen");
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const auto jwks = json::parse(r.out);
      REQUIRE(jwks["keys"].size() == 1);
      CHECK(jwks["keys"][0]["alg"] == alg);
      CHECK(jwks["keys"][0]["kty"] == (alg == "ES384" ? "EC" : "RSA"));
      CHECK_FALSE(jwks["keys"][0].contains("d"));  // public only
      const auto key_file = k.data() / "fhir-client-key.pem";
      CHECK((fs::status(key_file).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
      // Again: the key is kept and the same JWKS printed.
      CHECK(json::parse(k.ctl("fhir keygen").out) == jwks);
      std::ofstream(k.dir / "jwks.json") << jwks.dump();

      FhirEngine engine({"--jwks", (k.dir / "jwks.json").string(), "--client-id", "kiosk-7"});
      k.configure(smart(engine, "kiosk-7"));
      k.store("session_red_flag.json");
      k.store("session_full.json");
      r = k.ctl("fhir push");
      INFO(r.out << r.err);
      CHECK(r.exit_code == 0);
      auto stats = engine.stats();
      CHECK(stats["tokens_issued"] == 1);  // one token for both sessions' requests
      CHECK(stats["unauthorized"] == 0);
      CHECK(resources_of(stats, "QuestionnaireResponse") == 3);

      // An unregistered client gets no token: retried later, the reason for staff.
      k.store("session_red_flag.json");
      k.configure(smart(engine, "kiosk-unknown"));
      CHECK(k.ctl("fhir push").exit_code == 1);
      CHECK_THAT(k.status()["last_error"].get<std::string>(),
                 Catch::Contains("token endpoint refused the kiosk (HTTP 401): invalid_client"));
      CHECK(engine.stats()["tokens_refused"] == 1);

      const auto log = k.log();
      CHECK_THAT(log, !Catch::Contains("PRIVATE KEY") && !Catch::Contains("eyJ"));  // no key, no JWT
    }
  }
}

TEST_CASE("TLS: a server certificate the kiosk does not trust is refused and fhir.ca_bundle trusts it") {
  test::TempDir certs;
  const auto cert = certs / "server.pem", key = certs / "server.key";
  const auto made = test::run(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "
      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key.string() + " -out " + cert.string() + " 2>&1");
  INFO(made.out);
  REQUIRE(made.exit_code == 0);
  FhirEngine engine({"--tls-cert", cert.string(), "--tls-key", key.string()});
  const auto https_url = "https://127.0.0.1:" + std::to_string(engine.service.ports()[0]) + "/fhir";
  Kiosk k(url_line(https_url));
  k.store("session_red_flag.json");
  CHECK(k.ctl("fhir push").exit_code == 1);
  CHECK_THAT(k.status()["last_error"].get<std::string>(), Catch::StartsWith("TLS certificate not trusted"));
  CHECK(k.status()["pending"] == 1);

  k.configure(url_line(https_url) + "ca_bundle = \"" + cert.string() + "\"\n");
  const auto r = k.ctl("fhir push");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(k.status()["sent"] == 1);
}
