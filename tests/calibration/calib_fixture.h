// A calibration session played by the simulated plate (its `placements`
// scenario), cut into readings the way the timing says: the tests' source
// of realistic raw data with known true gains and offsets.
#pragma once
#include <vector>

#include "core/calibration/calibration_math.h"
#include "sim/scenario.h"
#include "sim/scenario_spec.h"

namespace kiosk::test {

struct PlayedSession {
  calibration::Reading zero;
  std::vector<calibration::Reading> placements;
};

// Samples from 1.5 s after each put-down (and after the start) to 0.3 s before the lift.
inline PlayedSession play_session(const sim::ScenarioConfig& config) {
  sim::ScenarioGenerator gen(config);
  const double nominal = sim::kSimNewtonsPerCount;  // the plate's described gain
  const double load = config.mass_kg * calibration::kGravity_m_s2;
  PlayedSession out;
  calibration::ReadingAccumulator zero(nominal, 0);
  std::vector<calibration::ReadingAccumulator> marks(config.marks_mm.size(),
                                                     calibration::ReadingAccumulator(nominal, load));
  const double slot = config.hold_s + config.move_s;
  while (!gen.done()) {
    const auto s = gen.next();
    const double t = s.truth.t_s;
    if (t >= 0.5 && t <= config.zero_s - 0.3) zero.push(t, s.cells);
    const double since = t - config.zero_s;
    if (since < 0) continue;
    const auto k = static_cast<std::size_t>(since / slot);
    const double in = since - static_cast<double>(k) * slot;
    if (k < marks.size() && in >= 1.5 && in <= config.hold_s - 0.3) marks[k].push(t, s.cells);
  }
  out.zero = zero.reading();
  for (const auto& m : marks) out.placements.push_back(m.reading());
  return out;
}

// The simulated plate's description: nominal gains, cells at (±150, ±200) mm.
inline signal::CellLayout sim_nominal() {
  signal::CellLayout l;
  l.gain_n_per_unit = {sim::kSimNewtonsPerCount, sim::kSimNewtonsPerCount, sim::kSimNewtonsPerCount,
                       sim::kSimNewtonsPerCount};
  return l;
}

inline std::vector<calibration::Mark> marks_of(const sim::ScenarioConfig& config) {
  std::vector<calibration::Mark> out;
  for (std::size_t i = 0; i < config.marks_mm.size(); ++i)
    out.push_back({"m" + std::to_string(i + 1), config.marks_mm[i][0], config.marks_mm[i][1]});
  return out;
}

}  // namespace kiosk::test
