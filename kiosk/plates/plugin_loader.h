// Loads one plugin library into THIS process and checks it against the ABI
// (version, struct sizes, required callbacks) before anything else of it
// runs. Only the plate host (kiosk-plate-host) and the in-process baseline
// of bench/ use it: the kiosk and kioskctl never load plugin code.
#pragma once
#include <filesystem>
#include <string>
#include <variant>

#include "kiosk_plate.h"
#include "kiosk_plate_battery.h"
#include "kiosk_plate_link.h"
#include "kiosk_plate_sim.h"

namespace kiosk::plates {

// A plugin that passed every check and whose init() returned KP_OK.
struct CheckedPlugin {
  const kp_plugin* plugin = nullptr;
  const kp_devices_v1* devices = nullptr;
  const kp_link_v1* link = nullptr;        // optional "kiosk.plate.link/1"
  const kp_sim_v1* sim = nullptr;          // optional "kiosk.plate.sim/1"
  const kp_battery_v1* battery = nullptr;  // optional "kiosk.plate.battery/1"
};

// dlopen()s `file` (never unloaded), calls its entry, checks the descriptor,
// calls init(host) and fetches the extensions. Returns the plugin, or the
// reason it was refused (for staff screens).
std::variant<CheckedPlugin, std::string> load_plugin(const std::filesystem::path& file, const kp_host& host);

}  // namespace kiosk::plates
