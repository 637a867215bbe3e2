// The `--since DATE` option shared by `records`, `audit` and `export`.
#pragma once
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "core/utc_time.h"

namespace kiosk::ctl {

// Adds --since to `cmd`, stored into `text`; checked as a UTC date or time.
CLI::Option* add_since_option(CLI::App* cmd, std::string& text, bool required);
// The parsed --since; the start of time when empty.
kiosk::WallClock::time_point since_of(const std::string& text);

}  // namespace kiosk::ctl
