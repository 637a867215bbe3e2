// wiiboard_cpu SECONDS: streams the emulated Wii Balance Board at a jittered
// 100 Hz (the board's fastest) through the real host path (PluginHost +
// DeviceStream + the wiiboard plugin + libevdev/libudev) for SECONDS, then
// drops the board's link, and prints bench/run rows as
// "figure<TAB>value<TAB>unit<TAB>budget":
//   - the plugin's CPU in % of one core: its I/O thread ("wiiboard-io") in
//     its plate host's /proc/PID/task, read from the scheduler's count
//     (thread_cpu.h; the emulator's player thread is not counted);
//   - reports sent and samples received, and those lost;
//   - how long after the link dropped the host was told.
// Needs LD_PRELOAD=libumockdev-preload.so.0 (bench/run sets it).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "plates/device_stream.h"
#include "plates/plugin_host.h"
#include "plates/plugin_proxy.h"
#include "thread_cpu.h"
#include "wiiboard/emulator/emulated_board.h"

namespace {

using Clock = std::chrono::steady_clock;

uint64_t plugin_cpu_ns(pid_t host_pid) {
  uint64_t sum = 0;
  for (const auto& [tid, t] : kiosk::bench::thread_cpu(host_pid))
    if (t.name == "wiiboard-io") sum += t.ns;
  return sum;
}

std::array<double, 4> standing(double t) {  // N per sensor: 70 kg swaying
  const double s = 0.08 * std::sin(2 * M_PI * 0.7 * t), f = 0.06 * std::sin(2 * M_PI * 0.4 * t), q = 686.0 / 4;
  return {q * (1 + s + f), q * (1 + s - f), q * (1 - s + f), q * (1 - s - f)};
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  kiosk::wiiemu::WiiTestbed bed;
  auto& board = bed.add_board();
  kiosk::plates::PluginHost host;
  if (auto why = host.load(KIOSK_PLUGIN_DIR "/wiiboard.so"); !why.empty()) {
    std::fprintf(stderr, "wiiboard_cpu: %s\n", why.c_str());
    return 1;
  }
  std::vector<kp_sample> samples;
  {
    kiosk::plates::DeviceStream stream(host.loaded()[0], "wiiboard:00:1e:35:3b:7e:01");
    stream.start(100);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto seen = board.play(kiosk::wiiemu::jittered_reports(100, seconds, 0.003, 1, standing));
    const auto t0 = Clock::now();
    const pid_t host_pid = host.loaded()[0].proxy->host_pid();  // the plugin runs in its plate host
    const auto cpu0 = plugin_cpu_ns(host_pid);
    while (!board.wait_played(0.005)) stream.drain(samples);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    stream.drain(samples);
    const auto cpu1 = plugin_cpu_ns(host_pid);
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    const double cpu_pct = 100.0 * static_cast<double>(cpu1 - cpu0) * 1e-9 / wall;

    host.take_device_changes();
    const auto dropped = Clock::now();
    board.disconnect();
    bool told = false;  // both: the stream ended, and the board was reported gone
    while (!(told && stream.stats().ended) && Clock::now() - dropped < std::chrono::seconds(5)) {
      told = told || !host.take_device_changes().empty();
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const double told_ms = std::chrono::duration<double, std::milli>(Clock::now() - dropped).count();
    std::printf("wiiboard plugin CPU, 100 Hz emulated board (%g s)\t%.3f\t%%\t0.5\n", seconds, cpu_pct);
    std::printf("wiiboard reports sent / samples received at 100 Hz\t%zu/%zu\tn\t\n", seen.size(), samples.size());
    std::printf("wiiboard samples lost at 100 Hz\t%llu\tn\t1\n",
                static_cast<unsigned long long>(stream.stats().lost + (seen.size() - samples.size())));
    std::printf("wiiboard link drop to host told\t%.1f\tms\t250\n", told_ms);
  }
  return 0;
}
