// The detectors and metrics at Bluetooth rates: the same trial as a Wii
// Balance Board would report it — 30, 60 or 100 reports a second with
// Gaussian timing jitter (SD 3 ms, never out of order), each cell rounded
// to the kernel's 10 g unit (0.0981 N), Fz and COP computed from the cells
// over the board's 433 × 238 mm sensor rectangle — against the trial's truth
// (the scenario's own timeline, 1000 Hz) for the detectors, and for the sway
// metrics against the same trial from the board at 100 Hz.
// `signal_tests "[bluetooth]"` prints the accuracy table (30, 60, 100 Hz)
// after the tests that measure it.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "signal/cell_layout.h"
#include "signal/metrics.h"
#include "signal/recording_detectors.h"
#include "signal/recording_io.h"
#include "signal/resample.h"
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

// What the tests below measured, printed as one table by the last of them
// (`signal_tests "[bluetooth]"`): [rate] as in kRates.
struct SwayWorst {
  double rms = 0, range = 0, area = 0, velocity = 0, freq = 0;  // worst relative difference vs the board at 100 Hz
};
struct AccuracyTable {
  int raise_trials = 0, raise_exact[3] = {0, 0, 0};
  int touchdown_trials = 0;
  double touchdown_mean_ms[3] = {0, 0, 0}, touchdown_worst_ms[3] = {0, 0, 0};
  std::size_t sway_trials[2] = {0, 0};  // [real BDS sway, synthetic sway]
  SwayWorst sway[2][3];
  struct {
    int trials = 0;
    double velocity_mean = 0, velocity_worst = 0, range_worst = 0, area_worst = 0;  // signed / absolute fractions
  } band;  // the 10 Hz sway band against the lab's raw metrics, BDS at 100 Hz
} g_table;

}  // namespace

TEST_CASE("bluetooth rates: heel-raise reps are exact at 30, 60 and 100 Hz with jitter and 10 g steps", "[bluetooth]") {
  const sim::RaiseStop stops[] = {sim::RaiseStop::two_small_rises, sim::RaiseStop::touchdown, sim::RaiseStop::step_off,
                                  sim::RaiseStop::stand_still};
  auto& t = g_table;
  t.raise_trials = 0;
  for (int& e : t.raise_exact) e = 0;
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
        ++t.raise_trials;
        for (int r = 0; r < 3; ++r) {
          const auto got = signal::count_heel_raises(as_board(truth, kRates[r], kJitter_s, seed * 7 + r)).reps;
          INFO("reps " << reps << " stop " << static_cast<int>(stop) << " seed " << seed << " at " << kRates[r]
                       << " Hz");
          CHECK(got == reps);
          t.raise_exact[r] += got == reps;
        }
      }
}

TEST_CASE("bluetooth rates: the touch-down is found within 50 ms at 30, 60 and 100 Hz", "[bluetooth]") {
  auto& t = g_table;
  double sum[3] = {0, 0, 0};
  t.touchdown_trials = 0;
  for (double& w : t.touchdown_worst_ms) w = 0;
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
      REQUIRE(signal::single_leg_stance(truth, 45).touchdown_s);
      ++t.touchdown_trials;
      for (int r = 0; r < 3; ++r) {
        const auto got =
            signal::single_leg_stance(as_board(truth, kRates[r], kJitter_s, seed + 100 * r), 45).touchdown_s;
        INFO((place == sim::TouchdownPlace::off_plate ? "off" : "on")
             << " plate, seed " << seed << ", " << kRates[r] << " Hz");
        REQUIRE(got);
        const double err_ms = 1e3 * std::abs(*got - c.touchdown_s);
        CHECK(err_ms <= 50);
        t.touchdown_worst_ms[r] = std::max(t.touchdown_worst_ms[r], err_ms), sum[r] += err_ms;
      }
    }
  for (int r = 0; r < 3; ++r) t.touchdown_mean_ms[r] = sum[r] / t.touchdown_trials;
}

// Every shipped BDS trial (real sway, replayed by the sim) and four synthetic
// ones, each as the board reports it at 30, 60 and 100 Hz (3 ms jitter), against
// the same trial from the board at 100 Hz (another jitter draw): the board
// is never even, so both go through the same sway grid (resample.h).
TEST_CASE("bluetooth rates: sway metrics match the same trial at 100 Hz", "[bluetooth]") {
  const fs::path dir = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds" / "trials";
  std::vector<fs::path> trials;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) trials.push_back(e.path());
  std::sort(trials.begin(), trials.end());
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
  auto& t = g_table;
  for (auto& g : t.sway)
    for (auto& w : g) w = {};
  t.sway_trials[0] = t.sway_trials[1] = 0;
  for (const auto& c : configs) {
    const int group = c.replay_bds.empty() ? 1 : 0;
    ++t.sway_trials[group];
    const auto truth = truth_of(c);
    const auto ref = signal::sway_metrics(as_board(truth, 100, kJitter_s, 99));
    for (int r = 0; r < 3; ++r) {
      const auto m = signal::sway_metrics(as_board(truth, kRates[r], kJitter_s, 5 + static_cast<uint32_t>(r)));
      auto rel = [](double a, double b) { return std::abs(a - b) / std::abs(b); };
      SwayWorst& w = t.sway[group][r];
      w.rms = std::max({w.rms, rel(m.rms_x_mm, ref.rms_x_mm), rel(m.rms_y_mm, ref.rms_y_mm)});
      w.range = std::max({w.range, rel(m.range_x_mm, ref.range_x_mm), rel(m.range_y_mm, ref.range_y_mm)});
      w.area = std::max(w.area, rel(m.area95_mm2, ref.area95_mm2));
      w.velocity = std::max(w.velocity, rel(m.velocity_mm_s, ref.velocity_mm_s));
      w.freq = std::max(w.freq, rel(m.mean_freq_hz, ref.mean_freq_hz));
      CHECK(std::abs(static_cast<double>(m.samples) - static_cast<double>(ref.samples)) <= 1);  // on the 100 Hz grid
    }
  }
  // Real sway: every metric within 1 % at every rate (the issue's bar).
  // Synthetic sway is an Ornstein–Uhlenbeck walk, rougher than a person's
  // (power up to the sim's 1 kHz): what aliases into the band at 30 Hz puts
  // range, velocity and mean frequency up to about 3 % off there. Guarded
  // against getting worse, not held to the bar.
  for (int r = 0; r < 3; ++r) {
    INFO(kRates[r] << " Hz");
    const auto& real = t.sway[0][r];
    if (t.sway_trials[0] > 0) {
      CHECK(real.rms < 0.01);
      CHECK(real.range < 0.01);
      CHECK(real.area < 0.01);
      CHECK(real.velocity < 0.01);
      CHECK(real.freq < 0.01);
    }
    const auto& synthetic = t.sway[1][r];
    const double allowed = kRates[r] < 60 ? 0.04 : 0.02;
    CHECK(std::max({synthetic.rms, synthetic.range, synthetic.area, synthetic.velocity, synthetic.freq}) < allowed);
  }
}

// The band is the kiosk's one departure from the lab's raw definition (the BDS
// norms): on the lab's own trials, at its even 100 Hz, what it takes away.
TEST_CASE("bluetooth rates: what the sway band costs against the lab's raw metrics (BDS)", "[bluetooth]") {
  const fs::path dir = fs::path(KIOSK_SOURCE_DIR) / ".." / "shared" / "datasets" / "bds" / "trials";
  if (!fs::exists(dir)) {
    WARN("BDS trials not found");
    return;
  }
  auto& t = g_table;
  t.band = {};
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto lab = signal::read_recording(e.path(), signal::RecordingFormat::bds);
    const auto raw = signal::sway_metrics(lab);
    const auto band = signal::sway_metrics(signal::sway_grid(lab));
    auto rel = [](double a, double b) { return (a - b) / b; };
    const double velocity = rel(band.velocity_mm_s, raw.velocity_mm_s);
    t.band.velocity_mean += velocity;
    t.band.velocity_worst = std::min(t.band.velocity_worst, velocity);
    t.band.range_worst = std::max({t.band.range_worst, std::abs(rel(band.range_x_mm, raw.range_x_mm)),
                                   std::abs(rel(band.range_y_mm, raw.range_y_mm))});
    t.band.area_worst = std::max(t.band.area_worst, std::abs(rel(band.area95_mm2, raw.area95_mm2)));
    ++t.band.trials;
  }
  t.band.velocity_mean /= t.band.trials;
  CHECK(t.band.velocity_mean > -0.03);  // measured -1.6 %: the lab plate's own noise above 10 Hz
  CHECK(t.band.range_worst < 0.01);
  CHECK(t.band.area_worst < 0.01);
}

// The one command for the closing note: `signal_tests "[bluetooth]"` runs the three above, then this prints.
TEST_CASE("bluetooth rates: the accuracy table", "[bluetooth]") {
  const auto& t = g_table;
  const auto row = [](const std::string& name, const double(&v)[3], int decimals) {
    fmt::print("{:<64}{:>9.{}f}{:>9.{}f}{:>9.{}f}\n", name, v[0], decimals, v[1], decimals, v[2], decimals);
  };
  std::printf("\n%-64s%9s%9s%9s\n", "Accuracy at Bluetooth rates (jitter SD 3 ms, 10 g steps)", "30 Hz", "60 Hz",
              "100 Hz");
  if (t.raise_trials > 0) {
    const double exact[3] = {1.0 * t.raise_exact[0], 1.0 * t.raise_exact[1], 1.0 * t.raise_exact[2]};
    row(fmt::format("heel-raise reps exact, of {} trials", t.raise_trials), exact, 0);
  }
  if (t.touchdown_trials > 0) {
    row(fmt::format("touch-down |error| vs true time, mean ms ({} trials)", t.touchdown_trials), t.touchdown_mean_ms,
        1);
    row("touch-down |error| vs true time, worst ms", t.touchdown_worst_ms, 1);
  }
  for (int g = 0; g < 2; ++g) {
    if (t.sway_trials[g] == 0) continue;
    std::printf("sway, worst %% difference vs the same trial at 100 Hz, %zu %s trials:\n", t.sway_trials[g],
                g == 0 ? "BDS (real sway)" : "synthetic (rough) sway");
    const auto metric = [&](const char* name, double SwayWorst::*field) {
      const double v[3] = {100 * (t.sway[g][0].*field), 100 * (t.sway[g][1].*field), 100 * (t.sway[g][2].*field)};
      row(std::string("  ") + name, v, 2);
    };
    metric("rms (ML, AP)", &SwayWorst::rms);
    metric("range (ML, AP)", &SwayWorst::range);
    metric("95 % ellipse area", &SwayWorst::area);
    metric("velocity (path / duration)", &SwayWorst::velocity);
    metric("mean power frequency", &SwayWorst::freq);
  }
  if (t.band.trials > 0)
    std::printf(
        "the %.0f Hz sway band vs the lab's raw metrics on %d BDS trials (even 100 Hz): velocity %.2f %% mean, "
        "%.2f %% worst; range %.2f %%, area %.2f %% worst\n",
        signal::kBluetoothSwayBand_hz, t.band.trials, 100 * t.band.velocity_mean, 100 * t.band.velocity_worst,
        100 * t.band.range_worst, 100 * t.band.area_worst);
}

TEST_CASE("bluetooth rates: an uneven recording is put on the 100 Hz grid for metrics, an even 100 Hz one is not",
          "[bluetooth]") {
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

TEST_CASE("bluetooth rates: the cubic grid keeps a 5 Hz wave that a straight line between 30 Hz samples flattens",
          "[bluetooth]") {
  signal::Recording board;
  std::mt19937 rng(4);
  std::normal_distribution<double> jitter(0, kJitter_s);
  const double f = 5;  // Hz
  for (int k = 0; k < 300; ++k) {
    const double t = k / 30.0 + jitter(rng);
    board.push_back({t, 700, std::sin(2 * M_PI * f * t), 3 + 0.5 * t});  // a wave in x, a straight line in y
  }
  board.push_back({board.t_s.back(), 700, std::sin(2 * M_PI * f * board.t_s.back()), 3 + 0.5 * board.t_s.back()});
  const auto cubic = signal::resample_cubic(board, 100);  // a repeated time: the later sample stays
  const auto linear = signal::resample_uniform(board, 100);
  REQUIRE(cubic.size() == linear.size());
  double worst_cubic = 0, worst_linear = 0;
  for (std::size_t i = 20; i + 20 < cubic.size(); ++i) {  // away from the natural ends
    const double want = std::sin(2 * M_PI * f * cubic.t_s[i]);
    worst_cubic = std::max(worst_cubic, std::abs(cubic.cop_x_mm[i] - want));
    worst_linear = std::max(worst_linear, std::abs(linear.cop_x_mm[i] - want));
    CHECK(cubic.cop_y_mm[i] == Approx(3 + 0.5 * cubic.t_s[i]).margin(1e-9));  // a line stays a line
  }
  CHECK(worst_cubic < 0.03);  // of an amplitude of 1
  CHECK(worst_linear > 0.1);
  signal::Recording backwards = board;
  backwards.t_s[10] = backwards.t_s[8];
  CHECK_THROWS_AS(signal::resample_cubic(backwards, 100), signal::RecordingError);
}
