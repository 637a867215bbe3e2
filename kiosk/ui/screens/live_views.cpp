#include "ui/screens/live_views.h"

#include <fmt/format.h>
#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>

#include "ui/theme.h"
#include "ui/widgets.h"

namespace kiosk::ui {
namespace {

constexpr float kTurn = 6.2831855f, kTop = -1.5707964f;  // a full circle; 12 o'clock (radians)
// The heel light's colours (it also says its state in words): a calm green, a clear red.
constexpr float kGreen[4] = {0.09f, 0.50f, 0.25f, 1};
constexpr float kRed[4] = {0.75f, 0.12f, 0.10f, 1};
constexpr float kTrack[4] = {0.85f, 0.88f, 0.91f, 1};  // a ring's or bar's empty part
constexpr double kTraceWindow_s = 10;                  // the heel-height trace shows this much
constexpr float kCountScale = 1.5f;                    // the heel-raise count, times the huge font

constexpr ImGuiWindowFlags kPaneFlags =
    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground;

// Two panes in `height`: side by side on a landscape screen (the first
// `first_fraction` wide), else one above the other.
template <class First, class Second>
void two_panes(float height, float first_fraction, First&& first, Second&& second) {
  const ImVec2 avail{ImGui::GetContentRegionAvail().x, height};
  const bool side_by_side = avail.x > avail.y * 1.2f;
  const ImVec2 a = side_by_side ? ImVec2{avail.x * first_fraction, avail.y} : ImVec2{avail.x, avail.y * first_fraction};
  const ImVec2 b = side_by_side ? ImVec2{avail.x - a.x, avail.y} : ImVec2{avail.x, avail.y - a.y};
  ImGui::BeginChild("pane_a", a, false, kPaneFlags);
  first(a);
  ImGui::EndChild();
  if (side_by_side) ImGui::SameLine(0, 0);
  ImGui::BeginChild("pane_b", b, false, kPaneFlags);
  second(b);
  ImGui::EndChild();
}

// `text` in `font`, centred on `at` (window pixels).
void text_at(ImFont* font, std::string_view text, ImVec2 at, const float (&colour)[4]) {
  ImGui::PushFont(font);
  const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
  ImGui::SetCursorScreenPos({at.x - size.x * 0.5f, at.y - size.y * 0.5f});
  ImGui::PushStyleColor(ImGuiCol_Text, to_vec4(colour));
  ImGui::TextUnformatted(text.data(), text.data() + text.size());
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

float line_height(ImFont* font) {
  ImGui::PushFont(font);
  const float h = ImGui::GetTextLineHeightWithSpacing();
  ImGui::PopFont();
  return h;
}

// ---------------------------------------------------------------- heel raises

// The count, huge, on a disc that swells on each beat of the metronome and
// fades until the next (the beat sound's clock: the capture's plate time),
// its words under it, then the word for the beat: up on one, down on the
// next. "Read to me" reads the count with its words.
void draw_count_and_beat(ScreenContext& ctx, int reps, double elapsed_s, double bpm, float height) {
  const auto count = fmt::format("{}", reps);
  const auto label = ctx.tr("live.raises");
  read_along(ctx, count + " " + std::string(label));
  const double beats = elapsed_s * bpm / 60;
  const float phase = static_cast<float>(beats - std::floor(beats)), pulse = std::exp(-5 * phase);
  const bool up = static_cast<long>(std::floor(beats)) % 2 == 0;
  const float w = ImGui::GetContentRegionAvail().x;
  const float words_h = line_height(ctx.fonts.body) + line_height(ctx.fonts.title);
  // As big as the pane lets it be, up to kCountScale times the huge font.
  const float scale = std::clamp((height - words_h - 16 * ctx.scale) / line_height(ctx.fonts.huge), 0.8f, kCountScale);
  ImGui::SetWindowFontScale(scale);
  ImGui::PushFont(ctx.fonts.huge);
  const float count_h = ImGui::GetTextLineHeight();
  ImGui::PopFont();
  const float r = std::min(count_h * 0.5f, w * 0.45f), margin = 6 * ctx.scale;
  ImGui::Dummy({w, margin});  // the disc's ring stays inside the pane
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 c{at.x + w * 0.5f, at.y + count_h * 0.5f};
  auto* dl = ImGui::GetWindowDrawList();
  if (bpm > 0) {
    dl->AddCircle(c, r, to_u32(palette::kAccent, 0.7f), 64, 3 * ctx.scale);
    dl->AddCircleFilled(c, r * (0.6f + 0.4f * pulse), to_u32(palette::kAccent, 0.15f + 0.45f * pulse), 64);
  }
  centred_text(ctx.fonts.huge, count, w, palette::kPrimary);  // the one number the person cares about
  ImGui::SetWindowFontScale(1);
  centred_text(ctx.fonts.body, label, w, palette::kText);
  if (bpm > 0) centred_text(ctx.fonts.title, up ? ctx.tr("metronome.up") : ctx.tr("metronome.down"), w, palette::kText);
}

// Where the trace was at `t_s` (the nearest point kept), mm; nullopt when gone from the ring.
std::optional<float> trace_at(const plates::LiveView& v, double t_s) {
  std::optional<float> best;
  double gap = 0.1;  // within 100 ms, else it scrolled away
  for (std::size_t i = 0; i < v.trace_size; ++i) {
    const std::size_t k = (v.trace_next + plates::LiveView::kTrace - v.trace_size + i) % plates::LiveView::kTrace;
    if (std::abs(v.trace_t_s[k] - t_s) < gap) gap = std::abs(v.trace_t_s[k] - t_s), best = v.trace_y_mm[k];
  }
  return best;
}

// Heel height (COP forward travel) over the last kTraceWindow_s, newest on
// the right, with each counted raise marked by its number.
void draw_heel_trace(ScreenContext& ctx, const plates::LiveCapture& live, const signal::CaptureProgress& p,
                     ImVec2 size) {
  const auto& v = live.view();
  const float top = ImGui::GetCursorScreenPos().y;
  centred_text(ctx.fonts.body, ctx.tr("live.heel_height"), size.x, palette::kMuted);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float pad = 16 * ctx.scale;
  const ImVec2 a{at.x + pad, at.y + pad * 0.5f};
  const ImVec2 b{at.x + size.x - pad, std::max(a.y + 40 * ctx.scale, top + size.y - pad)};
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, 255), 12 * ctx.scale);
  dl->AddRect(a, b, to_u32(palette::kMuted, 0.5f), 12 * ctx.scale, 0, 2 * ctx.scale);
  const double t_end = std::max(live.elapsed_s(), kTraceWindow_s), t_start = t_end - kTraceWindow_s;
  float lo = 1e9f, hi = -1e9f;
  for (std::size_t i = 0; i < v.trace_size; ++i) lo = std::min(lo, v.trace_y_mm[i]), hi = std::max(hi, v.trace_y_mm[i]);
  if (v.trace_size == 0) lo = 0, hi = 0;
  const float mid = (lo + hi) * 0.5f, half = std::max((hi - lo) * 0.5f, 30.0f) * 1.15f;  // at least ±30 mm
  const float inset = 24 * ctx.scale;
  auto map = [&](double t_s, float y_mm) {
    const float x = a.x + inset + static_cast<float>((t_s - t_start) / kTraceWindow_s) * (b.x - a.x - 2 * inset);
    return ImVec2{x, (a.y + b.y) * 0.5f - (y_mm - mid) / half * (b.y - a.y - 2 * inset) * 0.5f};
  };
  std::array<ImVec2, plates::LiveView::kTrace> points;
  std::size_t n = 0;
  for (std::size_t i = 0; i < v.trace_size; ++i) {
    const std::size_t k = (v.trace_next + plates::LiveView::kTrace - v.trace_size + i) % plates::LiveView::kTrace;
    if (v.trace_t_s[k] >= t_start) points[n++] = map(v.trace_t_s[k], v.trace_y_mm[k]);
  }
  dl->AddPolyline(points.data(), static_cast<int>(n), to_u32(palette::kPrimary), 0, 4 * ctx.scale);
  int rep = 0;
  for (const auto& e : p.events) {
    if (e.kind != "rise") continue;
    ++rep;
    if (e.t_s < t_start) continue;
    const auto y = trace_at(v, e.t_s);
    if (!y) continue;
    const ImVec2 m = map(e.t_s, *y);
    dl->AddCircleFilled(m, 10 * ctx.scale, to_u32(palette::kAccent), 24);
    const auto label = fmt::format("{}", rep);
    const ImVec2 ls = ctx.fonts.body->CalcTextSizeA(ctx.fonts.body->FontSize, 1e9f, 0, label.c_str());
    dl->AddText(ctx.fonts.body, ctx.fonts.body->FontSize,
                {m.x - ls.x * 0.5f, std::max(a.y, m.y - 14 * ctx.scale - ls.y)}, to_u32(palette::kText), label.c_str());
  }
  ImGui::Dummy({size.x, b.y - at.y});
}

void heel_raise_view(ScreenContext& ctx, const script::Step& step, const plates::LiveCapture& live, float height) {
  const auto p = live.progress();
  const float message_h = line_height(ctx.fonts.body) * 2;
  two_panes(
      height - message_h, 0.36f,
      [&](ImVec2 size) { draw_count_and_beat(ctx, p.reps, live.elapsed_s(), step.bpm, size.y); },
      [&](ImVec2 size) { draw_heel_trace(ctx, live, p, size); });
  // Calm words, never a warning: a missed beat is the start of the end, not a fault.
  body_text(ctx, p.missed_beats > 0 ? ctx.tr("live.keep_to_beat") : std::string_view(step.text.in(ctx.language)),
            p.missed_beats == 0);
}

// ---------------------------------------------------------------- balance

// Seconds towards the cap as a ring, the seconds in its middle.
void draw_ring(ScreenContext& ctx, double seconds, double cap_s, ImVec2 size) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float thick = 22 * ctx.scale, r = std::min(size.x, size.y) * 0.5f - thick;
  const ImVec2 c{at.x + size.x * 0.5f, at.y + size.y * 0.5f};
  const float fraction = cap_s > 0 ? static_cast<float>(std::clamp(seconds / cap_s, 0.0, 1.0)) : 0;
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddCircle(c, r, to_u32(kTrack), 96, thick);
  if (fraction > 0) {
    dl->PathArcTo(c, r, kTop, kTop + kTurn * fraction, std::max(8, static_cast<int>(96 * fraction)));
    dl->PathStroke(to_u32(palette::kPrimary), 0, thick);
  }
  const auto shown = fmt::format("{:.0f}", std::floor(seconds));
  const auto of = fill(ctx.tr("live.seconds_of"), "cap", fmt::format("{:.0f}", cap_s));
  read_along(ctx, shown + " " + of);
  const float body_h = line_height(ctx.fonts.body);
  text_at(ctx.fonts.huge, shown, {c.x, c.y - body_h * 0.4f}, palette::kText);
  text_at(ctx.fonts.body, of, {c.x, c.y + r * 0.45f}, palette::kMuted);
  ImGui::SetCursorScreenPos(at);
  ImGui::Dummy(size);
}

// A foot from above, toes up the screen (mm, a right foot; x mirrored for the left), star-shaped from its middle.
struct FootPoint {
  float x, y;
};
constexpr std::array<FootPoint, 22> kFoot{{{-4, -128}, {-22, -124}, {-33, -108}, {-36, -82}, {-33, -50}, {-30, -15},
                                           {-38, 20},  {-47, 55},   {-47, 88},   {-38, 112}, {-22, 124}, {-4, 126},
                                           {12, 119},  {27, 108},   {39, 88},    {45, 60},   {42, 25},   {35, -10},
                                           {33, -50},  {33, -85},   {28, -110},  {14, -125}}};

// The foot on the plate, the COP dot and its trail over it.
void draw_foot(ScreenContext& ctx, const plates::LiveView& view, bool left, ImVec2 size) {
  constexpr float kHalfY_mm = 150;  // the drawing's extent around the plate's centre
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float px_per_mm = std::min(size.y * 0.5f / kHalfY_mm, size.x * 0.5f / 80);
  const ImVec2 c{at.x + size.x * 0.5f, at.y + size.y * 0.5f};
  auto map = [&](float x_mm, float y_mm) { return ImVec2{c.x + x_mm * px_per_mm, c.y - y_mm * px_per_mm}; };
  std::array<ImVec2, kFoot.size()> outline;
  for (std::size_t i = 0; i < kFoot.size(); ++i) outline[i] = map(left ? -kFoot[i].x : kFoot[i].x, kFoot[i].y);
  auto* dl = ImGui::GetWindowDrawList();
  const ImVec2 middle = map(0, 0);
  for (std::size_t i = 0; i < outline.size(); ++i)
    dl->AddTriangleFilled(middle, outline[i], outline[(i + 1) % outline.size()], IM_COL32(255, 255, 255, 255));
  dl->AddPolyline(outline.data(), static_cast<int>(outline.size()), to_u32(palette::kMuted), ImDrawFlags_Closed,
                  3 * ctx.scale);
  draw_cop_trail(ctx, view, c, px_per_mm);
  const float x = std::clamp(static_cast<float>(view.latest.cop_x_mm), -80.0f, 80.0f);
  const float y = std::clamp(static_cast<float>(view.latest.cop_y_mm), -kHalfY_mm, kHalfY_mm);
  dl->AddCircleFilled(map(x, y), 14 * ctx.scale, to_u32(palette::kAccent), 32);
  ImGui::Dummy(size);
}

void balance_view(ScreenContext& ctx, const script::Step& step, const plates::LiveCapture& live, float height) {
  const auto p = live.progress();
  two_panes(
      height, 0.5f, [&](ImVec2 size) { draw_ring(ctx, p.stance_s, step.seconds, size); },
      [&](ImVec2 size) { draw_foot(ctx, live.view(), step.side == "left", size); });
}

// ---------------------------------------------------------------- knee to wall

// A light that is green while the heel is down and turns red when it lifts, with its words.
void heel_light_view(ScreenContext& ctx, const plates::LiveCapture& live, float height) {
  const auto p = live.progress();
  const bool known = p.heel_down_known;
  const float(*colour)[4] = !known ? &palette::kMuted : p.heel_up ? &kRed : &kGreen;
  const auto words = !known ? ctx.tr("live.heel_wait") : p.heel_up ? ctx.tr("live.heel_up") : ctx.tr("live.heel_down");
  const float title_h = line_height(ctx.fonts.title) * 2;
  const float r = std::max(20 * ctx.scale, std::min(140 * ctx.scale, (height - title_h) * 0.45f));
  const float room = ImGui::GetContentRegionAvail().x;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  auto* dl = ImGui::GetWindowDrawList();
  dl->AddCircleFilled({at.x + room * 0.5f, at.y + r + 8 * ctx.scale}, r, to_u32(*colour), 64);
  dl->AddCircle({at.x + room * 0.5f, at.y + r + 8 * ctx.scale}, r, to_u32(palette::kText, 0.4f), 64, 3 * ctx.scale);
  ImGui::Dummy({room, 2 * r + 16 * ctx.scale});
  title_text(ctx, words);
}

// ---------------------------------------------------------------- ends

std::string_view end_words(const ScreenContext& ctx, std::string_view reason) {
  if (reason == "missed_beats") return ctx.tr("live.end_missed_beats");
  if (reason == "two_small_rises") return ctx.tr("live.end_two_small_rises");
  if (reason == "touchdown") return ctx.tr("live.end_touchdown");
  if (reason == "step_off") return ctx.tr("live.end_step_off");
  if (reason == "cap") return ctx.tr("live.end_cap");
  return {};
}

}  // namespace

void draw_cop_trail(const ScreenContext& ctx, const plates::LiveView& view, ImVec2 centre, float px_per_mm) {
  auto* dl = ImGui::GetWindowDrawList();
  auto map = [&](float x_mm, float y_mm) { return ImVec2{centre.x + x_mm * px_per_mm, centre.y - y_mm * px_per_mm}; };
  for (std::size_t i = 1; i < view.trail_size; ++i) {
    const std::size_t a =
        (view.trail_next + plates::LiveView::kTrail - view.trail_size + i - 1) % plates::LiveView::kTrail;
    const std::size_t b = (a + 1) % plates::LiveView::kTrail;
    const float age = static_cast<float>(i) / static_cast<float>(view.trail_size);
    dl->AddLine(map(view.trail_x_mm[a], view.trail_y_mm[a]), map(view.trail_x_mm[b], view.trail_y_mm[b]),
                to_u32(palette::kPrimary, 0.2f + 0.6f * age), 4 * ctx.scale);
  }
}

void draw_live_view(ScreenContext& ctx, const journey::Journey& j, float height) {
  const auto* live = j.live();
  const auto* step = j.step();
  if (!live || !step) return;
  if (step->detector == "heel_raise_count")
    heel_raise_view(ctx, *step, *live, height);
  else if (step->detector == "single_leg_stance")
    balance_view(ctx, *step, *live, height);
  else if (step->detector == "heel_contact")
    heel_light_view(ctx, *live, height);
}

void draw_capture_end(ScreenContext& ctx, const journey::Journey& j, float height) {
  const auto* live = j.live();
  const auto* step = j.step();
  if (!live || !step) return;
  const auto p = live->progress();
  const float top = ImGui::GetCursorPosY();
  auto left = [&] { return height - (ImGui::GetCursorPosY() - top); };
  if (step->detector == "single_leg_stance") {
    title_text(ctx, fill(ctx.tr("live.well_done"), "n", fmt::format("{:.0f}", std::floor(p.stance_s))));
    vertical_space(ctx, 12);
    draw_ring(ctx, p.stance_s, step->seconds, {ImGui::GetContentRegionAvail().x, std::max(80 * ctx.scale, left())});
  } else if (step->detector == "heel_raise_count") {
    title_text(ctx, fill(ctx.tr("live.raises_done"), "n", fmt::format("{}", p.reps)));
    body_text(ctx, end_words(ctx, p.end_reason));
    vertical_space(ctx, 12);
    draw_heel_trace(ctx, *live, p, {ImGui::GetContentRegionAvail().x, std::max(80 * ctx.scale, left())});
  } else {
    title_text(ctx, end_words(ctx, p.end_reason));
  }
}

}  // namespace kiosk::ui
