// The handout's assets as the kiosk ships them (assets/ and scripts/ of the
// source tree), loaded once per test program. Needs kiosk_handout and
// KIOSK_SOURCE_DIR.
#pragma once
#include <filesystem>

#include "core/paths.h"
#include "handout/assets.h"

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

}  // namespace kiosk::test
