#include "plates/device_manager.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"

namespace kiosk::plates {

DeviceManager::DeviceManager(PluginHost& host, std::chrono::milliseconds poll_interval)
    : host_(host), poll_interval_(poll_interval) {}

std::vector<DeviceChange> DeviceManager::poll(Clock::time_point now) {
  host_.supervise(now);  // dead plate hosts: their plates go now, restarts when due
  const bool noticed = !host_.take_device_changes().empty();
  if (!noticed && now < next_poll_) return {};
  next_poll_ = now + poll_interval_;
  return rescan();
}

std::vector<DeviceChange> DeviceManager::rescan() {
  std::vector<DeviceChange> changes;
  std::vector<std::string> seen;
  problems_.clear();
  for (const auto& plugin : host_.loaded()) {
    std::vector<kp_device_info> infos;
    const int n = enumerate_plates(plugin, infos);
    if (n < 0) {
      // Keep what we knew of this plugin's plates: one failed scan is not an unplug.
      problems_.push_back(fmt::format("{}: cannot list plates ({}): {}", plugin.id(), n, plugin.devices->last_error()));
      for (const auto& d : devices_)
        if (d.plugin == &plugin && d.present) seen.push_back(d.id());
      continue;
    }
    for (const auto& info : infos) {
      seen.emplace_back(info.id);
      auto it = std::find_if(devices_.begin(), devices_.end(), [&](const auto& d) { return d.id() == info.id; });
      if (it == devices_.end()) {
        devices_.push_back({&plugin, info, true});
        changes.push_back({DeviceChange::added, info.id});
      } else if (!it->present) {
        it->present = true;
        it->info = info;
        changes.push_back({DeviceChange::returned, info.id});
      }
    }
  }
  for (auto& d : devices_) {
    if (d.present && std::find(seen.begin(), seen.end(), d.id()) == seen.end()) {
      d.present = false;
      changes.push_back({DeviceChange::removed, d.id()});
    }
  }
  auto logger = log::get("plates");
  for (const auto& c : changes)
    logger->info("plate {}: {}", c.id,
                 c.kind == DeviceChange::added     ? "found"
                 : c.kind == DeviceChange::removed ? "gone"
                                                   : "back");
  for (const auto& p : problems_) logger->warn("{}", p);
  return changes;
}

const PlateDevice* DeviceManager::find(std::string_view id) const {
  for (const auto& d : devices_)
    if (d.id() == id) return &d;
  return nullptr;
}

const PlateDevice* DeviceManager::first_present() const {
  for (const auto& d : devices_)
    if (d.present) return &d;
  return nullptr;
}

std::unique_ptr<DeviceStream> DeviceManager::open(std::string_view id) const {
  const auto* d = find(id);
  if (!d || !d->present) throw PlateError(KP_ERR_NO_DEVICE, fmt::format("plate {} is not connected", id));
  return std::make_unique<DeviceStream>(*d->plugin, d->id());
}

}  // namespace kiosk::plates
