// Presents a PluginProxy through the plugin ABI's own tables (kp_plugin,
// kp_devices_v1, kp_link_v1, kp_sim_v1, kp_battery_v1), so the rest of the kiosk (device
// manager, device streams, calibration wizard, journey, kioskctl) drives an
// out-of-process plugin exactly as it drove an in-process one.
// The ABI's calls that carry no context (enumerate, open, last_error,
// get_extension, set_scenario, advance, get_status) reach their proxy through one of kMaxPlugins
// slots of generated functions; handle-based calls carry it in the handle.
// Thread: bind and refresh on the main thread.
#pragma once
#include <cstddef>
#include <memory>

#include "kiosk_plate.h"
#include "kiosk_plate_battery.h"
#include "kiosk_plate_link.h"
#include "kiosk_plate_sim.h"

namespace kiosk::plates {

class PluginProxy;

class ProxyAbi {
 public:
  static constexpr size_t kMaxPlugins = 64;
  // Binds `proxy` (which must outlive the result) to a free slot; nullptr when all are taken.
  static std::unique_ptr<ProxyAbi> bind(PluginProxy& proxy);
  ~ProxyAbi();  // frees the slot
  ProxyAbi(const ProxyAbi&) = delete;
  ProxyAbi& operator=(const ProxyAbi&) = delete;

  // Copies the proxy's current descriptor strings into the kp_plugin.
  void refresh();
  const kp_plugin* plugin() const { return &plugin_; }
  const kp_devices_v1* devices() const { return &devices_; }
  const kp_link_v1* link() const;  // nullptr when the plugin has no link statistics
  const void* extension(const char* id) const;

 private:
  ProxyAbi(PluginProxy& proxy, size_t slot);
  PluginProxy& proxy_;
  size_t slot_;
  kp_plugin plugin_{};
  kp_devices_v1 devices_{};
  kp_link_v1 link_{};
  kp_sim_v1 sim_{};
  kp_battery_v1 battery_{};
  friend struct AbiSlots;
};

}  // namespace kiosk::plates
