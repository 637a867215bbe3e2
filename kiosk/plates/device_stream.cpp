#include "plates/device_stream.h"

#include <fmt/format.h>

#include "core/log.h"

namespace kiosk::plates {

PlateError DeviceStream::error(int code, const char* doing) const {
  return PlateError(code, fmt::format("{}: {} {} failed ({}): {}", plugin_.id(), doing, info_.id, code,
                                      plugin_.devices->last_error()));
}

int enumerate_plates(const LoadedPlugin& plugin, std::vector<kp_device_info>& out) {
  out.assign(kMaxListed, kp_device_info{});
  for (auto& i : out) i.struct_size = sizeof(kp_device_info);
  const int n = plugin.devices->enumerate(out.data(), static_cast<uint32_t>(out.size()));
  out.resize(n < 0 ? 0 : std::min<size_t>(static_cast<size_t>(n), out.size()));
  for (auto& i : out) i.id[sizeof i.id - 1] = '\0';  // a plugin's string is not trusted to be terminated
  return n;
}

DeviceStream::DeviceStream(const LoadedPlugin& plugin, const std::string& device_id, size_t ring_capacity)
    : plugin_(plugin), ring_(ring_capacity) {
  std::vector<kp_device_info> infos;
  const int n = enumerate_plates(plugin, infos);
  if (n < 0) throw error(n, "enumerate");
  bool found = false;
  for (const auto& i : infos) {
    if (device_id == i.id) {
      info_ = i;
      found = true;
    }
  }
  if (!found) throw PlateError(KP_ERR_NO_DEVICE, fmt::format("{}: no device {}", plugin.id(), device_id));
  if (info_.cell_count < 1 || info_.cell_count > KIOSK_PLATE_MAX_CELLS)
    throw PlateError(KP_ERR_PROTOCOL, fmt::format("{}: device {} reports {} cells (1 to {} allowed)", plugin.id(),
                                                  device_id, info_.cell_count, KIOSK_PLATE_MAX_CELLS));
  if (int rc = plugin.devices->open(device_id.c_str(), &handle_); rc != KP_OK) throw error(rc, "open");
}

DeviceStream::~DeviceStream() {
  stop();
  if (handle_) plugin_.devices->close(handle_);
}

void DeviceStream::start(uint32_t rate_hz) {
  if (streaming_) return;
  have_seq_ = false;
  ended_ = false;
  if (int rc = plugin_.devices->start(handle_, rate_hz, on_samples, on_end, this); rc != KP_OK)
    throw error(rc, "start");
  streaming_ = true;
  log::get("plates")->info("stream started device={} rate_hz={}", info_.id, rate_hz);
}

void DeviceStream::stop() {
  if (!streaming_) return;
  streaming_ = false;
  if (int rc = plugin_.devices->stop(handle_); rc != KP_OK)
    log::get("plates")->warn("stop failed device={} code={} detail=\"{}\"", info_.id, rc,
                             plugin_.devices->last_error());
  const auto s = stats();
  log::get("plates")->info("stream stopped device={} received={} lost={} ring_dropped={} misordered={}", info_.id,
                           s.received, s.lost, s.ring_dropped, s.misordered);
}

void DeviceStream::on_samples(void* user, const kp_sample* samples, size_t count) {
  auto* self = static_cast<DeviceStream*>(user);
  for (size_t i = 0; i < count; ++i) {
    const kp_sample& s = samples[i];
    if (self->have_seq_ && s.seq != self->next_seq_) {
      const uint32_t ahead = s.seq - self->next_seq_;  // modulo 2^32: wrap-around is fine
      if (ahead >= 0x80000000u) {                      // behind us: stale or duplicated
        self->misordered_.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      self->lost_.fetch_add(ahead, std::memory_order_relaxed);
    }
    self->have_seq_ = true;
    self->next_seq_ = s.seq + 1;
    if (self->ring_.push(s)) self->received_.fetch_add(1, std::memory_order_relaxed);
  }
}

void DeviceStream::on_end(void* user, int reason) {
  auto* self = static_cast<DeviceStream*>(user);
  self->end_reason_ = reason;
  self->ended_ = true;
  log::get("plates")->warn("stream ended by device device={} reason={}", self->info_.id, reason);
}

size_t DeviceStream::drain(std::vector<kp_sample>& out, size_t max) {
  size_t n = 0;
  kp_sample s;
  while (n < max && ring_.pop(s)) {
    out.push_back(s);
    ++n;
  }
  return n;
}

StreamStats DeviceStream::stats() const {
  StreamStats s;
  s.received = received_.load();
  s.ring_dropped = ring_.dropped();
  s.lost = lost_.load();
  s.misordered = misordered_.load();
  s.ended = ended_.load();
  s.end_reason = end_reason_.load();
  return s;
}

std::optional<kp_link_stats> DeviceStream::link_stats() const {
  if (!plugin_.link || !handle_) return std::nullopt;
  kp_link_stats s{};
  s.struct_size = sizeof s;
  if (plugin_.link->get_stats(handle_, &s) != KP_OK) return std::nullopt;
  return s;
}

}  // namespace kiosk::plates
