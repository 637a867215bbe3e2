#include "ui/screens/attract.h"

#include <imgui.h>

#include <algorithm>

#include <cmath>
#include <vector>

#include "ui/theme.h"
#include "ui/touch_targets.h"
#include "ui/widgets.h"

namespace kiosk::ui {
namespace {

void ellipse_filled(ImDrawList* dl, ImVec2 centre, float rx, float ry, float angle, ImU32 col) {
  constexpr int kSegments = 48;
  const float ca = std::cos(angle), sa = std::sin(angle);
  for (int i = 0; i < kSegments; ++i) {
    const float t = 2.0f * 3.14159265f * static_cast<float>(i) / kSegments;
    const float x = rx * std::cos(t), y = ry * std::sin(t);
    dl->PathLineTo({centre.x + x * ca - y * sa, centre.y + x * sa + y * ca});
  }
  dl->PathFillConvex(col);
}

// A right footprint seen from above, `h` tall, with the sore spot on the heel.
void draw_footprint(ImDrawList* dl, ImVec2 top_left, float h) {
  const ImU32 ink = to_u32(palette::kPrimary);
  const float w = h * 0.42f;
  const ImVec2 c{top_left.x + w * 0.5f, top_left.y};
  ellipse_filled(dl, {c.x + w * 0.04f, c.y + h * 0.38f}, w * 0.40f, h * 0.19f, 0.12f, ink);  // forefoot
  ellipse_filled(dl, {c.x - w * 0.02f, c.y + h * 0.58f}, w * 0.27f, h * 0.16f, 0.05f, ink);  // midfoot
  ellipse_filled(dl, {c.x - w * 0.04f, c.y + h * 0.80f}, w * 0.30f, h * 0.17f, 0.0f, ink);   // heel
  const float toes[5][3] = {{-0.30f, 0.17f, 0.13f},
                            {-0.03f, 0.13f, 0.095f},
                            {0.18f, 0.15f, 0.085f},
                            {0.34f, 0.19f, 0.075f},
                            {0.47f, 0.25f, 0.065f}};
  for (const auto& t : toes) dl->AddCircleFilled({c.x + w * t[0], c.y + h * t[1]}, w * t[2], ink, 32);
  const ImVec2 sore{c.x - w * 0.04f, c.y + h * 0.84f};
  dl->AddCircleFilled(sore, w * 0.13f, to_u32(palette::kAccent), 32);
  dl->AddCircle(sore, w * 0.21f, to_u32(palette::kAccent, 0.6f), 32, h * 0.012f);
}

}  // namespace

std::string_view AttractScreen::language_at(const ScreenContext& ctx) const {
  const auto langs = supported_languages();
  size_t first = 0;
  for (size_t i = 0; i < langs.size(); ++i)
    if (langs[i] == ctx.config.language) first = i;
  const auto shown_for = shown_since_ ? ctx.now - *shown_since_ : FramePacer::Clock::duration{};
  const auto step = static_cast<size_t>(shown_for / kLanguageDwell);
  return langs[(first + step) % langs.size()];
}

bool AttractScreen::draw(ScreenContext& ctx, bool blocked) {
  if (!shown_since_) shown_since_ = ctx.now;
  ctx.language = std::string(language_at(ctx));
  // Wake exactly when the next language is due; nothing else moves here.
  const auto shown_for = ctx.now - *shown_since_;
  const auto next_switch = *shown_since_ + (shown_for / kLanguageDwell + 1) * kLanguageDwell;
  ctx.pacer.request_frame_at(next_switch);

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::Begin("attract", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float s = ctx.scale;
  const float wrap = vp->Size.x * 0.8f;
  const std::string_view clinic =
      ctx.config.clinic_name.empty() ? ctx.tr("attract.default_clinic") : ctx.config.clinic_name;

  // The footprint takes what the words and the button leave: a short screen
  // (800x480) gets tighter gaps, a smaller footprint or none, and, if the
  // words still do not fit, no closing note (the welcome screen says it too).
  const auto text_h = [&](ImFont* font, std::string_view text) {
    ImGui::PushFont(font);
    const float h = ImGui::CalcTextSize(text.data(), text.data() + text.size(), false, wrap).y;
    ImGui::PopFont();
    return h;
  };
  ImGui::PushFont(ctx.fonts.title);
  const float button_h = ImGui::GetFrameHeight();
  ImGui::PopFont();
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float room = vp->Size.y - 2 * ImGui::GetStyle().WindowPadding.y;
  const float note_h = text_h(ctx.fonts.body, ctx.tr("attract.note")) + spacing;
  const float words_h = text_h(ctx.fonts.body, clinic) + text_h(ctx.fonts.title, ctx.tr("attract.title")) +
                        text_h(ctx.fonts.body, ctx.tr("attract.subtitle")) + button_h + 6 * spacing;
  const bool roomy = room - words_h - note_h > 200 * s;
  const float gap = (roomy ? 24 : 6) * s;
  const bool show_note = room - words_h - 4 * gap >= note_h;
  float art_h = std::min({vp->Size.y * 0.34f, 360 * s, room - words_h - (show_note ? note_h : 0) - 5 * gap});
  if (art_h < 80 * s) art_h = 0;

  ImGui::Dummy({0, gap});
  centred_text(ctx.fonts.body, clinic, wrap, palette::kMuted);
  if (art_h > 0) {
    ImGui::Dummy({0, gap});
    const ImVec2 art_pos{vp->Pos.x + (vp->Size.x - art_h * 0.42f) * 0.5f, ImGui::GetCursorScreenPos().y};
    draw_footprint(ImGui::GetWindowDrawList(), art_pos, art_h);
    ImGui::Dummy({0, art_h + gap});
  }
  centred_text(ctx.fonts.title, ctx.tr("attract.title"), wrap, palette::kText);
  centred_text(ctx.fonts.body, ctx.tr("attract.subtitle"), wrap, palette::kText);
  ImGui::Dummy({0, gap * 1.3f});

  if (blocked) {  // no start button: a calm word instead, staff see why on their page
    centred_text(ctx.fonts.title, ctx.tr("attract.blocked"), wrap, palette::kAccent);
    ImGui::End();
    return false;
  }
  ImGui::PushFont(ctx.fonts.title);
  const std::string label = std::string(ctx.tr("attract.start")) + "##start";
  const ImVec2 button{std::min(vp->Size.x * 0.7f, 760 * s), 0};
  ImGui::SetCursorPosX((vp->Size.x - button.x) * 0.5f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
  bool start = ImGui::Button(label.c_str(), button);
  note_target("start");
  ImGui::PopStyleColor();
  ImGui::PopFont();
  if (show_note) {
    ImGui::Dummy({0, gap * 0.7f});
    centred_text(ctx.fonts.body, ctx.tr("attract.note"), wrap, palette::kMuted);
  }

  // Anywhere on the screen counts as "start": a first-time user may not aim.
  start = start || (ImGui::IsWindowHovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left));
  ImGui::End();
  if (start) shown_since_.reset();
  return start;
}

}  // namespace kiosk::ui
