// The kiosk's calibration wizard, unchanged, on the Wii board: the real
// plugin host loads wiiboard.so, the wizard streams the emulated board
// through it, and the technician's session (the plate empty, then 20 kg on
// the five standard marks) is played by the board with its sensors 5 % off,
// a few tens of counts from zero and 0.3 N of noise, at a jittered 100 Hz.
// The least-squares gains must take the error out.
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <thread>

#include "plates/calibration_wizard.h"
#include "plates/device_stream.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_host.h"
#include "sim/scenario.h"
#include "wiiboard/emulator/emulated_board.h"

using namespace kiosk;
using kiosk::wiiemu::Report;
using kiosk::wiiemu::WiiTestbed;

namespace {

constexpr double kNominal = 0.0981;  // N per count: the kernel's 10 g
const std::string kId = "wiiboard:00:1e:35:3b:7e:01";

// The board as it really is: cells (host order FL, FR, BL, BR) 5 % off the nominal gain.
signal::CellLayout true_board() {
  signal::CellLayout l;
  l.half_span_x_mm = 216.5;
  l.half_span_y_mm = 119;
  l.gain_n_per_unit = {kNominal * 1.05, kNominal * 0.95, kNominal * 0.95, kNominal * 1.05};
  l.offset_units = {40, 25, 60, 35};
  return l;
}

plates::WizardSetup five_marks() {
  plates::WizardSetup w;
  w.kind = calibration::RunKind::calibration;
  w.mass_kg = 20;
  w.positions_name = "Five marks (centre and quadrants)";
  w.marks = {{"centre", 0, 0}, {"front-left", -90, 120}, {"front-right", 90, 120},
             {"back-left", -90, -120}, {"back-right", 90, -120}};
  w.technician = "test";
  return w;
}

// The session as the board reports it: kernel order (TR, BR, TL, BL), integer counts, jittered times.
std::vector<Report> session(const plates::WizardSetup& w) {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::placements;
  c.rate_hz = 100;
  c.mass_kg = w.mass_kg;
  for (const auto& m : w.marks) c.marks_mm.push_back({m.x_mm, m.y_mm});
  c.zero_s = w.timing.zero_s + 1, c.hold_s = w.timing.hold_s + 1, c.move_s = w.timing.move_s;
  c.true_layout = true_board();
  c.cell_noise_n = 0.3;
  sim::ScenarioGenerator gen(c);
  std::mt19937 rng(3);
  std::normal_distribution<double> jitter(0, 0.002);
  std::vector<Report> out;
  while (!gen.done()) {
    const auto s = gen.next();
    Report r;
    r.t_s = std::max(out.empty() ? 0.0 : out.back().t_s + 0.002, s.truth.t_s + jitter(rng));
    auto count = [&](std::size_t cell) { return static_cast<int32_t>(std::max(0.0, std::round(s.cells[cell]))); };
    r.cells = {count(1), count(3), count(0), count(2)};  // TR = front-right, BR, TL = front-left, BL
    out.push_back(r);
  }
  return out;
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

  const auto setup = five_marks();
  plates::CalibrationWizard wizard(std::move(stream), setup);
  board.set_speed(10);
  board.play(session(setup));
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
