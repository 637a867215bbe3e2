// One open plate, streaming into a lock-free ring. The plugin's device
// thread pushes; the main thread drains. Sequence numbers are checked on
// the way in: a forward jump counts lost samples, a backward one is a
// misordered sample (dropped and counted). Thread: construct, start, stop,
// drain and destroy on the main thread.
#pragma once
#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "kiosk_plate.h"
#include "plates/plugin_host.h"
#include "plates/sample_ring.h"

namespace kiosk::plates {

class PlateError : public std::runtime_error {
 public:
  PlateError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }  // a KP_ERR_* value

 private:
  int code_;
};

struct StreamStats {
  uint64_t received = 0;      // samples that reached the ring
  uint64_t ring_dropped = 0;  // refused: the main thread fell behind
  uint64_t lost = 0;          // never arrived: gaps in the sequence numbers
  uint64_t misordered = 0;    // arrived with an old sequence number; dropped
  bool ended = false;         // the device ended the stream (e.g. unplugged)
  int end_reason = KP_OK;     // KP_ERR_* when ended
};

// The one call of a plugin's enumerate: fills `out` with the plates it lists
// now (at most kMaxListed; ids made safe to read as text) and returns how
// many exist, or its KP_ERR_*. DeviceManager keeps the list; DeviceStream
// reads a plate's description from it. [main]
inline constexpr uint32_t kMaxListed = 16;
int enumerate_plates(const LoadedPlugin& plugin, std::vector<kp_device_info>& out);

class DeviceStream {
 public:
  // Opens `device_id` on `plugin`. Throws PlateError with the plugin's words.
  DeviceStream(const LoadedPlugin& plugin, const std::string& device_id, size_t ring_capacity = 1 << 16);
  ~DeviceStream();
  DeviceStream(const DeviceStream&) = delete;
  DeviceStream& operator=(const DeviceStream&) = delete;

  const kp_device_info& info() const { return info_; }
  void start(uint32_t rate_hz);  // throws PlateError
  void stop();                   // idempotent; no callback runs after it returns

  // Moves up to `max` samples from the ring into `out` (appended). [main]
  size_t drain(std::vector<kp_sample>& out, size_t max = SIZE_MAX);
  StreamStats stats() const;
  // What the plugin's wire dropped or recovered from, when it reports it (kiosk.plate.link/1).
  std::optional<kp_link_stats> link_stats() const;

 private:
  static void on_samples(void* user, const kp_sample* samples, size_t count);  // [device]
  static void on_end(void* user, int reason);                                  // [device]
  PlateError error(int code, const char* doing) const;

  const LoadedPlugin& plugin_;
  kp_device_info info_{};
  void* handle_ = nullptr;
  bool streaming_ = false;
  SampleRing<kp_sample> ring_;
  // Written by the device thread only:
  bool have_seq_ = false;
  uint32_t next_seq_ = 0;
  std::atomic<uint64_t> received_{0}, lost_{0}, misordered_{0};
  std::atomic<bool> ended_{false};
  std::atomic<int> end_reason_{KP_OK};
};

}  // namespace kiosk::plates
