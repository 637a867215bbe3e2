// `kiosk --frame-stats FILE`: one line per drawn frame, for bench/run's
// frame-time rows. Format (version 1), tab-separated, after a header line:
//   what  work_ms  interval_ms
// what: "live" while a capture runs, else the journey's stage; work_ms: the
// turn of the loop that drew it, from waking to presenting (journey tick,
// screens, rendering, present; with vsync that includes its wait, in a
// gallery the read-back); interval_ms: since the last frame began (0 for
// the first). Nothing is written when no file is given.
// Thread: UI thread.
#pragma once
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>

#include "ui/frame_pacer.h"

namespace kiosk::ui {

class FrameStats {
 public:
  explicit FrameStats(const std::filesystem::path& file);
  void frame(std::string_view what, FramePacer::Clock::time_point began, FramePacer::Clock::time_point drawn);

 private:
  std::ofstream out_;
  std::optional<FramePacer::Clock::time_point> last_;
};

}  // namespace kiosk::ui
