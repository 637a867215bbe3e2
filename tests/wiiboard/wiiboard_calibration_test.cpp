// The kiosk's calibration wizard, unchanged, on the Wii board: the real
// plugin host loads wiiboard.so, the wizard streams the emulated board
// through it, and the technician's session (the plate empty, then 20 kg on
// the five standard marks) is played by the board with its sensors 5 % off,
// a few tens of counts from zero and 0.3 N of noise, at a jittered 100 Hz.
// The least-squares gains must take the error out.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "board_sessions.h"
#include "plates/calibration_wizard.h"
#include "plates/device_stream.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "wiiboard/emulator/emulated_board.h"

using namespace kiosk;
using kiosk::wiiemu::WiiTestbed;

namespace {

constexpr double kNominal = kiosk::test::kWiiNewtonsPerCount;
const std::string kId = "wiiboard:00:1e:35:3b:7e:01";

// The board as it really is: cells (host order FL, FR, BL, BR) 5 % off the nominal gain.
signal::CellLayout true_board() {
  auto l = kiosk::test::nominal_board();
  l.gain_n_per_unit = {kNominal * 1.05, kNominal * 0.95, kNominal * 0.95, kNominal * 1.05};
  l.offset_units = {40, 25, 60, 35};
  return l;
}

}  // namespace

TEST_CASE("wiiboard calibration: the wizard corrects a board whose sensors are 5 percent off") {
  WiiTestbed bed;
  auto& board = bed.add_board();
  plates::PluginHost host;
  REQUIRE(host.load(std::filesystem::path(KIOSK_PLUGIN_DIR "/wiiboard.so")).empty());
  const plates::LoadedPlugin& plugin = host.loaded().front();

  auto stream = std::make_unique<plates::DeviceStream>(plugin, kId);
  const auto nominal = plates::nominal_layout(stream->info());
  REQUIRE(std::holds_alternative<signal::CellLayout>(nominal));  // the host takes the board as a plate
  CHECK(plates::calibration_rate(stream->info()) == 100);

  const auto setup = kiosk::test::five_marks();
  plates::CalibrationWizard wizard(std::move(stream), setup);
  board.set_speed(10);
  board.play(kiosk::test::calibration_session(setup, true_board()));
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (wizard.pump() != plates::CalibrationWizard::Phase::report && !wizard.finished() &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  INFO("phase " << plates::to_string(wizard.phase()) << ": " << wizard.refusal());
  REQUIRE(wizard.phase() == plates::CalibrationWizard::Phase::report);

  const auto& record = wizard.record();
  const auto truth = true_board();
  for (std::size_t c = 0; c < 4; ++c) {
    INFO("cell " << c);
    CHECK(std::abs(record.layout.gain_n_per_unit[c] / truth.gain_n_per_unit[c] - 1) < 0.005);
  }
  CHECK(record.verification.passed);
  for (const auto& p : record.verification.placements) {
    CHECK(std::abs(p.force_error_pct) < 1);
    CHECK(p.cop_error_mm < 5);
  }
  // A person off the marks, near a corner: the fitted gains weigh and place them right; the nominal ones
  // weigh them by the corner cell's 5 % error.
  const auto raw = signal::load_to_cells(truth, 700, 180, 100);
  const auto fitted = signal::cells_to_load(record.layout, raw);
  auto nominal_zeroed = std::get<signal::CellLayout>(nominal);
  nominal_zeroed.offset_units = record.layout.offset_units;
  const auto before = signal::cells_to_load(nominal_zeroed, raw);
  CHECK(std::hypot(fitted.cop_x_mm - 180, fitted.cop_y_mm - 100) < 1);
  CHECK(std::abs(fitted.fz_n / 700 - 1) < 0.002);
  CHECK(std::abs(before.fz_n / 700 - 1) > 0.02);
  wizard.accept();
  CHECK(wizard.phase() == plates::CalibrationWizard::Phase::accepted);
}
