// Every plate the loaded plugins can see, kept up to date: on a plugin's
// hotplug notice (kp_host.device_changed) at once, and by polling enumerate
// every `poll_interval` for plugins that cannot notice hotplug. A plate that
// goes away stays listed as absent, so when the same plate (same id, i.e.
// the same serial) comes back it keeps its identity and calibration.
// Thread: main thread only; the plugins' notices arrive through PluginHost,
// whose plate hosts poll() also supervises (a dead host's plates go absent).
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk_plate.h"
#include "plates/device_stream.h"
#include "plates/plugin_host.h"

namespace kiosk::plates {

struct PlateDevice {
  const LoadedPlugin* plugin = nullptr;  // owned by the PluginHost, lives as long as it
  kp_device_info info{};
  bool present = true;  // false once unplugged
  std::string id() const { return info.id; }
};

struct DeviceChange {
  enum Kind { added, removed, returned } kind;  // returned: a known plate came back
  std::string id;
};

class DeviceManager {
 public:
  using Clock = std::chrono::steady_clock;
  explicit DeviceManager(PluginHost& host, std::chrono::milliseconds poll_interval = std::chrono::seconds(1));

  // Re-enumerates when a plugin sent a notice or the poll interval passed;
  // returns what changed, in order. Cheap when nothing is due.
  std::vector<DeviceChange> poll(Clock::time_point now = Clock::now());
  // Re-enumerates every plugin now.
  std::vector<DeviceChange> rescan();

  const std::vector<PlateDevice>& devices() const { return devices_; }
  const PlateDevice* find(std::string_view id) const;
  // The first present plate (plugins in load order, devices in their order); nullptr if none.
  const PlateDevice* first_present() const;
  // Opens a stream on a present plate. Throws PlateError (KP_ERR_NO_DEVICE if absent).
  std::unique_ptr<DeviceStream> open(std::string_view id) const;

  // The plugins behind the plates (their health, quarantine), for staff screens.
  PluginHost& plugins() const { return host_; }

  // Enumerate failures of the last scan, "plugin: words", for staff screens.
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  PluginHost& host_;
  std::chrono::milliseconds poll_interval_;
  Clock::time_point next_poll_{};
  std::vector<PlateDevice> devices_;
  std::vector<std::string> problems_;
};

}  // namespace kiosk::plates
