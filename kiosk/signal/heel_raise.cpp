#include "signal/heel_raise.h"

#include <algorithm>
#include <cmath>

#include "signal/recording_io.h"

namespace kiosk::signal {
namespace {

TouchdownConfig off_plate_only() {
  TouchdownConfig c;
  c.detect_on_plate = false;
  return c;
}

// Median of the first n (1..3) values, written out: std::sort on three
// doubles trips a false -Warray-bounds in g++ 12 under the sanitizers.
double median_of(const std::array<double, 3>& v, int n) {
  if (n == 1) return v[0];
  if (n == 2) return (v[0] + v[1]) / 2;
  return std::max(std::min(v[0], v[1]), std::min(std::max(v[0], v[1]), v[2]));
}

}  // namespace

HeelRaiseCounter::HeelRaiseCounter(double rate_hz, HeelRaiseConfig config)
    : config_(config), touchdown_(rate_hz, off_plate_only()) {}

bool HeelRaiseCounter::update(const PlateSample& s) {
  if (ended()) return false;
  if (!std::isfinite(s.t_s) || !std::isfinite(s.fz_n) || !std::isfinite(s.cop_y_mm)) {
    ++validity_.invalid;
    return false;
  }
  if (validity_.valid == 0) start_t_s_ = s.t_s;
  ++validity_.valid;
  const auto before = events_.size();
  const double dt = std::max(s.t_s - last_t_s_, 0.0);
  last_t_s_ = s.t_s;

  // A step-off first looks like a touch-down (Fz passes 85 % before 10 % of
  // body weight), so a touch-down is confirmed only after a short wait.
  if (step_off_.update(s)) end(*step_off_.step_off_s(), "step_off");
  if (!ended() && touchdown_.update(s)) touchdown_seen_s_ = s.t_s;
  if (!ended() && touchdown_seen_s_ && s.t_s - *touchdown_seen_s_ > kStepOffWait_s)
    end(*touchdown_.touchdown_s(), "touchdown");
  if (ended()) return true;
  if (touchdown_seen_s_) return false;  // the person is coming down: no more rises

  // Two missed metronome beats: no rise for 2½ rise periods (3 from the start).
  if (periods_overdue(s.t_s) > config_.missed_beats_to_end) {
    end(s.t_s, "missed_beats");
    return true;
  }

  // The COP of a (nearly) unloaded plate is meaningless.
  const auto bw = touchdown_.weight().body_weight_n();
  if (s.fz_n < (bw ? 0.5 * *bw : kUnloadedFz_n)) return events_.size() != before;

  if (!have_y_) {
    y_ = trough_ = s.cop_y_mm;
    have_y_ = true;
  } else {
    y_ += (1 - std::exp(-dt / config_.smoothing_s)) * (s.cop_y_mm - y_);
  }
  if (!rising_) {
    trough_ = std::min(trough_, y_);
    if (y_ > trough_ + config_.hysteresis_mm) {
      rising_ = true;
      peak_ = y_;
      peak_t_s_ = s.t_s;
    }
  } else if (y_ > peak_) {
    peak_ = y_;
    peak_t_s_ = s.t_s;
  } else if (y_ < peak_ - config_.hysteresis_mm) {
    rising_ = false;
    on_rise({peak_t_s_, peak_ - trough_});
    trough_ = y_;
  }
  return events_.size() != before;
}

double HeelRaiseCounter::periods_overdue(double t_s) const {
  const double period = 60 / config_.raises_per_min;
  const double since = t_s - (last_rise_s_ ? *last_rise_s_ : start_t_s_);
  return since / period - (last_rise_s_ ? 0.5 : 1.0);
}

int HeelRaiseCounter::missed_beats() const {
  if (validity_.valid == 0) return 0;
  return std::clamp(static_cast<int>(std::floor(periods_overdue(last_t_s_))), 0, config_.missed_beats_to_end);
}

void HeelRaiseCounter::on_rise(const Rise& r) {
  last_rise_s_ = r.t_s;
  ++rises_;
  if (rises_ > 3) {
    judge(r);
    return;
  }
  first_[static_cast<std::size_t>(rises_ - 1)] = r;
  if (rises_ < 3) return;
  threshold_mm_ =
      config_.count_fraction * median_of({first_[0].excursion_mm, first_[1].excursion_mm, first_[2].excursion_mm}, 3);
  for (const auto& f : first_)
    if (!ended()) judge(f);
}

void HeelRaiseCounter::judge(const Rise& r) {
  const bool counts = r.excursion_mm >= threshold_mm_;
  const bool borderline = std::abs(r.excursion_mm - threshold_mm_) < 0.1 * threshold_mm_;
  if (borderline) ++borderline_;
  events_.push_back(
      {r.t_s, counts ? "rise" : "rise_small", r.excursion_mm, (borderline ? 0.5 : 0.95) * validity_.fraction_valid()});
  if (counts) {
    ++reps_;
    small_in_a_row_ = 0;
  } else if (++small_in_a_row_ >= config_.small_rises_to_end) {
    end(r.t_s, "two_small_rises");
  }
}

void HeelRaiseCounter::end(double t_s, std::string_view reason) {
  if (ended()) return;
  end_reason_ = reason;            // first, so judging below cannot end the test again
  if (rises_ > 0 && rises_ < 3) {  // fewer than three rises: the median of those there are
    std::array<double, 3> e{first_[0].excursion_mm, first_[1].excursion_mm, 0};
    threshold_mm_ = config_.count_fraction * median_of(e, rises_);
    for (int i = 0; i < rises_; ++i) judge(first_[static_cast<std::size_t>(i)]);
  }
  events_.push_back({t_s, "test_end", static_cast<double>(reps_), confidence()});
}

void HeelRaiseCounter::finish() {
  if (!ended() && touchdown_seen_s_) end(*touchdown_.touchdown_s(), "touchdown");
  if (!ended()) end(last_t_s_, "recording_end");
}

double HeelRaiseCounter::confidence() const {
  double c = validity_.fraction_valid();
  const double weight = touchdown_.weight().confidence();
  c *= weight > 0 ? 0.5 + 0.5 * weight : 0.4;  // without a body weight a touch-down goes unseen
  if (rises_ < 3) c *= 0.4;
  const double median = threshold_mm_ / config_.count_fraction;
  if (rises_ > 0 && (median < config_.plausible_min_mm || median > config_.plausible_max_mm)) c *= 0.3;
  if (rises_ > 0) c *= 1 - 0.5 * borderline_ / static_cast<double>(rises_);
  if (end_reason_ == "recording_end") c *= 0.8;
  return c;
}

}  // namespace kiosk::signal
