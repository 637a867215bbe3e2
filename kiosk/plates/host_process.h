// Starting, killing and reaping one kiosk-plate-host process, and saying in
// words how it ended. Thread: any; one owner per process.
#pragma once
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace kiosk::plates {

struct HostProcess {
  pid_t pid = -1;
  int sock = -1;     // the kiosk's end of the protocol socket (plates/host_protocol.h)
  int stderr_ = -1;  // read end of the host's stderr
};

// The kiosk-plate-host program: KIOSK_PLATE_HOST if set, else the one beside this program.
std::filesystem::path default_host_program();

// Starts `program plugin` with the socket as fd 3 and stderr on a pipe.
// Throws std::runtime_error (with the OS's words) when it cannot.
HostProcess spawn_host(const std::filesystem::path& program, const std::filesystem::path& plugin);

// Waits for process `pid` to end, killing it (SIGKILL) if it has not ended
// within `grace`. Returns how it ended, in words: "exited with status 3",
// "killed by signal 11 (SIGSEGV)".
std::string reap_host(pid_t pid, std::chrono::milliseconds grace);
// Closes the kiosk's descriptors of a host (after its reader stopped using them).
void close_host(HostProcess& p);

}  // namespace kiosk::plates
