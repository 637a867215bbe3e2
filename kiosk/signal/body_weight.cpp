#include "signal/body_weight.h"

#include <algorithm>
#include <cmath>

namespace kiosk::signal {

void BodyWeightDetector::restart(const PlateSample& s) {
  run_start_s_ = s.t_s;
  run_sum_ = s.fz_n;
  run_min_ = run_max_ = s.fz_n;
  run_n_ = 1;
}

bool BodyWeightDetector::update(const PlateSample& s) {
  if (!std::isfinite(s.t_s) || !std::isfinite(s.fz_n)) {
    ++validity_.invalid;
    return false;
  }
  if (validity_.valid++ == 0) {
    fz_ = s.fz_n;
  } else {
    fz_ += (1 - std::exp(-std::max(s.t_s - last_t_s_, 0.0) / config_.smoothing_s)) * (s.fz_n - fz_);
  }
  last_t_s_ = s.t_s;
  return add({s.t_s, fz_, s.cop_x_mm, s.cop_y_mm});
}

bool BodyWeightDetector::add(const PlateSample& s) {
  if (run_n_ == 0) {
    restart(s);
    return false;
  }
  const double lo = std::min(run_min_, s.fz_n), hi = std::max(run_max_, s.fz_n);
  const double mean = (run_sum_ + s.fz_n) / static_cast<double>(run_n_ + 1);
  if (hi > mean * (1 + config_.tolerance) || lo < mean * (1 - config_.tolerance)) {
    restart(s);
    return false;
  }
  run_min_ = lo;
  run_max_ = hi;
  run_sum_ += s.fz_n;
  ++run_n_;
  const double duration = s.t_s - run_start_s_;
  if (duration < config_.min_duration_s || mean < config_.min_weight_n || duration <= best_duration_s_) return false;
  const bool first = !weight_n_;
  weight_n_ = mean;
  best_duration_s_ = duration;
  best_spread_ = (hi - lo) / (2 * config_.tolerance * mean);  // 0 = flat .. 1 = at the limit
  if (first) events_.push_back({run_start_s_, "body_weight", mean, confidence()});
  return first;
}

double BodyWeightDetector::confidence() const {
  if (!weight_n_) return 0;
  const double longer = std::clamp((best_duration_s_ - config_.min_duration_s) / 2.0, 0.0, 1.0);
  const double c = (0.6 + 0.4 * longer) * (1 - 0.4 * std::clamp(best_spread_, 0.0, 1.0));
  return c * validity_.fraction_valid();
}

}  // namespace kiosk::signal
