// The results: for each test, left against right as bars with the value,
// and the script's own plain-words interpretation.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "handout/plan.h"
#include "ui/screens/journey_screens.h"
#include "ui/theme.h"

namespace kiosk::ui {
namespace {

std::string value_text(double v, const std::string& unit) {
  const auto s = handout::number_text(v);
  return unit.empty() ? s : s + " " + unit;
}

// Two bars, left and right, for the test's main (first) sided measure.
void side_bars(ScreenContext& ctx, const session::ScriptPart& test) {
  const session::Measure* left = nullptr;
  const session::Measure* right = nullptr;
  for (const auto& m : test.measures) {
    if (m.side == "left" && !left) left = &m;
    if (m.side == "right" && !right && (!left || m.id == left->id)) right = &m;
  }
  if (!left && !right) return;
  const double top = std::max(left ? left->value : 0.0, right ? right->value : 0.0);
  const float w = std::min(ImGui::GetContentRegionAvail().x * 0.6f, 900 * ctx.scale);
  const float h = 44 * ctx.scale;
  for (const auto* m : {left, right}) {
    if (!m) continue;
    const std::string side(m->side == "left" ? ctx.tr("results.left") : ctx.tr("results.right"));
    ImGui::PushFont(ctx.fonts.body);
    ImGui::TextUnformatted(side.c_str());
    ImGui::SameLine(220 * ctx.scale);
    const ImVec2 a = ImGui::GetCursorScreenPos();
    const double v = m->value;
    const float f = top > 0 ? static_cast<float>(v / top) : 0;
    auto* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(a, {a.x + w, a.y + h}, IM_COL32(225, 230, 235, 255), 8 * ctx.scale);
    dl->AddRectFilled(a, {a.x + w * std::max(f, 0.01f), a.y + h}, to_u32(palette::kPrimary), 8 * ctx.scale);
    ImGui::Dummy({w, h});
    ImGui::SameLine();
    const auto text = value_text(v, m->unit);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopFont();
  }
}

}  // namespace

void draw_results(ScreenContext& ctx, journey::Journey& j) {
  begin_page("results");
  const auto bar = top_bar(ctx, true, true);
  if (bar.back) j.back();
  if (bar.cancel) j.cancel();
  title_text(ctx, ctx.tr("results.title"));
  const float footer = ImGui::GetFrameHeightWithSpacing() * 1.6f;
  ImGui::BeginChild("results_list", {0, ImGui::GetContentRegionAvail().y - footer}, false);
  static const std::vector<session::ScriptPart> kNone;
  const auto& tests = j.session() ? j.session()->tests : kNone;
  for (const auto& test : tests) {
    vertical_space(ctx, 16);
    ImGui::PushFont(ctx.fonts.title);
    const auto title = j.title_of(test.test);
    read_along(ctx, title);
    ImGui::TextUnformatted(title.c_str());
    ImGui::PopFont();
    side_bars(ctx, test);
    if (!test.interpretation.empty()) {
      ImGui::PushFont(ctx.fonts.body);
      ImGui::PushTextWrapPos(ImGui::GetContentRegionAvail().x);
      read_along(ctx, test.interpretation);
      ImGui::TextUnformatted(test.interpretation.c_str());
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
    }
  }
  if (tests.empty()) body_text(ctx, ctx.tr("results.none"));
  drag_to_scroll();
  ImGui::EndChild();
  if (big_button(ctx, ctx.tr("results.next"), "results_next")) j.next();
  end_page();
}

}  // namespace kiosk::ui
