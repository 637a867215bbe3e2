#include "signal/resample.h"

#include <algorithm>
#include <cmath>

#include "signal/lowpass.h"

namespace kiosk::signal {

bool needs_metric_grid(const Recording& r) {
  if (r.size() < 3) return false;
  const double mean = r.mean_interval_s();
  if (!(mean > 0)) return false;
  for (std::size_t i = 1; i < r.size(); ++i)
    if (std::abs((r.t_s[i] - r.t_s[i - 1]) - mean) > 0.01 * mean) return true;
  return false;
}

Recording resample_uniform(const Recording& r, double rate_hz) {
  if (!(rate_hz > 0)) throw RecordingError(r.source + ": resample needs a positive rate");
  if (!r.has_load()) throw RecordingError(r.source + ": resample needs Fz and COP columns");
  Recording out;
  out.source = r.source;
  const double t0 = r.t_s.front(), span = r.t_s.back() - t0;
  const auto n = static_cast<std::size_t>(std::floor(span * rate_hz + 1e-9)) + 1;
  std::size_t j = 0;  // r.t_s[j] <= t < r.t_s[j + 1]
  for (std::size_t k = 0; k < n; ++k) {
    const double t = t0 + static_cast<double>(k) / rate_hz;
    while (j + 1 < r.size() && r.t_s[j + 1] <= t) ++j;
    if (j + 1 < r.size() && r.t_s[j + 1] < r.t_s[j]) throw RecordingError(r.source + ": times go backwards");
    if (j + 1 >= r.size()) {
      out.push_back({t, r.fz_n[j], r.cop_x_mm[j], r.cop_y_mm[j]});
      continue;
    }
    const double w = (t - r.t_s[j]) / (r.t_s[j + 1] - r.t_s[j]);
    auto lerp = [&](const std::vector<double>& v) { return v[j] + w * (v[j + 1] - v[j]); };
    out.push_back({t, lerp(r.fz_n), lerp(r.cop_x_mm), lerp(r.cop_y_mm)});
  }
  return out;
}

namespace {

// The knots of a spline: strictly increasing times (of equal times the later sample stays).
Recording distinct_times(const Recording& r) {
  Recording out;
  out.source = r.source;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (i > 0 && r.t_s[i] < r.t_s[i - 1]) throw RecordingError(r.source + ": times go backwards");
    if (!out.t_s.empty() && r.t_s[i] == out.t_s.back()) {
      out.fz_n.back() = r.fz_n[i], out.cop_x_mm.back() = r.cop_x_mm[i], out.cop_y_mm.back() = r.cop_y_mm[i];
      continue;
    }
    out.push_back(r.sample(i));
  }
  return out;
}

// Natural cubic spline (second derivative 0 at both ends) through (t, y):
// the knots' second derivatives, by the tridiagonal (Thomas) solve.
class NaturalSpline {
 public:
  explicit NaturalSpline(const std::vector<double>& t) : t_(t), c_(t.size(), 0), d_(t.size(), 0) {
    // Forward elimination of h[i-1]·M[i-1] + 2(h[i-1]+h[i])·M[i] + h[i]·M[i+1] = rhs[i]; it depends on t only.
    for (std::size_t i = 1; i + 1 < t.size(); ++i) {
      const double a = t[i] - t[i - 1], b = t[i + 1] - t[i];
      d_[i] = 2 * (a + b) - a * c_[i - 1];
      c_[i] = b / d_[i];
    }
  }
  std::vector<double> second_derivatives(const std::vector<double>& y) const {
    const std::size_t n = y.size();
    std::vector<double> m(n, 0), z(n, 0);
    for (std::size_t i = 1; i + 1 < n; ++i) {
      const double a = t_[i] - t_[i - 1], b = t_[i + 1] - t_[i];
      const double rhs = 6 * ((y[i + 1] - y[i]) / b - (y[i] - y[i - 1]) / a);
      z[i] = (rhs - a * z[i - 1]) / d_[i];
    }
    for (std::size_t i = n - 1; i-- > 1;) m[i] = z[i] - c_[i] * m[i + 1];
    return m;
  }

 private:
  const std::vector<double>& t_;
  std::vector<double> c_, d_;  // the eliminated system's upper diagonal and pivots
};

}  // namespace

Recording resample_cubic(const Recording& r, double rate_hz) {
  if (!(rate_hz > 0)) throw RecordingError(r.source + ": resample needs a positive rate");
  if (!r.has_load()) throw RecordingError(r.source + ": resample needs Fz and COP columns");
  const auto knots = distinct_times(r);
  if (knots.size() < 3) return resample_uniform(knots, rate_hz);
  const NaturalSpline spline(knots.t_s);
  const auto mf = spline.second_derivatives(knots.fz_n);
  const auto mx = spline.second_derivatives(knots.cop_x_mm);
  const auto my = spline.second_derivatives(knots.cop_y_mm);
  Recording out;
  out.source = r.source;
  const auto& t = knots.t_s;
  const double t0 = t.front(), span = t.back() - t0;
  const auto n = static_cast<std::size_t>(std::floor(span * rate_hz + 1e-9)) + 1;
  std::size_t j = 0;  // t[j] <= time <= t[j + 1]
  for (std::size_t k = 0; k < n; ++k) {
    const double time = t0 + static_cast<double>(k) / rate_hz;
    while (j + 2 < t.size() && t[j + 1] <= time) ++j;
    const double h = t[j + 1] - t[j];
    const double b = std::clamp((time - t[j]) / h, 0.0, 1.0), a = 1 - b;
    auto at = [&](const std::vector<double>& y, const std::vector<double>& m) {
      return a * y[j] + b * y[j + 1] + ((a * a * a - a) * m[j] + (b * b * b - b) * m[j + 1]) * h * h / 6;
    };
    out.push_back({time, at(knots.fz_n, mf), at(knots.cop_x_mm, mx), at(knots.cop_y_mm, my)});
  }
  return out;
}

Recording sway_grid(const Recording& r) {
  auto grid = resample_cubic(r, kMetricGridHz);
  if (grid.size() < 2) return grid;
  grid.cop_x_mm = lowpass_zero_phase(grid.cop_x_mm, kMetricGridHz, kBluetoothSwayBand_hz);
  grid.cop_y_mm = lowpass_zero_phase(grid.cop_y_mm, kMetricGridHz, kBluetoothSwayBand_hz);
  return grid;
}

}  // namespace kiosk::signal
