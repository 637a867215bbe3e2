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

// What a live screen shows while a capture runs: the detectors' own state
// now, never a second copy of their maths. Fields a detector does not have stay at their defaults.
struct CaptureProgress {
  int reps = 0;                           // heel_raise_count: raises counted so far (the detector's count)
  int missed_beats = 0;                   // heel_raise_count: metronome beats missed in a row now
  std::string_view end_reason;            // why it ended by itself ("missed_beats", "two_small_rises",
                                          // "touchdown", "step_off", "cap"); "" while running
  double stance_s = 0;                    // single_leg_stance: the stance so far (to the touch-down once seen), s
  bool heel_down_known = false;           // heel_contact: the heel-down position is measured
  bool heel_up = false;                   // heel_contact: the heel is lifted now
  int heel_lifts = 0;                     // heel_contact: lifts counted so far
  std::span<const DetectorEvent> events;  // so far ("rise", ...); valid until the next push
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
  // The state now, for a live view. O(1): call it every frame.
  virtual CaptureProgress progress() const = 0;
};

// nullptr for a name not listed above.
std::unique_ptr<CaptureAnalyzer> make_capture_analyzer(std::string_view name, const CaptureSettings& settings);
std::span<const std::string_view> capture_analyzer_names();

// A whole recording (with Fz/COP) through the named analyzer, until it
// finishes. Throws RecordingError for a recording without load columns.
CaptureAnalysis analyze_recording(std::string_view name, const Recording& recording, CaptureSettings settings);

}  // namespace kiosk::signal
