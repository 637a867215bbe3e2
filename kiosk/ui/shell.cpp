#include "ui/shell.h"

#include <SDL.h>

#include <algorithm>
#include <utility>
#include <imgui.h>

#include <fmt/format.h>

#include "core/log.h"
#include "core/storage/utc_time.h"
#include "ui/input_driver.h"
#include "journey/cues.h"
#include "ui/png.h"
#include "ui/touch_targets.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"
#include "ui/frame_stats.h"
#include "ui/illustration.h"
#include "ui/screens/attract.h"
#include "ui/screens/journey_screens.h"
#include "ui/screens/staff_screens.h"
#include "ui/theme.h"

namespace kiosk::ui {
namespace {
// Input that means a person is at the screen (not window or device noise).
bool is_person(const SDL_Event& e) {
  switch (e.type) {
    case SDL_MOUSEBUTTONDOWN: case SDL_MOUSEBUTTONUP: case SDL_MOUSEMOTION: case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN: case SDL_FINGERUP: case SDL_FINGERMOTION: case SDL_KEYDOWN: case SDL_TEXTINPUT:
      return true;
    default:
      return false;
  }
}
// A faint arc in the corner while the staff gesture is held: staff know it
// is coming, a patient who leans on the corner sees almost nothing.
void draw_hold_ring(const ScreenContext& ctx, float progress) {
  const float r = 40 * ctx.scale;
  const ImVec2 centre{60 * ctx.scale, 60 * ctx.scale};
  constexpr float kTop = -1.5707964f, kTurn = 6.2831855f;
  ImGui::GetForegroundDrawList()->PathArcTo(centre, r, kTop, kTop + kTurn * progress, 48);
  ImGui::GetForegroundDrawList()->PathStroke(to_u32(palette::kMuted), 0, 4 * ctx.scale);
}

}  // namespace

int Shell::run() {
  auto logger = log::get("ui");
  Window window(options_.window);
  FramePacer pacer;
  const bool gallery = !options_.gallery_dir.empty();
  std::unique_ptr<InputDriver> driver;
  if (!options_.drive_file.empty()) driver = std::make_unique<InputDriver>(options_.drive_file, options_.shots_dir);
  pacer.set_continuous(options_.frames > 0 || gallery || driver);  // scripted runs draw every frame
  const bool walk = options_.walk && !gallery;
  if (gallery || walk) pilot_ = std::make_unique<journey::Autopilot>(options_.gallery_answers, "A-17");
  if (gallery) std::filesystem::create_directories(options_.gallery_dir);

  Fonts fonts;
  float scale = 1.0f;
  int laid_out_w = 0, laid_out_h = 0;
  auto relayout = [&] {
    laid_out_w = window.width();
    laid_out_h = window.height();
    scale = layout_scale(laid_out_w, laid_out_h);
    fonts = load_fonts(scale, window.framebuffer_scale());
    apply_theme(scale, laid_out_h < 600);
    window.rebuild_font_texture();
    logger->info("layout size={}x{} scale={:.2f} font={}", laid_out_w, laid_out_h, scale,
                 fonts.file.string());
  };
  relayout();

  struct SilenceFirst {  // audio stops before the window's SDL_Quit
    std::unique_ptr<SoundPlayer>& p;
    ~SilenceFirst() { p.reset(); }
  } silence_first{sound_};
  Illustrations illustrations(options_.assets_dir / "illustrations", window.renderer());
  FrameStats stats(options_.frame_stats);
  journey::CueTracker cues;  // which sound when, from the journey's clocks
  AttractScreen attract;
  JourneyUiState journey_ui;
  StaffUiState staff_ui;
  int drawn = 0;
  bool running = true;
  auto next_second = FramePacer::Clock::now();
  while (running) {
    auto now = FramePacer::Clock::now();
    SDL_Event event;
    if (heartbeat_.kick) heartbeat_.kick();
    int wait_ms = pacer.wait_timeout_ms(now);
    if (heartbeat_.max_wait_ms) wait_ms = std::min(wait_ms, heartbeat_.max_wait_ms());
    if (const double s = cues.seconds_to_next(journey_); s >= 0) wait_ms = std::min(wait_ms, static_cast<int>(s * 1000) + 1);
    if (SDL_WaitEventTimeout(&event, wait_ms)) {
      do {
        window.process_event(event);
        if (event.type == SDL_QUIT) running = false;
        const auto at = FramePacer::Clock::now();
        if (is_person(event)) {
          if (staff_ && staff_->is_open()) staff_->touch(at);
          else journey_.touch(at);
        }
        watch_corner(event, 120 * scale, at);
        pacer.on_input();
      } while (SDL_PollEvent(&event));
    }
    now = FramePacer::Clock::now();
    journey_.tick(now);  // timers, idle timeout and live plate data, drawn or not
    if (staff_) {
      if (!staff_->is_open() && corner_.fired(now)) {
        staff_->open_pin_pad(now);
        pacer.on_input();
      }
      if (const float held = corner_.progress(now); held > 0) pacer.request_frame_at(now + std::chrono::milliseconds(100));
      staff_->tick(now);
      if (const auto reason = staff_->take_override()) {  // staff let a red-flagged patient go on
        journey_.override_red_flag(*reason, storage::to_iso_utc(storage::Clock::now()));
        journey_.touch(now);
        pacer.on_input();
      }
    }
    for (const auto& cue : cues.update(journey_))
      if (sound_) sound_->play(cue);
    if (now >= next_second) {
      next_second = now + std::chrono::seconds(1);
      if (every_second_) every_second_();
    }
    // Mid-session the idle countdown must be seen moving even without input.
    if (journey_.stage() != journey::Stage::attract) pacer.request_frame_at(now + std::chrono::seconds(1));
    if (!running || !pacer.should_render(now)) continue;
    if (window.width() != laid_out_w || window.height() != laid_out_h) relayout();

    window.begin_frame();
    ScreenContext ctx{config_, text_, fonts, pacer, now, scale, config_.language, &illustrations, sound_.get()};
    if (staff_ && staff_->is_open()) {
      draw_staff(ctx, *staff_, staff_ui);
    } else if (journey_.stage() == journey::Stage::attract) {
      if (const float held = corner_.progress(now); held > 0) draw_hold_ring(ctx, held);
      if (attract.draw(ctx, !journey_.sessions_blocked().empty())) {
        journey_.touch(now);
        journey_.start();
      }
    } else {
      draw_journey(ctx, journey_, journey_ui);
      if (std::exchange(journey_ui.staff_asked, false) && staff_) {
        const auto* flag = journey_.safety().open_flag();
        staff_->open_for_override(flag ? flag->raised_by + (flag->answer.empty() ? "" : " = " + flag->answer) : "?", now);
        pacer.on_input();
      }
    }
    window.end_frame();
    finish_targets_frame();
    pacer.on_rendered(now);
    if (++drawn == 1 && heartbeat_.ready) heartbeat_.ready();
    if (drawn == 1) sound_ = std::make_unique<SoundPlayer>(options_.assets_dir / "sounds", config_.volume);  // after the first frame: not on the cold start

    if (gallery && drawn % 2 == 0 && !gallery_step(window)) running = false;  // 2 frames per screen: layout settles
    if (walk && drawn % 2 == 0 && !walk_step(pacer)) running = false;
    if (driver) {
      window.finish_drawing();
      const auto status = driver->after_frame(window, journey_, staff_, FramePacer::Clock::now());
      if (status != InputDriver::Status::running) running = false;
      if (status == InputDriver::Status::failed) walk_failed_ = true;
    }
    if (options_.frames > 0 && drawn >= options_.frames) {
      if (!options_.screenshot.empty()) {
        if (!write_png(options_.screenshot, window.read_back_buffer())) {
          logger->error("cannot write screenshot path={}", options_.screenshot.string());
          return 1;
        }
        logger->info("screenshot written path={}", options_.screenshot.string());
      }
      running = false;
    }
    window.present();
    stats.frame(journey_.live() ? "live" : journey::to_string(journey_.stage()), now, FramePacer::Clock::now());
  }
  if (heartbeat_.stopping) heartbeat_.stopping();
  return walk_failed_ ? 1 : 0;
}

void Shell::watch_corner(const SDL_Event& e, float corner_px, std::chrono::steady_clock::time_point now) {
  if (!staff_ || staff_->is_open() || journey_.stage() != journey::Stage::attract) {
    corner_.release();
    return;
  }
  if (e.type == SDL_MOUSEBUTTONDOWN) corner_.press(static_cast<float>(e.button.x), static_cast<float>(e.button.y), corner_px, now);
  else if (e.type == SDL_MOUSEMOTION && (e.motion.state & SDL_BUTTON_LMASK)) corner_.move(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y), corner_px);
  else if (e.type == SDL_MOUSEBUTTONUP) corner_.release();
}

bool Shell::gallery_step(Window& window) {
  std::string name = std::string(journey::to_string(journey_.stage()));
  if (const auto* step = journey_.step()) {
    name += "-" + std::string(script::to_string(step->kind));
    if (journey_.script_info()) name = name + "-" + journey_.script_info()->id;
    if (step->kind == script::StepKind::capture)
      name += journey_.capture_phase() == journey::CapturePhase::live ? "-live" : journey_.capture_phase() == journey::CapturePhase::counting_in ? "-321" : "";
  }
  // While a capture runs the autopilot only waits: one picture per phase.
  const bool same_screen = pilot_->waited() && name == last_shot_;
  last_shot_ = name;
  if (same_screen) {
    // Read the frame back anyway: it waits for the renderer, which otherwise
    // queues frames without bound where nothing paces present() (offscreen).
    (void)window.read_back_buffer();
    return pilot_->act(journey_) || fail_gallery(name);
  }
  const auto file = options_.gallery_dir / fmt::format("{:02d}-{}.png", shots_++, name);
  if (!write_png(file, window.read_back_buffer())) {
    log::get("ui")->error("gallery: cannot write {}", file.string());
    walk_failed_ = true;
    return false;
  }
  if (journey_.stage() == journey::Stage::attract) {
    if (shots_ > 1) return false;  // back at the start: the walk is done
    journey_.touch(FramePacer::Clock::now());
    journey_.start();
    return true;
  }
  journey_.touch(FramePacer::Clock::now());
  if (!pilot_->act(journey_)) return fail_gallery(name);
  return shots_ < 200;
}

bool Shell::walk_step(FramePacer& pacer) {
  const auto now = FramePacer::Clock::now();
  journey_.touch(now);
  if (journey_.stage() == journey::Stage::attract) {
    if (shots_++ > 0) return false;  // back at the start: the walk is done
    journey_.start();
  } else if (!pilot_->act(journey_)) {
    return fail_gallery(std::string(journey::to_string(journey_.stage())));
  }
  if (!pilot_->waited()) pacer.on_input();  // a touch; a running capture draws at its own pace
  return true;
}

bool Shell::fail_gallery(const std::string& where) {
  log::get("ui")->error("gallery: stopped at {}: {}", where, pilot_->problem());
  walk_failed_ = true;
  return false;
}

}  // namespace kiosk::ui
