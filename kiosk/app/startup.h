// Start-up shared by `kiosk` and `kioskctl`: read the config (refusing a bad
// one), resolve paths, start logging. One home so both programs agree.
#pragma once
#include <filesystem>
#include <string>

#include "core/config.h"
#include "core/paths.h"

namespace kiosk::app {

struct StartupOptions {
  std::filesystem::path config_file;  // --config; empty → see choose_config_file()
  std::filesystem::path data_dir;     // --data-dir; empty → config or default
  std::string log_file = "kiosk.log";
  bool log_to_stderr = true;
  std::string stderr_level;  // empty → the config's level
  bool demo = false;         // bundled scripts and plugins, PDFs to files
};

struct Runtime {
  Config config;
  std::filesystem::path config_file;  // empty → built-in defaults
  Paths paths;
  bool demo = false;     // --demo (StartupOptions::demo)
  std::string log_file;  // the log's file name in <data dir>/logs
};

// Throws ConfigError (bad config) or std::runtime_error (data dir unusable).
Runtime start(const StartupOptions& options);

}  // namespace kiosk::app
