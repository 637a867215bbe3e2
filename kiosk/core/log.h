// Levelled, structured log lines: "<time> <level> <component>: <event> key=value ..."
// to stderr and to a rotating file in <data dir>/logs. Any thread may log.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace kiosk::log {

struct Options {
  std::filesystem::path dir;   // empty → stderr only
  std::string level = "info";  // trace | debug | info | warn | error
  bool to_stderr = true;
  std::string stderr_level;  // empty → `level`; tools raise it to keep stderr quiet
  std::string file_name = "kiosk.log";
  size_t max_file_bytes = 5 * 1024 * 1024;
  size_t max_files = 5;
};

// Sets the sinks for every component logger, past and future. Safe to call
// again (e.g. once the data dir is known). Throws spdlog::spdlog_ex if the
// log file cannot be created.
void init(const Options& options);

// The logger of one component ("storage", "ui", "plates", ...).
std::shared_ptr<spdlog::logger> get(std::string_view component);

}  // namespace kiosk::log
