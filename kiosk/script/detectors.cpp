// SEAM: where the signal detectors (kiosk/core/signal, the force-plate
// issue) plug into capture steps. Register each one under the name the
// bundled scripts use; the metrics below are what those scripts read.
//
//   "single_leg_stance"  (single_leg_balance.lua, cap 45 s)
//       metrics: stance_s (time to touch-down or the cap), path_mm,
//                velocity_mm_s, area95_mm2 (95 % prediction ellipse);
//                optional ap_range_mm, ml_range_mm, ap_rms_mm, ml_rms_mm
//       events:  touch_down (Fz < ~85 % body weight > 100 ms, or a COP jump)
//   "heel_raise_count"   (heel_raise.lua, metronome 60 bpm)
//       metrics: reps (a rise counts at >= half the median forward COP
//                excursion of the first three; two small rises in a row,
//                two missed beats or a touch-down end the test)
//       events:  rise, missed_beat, end
//   "heel_contact"       (knee_to_wall.lua, plate optional)
//       metrics: heel_lifts (times the heel left the plate)
//
// Example, once kiosk/core/signal exists:
//   table["single_leg_stance"] = [](const auto& recording, const CaptureRequest& r) {
//     return signal::single_leg_stance(signal::read_recording(recording), r.seconds);
//   };
#include "script/capture.h"

namespace kiosk::script {

DetectorTable built_in_detectors() {
  DetectorTable table;
  return table;
}

}  // namespace kiosk::script
