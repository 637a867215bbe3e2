// The kiosk's UI thread: owns the window, runs the event loop, draws the
// current screen. Frames are drawn only when the FramePacer says so.
#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

union SDL_Event;

#include "core/config.h"
#include "core/text_catalog.h"
#include "journey/journey.h"
#include "staff/corner_hold.h"
#include "staff/staff_desk.h"
#include "ui/frame_pacer.h"
#include "ui/run_driver.h"
#include "ui/sound.h"
#include "ui/window.h"

namespace kiosk::ui {

struct ShellOptions {
  WindowOptions window;
  std::filesystem::path assets_dir;                // sounds/ and illustrations/ (Paths::assets_dir)
  std::vector<std::filesystem::path> script_dirs;  // their illustrations/ folders too (Paths::script_dirs)
  std::filesystem::path frame_stats;               // one line per drawn frame (ui/frame_stats.h); empty: none
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
  // A test or bench mode (ui/run_driver.h) instead of a person; none: the kiosk.
  void set_driver(std::unique_ptr<RunDriver> driver) { driver_ = std::move(driver); }

  // Runs until the window is closed (or the driver is done). Returns the
  // process exit code: 1 when the driver failed. Throws NoDisplayError when there is no display.
  int run();
  // The kiosk's sounds from run()'s first frame to its end (staff screens set
  // the volume: sound()->set_volume(0..100)); null before and after.
  SoundPlayer* sound() { return sound_.get(); }

 private:
  // The hidden staff gesture, on the attract screen only (no patient under the staff screens).
  void watch_corner(const SDL_Event& event, float corner_px, std::chrono::steady_clock::time_point now);

  const Config& config_;
  const TextCatalog& text_;
  journey::Journey& journey_;
  ShellOptions options_;
  std::function<void()> every_second_;
  Heartbeat heartbeat_;
  staff::StaffDesk* staff_ = nullptr;
  staff::CornerHold corner_;
  std::unique_ptr<RunDriver> driver_;
  std::unique_ptr<SoundPlayer> sound_;
};

}  // namespace kiosk::ui
