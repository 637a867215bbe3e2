// The real kiosk with hostile plate plugins (tests/plates/hostile), driven
// by injected input under SDL's offscreen driver: with every one of them
// loaded at once it starts, draws, offers the simulated plate and completes
// a capture on it; and the technician page shows a quarantined plugin with
// its reason and lets staff re-enable it (audited).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/process.h"

using kiosk::test::program;
using kiosk::test::run;

namespace {
struct Kiosk {
  std::filesystem::path dir;
  Kiosk(const std::string& name, const std::vector<std::string>& plugin_dirs) {
    dir = std::filesystem::path(KIOSK_BIN_DIR) / "../Testing/plate-plugins" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto pin = run("echo 2468 | " + program("kioskctl") + " staff set-pin");
    REQUIRE(pin.exit_code == 0);
    std::ofstream config(dir / "kiosk.toml");
    config << "[staff]\n" << pin.out << "[plates]\ncall_deadline_ms = 1000\n[paths]\nplugin_dirs = [";
    for (const auto& d : plugin_dirs) config << "\"" << d << "\", ";
    config << "]\n";
  }
  std::string args() const {
    return " --config " + (dir / "kiosk.toml").string() + " --data-dir " + (dir / "data").string();
  }
  kiosk::test::ProcessResult drive(const std::string& file) const {
    return run(program("kiosk") + args() + " --windowed 1280x800 --drive " + KIOSK_SOURCE_DIR +
                   "/tests/fixtures/drives/" + file + " --shots " + (dir / "shots").string(),
               kiosk::test::kOffscreenKioskEnv);
  }
  int audited(const std::string& event) const {
    const auto r = run(program("kioskctl") + args() + " audit list");
    REQUIRE(r.exit_code == 0);
    int n = 0;
    for (const auto& e : nlohmann::json::parse(r.out)) n += e.value("event", "") == event;
    return n;
  }
};

std::string hostile_dir(const std::string& name) { return std::string(HOSTILE_PLUGIN_DIR) + "/" + name; }
}  // namespace

TEST_CASE("plate plugins: with every hostile plugin loaded the kiosk draws and a capture on the sim plate completes",
          "[ui][plates][hostile]") {
  std::vector<std::string> dirs{KIOSK_PLUGIN_DIR};
  for (const auto& e : std::filesystem::directory_iterator(HOSTILE_PLUGIN_DIR)) dirs.push_back(e.path().string());
  REQUIRE(dirs.size() > 50);
  Kiosk kiosk("all-hostile", dirs);
  const auto cal = kiosk::test::calibrate_sim(kiosk.dir / "kiosk.toml", kiosk.dir / "data");
  INFO(cal.out << cal.err);
  REQUIRE(cal.exit_code == 0);
  const auto r = kiosk.drive("plate_path.drive");  // expects the plate offered, captures on it, ends at attract
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::file_size(kiosk.dir / "shots" / "live.png") > 1000);
  CHECK(kiosk.audited("plate_plugin_failed") + kiosk.audited("plate_plugin_quarantined") >= 3);
}

TEST_CASE("plate plugins: ui drive of a quarantined plugin on the technician page", "[ui][plates][hostile]") {
  Kiosk kiosk("quarantine", {KIOSK_PLUGIN_DIR, hostile_dir("hostile_crash_at_enumerate")});
  const auto r = kiosk.drive("plugin_quarantine.drive");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(std::filesystem::file_size(kiosk.dir / "shots" / "quarantined.png") > 1000);
  CHECK(kiosk.audited("plate_plugin_quarantined") == 1);
  CHECK(kiosk.audited("plate_plugin_reenabled") == 1);
  CHECK(kiosk.audited("plate_plugin_failed") >= 2);
}
