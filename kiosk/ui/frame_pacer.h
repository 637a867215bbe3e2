// Decides when the kiosk draws a frame and how long it may sleep. Drawing
// happens only on input, animation or live data; otherwise the UI thread
// blocks in SDL_WaitEventTimeout so an idle kiosk costs < 1 % of a core.
// Pure logic with an injected clock; thread: UI thread only.
#pragma once
#include <chrono>
#include <optional>

namespace kiosk::ui {

class FramePacer {
 public:
  using Clock = std::chrono::steady_clock;

  // After any input ImGui needs a few frames to settle hover/click state.
  explicit FramePacer(int settle_frames = 3, std::chrono::milliseconds max_sleep = std::chrono::milliseconds(1000))
      : settle_frames_(settle_frames), max_sleep_(max_sleep) {}

  void on_input() { pending_frames_ = settle_frames_; }
  // An animation or timer wants a frame at `t`. The earliest request wins;
  // the earliest of the others since the last frame waits behind it, so a
  // request made while drawing the frame an earlier one woke is not lost.
  // Screens ask again each frame they draw: two slots are enough.
  void request_frame_at(Clock::time_point t) {
    if (next_ && t >= *next_) {
      if (!later_ || t < *later_) later_ = t;
      return;
    }
    if (next_ && (!later_ || *next_ < *later_)) later_ = next_;
    next_ = t;
  }
  // Live capture: draw every frame (the display's vsync paces it).
  void set_continuous(bool on) { continuous_ = on; }

  bool should_render(Clock::time_point now) const {
    return continuous_ || pending_frames_ > 0 || (next_ && now >= *next_);
  }
  void on_rendered(Clock::time_point now) {
    if (pending_frames_ > 0) --pending_frames_;
    if (!next_ || now < *next_) return;
    next_ = later_ && now < *later_ ? later_ : std::nullopt;  // drawn: what was due is met
    later_.reset();
  }
  // Milliseconds to block waiting for the next event: 0 when a frame is due.
  int wait_timeout_ms(Clock::time_point now) const;

 private:
  int settle_frames_;
  std::chrono::milliseconds max_sleep_;
  int pending_frames_ = settle_frames_;  // draw the first frames at once
  bool continuous_ = false;
  std::optional<Clock::time_point> next_, later_;  // earliest request; earliest other since the last frame
};

}  // namespace kiosk::ui
