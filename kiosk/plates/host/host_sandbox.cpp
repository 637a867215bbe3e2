#include "plates/host/host_sandbox.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

// Landlock ABI 3 (Linux 6.2); Debian 12's headers are 6.1's. The value is the kernel's uapi.
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

namespace kiosk::plates::host {

namespace {

// seccomp: socket(2) only for AF_UNIX (the kiosk's socketpair is already
// open; umockdev and D-Bus-free helpers use it) and AF_NETLINK (libudev and
// libusb hotplug); io_uring could open sockets behind seccomp's back, so it is off.
std::string block_network() {
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) return "seccomp_init failed";
  const auto refuse = SCMP_ACT_ERRNO(EACCES);
  int rc = 0;
  for (int family = 0; family < AF_MAX && rc == 0; ++family)
    if (family != AF_UNIX && family != AF_NETLINK)
      rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, static_cast<scmp_datum_t>(family)));
  if (rc == 0)
    rc = seccomp_rule_add(ctx, refuse, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_GE, static_cast<scmp_datum_t>(AF_MAX)));
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(io_uring_setup), 0);
  if (rc == 0) rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  return rc == 0 ? std::string() : fmt::format("seccomp filter not loaded: {}", std::strerror(-rc));
}

// Landlock's write-like rights this kernel knows (ABI 1: files and dirs; 2: refer; 3: truncate).
uint64_t write_rights(int abi) {
  uint64_t rights = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                    LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                    LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                    LANDLOCK_ACCESS_FS_MAKE_SYM;
  if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
  return rights;
}

// Allows `rights` beneath `dir`; a folder that does not exist is skipped.
void allow_beneath(int ruleset, const std::filesystem::path& dir, uint64_t rights, std::vector<std::string>& notes) {
  const int fd = ::open(dir.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = rights;
  rule.parent_fd = fd;
  if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
    notes.push_back(fmt::format("Landlock: cannot allow writes beneath {}: {}", dir.string(), std::strerror(errno)));
  ::close(fd);
}

std::string confine_writes(const std::vector<std::filesystem::path>& writable, std::vector<std::string>& notes) {
  const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi < 1) return fmt::format("this kernel has no Landlock ({}): writes are not confined", std::strerror(errno));
  landlock_ruleset_attr attr{};
  attr.handled_access_fs = write_rights(static_cast<int>(abi));
  const int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0));
  if (ruleset < 0) return fmt::format("Landlock ruleset refused: {}", std::strerror(errno));
  for (const auto& dir : writable) allow_beneath(ruleset, dir, attr.handled_access_fs, notes);
  // Landlock binds the calling thread (and its later children): the host has no other thread yet.
  const long rc = syscall(SYS_landlock_restrict_self, ruleset, 0);
  const int err = errno;
  ::close(ruleset);
  return rc == 0 ? std::string() : fmt::format("Landlock not applied: {}", std::strerror(err));
}

}  // namespace

Confinement confine(const std::filesystem::path& runtime_dir, const std::vector<std::filesystem::path>& extra) {
  Confinement out;
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);  // both need it of an unprivileged process
  std::vector<std::filesystem::path> writable{"/dev", fmt::format("/proc/{}", getpid())};
  if (!runtime_dir.empty()) writable.push_back(runtime_dir);
  writable.insert(writable.end(), extra.begin(), extra.end());
  if (auto why = confine_writes(writable, out.notes); why.empty()) {
    out.writes_confined = true;
    std::string where;
    for (const auto& w : writable) where += (where.empty() ? "" : ", ") + w.string();
    out.notes.push_back("writes confined (Landlock) to " + where);
  } else {
    out.notes.push_back(why);
  }
  if (auto why = block_network(); why.empty()) {
    out.network_blocked = true;
    out.notes.push_back("network sockets refused (seccomp): only AF_UNIX and AF_NETLINK");
  } else {
    out.notes.push_back(why);
  }
  return out;
}

}  // namespace kiosk::plates::host
