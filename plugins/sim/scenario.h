// Deterministic force-plate scenarios for tests, demos and (wrapped in the
// plugin ABI elsewhere) the simulated plate. Same config + seed → the same
// samples, bit for bit, at any rate. Each sample carries the true load
// (Fz, COP) and the four raw cell values a plate with `true_layout` would
// report, with optional per-cell noise and drift.
//
// Scenarios (a recording starts with the person already in position):
//   quiet_stance          two-leg sway: a BDS trial replayed (resampled,
//                         mirrored to loop) or synthetic sway
//   single_leg_touchdown  one-leg sway; at touchdown_s the other foot lands
//                         off the plate (Fz falls to ~half) or on it (COP
//                         moves ~6 cm sideways within 40 ms)
//   heel_raises           lead-in, then `reps` raised-cosine rises at the
//                         cadence, excursion shrinking linearly (fatigue),
//                         then a stop: two small rises, a touch-down, a
//                         step-off, or standing still (missed beats)
//   step_off              quiet stance, then off the plate at step_off_s
//   lunge                 knee-to-wall: the test foot on the plate, the knee
//                         going to the wall and back every lunge_period_s
//                         (COP drifts a little forward with the heel down);
//                         at each time in heel_lift_s the heel lifts for
//                         heel_lift_hold_s (COP jumps to the forefoot)
//   placements            calibration: the plate empty for zero_s, then a
//                         mass of mass_kg resting hold_s on each mark in
//                         turn (0.2 s to put down and lift), the plate empty
//                         move_s between marks; wobble_n rocks the resting
//                         mass (an unsteady reading)
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <random>
#include <vector>

#include "signal/cell_layout.h"
#include "signal/recording.h"

namespace kiosk::sim {

enum class Scenario { quiet_stance, single_leg_touchdown, heel_raises, step_off, lunge, placements };
enum class TouchdownPlace { off_plate, on_plate };
enum class RaiseStop { two_small_rises, touchdown, step_off, stand_still };

struct ScenarioConfig {
  Scenario scenario = Scenario::quiet_stance;
  double rate_hz = 100;
  double duration_s = 30;  // heel_raises: computed from reps and stop instead
  std::uint64_t seed = 1;
  double body_weight_n = 700;
  std::filesystem::path replay_bds;  // quiet_stance: a BDS trial to replay; empty → synthetic
  // single_leg_touchdown
  double touchdown_s = 10;
  TouchdownPlace touchdown_place = TouchdownPlace::off_plate;
  // heel_raises
  int reps = 20;
  double raises_per_min = 30;
  double first_excursion_mm = 80;  // forward COP travel of the first rise
  double last_excursion_mm = 50;   // ... and of the last full rise (fatigue)
  RaiseStop stop = RaiseStop::two_small_rises;
  double lead_in_s = 2;  // quiet stance before the first rise
  // step_off
  double step_off_s = 5;
  // lunge
  double lunge_period_s = 4;        // knee to the wall and back
  std::vector<double> heel_lift_s;  // when the heel comes up (s from the start)
  double heel_lift_hold_s = 0.8;
  // placements (calibration)
  double mass_kg = 20;
  std::vector<std::array<double, 2>> marks_mm;  // x, y from the plate centre
  double zero_s = 4, hold_s = 5, move_s = 2;
  double wobble_n = 0;  // amplitude of a 1.5 Hz rocking of the resting mass, N
  // the plate
  signal::CellLayout true_layout;  // how newtons become raw values
  double cell_noise_n = 0;         // Gaussian, per cell and sample (SD, N)
  double cell_drift_n_per_s = 0;   // per cell, alternating sign
};

struct SimSample {
  signal::PlateSample truth;  // what the person did
  signal::CellValues cells;   // what the plate reports
};

// Throws std::invalid_argument for a bad config and signal::RecordingError
// for an unreadable replay file.
class ScenarioGenerator {
 public:
  explicit ScenarioGenerator(ScenarioConfig config);

  double duration_s() const { return duration_s_; }
  std::size_t total_samples() const { return total_; }
  bool done() const { return index_ >= total_; }
  SimSample next();  // after done(): keeps going (unloaded-safe), never throws

 private:
  double normal();
  void sway(double dt, double sd_mm);
  signal::PlateSample quiet(double t);
  signal::PlateSample heel_raise(double t);
  signal::PlateSample lunge(double t);
  signal::PlateSample placement(double t) const;
  signal::PlateSample replay(double t) const;

  ScenarioConfig c_;
  double duration_s_ = 0;
  std::size_t total_ = 0, index_ = 0;
  std::mt19937_64 rng_;
  double sway_x_ = 0, sway_y_ = 0, sway_fz_ = 0;  // Ornstein–Uhlenbeck states (mm, mm, fraction)
  signal::Recording replay_;
  double replay_mean_fz_ = 0, replay_mean_x_ = 0, replay_mean_y_ = 0;
  std::vector<double> excursion_mm_;  // per rise, including the small ones of the stop
};

// The whole scenario as a recording: t, and Fz/COP computed from the cells
// through `layout` (the host's view), with the cells kept too.
signal::Recording generate_recording(const ScenarioConfig& config, const signal::CellLayout& layout);
// ... through the scenario's own true layout (a perfectly calibrated host).
signal::Recording generate_recording(const ScenarioConfig& config);

}  // namespace kiosk::sim
