// A plate plugin (usbplate by default) loaded straight through its ABI (dlopen + entry), with
// a host that records everything the plugin tells it, and one open stream's
// samples. Tests pair it with the emulated plate (usbplate/emulator).
// Thread: construct, call and destroy on the test's thread; callbacks land
// on the plugin's thread and are recorded under a mutex.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"

namespace kiosk::test {

struct DeviceChange {
  std::string id;
  bool added;
  std::chrono::steady_clock::time_point at;
};

class PluginUnderTest {
 public:
  explicit PluginUnderTest(const std::string& plugin = "usbplate");  // loads and inits <plugin>.so from the build tree
  ~PluginUnderTest();  // closes what is open, deinits (the library stays mapped)

  const kp_devices_v1& dev() const { return *devices_; }
  const kp_link_v1& link() const { return *link_; }
  const void* extension(const char* id) const { return plugin_->get_extension(id); }
  std::vector<kp_device_info> enumerate(int* rc = nullptr);

  // Opens and starts `id` at `rate_hz`; REQUIREs success. One stream at a time.
  void open_and_start(const std::string& id, uint32_t rate_hz);
  int start(uint32_t rate_hz);  // on the handle already open
  void stop();
  void close();
  void* handle() const { return handle_; }
  kp_link_stats stats() const;

  // Recorded by the host callbacks:
  std::vector<kp_sample> samples() const;
  size_t sample_count() const;
  void clear_samples();
  std::vector<std::string> logs() const;
  std::vector<DeviceChange> changes() const;
  bool ended() const;
  int end_reason() const;
  std::chrono::steady_clock::time_point ended_at() const;

  // Polls `pred` every 2 ms; false if it is still false after `limit`.
  bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds limit = std::chrono::seconds(5)) const;

 private:
  static void on_log(void* ctx, int level, const char* message);
  static void on_change(void* ctx, const char* id, int added);
  static void on_samples(void* user, const kp_sample* s, size_t n);
  static void on_end(void* user, int reason);

  const kp_plugin* plugin_ = nullptr;
  const kp_devices_v1* devices_ = nullptr;
  const kp_link_v1* link_ = nullptr;
  kp_host host_{};
  void* handle_ = nullptr;
  bool started_ = false;

  mutable std::mutex m_;
  std::vector<kp_sample> samples_;
  std::vector<std::string> logs_;
  std::vector<DeviceChange> changes_;
  bool ended_ = false;
  int end_reason_ = KP_OK;
  std::chrono::steady_clock::time_point ended_at_;
};

// "usbplate:<serial>"
inline std::string plate_id(const std::string& serial) { return "usbplate:" + serial; }

}  // namespace kiosk::test
