#include "staff/corner_hold.h"

#include <algorithm>

namespace kiosk::staff {
namespace {
bool in_corner(float x, float y, float corner_px) { return x >= 0 && y >= 0 && x < corner_px && y < corner_px; }
}  // namespace

void CornerHold::press(float x, float y, float corner_px, Clock::time_point now) {
  if (in_corner(x, y, corner_px))
    held_since_ = now;
  else
    held_since_.reset();
}

void CornerHold::move(float x, float y, float corner_px) {
  if (!in_corner(x, y, corner_px)) held_since_.reset();
}

bool CornerHold::fired(Clock::time_point now) {
  if (!held_since_ || now - *held_since_ < hold_) return false;
  held_since_.reset();  // once per press
  return true;
}

float CornerHold::progress(Clock::time_point now) const {
  if (!held_since_) return 0;
  const auto held = std::chrono::duration<float>(now - *held_since_).count();
  return std::clamp(held / std::chrono::duration<float>(hold_).count(), 0.0f, 1.0f);
}

}  // namespace kiosk::staff
