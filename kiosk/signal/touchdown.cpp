#include "signal/touchdown.h"

#include <algorithm>
#include <cmath>

namespace kiosk::signal {

TouchdownDetector::TouchdownDetector(double rate_hz, TouchdownConfig config) : config_(config), weight_(config.weight) {
  const double rate = std::isfinite(rate_hz) && rate_hz > 0 ? std::min(rate_hz, 100000.0) : 1000.0;
  ring_.resize(static_cast<std::size_t>(std::ceil(config_.on_plate_window_s * rate)) + 2);
}

void TouchdownDetector::report(double t_s, std::string_view kind, double value, double confidence) {
  touchdown_s_ = t_s;
  confidence_ = confidence;
  events_.push_back({t_s, kind, value, confidence});
}

const std::vector<DetectorEvent>& TouchdownDetector::events() const { return events_; }

bool TouchdownDetector::update(const PlateSample& s) {
  if (touchdown_s_) return false;
  if (!std::isfinite(s.t_s) || !std::isfinite(s.fz_n) || !std::isfinite(s.cop_x_mm) || !std::isfinite(s.cop_y_mm)) {
    ++validity_.invalid;
    return false;
  }
  ++validity_.valid;
  weight_.update(s);
  const auto bw = weight_.body_weight_n();
  if (!bw) return false;

  // Off the plate: a sustained drop in vertical force.
  if (s.fz_n < config_.off_plate_fraction * *bw) {
    if (!below_since_s_) {
      below_since_s_ = s.t_s;
      below_min_fz_ = s.fz_n;
    }
    below_min_fz_ = std::min(below_min_fz_, s.fz_n);
    if (s.t_s - *below_since_s_ > config_.off_plate_min_s) {
      const double depth = (config_.off_plate_fraction * *bw - below_min_fz_) / (config_.off_plate_fraction * *bw);
      report(*below_since_s_, "touchdown_off_plate", below_min_fz_,
             (0.6 + 0.4 * std::clamp(depth / 0.2, 0.0, 1.0)) * weight_.confidence());
      return true;
    }
    return false;  // the COP of a half-unloaded plate says nothing about the other foot
  }
  below_since_s_.reset();
  if (!config_.detect_on_plate) return false;

  // On the plate: compare the smoothed COP with where it was one window ago.
  if (!have_smooth_) {
    smooth_ = {s.t_s, s.cop_x_mm, s.cop_y_mm};
    have_smooth_ = true;
  } else {
    const double a = 1 - std::exp(-std::max(s.t_s - smooth_.t_s, 0.0) / config_.cop_smoothing_s);
    smooth_ = {s.t_s, smooth_.x + a * (s.cop_x_mm - smooth_.x), smooth_.y + a * (s.cop_y_mm - smooth_.y)};
  }
  // Oldest stored sample still inside the window. The ring holds one window
  // at the nominal rate, so this looks at one or two entries (a whole ring,
  // bounded, only after a gap in time).
  const Cop* past = nullptr;
  for (std::size_t k = ring_fill_; k > 0 && !past; --k) {
    const auto& c = ring_[(ring_next_ + ring_.size() - k) % ring_.size()];
    if (smooth_.t_s - c.t_s <= config_.on_plate_window_s) past = &c;
  }
  double moved = 0;
  if (past) moved = std::hypot(smooth_.x - past->x, smooth_.y - past->y);
  ring_[ring_next_] = smooth_;
  ring_next_ = (ring_next_ + 1) % ring_.size();
  ring_fill_ = std::min(ring_fill_ + 1, ring_.size());

  if (moved < config_.onset_mm) {
    jump_onset_s_.reset();
  } else if (!jump_onset_s_) {
    jump_onset_s_ = s.t_s;
  }
  if (moved >= config_.on_plate_jump_mm) {
    const double onset = jump_onset_s_ && s.t_s - *jump_onset_s_ <= config_.on_plate_window_s
                             ? *jump_onset_s_
                             : s.t_s - config_.on_plate_window_s / 2;
    // Clear-cut when the COP went from "starting to move" to "jumped" quickly.
    const double clear = std::clamp(1 - (s.t_s - onset) / config_.on_plate_window_s, 0.0, 1.0);
    report(onset, "touchdown_on_plate", moved, (0.5 + 0.5 * clear) * (0.6 + 0.4 * weight_.confidence()));
    return true;
  }
  return false;
}

double TouchdownDetector::confidence() const {
  if (touchdown_s_) return confidence_;
  return weight_.confidence() * validity_.fraction_valid();
}

bool StepOffDetector::update(const PlateSample& s) {
  if (step_off_s_ || !std::isfinite(s.t_s) || !std::isfinite(s.fz_n)) return false;
  weight_.update(s);
  const auto bw = weight_.body_weight_n();
  if (!bw) return false;
  if (s.fz_n >= fraction_ * *bw) {
    below_since_s_.reset();
    return false;
  }
  if (!below_since_s_) below_since_s_ = s.t_s;
  if (s.t_s - *below_since_s_ <= min_s_) return false;
  step_off_s_ = *below_since_s_;
  return true;
}

}  // namespace kiosk::signal
