#include "ui/theme.h"

#include <imgui.h>

#include <algorithm>

namespace kiosk::ui {
ImVec4 to_vec4(const float (&c)[4]) { return {c[0], c[1], c[2], c[3]}; }
ImU32 to_u32(const float (&c)[4], float alpha) { return ImGui::ColorConvertFloat4ToU32({c[0], c[1], c[2], c[3] * alpha}); }

float layout_scale(int width, int height) {
  const float shorter = static_cast<float>(std::min(width, height));
  return std::max(0.75f, shorter / 1080.0f);
}

void apply_theme(float scale, bool short_screen) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowPadding = {48, 40};
  style.FramePadding = {36, 24};     // buttons ≥ 96 px tall at 1080p ≈ 15 mm on a 24" panel
  style.ItemSpacing = {28, 24};
  style.ItemInnerSpacing = {16, 12};
  style.TouchExtraPadding = {8, 8};
  style.ScrollbarSize = 36;
  style.GrabMinSize = 36;
  style.FrameRounding = 14;
  style.WindowRounding = 0;
  style.WindowBorderSize = 0;
  style.FrameBorderSize = 0;
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
  ImGui::GetStyle() = style;
}

}  // namespace kiosk::ui
