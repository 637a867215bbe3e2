#include "ui/frame_pacer.h"

#include <algorithm>

namespace kiosk::ui {

int FramePacer::wait_timeout_ms(Clock::time_point now) const {
  if (should_render(now)) return 0;
  auto sleep = max_sleep_;
  if (next_) {
    auto until = std::chrono::ceil<std::chrono::milliseconds>(*next_ - now);
    sleep = std::min(sleep, std::max(until, std::chrono::milliseconds(1)));
  }
  return static_cast<int>(sleep.count());
}

}  // namespace kiosk::ui
