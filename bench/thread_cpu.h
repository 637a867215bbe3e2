// CPU time of this process's threads by name, from /proc/self/task: how the
// plugin benches count a plugin's own threads and nothing else.
#pragma once
#include <dirent.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace kiosk::bench {

struct ThreadCpu {
  std::string name;
  uint64_t ticks = 0;  // utime + stime, clock ticks
  uint64_t ns = 0;     // CPU time the scheduler counted, ns (0 when unreadable)
};

// The scheduler's exact CPU time of one thread of this process, ns. The
// per-thread CPU clock id of a thread id, as the kernel builds it
// (MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED) = (~tid << 3) | 6): utime and
// stime are only sampled at each clock tick, too coarse for a thread that
// wakes briefly 25 times a second.
inline uint64_t thread_cpu_ns(int tid) {
  timespec ts{};
  const auto clock = static_cast<clockid_t>((~static_cast<unsigned>(tid) << 3) | 6);
  if (clock_gettime(clock, &ts) != 0) return 0;
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

inline std::map<int, ThreadCpu> thread_cpu() {
  std::map<int, ThreadCpu> out;
  DIR* dir = opendir("/proc/self/task");
  if (!dir) return out;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + e->d_name + "/stat");
    std::string line;
    std::getline(in, line);
    const auto open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    uint64_t utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {  // fields 3.. after "pid (comm) "
      if (i == 14) utime = std::stoull(field);
      if (i == 15) stime = std::stoull(field);
    }
    const int tid = std::atoi(e->d_name);
    out[tid] = {line.substr(open + 1, close - open - 1), utime + stime, thread_cpu_ns(tid)};
  }
  closedir(dir);
  return out;
}

}  // namespace kiosk::bench
