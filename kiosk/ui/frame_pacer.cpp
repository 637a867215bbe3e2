#include "ui/frame_pacer.h"

#include <algorithm>

namespace kiosk::ui {

int FramePacer::wait_timeout_ms(Clock::time_point now) const {
  if (should_render(now)) return 0;
  auto sleep = max_sleep_;
  if (!deadlines_.empty()) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(*deadlines_.begin() - now);
    sleep = std::min(sleep, std::max(until, std::chrono::milliseconds(1)));
  }
  return static_cast<int>(sleep.count());
}

}  // namespace kiosk::ui
