#include "handout/assets.h"

#include <fmt/format.h>

#include <stdexcept>

#include "script/rules.h"

namespace kiosk::handout {

HandoutAssets HandoutAssets::load(const Paths& paths) {
  HandoutAssets a{ExerciseLibrary::load(paths.assets_dir / "exercises"),
                  TextCatalog::load(paths.assets_dir / "handout"),
                  {},
                  paths.assets_dir,
                  {},
                  {}};
  a.lines = LineNeeds::load(paths.assets_dir / "handout" / "lines.toml", a.texts);
  for (const auto& dir : paths.script_dirs) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / "handout.lua", ec)) {
      a.rules_file = dir / "handout.lua";
      break;
    }
  }
  if (a.rules_file.empty()) {
    std::string dirs;
    for (const auto& d : paths.script_dirs) dirs += (dirs.empty() ? "" : ", ") + d.string();
    throw std::runtime_error(fmt::format("no handout.lua in the script folders ({})", dirs));
  }
  a.sandbox.lib_dirs.push_back(a.rules_file.parent_path() / "lib");
  return a;
}

}  // namespace kiosk::handout
