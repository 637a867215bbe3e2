#include "ui/theme.h"

#include <imgui.h>

#include <algorithm>

namespace kiosk::ui {
ImVec4 to_vec4(const float (&c)[4]) { return {c[0], c[1], c[2], c[3]}; }
ImU32 to_u32(const float (&c)[4], float alpha) {
  return ImGui::ColorConvertFloat4ToU32({c[0], c[1], c[2], c[3] * alpha});
}

float layout_scale(int width, int height) {
  const float shorter = static_cast<float>(std::min(width, height));
  return std::max(0.75f, shorter / 1080.0f);
}

void apply_theme(float scale, bool short_screen, bool high_contrast) {
  const Palette& p = high_contrast ? kHighContrastPalette : kStandardPalette;
  std::copy_n(p.background, 4, palette::kBackground);
  std::copy_n(p.text, 4, palette::kText);
  std::copy_n(p.muted, 4, palette::kMuted);
  std::copy_n(p.primary, 4, palette::kPrimary);
  std::copy_n(p.primary_active, 4, palette::kPrimaryActive);
  std::copy_n(p.accent, 4, palette::kAccent);
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = {48, 40};
  style.FramePadding = {36, 24};  // buttons ≥ 96 px tall at 1080p ≈ 15 mm on a 24" panel
  style.ItemSpacing = {28, 24};
  style.ItemInnerSpacing = {16, 12};
  style.TouchExtraPadding = {8, 8};
  style.ScrollbarSize = 36;
  style.GrabMinSize = 36;
  style.FrameRounding = 14;
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.FrameBorderSize = high_contrast ? 4 : 0;  // a yellow edge makes each button stand out from the page
  if (short_screen) {  // 800x480: text and buttons keep their size, the air between them goes
    style.WindowPadding.y = 16;
    style.ItemSpacing.y = 12;
  }
  style.ScaleAllSizes(scale);

  ImVec4* c = style.Colors;
  c[ImGuiCol_WindowBg] = to_vec4(palette::kBackground);
  c[ImGuiCol_Text] = to_vec4(palette::kText);
  c[ImGuiCol_TextDisabled] = to_vec4(palette::kMuted);
  c[ImGuiCol_Button] = to_vec4(palette::kPrimary);
  c[ImGuiCol_ButtonHovered] = to_vec4(palette::kPrimary);  // touch: no hover state to show
  c[ImGuiCol_ButtonActive] = to_vec4(palette::kPrimaryActive);
  c[ImGuiCol_Border] = high_contrast ? ImVec4(1.0f, 0.84f, 0.0f, 1.0f) : c[ImGuiCol_Border];
  ImGui::GetStyle() = style;
}

}  // namespace kiosk::ui
