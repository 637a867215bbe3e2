// systemd's service watchdog for the kiosk (deploy/systemd/kiosk.service:
// Type=notify, WatchdogSec=, NotifyAccess=all). The kiosk runs as a child of
// the cage compositor, not as the service's main process, so this reads
// $WATCHDOG_USEC itself (sd_watchdog_enabled() would refuse: $WATCHDOG_PID is
// cage's) and sends through $NOTIFY_SOCKET with sd_notify(). Outside systemd
// every call is a cheap no-op.
//
// The UI loop (UI thread) uses it like this:
//   app::Watchdog watchdog;                       // once, before the loop
//   ... first frame presented → watchdog.ready();
//   each loop turn → watchdog.kick(now);          // after drawing or waking up
//   wait timeout = min(pacer timeout, watchdog.max_wait())   // never sleep past it
//   on a clean exit → watchdog.stopping();
// If the loop hangs for WatchdogSec, systemd kills and restarts the kiosk.
#pragma once
#include <chrono>
#include <optional>
#include <string_view>

namespace kiosk::app {

class Watchdog {
 public:
  using Clock = std::chrono::steady_clock;

  Watchdog();  // reads $NOTIFY_SOCKET and $WATCHDOG_USEC

  bool notifying() const { return notifying_; }  // started by systemd with a notify socket
  // The interval systemd expects pings within; nullopt: no watchdog.
  std::optional<std::chrono::microseconds> interval() const { return interval_; }

  void ready();  // "READY=1": the first frame is on screen
  // "WATCHDOG=1", at most every interval/4 (so pings arrive well within the interval).
  void kick(Clock::time_point now = Clock::now());
  // Longest the UI loop may block between kicks (interval/4; an hour without a watchdog).
  std::chrono::milliseconds max_wait() const;
  void stopping();                     // "STOPPING=1" before a clean exit
  void status(std::string_view text);  // "STATUS=…", shown by `systemctl status kiosk`

 private:
  bool notifying_ = false;
  std::optional<std::chrono::microseconds> interval_;
  std::optional<Clock::time_point> last_kick_;
};

}  // namespace kiosk::app
