// The .deb as a clinic installs it: built by CPack (the CTest fixture
// "kiosk_deb"), unpacked with dpkg-deb into a throwaway root, and run from
// there — kioskctl --version, the bundled scripts and plugins found inside
// the root (not the source tree), and a headless session run and stored.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "support/process.h"
#include "support/temp_dir.h"

using kiosk::test::run;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

fs::path the_deb() {
  std::vector<fs::path> debs;
  for (const auto& e : fs::directory_iterator(KIOSK_PACKAGE_DIR))
    if (e.path().extension() == ".deb") debs.push_back(e.path());
  INFO("cpack should have made exactly one .deb in " KIOSK_PACKAGE_DIR " (CTest fixture kiosk_deb)");
  REQUIRE(debs.size() == 1);
  return debs[0];
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

}  // namespace

TEST_CASE("the .deb unpacked into a throwaway root runs kioskctl and a headless session with storage") {
  kiosk::test::TempDir tmp;
  const auto deb = the_deb();
  const auto root = tmp / "root";
  REQUIRE(run("dpkg-deb -x " + deb.string() + " " + root.string()).exit_code == 0);

  // What the package holds.
  for (const char* file :
       {"usr/bin/kiosk", "usr/bin/kioskctl", "usr/lib/kiosk/plugins/sim.so", "usr/lib/kiosk/plugins/wiiboard.so",
        "usr/lib/kiosk/kiosk-session", "usr/share/kiosk/scripts/heel_raise.lua",
        "usr/share/kiosk/scripts/lib/norms.lua", "usr/share/kiosk/assets/strings/en.toml",
        "usr/share/kiosk/assets/strings/es.toml", "usr/share/kiosk/kiosk.example.toml",
        "usr/lib/systemd/system/kiosk.service", "etc/pam.d/kiosk", "usr/share/doc/heel-kiosk/README.md"}) {
    INFO(file);
    CHECK(fs::is_regular_file(root / file));
  }
  const fs::path udev_src = fs::path(KIOSK_SOURCE_DIR) / "deploy/udev";
  if (fs::exists(udev_src))
    for (const auto& rule : fs::directory_iterator(udev_src))
      if (rule.path().extension() == ".rules") {
        INFO(rule.path());
        CHECK(read_all(root / "usr/lib/udev/rules.d" / rule.path().filename()) == read_all(rule.path()));
      }
  CHECK(read_all(root / "usr/lib/systemd/system/kiosk.service") ==
        read_all(fs::path(KIOSK_SOURCE_DIR) / "deploy/systemd/kiosk.service"));

  // Control data: dependencies, conffile, maintainer scripts that parse.
  const auto info = run("dpkg-deb -f " + deb.string() + " Package Depends");
  CHECK_THAT(info.out, Catch::Contains("Package: heel-kiosk") && Catch::Contains("cage") &&
                           Catch::Contains("libsqlite3") && Catch::Contains("liblua5.4"));
  const auto control = tmp / "control";
  REQUIRE(run("dpkg-deb -e " + deb.string() + " " + control.string()).exit_code == 0);
  CHECK(read_all(control / "conffiles") == "/etc/pam.d/kiosk\n");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    INFO(script);
    CHECK(run("sh -n " + (control / script).string()).exit_code == 0);
  }

  // The unpacked programs, with nothing from the build or source tree.
  const auto kioskctl = (root / "usr/bin/kioskctl").string() + " --data-dir " + (tmp / "data").string();
  const auto version = run(kioskctl + " --version");
  INFO(version.err);
  REQUIRE(version.exit_code == 0);
  CHECK_THAT(version.out,
             Catch::StartsWith("kioskctl ") && Catch::Contains("plugin ABI") && Catch::Contains("script API"));

  const auto scripts = run(kioskctl + " script list");
  INFO(scripts.out << scripts.err);
  REQUIRE(scripts.exit_code == 0);
  CHECK_THAT(scripts.out, Catch::Contains((root / "usr/share/kiosk/scripts").string()));
  CHECK_THAT(scripts.out, !Catch::Contains(std::string(KIOSK_SOURCE_DIR) + "/scripts"));

  const auto devices = run(kioskctl + " device list --json");
  INFO(devices.out << devices.err);
  CHECK(devices.exit_code == 0);
  CHECK_THAT(devices.out, Catch::Contains("sim"));

  const auto session = run(kioskctl + " session run --store --visit-code D-2024 --answers " + KIOSK_SOURCE_DIR +
                           "/tests/fixtures/answers/session_full.json");
  INFO(session.err);
  REQUIRE(session.exit_code == 0);
  CHECK(json::parse(session.out)["tests"].size() == 3);
  CHECK_THAT(session.err, Catch::Contains("session stored id=1"));
  const auto records = run(kioskctl + " records list");
  REQUIRE(records.exit_code == 0);
  CHECK(json::parse(records.out)[0]["visit_code"] == "D-2024");
}
