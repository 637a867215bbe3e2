// One script step on screen: instruction, question (number pad, choices,
// yes/no), countdown, metronome, the test's own result text. Captures have
// their own screen (capture_screen.cpp).
#include <fmt/format.h>
#include <imgui.h>

#include <cmath>

#include "core/log.h"
#include "handout/plan.h"
#include "ui/illustration.h"
#include "ui/screens/journey_screens.h"
#include "ui/theme.h"

namespace kiosk::ui {
namespace {
using script::StepKind;

void draw_question(ScreenContext& ctx, journey::Journey& j, JourneyUiState& ui, const script::Step& step) {
  auto refused = [&](const std::optional<std::string>& problem) {
    if (!problem) {
      ui.problem.clear();
      return;
    }
    ui.problem = "answer";
    log::get("ui")->info("answer refused: {}", *problem);
  };
  switch (step.kind) {
    case StepKind::ask_number: {
      const std::string key = j.script_info()->id + "." + step.id + "#" + std::to_string(j.attempts().size());
      if (ui.number.for_key != key) ui.number = {{}, key};
      // A short landscape screen: the question on the left, the keys on the right.
      const ImVec2 avail = ImGui::GetContentRegionAvail();
      const bool side_by_side = number_pad_beside(ctx, avail);
      if (side_by_side) {
        ImGui::BeginChild("question", {avail.x * 0.5f, avail.y}, false, ImGuiWindowFlags_NoScrollbar);
        body_text(ctx, step.text.in(j.lang()));
        vertical_space(ctx, 12);
      } else {
        body_text(ctx, step.text.in(j.lang()));
        vertical_space(ctx, 24);
      }
      if (step.attempts > 1) {
        std::string tries;
        for (std::size_t i = 0; i < j.attempts().size(); ++i)
          tries += fmt::format("{}{}: {} {}", i ? "   " : "", fill(ctx.tr("ask.try"), "n", std::to_string(i + 1)),
                               handout::number_text(j.attempts()[i]), step.unit);
        body_text(ctx, tries.empty() ? fill(ctx.tr("ask.tries_allowed"), "n", std::to_string(step.attempts)) : tries,
                  true);
      }
      if (side_by_side) {
        const bool enough = step.attempts > 1 && !j.attempts().empty();
        ImGui::PushFont(ctx.fonts.huge);
        const float huge_h = ImGui::GetTextLineHeightWithSpacing();
        ImGui::PopFont();
        // The huge digits where they leave room for "No more tries" (not with large text on 800x480).
        const bool huge = ImGui::GetContentRegionAvail().y >= huge_h + (enough ? 2 * min_target_px() : 0);
        number_value(ctx, ui.number, step.unit, huge ? ctx.fonts.huge : ctx.fonts.title);
        if (enough && big_button(ctx, ctx.tr("ask.no_more_tries"), "enough", 0.9f)) refused(j.finish_attempts());
        drag_to_scroll();  // still taller than the screen: dragged, never cut off
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("keys", {0, avail.y}, false, ImGuiWindowFlags_NoScrollbar);
        if (const auto v = number_pad(ctx, ui.number, step.unit, step.step < 1, false)) refused(j.enter_attempt(*v));
        ImGui::EndChild();
        break;
      }
      if (const auto v = number_pad(ctx, ui.number, step.unit, step.step < 1)) refused(j.enter_attempt(*v));
      if (step.attempts > 1 && !j.attempts().empty()) {
        vertical_space(ctx, 8);
        if (big_button(ctx, ctx.tr("ask.no_more_tries"), "enough", 0.45f)) refused(j.finish_attempts());
      }
      break;
    }
    case StepKind::choose: {
      for (const auto& option : step.options)
        read_along(ctx, option.text.in(j.lang()));  // "Read to me" reads the choices too
      for (std::size_t i = 0; i < step.options.size(); ++i) {
        if (big_button(ctx, step.options[i].text.in(j.lang()), step.options[i].value, 0.55f))
          refused(j.answer(step.options[i].value));
      }
      break;
    }
    case StepKind::confirm: {
      vertical_space(ctx, 30);
      if (const auto pressed =
              button_row(ctx, {std::string(ctx.tr("common.yes")), std::string(ctx.tr("common.no"))}, "yesno"))
        refused(j.answer(*pressed == 0));
      break;
    }
    default:
      break;
  }
  if (!ui.problem.empty()) body_text(ctx, ctx.tr("ask.check_value"), true);
}

// A ring that fills as `fraction` goes 0 → 1, with big digits in it; smaller
// where the screen is short, so `reserve_below` px stay free under it (a button).
void big_timer(ScreenContext& ctx, std::string_view digits, float fraction, float reserve_below = 0) {
  const float fits = (ImGui::GetContentRegionAvail().y - reserve_below) * 0.5f - 10 * ctx.scale;
  const float r = std::clamp(fits, 60 * ctx.scale, 150 * ctx.scale);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 c{at.x + ImGui::GetContentRegionAvail().x * 0.5f, at.y + r + 10 * ctx.scale};
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddCircle(c, r, IM_COL32(200, 205, 210, 255), 96, 18 * ctx.scale);
  constexpr float kTop = -1.5707963f;
  dl->PathArcTo(c, r, kTop, kTop + 6.2831853f * std::clamp(fraction, 0.0f, 1.0f), 96);
  dl->PathStroke(to_u32(palette::kPrimary), 0, 18 * ctx.scale);
  ImGui::PushFont(ctx.fonts.huge);
  const ImVec2 size = ImGui::CalcTextSize(digits.data(), digits.data() + digits.size());
  dl->AddText({c.x - size.x * 0.5f, c.y - size.y * 0.5f}, ImGui::GetColorU32(ImGuiCol_Text), digits.data(),
              digits.data() + digits.size());
  ImGui::PopFont();
  ImGui::Dummy({0, 2 * r + 20 * ctx.scale});
}

}  // namespace

void draw_step(ScreenContext& ctx, journey::Journey& j, JourneyUiState& ui) {
  const auto* step = j.step();
  if (!step) return;
  begin_page("step");
  std::string progress(j.script_info()->title.in(j.lang()));
  if (j.script_number() > 0)
    progress = fill(fill(ctx.tr("step.progress"), "n", std::to_string(j.script_number())), "of",
                    std::to_string(j.script_count())) +
               " · " + progress;
  const auto bar = top_bar(ctx, true, true, progress);
  if (bar.back) {
    ui = {};
    j.back();
  }
  if (bar.cancel) j.cancel();
  if (bar.back || bar.cancel) {
    end_page();
    return;
  }
  if (step->kind == StepKind::capture) {
    end_page();
    draw_capture(ctx, j);
    return;
  }
  vertical_space(ctx, 16);
  const auto pictured = begin_illustrated(ctx, step->illustration, j.steps_shown(), step->text.in(j.lang()));
  if (step->kind != StepKind::ask_number) {  // the number screen places its own text
    body_text(ctx, step->text.in(j.lang()));
    vertical_space(ctx, 24);
  }
  switch (step->kind) {
    case StepKind::ask_number:
    case StepKind::choose:
    case StepKind::confirm:
      draw_question(ctx, j, ui, *step);
      break;
    case StepKind::countdown: {
      const double left = std::max(0.0, step->seconds - j.step_elapsed_s());
      big_timer(ctx, fmt::format("{:.0f}", std::ceil(left)), static_cast<float>(j.step_elapsed_s() / step->seconds));
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(100));
      break;
    }
    case StepKind::metronome: {
      const double beat_s = 60 / std::max(1.0, step->bpm);
      const double phase = std::fmod(j.step_elapsed_s(), beat_s) / beat_s;
      const int beats = static_cast<int>(j.step_elapsed_s() / beat_s);
      const float button_h = std::max(ImGui::GetFrameHeight(), min_target_px()) + 2 * ImGui::GetStyle().ItemSpacing.y;
      big_timer(ctx, beats % 2 == 0 ? ctx.tr("metronome.up") : ctx.tr("metronome.down"), static_cast<float>(phase),
                button_h);
      ctx.pacer.request_frame_at(ctx.now + std::chrono::milliseconds(33));
      if (big_button(ctx, ctx.tr("common.done"), "metronome_done", 0.4f)) j.next();
      break;
    }
    default:  // instruct, result
      vertical_space(ctx, 20);
      if (big_button(ctx, ctx.tr("common.next"), "next")) j.next();
      if (step->kind == StepKind::instruct && j.can_skip()) {
        vertical_space(ctx, 12);
        skip_button(ctx, j);
      }
      break;
  }
  end_illustrated(pictured);
  end_page();
}

}  // namespace kiosk::ui
