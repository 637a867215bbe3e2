// The force-plate pipeline under sustained load: the sim plugin streaming 4
// cells at --rate Hz (its own thread) → lock-free ring → calibration → the
// single-leg-stance analyzer, pumped once per 16 ms frame as the kiosk does.
// By default the plugin runs as the kiosk runs it, in its own plate host
// process (samples cross a shared-memory ring); --in-process loads it into
// this process instead (the design before plate hosts), for a ratio in the
// same run. CPU counts this process and the plate host together.
// Prints one line: "<samples> <lost> <ring_dropped> <cpu_pct_of_one_core>".
// --baseline drains the ring and throws the samples away (no calibration,
// no analysis): the plugin and ring cost alone.
#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>
#include <variant>

#include "plates/device_manager.h"
#include "plates/live_capture.h"
#include "plates/plate_calibration.h"
#include "plates/plugin_loader.h"
#include "plates/plugin_proxy.h"

namespace {
double self_cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // every thread of the process: plugin (in-process) and main
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// CPU seconds of another process so far (utime + stime of /proc/PID/stat), 0 if none.
double process_cpu_s(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string line;
  std::getline(in, line);
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream rest(line.substr(close + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i)
    if (i == 14 || i == 15) ticks += std::stod(field);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

const kp_host kQuietHost = {sizeof(kp_host), KIOSK_PLATE_ABI_VERSION, nullptr, [](void*, int, const char*) {},
                            [](void*, const char*, int) {}};
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Force-plate pipeline load test"};
  double seconds = 10;
  uint32_t rate = 10000;
  std::string plugin_dir;
  bool baseline = false, in_process = false;
  app.add_option("--seconds", seconds)->check(CLI::Range(0.5, 600.0));
  app.add_option("--rate", rate);
  app.add_option("--plugin-dir", plugin_dir)->required();
  app.add_flag("--baseline", baseline);
  app.add_flag("--in-process", in_process, "Load the plugin into this process (the old design)");
  CLI11_PARSE(app, argc, argv);

  using namespace kiosk::plates;
  using namespace std::chrono_literals;
  const auto so = std::filesystem::path(plugin_dir) / "sim.so";
  PluginHost host;
  LoadedPlugin local;  // --in-process: the plugin's own tables
  if (in_process) {
    auto loaded = load_plugin(so, kQuietHost);
    if (auto* why = std::get_if<std::string>(&loaded)) return fmt::print(stderr, "plate_pipeline: {}\n", *why), 2;
    const auto& c = std::get<CheckedPlugin>(loaded);
    local = {so, c.plugin, c.devices, c.link, nullptr};
  } else if (const auto why = host.load(so); !why.empty()) {
    return fmt::print(stderr, "plate_pipeline: {}\n", why), 2;
  }
  const LoadedPlugin& plugin = in_process ? local : host.loaded()[0];
  const pid_t host_pid = plugin.proxy ? plugin.proxy->host_pid() : -1;
  auto open = [&] { return std::make_unique<DeviceStream>(plugin, "sim:SIM-0001"); };
  const auto layout = std::get<kiosk::signal::CellLayout>(nominal_layout(open()->info()));

  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = self_cpu_s() + process_cpu_s(host_pid);
  StreamStats stats;
  if (baseline) {
    auto stream = open();
    std::vector<kp_sample> sink;
    sink.reserve(1 << 14);
    stream->start(rate);
    while (std::chrono::steady_clock::now() - wall0 < std::chrono::duration<double>(seconds)) {
      sink.clear();
      stream->drain(sink);
      std::this_thread::sleep_for(16ms);
    }
    stream->stop();
    stats = stream->stats();
  } else {
    LiveCapture capture(open(), layout, {.analyzer = "single_leg_stance", .rate_hz = rate, .max_s = seconds + 60});
    while (std::chrono::steady_clock::now() - wall0 < std::chrono::duration<double>(seconds)) {
      if (capture.pump() != LiveCapture::State::running) break;
      std::this_thread::sleep_for(16ms);
    }
    capture.finish_now();
    stats = capture.stats();
    if (capture.result().metrics.count("stance_s") == 0) return 1;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpu = self_cpu_s() + process_cpu_s(host_pid) - cpu0;
  fmt::print("{} {} {} {:.2f}\n", stats.received, stats.lost, stats.ring_dropped, 100 * cpu / wall);
  return 0;
}
