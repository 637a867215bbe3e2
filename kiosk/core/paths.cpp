#include "core/paths.h"

#include <cstdlib>

#include "core/version.h"

namespace kiosk {
namespace {

std::filesystem::path default_data_dir() {
  if (const char* env = std::getenv("KIOSK_DATA_DIR"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) return std::filesystem::path(xdg) / "heel-kiosk";
  if (const char* home = std::getenv("HOME"); home && *home)
    return std::filesystem::path(home) / ".local/state/heel-kiosk";
  return "/var/lib/kiosk";
}

// Installed: <prefix>/share/kiosk/<name>; build tree: the source tree's <name>.
std::filesystem::path bundled(const char* name) {
  std::error_code ec;
  auto installed = executable_dir() / ".." / "share" / "kiosk" / name;
  if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
  return std::filesystem::path(kSourceDir) / name;
}

}  // namespace

std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}

Paths resolve_paths(const Config& config, const std::filesystem::path& data_dir_from_cli) {
  Paths p;
  p.data_dir = !data_dir_from_cli.empty() ? data_dir_from_cli
               : !config.data_dir.empty() ? config.data_dir
                                          : default_data_dir();
  p.assets_dir = !config.assets_dir.empty() ? config.assets_dir : bundled("assets");
  p.script_dirs =
      !config.script_dirs.empty() ? config.script_dirs : std::vector<std::filesystem::path>{bundled("scripts")};
  p.plugin_dirs = !config.plugin_dirs.empty()
                      ? config.plugin_dirs
                      : std::vector<std::filesystem::path>{
                            (executable_dir() / ".." / "lib" / "kiosk" / "plugins").lexically_normal()};
  return p;
}

}  // namespace kiosk
