#include "ui/frame_stats.h"

#include <fmt/format.h>

#include "core/log.h"

namespace kiosk::ui {

FrameStats::FrameStats(const std::filesystem::path& file) {
  if (file.empty()) return;
  out_.open(file);
  if (!out_) log::get("ui")->error("cannot write frame stats path={}", file.string());
  out_ << "what\twork_ms\tinterval_ms\n";
}

void FrameStats::frame(std::string_view what, FramePacer::Clock::time_point began,
                       FramePacer::Clock::time_point drawn) {
  if (!out_.is_open()) return;
  using Ms = std::chrono::duration<double, std::milli>;
  const double interval = last_ ? Ms(began - *last_).count() : 0.0;
  last_ = began;
  out_ << fmt::format("{}\t{:.3f}\t{:.3f}\n", what, Ms(drawn - began).count(), interval);
}

}  // namespace kiosk::ui
