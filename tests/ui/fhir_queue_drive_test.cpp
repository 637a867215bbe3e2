// The clinician's page shows the FHIR outbox, driven by injected input in the
// real kiosk under SDL's offscreen driver (`kiosk --drive`): sessions held
// back by a real FHIR engine (Medplum's router refusing an answer of blanks)
// with its words, one waiting while the server is down with the last
// problem, and staff retry and drop, audited. Shots land in the build's
// Testing/fhir-queue-drive folder.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "core/storage/session_store.h"
#include "node_service.h"
#include "storage/session_fixture.h"
#include "support/process.h"

using kiosk::test::program;
using kiosk::test::run;
using nlohmann::json;

TEST_CASE("ui: the clinician's page shows the FHIR queue and staff send again or never send", "[ui][staff]") {
  const auto dir = std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/fhir-queue-drive";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  kiosk::test::FhirEngine engine;
  const auto pin = run("echo 2468 | " + program("kioskctl") + " staff set-pin");
  REQUIRE(pin.exit_code == 0);
  std::ofstream(dir / "kiosk.toml") << "[staff]\n"
                                    << pin.out << "\n[paths]\nplugin_dirs = [\"/nonexistent\"]\n"
                                    << "[fhir]\nbase_url = \"" << engine.base_url() << "\"\nconnect_timeout_s = 1\n"
                                    << "backoff_first_s = 30\nbackoff_max_s = 60\n";
  const auto ctl = [&](const std::string& args) {
    return run(program("kioskctl") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
               (dir / "data").string() + " " + args);
  };
  REQUIRE(ctl("session run --answers " KIOSK_SOURCE_DIR "/tests/fixtures/answers/session_red_flag.json --store")
              .exit_code == 0);
  {
    auto db = kiosk::storage::Database::open(dir / "data/kiosk.db");
    auto session = kiosk::test::fixture_session("session_full.json");
    session.profile->answers["sex"] = std::string("   ");  // not a FHIR string: the engine refuses it
    kiosk::storage::SessionStore store(db, kiosk::Config{});
    store.commit(kiosk::test::fixture_record(session, kiosk::WallClock::now()));
    store.commit(kiosk::test::fixture_record(session, kiosk::WallClock::now()));
  }
  const auto push = ctl("fhir push");
  REQUIRE(json::parse(push.out)["parked"] == 2);
  engine.service.stop();  // the server goes away; the next session waits
  REQUIRE(ctl("session run --answers " KIOSK_SOURCE_DIR "/tests/fixtures/answers/session_red_flag.json --store")
              .exit_code == 0);

  const auto r = run(program("kiosk") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                         (dir / "data").string() + " --windowed 1280x800 --drive " + KIOSK_SOURCE_DIR +
                         "/tests/fixtures/drives/staff_fhir_queue.drive --shots " + (dir / "shots").string(),
                     kiosk::test::kOffscreenKioskEnv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* shot : {"fhir_queue", "fhir_queue_after"})
    CHECK(std::filesystem::file_size(dir / "shots" / (std::string(shot) + ".png")) > 1000);

  const auto status = json::parse(ctl("fhir status").out);
  CHECK(status["pending"] == 2);
  CHECK(status["parked"] == 0);
  CHECK(status["dropped"] == 1);
  CHECK(status["sent"] == 1);
  CHECK_THAT(status["last_error"].get<std::string>(), Catch::Contains("connection refused"));
  int retried = 0, dropped = 0;
  for (const auto& e : json::parse(ctl("audit list").out)) {
    retried += e["event"] == "fhir_retry" && e["actor"] == "staff" && e["detail"] == "session=3";
    dropped += e["event"] == "fhir_drop" && e["actor"] == "staff" && e["detail"] == "session=2";
  }
  CHECK(retried == 1);
  CHECK(dropped == 1);
}
