#include "ipp_printer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

namespace kiosk::test {
namespace {

bool port_answers(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  close(fd);
  return ok;
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

bool sh(const char* command) { return std::system(command) == 0; }

// dbus + avahi, once per machine; a lock file serialises parallel test runs.
// A container snapshot may hold a stale bus socket with no daemon behind it,
// so the bus is asked a question rather than its socket looked at.
void start_dns_sd() {
  static bool done = false;
  if (done) return;
  int lock = open("/tmp/kiosk-test-dnssd.lock", O_CREAT | O_RDWR, 0666);
  flock(lock, LOCK_EX);
  if (!sh("avahi-daemon --check 2>/dev/null")) {
    if (!sh("dbus-send --system --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetId "
            ">/dev/null 2>&1"))
      sh("rm -f /run/dbus/system_bus_socket /run/dbus/pid; mkdir -p /run/dbus && dbus-daemon --system --fork");
    sh("avahi-daemon --no-drop-root --no-chroot -D 2>/dev/null");
    for (int i = 0; i < 50 && !sh("avahi-daemon --check 2>/dev/null"); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  flock(lock, LOCK_UN);
  close(lock);
  done = true;
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

IppPrinter::IppPrinter(const std::filesystem::path& spool, std::string formats, std::string command) : spool_(spool) {
  start_dns_sd();
  std::filesystem::create_directories(spool_);
  static std::atomic<int> counter{0};
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = free_port();
    const std::string name = "kiosk-test-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    const std::string log = (spool_ / "printer.log").string();
    pid_ = fork();
    if (pid_ == 0) {
      int fd = open(log.c_str(), O_CREAT | O_WRONLY | O_APPEND, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      const std::string port = std::to_string(port_), dir = spool_.string();
      execlp("ippeveprinter", "ippeveprinter", "-p", port.c_str(), "-d", dir.c_str(), "-f", formats.c_str(), "-k", "-c",
             command.c_str(), name.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 100; ++i) {
      if (port_answers(port_)) return;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) break;  // died (port taken?): try another
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    stop();
  }
  // The spool folder goes with the test, so its log travels in the message.
  throw std::runtime_error("ippeveprinter did not start; its log:\n" + read_text(spool_ / "printer.log"));
}

IppPrinter::~IppPrinter() { stop(); }

void IppPrinter::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

std::string IppPrinter::uri() const { return "ipp://localhost:" + std::to_string(port_) + "/ipp/print"; }

std::vector<std::filesystem::path> IppPrinter::job_files(const std::string& extension) const {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(spool_))
    if (e.path().extension() == extension) out.push_back(e.path());
  return out;
}

}  // namespace kiosk::test
