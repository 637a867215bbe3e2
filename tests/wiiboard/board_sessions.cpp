#include "board_sessions.h"

#include <algorithm>
#include <cmath>
#include <random>

namespace kiosk::test {
namespace {

// Host order (FL, FR, BL, BR) to the kernel's (TR = front-right, BR, TL = front-left, BL), as counts.
std::array<int32_t, 4> kernel_counts(const signal::CellValues& cells) {
  auto count = [&](std::size_t cell) { return static_cast<int32_t>(std::max(0.0, std::round(cells[cell]))); };
  return {count(1), count(3), count(0), count(2)};
}

}  // namespace

signal::CellLayout nominal_board() {
  signal::CellLayout l;
  l.half_span_x_mm = 216.5;
  l.half_span_y_mm = 119;
  l.gain_n_per_unit = {kWiiNewtonsPerCount, kWiiNewtonsPerCount, kWiiNewtonsPerCount, kWiiNewtonsPerCount};
  return l;
}

std::vector<wiiemu::Report> board_reports(sim::ScenarioConfig scenario, const signal::CellLayout& board, double rate_hz,
                                          double jitter_s, uint32_t seed) {
  scenario.rate_hz = 1000;
  scenario.true_layout = board;
  sim::ScenarioGenerator gen(scenario);
  std::vector<signal::CellValues> ms;  // the cells every millisecond
  while (!gen.done()) ms.push_back(gen.next().cells);
  std::mt19937 rng(seed);
  std::normal_distribution<double> jitter(0, jitter_s);
  std::vector<wiiemu::Report> out;
  for (int k = 0;; ++k) {
    const double t = std::max({k / rate_hz + jitter(rng), out.empty() ? 0.0 : out.back().t_s + 0.2 / rate_hz, 0.0});
    const auto i = static_cast<std::size_t>(std::lround(t * 1000));
    if (i >= ms.size()) break;
    out.push_back({t, kernel_counts(ms[i]), false});
  }
  return out;
}

plates::WizardSetup five_marks() {
  plates::WizardSetup w;
  w.kind = calibration::RunKind::calibration;
  w.mass_kg = 20;
  w.positions_name = "Five marks (centre and quadrants)";
  w.marks = {{"centre", 0, 0},
             {"front-left", -90, 120},
             {"front-right", 90, 120},
             {"back-left", -90, -120},
             {"back-right", 90, -120}};
  w.technician = "test";
  return w;
}

std::vector<wiiemu::Report> calibration_session(const plates::WizardSetup& w, const signal::CellLayout& board) {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::placements;
  c.rate_hz = 100;
  c.mass_kg = w.mass_kg;
  for (const auto& m : w.marks) c.marks_mm.push_back({m.x_mm, m.y_mm});
  c.zero_s = w.timing.zero_s + 1, c.hold_s = w.timing.hold_s + 1, c.move_s = w.timing.move_s;
  c.true_layout = board;
  c.cell_noise_n = 0.3;
  sim::ScenarioGenerator gen(c);
  std::mt19937 rng(3);
  std::normal_distribution<double> jitter(0, 0.002);
  std::vector<wiiemu::Report> out;
  while (!gen.done()) {
    const auto s = gen.next();
    const double t = std::max(out.empty() ? 0.0 : out.back().t_s + 0.002, s.truth.t_s + jitter(rng));
    out.push_back({t, kernel_counts(s.cells), false});
  }
  return out;
}

}  // namespace kiosk::test
