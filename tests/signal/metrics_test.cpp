// Sway metrics on signals whose answers follow from geometry or Parseval.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

#include "signal/lowpass.h"
#include "signal/metrics.h"
#include "signal/spectrum.h"

using namespace kiosk::signal;
using std::numbers::pi;

namespace {

std::vector<double> sine(std::size_t n, double rate_hz, double freq_hz, double amplitude, double phase = 0) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i)
    v[i] = amplitude * std::sin(2 * pi * freq_hz * static_cast<double>(i) / rate_hz + phase);
  return v;
}

Recording recording_of(const std::vector<double>& x, const std::vector<double>& y, double rate_hz) {
  Recording r;
  for (std::size_t i = 0; i < x.size(); ++i) r.push_back({(static_cast<double>(i) + 1) / rate_hz, 700, x[i], y[i]});
  return r;
}

}  // namespace

TEST_CASE("path length and velocity of a square walked twice") {
  const std::vector<double> x{0, 10, 10, 0, 0, 10, 10, 0, 0};
  const std::vector<double> y{0, 0, 10, 10, 0, 0, 10, 10, 0};
  CHECK(path_length_mm(x, y) == Approx(80));
  std::vector<double> xs, ys;
  for (int rep = 0; rep < 5; ++rep) {  // 40 samples at 10 Hz = 4 s; 39 steps of 10 mm
    for (std::size_t i = 0; i < 8; ++i) {
      xs.push_back(x[i]);
      ys.push_back(y[i]);
    }
  }
  const auto m = sway_metrics(recording_of(xs, ys, 10));
  CHECK(m.samples == 40);
  CHECK(m.duration_s == Approx(4.0));
  CHECK(m.path_mm == Approx(390));
  CHECK(m.velocity_mm_s == Approx(390 / 4.0));
}

TEST_CASE("RMS and range of a sinusoid") {
  const auto x = sine(1000, 100, 1, 7);            // 10 whole periods, peaks sampled
  const auto y = sine(1000, 100, 0.5, 3, pi / 2);  // 5 whole periods
  const auto m = sway_metrics(recording_of(x, y, 100));
  CHECK(m.rms_x_mm == Approx(7 / std::sqrt(2.0)).epsilon(1e-6));
  CHECK(m.rms_y_mm == Approx(3 / std::sqrt(2.0)).epsilon(1e-6));
  CHECK(m.range_x_mm == Approx(14));
  CHECK(m.range_y_mm == Approx(6));
}

TEST_CASE("F(0.95, 2, m) matches published table values") {
  CHECK(f_quantile_2dof(0.95, 2) == Approx(19.0).epsilon(1e-9));
  CHECK(f_quantile_2dof(0.95, 10) == Approx(4.1028).epsilon(1e-4));
  CHECK(f_quantile_2dof(0.95, 30) == Approx(3.3158).epsilon(1e-4));
  CHECK(f_quantile_2dof(0.99, 20) == Approx(5.8489).epsilon(1e-4));
  // m → ∞: 2·F(2, m) → χ²(2), whose 95 % point is −2 ln 0.05.
  CHECK(f_quantile_2dof(0.95, 1e9) == Approx(-std::log(0.05)).epsilon(1e-6));
  CHECK_THROWS(f_quantile_2dof(1.0, 10));
  CHECK_THROWS(f_quantile_2dof(0.95, 0));
}

TEST_CASE("prediction ellipse: a circle of points, rotation and scale") {
  const std::size_t n = 400;
  std::vector<double> x(n), y(n);
  const double r = 5;
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = r * std::cos(2 * pi * static_cast<double>(i) / n);
    y[i] = r * std::sin(2 * pi * static_cast<double>(i) / n);
  }
  // Covariance of points on a circle: r²/2 · n/(n−1) on each axis, none between.
  const double nd = n, var = r * r / 2 * nd / (nd - 1);
  const double k = f_quantile_2dof(0.95, nd - 2) * 2 * (nd - 1) * (nd + 1) / (nd * (nd - 2));
  CHECK(prediction_ellipse_area95(x, y) == Approx(pi * k * var));

  // An elongated, tilted cloud: rotating it leaves the area; scaling by s multiplies it by s².
  std::vector<double> ex(n), ey(n), rx(n), ry(n), sx(n), sy(n);
  for (std::size_t i = 0; i < n; ++i) {
    ex[i] = 3 * x[i] + 0.5 * std::sin(7.0 * static_cast<double>(i));
    ey[i] = 0.4 * y[i] + 0.2 * x[i];
    rx[i] = std::cos(0.7) * ex[i] - std::sin(0.7) * ey[i] + 40;
    ry[i] = std::sin(0.7) * ex[i] + std::cos(0.7) * ey[i] - 12;
    sx[i] = 2.5 * ex[i];
    sy[i] = 2.5 * ey[i];
  }
  const double a = prediction_ellipse_area95(ex, ey);
  CHECK(prediction_ellipse_area95(rx, ry) == Approx(a));
  CHECK(prediction_ellipse_area95(sx, sy) == Approx(6.25 * a));
  // Points on a line enclose no area.
  CHECK(prediction_ellipse_area95(x, x) == Approx(0).margin(1e-9));
}

TEST_CASE("Welch spectrum: Parseval and the mean frequency of tones") {
  const double fs = 100;
  const auto x = sine(6000, fs, 1.0, 4);
  const auto s = welch_bds(x, fs);
  CHECK(s.df_hz == Approx(fs / 3000));
  CHECK(s.power.size() == 1501);
  double integral = 0;
  for (double p : s.power) integral += p * s.df_hz;
  CHECK(integral == Approx(16 / 2.0).epsilon(0.01));  // variance of a sine = A²/2
  CHECK(mean_frequency_hz(s) == Approx(1.0).epsilon(0.01));

  // Axes combined by each axis's power: x 0.5 Hz amplitude 2, y 2 Hz amplitude 1.
  const auto ax = sine(6000, fs, 0.5, 2);
  const auto ay = sine(6000, fs, 2.0, 1);
  const double expect = (0.5 * 4 + 2.0 * 1) / (4 + 1);
  CHECK(mean_power_frequency_hz(ax, ay, fs) == Approx(expect).epsilon(0.01));
  CHECK(mean_power_frequency_hz(std::vector<double>(100, 3.0), std::vector<double>(100, -1.0), fs) == 0);
}

TEST_CASE("metrics refuse recordings they cannot measure") {
  Recording few = recording_of({1, 2, 3}, {1, 2, 3}, 100);
  CHECK_THROWS_AS(sway_metrics(few), RecordingError);
  Recording cells_only;
  cells_only.t_s = {0, 1};
  cells_only.cells = {CellValues{}, CellValues{}};
  CHECK_THROWS_AS(sway_metrics(cells_only), RecordingError);
  auto stepped_off = recording_of(sine(100, 100, 1, 5), sine(100, 100, 1, 5), 100);
  stepped_off.fz_n[60] = 0;
  CHECK_THROWS_WITH(sway_metrics(stepped_off), Catch::Contains("nobody on the plate at t = 0.61 s"));
}

TEST_CASE("zero-phase low-pass keeps slow sway in place and removes fast noise") {
  const double fs = 1000;
  const auto slow = sine(5000, fs, 1.0, 10);
  const auto fast = sine(5000, fs, 100.0, 2);
  std::vector<double> mixed(slow.size());
  for (std::size_t i = 0; i < mixed.size(); ++i) mixed[i] = slow[i] + fast[i] + 50;
  const auto out = lowpass_zero_phase(mixed, fs, 10);
  REQUIRE(out.size() == mixed.size());
  double worst = 0;
  for (std::size_t i = 500; i < 4500; ++i) worst = std::max(worst, std::abs(out[i] - (slow[i] + 50)));
  CHECK(worst < 0.15);                                 // ≥ 40 dB down at 10× the cutoff, and no lag on the 1 Hz sway
  CHECK(std::abs(out.front() - mixed.front()) < 1.0);  // ends start where the signal does
  CHECK_THROWS(lowpass_zero_phase(mixed, fs, 600));
  CHECK(lowpass_zero_phase(std::vector<double>{4.0}, fs, 10) == std::vector<double>{4.0});
}

TEST_CASE("Welch spectra from several threads at once agree (shared FFTW plans)") {
  const auto x = sine(6000, 100, 0.7, 3);
  const auto y = sine(6000, 100, 1.9, 2);
  const double alone = mean_power_frequency_hz(x, y, 100);
  std::vector<double> results(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < results.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) results[t] = mean_power_frequency_hz(x, y, 100);
      // A different size per thread also plans (and may evict) while others execute.
      (void)welch_bds(std::vector<double>(1000 + 10 * t, 1.0), 100);
    });
  for (auto& th : threads) th.join();
  for (double r : results) CHECK(r == alone);
}

TEST_CASE("spectrum: more transform sizes than the plan cache keeps evict old plans without a hang") {
  // Every stance has its own length, so its own transform size: the ninth size
  // evicts a plan, whose destructor takes the planner lock (it once deadlocked here).
  for (std::size_t n = 200; n < 200 + 12 * 20; n += 20) {
    const auto s = welch_bds(std::vector<double>(n, 1.0), 100);
    CHECK(s.power.size() == n / 2 / 2 + 1);
  }
}
