#include "script/capture.h"

#include <fmt/format.h>

namespace kiosk::script {

RecordingCaptureHost::RecordingCaptureHost(std::map<std::string, std::filesystem::path> recordings_by_side,
                                           DetectorTable detectors)
    : recordings_(std::move(recordings_by_side)), detectors_(std::move(detectors)) {}

std::optional<CaptureResult> RecordingCaptureHost::capture(const CaptureRequest& request) {
  auto rec = recordings_.find(request.side);
  if (rec == recordings_.end()) return std::nullopt;  // that side is entered by hand
  auto det = detectors_.find(request.detector);
  if (det == detectors_.end())
    throw CaptureError(fmt::format("recording {}={}: this build has no signal detector '{}' yet (kiosk/signal)",
                                   request.side, rec->second.string(), request.detector));
  return det->second(rec->second, request);
}

}  // namespace kiosk::script
