// The capture analyzers of kiosk/signal (capture_analyzer.h lists the
// names and metrics) served over recording files, for headless runs.
#include <fmt/format.h>

#include "script/capture.h"
#include "signal/capture_analyzer.h"
#include "signal/cell_layout.h"
#include "signal/recording_io.h"

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

}  // namespace

CaptureResult to_capture_result(const signal::CaptureAnalysis& analysis) {
  CaptureResult out;
  out.metrics = analysis.metrics;
  for (const auto& e : analysis.events) out.events.push_back({std::string(e.kind), e.t_s});
  return out;
}

DetectorTable built_in_detectors() {
  DetectorTable table;
  for (const auto name : signal::capture_analyzer_names()) {
    table[std::string(name)] = [name](const std::filesystem::path& file, const CaptureRequest& request) {
      signal::CaptureSettings settings;
      if (request.seconds > 0) settings.cap_s = request.seconds;
      settings.bpm = request.bpm;
      try {
        return to_capture_result(signal::analyze_recording(name, load(file), settings));
      } catch (const signal::RecordingError& e) {
        throw CaptureError(e.what());
      }
    };
  }
  return table;
}

}  // namespace kiosk::script
