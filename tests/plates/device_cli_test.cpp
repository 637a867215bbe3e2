// `kioskctl device ...` against the fixture plugins (good and broken).
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::run;
using kiosk::test::TempDir;

namespace {
std::string ctl(const TempDir& dir, const std::string& args) {
  return kiosk::test::kioskctl_with_plugins(dir.path().string(), FIXTURE_PLUGIN_DIR, args);
}
}  // namespace

TEST_CASE("device list shows the fixture plates and every refused plugin with its reason") {
  TempDir dir;
  const auto r = run(ctl(dir, "device list --json"));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["devices"].size() == 4);
  CHECK(j["devices"][0]["id"] == "fixture:steady");
  CHECK(j["devices"][0]["cells"].size() == 4);
  CHECK(j["refused_plugins"].size() == 8);
  CHECK_THAT(j["refused_plugins"].dump(), Catch::Contains("built for plugin ABI 2"));
}

TEST_CASE("device stream records raw cells to CSV and reports lost samples") {
  TempDir dir;
  const auto csv = dir / "rec.csv";
  const auto r = run(ctl(dir, "device stream fixture:gappy --seconds 0.5 --rate 1000 --out " + csv.string()));
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const size_t samples = j["samples"];
  CHECK(samples >= 400);
  CHECK(j["lost"] == (samples - 1) / 100);
  std::ifstream in(csv);
  std::string header;
  std::getline(in, header);
  CHECK(header == "t_s,c0,c1,c2,c3");
  size_t rows = 0;
  for (std::string line; std::getline(in, line);) ++rows;
  CHECK(rows == samples);
}

TEST_CASE("a plate that goes away mid-stream ends the command with a failure, not a crash") {
  TempDir dir;
  const auto r = run(ctl(dir, "device stream fixture:unplug --seconds 5 --rate 1000"));
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["ended_by_device"] == true);
  CHECK(j["samples"] == 200);
}

TEST_CASE("an unknown device id is a one-line error") {
  TempDir dir;
  const auto r = run(ctl(dir, "device stream nope:1 --seconds 1"));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::EndsWith("kioskctl: no plate with id nope:1 (see `kioskctl device list`)\n"));
}
