#include "core/log.h"

#include <mutex>
#include <vector>

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace kiosk::log {
namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e%z %-5l %n: %v";

struct State {
  std::mutex mutex;
  std::vector<spdlog::sink_ptr> sinks{std::make_shared<spdlog::sinks::stderr_color_sink_mt>()};
  spdlog::level::level_enum level = spdlog::level::info;
};

State& state() {
  static State s;
  return s;
}

void configure(spdlog::logger& logger, const State& s) {
  logger.sinks() = s.sinks;
  logger.set_level(s.level);
  logger.set_pattern(kPattern);
  logger.flush_on(spdlog::level::warn);
}

}  // namespace

void init(const Options& options) {
  std::vector<spdlog::sink_ptr> sinks;
  if (options.to_stderr) {
    auto err = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    if (!options.stderr_level.empty()) err->set_level(spdlog::level::from_str(options.stderr_level));
    sinks.push_back(std::move(err));
  }
  if (!options.dir.empty()) {
    std::filesystem::create_directories(options.dir);
    sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>((options.dir / options.file_name).string(),
                                                                           options.max_file_bytes, options.max_files));
  }
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.sinks = std::move(sinks);
  s.level = spdlog::level::from_str(options.level);
  spdlog::apply_all([&](const std::shared_ptr<spdlog::logger>& l) { configure(*l, s); });
}

std::shared_ptr<spdlog::logger> get(std::string_view component) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  std::string name(component);
  if (auto existing = spdlog::get(name)) return existing;
  auto logger = std::make_shared<spdlog::logger>(name);
  configure(*logger, s);
  spdlog::register_logger(logger);
  return logger;
}

}  // namespace kiosk::log
