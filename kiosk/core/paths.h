// Where the kiosk finds its data, assets, scripts and plugins. The build
// tree mirrors the installed layout (bin/, lib/kiosk/plugins/), so one rule
// serves a developer's build, the .deb and the tests.
#pragma once
#include <filesystem>
#include <vector>

#include "core/config.h"

namespace kiosk {

struct Paths {
  std::filesystem::path data_dir;                  // SQLite, logs, handout PDFs
  std::filesystem::path assets_dir;                // strings, exercises, branding
  std::vector<std::filesystem::path> script_dirs;  // Lua assessment scripts
  std::vector<std::filesystem::path> plugin_dirs;  // device plugins (*.so)
};

// Precedence for each: command line (data dir only) > config > environment
// (KIOSK_DATA_DIR) > installed location beside the executable > source tree.
Paths resolve_paths(const Config& config, const std::filesystem::path& data_dir_from_cli);

// Folder of the running executable (/proc/self/exe).
std::filesystem::path executable_dir();

}  // namespace kiosk
