// usbplate_cpu SECONDS: streams the emulated USB plate at 1 kHz through the
// real host path (PluginHost + DeviceStream + the usbplate plugin + libusb,
// the plugin in its own kiosk-plate-host process)
// for SECONDS, then pulls the cable, and prints bench/run rows as
// "figure<TAB>value<TAB>unit<TAB>budget":
//   - the plugin's CPU in % of one core: its I/O thread plus libusb's own
//     threads, from the plate host's /proc/PID/task (the emulator's threads are not counted;
//     the plugin's side of umockdev's ioctl socket is, so this is an upper
//     bound of what a kernel would cost);
//   - samples whose device time falls in the first SECONDS, and those lost;
//   - how long after the unplug the host was told.
// Needs LD_PRELOAD=libumockdev-preload.so.0 (bench/run sets it).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "plates/device_stream.h"
#include "plates/plugin_host.h"
#include "plates/plugin_proxy.h"
#include "thread_cpu.h"
#include "usbplate/emulator/emulated_plate.h"

namespace {

using kiosk::bench::thread_cpu;
using kiosk::bench::ThreadCpu;

using Clock = std::chrono::steady_clock;

// The plugin's thread and libusb's (its hotplug monitor), by name.
bool is_plugin_thread(const std::string& name) { return name == "usbplate-io" || name.rfind("libusb", 0) == 0; }

uint64_t plugin_ticks(const std::map<int, ThreadCpu>& threads) {
  uint64_t sum = 0;
  for (const auto& [tid, t] : threads)
    if (is_plugin_thread(t.name)) sum += t.ticks;
  return sum;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const uint32_t rate = 1000;
  kiosk::usbemu::UsbTestbed bed;
  auto& plate = bed.add_plate();
  kiosk::plates::PluginHost host;
  if (auto why = host.load(KIOSK_PLUGIN_DIR "/usbplate.so"); !why.empty()) {
    std::fprintf(stderr, "usbplate_cpu: %s\n", why.c_str());
    return 1;
  }
  std::vector<kp_sample> samples;
  uint64_t lost = 0;
  double cpu_pct = 0;
  {
    kiosk::plates::DeviceStream stream(host.loaded()[0], "usbplate:EMU-0001");
    stream.start(rate);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // settle: CPU counted from here
    const auto t0 = Clock::now();
    const pid_t host_pid = host.loaded()[0].proxy->host_pid();
    const auto ticks0 = plugin_ticks(thread_cpu(host_pid));
    const uint64_t end_ns = static_cast<uint64_t>(seconds * 1e9) + 300'000'000;
    while (samples.empty() || samples.back().t_ns < end_ns) {
      stream.drain(samples);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const auto ticks1 = plugin_ticks(thread_cpu(host_pid));
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    cpu_pct = 100.0 * static_cast<double>(ticks1 - ticks0) / static_cast<double>(sysconf(_SC_CLK_TCK)) / wall;
    lost = stream.stats().lost;

    host.take_device_changes();
    const auto pulled = Clock::now();
    plate.unplug();
    bool told = false;  // both: the stream ended, and the plate was reported gone
    while (!(told && stream.stats().ended) && Clock::now() - pulled < std::chrono::seconds(5)) {
      told = told || !host.take_device_changes().empty();
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    const double told_ms = std::chrono::duration<double, std::milli>(Clock::now() - pulled).count();
    size_t in_window = 0;
    for (const auto& s : samples) in_window += s.t_ns < static_cast<uint64_t>(seconds * 1e9);
    std::printf("usbplate plugin CPU, 1 kHz emulated (%g s)\t%.2f\t%%\t3\n", seconds, cpu_pct);
    std::printf("usbplate samples in the first %g s at 1 kHz\t%zu\tn\t\n", seconds, in_window);
    std::printf("usbplate samples lost at 1 kHz\t%llu\tn\t1\n", static_cast<unsigned long long>(lost));
    std::printf("usbplate unplug to host told\t%.1f\tms\t250\n", told_ms);
  }
  return 0;
}
