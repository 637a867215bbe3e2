#include "ui/fonts.h"

#include <fontconfig/fontconfig.h>
#include <imgui.h>

#include <memory>

#include "core/log.h"

namespace kiosk::ui {
namespace {

// Pairs of inclusive ranges, zero-terminated (ImGui's glyph range format).
const ImWchar kGlyphRanges[] = {0x0020, 0x007E, 0x00A0, 0x00FF, 0x2013, 0x2014, 0x2018, 0x201E,
                                0x2022, 0x2022, 0x2026, 0x2026, 0x20AC, 0x20AC, 0};

bool covers_all(FcPattern* font) {
  FcCharSet* chars = nullptr;
  if (FcPatternGetCharSet(font, FC_CHARSET, 0, &chars) != FcResultMatch) return false;
  for (const ImWchar* r = kGlyphRanges; r[0]; r += 2)
    for (FcChar32 c = r[0]; c <= r[1]; ++c)
      if (!FcCharSetHasChar(chars, c)) return false;
  return true;
}

}  // namespace

std::optional<std::filesystem::path> find_font_file(const char* family) {
  if (!FcInit()) return std::nullopt;
  using PatternPtr = std::unique_ptr<FcPattern, decltype(&FcPatternDestroy)>;
  PatternPtr pattern(FcNameParse(reinterpret_cast<const FcChar8*>(family)), FcPatternDestroy);
  if (!pattern) return std::nullopt;
  FcPatternAddString(pattern.get(), FC_LANG, reinterpret_cast<const FcChar8*>("es"));
  FcPatternAddString(pattern.get(), FC_FONTFORMAT, reinterpret_cast<const FcChar8*>("TrueType"));
  FcConfigSubstitute(nullptr, pattern.get(), FcMatchPattern);
  FcDefaultSubstitute(pattern.get());
  FcResult result;
  std::unique_ptr<FcFontSet, decltype(&FcFontSetDestroy)> set(
      FcFontSort(nullptr, pattern.get(), FcFalse, nullptr, &result), FcFontSetDestroy);
  if (!set) return std::nullopt;
  for (int i = 0; i < set->nfont; ++i) {
    FcChar8* file = nullptr;
    if (FcPatternGetString(set->fonts[i], FC_FILE, 0, &file) != FcResultMatch) continue;
    std::filesystem::path path(reinterpret_cast<const char*>(file));
    const auto ext = path.extension().string();
    if ((ext == ".ttf" || ext == ".otf") && covers_all(set->fonts[i])) return path;
  }
  return std::nullopt;
}

Fonts load_fonts(float px_per_unit, float framebuffer_scale) {
  static const std::optional<std::filesystem::path> file = find_font_file();
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  io.FontGlobalScale = 1.0f / framebuffer_scale;
  Fonts fonts;
  auto add = [&](float units) -> ImFont* {
    const float px = units * px_per_unit * framebuffer_scale;
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    if (file) return io.Fonts->AddFontFromFileTTF(file->c_str(), px, &cfg, kGlyphRanges);
    cfg.SizePixels = px;
    return io.Fonts->AddFontDefault(&cfg);
  };
  fonts.body = add(32.0f);  // 32 px at 1080p; never below 24 px (see theme)
  fonts.title = add(56.0f);
  fonts.huge = add(120.0f);
  if (file) {
    fonts.file = *file;
  } else {
    log::get("ui")->error(
        "no TrueType font with Latin-1 glyphs found through fontconfig; "
        "install fonts-dejavu-core. Using ImGui's built-in ASCII font.");
  }
  io.Fonts->Build();
  return fonts;
}

}  // namespace kiosk::ui
