// Finds device plugins (*.so) in the plugin folders, checks each against the
// ABI before using it, and keeps the good ones loaded for the life of the
// process (never unloaded while running). A bad plugin is refused with a
// logged reason; the kiosk runs on without it. Thread: main thread.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "kiosk_plate.h"
#include "kiosk_plate_link.h"

namespace kiosk::plates {

struct LoadedPlugin {
  std::filesystem::path file;
  const kp_plugin* plugin = nullptr;
  const kp_devices_v1* devices = nullptr;
  const kp_link_v1* link = nullptr;  // optional "kiosk.plate.link/1": wire statistics
  std::string id() const { return plugin->id; }
};

struct RefusedPlugin {
  std::filesystem::path file;
  std::string reason;  // for staff screens and the log
};

class PluginHost {
 public:
  PluginHost();
  ~PluginHost();  // deinit()s every plugin; libraries stay mapped until exit
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Loads every *.so in `dirs` (sorted by name; a second plugin with an id
  // already loaded is refused). Missing folders are skipped quietly.
  void load_from(const std::vector<std::filesystem::path>& dirs);
  // Loads one file; returns the refusal reason, empty on success.
  std::string load(const std::filesystem::path& file);

  const std::vector<LoadedPlugin>& loaded() const { return loaded_; }
  const std::vector<RefusedPlugin>& refused() const { return refused_; }

  // Host services passed to plugins; device_changed lands here.
  const kp_host& host_services() const { return host_; }
  // [main] Ids reported by device_changed since the last call (hotplug).
  std::vector<std::string> take_device_changes();

 private:
  kp_host host_{};
  std::vector<LoadedPlugin> loaded_;
  std::vector<RefusedPlugin> refused_;
  struct Changes;
  std::unique_ptr<Changes> changes_;  // written from [any] thread through host_.device_changed
};

}  // namespace kiosk::plates
