// The handout's assets as the kiosk ships them (assets/ and scripts/ of the
// source tree), loaded once per test program. Needs kiosk_handout and
// KIOSK_SOURCE_DIR.
#pragma once
#include <filesystem>

#include "core/paths.h"
#include "handout/assets.h"
#include "script/catalogue.h"

namespace kiosk::test {

inline const handout::HandoutAssets& bundled_assets() {
  static const handout::HandoutAssets assets = [] {
    Paths paths;
    paths.assets_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
    paths.script_dirs = {std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"};
    return handout::HandoutAssets::load(paths);
  }();
  return assets;
}

// The bundled scripts' chart declarations (scripts/*.lua `chart`), as the kiosk's catalogue reads them.
inline const script::ChartCatalogue& bundled_charts() {
  static const script::ChartCatalogue charts = [] {
    script::Catalogue catalogue({std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"});
    catalogue.scan();
    return catalogue.charts();
  }();
  return charts;
}

}  // namespace kiosk::test
