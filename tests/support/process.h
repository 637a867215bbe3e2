// Runs a real program from a test and captures what it printed.
#pragma once
#include <filesystem>
#include <string>

namespace kiosk::test {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// `command` goes to /bin/sh; `env` is prepended ("A=1 B=2"). Blocks until exit.
ProcessResult run(const std::string& command, const std::string& env = "");

// Environment for running the real `kiosk` window headless: SDL's offscreen
// driver. Its EGL/DRI modules are unloaded at exit, so LeakSanitizer cannot
// attribute (or suppress) their allocations: leak checks are off for this
// process only; ASan's memory-error checks stay on.
inline constexpr const char* kOffscreenKioskEnv = "SDL_VIDEODRIVER=offscreen ASAN_OPTIONS=detect_leaks=0";

// Path of one of the project's programs in the build tree (bin/).
std::string program(const std::string& name);

// A kioskctl command line that loads plugins only from `plugin_dir`, with its
// config file and data dir inside `dir` (writes the config file).
std::string kioskctl_with_plugins(const std::string& dir, const std::string& plugin_dir, const std::string& args);

// Calibrates the simulated plate the technician's way (`kioskctl calibrate
// --unattended` on the five standard marks, the sim 25x faster), so a kiosk
// with this config and data dir offers it to patients.
ProcessResult calibrate_sim(const std::filesystem::path& config, const std::filesystem::path& data_dir);

}  // namespace kiosk::test
