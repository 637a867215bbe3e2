// Wall-clock timestamps as stored in the database, exported and sent:
// UTC, ISO 8601, with milliseconds ("2024-05-01T10:20:30.123Z"). One format
// everywhere, so text order is time order (retention and --since compare the
// text).
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

using WallClock = std::chrono::system_clock;

std::string to_iso_utc(WallClock::time_point t);

// Accepts "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM:SSZ" and
// "YYYY-MM-DDTHH:MM:SS.fffZ", years 1900 to 2200; nullopt for anything else
// or an impossible date.
std::optional<WallClock::time_point> parse_iso_utc(std::string_view text);

}  // namespace kiosk
