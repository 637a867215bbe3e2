#include "plates/host/host_server.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace kiosk::plates::host {

// One open device handle and, while streaming, its shared ring.
struct HostServer::Stream {
  HostServer* server = nullptr;
  uint64_t id = 0;
  void* handle = nullptr;  // the plugin's
  void* map = nullptr;     // the kiosk's ring, mapped here
  size_t map_bytes = 0;
  std::unique_ptr<SampleRing<kp_sample>> ring;

  void unmap() {
    ring.reset();
    if (map) munmap(map, map_bytes);
    map = nullptr;
  }
  // [device] Straight into the shared ring; a full ring counts the drop (the kiosk sees a sequence gap).
  static void on_samples(void* user, const kp_sample* samples, size_t count) {
    auto* self = static_cast<Stream*>(user);
    if (!self->ring) return;
    for (size_t i = 0; i < count; ++i) self->ring->push(samples[i]);
  }
  static void on_end(void* user, int reason) {
    auto* self = static_cast<Stream*>(user);
    self->server->event(wire::Type::stream_end, wire::Writer().put(self->id).put<int32_t>(reason).take());
  }
};

HostServer::HostServer(int sock) : sock_(sock) {
  services_.struct_size = sizeof services_;
  services_.abi_version = KIOSK_PLATE_ABI_VERSION;
  services_.ctx = this;
  services_.log = [](void* ctx, int level, const char* message) { static_cast<HostServer*>(ctx)->log(level, message); };
  services_.device_changed = [](void* ctx, const char* id, int added) {
    static_cast<HostServer*>(ctx)->event(wire::Type::device_changed,
                                         wire::Writer().put<int32_t>(added ? 1 : 0).text(id ? id : "").take());
  };
}

HostServer::~HostServer() { close_all(); }

void HostServer::event(wire::Type type, std::string payload) {
  std::lock_guard lock(send_mutex_);
  wire::send(sock_, {type, 0, std::move(payload)});
}

void HostServer::log(int level, const char* message) {
  std::string text = message ? std::string(message).substr(0, 1000) : "(null)";
  {
    std::lock_guard lock(log_mutex_);
    roll_log_window();
    if (++log_lines_ > kLogBurst) {
      ++log_suppressed_;
      return;
    }
  }
  event(wire::Type::log, wire::Writer().put<int32_t>(level).text(text).take());
}

// Starts a new one-second window when the last one is over, saying first what it cut. [log_mutex_ held]
void HostServer::roll_log_window() {
  const auto now = std::chrono::steady_clock::now();
  if (now - log_window_ < std::chrono::seconds(1)) return;
  if (log_suppressed_)
    event(wire::Type::log,
          wire::Writer()
              .put<int32_t>(KP_LOG_WARN)
              .text(fmt::format("{} log lines suppressed (more than {} a second)", log_suppressed_, kLogBurst))
              .take());
  log_window_ = now;
  log_lines_ = 0;
  log_suppressed_ = 0;
}

void HostServer::refuse(const std::string& reason) { event(wire::Type::refused, wire::Writer().text(reason).take()); }

int HostServer::serve(const CheckedPlugin& plugin) {
  plugin_ = plugin;
  auto bounded = [](const char* s) { return std::string(s ? s : "").substr(0, 200); };
  event(wire::Type::ready, wire::Writer()
                               .put<uint8_t>(plugin.link ? 1 : 0)
                               .put<uint8_t>(plugin.sim ? 1 : 0)
                               .text(bounded(plugin.plugin->id))
                               .text(bounded(plugin.plugin->name))
                               .text(bounded(plugin.plugin->version))
                               .put<uint8_t>(plugin.battery ? 1 : 0)
                               .take());
  for (;;) {
    wire::Message request;
    const auto got = wire::receive(sock_, request);
    if (got != wire::Received::message) break;  // the kiosk is gone (or broken): leave quietly
    {
      std::lock_guard lock(log_mutex_);
      roll_log_window();  // a burst's count is told even if the plugin logs nothing after it
    }
    if (request.type == wire::Type::shutdown) {
      close_all();
      plugin_.plugin->deinit();
      std::lock_guard lock(send_mutex_);
      wire::send(sock_, reply(request.call_id, KP_OK));
      return 0;
    }
    auto answer = handle(request);
    if (request.fd >= 0) ::close(request.fd);
    std::lock_guard lock(send_mutex_);
    if (!wire::send(sock_, answer)) break;
  }
  close_all();
  plugin_.plugin->deinit();
  return 0;
}

wire::Message HostServer::reply(uint32_t call_id, int rc, std::string payload) {
  wire::Writer w;
  w.put<int32_t>(rc);
  return {wire::Type::reply, call_id, w.take() + payload};
}

wire::Message HostServer::failed(uint32_t call_id, int rc) {
  const char* text = plugin_.devices->last_error();
  return reply(call_id, rc < 0 ? rc : KP_ERR,
               wire::Writer().text(std::string(text ? text : "").substr(0, 1000)).take());
}

HostServer::Stream* HostServer::stream_of(wire::Reader& reader) {
  const auto id = reader.get<uint64_t>();
  if (!id) return nullptr;
  auto it = streams_.find(*id);
  return it == streams_.end() ? nullptr : it->second.get();
}

wire::Message HostServer::handle(const wire::Message& request) {
  const auto id = request.call_id;
  const auto& dev = *plugin_.devices;
  wire::Reader in(request.payload);
  auto bad = [&] { return reply(id, KP_ERR_ARG, wire::Writer().text("malformed request").take()); };
  switch (request.type) {
    case wire::Type::enumerate: {
      const auto max = in.get<uint32_t>();
      if (!max) return bad();
      std::vector<kp_device_info> infos(std::min(*max, wire::kMaxDevices));
      for (auto& i : infos) i.struct_size = sizeof(kp_device_info);
      const int n = dev.enumerate(infos.data(), static_cast<uint32_t>(infos.size()));
      if (n < 0) return failed(id, n);
      infos.resize(std::min<size_t>(static_cast<size_t>(n), infos.size()));
      return reply(id, n,
                   std::string(reinterpret_cast<const char*>(infos.data()), infos.size() * sizeof(kp_device_info)));
    }
    case wire::Type::open: {
      const auto device = in.text();
      if (!device) return bad();
      void* handle = nullptr;
      if (int rc = dev.open(device->c_str(), &handle); rc != KP_OK) return failed(id, rc);
      auto s = std::make_unique<Stream>();
      s->server = this;
      s->id = next_handle_++;
      s->handle = handle;
      const uint64_t handle_id = s->id;
      streams_.emplace(handle_id, std::move(s));
      return reply(id, KP_OK, wire::Writer().put(handle_id).take());
    }
    case wire::Type::start: {
      Stream* s = stream_of(in);
      if (!s) return bad();
      return start(request, *s);
    }
    case wire::Type::stop: {
      Stream* s = stream_of(in);
      if (!s) return bad();
      const int rc = dev.stop(s->handle);
      return rc == KP_OK ? reply(id, KP_OK) : failed(id, rc);
    }
    case wire::Type::close: {
      Stream* s = stream_of(in);
      if (!s) return bad();
      dev.close(s->handle);
      s->unmap();
      streams_.erase(s->id);
      return reply(id, KP_OK);
    }
    case wire::Type::link_stats: {
      Stream* s = stream_of(in);
      if (!s || !plugin_.link) return bad();
      kp_link_stats stats{};
      stats.struct_size = sizeof stats;
      const int rc = plugin_.link->get_stats(s->handle, &stats);
      if (rc != KP_OK) return failed(id, rc);
      return reply(id, KP_OK, wire::Writer().put(stats).take());
    }
    case wire::Type::sim_scenario: {
      const auto spec = in.text();
      if (!spec || !plugin_.sim) return bad();
      const int rc = plugin_.sim->set_scenario(spec->c_str());
      return rc == KP_OK ? reply(id, KP_OK) : failed(id, rc);
    }
    case wire::Type::sim_advance: {
      const auto ns = in.get<uint64_t>();
      if (!ns || !plugin_.sim) return bad();
      if (plugin_.sim->struct_size < KP_SIM_V1_ADVANCE_SIZE || !plugin_.sim->advance)
        return reply(id, KP_ERR_NA, wire::Writer().text("this plugin's simulated plate has no stepped clock").take());
      const int rc = plugin_.sim->advance(*ns);
      return rc == KP_OK ? reply(id, KP_OK) : failed(id, rc);
    }
    case wire::Type::battery: {
      const auto device = in.text();
      if (!device || !plugin_.battery) return bad();
      kp_battery_status status{};
      status.struct_size = sizeof status;
      const int rc = plugin_.battery->get_status(device->c_str(), &status);
      if (rc != KP_OK) return failed(id, rc);
      status.struct_size = sizeof status;  // what crosses is always the whole struct, whatever the plugin wrote there
      return reply(id, KP_OK, wire::Writer().put(status).take());
    }
    default:
      return reply(id, KP_ERR_NA,
                   wire::Writer().text(fmt::format("not a request: {}", wire::type_name(request.type))).take());
  }
}

wire::Message HostServer::start(const wire::Message& request, Stream& s) {
  wire::Reader in(request.payload);
  in.get<uint64_t>();
  const auto rate = in.get<uint32_t>();
  const auto capacity = in.get<uint64_t>();
  struct stat st {};
  const bool shaped = rate && capacity && *capacity >= 2 && *capacity <= (1u << 22) &&
                      (*capacity & (*capacity - 1)) == 0 && request.fd >= 0 && fstat(request.fd, &st) == 0 &&
                      static_cast<size_t>(st.st_size) >= SampleRing<kp_sample>::bytes_for(*capacity);
  if (!shaped) return reply(request.call_id, KP_ERR_ARG, wire::Writer().text("start without a usable ring").take());
  s.unmap();  // a ring from an earlier start() is done with
  s.map_bytes = SampleRing<kp_sample>::bytes_for(*capacity);
  s.map = mmap(nullptr, s.map_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, request.fd, 0);
  if (s.map == MAP_FAILED) {
    s.map = nullptr;
    return reply(request.call_id, KP_ERR_NO_MEMORY, wire::Writer().text("cannot map the sample ring").take());
  }
  s.ring = std::make_unique<SampleRing<kp_sample>>(s.map, *capacity, /*create=*/false);
  const int rc = plugin_.devices->start(s.handle, *rate, Stream::on_samples, Stream::on_end, &s);
  if (rc != KP_OK) return failed(request.call_id, rc);
  return reply(request.call_id, KP_OK);
}

void HostServer::close_all() {
  for (auto& [id, s] : streams_) {
    plugin_.devices->close(s->handle);
    s->unmap();
  }
  streams_.clear();
}

}  // namespace kiosk::plates::host
