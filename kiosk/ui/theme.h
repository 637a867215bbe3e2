// The touch-first look: large targets (≥ 15 mm), high-contrast colours,
// generous spacing. Sizes scale with the screen (1 unit = 1 px at 1080p).
#pragma once
#include <imgui.h>

namespace kiosk::ui {

// Layout scale for a window of w×h window units: the shorter side against
// 1080, never below 0.75 so body text stays ≥ 24 px on small panels.
float layout_scale(int width, int height);

// Colours of the kiosk palette (RGBA, 0–1), named by use: the current
// theme's, set by apply_theme (UI thread only).
struct Palette {
  float background[4], text[4], muted[4], primary[4], primary_active[4], accent[4];
};
inline constexpr Palette kStandardPalette{
    {0.965f, 0.973f, 0.976f, 1.0f}, {0.07f, 0.09f, 0.11f, 1.0f},
    {0.29f, 0.33f, 0.37f, 1.0f},    {0.02f, 0.35f, 0.53f, 1.0f},  // white text on it: 7.9:1
    {0.01f, 0.26f, 0.40f, 1.0f},    {0.93f, 0.55f, 0.18f, 1.0f}};
// kiosk.high_contrast: black on white, white on black buttons (21:1), a dark orange accent (5.6:1 on white).
inline constexpr Palette kHighContrastPalette{
    {1, 1, 1, 1},           {0, 0, 0, 1}, {0.16f, 0.16f, 0.16f, 1}, {0, 0, 0, 1}, {0.25f, 0.25f, 0.25f, 1},
    {0.70f, 0.28f, 0.0f, 1}};
namespace palette {
inline float kBackground[4], kText[4], kMuted[4], kPrimary[4], kPrimaryActive[4], kAccent[4];
}  // namespace palette

// short_screen: under 600 px tall (800x480), less air between things;
// high_contrast: kHighContrastPalette and yellow button edges (kiosk.high_contrast).
void apply_theme(float scale, bool short_screen = false, bool high_contrast = false);

// A palette colour for ImGui styles (ImVec4) and draw lists (packed, with an alpha factor).
ImVec4 to_vec4(const float (&c)[4]);
ImU32 to_u32(const float (&c)[4], float alpha = 1.0f);

}  // namespace kiosk::ui
