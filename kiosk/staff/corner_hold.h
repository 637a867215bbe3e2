// The hidden way into the staff screens: one finger held still on the
// top-left corner of the attract screen for a few seconds. Patients press
// buttons; nobody holds an empty corner by chance. Positions are window
// pixels; time is passed in. Thread: UI thread.
#pragma once
#include <chrono>
#include <optional>

namespace kiosk::staff {

class CornerHold {
 public:
  using Clock = std::chrono::steady_clock;
  explicit CornerHold(std::chrono::milliseconds hold = std::chrono::milliseconds(3000)) : hold_(hold) {}

  // `corner_px`: side of the square at the top-left that counts as the corner.
  void press(float x, float y, float corner_px, Clock::time_point now);
  void move(float x, float y, float corner_px);  // leaving the corner cancels the hold
  void release() { held_since_.reset(); }
  // True once, when a press has been held for the whole time.
  bool fired(Clock::time_point now);
  // 0..1 while a press is held in the corner (a faint ring shows it), else 0.
  float progress(Clock::time_point now) const;

 private:
  std::chrono::milliseconds hold_;
  std::optional<Clock::time_point> held_since_;
};

}  // namespace kiosk::staff
