// The results: for each test, a scale over the range its script declares
// with the norm zone for the patient's age band shaded, a marker and number
// for each side, the difference between the sides in words, and the script's
// own plain-words interpretation; on a follow-up visit (same visit code),
// what changed since last time. The rows are the handout's
// (handout/chart_rows.h), so screen and paper agree. The list scrolls.
#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "handout/chart_rows.h"
#include "handout/plan.h"
#include "ui/screens/journey_screens.h"
#include "ui/theme.h"
#include "ui/touch_targets.h"

namespace kiosk::ui {
namespace {

void wrapped(ImFont* font, std::string_view text, bool muted = false) {
  ImGui::PushFont(font);
  if (muted)
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(palette::kMuted[0], palette::kMuted[1], palette::kMuted[2], 1));
  ImGui::PushTextWrapPos(0);  // the list's right edge
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopTextWrapPos();
  if (muted) ImGui::PopStyleColor();
  ImGui::PopFont();
}

// "Right side: 3 cm less than the left." — the numbers, not a judgement.
std::string difference_text(ScreenContext& ctx, const handout::ChartRow& r) {
  if (!r.difference) return {};
  if (r.difference->value == 0) return std::string(ctx.tr("results.same"));
  const bool left_less = *r.left < *r.right;
  return handout::fill(ctx.tr(left_less ? "results.left_less" : "results.right_less"),
                       {{"value", handout::number_text(r.difference->value)}, {"unit", r.unit}});
}

// A side's label centred on its marker, kept inside the track's width.
float label_x(float centre, float width, float x0, float x1) {
  return std::clamp(centre - width * 0.5f, x0, std::max(x0, x1 - width));
}

// The scale: the left side's label above it, the right side's below, the
// scale's ends under that. Records what it drew for the drive tests.
// The change words a drive test holds the "since last time" line to.
std::string change_word(const std::optional<handout::ChartRow::SinceLast::Side>& side) {
  if (!side) return {};
  return side->change == handout::Change::better ? "better" : side->change == handout::Change::worse ? "worse" : "same";
}

void draw_scale(ScreenContext& ctx, const handout::ChartRow& r) {
  ImGui::PushFont(ctx.fonts.body);
  const float line = ImGui::GetTextLineHeight();
  const float radius = 13 * ctx.scale, track_h = 14 * ctx.scale;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float avail = ImGui::GetContentRegionAvail().x;
  const float x0 = origin.x + radius, x1 = origin.x + std::min(avail, 1100 * ctx.scale) - 2 * radius;
  const float track_y = origin.y + line + radius + 4 * ctx.scale;
  auto at = [&](double v) { return x0 + static_cast<float>(handout::scale_fraction(r, v)) * (x1 - x0); };
  auto* dl = ImGui::GetWindowDrawList();
  DrawnChart drawn;
  drawn.test = r.test;
  drawn.scale_x0 = x0;
  drawn.scale_x1 = x1;
  if (r.since_last) {
    drawn.since_shown = true;
    drawn.since_left = change_word(r.since_last->left);
    drawn.since_right = change_word(r.since_last->right);
  }
  dl->AddRectFilled({x0, track_y - track_h / 2}, {x1, track_y + track_h / 2}, IM_COL32(225, 230, 235, 255),
                    track_h / 2);
  if (r.zone) {
    const float z0 = at(r.zone->from), z1 = at(r.zone->to);
    dl->AddRectFilled({z0, track_y - radius}, {z1, track_y + radius}, to_u32(palette::kAccent, 0.35f), 4 * ctx.scale);
    dl->AddRect({z0, track_y - radius}, {z1, track_y + radius}, to_u32(palette::kAccent), 4 * ctx.scale, 0,
                2 * ctx.scale);
    drawn.zone = std::pair{z0, z1};
  }
  const float right_edge = origin.x + avail - radius;  // clear of the scroll bar
  int row = 0;
  for (auto [side, value] : {std::pair{"left", r.left}, {"right", r.right}}) {
    const std::string name(ctx.tr(side == std::string_view("left") ? "results.left" : "results.right"));
    const std::string text = value ? fmt::format("{} {} {}", name, handout::number_text(*value), r.unit)
                                   : fmt::format("{}: {}", name, ctx.tr("results.not_done"));
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    const float cx = value ? at(*value) : x0;
    const float ty = row == 0 ? origin.y : track_y + radius + 4 * ctx.scale;
    const float tx = label_x(cx, w, origin.x, right_edge);
    drawn.labels_inside = drawn.labels_inside && tx + w <= right_edge + 0.5f;
    const ImU32 colour = row == 0 ? to_u32(palette::kPrimary) : to_u32(palette::kText);
    dl->AddText({tx, ty}, colour, text.c_str());
    if (value) {  // left: a circle; right: a square (apart without colour)
      if (row == 0)
        dl->AddCircleFilled({cx, track_y}, radius, colour);
      else
        dl->AddRectFilled({cx - radius * 0.85f, track_y - radius * 0.85f},
                          {cx + radius * 0.85f, track_y + radius * 0.85f}, colour);
      (row == 0 ? drawn.left_x : drawn.right_x) = cx;
    }
    ++row;
  }
  // The scale's ends, small and muted, under the right side's label.
  const float ends_y = track_y + radius + 4 * ctx.scale + line;
  const std::string lo = handout::number_text(r.scale_min), hi = handout::number_text(r.scale_max) + " " + r.unit;
  const ImU32 muted = to_u32(palette::kMuted);
  dl->AddText({x0 - radius, ends_y}, muted, lo.c_str());
  dl->AddText({x1 + radius - ImGui::CalcTextSize(hi.c_str()).x, ends_y}, muted, hi.c_str());
  ImGui::Dummy({avail, ends_y + line - origin.y});
  ImGui::PopFont();
  note_chart(std::move(drawn));
}

void draw_test(ScreenContext& ctx, const journey::Journey& j, const session::ScriptPart& test,
               const handout::ChartRow* row) {
  vertical_space(ctx, 16);
  const auto title = j.title_of(test.test);
  read_along(ctx, title);
  wrapped(ctx.fonts.title, title);
  if (row) {
    const auto zone = handout::zone_text(*row, [&](std::string_view key) { return std::string(ctx.tr(key)); });
    wrapped(ctx.fonts.body, zone, true);
    vertical_space(ctx, 6);
    draw_scale(ctx, *row);
    if (const auto diff = difference_text(ctx, *row); !diff.empty()) {
      read_along(ctx, diff);
      wrapped(ctx.fonts.body, diff);
    }
    const auto since = handout::since_last_text(*row, [&](std::string_view key) { return std::string(ctx.tr(key)); });
    if (!since.empty()) {
      read_along(ctx, since);
      wrapped(ctx.fonts.body, since);
    }
  }
  if (!test.interpretation.empty()) {
    vertical_space(ctx, 6);
    read_along(ctx, test.interpretation);
    wrapped(ctx.fonts.body, test.interpretation);
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
  const auto rows = j.session() ? handout::chart_rows(*j.session(), j.charts(), ctx.language, j.previous_visit())
                                : std::vector<handout::ChartRow>{};
  for (const auto& test : tests) {
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.test == test.test; });
    draw_test(ctx, j, test, row == rows.end() ? nullptr : &*row);
  }
  if (tests.empty()) body_text(ctx, ctx.tr("results.none"));
  vertical_space(ctx, 24);  // room above the fade, so the last line can be read clear of it
  drag_to_scroll();
  ImGui::EndChild();
  if (big_button(ctx, ctx.tr("results.next"), "results_next")) j.next();
  end_page();
}

}  // namespace kiosk::ui
