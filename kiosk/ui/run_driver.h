// What drives a run of the shell other than a person at the screen: the
// test and bench modes. The production kiosk has none; with one, the shell's
// loop calls it after every drawn frame and stops when it says so.
//   --frames N [--screenshot F]   draw N frames (and keep the last as a PNG)
//   --gallery DIR --answers A     walk every screen, one PNG per screen
//   --walk --answers A            walk every screen at the kiosk's own pacing (bench/run)
//   --drive FILE [--shots DIR]    press through the screens as a drive file says (ui/input_driver.h)
// Thread: the UI thread.
#pragma once
#include <chrono>
#include <filesystem>
#include <memory>

#include "journey/journey.h"
#include "script/answers.h"
#include "staff/staff_desk.h"
#include "ui/frame_pacer.h"
#include "ui/window.h"

namespace kiosk::ui {

class RunDriver {
 public:
  using Clock = std::chrono::steady_clock;
  enum class Status { running, done, failed };
  virtual ~RunDriver() = default;
  // True: draw every frame, as a script goes; false: only on change, like the kiosk.
  virtual bool continuous() const { return true; }
  // After each frame is drawn and before it is shown: read it back, act like a person.
  virtual Status after_frame(Window& window, FramePacer& pacer, journey::Journey& journey, const staff::StaffDesk* desk,
                             Clock::time_point now) = 0;
};

// The kiosk's command line for a driven run; all empty: a normal run.
struct RunMode {
  int frames = 0;                     // > 0: draw exactly this many frames, then exit
  std::filesystem::path screenshot;   // with frames: PNG of the last frame
  std::filesystem::path gallery_dir;  // gallery: one PNG per screen here
  script::AnswerBook answers;         // gallery and walk: the person's answers (kioskctl session run format)
  bool walk = false;
  std::filesystem::path drive_file, shots_dir;
};

// The driver `mode` asks for; null for a normal run. Throws std::runtime_error
// ("file:line: problem") for a malformed drive file.
std::unique_ptr<RunDriver> make_run_driver(const RunMode& mode);

}  // namespace kiosk::ui
