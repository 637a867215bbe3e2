#include "app/watchdog.h"

#include <systemd/sd-daemon.h>

#include <charconv>
#include <cstdlib>
#include <string>

namespace kiosk::app {

Watchdog::Watchdog() {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  notifying_ = socket && *socket;
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (!notifying_ || !usec) return;
  long long value = 0;
  const std::string_view text(usec);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size() && value > 0) interval_ = std::chrono::microseconds(value);
}

void Watchdog::ready() {
  if (notifying_) sd_notify(0, "READY=1");
}

void Watchdog::kick(Clock::time_point now) {
  if (!interval_) return;
  if (last_kick_ && now - *last_kick_ < *interval_ / 4) return;
  last_kick_ = now;
  sd_notify(0, "WATCHDOG=1");
}

std::chrono::milliseconds Watchdog::max_wait() const {
  if (!interval_) return std::chrono::hours(1);
  return std::max(std::chrono::milliseconds(1), std::chrono::duration_cast<std::chrono::milliseconds>(*interval_ / 4));
}

void Watchdog::stopping() {
  if (notifying_) sd_notify(0, "STOPPING=1");
}

void Watchdog::status(std::string_view text) {
  if (notifying_) sd_notify(0, ("STATUS=" + std::string(text)).c_str());
}

}  // namespace kiosk::app
