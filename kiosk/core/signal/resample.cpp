#include "core/signal/resample.h"

#include <cmath>

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

}  // namespace kiosk::signal
