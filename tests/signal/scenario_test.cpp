// The scenario generator: deterministic by seed, cells consistent with the
// true load, BDS replay faithful to the file.
#include <catch2/catch.hpp>

#include <filesystem>

#include "signal/metrics.h"
#include "signal/recording_io.h"
#include "sim/scenario.h"

using namespace kiosk;
namespace fs = std::filesystem;

TEST_CASE("same seed, same samples, another seed, other samples") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.reps = 6;
  c.cell_noise_n = 2;
  c.seed = 42;
  const auto a = sim::generate_recording(c);
  const auto b = sim::generate_recording(c);
  CHECK(a.fz_n == b.fz_n);
  CHECK(a.cop_y_mm == b.cop_y_mm);
  c.seed = 43;
  const auto other = sim::generate_recording(c);
  CHECK(other.cop_y_mm != a.cop_y_mm);
}

TEST_CASE("raw cells carry the true load through any calibration") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::single_leg_touchdown;
  c.rate_hz = 1000;
  c.duration_s = 3;
  c.touchdown_s = 1.5;
  c.true_layout.gain_n_per_unit = {0.02, 0.021, 0.019, 0.02};
  c.true_layout.offset_units = {1200, -300, 50, 7};
  sim::ScenarioGenerator gen(c);
  CHECK(gen.total_samples() == static_cast<std::size_t>(3.5 * 1000));  // touch-down + 2 s
  double worst = 0;
  while (!gen.done()) {
    const auto s = gen.next();
    const auto back = signal::cells_to_load(c.true_layout, s.cells, s.truth.t_s);
    worst = std::max({worst, std::abs(back.fz_n - s.truth.fz_n), std::abs(back.cop_x_mm - s.truth.cop_x_mm),
                      std::abs(back.cop_y_mm - s.truth.cop_y_mm)});
  }
  CHECK(worst < 1e-6);
}

TEST_CASE("quiet stance replays a BDS trial faithfully") {
  const fs::path trial = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds" / "trials" / "BDS00001.txt";
  if (!fs::exists(trial)) {
    WARN("skipped: " << trial.string() << " not found");
    return;
  }
  sim::ScenarioConfig c;
  c.replay_bds = trial;
  c.duration_s = 60;
  c.body_weight_n = 800;
  const auto sim_metrics = signal::sway_metrics(sim::generate_recording(c));
  const auto file_metrics = signal::sway_metrics(signal::read_recording(trial));
  CHECK(sim_metrics.samples == file_metrics.samples);
  CHECK(sim_metrics.path_mm == Approx(file_metrics.path_mm).epsilon(1e-6));
  CHECK(sim_metrics.area95_mm2 == Approx(file_metrics.area95_mm2).epsilon(1e-6));
  CHECK(sim_metrics.mean_freq_hz == Approx(file_metrics.mean_freq_hz).epsilon(1e-6));
}

TEST_CASE("bad scenario configs are refused") {
  sim::ScenarioConfig c;
  c.rate_hz = 0;
  CHECK_THROWS_AS(sim::ScenarioGenerator(c), std::invalid_argument);
  c.rate_hz = 100;
  c.scenario = sim::Scenario::heel_raises;
  c.reps = 0;
  CHECK_THROWS_AS(sim::ScenarioGenerator(c), std::invalid_argument);
  c.reps = 5;
  c.scenario = sim::Scenario::quiet_stance;
  c.replay_bds = "/nonexistent/BDS.txt";
  CHECK_THROWS_AS(sim::ScenarioGenerator(c), signal::RecordingError);
}
