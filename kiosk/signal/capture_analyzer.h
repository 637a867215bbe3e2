// The detectors by the names Lua scripts use in `capture` steps, behind one
// streaming interface: the kiosk feeds live plate samples, the headless
// runner feeds a recording, and both get the same metrics. Names and the
// metrics each returns (units in the names) — part of script API 1:
//   "single_leg_stance"  stance_s, confidence; path_mm, velocity_mm_s,
//                        area95_mm2, ml_range_mm, ap_range_mm, ml_rms_mm,
//                        ap_rms_mm over the stance when long enough
//   "heel_raise_count"   reps, confidence
//   "heel_contact"       heel_lifts, max_forward_mm, confidence
// Events keep the detectors' own names (body_weight, touchdown_off_plate,
// touchdown_on_plate, rise, test_end, heel_lift, ...).
#pragma once
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "signal/detector_event.h"
#include "signal/recording.h"

namespace kiosk::signal {

struct CaptureSettings {
  double rate_hz = 100;  // of the samples to come
  double cap_s = 45;     // longest capture; single_leg_stance ends its stance here
  double bpm = 0;        // metronome beats per minute; 0 = none (heel raises: 60)
};

struct CaptureAnalysis {
  std::map<std::string, double> metrics;
  std::vector<DetectorEvent> events;  // t_s from the first sample pushed
};

class CaptureAnalyzer {
 public:
  virtual ~CaptureAnalyzer() = default;
  // One calibrated sample, in time order. Thread: the caller's, one at a time.
  virtual void push(const PlateSample& s) = 0;
  // The test ended by itself (a touch-down, two small rises, ...).
  virtual bool finished() const = 0;
  // The metrics over everything pushed so far.
  virtual CaptureAnalysis result() = 0;
};

// nullptr for a name not listed above.
std::unique_ptr<CaptureAnalyzer> make_capture_analyzer(std::string_view name, const CaptureSettings& settings);
std::span<const std::string_view> capture_analyzer_names();

// A whole recording (with Fz/COP) through the named analyzer, until it
// finishes. Throws RecordingError for a recording without load columns.
CaptureAnalysis analyze_recording(std::string_view name, const Recording& recording, CaptureSettings settings);

}  // namespace kiosk::signal
