// The watchdog talks to a real datagram socket standing in for systemd's
// notify socket (what systemd reads), through libsystemd's real sd_notify.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "app/watchdog.h"
#include "support/temp_dir.h"

using kiosk::app::Watchdog;
using namespace std::chrono_literals;

namespace {

// A bound AF_UNIX datagram socket; NOTIFY_SOCKET points at it while it lives.
class NotifySocket {
 public:
  explicit NotifySocket(const std::string& watchdog_usec) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const auto path = (dir_ / "notify").string();
    REQUIRE(path.size() < sizeof addr.sun_path);
    path.copy(addr.sun_path, path.size());
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    ::setenv("NOTIFY_SOCKET", path.c_str(), 1);
    if (watchdog_usec.empty())
      ::unsetenv("WATCHDOG_USEC");
    else
      ::setenv("WATCHDOG_USEC", watchdog_usec.c_str(), 1);
  }
  ~NotifySocket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::close(fd_);
  }
  // Every message received so far.
  std::vector<std::string> messages() {
    std::vector<std::string> out;
    char buf[512];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT)) > 0;)
      out.emplace_back(buf, static_cast<size_t>(n));
    return out;
  }

 private:
  kiosk::test::TempDir dir_;
  int fd_ = -1;
};

}  // namespace

TEST_CASE("watchdog: ready and pings reach the notify socket no more often than a quarter interval") {
  NotifySocket systemd("400000");  // WatchdogSec=0.4
  Watchdog w;
  REQUIRE(w.notifying());
  REQUIRE(w.interval() == 400ms);
  CHECK(w.max_wait() == 100ms);

  w.ready();
  CHECK(systemd.messages() == std::vector<std::string>{"READY=1"});

  const auto t0 = Watchdog::Clock::now();
  w.kick(t0);
  w.kick(t0 + 50ms);   // too soon: not sent
  w.kick(t0 + 99ms);   // still too soon
  w.kick(t0 + 100ms);  // a quarter interval later: sent
  CHECK(systemd.messages() == std::vector<std::string>{"WATCHDOG=1", "WATCHDOG=1"});

  w.status("attract screen");
  w.stopping();
  CHECK(systemd.messages() == std::vector<std::string>{"STATUS=attract screen", "STOPPING=1"});
}

TEST_CASE("watchdog: without WatchdogSec it still says ready but never pings") {
  NotifySocket systemd("");
  Watchdog w;
  CHECK(w.notifying());
  CHECK_FALSE(w.interval());
  CHECK(w.max_wait() == 1h);
  w.ready();
  w.kick();
  CHECK(systemd.messages() == std::vector<std::string>{"READY=1"});
}

TEST_CASE("watchdog: outside systemd every call is a no-op") {
  ::unsetenv("NOTIFY_SOCKET");
  ::setenv("WATCHDOG_USEC", "1000000", 1);  // a stray variable alone does not arm it
  Watchdog w;
  CHECK_FALSE(w.notifying());
  CHECK_FALSE(w.interval());
  w.ready();
  w.kick();
  w.stopping();
  ::unsetenv("WATCHDOG_USEC");
}
