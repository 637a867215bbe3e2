// Finds a real TTF font through fontconfig and loads it into ImGui at the
// sizes the screens use. Glyphs: Latin-1 (English, Spanish: á é í ó ú ñ ü ¿ ¡)
// plus typographic quotes, dashes, bullet, ellipsis and the euro sign.
#pragma once
#include <filesystem>
#include <optional>

struct ImFont;

namespace kiosk::ui {

struct Fonts {
  ImFont* body = nullptr;      // running text, ≥ 24 px at 1080p
  ImFont* title = nullptr;     // screen titles
  ImFont* huge = nullptr;      // timers and counters
  std::filesystem::path file;  // empty → ImGui's built-in font (ASCII only; logged)
};

// The first font file fontconfig offers for `family` that covers every
// glyph above; nullopt when none does.
std::optional<std::filesystem::path> find_font_file(const char* family = "sans-serif");

// Rebuilds ImGui's font atlas. `px_per_unit` is the layout scale (1.0 at
// 1080p) and `framebuffer_scale` the HiDPI factor, so glyphs stay sharp.
// Thread: UI thread; call between frames.
Fonts load_fonts(float px_per_unit, float framebuffer_scale);

}  // namespace kiosk::ui
