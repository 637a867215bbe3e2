// Single-leg heel-raise count from the plate (clinical brief, "Heel-raise
// counting on a plate"): a rise is a forward (+y) COP excursion and back; it
// counts when its excursion is at least half the median excursion of the
// first three rises. The test ends on two smaller rises in a row, a
// touch-down (Fz below 85 % of body weight for > 100 ms), a step-off, or two
// missed metronome beats in a row (no rise for 2½ rise periods). The
// recording starts with the person already in position. Streaming, O(1).
#pragma once
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "signal/touchdown.h"

namespace kiosk::signal {

struct HeelRaiseConfig {
  double hysteresis_mm = 10;   // a rise starts this far above the last trough and ends this far below its peak
  double smoothing_s = 0.05;   // exponential smoothing of COP y
  double raises_per_min = 30;  // metronome: up on one beat, down on the next (60 beats/min)
  int missed_beats_to_end = 2;
  double count_fraction = 0.5;  // of the median excursion of the first three rises
  int small_rises_to_end = 2;
  double plausible_min_mm = 20;  // a median excursion outside this range is not a heel raise
  double plausible_max_mm = 150;
};

class HeelRaiseCounter {
 public:
  explicit HeelRaiseCounter(double rate_hz, HeelRaiseConfig config = {});

  // True when this sample produced events (rises, or the end).
  bool update(const PlateSample& s);
  // Closes the test at the end of a recording that no end rule stopped.
  void finish();

  int reps() const { return reps_; }
  // Metronome rise periods missed in a row as of the last sample: the test
  // ends when this reaches missed_beats_to_end (a live view's "keep to the beat").
  int missed_beats() const;
  bool ended() const { return !end_reason_.empty(); }
  std::string_view end_reason() const { return end_reason_; }  // "two_small_rises", "touchdown", ...
  double confidence() const;
  const std::vector<DetectorEvent>& events() const { return events_; }

 private:
  struct Rise {
    double t_s, excursion_mm;
  };
  void on_rise(const Rise& r);
  void judge(const Rise& r);
  void end(double t_s, std::string_view reason);
  // Rise periods since the last rise (from the start: one more of grace), less half a period of grace.
  double periods_overdue(double t_s) const;

  HeelRaiseConfig config_;
  TouchdownDetector touchdown_;  // off-plate only
  StepOffDetector step_off_;
  SampleValidity validity_;
  bool have_y_ = false, rising_ = false;
  double last_t_s_ = 0, start_t_s_ = 0, y_ = 0, trough_ = 0, peak_ = 0, peak_t_s_ = 0;
  std::optional<double> last_rise_s_;
  std::optional<double> touchdown_seen_s_;  // when the touch-down was noticed, awaiting confirmation
  static constexpr double kStepOffWait_s = 0.3;
  std::array<Rise, 3> first_{};
  int rises_ = 0;
  double threshold_mm_ = 0;  // known once three rises were seen
  int small_in_a_row_ = 0;
  int reps_ = 0;
  int borderline_ = 0;  // rises within ±10 % of the threshold
  std::string_view end_reason_;
  std::vector<DetectorEvent> events_;
};

}  // namespace kiosk::signal
