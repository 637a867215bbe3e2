#include "app/startup.h"

#include <fmt/format.h>

#include "core/log.h"

namespace kiosk::app {

Runtime start(const StartupOptions& options) {
  Runtime rt;
  rt.demo = options.demo;
  rt.log_file = options.log_file;
  rt.config_file = choose_config_file(options.config_file);
  if (!rt.config_file.empty()) rt.config = load_config_file(rt.config_file);
  if (options.demo) {
    // Demo: everything bundled, handouts saved as PDF files, no printer.
    rt.config.printer.clear();
    rt.config.plugin_dirs.clear();
    rt.config.script_dirs.clear();
    rt.config.assets_dir.clear();
  }
  rt.paths = resolve_paths(rt.config, options.data_dir);

  std::error_code ec;
  std::filesystem::create_directories(rt.paths.data_dir, ec);
  if (ec)
    throw std::runtime_error(
        fmt::format("{}: cannot create the data folder: {}", rt.paths.data_dir.string(), ec.message()));

  log::Options lo;
  lo.dir = rt.paths.data_dir / "logs";
  lo.level = rt.config.log_level;
  lo.to_stderr = options.log_to_stderr;
  lo.file_name = options.log_file;
  lo.stderr_level = options.stderr_level;
  log::init(lo);
  log::get("app")->info("started config={} data_dir={} demo={}",
                        rt.config_file.empty() ? "(defaults)" : rt.config_file.string(), rt.paths.data_dir.string(),
                        options.demo);
  return rt;
}

}  // namespace kiosk::app
