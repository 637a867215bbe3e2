#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "core/version.h"
#include "kiosk_plate.h"
#include "script/api_version.h"
#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;
using kiosk::test::TempDir;

TEST_CASE("kioskctl --version prints the program / plugin ABI and script API versions") {
  const auto r = run(program("kioskctl") + " --version");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == fmt::format("kioskctl {}\nplugin ABI {}\nscript API {}\n", kiosk::kProgramVersion,
                             KIOSK_PLATE_ABI_VERSION, kiosk::script::kApiVersion));
}

TEST_CASE("kioskctl --help lists its commands") {
  const auto r = run(program("kioskctl") + " --help");
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("--data-dir") && Catch::Contains("db"));
}

TEST_CASE("a broken config file stops kioskctl with one line naming key and line") {
  TempDir dir;
  const auto bad = dir / "bad.toml";
  std::ofstream(bad) << "[kiosk]\nlanguage = \"en\"\nidle_timeout_s = 3\n";
  const std::string expected =
      bad.string() + ":3: kiosk.idle_timeout_s: must be a whole number from 15 to 900 (got 3)\n";

  const auto ctl = run(program("kioskctl") + " --config " + bad.string() + " db status");
  CHECK(ctl.exit_code == 2);
  CHECK(ctl.err == "kioskctl: " + expected);
  CHECK(ctl.out.empty());
}

TEST_CASE("kioskctl db status creates and reports a database") {
  TempDir dir;
  const auto r = run(program("kioskctl") + " --data-dir " + dir.path().string() + " db status");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("\"quarantined\": false"));
  CHECK_THAT(r.out, Catch::Contains("\"schema_before_open\": 0"));
  CHECK(std::filesystem::exists(dir / "kiosk.db"));
  CHECK(std::filesystem::exists(dir / "logs" / "kioskctl.log"));
}

TEST_CASE("kioskctl staff set-pin prints a config line the kiosk accepts and refuses a bad PIN") {
  TempDir dir;
  const auto r = run("echo 2468 | " + program("kioskctl") + " --data-dir " + dir.path().string() + " staff set-pin");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("pin_hash = \"$argon2id$"));
  CHECK(r.out.find("2468") == std::string::npos);  // the PIN itself is never printed

  const auto config = dir / "kiosk.toml";
  std::ofstream(config) << "[staff]\n" << r.out.substr(r.out.find("pin_hash"));
  const auto status =
      run(program("kioskctl") + " --config " + config.string() + " --data-dir " + dir.path().string() + " db status");
  CHECK(status.exit_code == 0);

  const auto bad = run("echo 12ab | " + program("kioskctl") + " --data-dir " + dir.path().string() + " staff set-pin");
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("4 to 8 digits"));
}
