// The detectors and metrics at Bluetooth rates: the same trial as a Wii
// Balance Board would report it — 30, 60 or 100 reports a second with
// Gaussian timing jitter (SD 3 ms, never out of order), each cell rounded
// to the kernel's 10 g unit (0.0981 N), Fz and COP computed from the cells
// over the board's 433 × 238 mm sensor rectangle — against the trial's truth
// (the scenario's own timeline, 1000 Hz) and against the same trial at a
// uniform 100 Hz. Each test prints what it measured (ctest -V -R bluetooth).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "core/signal/cell_layout.h"
#include "core/signal/metrics.h"
#include "core/signal/recording_detectors.h"
#include "core/signal/resample.h"
#include "sim/scenario.h"

using namespace kiosk;
namespace fs = std::filesystem;

namespace {

constexpr double kJitter_s = 0.003;
constexpr double kWiiNewtonsPerCount = 0.0981;  // the kernel's 10 g unit

signal::CellLayout wii_layout() {
  signal::CellLayout l;
  l.half_span_x_mm = 216.5;  // plugins/wiiboard: Leach et al. 2014
  l.half_span_y_mm = 119;
  l.gain_n_per_unit = {kWiiNewtonsPerCount, kWiiNewtonsPerCount, kWiiNewtonsPerCount, kWiiNewtonsPerCount};
  return l;
}

// The truth at time t, linearly between its 1 ms samples.
signal::PlateSample truth_at(const signal::Recording& truth, double t) {
  const double dt = truth.t_s[1] - truth.t_s[0];
  const auto i = std::min(static_cast<std::size_t>(std::max(0.0, (t - truth.t_s[0]) / dt)), truth.size() - 2);
  const double w = std::clamp((t - truth.t_s[i]) / dt, 0.0, 1.0);
  auto lerp = [&](const std::vector<double>& v) { return v[i] + w * (v[i + 1] - v[i]); };
  return {t, lerp(truth.fz_n), lerp(truth.cop_x_mm), lerp(truth.cop_y_mm)};
}

// The trial as a Wii board reports it at `rate_hz` (jitter 0: a uniform grid).
signal::Recording as_board(const signal::Recording& truth, double rate_hz, double jitter_s, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> jitter(0, jitter_s);
  const auto layout = wii_layout();
  signal::Recording out;
  out.source = "wii@" + std::to_string(static_cast<int>(rate_hz));
  const double end = truth.t_s.back();
  double last = -1;
  for (int k = 0;; ++k) {
    double t = k / rate_hz + (jitter_s > 0 ? jitter(rng) : 0);
    t = std::max({t, last + 0.2 / rate_hz, 0.0});
    if (t > end) break;
    last = t;
    const auto s = truth_at(truth, t);
    auto cells = signal::load_to_cells(layout, s.fz_n, s.cop_x_mm, s.cop_y_mm);
    for (auto& c : cells) c = std::max(0.0, std::round(c));  // the kernel's integer 10 g counts, never negative
    out.push_back(signal::cells_to_load(layout, cells, t));
  }
  return out;
}

signal::Recording truth_of(sim::ScenarioConfig c) {
  c.rate_hz = 1000;
  return sim::generate_recording(c);
}

constexpr double kRates[] = {30, 60, 100};

}  // namespace

TEST_CASE("bluetooth rates: heel-raise reps are exact at 30, 60 and 100 Hz with jitter and 10 g steps") {
  const sim::RaiseStop stops[] = {sim::RaiseStop::two_small_rises, sim::RaiseStop::touchdown,
                                  sim::RaiseStop::step_off, sim::RaiseStop::stand_still};
  int trials = 0, exact[3] = {0, 0, 0};
  for (int reps : {6, 12, 20, 27})
    for (auto stop : stops)
      for (uint32_t seed = 1; seed <= 3; ++seed) {
        sim::ScenarioConfig c;
        c.scenario = sim::Scenario::heel_raises;
        c.reps = reps;
        c.stop = stop;
        c.seed = seed;
        c.cell_noise_n = 1.0;
        const auto truth = truth_of(c);
        ++trials;
        for (int r = 0; r < 3; ++r) {
          const auto got = signal::count_heel_raises(as_board(truth, kRates[r], kJitter_s, seed * 7 + r)).reps;
          INFO("reps " << reps << " stop " << static_cast<int>(stop) << " seed " << seed << " at " << kRates[r] << " Hz");
          CHECK(got == reps);
          exact[r] += got == reps;
        }
      }
  std::printf("heel-raise reps exact: 30 Hz %d/%d, 60 Hz %d/%d, 100 Hz %d/%d\n", exact[0], trials, exact[1], trials,
              exact[2], trials);
}

TEST_CASE("bluetooth rates: the touch-down is found within 50 ms at 30, 60 and 100 Hz") {
  double worst[3] = {0, 0, 0}, worst_1k = 0, sum[3] = {0, 0, 0};
  int trials = 0;
  for (auto place : {sim::TouchdownPlace::off_plate, sim::TouchdownPlace::on_plate})
    for (uint32_t seed = 1; seed <= 10; ++seed) {
      sim::ScenarioConfig c;
      c.scenario = sim::Scenario::single_leg_touchdown;
      c.touchdown_place = place;
      c.seed = seed;
      c.duration_s = 12;
      c.touchdown_s = 4 + 0.37 * seed;
      c.cell_noise_n = 1.0;
      const auto truth = truth_of(c);
      const auto at_1k = signal::single_leg_stance(truth, 45).touchdown_s;
      REQUIRE(at_1k);
      worst_1k = std::max(worst_1k, std::abs(*at_1k - c.touchdown_s));
      ++trials;
      for (int r = 0; r < 3; ++r) {
        const auto got = signal::single_leg_stance(as_board(truth, kRates[r], kJitter_s, seed + 100 * r), 45).touchdown_s;
        INFO((place == sim::TouchdownPlace::off_plate ? "off" : "on") << " plate, seed " << seed << ", " << kRates[r] << " Hz");
        REQUIRE(got);
        const double err = std::abs(*got - c.touchdown_s);
        CHECK(err <= 0.050);
        worst[r] = std::max(worst[r], err), sum[r] += err;
      }
    }
  std::printf("touch-down |error| vs the true time over %d trials: mean/worst 30 Hz %.1f/%.1f ms, 60 Hz %.1f/%.1f ms, "
              "100 Hz %.1f/%.1f ms (1000 Hz worst %.1f ms)\n",
              trials, 1e3 * sum[0] / trials, 1e3 * worst[0], 1e3 * sum[1] / trials, 1e3 * worst[1],
              1e3 * sum[2] / trials, 1e3 * worst[2], 1e3 * worst_1k);
}

TEST_CASE("bluetooth rates: sway metrics match the same trial at 100 Hz") {
  const fs::path dir = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds" / "trials";
  std::vector<fs::path> trials;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) trials.push_back(e.path());
  std::sort(trials.begin(), trials.end());
  if (trials.size() > 8) trials.resize(8);
  std::vector<sim::ScenarioConfig> configs;
  for (const auto& t : trials) {
    sim::ScenarioConfig c;
    c.replay_bds = t;  // real sway (BDS, 100 Hz), resampled to 1 ms by the generator
    c.duration_s = 30;
    c.body_weight_n = 700;
    configs.push_back(c);
  }
  if (configs.empty()) WARN("BDS trials not found: synthetic sway only");
  for (uint32_t seed = 1; seed <= 4; ++seed) {
    sim::ScenarioConfig c;
    c.duration_s = 30;
    c.seed = seed;
    configs.push_back(c);
  }
  struct Worst {
    double rms = 0, range = 0, area = 0, path = 0, freq = 0;
  } worst[2][3];  // [real BDS sway, synthetic sway][rate]
  std::size_t count[2] = {0, 0};
  for (const auto& c : configs) {
    const int group = c.replay_bds.empty() ? 1 : 0;
    ++count[group];
    const auto truth = truth_of(c);
    const auto ref = signal::sway_metrics(as_board(truth, 100, 0, 1));
    for (int r = 0; r < 3; ++r) {
      const auto m = signal::sway_metrics(as_board(truth, kRates[r], kJitter_s, 5 + static_cast<uint32_t>(r)));
      auto rel = [](double a, double b) { return std::abs(a - b) / std::abs(b); };
      Worst& w = worst[group][r];
      w.rms = std::max({w.rms, rel(m.rms_x_mm, ref.rms_x_mm), rel(m.rms_y_mm, ref.rms_y_mm)});
      w.range = std::max({w.range, rel(m.range_x_mm, ref.range_x_mm), rel(m.range_y_mm, ref.range_y_mm)});
      w.area = std::max(w.area, rel(m.area95_mm2, ref.area95_mm2));
      w.path = std::max(w.path, rel(m.velocity_mm_s, ref.velocity_mm_s));
      w.freq = std::max(w.freq, rel(m.mean_freq_hz, ref.mean_freq_hz));
      CHECK(m.samples == ref.samples);  // on the 100 Hz grid
    }
  }
  for (int g = 0; g < 2; ++g)
    for (int r = 0; r < 3; ++r)
      std::printf("sway vs the same trial at an even 100 Hz, %zu %s trials, at %.0f Hz ± 3 ms: worst rms %.2f %%, "
                  "range %.2f %%, area95 %.2f %%, velocity %.2f %%, mean freq %.2f %%\n",
                  count[g], g == 0 ? "BDS (real sway)" : "synthetic (rough) sway", kRates[r], 100 * worst[g][r].rms,
                  100 * worst[g][r].range, 100 * worst[g][r].area, 100 * worst[g][r].path, 100 * worst[g][r].freq);
  if (count[0] == 0) return;
  // Real sway: the spread metrics hold to 1 % at every rate (range to 2 % at
  // 30 Hz, whose samples can miss a peak). Path/velocity and mean frequency
  // depend on bandwidth (30 Hz has none above 15 Hz, and the 10 g steps add
  // path at an even 100 Hz that interpolation smooths): measured and printed,
  // guarded here only against getting worse.
  for (int r = 0; r < 3; ++r) {
    INFO(kRates[r] << " Hz");
    CHECK(worst[0][r].rms < 0.01);
    CHECK(worst[0][r].area < 0.01);
    CHECK(worst[0][r].range < (kRates[r] < 60 ? 0.02 : 0.01));
    CHECK(worst[0][r].freq < 0.025);
    CHECK(worst[0][r].path < 0.15);
  }
}

TEST_CASE("bluetooth rates: an uneven recording is put on the 100 Hz grid for metrics, an even 100 Hz one is not") {
  signal::Recording uneven, even;
  for (int k = 0; k < 100; ++k) {
    const double t = k / 60.0 + (k % 2 ? 0.003 : 0);
    uneven.push_back({t, 700, std::sin(t), std::cos(t)});
    even.push_back({k / 100.0, 700, std::sin(k / 100.0), 0});
  }
  CHECK(signal::needs_metric_grid(uneven));
  CHECK_FALSE(signal::needs_metric_grid(even));
  const auto grid = signal::resample_uniform(uneven, 100);
  CHECK(grid.size() == static_cast<std::size_t>(std::floor((uneven.t_s.back() - uneven.t_s.front()) * 100)) + 1);
  CHECK(grid.t_s[1] - grid.t_s[0] == Approx(0.01));
  for (std::size_t i = 0; i < grid.size(); ++i) CHECK(grid.cop_x_mm[i] == Approx(std::sin(grid.t_s[i])).margin(2e-4));
  CHECK_FALSE(signal::needs_metric_grid(grid));
  CHECK(signal::sway_metrics(uneven).samples == grid.size());
}
