// End to end: the real kioskctl (a child process, with umockdev's preload
// inherited) lists and records the emulated board, which this process serves.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/process.h"
#include "support/temp_dir.h"
#include "usb_child_env.h"
#include "wiiboard/emulator/emulated_board.h"

using kiosk::test::run;
using kiosk::test::TempDir;
using kiosk::wiiemu::EmulatedBoard;
using kiosk::wiiemu::WiiTestbed;
using namespace std::chrono_literals;

namespace {
std::string ctl(const TempDir& dir, const std::string& args) {
  return kiosk::test::kioskctl_with_plugins(dir.path().string(), KIOSK_PLUGIN_DIR, args);
}
std::array<double, 4> standing(double t) {
  const double q = 700.0 / 4, s = 0.05 * std::sin(2 * M_PI * 0.5 * t);
  return {q * (1 + s), q * (1 - s), q * (1 + s), q * (1 - s)};
}
}  // namespace

TEST_CASE("wiiboard kioskctl: device list shows the board with its battery and link") {
  WiiTestbed bed;
  bed.add_board();
  TempDir dir;
  auto r = run(ctl(dir, "device list --json"), kiosk::test::usb_child_env());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& d : j["devices"])
    if (d["id"] == "wiiboard:00:1e:35:3b:7e:01") {
      found = true;
      CHECK(d["plugin"] == "wiiboard");
      CHECK(d["battery_percent"] == 80);
      CHECK(d["link"] == "connected");
      CHECK(d["rates_hz"] == nlohmann::json::array({100}));
      CHECK(d["newtons_per_count"] == Approx(0.0981));
    }
  CHECK(found);
  r = run(ctl(dir, "device list"), kiosk::test::usb_child_env());
  CHECK_THAT(r.out, Catch::Contains("wiiboard:00:1e:35:3b:7e:01") && Catch::Contains("battery 80 %, link connected"));
}

TEST_CASE("wiiboard kioskctl: device stream records the board's reports to CSV with their own times") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  TempDir dir;
  const auto csv = dir / "rec.csv";
  std::vector<kiosk::wiiemu::Report> seen;
  std::thread player([&] {
    // kioskctl has started its plate host and its stream by then (about 0.3 s;
    // over 0.7 s in the sanitizer build under load)
    std::this_thread::sleep_for(1500ms);
    seen = board.play(kiosk::wiiemu::jittered_reports(100, 0.5, 0.002, 5, standing));
  });
  const auto r = run(ctl(dir, "device stream wiiboard:00:1e:35:3b:7e:01 --seconds 3 --out " + csv.string()),
                     kiosk::test::usb_child_env());
  player.join();
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["rate_hz"] == 100);
  CHECK(j["samples"] == seen.size());
  CHECK(j["lost"] == 0);
  std::ifstream in(csv);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header == "t_s,c0,c1,c2,c3");
  const auto& k = seen[0].cells;  // the kernel's TR, BR, TL, BL; the CSV's cells are FL, FR, BL, BR
  CHECK(first == "0.000000," + std::to_string(k[2]) + "," + std::to_string(k[0]) + "," + std::to_string(k[3]) + "," +
                     std::to_string(k[1]));
}
