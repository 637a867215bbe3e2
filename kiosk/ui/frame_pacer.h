// Decides when the kiosk draws a frame and how long it may sleep. Drawing
// happens only on input, animation or live data; otherwise the UI thread
// blocks in SDL_WaitEventTimeout so an idle kiosk costs < 1 % of a core.
// Pure logic with an injected clock; thread: UI thread only.
#pragma once
#include <chrono>
#include <set>

namespace kiosk::ui {

class FramePacer {
 public:
  using Clock = std::chrono::steady_clock;

  // After any input ImGui needs a few frames to settle hover/click state.
  explicit FramePacer(int settle_frames = 3,
                      std::chrono::milliseconds max_sleep = std::chrono::milliseconds(1000))
      : settle_frames_(settle_frames), max_sleep_(max_sleep) {}

  void on_input() { pending_frames_ = settle_frames_; }
  // An animation or timer wants a frame at `t`. Every request is kept until
  // a frame is drawn at or after its time (one made while drawing a frame
  // that an earlier request woke is not lost with it).
  void request_frame_at(Clock::time_point t) { deadlines_.insert(t); }
  // Live capture: draw every frame (the display's vsync paces it).
  void set_continuous(bool on) { continuous_ = on; }

  bool should_render(Clock::time_point now) const {
    return continuous_ || pending_frames_ > 0 || (!deadlines_.empty() && now >= *deadlines_.begin());
  }
  void on_rendered(Clock::time_point now) {
    if (pending_frames_ > 0) --pending_frames_;
    deadlines_.erase(deadlines_.begin(), deadlines_.upper_bound(now));  // drawn: those are met
  }
  // Milliseconds to block waiting for the next event: 0 when a frame is due.
  int wait_timeout_ms(Clock::time_point now) const;

 private:
  int settle_frames_;
  std::chrono::milliseconds max_sleep_;
  int pending_frames_ = settle_frames_;  // draw the first frames at once
  bool continuous_ = false;
  std::set<Clock::time_point> deadlines_;  // a few: each frame's requests, until met
};

}  // namespace kiosk::ui
