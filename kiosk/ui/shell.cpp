#include "ui/shell.h"

#include <SDL.h>

#include <imgui.h>
#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/log.h"
#include "core/utc_time.h"
#include "journey/cues.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"
#include "ui/frame_stats.h"
#include "ui/illustration.h"
#include "ui/screens/attract.h"
#include "ui/screens/journey_screens.h"
#include "ui/screens/staff_screens.h"
#include "ui/theme.h"
#include "ui/touch_targets.h"

namespace kiosk::ui {
namespace {
// Input that means a person is at the screen (not window or device noise).
bool is_person(const SDL_Event& e) {
  switch (e.type) {
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
    case SDL_MOUSEMOTION:
    case SDL_MOUSEWHEEL:
    case SDL_FINGERDOWN:
    case SDL_FINGERUP:
    case SDL_FINGERMOTION:
    case SDL_KEYDOWN:
    case SDL_TEXTINPUT:
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

// Which patient screen is up: a new one is read aloud (kiosk.read_aloud) or silences the last.
std::string screen_key(const journey::Journey& j, const JourneyUiState& ui) {
  return fmt::format("{}/{}/{}/{}/{}{}{}", journey::to_string(j.stage()), j.steps_shown(),
                     static_cast<int>(j.capture_phase()), j.lang(), ui.entering_code, j.asking_still_there(),
                     j.confirming_cancel());
}

// After a patient screen is drawn: "Read to me" reads its words; a new screen
// is read at once when the clinic asks (kiosk.read_aloud), else silences the last.
void read_aloud(SoundPlayer* sound, const ScreenContext& ctx, const PatientAids& aids, const std::string& screen,
                std::string& last_screen) {
  const bool new_screen = screen != last_screen;
  last_screen = screen;
  if (!sound) return;
  if (aids.read_asked || (new_screen && ctx.config.read_aloud && !aids.words.empty()))
    sound->say(aids.words, ctx.language);
  else if (new_screen)
    sound->stop_speech();
}

}  // namespace

int Shell::run() {
  auto logger = log::get("ui");
  Window window(options_.window);
  FramePacer pacer;
  pacer.set_continuous(driver_ && driver_->continuous());  // scripted runs draw every frame
  bool driver_failed = false;

  Fonts fonts;
  float scale = 1.0f;
  int laid_out_w = 0, laid_out_h = 0;
  PatientAids aids;  // the patient's "Read to me" and large text, for their session
  bool laid_out_large = false;
  constexpr float kLargeText = 1.3f;  // the large-text toggle: every font 30 % bigger, the layout as it was
  auto relayout = [&] {
    laid_out_w = window.width();
    laid_out_h = window.height();
    scale = layout_scale(laid_out_w, laid_out_h);
    laid_out_large = aids.large_text;
    fonts = load_fonts(scale * (laid_out_large ? kLargeText : 1.0f), window.framebuffer_scale());
    apply_theme(scale, laid_out_h < 600, config_.high_contrast);
    window.rebuild_font_texture();
    logger->info("layout size={}x{} scale={:.2f} font={}", laid_out_w, laid_out_h, scale, fonts.file.string());
  };
  relayout();

  struct SilenceFirst {  // audio stops before the window's SDL_Quit
    std::unique_ptr<SoundPlayer>& p;
    ~SilenceFirst() { p.reset(); }
  } silence_first{sound_};
  Illustrations illustrations(media::illustration_dirs(options_.assets_dir, options_.script_dirs), window.renderer());
  FrameStats stats(options_.frame_stats);
  journey::CueTracker cues;  // which sound when, from the journey's clocks
  AttractScreen attract;
  JourneyUiState journey_ui;
  std::string read_screen;  // the screen last read aloud or silenced
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
    if (const double s = cues.seconds_to_next(journey_); s >= 0)
      wait_ms = std::min(wait_ms, static_cast<int>(s * 1000) + 1);
    if (SDL_WaitEventTimeout(&event, wait_ms)) {
      do {
        window.process_event(event);
        if (event.type == SDL_QUIT) running = false;
        const auto at = FramePacer::Clock::now();
        if (is_person(event)) {
          if (staff_ && staff_->is_open())
            staff_->touch(at);
          else
            journey_.touch(at);
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
      if (const float held = corner_.progress(now); held > 0)
        pacer.request_frame_at(now + std::chrono::milliseconds(100));
      staff_->tick(now);
      if (const auto reason = staff_->take_override()) {  // staff let a red-flagged patient go on
        journey_.override_red_flag(*reason, kiosk::to_iso_utc(kiosk::WallClock::now()));
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
    if (window.width() != laid_out_w || window.height() != laid_out_h || aids.large_text != laid_out_large) relayout();

    window.begin_frame();
    ScreenContext ctx{config_, text_, fonts, pacer, now, scale, config_.language, &illustrations, sound_.get()};
    aids.words.clear();
    aids.read_asked = false;
    if (staff_ && staff_->is_open()) {
      draw_staff(ctx, *staff_, staff_ui);
    } else if (journey_.stage() == journey::Stage::attract) {
      if (!read_screen.empty()) {  // the patient is gone (done, or wiped on idle): so are their aids and voice
        if (sound_) sound_->stop_speech();
        read_screen.clear();
        aids = {};
      }
      if (const float held = corner_.progress(now); held > 0) draw_hold_ring(ctx, held);
      if (attract.draw(ctx, !journey_.sessions_blocked().empty())) {
        journey_.touch(now);
        journey_.start();
      }
    } else {
      ctx.aids = &aids;
      draw_journey(ctx, journey_, journey_ui);
      read_aloud(sound_.get(), ctx, aids, screen_key(journey_, journey_ui), read_screen);
      if (std::exchange(journey_ui.staff_asked, false) && staff_) {
        const auto* flag = journey_.safety().open_flag();
        staff_->open_for_override(flag ? flag->raised_by + (flag->answer.empty() ? "" : " = " + flag->answer) : "?",
                                  now);
        pacer.on_input();
      }
    }
    window.end_frame();
    finish_targets_frame();
    pacer.on_rendered(now);
    if (++drawn == 1 && heartbeat_.ready) heartbeat_.ready();
    if (drawn == 1)
      sound_ = std::make_unique<SoundPlayer>(options_.assets_dir / "sounds",
                                             config_.volume);  // after the first frame: not on the cold start

    if (driver_) {
      const auto status = driver_->after_frame(window, pacer, journey_, staff_, FramePacer::Clock::now());
      if (status != RunDriver::Status::running) running = false;
      driver_failed = status == RunDriver::Status::failed;
    }
    window.present();
    stats.frame(journey_.live() ? "live" : journey::to_string(journey_.stage()), now, FramePacer::Clock::now());
  }
  if (heartbeat_.stopping) heartbeat_.stopping();
  return driver_failed ? 1 : 0;
}

void Shell::watch_corner(const SDL_Event& e, float corner_px, std::chrono::steady_clock::time_point now) {
  if (!staff_ || staff_->is_open() || journey_.stage() != journey::Stage::attract) {
    corner_.release();
    return;
  }
  if (e.type == SDL_MOUSEBUTTONDOWN)
    corner_.press(static_cast<float>(e.button.x), static_cast<float>(e.button.y), corner_px, now);
  else if (e.type == SDL_MOUSEMOTION && (e.motion.state & SDL_BUTTON_LMASK))
    corner_.move(static_cast<float>(e.motion.x), static_cast<float>(e.motion.y), corner_px);
  else if (e.type == SDL_MOUSEBUTTONUP)
    corner_.release();
}

}  // namespace kiosk::ui
