// The single-leg stance and heel-raise tests as streaming trackers (fed one
// sample at a time, live from a plate) and over a whole recording, start to
// end. One home for `kioskctl detect`, the scripts' capture step and the
// kiosk's live capture, so all report the same numbers. A recording starts
// with the person already in position.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "signal/detector_event.h"
#include "signal/heel_raise.h"
#include "signal/metrics.h"
#include "signal/recording.h"
#include "signal/touchdown.h"

namespace kiosk::signal {

// Throws RecordingError for a recording without Fz/COP columns (raw cells need a layout first).
void require_load(const Recording& recording);

// Both throw RecordingError for a recording without Fz/COP columns.

struct HeelRaiseResult {
  int reps = 0;
  std::string end_reason;  // "two_small_rises", "touchdown", ... or "recording_end"
  double confidence = 0;
  std::vector<DetectorEvent> events;
};
HeelRaiseResult count_heel_raises(const Recording& recording, HeelRaiseConfig config = {});

struct StanceResult {
  std::optional<double> touchdown_s;  // s from the first sample; nullopt: none seen
  std::optional<double> body_weight_n;
  double stance_s = 0;  // to the touch-down, else the whole recording; at most cap_s
  double confidence = 0;
  std::vector<DetectorEvent> events;  // body weight and touch-down, in time order
  std::optional<SwayMetrics> sway;    // over the stance only; nullopt when too short to measure
};
StanceResult single_leg_stance(const Recording& recording, double cap_s);

// Single-leg stance, sample by sample: ends at the touch-down or at cap_s
// from the first sample. Keeps the stance samples (for the sway metrics).
class StanceTracker {
 public:
  StanceTracker(double rate_hz, double cap_s);
  void push(const PlateSample& s);  // in time order; ignored once finished()
  bool finished() const { return finished_; }
  StanceResult result() const;  // over what was pushed so far
  // Cheap parts of result(), for a live view every frame.
  double stance_s() const;  // to the touch-down once seen, else so far; at most cap_s
  bool touched_down() const { return detector_.touchdown_s().has_value(); }
  const std::vector<DetectorEvent>& touchdown_events() const { return detector_.events(); }

 private:
  double cap_s_;
  TouchdownDetector detector_;
  std::optional<double> t0_;
  Recording kept_;  // every sample pushed before the end
  bool finished_ = false;
};

}  // namespace kiosk::signal
