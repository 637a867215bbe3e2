// The test and bench modes of ui/run_driver.h (the drive files' InputDriver
// has its own file).
#include <fmt/format.h>

#include <string>

#include "core/log.h"
#include "journey/autopilot.h"
#include "ui/input_driver.h"
#include "ui/png.h"
#include "ui/run_driver.h"

namespace kiosk::ui {
namespace {

// --frames N [--screenshot F]: N frames, then the last one as a PNG.
class FramesDriver final : public RunDriver {
 public:
  FramesDriver(int frames, std::filesystem::path png) : frames_(frames), png_(std::move(png)) {}
  Status after_frame(Window& window, FramePacer&, journey::Journey&, const staff::StaffDesk*,
                     Clock::time_point) override {
    if (++drawn_ < frames_) return Status::running;
    if (png_.empty()) return Status::done;
    if (!write_png(png_, window.read_back_buffer())) {
      log::get("ui")->error("cannot write screenshot path={}", png_.string());
      return Status::failed;
    }
    log::get("ui")->info("screenshot written path={}", png_.string());
    return Status::done;
  }

 private:
  int frames_, drawn_ = 0;
  std::filesystem::path png_;
};

// A live capture's moment by its plate time: pictured once there is something
// to show (a count, a ring part-way, the heel light), at 4 s and at 12 s.
std::string live_moment(const journey::Journey& journey) {
  const double t = journey.live() ? journey.live()->elapsed_s() : 0;
  return t >= 12 ? "-live-12s" : t >= 4 ? "-live-4s" : "-live";
}

// The name a gallery picture gets: the stage, the step's kind and script, the capture's phase.
std::string screen_name(const journey::Journey& journey) {
  std::string name(journey::to_string(journey.stage()));
  if (const auto* step = journey.step()) {
    name += "-" + std::string(script::to_string(step->kind));
    if (journey.script_info()) name += "-" + journey.script_info()->id;
    if (step->kind == script::StepKind::capture) switch (journey.capture_phase()) {
        case journey::CapturePhase::ready:
          break;
        case journey::CapturePhase::counting_in:
          name += "-321";
          break;
        case journey::CapturePhase::live:
          name += live_moment(journey);
          break;
        case journey::CapturePhase::ended:
          name += "-end";
          break;
      }
  }
  return name;
}

// Shared by gallery and walk: the simulated person and how a walk ends.
class PilotDriver : public RunDriver {
 public:
  explicit PilotDriver(script::AnswerBook answers) : pilot_(std::move(answers), "A-17") {}

 protected:
  // A screen has settled after two frames (layout done); the person acts then.
  bool settled() { return ++frames_ % 2 == 0; }
  Status stopped_at(const std::string& where) {
    log::get("ui")->error("gallery: stopped at {}: {}", where, pilot_.problem());
    return Status::failed;
  }
  journey::Autopilot pilot_;
  int screens_ = 0;

 private:
  int frames_ = 0;
};

// --gallery DIR: every screen once as a PNG, two frames per screen (layout settles).
class GalleryDriver final : public PilotDriver {
 public:
  GalleryDriver(std::filesystem::path dir, script::AnswerBook answers)
      : PilotDriver(std::move(answers)), dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
  }
  Status after_frame(Window& window, FramePacer&, journey::Journey& journey, const staff::StaffDesk*,
                     Clock::time_point) override {
    if (!settled()) return Status::running;
    const auto name = screen_name(journey);
    // While a capture runs the autopilot only waits: one picture per phase.
    const bool same_screen = pilot_.waited() && (name == last_ || name.ends_with("-live"));
    last_ = name;
    if (same_screen) {
      // Read the frame back anyway: it waits for the renderer, which otherwise
      // queues frames without bound where nothing paces present() (offscreen).
      (void)window.read_back_buffer();
      return pilot_.act(journey) ? Status::running : stopped_at(name);
    }
    const auto file = dir_ / fmt::format("{:02d}-{}.png", screens_++, name);
    if (!write_png(file, window.read_back_buffer())) {
      log::get("ui")->error("gallery: cannot write {}", file.string());
      return Status::failed;
    }
    journey.touch(Clock::now());
    if (journey.stage() == journey::Stage::attract) {
      if (screens_ > 1) return Status::done;  // back at the start: the walk is done
      journey.start();
      return Status::running;
    }
    if (!pilot_.act(journey)) return stopped_at(name);
    return screens_ < 200 ? Status::running : Status::done;
  }

 private:
  std::filesystem::path dir_;
  std::string last_;
};

// --walk: the person acts once a screen has settled, at the kiosk's own pacing; nothing saved.
class WalkDriver final : public PilotDriver {
 public:
  using PilotDriver::PilotDriver;
  bool continuous() const override { return false; }
  Status after_frame(Window&, FramePacer& pacer, journey::Journey& journey, const staff::StaffDesk*,
                     Clock::time_point) override {
    if (!settled()) return Status::running;
    const auto now = Clock::now();
    journey.touch(now);
    if (journey.stage() == journey::Stage::attract) {
      if (screens_++ > 0) return Status::done;  // back at the start: the walk is done
      journey.start();
    } else if (!pilot_.act(journey)) {
      return stopped_at(std::string(journey::to_string(journey.stage())));
    }
    if (!pilot_.waited()) pacer.on_input();  // a touch; a running capture draws at its own pace
    return Status::running;
  }
};

}  // namespace

std::unique_ptr<RunDriver> make_run_driver(const RunMode& mode) {
  if (!mode.drive_file.empty()) return std::make_unique<InputDriver>(mode.drive_file, mode.shots_dir);
  if (!mode.gallery_dir.empty()) return std::make_unique<GalleryDriver>(mode.gallery_dir, mode.answers);
  if (mode.walk) return std::make_unique<WalkDriver>(mode.answers);
  if (mode.frames > 0) return std::make_unique<FramesDriver>(mode.frames, mode.screenshot);
  return nullptr;
}

}  // namespace kiosk::ui
