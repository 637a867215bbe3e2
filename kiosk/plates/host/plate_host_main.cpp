// kiosk-plate-host PLUGIN.so — runs one plate plugin in its own process, so
// a plugin that crashes, hangs or exits never takes the kiosk down. Started
// by the kiosk (and kioskctl) with its end of the protocol socket as fd 3;
// see plates/host_protocol.h. Not meant to be run by hand.
//
// Least privilege (deploy/README.md): this process, not the kiosk, opens
// the plate's USB or input device. It asks for no new privileges, dumps no
// core, has a memory ceiling, dies with its parent, opens no network socket
// and writes only beneath its runtime dir, /dev and its own /proc entries
// (host/host_sandbox.h), all before any plugin code runs.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <variant>

#include "plates/host/host_sandbox.h"
#include "plates/host/host_server.h"
#include "plates/host_protocol.h"
#include "plates/plugin_loader.h"

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;  // ASan reserves terabytes of address space: no data limit
#else
constexpr bool kSanitized = false;
#endif

void limit_self(unsigned long memory_mb) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // the kiosk went away: so do we
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  if (!kSanitized && memory_mb > 0) {
    const rlim_t bytes = static_cast<rlim_t>(memory_mb) << 20;
    const rlimit data{bytes, bytes};
    setrlimit(RLIMIT_DATA, &data);
  }
  signal(SIGPIPE, SIG_IGN);
}

std::filesystem::path env_path(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? std::filesystem::path(v) : std::filesystem::path();
}

// Runtime dir: KIOSK_PLATE_HOST_RUNTIME_DIR, else systemd's RUNTIME_DIRECTORY
// (the unit's RuntimeDirectory=, /run/kiosk); none outside a service. An
// emulated device tree (UMOCKDEV_DIR, tests only) stands in for /dev.
kiosk::plates::host::Confinement confine_self() {
  auto runtime = env_path("KIOSK_PLATE_HOST_RUNTIME_DIR");
  if (runtime.empty()) runtime = env_path("RUNTIME_DIRECTORY");
  std::vector<std::filesystem::path> extra;
  if (auto emulated = env_path("UMOCKDEV_DIR"); !emulated.empty()) extra.push_back(emulated);
  return kiosk::plates::host::confine(runtime, extra);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 || argv[1][0] == '-') {
    std::fprintf(stderr, "usage: kiosk-plate-host PLUGIN.so   (started by the kiosk, fd %d = its socket)\n",
                 kiosk::plates::wire::kHostFd);
    return 2;
  }
  const char* memory = std::getenv("KIOSK_PLATE_HOST_MEMORY_MB");
  limit_self(memory ? std::strtoul(memory, nullptr, 10) : 512);
  if (getppid() == 1) return 1;  // orphaned before PDEATHSIG was set

  const auto confinement = confine_self();
  kiosk::plates::host::HostServer server(kiosk::plates::wire::kHostFd);
  const bool whole = confinement.network_blocked && confinement.writes_confined;
  for (const auto& note : confinement.notes) server.log(whole ? KP_LOG_INFO : KP_LOG_WARN, note.c_str());
  auto loaded = kiosk::plates::load_plugin(argv[1], server.services());
  if (auto* why = std::get_if<std::string>(&loaded)) {
    server.refuse(*why);
    return 0;
  }
  return server.serve(std::get<kiosk::plates::CheckedPlugin>(loaded));
}
