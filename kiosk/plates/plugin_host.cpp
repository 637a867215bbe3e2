#include "plates/plugin_host.h"

#include <dlfcn.h>
#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "core/log.h"

namespace kiosk::plates {

struct PluginHost::Changes {
  std::mutex mutex;
  std::vector<std::string> ids;
};

namespace {

void host_log(void*, int level, const char* message) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info,
                                                          spdlog::level::warn, spdlog::level::err};
  const auto lvl = level >= 0 && level <= 3 ? kLevels[level] : spdlog::level::info;
  log::get("plugin")->log(lvl, "{}", message ? message : "(null)");
}

// Why a descriptor cannot be used; empty when it can.
std::string check_descriptor(const kp_plugin* p) {
  if (!p) return "kiosk_plate_entry() returned NULL";
  if (p->abi_version != KIOSK_PLATE_ABI_VERSION)
    return fmt::format("built for plugin ABI {}, this kiosk speaks ABI {}", p->abi_version,
                       KIOSK_PLATE_ABI_VERSION);
  if (p->struct_size < sizeof(kp_plugin))
    return fmt::format("descriptor is {} bytes, ABI {} needs at least {}", p->struct_size,
                       KIOSK_PLATE_ABI_VERSION, sizeof(kp_plugin));
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
    return fmt::format("{} is {} bytes, needs at least {}", KP_EXT_DEVICES_V1, d->struct_size,
                       sizeof(kp_devices_v1));
  const std::pair<const void*, const char*> required[] = {
      {reinterpret_cast<const void*>(d->enumerate), "enumerate"},
      {reinterpret_cast<const void*>(d->open), "open"},
      {reinterpret_cast<const void*>(d->start), "start"},
      {reinterpret_cast<const void*>(d->stop), "stop"},
      {reinterpret_cast<const void*>(d->close), "close"},
      {reinterpret_cast<const void*>(d->last_error), "last_error"}};
  for (const auto& [fn, name] : required)
    if (!fn) return fmt::format("required callback {} of {} is NULL", name, KP_EXT_DEVICES_V1);
  return {};
}

}  // namespace

PluginHost::PluginHost() : changes_(std::make_unique<Changes>()) {
  host_.struct_size = sizeof(kp_host);
  host_.abi_version = KIOSK_PLATE_ABI_VERSION;
  host_.ctx = changes_.get();
  host_.log = host_log;
  host_.device_changed = [](void* ctx, const char* device_id, int added) {
    auto* c = static_cast<Changes*>(ctx);
    log::get("plates")->info("device {} id={}", added ? "added" : "removed", device_id ? device_id : "?");
    std::lock_guard lock(c->mutex);
    c->ids.emplace_back(device_id ? device_id : "");
  };
}

PluginHost::~PluginHost() {
  for (auto& p : loaded_) p.plugin->deinit();
  // Libraries stay mapped: a plugin thread or static destructor may still
  // reference their code until the process exits.
}

std::vector<std::string> PluginHost::take_device_changes() {
  std::lock_guard lock(changes_->mutex);
  return std::exchange(changes_->ids, {});
}

void PluginHost::load_from(const std::vector<std::filesystem::path>& dirs) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
      if (e.path().extension() == ".so") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) load(f);
  }
}

std::string PluginHost::load(const std::filesystem::path& file) {
  auto logger = log::get("plates");
  auto refuse = [&](std::string reason) {
    logger->error("plugin refused file={} reason=\"{}\"", file.string(), reason);
    refused_.push_back({file, reason});
    return reason;
  };
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) return refuse(fmt::format("cannot load: {}", dlerror()));
  auto entry = reinterpret_cast<kp_entry_fn>(dlsym(lib, KIOSK_PLATE_ENTRY));
  if (!entry) return refuse(fmt::format("no {} symbol: not a kiosk plate plugin", KIOSK_PLATE_ENTRY));

  const kp_plugin* plugin = entry();
  if (auto why = check_descriptor(plugin); !why.empty()) return refuse(why);
  for (const auto& other : loaded_)
    if (other.id() == plugin->id)
      return refuse(fmt::format("a plugin with id \"{}\" is already loaded from {}", plugin->id,
                                other.file.string()));
  if (int rc = plugin->init(&host_); rc != KP_OK)
    return refuse(fmt::format("init failed with code {}", rc));
  const auto* devices = static_cast<const kp_devices_v1*>(plugin->get_extension(KP_EXT_DEVICES_V1));
  if (auto why = check_devices(devices); !why.empty()) {
    plugin->deinit();
    return refuse(why);
  }
  auto* link = static_cast<const kp_link_v1*>(plugin->get_extension(KP_EXT_LINK_V1));
  if (link && (link->struct_size < sizeof(kp_link_v1) || !link->get_stats)) {
    logger->warn("plugin {}: ignoring a malformed {}", plugin->id, KP_EXT_LINK_V1);
    link = nullptr;
  }
  loaded_.push_back({file, plugin, devices, link});
  logger->info("plugin loaded id={} version={} file={}", plugin->id, plugin->version, file.string());
  return {};
}

}  // namespace kiosk::plates
