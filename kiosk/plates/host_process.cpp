#include "plates/host_process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

#include "plates/host_protocol.h"

extern char** environ;

namespace kiosk::plates {

std::filesystem::path default_host_program() {
  if (const char* env = std::getenv("KIOSK_PLATE_HOST"); env && *env) return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return (ec ? std::filesystem::path(".") : self.parent_path()) / "kiosk-plate-host";
}

HostProcess spawn_host(const std::filesystem::path& program, const std::filesystem::path& plugin) {
  int sv[2], err[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
    throw std::runtime_error(fmt::format("socketpair: {}", std::strerror(errno)));
  if (pipe2(err, O_CLOEXEC) != 0) {
    ::close(sv[0]);
    ::close(sv[1]);
    throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, sv[1], wire::kHostFd);  // clears close-on-exec, even if equal
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  const std::string prog = program.string(), lib = plugin.string();
  char* argv[] = {const_cast<char*>(prog.c_str()), const_cast<char*>(lib.c_str()), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, prog.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  ::close(err[1]);
  if (rc != 0) {
    ::close(sv[0]);
    ::close(err[0]);
    throw std::runtime_error(fmt::format("cannot start {}: {}", prog, std::strerror(rc)));
  }
  return {pid, sv[0], err[0]};
}

namespace {
std::string describe(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* abbrev = sigabbrev_np(sig);
    return fmt::format("killed by signal {} (SIG{})", sig, abbrev ? abbrev : "?");
  }
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  return fmt::format("ended with wait status {}", status);
}
}  // namespace

std::string reap_host(pid_t pid, std::chrono::milliseconds grace) {
  if (pid <= 0) return "not running";
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + grace;
  pid_t got;
  while ((got = waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  if (got == 0) {
    kill(pid, SIGKILL);
    while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
  }
  return got == pid ? describe(status) : fmt::format("could not be reaped: {}", std::strerror(errno));
}

void close_host(HostProcess& p) {
  for (int* fd : {&p.sock, &p.stderr_})
    if (*fd >= 0) ::close(std::exchange(*fd, -1));
  p.pid = -1;
}

}  // namespace kiosk::plates
