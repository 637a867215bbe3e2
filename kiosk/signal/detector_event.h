// What the streaming detectors report. Every detector takes one PlateSample
// at a time in O(1), skips samples that are not finite (and says so through a
// lower confidence), and keeps its events in order.
#pragma once
#include <string_view>

namespace kiosk::signal {

struct DetectorEvent {
  double t_s = 0;         // when it happened (onset, not detection time)
  std::string_view kind;  // a string literal: "body_weight", "touchdown_off_plate", ...
  double value = 0;       // kind-specific: N for body_weight, mm for a rise
  double confidence = 0;  // 0 (a guess) .. 1 (clear-cut)
};

// Counts samples with a NaN/inf field so detectors can discount garbage.
struct SampleValidity {
  long valid = 0;
  long invalid = 0;
  double fraction_valid() const {
    return valid + invalid == 0 ? 0 : static_cast<double>(valid) / static_cast<double>(valid + invalid);
  }
};

}  // namespace kiosk::signal
