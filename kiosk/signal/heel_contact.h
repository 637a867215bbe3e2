// Knee-to-wall on a plate: did the heel stay down? (clinical brief, test 1:
// "a plate can confirm the heel stayed down"). With the heel down the COP
// sits between heel and forefoot and drifts slowly forward as the knee goes
// to the wall; a heel lift puts all the load on the forefoot, so the COP
// jumps well forward of where it started. The baseline is the mean COP y
// over the first second with the foot loaded. Streaming, O(1) per sample.
#pragma once
#include <optional>
#include <vector>

#include "signal/detector_event.h"
#include "signal/recording.h"

namespace kiosk::signal {

struct HeelContactConfig {
  double min_load_n = 100;      // less on the plate: the foot is not (fully) on it
  double baseline_s = 1.0;      // loaded time that sets the heel-down COP y
  double lift_mm = 40;          // forward of the baseline that means the heel is up
  double lift_min_s = 0.15;     // ... held at least this long
  double rearm_fraction = 0.5;  // back below baseline + this × lift_mm: heel down again
  double smoothing_s = 0.05;    // exponential smoothing of COP y
};

class HeelContactDetector {
 public:
  explicit HeelContactDetector(HeelContactConfig config = {}) : config_(config) {}

  // True when this sample confirmed a heel lift.
  bool update(const PlateSample& s);

  int lifts() const { return lifts_; }
  // A counted lift that has not come down yet (a live view's "heel up" light).
  bool heel_up() const { return lifted_; }
  // Largest forward COP travel from the baseline seen so far (mm).
  double max_forward_mm() const { return max_forward_mm_; }
  std::optional<double> baseline_y_mm() const { return baseline_y_mm_; }
  // 0 until a baseline exists; lower with invalid input or an unloaded plate.
  double confidence() const;
  const std::vector<DetectorEvent>& events() const { return events_; }

 private:
  HeelContactConfig config_;
  SampleValidity validity_;
  long loaded_ = 0, unloaded_ = 0;
  bool have_y_ = false;
  double y_ = 0, last_t_s_ = 0;
  double baseline_start_s_ = 0, baseline_sum_ = 0;
  long baseline_n_ = 0;
  std::optional<double> baseline_y_mm_;
  std::optional<double> up_since_s_;  // forward of the line, not yet long enough
  bool lifted_ = false;               // a lift was counted and has not come down
  double peak_mm_ = 0;
  int lifts_ = 0;
  double max_forward_mm_ = 0;
  std::vector<DetectorEvent> events_;
};

}  // namespace kiosk::signal
