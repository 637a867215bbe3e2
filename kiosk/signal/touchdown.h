// Single-leg stance: when does the lifted foot touch down? (clinical brief,
// "Touch-down"). Off the plate: Fz below ~85 % of body weight for > 100 ms.
// On the plate: the COP jumps by several cm within < 100 ms. Streaming,
// O(1) per sample (a fixed ring of the last 100 ms of COP).
#pragma once
#include <optional>
#include <vector>

#include "signal/body_weight.h"

namespace kiosk::signal {

struct TouchdownConfig {
  double off_plate_fraction = 0.85;  // of body weight
  double off_plate_min_s = 0.10;     // the drop must last longer than this
  bool detect_on_plate = true;       // off for heel raises, whose COP moves fast on purpose
  double on_plate_jump_mm = 30;      // COP displacement within the window that means a second foot
  double on_plate_window_s = 0.10;
  double onset_mm = 8;            // displacement in the window that marks the start of a jump
  double cop_smoothing_s = 0.01;  // exponential smoothing of the COP against cell noise
  BodyWeightConfig weight;
};

class TouchdownDetector {
 public:
  explicit TouchdownDetector(double rate_hz, TouchdownConfig config = {});

  // True when this sample revealed the touch-down (at most once).
  bool update(const PlateSample& s);

  std::optional<double> touchdown_s() const { return touchdown_s_; }
  const BodyWeightDetector& weight() const { return weight_; }
  // With a touch-down: how clear it was. Without: how sure we are there was
  // none (needs a body weight and clean input).
  double confidence() const;
  const std::vector<DetectorEvent>& events() const;

 private:
  struct Cop {
    double t_s, x, y;
  };
  void report(double t_s, std::string_view kind, double value, double confidence);

  TouchdownConfig config_;
  BodyWeightDetector weight_;
  SampleValidity validity_;
  std::vector<Cop> ring_;  // last window of smoothed COP; fixed size
  std::size_t ring_next_ = 0, ring_fill_ = 0;
  bool have_smooth_ = false;
  Cop smooth_{0, 0, 0};
  std::optional<double> below_since_s_;
  double below_min_fz_ = 0;
  std::optional<double> jump_onset_s_;
  std::optional<double> touchdown_s_;
  double confidence_ = 0;
  std::vector<DetectorEvent> events_;
};

// Step-off: Fz below 10 % of body weight for longer than 50 ms.
class StepOffDetector {
 public:
  explicit StepOffDetector(BodyWeightConfig weight = {}, double fraction = 0.10, double min_s = 0.05)
      : weight_(weight), fraction_(fraction), min_s_(min_s) {}
  bool update(const PlateSample& s);
  std::optional<double> step_off_s() const { return step_off_s_; }
  double confidence() const { return step_off_s_ ? weight_.confidence() : 0; }
  const BodyWeightDetector& weight() const { return weight_; }

 private:
  BodyWeightDetector weight_;
  double fraction_, min_s_;
  std::optional<double> below_since_s_;
  std::optional<double> step_off_s_;
};

}  // namespace kiosk::signal
