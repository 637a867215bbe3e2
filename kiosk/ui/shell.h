// The kiosk's UI thread: owns the window, runs the event loop, draws the
// current screen. Frames are drawn only when the FramePacer says so.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>

union SDL_Event;

#include "core/config.h"
#include "core/text_catalog.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "staff/corner_hold.h"
#include "staff/staff_desk.h"
#include "ui/frame_pacer.h"
#include "ui/sound.h"
#include "ui/window.h"

namespace kiosk::ui {

struct ShellOptions {
  WindowOptions window;
  std::filesystem::path screenshot;  // with frames > 0: PNG of the last frame
  int frames = 0;                    // > 0: draw exactly this many frames, then exit
  // Gallery: walk the journey with these answers (Autopilot), one PNG per
  // screen into gallery_dir, then exit. For the README and the UI tests.
  std::filesystem::path gallery_dir;
  nlohmann::json gallery_answers;
  // Input-driven run: a drive file (ui/input_driver.h) pressed through injected
  // input; its `shot` pictures go to shots_dir. Exits 0 when it all held, else 1.
  std::filesystem::path drive_file, shots_dir;
  std::filesystem::path assets_dir;  // sounds/ and illustrations/ (Paths::assets_dir)
  std::filesystem::path frame_stats;  // one line per drawn frame (ui/frame_stats.h); empty: none
  // Walk: act like the person with gallery_answers at the kiosk's own frame
  // pacing (not every frame), save nothing, exit at the end. For bench/run.
  bool walk = false;
};

class Shell {
 public:
  // The shell draws `journey` and feeds it input and time; `every_second`
  // runs housekeeping (script folder watch) about once a second.
  Shell(const Config& config, const TextCatalog& text, journey::Journey& journey, ShellOptions options)
      : config_(config), text_(text), journey_(journey), options_(std::move(options)) {}
  void on_every_second(std::function<void()> f) { every_second_ = std::move(f); }
  // A supervisor's heartbeat (systemd's watchdog): told when the first frame
  // is up, kicked every turn of the loop, never slept past, told at exit.
  struct Heartbeat {
    std::function<void()> ready, kick, stopping;
    std::function<int()> max_wait_ms;
  };
  void set_heartbeat(Heartbeat h) { heartbeat_ = std::move(h); }
  // The staff screens, opened by holding the attract screen's top-left corner; none: no way in.
  void set_staff(staff::StaffDesk* desk) { staff_ = desk; }

  // Runs until the window is closed (or `frames` are drawn). Returns the
  // process exit code. Throws NoDisplayError when there is no display.
  int run();
  // The kiosk's sounds from run()'s first frame to its end (staff screens set
  // the volume: sound()->set_volume(0..100)); null before and after.
  SoundPlayer* sound() { return sound_.get(); }

 private:
  // Gallery mode: after a frame, save it and act like the person would. False when done.
  bool gallery_step(Window& window);
  bool fail_gallery(const std::string& where);
  // The hidden staff gesture, on the attract screen only (no patient under the staff screens).
  void watch_corner(const SDL_Event& event, float corner_px, std::chrono::steady_clock::time_point now);
  // Walk mode: the person acts after a screen settled. False when done.
  bool walk_step(FramePacer& pacer);

  const Config& config_;
  const TextCatalog& text_;
  journey::Journey& journey_;
  ShellOptions options_;
  std::function<void()> every_second_;
  Heartbeat heartbeat_;
  staff::StaffDesk* staff_ = nullptr;
  staff::CornerHold corner_;
  std::unique_ptr<journey::Autopilot> pilot_;  // gallery mode only
  std::unique_ptr<SoundPlayer> sound_;
  int shots_ = 0;
  bool walk_failed_ = false;
  std::string last_shot_;
};

}  // namespace kiosk::ui
