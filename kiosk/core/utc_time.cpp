#include "core/utc_time.h"

#include <fmt/format.h>

#include <charconv>

namespace kiosk {
namespace {

// Reads exactly `width` digits at `pos`; false if any is not a digit.
bool digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  const auto* begin = s.data() + pos;
  auto [end, ec] = std::from_chars(begin, begin + width, out);
  return ec == std::errc() && end == begin + width;
}

}  // namespace

std::string to_iso_utc(WallClock::time_point t) {
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(t);
  const auto day = floor<days>(ms);
  const year_month_day ymd{day};
  const hh_mm_ss hms{ms - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count(), hms.subseconds().count());
}

std::optional<WallClock::time_point> parse_iso_utc(std::string_view s) {
  using namespace std::chrono;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, milli = 0;
  if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d))
    return std::nullopt;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900 || y > 2200) return std::nullopt;  // the clock's range ends in 2262
  if (s.size() > 10) {
    if (s[10] != 'T' || !digits(s, 11, 2, h) || s.size() < 20 || s[13] != ':' || !digits(s, 14, 2, mi) ||
        s[16] != ':' || !digits(s, 17, 2, sec) || h > 23 || mi > 59 || sec > 59)
      return std::nullopt;
    size_t pos = 19;
    if (s[pos] == '.') {
      if (!digits(s, pos + 1, 3, milli)) return std::nullopt;
      pos += 4;
    }
    if (pos + 1 != s.size() || s[pos] != 'Z') return std::nullopt;
  }
  return WallClock::time_point(sys_days(ymd) + hours(h) + minutes(mi) + seconds(sec) + milliseconds(milli));
}

}  // namespace kiosk
