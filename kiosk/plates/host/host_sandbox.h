// What a plate host may do once its plugin's code runs (deploy/README.md,
// "Force-plate plugins and what they may do"): no network sockets (seccomp,
// libseccomp) and no writes outside its runtime dir, the device nodes and
// its own /proc entries (Landlock). Reads are not restricted: a plugin
// needs its libraries, sysfs and the device nodes.
// Thread: call once on the host's main thread, before any plugin code runs
// and before any other thread exists.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace kiosk::plates::host {

struct Confinement {
  bool network_blocked = false;    // socket() for anything but AF_UNIX and AF_NETLINK fails with EACCES
  bool writes_confined = false;    // Landlock took the ruleset
  std::vector<std::string> notes;  // what was applied or why not, for the plugin's log
};

// The places the host may write beneath: `runtime_dir` (may be empty), /dev,
// /proc/self, and `extra` (e.g. an emulated device tree in tests).
Confinement confine(const std::filesystem::path& runtime_dir, const std::vector<std::filesystem::path>& extra);

}  // namespace kiosk::plates::host
