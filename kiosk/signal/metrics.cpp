#include "signal/metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "signal/fast_sum.h"
#include "signal/recording_io.h"
#include "signal/resample.h"
#include "signal/spectrum.h"

namespace kiosk::signal {
namespace {

using detail::sum4;

double mean_of(std::span<const double> v) {
  return sum4(v.size(), [&](std::size_t i) { return v[i]; }) / static_cast<double>(v.size());
}

}  // namespace

double path_length_mm(std::span<const double> x, std::span<const double> y) {
  if (x.size() < 2) return 0;
  return sum4(x.size() - 1, [&](std::size_t i) {
    const double dx = x[i + 1] - x[i], dy = y[i + 1] - y[i];
    return std::sqrt(dx * dx + dy * dy);  // not std::hypot: 10× slower, and mm values cannot overflow
  });
}

double rms_about_mean(std::span<const double> v) {
  if (v.empty()) return 0;
  const double m = mean_of(v);
  const double ss = sum4(v.size(), [&](std::size_t i) { return (v[i] - m) * (v[i] - m); });
  return std::sqrt(ss / static_cast<double>(v.size()));
}

double value_range(std::span<const double> v) {
  if (v.empty()) return 0;
  double lo = v[0], hi = v[0];
  for (double a : v) {
    lo = std::min(lo, a);
    hi = std::max(hi, a);
  }
  return hi - lo;
}

double f_quantile_2dof(double p, double m) {
  if (!(p > 0 && p < 1) || !(m > 0)) throw std::invalid_argument("f_quantile_2dof: need 0 < p < 1 and m > 0");
  // expm1/log1p keep precision when m is large ((1−p)^(−2/m) is then close to 1).
  return m / 2 * std::expm1(-2 / m * std::log1p(-p));
}

double prediction_ellipse_area95(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = x.size();
  if (n < 3 || y.size() != n) throw std::invalid_argument("ellipse area: need >= 3 paired samples");
  const double mx = mean_of(x), my = mean_of(y);
  const double sxx = sum4(n, [&](std::size_t i) { return (x[i] - mx) * (x[i] - mx); });
  const double syy = sum4(n, [&](std::size_t i) { return (y[i] - my) * (y[i] - my); });
  const double sxy = sum4(n, [&](std::size_t i) { return (x[i] - mx) * (y[i] - my); });
  const double nd = static_cast<double>(n);
  const double det = (sxx * syy - sxy * sxy) / ((nd - 1) * (nd - 1));  // λ1·λ2
  const double k = f_quantile_2dof(0.95, nd - 2) * 2 * (nd - 1) * (nd + 1) / (nd * (nd - 2));
  return std::numbers::pi * k * std::sqrt(std::max(det, 0.0));
}

double mean_power_frequency_hz(std::span<const double> x, std::span<const double> y, double rate_hz) {
  const auto sx = welch_bds(x, rate_hz);
  const auto sy = welch_bds(y, rate_hz);
  const double wx = power_sum(sx), wy = power_sum(sy);
  if (!(wx + wy > 0)) return 0;  // a perfectly still COP has no frequency content
  return (mean_frequency_hz(sx) * wx + mean_frequency_hz(sy) * wy) / (wx + wy);
}

SwayMetrics sway_metrics(const Recording& rec) {
  if (!rec.has_load()) throw RecordingError(fmt::format("{}: no COP columns (apply a cell layout first)", rec.source));
  const std::size_t n = rec.size();
  if (n < kMinMetricSamples)
    throw RecordingError(
        fmt::format("{}: too few samples for sway metrics ({}; at least {} needed)", rec.source, n, kMinMetricSamples));
  const auto unloaded = std::find_if(rec.fz_n.begin(), rec.fz_n.end(), [](double fz) { return fz < kUnloadedFz_n; });
  if (unloaded != rec.fz_n.end()) {
    const auto i = static_cast<std::size_t>(unloaded - rec.fz_n.begin());
    throw RecordingError(
        fmt::format("{}: nobody on the plate at t = {} s (Fz {} N < {} N), so the COP is undefined; "
                    "measure only the stance part",
                    rec.source, rec.t_s[i], rec.fz_n[i], kUnloadedFz_n));
  }
  if (needs_metric_grid(rec)) return sway_metrics(sway_grid(rec));  // a Bluetooth plate: resample.h says why
  SwayMetrics m;
  m.samples = n;
  m.duration_s = static_cast<double>(n) * rec.mean_interval_s();
  m.path_mm = path_length_mm(rec.cop_x_mm, rec.cop_y_mm);
  m.velocity_mm_s = m.path_mm / m.duration_s;
  m.rms_x_mm = rms_about_mean(rec.cop_x_mm);
  m.rms_y_mm = rms_about_mean(rec.cop_y_mm);
  m.range_x_mm = value_range(rec.cop_x_mm);
  m.range_y_mm = value_range(rec.cop_y_mm);
  m.area95_mm2 = prediction_ellipse_area95(rec.cop_x_mm, rec.cop_y_mm);
  m.mean_freq_hz = mean_power_frequency_hz(rec.cop_x_mm, rec.cop_y_mm, rec.rate_hz());
  return m;
}

std::vector<std::pair<std::string_view, double>> named_sway_measures(const SwayMetrics& m) {
  return {{"path_mm", m.path_mm},        {"velocity_mm_s", m.velocity_mm_s}, {"area95_mm2", m.area95_mm2},
          {"ml_range_mm", m.range_x_mm}, {"ap_range_mm", m.range_y_mm},      {"ml_rms_mm", m.rms_x_mm},
          {"ap_rms_mm", m.rms_y_mm},     {"mean_freq_hz", m.mean_freq_hz}};
}

}  // namespace kiosk::signal
