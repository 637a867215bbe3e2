// The live capture views drawn by the real capture screen (ImGui, no
// renderer: every widget and word is laid out, nothing is rasterised) from
// the real journey on the simulated plate, calibrated the technician's way,
// with the demo person on the sim's virtual clock: each frame plays a slice
// of plate time, ticks the journey and draws. What a frame shows is read from
// its words (what "Read to me" reads: the count and the other live words are
// added there as they are drawn).
#include <fmt/format.h>
#include <imgui.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <sstream>

#include "../journey/sim_plate.h"
#include "core/config.h"
#include "core/text_catalog.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "script/answers.h"
#include "script/catalogue.h"
#include "ui/fonts.h"
#include "ui/frame_pacer.h"
#include "ui/screens/journey_screens.h"
#include "ui/theme.h"
#include "ui/widgets.h"

using namespace kiosk;
using journey::CapturePhase;
using journey::Journey;
using Clock = Journey::Clock;
using namespace std::chrono_literals;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

// ImGui with the kiosk's fonts and theme at 1280x800, no window: frames are laid out, not shown.
struct Screen {
  Config config;
  TextCatalog text = TextCatalog::load(kSource / "assets/strings");
  ui::FramePacer pacer;
  ui::Fonts fonts;
  float scale = ui::layout_scale(1280, 800);
  Screen() {
    ImGui::CreateContext();
    ImGui::GetIO().DisplaySize = {1280, 800};
    ImGui::GetIO().IniFilename = nullptr;
    fonts = ui::load_fonts(scale, 1);
    ui::apply_theme(scale);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  ~Screen() { ImGui::DestroyContext(); }
  // One frame of the journey's screen; its words, one drawn text a line.
  std::string draw(Journey& j, Clock::time_point now, const std::string& lang) {
    ImGui::GetIO().DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    ui::PatientAids aids;
    ui::ScreenContext ctx{config, text, fonts, pacer, now, scale, lang, nullptr, nullptr, &aids};
    ui::JourneyUiState state;
    ui::draw_journey(ctx, j, state);
    ImGui::Render();
    return aids.words;
  }
  std::string tr(const std::string& lang, std::string_view key) const { return std::string(text.get(lang, key)); }
};

std::vector<std::string> lines_of(const std::string& words) {
  std::vector<std::string> out;
  std::istringstream in(words);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// The number drawn before `suffix` on a line of its own ("7 heel raises"); -1 when none is drawn.
int number_before(const std::string& words, const std::string& suffix) {
  for (const auto& line : lines_of(words))
    if (line.size() > suffix.size() && line.ends_with(" " + suffix)) return std::stoi(line);
  return -1;
}

bool has_line(const std::string& words, const std::string& line) {
  const auto lines = lines_of(words);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// A patient on the calibrated sim plate who does only the test `id` (the others are skipped).
struct Visit {
  test::SimPlate sim;
  script::Catalogue catalogue{{kSource / "scripts"}};
  std::unique_ptr<Journey> j;
  Clock::time_point now = Clock::now();
  Screen screen;
  std::string lang;

  Visit(const std::string& id, const std::string& language) : lang(language) {
    test::calibrate_sim(sim.devices, sim.db);
    catalogue.scan();
    j = std::make_unique<Journey>(catalogue, sim.plates);
    journey::Autopilot pilot(script::AnswerBook::read(kSource / "tests/fixtures/answers/session_full.json"));
    j->touch(now);
    j->start();
    j->choose_language(lang);
    REQUIRE_FALSE(j->accept_welcome());
    for (int guard = 0; guard < 300 && !(j->step() && j->step()->kind == script::StepKind::capture); ++guard) {
      REQUIRE(j->stage() == journey::Stage::step);
      if (j->script_info()->kind == "test" && j->script_info()->id != id) {
        j->skip_test();
      } else if (j->step()->kind == script::StepKind::countdown) {
        now += std::chrono::milliseconds(static_cast<int>(j->step()->seconds * 1000) + 10);
        j->tick(now);
      } else {
        INFO(j->script_info()->id << "." << j->step()->id);
        REQUIRE(pilot.act(*j));
      }
    }
    REQUIRE(j->script_info()->id == id);
    j->start_capture();
    now += 3100ms;  // the 3-2-1
    j->tick(now);
    REQUIRE(j->capture_phase() == CapturePhase::live);
  }
  // One frame: `plate_s` of plate time (1/60 s of the journey's clock), a tick, a drawing; its words.
  std::string frame(double plate_s) {
    sim.play(plate_s);
    now += 16ms;
    j->touch(now);
    j->tick(now);
    return screen.draw(*j, now, lang);
  }
  std::string tr(std::string_view key) const { return screen.tr(lang, key); }
};

}  // namespace

TEST_CASE("live views: the heel-raise count shown is the detector's count at every frame, to the end",
          "[ui][plate][live]") {
  const std::string lang = GENERATE(as<std::string>{}, "en", "es");
  Visit v("heel_raise", lang);
  const auto raises = v.tr("live.raises");
  std::set<int> shown_counts;
  int last = 0, frames = 0, keep_to_beat = 0;
  std::string words;
  while (v.j->capture_phase() == CapturePhase::live && frames < 3000) {
    words = v.frame(0.05);
    ++frames;
    if (v.j->capture_phase() != CapturePhase::live) break;
    const auto progress = v.j->live()->progress();
    INFO("frame " << frames << " at " << v.j->live()->elapsed_s() << " s: " << words);
    const int shown = number_before(words, raises);
    REQUIRE(shown == progress.reps);
    CHECK(shown >= last);
    last = shown;
    shown_counts.insert(shown);
    const bool asked = words.find(v.tr("live.keep_to_beat")) != std::string::npos;
    CHECK(asked == (progress.missed_beats > 0));
    keep_to_beat += asked;
  }
  REQUIRE(v.j->capture_phase() == CapturePhase::ended);  // the demo person's heel stopped clearing
  CHECK(shown_counts.size() >= 15);                      // it grew in front of them, not only at the end
  CHECK(shown_counts.count(0) == 1);
  // The end is shown (and held) with the count and why.
  const auto end = v.j->live()->progress();
  CHECK(end.end_reason == "two_small_rises");
  words = v.frame(0);
  CHECK(has_line(words, ui::fill(v.tr("live.raises_done"), "n", std::to_string(end.reps))));
  CHECK(has_line(words, v.tr("live.end_two_small_rises")));
  CHECK(v.j->capture_phase() == CapturePhase::ended);
  CHECK(end.reps == 22);  // the demo person's 22 raises
  // After the hold the step is answered with the same analysis: the next question is up.
  for (int i = 0; i < 400 && v.j->capture_phase() == CapturePhase::ended; ++i) v.frame(0);
  CHECK(v.j->step()->kind != script::StepKind::capture);
  (void)keep_to_beat;
}

TEST_CASE("live views: the balance ring shows the stance so far against the script's cap, and the touch-down holds",
          "[ui][plate][live]") {
  const std::string lang = GENERATE(as<std::string>{}, "en", "es");
  Visit v("single_leg_balance", lang);
  const double cap_s = v.j->step()->seconds;  // the script's, from norms.lua
  REQUIRE(cap_s > 0);
  const auto of_cap = ui::fill(v.tr("live.seconds_of"), "cap", fmt::format("{:.0f}", cap_s));
  std::set<int> shown_seconds;
  std::string words;
  for (int frames = 0; v.j->capture_phase() == CapturePhase::live && frames < 3000; ++frames) {
    words = v.frame(0.05);
    if (v.j->capture_phase() != CapturePhase::live) break;
    INFO(words);
    const int shown = number_before(words, of_cap);
    REQUIRE(shown == static_cast<int>(std::floor(v.j->live()->progress().stance_s)));
    shown_seconds.insert(shown);
  }
  REQUIRE(v.j->capture_phase() == CapturePhase::ended);
  CHECK(shown_seconds.size() >= 20);  // second by second towards the cap
  CHECK(v.j->live()->progress().end_reason == "touchdown");
  // "Well done: 21 seconds" (the demo person touches down at 21.5 s), held for a moment, then the script goes on.
  const auto well_done = ui::fill(v.tr("live.well_done"), "n", "21");
  int held_frames = 0;
  for (; v.j->capture_phase() == CapturePhase::ended && held_frames < 1000; ++held_frames) {
    INFO(words);
    CHECK(has_line(words, well_done));
    words = v.frame(0);
  }
  const double held_s = held_frames * 0.016;
  CHECK(held_s >= 2.4);  // JourneySettings::capture_end_hold, 2.5 s
  CHECK(held_s <= 2.6);
  CHECK(v.j->capture_phase() != CapturePhase::ended);
}

TEST_CASE("live views: the knee-to-wall heel light is red exactly while the detector has the heel up",
          "[ui][plate][live]") {
  Visit v("knee_to_wall", "en");
  const auto wait = v.tr("live.heel_wait"), down = v.tr("live.heel_down"), up = v.tr("live.heel_up");
  std::set<std::string> seen;
  for (int frames = 0; v.j->live() && v.j->live()->elapsed_s() < 12 && frames < 1000; ++frames) {
    const auto words = v.frame(0.05);
    const auto p = v.j->live()->progress();
    INFO("at " << v.j->live()->elapsed_s() << " s: " << words);
    const auto& expected = !p.heel_down_known ? wait : p.heel_up ? up : down;
    REQUIRE(has_line(words, expected));
    seen.insert(expected);
  }
  CHECK(seen.count(wait) == 1);  // it first learns where the heel is
  CHECK(seen.count(down) == 1);
  CHECK(seen.count(up) == 1);  // the demo person's heel lifts at 9 s
  CHECK(v.j->live()->progress().heel_lifts == 1);
}
