// Quiet-phase body weight: Fz steady within ±2 % of its mean for ≥ 1 s
// (clinical brief, "Weighing / quiet phase"). Fz is first smoothed over
// ~50 ms so that cell noise at 1 kHz does not break a steady run; the person's
// own movement (≥ 0.2 s) still does. Streaming, O(1) per sample.
#pragma once
#include <optional>
#include <vector>

#include "signal/detector_event.h"
#include "signal/recording.h"

namespace kiosk::signal {

struct BodyWeightConfig {
  double tolerance = 0.02;  // every sample within ±2 % of the run's mean
  double min_duration_s = 1.0;
  double min_weight_n = 200;  // a lighter "person" is an empty or mis-calibrated plate
  double smoothing_s = 0.05;  // time constant of the exponential smoothing of Fz
};

class BodyWeightDetector {
 public:
  explicit BodyWeightDetector(BodyWeightConfig config = {}) : config_(config) {}

  // True when this sample produced the first body-weight event.
  bool update(const PlateSample& s);

  // Mean Fz of the longest steady run so far; nullopt until one lasted ≥ 1 s.
  std::optional<double> body_weight_n() const { return weight_n_; }
  // Higher for longer and steadier runs and for clean input; 0 without a weight.
  double confidence() const;
  const std::vector<DetectorEvent>& events() const { return events_; }

 private:
  void restart(const PlateSample& s);
  bool add(const PlateSample& smoothed);

  BodyWeightConfig config_;
  SampleValidity validity_;
  double fz_ = 0, last_t_s_ = 0;  // smoothed Fz and the time of the sample it includes
  // Current steady run.
  double run_start_s_ = 0, run_sum_ = 0, run_min_ = 0, run_max_ = 0;
  long run_n_ = 0;
  // Best run so far.
  std::optional<double> weight_n_;
  double best_duration_s_ = 0, best_spread_ = 1;
  std::vector<DetectorEvent> events_;
};

}  // namespace kiosk::signal
