// The simulated plate: a real plugin through the same ABI as hardware
// (libsigrok's "demo" driver is the model). Samples come from the
// deterministic scenario generator (scenario.h), paced by the monotonic
// clock on the plugin's own thread, or under clock=stepped by the host's
// advance() calls (a virtual clock for tests). The kiosk's default device in demo mode.
//
// Choosing what it plays: extension "kiosk.plate.sim/1" (set_scenario), or
// KIOSK_SIM_SCENARIO in the environment at init, e.g.
//   KIOSK_SIM_SCENARIO="scenario=heel_raises reps=12 seed=3" kioskctl device stream sim:SIM-0001
// Keys: see sim/scenario_spec.h. The plate's own properties (true cell gains
// and offsets, noise, speed, clock) go in KIOSK_SIM_PLATE and stay under every
// scenario set later, e.g. KIOSK_SIM_PLATE="cell_gains_pct=12,-8,20,-15 noise_n=0.5".
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "kiosk_plate.h"
#include "kiosk_plate_sim.h"
#include "sim/scenario_spec.h"

#include <algorithm>
#include <vector>

namespace {

using kiosk::sim::ScenarioGenerator;
using kiosk::sim::SimSpec;

constexpr const char* kDeviceId = "sim:SIM-0001";
constexpr uint32_t kRates[] = {100, 1000, 10000};
constexpr double kNewtonsPerCount = kiosk::sim::kSimNewtonsPerCount;  // nominal gain it reports

thread_local char last_error_text[1024] = "";  // room for the spec's list of keys
const kp_host* g_host = nullptr;
std::mutex g_spec_mutex;
SimSpec g_spec;                     // guarded by g_spec_mutex; read at start()
std::string g_plate_spec;           // KIOSK_SIM_PLATE: the plate's own keys under every scenario (init only)
std::atomic<bool> g_present{true};  // false after a simulated unplug

int fail(int code, const std::string& text) {
  std::snprintf(last_error_text, sizeof last_error_text, "%s", text.c_str());
  return code;
}

void host_log(int level, const std::string& text) {
  if (g_host && g_host->log) g_host->log(g_host->ctx, level, text.c_str());
}

struct Device {
  std::thread thread;
  std::atomic<bool> running{false};
  uint32_t rate_hz = 0;
  kp_samples_fn on_samples = nullptr;
  kp_stream_end_fn on_end = nullptr;
  void* user = nullptr;
  SimSpec spec;
  // clock=stepped: the device thread plays every sample before target_ns and
  // tells next_ns, the nominal time of the first one it has not played. [clock_mutex]
  std::mutex clock_mutex;
  std::condition_variable clock_cv;
  uint64_t target_ns = 0, next_ns = 0;
  bool thread_done = false;

  // One stream's samples, in order: the scenario, with the Wii board's radio if it plays one. [device thread]
  struct Player {
    ScenarioGenerator gen;
    uint64_t period_ns;
    bool wii;
    std::mt19937_64 radio;  // board=wii: the Bluetooth link's timing jitter
    std::normal_distribution<double> jitter_ns{0, kiosk::sim::kWiiJitter_s * 1e9};
    uint64_t n = 0, last_t_ns = 0;

    Player(const SimSpec& spec, uint32_t rate_hz)
        : gen(spec.scenario), period_ns(1'000'000'000ull / rate_hz), wii(spec.wii_board), radio(spec.scenario.seed) {}
    uint64_t next_t_ns() const { return n * period_ns; }  // nominal time of the next sample
    kp_sample next() {
      const auto s = gen.next();
      kp_sample k{};
      k.t_ns = n * period_ns;
      if (wii && n > 0) {  // a report is late by the radio, never ahead of the last one
        const double t = static_cast<double>(k.t_ns) + jitter_ns(radio);
        k.t_ns = std::max(last_t_ns + period_ns / 5, static_cast<uint64_t>(std::max(0.0, t)));
      }
      last_t_ns = k.t_ns;
      k.seq = static_cast<uint32_t>(n++);
      for (size_t c = 0; c < 4; ++c) {
        k.raw[c] = static_cast<int32_t>(std::lround(s.cells[c]));
        if (wii) k.raw[c] = std::max(k.raw[c], 0);  // the kernel clamps below the board's zero
      }
      return k;
    }
  };

  // After `n` samples: the simulated unplug, if it is due (then the stream has ended). [device thread]
  bool unplugged(uint64_t n) {
    if (!(spec.unplug_s > 0 && static_cast<double>(n) / rate_hz >= spec.unplug_s)) return false;
    g_present = false;
    host_log(KP_LOG_WARN, "simulated unplug");
    if (g_host && g_host->device_changed) g_host->device_changed(g_host->ctx, kDeviceId, 0);
    on_end(user, KP_ERR_NO_DEVICE);
    return true;
  }

  void stream() {  // [device thread]
    spec.scenario.rate_hz = rate_hz;
    Player player(spec, rate_hz);
    if (spec.stepped)
      play_stepped(player);
    else
      play_paced(player);
    std::lock_guard lock(clock_mutex);
    thread_done = true;
    clock_cv.notify_all();
  }

  // Paced by the monotonic clock; `speed` > 1 plays faster (device times stay true).
  void play_paced(Player& player) {
    const auto start = std::chrono::steady_clock::now();
    const uint64_t batch = std::max<uint64_t>(1, rate_hz / 500);  // one callback per ~2 ms
    std::vector<kp_sample> out(batch);
    while (running.load(std::memory_order_acquire)) {
      for (auto& k : out) k = player.next();
      on_samples(user, out.data(), out.size());
      if (unplugged(player.n)) return;
      std::this_thread::sleep_until(start + std::chrono::nanoseconds(static_cast<uint64_t>(
                                                static_cast<double>(player.n * player.period_ns) / spec.speed)));
    }
  }

  // On the virtual clock: each advance() plays the samples before its target time, then waits.
  void play_stepped(Player& player) {
    std::vector<kp_sample> out;
    out.reserve(256);
    for (;;) {
      uint64_t target;
      {
        std::unique_lock lock(clock_mutex);
        next_ns = player.next_t_ns();
        clock_cv.notify_all();
        clock_cv.wait(lock, [&] { return !running.load() || next_ns < target_ns; });
        if (!running.load()) return;
        target = target_ns;
      }
      while (player.next_t_ns() < target) {
        out.clear();
        bool unplug = false;
        while (out.size() < out.capacity() && player.next_t_ns() < target && !unplug) {
          out.push_back(player.next());
          unplug = spec.unplug_s > 0 && static_cast<double>(player.n) / rate_hz >= spec.unplug_s;
        }
        on_samples(user, out.data(), out.size());
        if (unplugged(player.n)) return;
      }
    }
  }

  // [main] Plays `ns` more device time on the stepped stream and waits until it has been delivered.
  void advance(uint64_t ns) {
    std::unique_lock lock(clock_mutex);
    target_ns += ns;
    clock_cv.notify_all();
    clock_cv.wait(lock, [&] { return next_ns >= target_ns || thread_done; });
  }
};

Device g_device;

bool wii_board() {
  std::lock_guard lock(g_spec_mutex);
  return g_spec.wii_board;
}

int sim_enumerate(kp_device_info* infos, uint32_t max) {
  if (!g_present) return 0;
  if (max >= 1 && infos) {
    kp_device_info& i = infos[0];
    const uint32_t size = i.struct_size;
    std::memset(&i, 0, std::min<size_t>(size, sizeof i));
    i.struct_size = size;
    std::snprintf(i.id, sizeof i.id, "%s", kDeviceId);
    std::snprintf(i.vendor, sizeof i.vendor, "Heel kiosk");
    const bool wii = wii_board();
    std::snprintf(i.model, sizeof i.model, wii ? "Simulated Wii Balance Board" : "Simulated plate");
    std::snprintf(i.serial, sizeof i.serial, "SIM-0001");
    std::snprintf(i.firmware, sizeof i.firmware, "sim-1");
    kiosk::signal::CellLayout layout;
    if (wii) layout.half_span_x_mm = kiosk::sim::kWiiHalfSpanX_mm, layout.half_span_y_mm = kiosk::sim::kWiiHalfSpanY_mm;
    i.cell_count = 4;
    for (uint32_t c = 0; c < 4; ++c) {
      i.cell_x_mm[c] = static_cast<float>(layout.cell_x_mm(c));
      i.cell_y_mm[c] = static_cast<float>(layout.cell_y_mm(c));
    }
    i.rate_count = wii ? 1 : static_cast<uint32_t>(std::size(kRates));
    for (uint32_t r = 0; r < i.rate_count; ++r) i.rates_hz[r] = kRates[r];  // 100 Hz first
    i.newtons_per_count = wii ? kiosk::sim::kWiiNewtonsPerCount : kNewtonsPerCount;
  }
  return 1;
}

int sim_open(const char* id, void** handle) {
  if (!id || std::strcmp(id, kDeviceId) != 0 || !g_present) return fail(KP_ERR_NO_DEVICE, "no such simulated plate");
  *handle = &g_device;
  return KP_OK;
}

int sim_start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  auto* d = static_cast<Device*>(handle);
  if (d->running) return fail(KP_ERR_STATE, "already streaming");
  if (wii_board() && rate_hz != kRates[0]) return fail(KP_ERR_ARG, "a Wii board streams at 100 Hz");
  if (std::find(std::begin(kRates), std::end(kRates), rate_hz) == std::end(kRates))
    return fail(KP_ERR_ARG, "rate must be 100, 1000 or 10000 Hz");
  if (!on_samples || !on_end) return fail(KP_ERR_ARG, "callbacks must not be NULL");
  {
    std::lock_guard lock(g_spec_mutex);
    d->spec = g_spec;
  }
  d->rate_hz = rate_hz;
  d->on_samples = on_samples;
  d->on_end = on_end;
  d->user = user;
  if (d->thread.joinable()) d->thread.join();  // a stream that ended by itself
  try {
    ScenarioGenerator check(d->spec.scenario);  // refuse a bad scenario here, not on the thread
  } catch (const std::exception& e) {
    return fail(KP_ERR_ARG, e.what());
  }
  {
    std::lock_guard lock(d->clock_mutex);
    d->target_ns = d->next_ns = 0;
    d->thread_done = false;
  }
  d->running = true;
  d->thread = std::thread([d] { d->stream(); });
  return KP_OK;
}

int sim_stop(void* handle) {
  auto* d = static_cast<Device*>(handle);
  if (!d->running) return fail(KP_ERR_STATE, "not streaming");
  {
    std::lock_guard lock(d->clock_mutex);  // wakes a stepped stream waiting for time
    d->running = false;
    d->clock_cv.notify_all();
  }
  if (d->thread.joinable()) d->thread.join();
  return KP_OK;
}

void sim_close(void* handle) {
  auto* d = static_cast<Device*>(handle);
  if (d->running) sim_stop(handle);
  if (d->thread.joinable()) d->thread.join();
}

const char* sim_last_error() { return last_error_text; }

int sim_set_scenario(const char* spec) {
  try {
    SimSpec parsed = kiosk::sim::parse_spec(g_plate_spec + " " + (spec ? spec : ""));
    std::lock_guard lock(g_spec_mutex);
    g_spec = parsed;
    // A new scenario plugs the plate back in (after a simulated unplug).
    if (!g_present.exchange(true) && g_host && g_host->device_changed)
      g_host->device_changed(g_host->ctx, kDeviceId, 1);
    return KP_OK;
  } catch (const std::exception& e) {
    return fail(KP_ERR_ARG, e.what());
  }
}

int sim_advance(uint64_t ns) {
  Device& d = g_device;
  bool stepped;
  if (d.running) {
    stepped = d.spec.stepped;
  } else {
    std::lock_guard lock(g_spec_mutex);
    stepped = g_spec.stepped;
  }
  if (!stepped) return fail(KP_ERR_STATE, "the plate plays on the wall clock (clock=stepped puts it on advance())");
  if (d.running) d.advance(ns);
  return KP_OK;
}

const kp_devices_v1 kDevices{sizeof(kp_devices_v1), sim_enumerate, sim_open, sim_start, sim_stop, sim_close,
                             sim_last_error};
const kp_sim_v1 kSim{sizeof(kp_sim_v1), sim_set_scenario, sim_advance};

int sim_init(const kp_host* host) {
  g_host = host;
  g_plate_spec.clear();
  if (const char* plate = std::getenv("KIOSK_SIM_PLATE"); plate && *plate) {
    g_plate_spec = plate;
    if (int rc = sim_set_scenario(""); rc != KP_OK) {
      host_log(KP_LOG_ERROR, std::string("KIOSK_SIM_PLATE: ") + last_error_text);
      return rc;
    }
  }
  if (const char* env = std::getenv("KIOSK_SIM_SCENARIO"); env && *env) {
    if (int rc = sim_set_scenario(env); rc != KP_OK) {
      host_log(KP_LOG_ERROR, std::string("KIOSK_SIM_SCENARIO: ") + last_error_text);
      return rc;
    }
  }
  return KP_OK;
}

void sim_deinit() {
  if (g_device.running) sim_stop(&g_device);
  if (g_device.thread.joinable()) g_device.thread.join();
  g_host = nullptr;
}

const void* sim_get_extension(const char* id) {
  if (!id) return nullptr;
  if (std::strcmp(id, KP_EXT_DEVICES_V1) == 0) return &kDevices;
  if (std::strcmp(id, KP_EXT_SIM_V1) == 0) return &kSim;
  return nullptr;
}

const kp_plugin kDescriptor{
    KIOSK_PLATE_ABI_VERSION, sizeof(kp_plugin), "sim", "Simulated plate", "1.0", sim_init, sim_deinit,
    sim_get_extension};

}  // namespace

extern "C" KIOSK_PLATE_EXPORT const kp_plugin* kiosk_plate_entry(void) { return &kDescriptor; }
