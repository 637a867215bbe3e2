// The kiosk program itself, run as the real binary: start-up errors, a damaged database, no display.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::program;
using kiosk::test::run;
using kiosk::test::TempDir;

namespace {
int line_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}
}  // namespace

TEST_CASE("a broken config file stops the kiosk with one line naming key and line") {
  TempDir dir;
  const auto bad = dir / "bad.toml";
  std::ofstream(bad) << "[kiosk]\nlanguage = \"en\"\nidle_timeout_s = 3\n";
  const std::string expected =
      bad.string() + ":3: kiosk.idle_timeout_s: must be a whole number from 15 to 900 (got 3)\n";

  const auto kiosk =
      run(program("kiosk") + " --config " + bad.string() + " --data-dir " + (dir / "d").string() + " --frames 1",
          kiosk::test::kOffscreenKioskEnv);
  CHECK(kiosk.exit_code == 2);
  CHECK(kiosk.err == "kiosk: " + expected);
  CHECK(line_count(kiosk.err) == 1);
}

TEST_CASE("the kiosk moves a corrupted database aside at start and keeps running") {
  TempDir dir;
  std::filesystem::create_directories(dir / "data");
  std::ofstream(dir / "data" / "kiosk.db") << std::string(8192, 'Z');
  const auto r =
      run(program("kiosk") + " --data-dir " + (dir / "data").string() + " --frames 2", kiosk::test::kOffscreenKioskEnv);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("damaged database moved aside"));
  int moved = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "data"))
    moved += e.path().filename().string().rfind("kiosk.db.corrupt-", 0) == 0;
  CHECK(moved == 1);
  const auto status = run(program("kioskctl") + " --data-dir " + (dir / "data").string() + " db status");
  CHECK_THAT(status.out, Catch::Contains("\"audit_entries\": 1"));
}

TEST_CASE("with no display the kiosk says so in one line and how to run headless") {
  TempDir dir;
  const auto r = run("env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER " + program("kiosk") + " --data-dir " +
                     dir.path().string());
  CHECK(r.exit_code == 3);
  std::vector<std::string> ours;  // the program's own words (log lines have a timestamp first)
  std::istringstream lines(r.err);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("kiosk: ", 0) == 0) ours.push_back(line);
  REQUIRE(ours.size() == 1);
  CHECK_THAT(ours[0], Catch::StartsWith("kiosk: no display") && Catch::Contains("SDL_VIDEODRIVER=offscreen"));
}

TEST_CASE("a malformed --windowed size is refused") {
  const auto r = run(program("kiosk") + " --windowed big --frames 1", kiosk::test::kOffscreenKioskEnv);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("WIDTHxHEIGHT"));
}
