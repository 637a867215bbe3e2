#include "plates/plugin_loader.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstddef>
#include <utility>

namespace kiosk::plates {
namespace {

// Why a descriptor cannot be used; empty when it can.
std::string check_descriptor(const kp_plugin* p) {
  if (!p) return "kiosk_plate_entry() returned NULL";
  if (p->abi_version != KIOSK_PLATE_ABI_VERSION)
    return fmt::format("built for plugin ABI {}, this kiosk speaks ABI {}", p->abi_version, KIOSK_PLATE_ABI_VERSION);
  if (p->struct_size < sizeof(kp_plugin))
    return fmt::format("descriptor is {} bytes, ABI {} needs at least {}", p->struct_size, KIOSK_PLATE_ABI_VERSION,
                       sizeof(kp_plugin));
  if (!p->id || !*p->id) return "descriptor has no id";
  if (!p->name || !p->version) return "descriptor has no name or version";
  if (!p->init) return "required callback init is NULL";
  if (!p->deinit) return "required callback deinit is NULL";
  if (!p->get_extension) return "required callback get_extension is NULL";
  return {};
}

std::string check_devices(const kp_devices_v1* d) {
  if (!d) return fmt::format("does not provide the required extension {}", KP_EXT_DEVICES_V1);
  if (d->struct_size < sizeof(kp_devices_v1))
    return fmt::format("{} is {} bytes, needs at least {}", KP_EXT_DEVICES_V1, d->struct_size, sizeof(kp_devices_v1));
  const std::pair<const void*, const char*> required[] = {{reinterpret_cast<const void*>(d->enumerate), "enumerate"},
                                                          {reinterpret_cast<const void*>(d->open), "open"},
                                                          {reinterpret_cast<const void*>(d->start), "start"},
                                                          {reinterpret_cast<const void*>(d->stop), "stop"},
                                                          {reinterpret_cast<const void*>(d->close), "close"},
                                                          {reinterpret_cast<const void*>(d->last_error), "last_error"}};
  for (const auto& [fn, name] : required)
    if (!fn) return fmt::format("required callback {} of {} is NULL", name, KP_EXT_DEVICES_V1);
  return {};
}

// An optional extension whose size or callback is wrong is ignored, not fatal.
// `min_size`: its first revision's size (fields appended later are read only if present).
template <typename Ext, typename Fn>
const Ext* optional_extension(const kp_plugin* p, const char* id, Fn Ext::*callback, size_t min_size = sizeof(Ext)) {
  const auto* ext = static_cast<const Ext*>(p->get_extension(id));
  if (ext && (ext->struct_size < min_size || !(ext->*callback))) return nullptr;
  return ext;
}

}  // namespace

std::variant<CheckedPlugin, std::string> load_plugin(const std::filesystem::path& file, const kp_host& host) {
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) return fmt::format("cannot load: {}", dlerror());
  auto entry = reinterpret_cast<kp_entry_fn>(dlsym(lib, KIOSK_PLATE_ENTRY));
  if (!entry) return fmt::format("no {} symbol: not a kiosk plate plugin", KIOSK_PLATE_ENTRY);
  CheckedPlugin out;
  out.plugin = entry();
  if (auto why = check_descriptor(out.plugin); !why.empty()) return why;
  if (int rc = out.plugin->init(&host); rc != KP_OK) return fmt::format("init failed with code {}", rc);
  out.devices = static_cast<const kp_devices_v1*>(out.plugin->get_extension(KP_EXT_DEVICES_V1));
  if (auto why = check_devices(out.devices); !why.empty()) {
    out.plugin->deinit();
    return why;
  }
  out.link = optional_extension<kp_link_v1>(out.plugin, KP_EXT_LINK_V1, &kp_link_v1::get_stats);
  out.sim = optional_extension<kp_sim_v1>(out.plugin, KP_EXT_SIM_V1, &kp_sim_v1::set_scenario,
                                          offsetof(kp_sim_v1, advance));  // revision 1 has no advance()
  out.battery = optional_extension<kp_battery_v1>(out.plugin, KP_EXT_BATTERY_V1, &kp_battery_v1::get_status);
  return out;
}

}  // namespace kiosk::plates
