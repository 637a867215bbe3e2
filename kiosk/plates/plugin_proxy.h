// The kiosk's side of one plate host process (kiosk-plate-host, see
// plates/host_protocol.h): starts it, makes the plugin ABI's calls over the
// socket with a deadline each, and turns the host's death (signal, exit,
// missed deadline, broken pipe, malformed message) into an event: its
// streams end like an unplug (KP_ERR_NO_DEVICE), it lists no plates, and
// take_death() says why. Restarting is the caller's (PluginHost) decision.
//
// Threads: launch, launch_state, shutdown, take_* on the main thread; the
// ABI calls from the threads the plugin ABI names. One reader thread per
// host process receives replies and events and drains the shared sample
// rings into the streams' callbacks, every 5 ms while any stream runs.
#pragma once
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kiosk_plate.h"
#include "kiosk_plate_battery.h"
#include "kiosk_plate_link.h"
#include "plates/host_process.h"
#include "plates/host_protocol.h"

namespace kiosk::plates {

class PluginProxy {
 public:
  enum class Phase { down, starting, ready, refused };
  static constexpr size_t kLogTail = 40;            // lines kept for the technician page
  static constexpr size_t kRingCapacity = 1 << 15;  // samples per stream: 3 s at 10 kHz

  PluginProxy(std::filesystem::path file, std::filesystem::path program, std::chrono::milliseconds deadline);
  ~PluginProxy();  // shuts the host down
  PluginProxy(const PluginProxy&) = delete;
  PluginProxy& operator=(const PluginProxy&) = delete;

  // [main] Starts a host process (any earlier one is gone first). Returns at
  // once; the host is `starting` until it says ready or refused.
  void launch();
  // [main] The phase; `wait`: while starting, block until decided. A host
  // not ready within the deadline is killed (and counts as a death).
  Phase phase(bool wait = false);
  // [main] Asks the host to close everything and exit; kills it after the deadline.
  void shutdown();

  const std::filesystem::path& file() const { return file_; }
  // The plugin's descriptor strings (the file's stem until the host first said ready). [main]
  const std::string& id() const { return id_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  bool has_link() const { return has_link_; }
  bool has_sim() const { return has_sim_; }
  bool has_battery() const { return has_battery_; }
  const std::string& refusal() const { return refusal_; }  // why the plugin was refused
  // [main] Why the host died, once per death the kiosk did not ask for.
  std::optional<std::string> take_death();
  // [any] Device ids from the plugin's hotplug notices; "" when the host came or went.
  std::vector<std::string> take_changes();
  // [any] The host process now (-1 when none), for measuring it (bench/).
  pid_t host_pid() const;
  // [any] The last lines the plugin logged (and its host's stderr), oldest first.
  std::vector<std::string> log_tail() const;

  // The plugin ABI (kiosk_plate.h), made over the wire. A host that is not
  // running lists no plates and fails the rest with KP_ERR_NO_DEVICE.
  int enumerate(kp_device_info* infos, uint32_t max);
  int open(const char* device_id, void** handle);
  int start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user);
  int stop(void* handle);
  void close(void* handle);
  int link_stats(void* handle, kp_link_stats* out);
  int set_scenario(const char* spec);
  // "kiosk.plate.sim/1" advance(): once the host replied, the samples it
  // played are handed to the streams' callbacks before this returns.
  int sim_advance(uint64_t ns);
  // "kiosk.plate.battery/1", asked of the host at most once a second per
  // device (staff screens ask every frame); the last answer meanwhile.
  int battery_status(const char* device_id, kp_battery_status* out);
  const char* last_error() const;  // [any] of the calling thread's last failed call

 private:
  struct Stream;
  struct Result {
    int rc = KP_ERR_NO_DEVICE;
    std::string payload;
    bool host_down = false;
  };
  Result call(wire::Type type, std::string payload, int fd = -1);
  Result down(const std::string& why);
  void kill_locked(const std::string& reason);
  void join();
  void run(uint64_t incarnation);  // the reader thread
  void on_message(wire::Message& msg);
  void on_stderr(std::string_view bytes);
  void on_death(uint64_t incarnation);
  void pump();
  void note(int level, const std::string& line);
  Stream* stream_of(void* handle);
  void set_error(const std::string& text) const;

  const std::filesystem::path file_, program_;
  const std::chrono::milliseconds deadline_;
  std::string id_, name_, version_, refusal_;
  bool has_link_ = false, has_sim_ = false, has_battery_ = false;
  struct BatteryAnswer {
    std::chrono::steady_clock::time_point at;
    uint64_t incarnation = 0;
    int rc = KP_ERR;
    kp_battery_status status{};
  };
  std::mutex battery_mutex_;
  std::map<std::string, BatteryAnswer> battery_;  // by device id

  mutable std::mutex mutex_;  // guards what follows, up to streams_mutex_
  std::condition_variable cv_;
  HostProcess process_;
  std::thread reader_;
  uint64_t incarnation_ = 0;
  Phase phase_ = Phase::down;
  std::chrono::steady_clock::time_point launched_at_{};
  std::optional<wire::Message> ready_;  // the host's ready/refused, for the main thread
  bool expecting_exit_ = false;
  std::string kill_reason_, death_;
  bool death_pending_ = false;
  uint32_t last_call_ = 0, pending_call_ = 0;
  std::optional<wire::Message> reply_;
  std::vector<std::string> changes_;
  std::deque<std::string> log_tail_;
  std::string stderr_partial_;
  static constexpr int kStderrBurst = 50;  // host stderr lines logged per second; the rest counted
  std::chrono::steady_clock::time_point stderr_window_{};
  int stderr_lines_ = 0;
  uint64_t stderr_cut_ = 0;

  std::mutex call_mutex_;     // one call at a time; held across launch/join too
  std::mutex streams_mutex_;  // held while a stream's callbacks run
  std::vector<std::unique_ptr<Stream>> streams_;
};

}  // namespace kiosk::plates
