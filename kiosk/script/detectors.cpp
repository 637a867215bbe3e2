// The signal detectors (kiosk/core/signal) under the names the bundled
// scripts use in capture steps, with the metrics those scripts read:
//   "single_leg_stance"  (single_leg_balance.lua): stance_s (to the touch-down
//       or the request's cap), path_mm, velocity_mm_s, area95_mm2,
//       ml_range_mm, ap_range_mm, ml_rms_mm, ap_rms_mm over the stance
//   "heel_raise_count"   (heel_raise.lua): reps, confidence
// Events keep the detectors' own names (body_weight, touchdown_off_plate,
// touchdown_on_plate, rise, test_end, ...).
// A knee-to-wall "heel_contact" detector does not exist yet: a recording
// offered to that capture is an input error naming it.
#include <fmt/format.h>

#include "core/signal/cell_layout.h"
#include "core/signal/recording_detectors.h"
#include "core/signal/recording_io.h"
#include "script/capture.h"

namespace kiosk::script {
namespace {

// Raw-cell files get the nominal layout, as in `kioskctl metrics`, until a
// plate calibration can be named.
signal::Recording load(const std::filesystem::path& file) {
  try {
    auto rec = signal::read_recording(file);
    if (!rec.has_load()) signal::apply_cell_layout(rec, signal::CellLayout{});
    return rec;
  } catch (const signal::RecordingError& e) {
    throw CaptureError(e.what());
  }
}

void add_events(CaptureResult& out, const std::vector<signal::DetectorEvent>& events) {
  for (const auto& e : events) out.events.push_back({std::string(e.kind), e.t_s});
}

}  // namespace

DetectorTable built_in_detectors() {
  DetectorTable table;
  table["single_leg_stance"] = [](const std::filesystem::path& file, const CaptureRequest& request) {
    const auto r = signal::single_leg_stance(load(file), request.seconds > 0 ? request.seconds : 45);
    CaptureResult out;
    out.metrics["stance_s"] = r.stance_s;
    out.metrics["confidence"] = r.confidence;
    if (r.sway) {
      out.metrics["path_mm"] = r.sway->path_mm;
      out.metrics["velocity_mm_s"] = r.sway->velocity_mm_s;
      out.metrics["area95_mm2"] = r.sway->area95_mm2;
      out.metrics["ml_range_mm"] = r.sway->range_x_mm;
      out.metrics["ap_range_mm"] = r.sway->range_y_mm;
      out.metrics["ml_rms_mm"] = r.sway->rms_x_mm;
      out.metrics["ap_rms_mm"] = r.sway->rms_y_mm;
    }
    add_events(out, r.events);
    return out;
  };
  table["heel_raise_count"] = [](const std::filesystem::path& file, const CaptureRequest& request) {
    signal::HeelRaiseConfig config;
    if (request.bpm > 0) config.raises_per_min = request.bpm / 2;  // up on one beat, down on the next
    const auto r = signal::count_heel_raises(load(file), config);
    CaptureResult out;
    out.metrics["reps"] = r.reps;
    out.metrics["confidence"] = r.confidence;
    add_events(out, r.events);
    return out;
  };
  return table;
}

}  // namespace kiosk::script
