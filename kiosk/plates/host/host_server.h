// The plate host's side of the host protocol (plates/host_protocol.h): runs
// the plugin's [main]-thread calls as the kiosk asks, forwards its log lines
// and hotplug notices as events, and lets its device threads push samples
// straight into the shared rings the kiosk handed over.
// Thread: serve() on the host's main thread; the kp_host callbacks and the
// sample callbacks on any plugin thread.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "kiosk_plate.h"
#include "plates/host_protocol.h"
#include "plates/plugin_loader.h"
#include "plates/sample_ring.h"

namespace kiosk::plates::host {

class HostServer {
 public:
  explicit HostServer(int sock);
  ~HostServer();
  HostServer(const HostServer&) = delete;
  HostServer& operator=(const HostServer&) = delete;

  // The services to give the plugin's init(); valid for this object's life.
  const kp_host& services() const { return services_; }
  // Tells the kiosk the plugin was refused, and why.
  void refuse(const std::string& reason);
  // Tells the kiosk the plugin is ready, then answers requests until the
  // kiosk says shutdown or goes away. Returns the process exit code.
  int serve(const CheckedPlugin& plugin);
  // [any] Sends one log line as an event; rate-limited (a spamming plugin
  // cannot flood the kiosk): past kLogBurst lines a second, lines are counted, not sent.
  void log(int level, const char* message);

 private:
  struct Stream;
  static constexpr int kLogBurst = 200;  // lines per second
  void event(wire::Type type, std::string payload);
  wire::Message handle(const wire::Message& request);
  wire::Message reply(uint32_t call_id, int rc, std::string payload = {});
  wire::Message failed(uint32_t call_id, int rc);
  wire::Message start(const wire::Message& request, Stream& stream);
  Stream* stream_of(wire::Reader& reader);
  void close_all();
  void roll_log_window();

  const int sock_;
  kp_host services_{};
  CheckedPlugin plugin_{};
  std::map<uint64_t, std::unique_ptr<Stream>> streams_;  // by handle id; [main]
  uint64_t next_handle_ = 1;
  std::mutex send_mutex_;  // one packet at a time from any thread
  std::mutex log_mutex_;
  std::chrono::steady_clock::time_point log_window_{};
  int log_lines_ = 0;
  uint64_t log_suppressed_ = 0;
};

}  // namespace kiosk::plates::host
