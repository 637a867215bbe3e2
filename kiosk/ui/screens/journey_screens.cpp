#include "ui/screens/journey_screens.h"

#include <fmt/format.h>
#include <imgui.h>

#include <cmath>

#include "core/log.h"
#include "core/text_catalog.h"
#include "ui/theme.h"

namespace kiosk::ui {
namespace {
using journey::Stage;

void draw_language(ScreenContext& ctx, journey::Journey& j) {
  begin_page("language");
  if (top_bar(ctx, true, false).back) j.back();
  vertical_space(ctx, 60);
  title_text(ctx, ctx.text.get("en", "language.title"));
  body_text(ctx, ctx.text.get("es", "language.title"), true);
  vertical_space(ctx, 60);
  for (const auto lang : supported_languages()) {
    if (big_button(ctx, ctx.text.get(lang, "language.name"), lang, 0.5f)) j.choose_language(std::string(lang));
    vertical_space(ctx, 12);
  }
  end_page();
}

void draw_welcome(ScreenContext& ctx, journey::Journey& j, JourneyUiState& ui) {
  begin_page("welcome");
  const auto bar = top_bar(ctx, true, true);
  if (bar.cancel) j.cancel();
  if (bar.back) {
    if (ui.entering_code)
      ui.entering_code = false;
    else
      j.back();
  }
  vertical_space(ctx, 20);
  if (ui.entering_code) {
    const bool entered = headed_number_pad(ctx, ui.number, false, true, [&] {
                           title_text(ctx, ctx.tr("welcome.code_title"));
                         }).has_value();
    if (entered) {
      if (j.accept_welcome(ui.number.digits)) ui.problem = "visit_code";
      ui.entering_code = false;
      ui.number = {};
    }
  } else {
    title_text(ctx, ctx.tr("welcome.title"));
    vertical_space(ctx, 20);
    body_text(ctx, ctx.tr("welcome.not_diagnosis"));
    vertical_space(ctx, 12);
    const auto kept = ctx.config.records == RecordsMode::none
                          ? std::string(ctx.tr("welcome.kept_nothing"))
                          : fill(ctx.tr("welcome.kept"), "days", std::to_string(ctx.config.retention_days));
    body_text(ctx, kept);
    vertical_space(ctx, 40);
    // The visit code is the only identity a session can hold: offered only when the clinic
    // sends it on (fhir.visit_code_as, off by default).
    const bool offer_code = j.offers_visit_code();
    if (!offer_code) {
      if (big_button(ctx, ctx.tr("welcome.start"), "go")) j.accept_welcome();
    } else if (ImGui::GetMainViewport()->Size.y < 640) {  // a short screen: both answers on one line
      const auto pressed =
          button_row(ctx, {std::string(ctx.tr("welcome.start")), std::string(ctx.tr("welcome.have_code"))}, "welcome",
                     {"go", "code"});
      if (pressed == 0u) j.accept_welcome();
      if (pressed == 1u) ui.entering_code = true;
    } else {
      if (big_button(ctx, ctx.tr("welcome.start"), "go")) j.accept_welcome();
      vertical_space(ctx, 12);
      ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
      if (big_button(ctx, ctx.tr("welcome.have_code"), "code", 0.45f)) ui.entering_code = true;
      ImGui::PopStyleColor();
    }
  }
  end_page();
}

// The sheet's exercises as a preview: "Calf stretch — 3 × 30 s, twice a day".
// In a scrolling box that leaves room for the Finish button below it.
void draw_handout_preview(ScreenContext& ctx, const handout::PlanPreview* plan) {
  if (!plan || plan->lines.empty()) return;
  vertical_space(ctx, 20);
  ImGui::PushFont(ctx.fonts.title);
  const float button_h = ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().ItemSpacing.y;
  ImGui::PopFont();
  const float height = ImGui::GetContentRegionAvail().y - button_h - 20 * ctx.scale;
  if (height < 60 * ctx.scale) return;  // no room: the sheet itself says it all
  ImGui::BeginChild("preview", {0, height}, false);
  body_text(ctx, fill(ctx.tr("closing.your_exercises"), "minutes",
                      std::to_string(static_cast<int>(plan->total_minutes))));  // whole minutes, as before
  vertical_space(ctx, 10);
  for (const auto& line : plan->lines) body_text(ctx, line, true);
  ImGui::EndChild();
}

// staff_button: a quiet "For staff" below Done (the red-flag override); true when pressed.
bool draw_closing(ScreenContext& ctx, journey::Journey& j, std::string_view title, std::string_view body, bool back,
                  const handout::PlanPreview* plan = nullptr, bool staff_button = false) {
  begin_page("closing");
  if (top_bar(ctx, back, false).back) j.back();
  vertical_space(ctx, !plan ? (ImGui::GetMainViewport()->Size.y < 640 ? 30 : 120) : 40);
  title_text(ctx, title);
  vertical_space(ctx, 30);
  body_text(ctx, body);
  draw_handout_preview(ctx, plan);
  vertical_space(ctx, !plan ? 40 : 20);
  if (big_button(ctx, ctx.tr("closing.done"), "done")) j.next();
  bool staff = false;
  if (staff_button) {
    vertical_space(ctx, 12);
    ImGui::PushStyleColor(ImGuiCol_Button, to_vec4(palette::kMuted));
    staff = big_button(ctx, ctx.tr("speak.staff"), "staff_override", 0.3f);
    ImGui::PopStyleColor();
  }
  end_page();
  return staff;
}

// A modal card over the page, with two answers.
std::optional<bool> overlay(ScreenContext& ctx, std::string_view title, std::string_view body, std::string_view yes,
                            std::string_view no) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::GetForegroundDrawList()->AddRectFilled(vp->Pos, {vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y},
                                                IM_COL32(0, 0, 0, 120));
  const ImVec2 size{std::min(vp->Size.x * 0.9f, 1200 * ctx.scale), std::min(vp->Size.y * 0.8f, 640 * ctx.scale)};
  ImGui::SetNextWindowPos({vp->Pos.x + (vp->Size.x - size.x) * 0.5f, vp->Pos.y + (vp->Size.y - size.y) * 0.5f});
  ImGui::SetNextWindowSize(size);
  ImGui::SetNextWindowFocus();
  ImGui::Begin("overlay", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
  ImGui::GetWindowDrawList()->AddRect(ImGui::GetWindowPos(),
                                      {ImGui::GetWindowPos().x + size.x, ImGui::GetWindowPos().y + size.y},
                                      to_u32(palette::kPrimary), 0, 0, 6 * ctx.scale);
  vertical_space(ctx, 20);
  title_text(ctx, title);
  vertical_space(ctx, 10);
  body_text(ctx, body);
  vertical_space(ctx, 30);
  std::optional<bool> answer;
  if (const auto pressed = button_row(ctx, {std::string(yes), std::string(no)}, "overlay")) answer = *pressed == 0;
  ImGui::End();
  return answer;
}

}  // namespace

void draw_journey(ScreenContext& ctx, journey::Journey& j, JourneyUiState& ui) {
  ctx.language = j.lang();
  switch (j.stage()) {
    case Stage::attract:
      break;  // the shell draws the attract screen
    case Stage::language:
      draw_language(ctx, j);
      break;
    case Stage::welcome:
      draw_welcome(ctx, j, ui);
      break;
    case Stage::step:
      draw_step(ctx, j, ui);
      break;
    case Stage::results:
      draw_results(ctx, j);
      break;
    case Stage::speak_to_team: {
      // No Back: a red flag sticks. Staff may override it behind the PIN.
      const bool flagged = j.safety().state() == safety::SafetyState::red_flag;
      const std::string body(ctx.tr(flagged ? "speak.body" : "speak.body_unscreened"));
      const auto sheet = j.handout_text();
      if (draw_closing(ctx, j, ctx.tr("speak.title"), sheet.empty() ? body : body + "\n\n" + sheet, false, nullptr,
                       flagged))
        ui.staff_asked = true;
      break;
    }
    case Stage::finished: {
      // The printer's progress in plain words; without a handout service, the desk helps.
      const auto sheet = j.handout_text();
      draw_closing(ctx, j, ctx.tr("closing.title"), sheet.empty() ? ctx.tr("closing.no_sheet") : sheet, true,
                   j.handout_preview());
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(500));  // status changes without input
      break;
    }
  }
  if (j.asking_still_there()) {
    const auto left = fmt::format("{:.0f}", std::ceil(j.still_there_left_s()));
    if (overlay(ctx, ctx.tr("idle.title"), fill(ctx.tr("idle.body"), "seconds", left), ctx.tr("idle.stay"),
                ctx.tr("idle.leave")) == false)
      j.wipe("left");
  } else if (j.confirming_cancel()) {
    if (const auto yes =
            overlay(ctx, ctx.tr("cancel.title"), ctx.tr("cancel.body"), ctx.tr("cancel.yes"), ctx.tr("cancel.no")))
      j.confirm_cancel(*yes);
  }
  if (j.stage() == Stage::attract) ui = {};  // the patient is gone: so is everything they typed
}

}  // namespace kiosk::ui
