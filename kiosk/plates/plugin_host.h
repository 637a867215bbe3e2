// Finds device plugins (*.so) in the plugin folders and runs each in its own
// plate host process (kiosk-plate-host, see plates/host_protocol.h): the
// kiosk loads no plugin code. Each plugin is presented through the plugin
// ABI's own tables (LoadedPlugin), so callers drive it as if it were loaded.
//
// A plugin the host refuses (ABI checks, init failed) is listed in refused().
// A host that dies (signal, exit, missed deadline, broken pipe) is an event:
// logged with the plugin id and reason, handed to on_failure (the kiosk
// audits it), its plates vanish and its streams end like an unplug. It is
// restarted with backoff; after kQuarantineAfter failures within
// kQuarantineWindow it is quarantined until staff re-enable it.
// Thread: main thread (supervise() is driven by DeviceManager::poll).
#pragma once
#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"

namespace kiosk::plates {

class PluginProxy;
class ProxyAbi;

struct LoadedPlugin {
  std::filesystem::path file;
  const kp_plugin* plugin = nullptr;       // presented by the proxy; id/name/version from the host
  const kp_devices_v1* devices = nullptr;  // calls cross to the host, each with a deadline
  const kp_link_v1* link = nullptr;        // optional "kiosk.plate.link/1": wire statistics
  PluginProxy* proxy = nullptr;
  std::string id() const { return plugin->id; }
};

struct RefusedPlugin {
  std::filesystem::path file;
  std::string reason;  // for staff screens and the log
};

// One plugin's health, for the technician page and `kioskctl device list`.
struct PluginStatus {
  enum class State { running, restarting, quarantined };
  std::string id;
  std::filesystem::path file;
  State state = State::running;
  std::string last_failure;  // why its host last died; empty if it never did
  int recent_failures = 0;   // within the quarantine window
  std::vector<std::string> log_tail;
};
std::string_view to_string(PluginStatus::State s);

struct HostFailure {
  std::string plugin;
  std::filesystem::path file;
  std::string reason;
  bool quarantined = false;  // this failure put it in quarantine
};

class PluginHost {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr int kQuarantineAfter = 3;
  static constexpr auto kQuarantineWindow = std::chrono::minutes(10);

  // `call_deadline`: per control call (config plates.call_deadline_ms); `first_backoff`: before the
  // first restart, doubling per recent failure. The host program is default_host_program().
  explicit PluginHost(std::chrono::milliseconds call_deadline = std::chrono::seconds(2),
                      std::chrono::milliseconds first_backoff = std::chrono::seconds(1));
  ~PluginHost();  // shuts every host down
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Starts a host for every *.so in `dirs` (sorted by name; a second plugin
  // with an id already loaded is refused), all at once, then waits for them
  // (each at most the call deadline). Missing folders are skipped quietly.
  void load_from(const std::vector<std::filesystem::path>& dirs);
  // Loads one file; returns the refusal reason, empty when it runs (or failed and will be restarted).
  std::string load(const std::filesystem::path& file);

  // Every plugin not refused, running or not; addresses stay valid for this object's life.
  const std::deque<LoadedPlugin>& loaded() const { return loaded_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }
  std::vector<PluginStatus> status() const;

  // [main] Ids reported by device_changed since the last call (hotplug); ""
  // when a host went down or came back up (its plates changed wholesale).
  std::vector<std::string> take_device_changes();
  // [main] Notices dead hosts, restarts them when their backoff is over, and
  // quarantines repeat offenders. Returns the failures noticed now.
  std::vector<HostFailure> supervise(Clock::time_point now = Clock::now());
  // [main] Staff lift a quarantine: the failure count resets and the host starts. False if no such plugin.
  bool reenable(std::string_view plugin_id);
  // Called for every host failure (the kiosk writes it to the audit log);
  // at once for the failures before it was set (plugins that died loading).
  void on_failure(std::function<void(const HostFailure&)> fn);

 private:
  struct Supervised;
  std::string adopt(Supervised& s, Clock::time_point now);
  void failed(Supervised& s, const std::string& reason, Clock::time_point now, std::vector<HostFailure>* out);

  const std::chrono::milliseconds call_deadline_, first_backoff_;
  const std::filesystem::path host_program_;
  std::deque<LoadedPlugin> loaded_;
  std::vector<RefusedPlugin> refused_;
  std::vector<std::unique_ptr<Supervised>> supervised_;  // parallel to loaded_
  std::function<void(const HostFailure&)> on_failure_;
  bool rescan_due_ = false;              // a host came back up
  std::vector<HostFailure> unreported_;  // failures before on_failure was set
};

}  // namespace kiosk::plates
