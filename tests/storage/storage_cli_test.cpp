// The records commands through the real kioskctl: session run --store,
// records list | purge | wipe, audit list, and records.store = "none".
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;
using kiosk::test::TempDir;
using nlohmann::json;

namespace {
const std::string kAnswers = std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/";

struct Kiosk {
  TempDir dir;
  std::string config;  // --config FILE, or empty
  kiosk::test::ProcessResult ctl(const std::string& args) const {
    return run(program("kioskctl") + config + " --data-dir " + (dir / "data").string() + " " + args);
  }
  json records() const {
    const auto r = ctl("records list");
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
};
}  // namespace

TEST_CASE("session run --store keeps the session and prints it unchanged") {
  Kiosk k;
  const auto plain = k.ctl("session run --answers " + kAnswers + "session_full.json");
  const auto stored = k.ctl("session run --answers " + kAnswers + "session_full.json --store --visit-code Q-881");
  INFO(stored.err);
  REQUIRE(stored.exit_code == 0);
  CHECK_THAT(stored.err, Catch::Contains("session stored id=1"));
  CHECK(json::parse(stored.out) == json::parse(plain.out));
  const auto list = k.records();
  REQUIRE(list.size() == 1);
  CHECK(list[0]["visit_code"] == "Q-881");
  CHECK(list[0]["outcome"] == "completed");
  CHECK(list[0]["measures"] == 9);

  const auto red = k.ctl("session run --answers " + kAnswers + "session_red_flag.json --store");
  REQUIRE(red.exit_code == 0);
  CHECK(k.records()[1]["outcome"] == "red_flag");
}

TEST_CASE("session run --store refuses a name as visit code and stores nothing") {
  Kiosk k;
  const auto r = k.ctl("session run --answers " + kAnswers + "session_full.json --store --visit-code 'Ana Diaz'");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--visit-code"));
  CHECK(k.records().empty());
}

TEST_CASE("records store none keeps nothing of the patient") {
  Kiosk k;
  std::ofstream(k.dir / "kiosk.toml") << "[records]\nstore = \"none\"\n";
  k.config = " --config " + (k.dir / "kiosk.toml").string();
  const auto r = k.ctl("session run --answers " + kAnswers + "session_full.json --store --visit-code Q-881");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("not stored"));
  CHECK(k.records().empty());
}

TEST_CASE("records purge applies the configured retention") {
  Kiosk k;
  std::ofstream(k.dir / "kiosk.toml") << "[records]\nretention_days = 7\n";
  k.config = " --config " + (k.dir / "kiosk.toml").string();
  const auto old = "session run --answers " + kAnswers + "session_full.json --store --ended-at 2020-01-01";
  REQUIRE(k.ctl(old).exit_code == 0);
  REQUIRE(k.ctl("session run --answers " + kAnswers + "session_full.json --store").exit_code == 0);
  const auto r = k.ctl("records purge");
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["deleted"] == 1);
  const auto left = k.records();
  REQUIRE(left.size() == 1);
  CHECK(left[0]["id"] == 2);
}

TEST_CASE("records wipe needs --yes and is audited") {
  Kiosk k;
  for (int i = 0; i < 3; ++i)
    REQUIRE(k.ctl("session run --answers " + kAnswers + "session_full.json --store").exit_code == 0);
  const auto refused = k.ctl("records wipe");
  CHECK(refused.exit_code == 2);
  CHECK_THAT(refused.err, Catch::Contains("--yes"));
  CHECK(k.records().size() == 3);

  const auto wiped = k.ctl("records wipe --yes");
  REQUIRE(wiped.exit_code == 0);
  CHECK(json::parse(wiped.out)["deleted"] == 3);
  CHECK(k.records().empty());
  const auto audit = json::parse(k.ctl("audit list").out);
  REQUIRE_FALSE(audit.empty());
  CHECK(audit.back()["kind"] == "staff");
  CHECK(audit.back()["actor"] == "kioskctl");
  CHECK(audit.back()["event"] == "records_wiped");
  CHECK(audit.back()["detail"] == "deleted=3");
}
