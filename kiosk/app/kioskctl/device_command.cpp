// `kioskctl device list` and `kioskctl device stream`: what plates the
// plugins see (and which plugins were refused or failed, and why), and a raw
// capture from one of them to the recording CSV format. Plugins run in their
// own plate host processes, as in the kiosk.
#include <fmt/format.h>
#include <fmt/os.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "kiosk_plate_battery.h"
#include "kioskctl/command.h"
#include "plates/device_manager.h"
#include "plates/plate_feed.h"
#include "plates/plugin_host.h"

namespace kiosk::ctl {
namespace {

struct ListedDevice {
  std::string plugin;
  kp_device_info info;
  std::optional<kp_battery_status> battery;  // wireless plates ("kiosk.plate.battery/1")
};

std::optional<kp_battery_status> battery_of(const plates::LoadedPlugin& p, const char* device_id) {
  const auto* ext = static_cast<const kp_battery_v1*>(p.plugin->get_extension(KP_EXT_BATTERY_V1));
  if (!ext) return std::nullopt;
  kp_battery_status s{};
  s.struct_size = sizeof s;
  if (ext->get_status(device_id, &s) != KP_OK) return std::nullopt;
  return s;
}

const char* link_name(uint32_t link) {
  switch (link) {
    case KP_LINK_CONNECTED:
      return "connected";
    case KP_LINK_STREAMING:
      return "streaming";
    case KP_LINK_AWAY:
      return "away (asleep or out of reach)";
    default:
      return "unknown";
  }
}

// The present plates, as the device manager lists them (its enumerate problems go to stderr).
// `devices` was scanned when app::Services made it.
std::vector<ListedDevice> list_devices(plates::DeviceManager& devices) {
  for (const auto& problem : devices.problems()) std::fprintf(stderr, "kioskctl: %s\n", problem.c_str());
  std::vector<ListedDevice> out;
  for (const auto& d : devices.devices())
    if (d.present) out.push_back({d.plugin->id(), d.info, battery_of(*d.plugin, d.info.id)});
  return out;
}

nlohmann::json to_json(const ListedDevice& d) {
  nlohmann::json rates = nlohmann::json::array(), cells = nlohmann::json::array();
  for (uint32_t r = 0; r < std::min<uint32_t>(d.info.rate_count, KIOSK_PLATE_MAX_RATES); ++r)
    rates.push_back(d.info.rates_hz[r]);
  for (uint32_t c = 0; c < std::min<uint32_t>(d.info.cell_count, KIOSK_PLATE_MAX_CELLS); ++c)
    cells.push_back({{"x_mm", d.info.cell_x_mm[c]}, {"y_mm", d.info.cell_y_mm[c]}});
  nlohmann::json out{
      {"id", d.info.id},       {"plugin", d.plugin},      {"vendor", d.info.vendor},
      {"model", d.info.model}, {"serial", d.info.serial}, {"firmware", d.info.firmware},
      {"cells", cells},        {"rates_hz", rates},       {"newtons_per_count", d.info.newtons_per_count}};
  if (d.battery) {
    out["link"] = link_name(d.battery->link);
    out["battery_percent"] = d.battery->percent >= 0 ? nlohmann::json(d.battery->percent) : nlohmann::json(nullptr);
    out["button_presses"] = d.battery->button_presses;
  }
  return out;
}

std::string battery_text(const ListedDevice& d) {
  if (!d.battery) return "";
  const std::string charge = d.battery->percent >= 0 ? fmt::format("{} %", d.battery->percent) : "unknown";
  return fmt::format(", battery {}, link {}", charge, link_name(d.battery->link));
}

}  // namespace

void register_device_commands(CLI::App& app, Context& ctx) {
  auto* device = app.add_subcommand("device", "Force plates: list, stream")->require_subcommand(1);

  static bool as_json = false;
  auto* list = device->add_subcommand("list", "Plates the plugins can see, and refused plugins");
  list->add_flag("--json", as_json, "Print JSON");
  list->callback([&ctx] {
    auto& host = ctx.services().plugins();
    const auto devices = list_devices(ctx.services().devices());
    host.supervise();  // notices a host that died while listing
    std::vector<plates::PluginStatus> failed;
    for (auto& st : host.status())
      if (!st.last_failure.empty()) failed.push_back(std::move(st));
    if (as_json) {
      nlohmann::json out{{"devices", nlohmann::json::array()},
                         {"refused_plugins", nlohmann::json::array()},
                         {"failed_plugins", nlohmann::json::array()}};
      for (const auto& d : devices) out["devices"].push_back(to_json(d));
      for (const auto& r : host.refused())
        out["refused_plugins"].push_back({{"file", r.file.string()}, {"reason", r.reason}});
      for (const auto& f : failed)
        out["failed_plugins"].push_back({{"id", f.id}, {"file", f.file.string()}, {"reason", f.last_failure}});
      std::puts(out.dump(2).c_str());
    } else {
      if (devices.empty()) std::puts("no plates found");
      for (const auto& d : devices)
        fmt::print("{}  {} {} serial {} firmware {}, {} cells{}\n", d.info.id, d.info.vendor, d.info.model,
                   d.info.serial, d.info.firmware, d.info.cell_count, battery_text(d));
      for (const auto& r : host.refused()) fmt::print("refused plugin {}: {}\n", r.file.string(), r.reason);
      for (const auto& f : failed)
        fmt::print("failed plugin {} ({}): its plate host {}\n", f.id, f.file.string(), f.last_failure);
    }
    ctx.exit_code = kExitOk;
  });

  static std::string id, out_file;
  static double seconds = 5;
  static unsigned rate = 0;
  auto* stream = device->add_subcommand("stream", "Stream raw cell values from one plate");
  stream->add_option("ID", id, "Device id (from `device list`)")->required();
  stream->add_option("--seconds", seconds, "How long to stream")->check(CLI::Range(0.01, 3600.0));
  stream->add_option("--rate", rate, "Sample rate in Hz (default: the device's first rate)");
  stream->add_option("--out", out_file, "Write samples as recording CSV (t_s from the first sample,c0,c1,...)");
  stream->callback([&ctx] {
    auto& manager = ctx.services().devices();
    const auto* plate = manager.find(id);
    if (!plate || !plate->present)
      throw std::runtime_error(fmt::format("no plate with id {} (see `kioskctl device list`)", id));
    plates::PlateFeed s(manager.open(id),
                        plates::FeedOptions::raw_cells("device stream"));  // raw counts, t = 0 at the first sample
    const uint32_t hz = rate ? rate : s.info().rates_hz[0];
    const uint32_t cells = std::min<uint32_t>(s.info().cell_count, KIOSK_PLATE_MAX_CELLS);
    std::vector<std::pair<double, kp_sample>> samples;
    samples.reserve(static_cast<size_t>(seconds * hz * 1.1) + 16);
    const auto keep = [&](const plates::FeedSample& f) {
      samples.emplace_back(f.t_s, *f.sample);
      return true;
    };
    s.start(hz);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until && !s.stats().ended) {
      s.pump(keep);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    s.stop();
    s.pump(keep);
    if (!out_file.empty()) {
      auto csv = fmt::output_file(out_file);
      csv.print("t_s");
      for (uint32_t c = 0; c < cells; ++c) csv.print(",c{}", c);
      csv.print("\n");
      for (const auto& [t_s, smp] : samples) {
        csv.print("{:.6f}", t_s);
        for (uint32_t c = 0; c < cells; ++c) csv.print(",{}", smp.raw[c]);
        csv.print("\n");
      }
    }
    const auto st = s.stats();
    nlohmann::json summary{{"device", id},
                           {"rate_hz", hz},
                           {"samples", samples.size()},
                           {"lost", st.lost},
                           {"ring_dropped", st.ring_dropped},
                           {"misordered", st.misordered},
                           {"ended_by_device", st.ended}};
    if (const auto link = s.link_stats())
      summary["link"] = {{"frames_ok", link->frames_ok},
                         {"frames_lost", link->frames_lost},
                         {"frames_garbled", link->frames_garbled},
                         {"frames_short", link->frames_short},
                         {"frames_misordered", link->frames_misordered},
                         {"stalls", link->stalls},
                         {"timeouts", link->timeouts}};
    std::puts(summary.dump(2).c_str());
    ctx.exit_code = st.ended ? kExitFailed : kExitOk;
  });
}

}  // namespace kiosk::ctl
