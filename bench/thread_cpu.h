// CPU time of a process's threads by name, from /proc/<pid>/task: how the
// plugin benches count a plugin's own threads and nothing else, in this
// process or in the plate host it runs in.
#pragma once
#include <dirent.h>

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

// The scheduler's exact CPU time of one thread, ns: the first field of its
// schedstat. utime and stime are only sampled at each clock tick, too coarse
// for a thread that wakes briefly 20 times a second.
inline uint64_t thread_cpu_ns(const std::string& task_dir) {
  std::ifstream in(task_dir + "/schedstat");
  uint64_t ns = 0;
  return in >> ns ? ns : 0;
}

// pid 0: this process; else another (a plate host the bench started).
inline std::map<int, ThreadCpu> thread_cpu(int pid = 0) {
  std::map<int, ThreadCpu> out;
  const std::string task = pid == 0 ? std::string("/proc/self/task/") : "/proc/" + std::to_string(pid) + "/task/";
  DIR* dir = opendir(task.c_str());
  if (!dir) return out;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream in(task + e->d_name + "/stat");
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
    out[std::atoi(e->d_name)] = {line.substr(open + 1, close - open - 1), utime + stime,
                                 thread_cpu_ns(task + e->d_name)};
  }
  closedir(dir);
  return out;
}

}  // namespace kiosk::bench
