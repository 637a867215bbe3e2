#include "signal/heel_contact.h"

#include <algorithm>
#include <cmath>

namespace kiosk::signal {

bool HeelContactDetector::update(const PlateSample& s) {
  if (!std::isfinite(s.t_s) || !std::isfinite(s.fz_n) || !std::isfinite(s.cop_y_mm)) {
    ++validity_.invalid;
    return false;
  }
  ++validity_.valid;
  if (s.fz_n < config_.min_load_n) {  // foot off or barely on: the COP means nothing
    ++unloaded_;
    up_since_s_.reset();
    have_y_ = false;
    return false;
  }
  ++loaded_;
  const double dt = have_y_ ? std::max(0.0, s.t_s - last_t_s_) : 0;
  const double alpha = have_y_ ? 1 - std::exp(-dt / config_.smoothing_s) : 1;
  y_ += alpha * (s.cop_y_mm - y_);
  have_y_ = true;
  last_t_s_ = s.t_s;

  if (!baseline_y_mm_) {
    if (baseline_n_ == 0) baseline_start_s_ = s.t_s;
    baseline_sum_ += s.cop_y_mm;
    ++baseline_n_;
    if (s.t_s - baseline_start_s_ >= config_.baseline_s) {
      baseline_y_mm_ = baseline_sum_ / static_cast<double>(baseline_n_);
      events_.push_back({baseline_start_s_, "heel_baseline", *baseline_y_mm_, 1});
    }
    return false;
  }

  const double forward = y_ - *baseline_y_mm_;
  max_forward_mm_ = std::max(max_forward_mm_, forward);
  if (lifted_) {
    if (forward < config_.rearm_fraction * config_.lift_mm) lifted_ = false;
    return false;
  }
  if (forward < config_.lift_mm) {
    up_since_s_.reset();
    return false;
  }
  if (!up_since_s_) {
    up_since_s_ = s.t_s;
    peak_mm_ = forward;
  }
  peak_mm_ = std::max(peak_mm_, forward);
  if (s.t_s - *up_since_s_ < config_.lift_min_s) return false;
  lifted_ = true;
  ++lifts_;
  // Clearer the further past the line the COP went.
  const double clarity = std::clamp((peak_mm_ - config_.lift_mm) / config_.lift_mm + 0.5, 0.0, 1.0);
  events_.push_back({*up_since_s_, "heel_lift", peak_mm_, clarity});
  up_since_s_.reset();
  return true;
}

double HeelContactDetector::confidence() const {
  if (!baseline_y_mm_) return 0;
  const double loaded = static_cast<double>(loaded_) / static_cast<double>(loaded_ + unloaded_);
  return validity_.fraction_valid() * loaded;
}

}  // namespace kiosk::signal
