// The force-plate pipeline under sustained load: the sim plugin streaming 4
// cells at --rate Hz (its own thread) → lock-free ring → calibration → the
// single-leg-stance analyzer, pumped once per 16 ms frame as the kiosk does.
// Prints one line: "<samples> <lost> <ring_dropped> <cpu_pct_of_one_core>".
// --baseline drains the ring and throws the samples away (no calibration,
// no analysis): the plugin and ring cost alone, for a ratio in the same run.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>

#include <chrono>
#include <thread>

#include "plates/device_manager.h"
#include "plates/live_capture.h"
#include "plates/plate_calibration.h"

namespace {
double cpu_s() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);  // every thread of the process: plugin and main
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Force-plate pipeline load test"};
  double seconds = 10;
  uint32_t rate = 10000;
  std::string plugin_dir;
  bool baseline = false;
  app.add_option("--seconds", seconds)->check(CLI::Range(0.5, 600.0));
  app.add_option("--rate", rate);
  app.add_option("--plugin-dir", plugin_dir)->required();
  app.add_flag("--baseline", baseline);
  CLI11_PARSE(app, argc, argv);

  using namespace kiosk::plates;
  using namespace std::chrono_literals;
  PluginHost host;
  if (const auto why = host.load(std::filesystem::path(plugin_dir) / "sim.so"); !why.empty()) {
    fmt::print(stderr, "plate_pipeline: {}\n", why);
    return 2;
  }
  DeviceManager manager(host);
  manager.rescan();
  const auto* plate = manager.first_present();
  if (!plate) return 2;
  const auto layout = std::get<kiosk::signal::CellLayout>(nominal_layout(plate->info));

  const auto wall0 = std::chrono::steady_clock::now();
  const double cpu0 = cpu_s();
  StreamStats stats;
  if (baseline) {
    auto stream = manager.open(plate->id());
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
    LiveCapture capture(manager.open(plate->id()), layout,
                        {.analyzer = "single_leg_stance", .rate_hz = rate, .max_s = seconds + 60});
    while (std::chrono::steady_clock::now() - wall0 < std::chrono::duration<double>(seconds)) {
      if (capture.pump() != LiveCapture::State::running) break;
      std::this_thread::sleep_for(16ms);
    }
    capture.finish_now();
    stats = capture.stats();
    if (capture.result().metrics.count("stance_s") == 0) return 1;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  fmt::print("{} {} {} {:.2f}\n", stats.received, stats.lost, stats.ring_dropped, 100 * (cpu_s() - cpu0) / wall);
  return 0;
}
