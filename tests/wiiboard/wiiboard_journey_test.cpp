// The whole journey on the Wii board: the real kiosk window (SDL's offscreen
// driver, `kiosk --drive`, like tests/ui) loads the real wiiboard plugin,
// which finds and reads the emulated board this process serves (umockdev's
// preload inherited). The board is calibrated first, the technician's way
// (the real wizard and store on the kiosk's own database), or the kiosk
// would not offer it. The drive file (tests/fixtures/drives/
// wiiboard_path.drive) announces each live capture with a shot; this test,
// playing the person, then plays that capture's recording of the board
// (devices/wiiboard/*.evemu, jittered 60 Hz). Afterwards the stored record
// must hold what the recordings contain: each balance capture ended by the
// touch-down, and the heel raises counted.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "board_sessions.h"
#include "core/storage/calibration_store.h"
#include "core/storage/database.h"
#include "kiosk_plate.h"
#include "plates/calibration_wizard.h"
#include "plates/device_stream.h"
#include "plates/plugin_host.h"
#include "support/process.h"
#include "usb_child_env.h"
#include "wiiboard/emulator/emulated_board.h"

using namespace kiosk;
using namespace std::chrono_literals;
using kiosk::test::program;
using kiosk::test::run;
using kiosk::wiiemu::EmulatedBoard;
using kiosk::wiiemu::Report;
namespace fs = std::filesystem;

namespace {

const std::string kId = "wiiboard:00:1e:35:3b:7e:01";
// ALSA probes /dev/snd/controlC0..31 and /dev/aloadC0..31; umockdev 0.17's
// preload keeps each failed /dev open in a 50-entry table and aborts when it
// is full. SDL's dummy audio driver probes nothing (the sound is not tested here).
constexpr const char* kNoAlsaProbe = "SDL_AUDIODRIVER=dummy";
const fs::path kFixtures = fs::path(KIOSK_SOURCE_DIR) / "devices/wiiboard";

// What the recordings hold (written by the "[.write-fixtures]" test below).
constexpr double kTouchdown_s = 9.0;  // balance_touchdown_60hz.evemu: the other foot lands off the board
constexpr int kRaises = 12;           // heel_raises_60hz.evemu: then two small rises (tired)

sim::ScenarioConfig lunge() {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::lunge;
  c.duration_s = 7;
  c.heel_lift_s = {};  // the heel stays down: a try the knee-to-wall script keeps (a lift would void it)
  c.seed = 11;
  return c;
}
sim::ScenarioConfig balance() {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::single_leg_touchdown;
  c.duration_s = kTouchdown_s + 1.5;
  c.touchdown_s = kTouchdown_s;
  c.seed = 12;
  return c;
}
sim::ScenarioConfig heel_raises() {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.reps = kRaises;
  c.stop = sim::RaiseStop::two_small_rises;
  c.seed = 13;
  return c;
}

// The board calibrated through the real wizard and kept in the kiosk's own database.
void calibrate(EmulatedBoard& board, const fs::path& plugin, const fs::path& data_dir) {
  plates::PluginHost host;
  REQUIRE(host.load(plugin).empty());
  const auto setup = kiosk::test::five_marks();
  plates::CalibrationWizard wizard(std::make_unique<plates::DeviceStream>(host.loaded().front(), kId), setup);
  board.set_speed(10);
  board.play(kiosk::test::calibration_session(setup, kiosk::test::nominal_board()));
  const auto until = std::chrono::steady_clock::now() + 60s;
  while (wizard.pump() != plates::CalibrationWizard::Phase::report && !wizard.finished() &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  INFO(wizard.refusal());
  REQUIRE(wizard.phase() == plates::CalibrationWizard::Phase::report);
  REQUIRE(wizard.record().passed());
  wizard.accept();
  auto record = wizard.record();
  auto db = storage::Database::open(data_dir / storage::kDatabaseFileName);
  storage::CalibrationStore(db).save(record, "technician");
  REQUIRE(board.wait_played());
}

// What the person does on the board once a capture is live (announced by its shot).
using Act = std::function<void(EmulatedBoard&)>;
Act play(const char* recording) {
  return [file = kFixtures / recording](EmulatedBoard& board) {
    board.play(wiiemu::read_evemu(file));
    board.wait_played(60);
  };
}

// The person: waits for each capture's shot, then acts on the board.
class Person {
 public:
  Person(EmulatedBoard& board, fs::path shots, std::vector<std::pair<std::string, Act>> plan)
      : board_(board), shots_(std::move(shots)), plan_(std::move(plan)), thread_([this] { main(); }) {}
  ~Person() {
    stop_ = true;
    thread_.join();
  }
  int started() const { return started_; }  // acts begun (the kiosk may end before the last one's tail)

 private:
  void main() {
    for (const auto& [shot, act] : plan_) {
      while (!stop_ && !fs::exists(shots_ / (shot + ".png"))) std::this_thread::sleep_for(20ms);
      if (stop_) return;
      ++started_;
      act(board_);
    }
  }
  EmulatedBoard& board_;
  fs::path shots_;
  std::vector<std::pair<std::string, Act>> plan_;
  std::atomic<bool> stop_{false};
  std::atomic<int> started_{0};
  std::thread thread_;
};

// One kiosk of its own (build/Testing/journey-drive/NAME) with only the Wii
// board's plugin, the board calibrated; drive() runs the real window while a Person acts.
struct BoardKiosk {
  wiiemu::WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  fs::path dir;

  explicit BoardKiosk(const std::string& name) : dir(fs::path(KIOSK_BIN_DIR) / "../Testing/journey-drive" / name) {
    fs::remove_all(dir);
    fs::create_directories(dir / "plugins");
    fs::create_directories(dir / "data");
    fs::create_symlink(fs::path(KIOSK_PLUGIN_DIR) / "wiiboard.so", dir / "plugins/wiiboard.so");  // this board only
    std::ofstream(dir / "kiosk.toml") << "[paths]\nplugin_dirs = [\"" << (dir / "plugins").string() << "\"]\n";
    calibrate(board, dir / "plugins/wiiboard.so", dir / "data");
    board.set_speed(5);  // the kiosk's analysis runs on the board's own times
  }

  // Runs the drive file; every act of the plan must have begun.
  void drive(const std::string& file, std::vector<std::pair<std::string, Act>> plan) {
    const auto acts = plan.size();
    kiosk::test::ProcessResult r;
    int started = 0;
    {
      Person person(board, dir / "shots", std::move(plan));
      r = run(program("kiosk") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                  (dir / "data").string() + " --windowed 1280x800 --drive " + KIOSK_SOURCE_DIR +
                  "/tests/fixtures/drives/" + file + " --shots " + (dir / "shots").string(),
              std::string(kiosk::test::kOffscreenKioskEnv) + " " + kiosk::test::usb_child_env() + ":detect_leaks=0 " +
                  kNoAlsaProbe);
      started = person.started();
    }
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(started == static_cast<int>(acts));
  }

  std::string ctl(const std::string& args) const {
    const auto r = run(program("kioskctl") + " --config " + (dir / "kiosk.toml").string() + " --data-dir " +
                           (dir / "data").string() + " " + args,
                       kiosk::test::usb_child_env());  // umockdev's preload is inherited here too
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r.out;
  }

  std::string log() const {
    std::ifstream in(dir / "data/logs/kiosk.log");
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

int count_of(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Measure {
  std::string test, item, side;
  double value = 0;
};

// The measure rows of `kioskctl export --format csv` (csv_table.h: ...,kind,test,test_version,item,side,value,unit).
std::vector<Measure> measures(const std::string& csv) {
  std::vector<Measure> out;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
    if (f.size() >= 13 && f[7] == "measure") out.push_back({f[8], f[10], f[11], std::stod(f[12])});
  }
  return out;
}

std::vector<double> values(const std::vector<Measure>& all, const std::string& test, const std::string& item) {
  std::vector<double> v;
  for (const auto& m : all)
    if (m.test == test && m.item == item) v.push_back(m.value);
  return v;
}

}  // namespace

TEST_CASE(
    "wiiboard journey: ui drive on the emulated board - touch-down ends the balance test, heel raises are counted") {
  BoardKiosk kiosk("wiiboard");
  std::vector<std::pair<std::string, Act>> plan;
  for (int i = 1; i <= 10; ++i) {
    const char* what = i <= 2 ? "knee_to_wall" : i <= 8 ? "balance" : "heel_raise";
    plan.emplace_back(fmt::format("live_{:02}_{}", i, what), play(i <= 2   ? "knee_to_wall_lunge_60hz.evemu"
                                                                  : i <= 8 ? "balance_touchdown_60hz.evemu"
                                                                           : "heel_raises_60hz.evemu"));
  }
  kiosk.drive("wiiboard_path.drive", std::move(plan));

  const auto csv = kiosk.ctl("export --format csv");
  const auto all = measures(csv);
  INFO(csv);
  // Balance: every attempt ended at the touch-down (else it would have run on to the 45 s cap).
  const auto stance = values(all, "single_leg_balance", "stance_s");
  REQUIRE(stance.size() == 2);  // the best of three, each side
  for (double s : stance) CHECK(std::abs(s - kTouchdown_s) <= 0.05);
  CHECK(values(all, "single_leg_balance", "velocity_mm_s").size() == 2);  // sway measured on the board
  const auto reps = values(all, "heel_raise", "reps");
  REQUIRE(reps.size() == 2);
  for (double n : reps) CHECK(n == kRaises);
}

TEST_CASE(
    "wiiboard journey: ui drive - the board dropping mid-test hands the test to its manual version, and it is offered "
    "again once back") {
  BoardKiosk kiosk("wiiboard-unplug");
  std::vector<std::pair<std::string, Act>> plan;
  // Knee to wall, left: 2 s of the lunge, then the link drops; the board is woken again (same address).
  plan.emplace_back("live_01_knee_to_wall", [](EmulatedBoard& board) {
    auto lunge = wiiemu::read_evemu(kFixtures / "knee_to_wall_lunge_60hz.evemu");
    lunge.resize(120);
    board.play(lunge);
    board.wait_played(60);
    board.disconnect();
    std::this_thread::sleep_for(300ms);
    board.reconnect();
  });
  plan.emplace_back("live_02_knee_to_wall", play("knee_to_wall_lunge_60hz.evemu"));        // the board back: measured
  plan.emplace_back("live_03_balance", [](EmulatedBoard& board) { board.disconnect(); });  // gone for good
  kiosk.drive("wiiboard_unplug.drive", std::move(plan));

  const auto log = kiosk.log();
  CHECK(count_of(log, "capture failed") == 2);  // knee to wall left, balance left: the manual version ran
  CHECK(count_of(log, fmt::format("stream ended by device device={} reason={}", kId, KP_ERR_NO_DEVICE)) == 2);
  CHECK(count_of(log, "capture heel_contact done") == 1);  // knee to wall right, on the board again
  const auto all = measures(kiosk.ctl("export --format csv"));
  CHECK(values(all, "single_leg_balance", "stance_s") == std::vector<double>{20, 25});  // typed, as answered
  CHECK(values(all, "single_leg_balance", "velocity_mm_s").empty());
  CHECK(values(all, "heel_raise", "reps") == std::vector<double>{15, 18});
  CHECK(kiosk.ctl("records list").find("\"completed\"") != std::string::npos);
}

// Regenerates the recordings the journey plays (run by hand: `test_wiiboard_journey "[.write-fixtures]"`).
TEST_CASE("wiiboard journey: write the board recordings", "[.write-fixtures]") {
  const auto board = kiosk::test::nominal_board();
  const std::pair<const char*, sim::ScenarioConfig> recordings[] = {{"knee_to_wall_lunge_60hz.evemu", lunge()},
                                                                    {"balance_touchdown_60hz.evemu", balance()},
                                                                    {"heel_raises_60hz.evemu", heel_raises()}};
  uint32_t seed = 21;
  for (const auto& [file, scenario] : recordings) {
    std::ofstream out(kFixtures / file);
    out << wiiemu::to_evemu(kiosk::test::board_reports(scenario, board, 60, 0.003, seed++));
    REQUIRE(out.good());
  }
}
