// End to end: the real kioskctl (a child process, with umockdev's preload
// inherited) lists and records the emulated plate, served by this process;
// the plugin's exports; the udev rule the kiosk user needs.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "support/process.h"
#include "support/temp_dir.h"
#include "usb_child_env.h"
#include "usbplate/emulator/emulated_plate.h"
#include "usbplate/protocol.h"

using kiosk::test::run;
using kiosk::test::TempDir;
using kiosk::usbemu::EmulatedPlate;
using kiosk::usbemu::UsbTestbed;

namespace {
std::string ctl(const TempDir& dir, const std::string& args) {
  return kiosk::test::kioskctl_with_plugins(dir.path().string(), KIOSK_PLUGIN_DIR, args);
}
}  // namespace

TEST_CASE("usb kioskctl: device list shows the emulated plate next to the sim") {
  UsbTestbed bed;
  bed.add_plate();
  TempDir dir;
  const auto r = run(ctl(dir, "device list --json"), kiosk::test::usb_child_env());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& d : j["devices"])
    if (d["id"] == "usbplate:EMU-0001") {
      found = true;
      CHECK(d["plugin"] == "usbplate");
      CHECK(d["serial"] == "EMU-0001");
      CHECK(d["cells"].size() == 4);
      CHECK(d["rates_hz"] == nlohmann::json::array({100, 1000, 10000}));
    }
  CHECK(found);
  CHECK(j["refused_plugins"].empty());
}

TEST_CASE("usb kioskctl: device stream records the emulated plate to CSV with nothing lost") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  TempDir dir;
  const auto csv = dir / "rec.csv";
  const auto r = run(ctl(dir, "device stream usbplate:EMU-0001 --seconds 1 --rate 1000 --out " + csv.string()),
                     kiosk::test::usb_child_env());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const size_t samples = j["samples"];
  CHECK(samples >= 900);
  CHECK(j["lost"] == 0);
  CHECK(j["link"]["frames_lost"] == 0);
  CHECK(j["link"]["frames_ok"] == samples);
  CHECK(plate.counters().stops >= 1);
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);
  CHECK(line == "t_s,c0,c1,c2,c3");
  size_t rows = 0;
  for (; std::getline(in, line); ++rows) {
    std::istringstream fields(line);
    std::string t, c[4];
    std::getline(fields, t, ',');
    for (auto& v : c) std::getline(fields, v, ',');
    const auto seq = static_cast<uint32_t>(std::llround(std::stod(t) * 1000));
    REQUIRE(seq == rows);
    for (unsigned k = 0; k < 4; ++k) REQUIRE(std::stol(c[k]) == EmulatedPlate::raw_value(seq, k));
  }
  CHECK(rows == samples);
}

TEST_CASE("usb kioskctl: a plate pulled out during device stream ends the command with a failure") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  TempDir dir;
  std::thread puller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    plate.unplug();
  });
  const auto r = run(ctl(dir, "device stream usbplate:EMU-0001 --seconds 5 --rate 1000"), kiosk::test::usb_child_env());
  puller.join();
  CHECK(r.exit_code == 1);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["ended_by_device"] == true);
  CHECK(j["samples"] > 0);
}

TEST_CASE("usb exports: the usbplate plugin exports only its entry symbol") {
  const auto r = run("nm -D --defined-only " KIOSK_PLUGIN_DIR "/usbplate.so | awk '{print $3}'");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "kiosk_plate_entry\n");
}

TEST_CASE("usb udev rule: the deploy rule lets the kiosk group open the plate's VID and PID") {
  std::ifstream in(KIOSK_SOURCE_DIR "/deploy/udev/70-kiosk-usbplate.rules");
  REQUIRE(in);
  std::string rule;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') rule += line + "\n";
  char vid[8], pid[8];
  std::snprintf(vid, sizeof vid, "%04x", USBPLATE_VID);
  std::snprintf(pid, sizeof pid, "%04x", USBPLATE_PID);
  CHECK_THAT(rule, Catch::Contains("SUBSYSTEM==\"usb\""));
  CHECK_THAT(rule, Catch::Contains(std::string("ATTR{idVendor}==\"") + vid + "\""));
  CHECK_THAT(rule, Catch::Contains(std::string("ATTR{idProduct}==\"") + pid + "\""));
  CHECK_THAT(rule, Catch::Contains("GROUP=\"kiosk\""));
  CHECK(std::regex_search(rule, std::regex("MODE=\"06[67]0\"")));
}
