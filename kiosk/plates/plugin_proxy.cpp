#include "plates/plugin_proxy.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/log.h"
#include "plates/sample_ring.h"

namespace kiosk::plates {
namespace {
thread_local std::map<const PluginProxy*, std::string> t_errors;  // last_error() per proxy, per thread
constexpr auto kGrace = std::chrono::milliseconds(500);           // for a host to finish dying
}  // namespace

// One open handle: the host's handle id and, while streaming, the kiosk's shared ring.
struct PluginProxy::Stream {
  uint64_t remote = 0;
  uint64_t incarnation = 0;  // of the host that opened it; stale after a restart
  void* map = nullptr;
  size_t map_bytes = 0;
  std::unique_ptr<SampleRing<kp_sample>> ring;
  kp_samples_fn on_samples = nullptr;
  kp_stream_end_fn on_end = nullptr;
  void* user = nullptr;
  bool streaming = false;

  void unmap() {
    ring.reset();
    if (map) munmap(map, map_bytes);
    map = nullptr;
  }
  // Hands everything in the ring to the callback, in batches. [streams_mutex_ held]
  void deliver() {
    kp_sample batch[256];
    for (size_t rounds = 0; ring && rounds < kRingCapacity / 256 + 1; ++rounds) {
      size_t n = 0;
      while (n < std::size(batch) && ring->pop(batch[n])) ++n;
      if (n == 0) return;
      on_samples(user, batch, n);
    }
  }
  void end(int reason) {
    deliver();
    streaming = false;
    on_end(user, reason);
  }
};

PluginProxy::PluginProxy(std::filesystem::path file, std::filesystem::path program, std::chrono::milliseconds deadline)
    : file_(std::move(file)), program_(std::move(program)), deadline_(deadline), id_(file_.stem().string()) {}

PluginProxy::~PluginProxy() {
  shutdown();
  t_errors.erase(this);
}

void PluginProxy::set_error(const std::string& text) const { t_errors[this] = text; }

const char* PluginProxy::last_error() const {
  auto it = t_errors.find(this);
  return it == t_errors.end() ? "" : it->second.c_str();
}

void PluginProxy::note(int level, const std::string& line) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info,
                                                          spdlog::level::warn, spdlog::level::err};
  std::lock_guard lock(mutex_);  // id_ is the main thread's, read under the lock
  log::get("plugin")->log(level >= 0 && level <= 3 ? kLevels[level] : spdlog::level::info, "{}: {}", id_, line);
  log_tail_.push_back(line);
  if (log_tail_.size() > kLogTail) log_tail_.pop_front();
}

std::vector<std::string> PluginProxy::log_tail() const {
  std::lock_guard lock(mutex_);
  return {log_tail_.begin(), log_tail_.end()};
}

pid_t PluginProxy::host_pid() const {
  std::lock_guard lock(mutex_);
  return process_.pid;
}

std::vector<std::string> PluginProxy::take_changes() {
  std::lock_guard lock(mutex_);
  return std::exchange(changes_, {});
}

std::optional<std::string> PluginProxy::take_death() {
  std::lock_guard lock(mutex_);
  if (!death_pending_) return std::nullopt;
  death_pending_ = false;
  return death_;
}

// ---- lifecycle --------------------------------------------------------------

void PluginProxy::join() {
  if (reader_.joinable()) reader_.join();
  std::lock_guard lock(mutex_);
  close_host(process_);
}

void PluginProxy::launch() {
  std::lock_guard serial(call_mutex_);
  join();
  HostProcess p;
  try {
    p = spawn_host(program_, file_);
  } catch (const std::exception& e) {
    std::lock_guard lock(mutex_);
    phase_ = Phase::down;
    death_ = e.what();
    death_pending_ = true;
    return;
  }
  std::lock_guard lock(mutex_);
  process_ = p;
  phase_ = Phase::starting;
  launched_at_ = std::chrono::steady_clock::now();
  expecting_exit_ = false;
  kill_reason_.clear();
  ready_.reset();
  reply_.reset();
  stderr_partial_.clear();
  reader_ = std::thread(&PluginProxy::run, this, ++incarnation_);
}

PluginProxy::Phase PluginProxy::phase(bool wait) {
  std::unique_lock lock(mutex_);
  const auto overdue = launched_at_ + deadline_;
  if (wait) cv_.wait_until(lock, overdue, [&] { return phase_ != Phase::starting; });
  if (phase_ == Phase::starting && std::chrono::steady_clock::now() >= overdue) {
    kill_locked(fmt::format("not ready within the {} ms deadline (hung in its entry or init?)", deadline_.count()));
    cv_.wait_for(lock, deadline_ + kGrace, [&] { return phase_ != Phase::starting; });
  }
  if (ready_) {  // the descriptor strings are the main thread's: adopt them here
    wire::Reader in(ready_->payload);
    if (ready_->type == wire::Type::ready) {
      has_link_ = in.get<uint8_t>().value_or(0);
      has_sim_ = in.get<uint8_t>().value_or(0);
      id_ = in.text().value_or(id_);
      name_ = in.text().value_or("");
      version_ = in.text().value_or("");
      has_battery_ = in.get<uint8_t>().value_or(0);
    } else {
      refusal_ = in.text().value_or("refused, no reason given");
    }
    ready_.reset();
  }
  return phase_;
}

void PluginProxy::shutdown() {
  bool ready;
  {
    std::lock_guard lock(mutex_);
    ready = phase_ == Phase::ready;
    expecting_exit_ = true;
  }
  if (ready) call(wire::Type::shutdown, {});  // the host closes everything, deinit()s and exits
  {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, kGrace, [&] { return phase_ == Phase::down || phase_ == Phase::refused; }))
      kill_locked("did not exit when asked");
  }
  std::lock_guard serial(call_mutex_);
  join();
}

void PluginProxy::kill_locked(const std::string& reason) {
  if (!kill_reason_.empty() || process_.pid <= 0) return;
  kill_reason_ = reason;
  ::kill(process_.pid, SIGKILL);
}

// ---- the reader thread --------------------------------------------------------

void PluginProxy::run(uint64_t incarnation) {
  int sock, err;
  {
    std::lock_guard lock(mutex_);
    sock = process_.sock;
    err = process_.stderr_;
  }
  bool stderr_open = true;
  for (;;) {
    bool any_streaming = false;
    {
      std::lock_guard lock(streams_mutex_);
      for (const auto& s : streams_) any_streaming |= s->streaming;
    }
    pollfd fds[2] = {{sock, POLLIN, 0}, {stderr_open ? err : -1, POLLIN, 0}};
    const int n = ::poll(fds, 2, any_streaming ? 5 : 250);
    if (n < 0 && errno != EINTR) break;
    if (fds[1].revents) {
      char buf[4096];
      const ssize_t got = ::read(err, buf, sizeof buf);
      if (got <= 0)
        stderr_open = false;
      else
        on_stderr(std::string_view(buf, static_cast<size_t>(got)));
    }
    pump();
    if (fds[0].revents) {
      wire::Message msg;
      const auto got = wire::receive(sock, msg);
      if (got == wire::Received::closed) break;
      if (got == wire::Received::broken) {
        std::lock_guard lock(mutex_);
        kill_locked("sent a malformed message");
        break;
      }
      on_message(msg);
    }
  }
  on_death(incarnation);
}

void PluginProxy::on_stderr(std::string_view bytes) {
  std::vector<std::string> lines;
  uint64_t cut = 0;
  {
    std::lock_guard lock(mutex_);
    stderr_partial_.append(bytes);
    const auto now = std::chrono::steady_clock::now();
    size_t nl;
    while ((nl = stderr_partial_.find('\n')) != std::string::npos) {
      if (now - stderr_window_ >= std::chrono::seconds(1)) {  // at most kStderrBurst lines a second
        cut = std::exchange(stderr_cut_, 0);
        stderr_window_ = now;
        stderr_lines_ = 0;
      }
      if (++stderr_lines_ <= kStderrBurst)
        lines.push_back(stderr_partial_.substr(0, std::min<size_t>(nl, 1000)));
      else
        ++stderr_cut_;
      stderr_partial_.erase(0, nl + 1);
    }
    if (stderr_partial_.size() > 4096) stderr_partial_.clear();  // one endless line: not kept
  }
  if (cut) note(KP_LOG_WARN, fmt::format("{} stderr lines suppressed (more than {} a second)", cut, kStderrBurst));
  for (const auto& l : lines) note(KP_LOG_WARN, "stderr: " + l);
}

void PluginProxy::on_message(wire::Message& msg) {
  if (msg.fd >= 0) ::close(msg.fd);  // the host never has reason to send one
  wire::Reader in(msg.payload);
  switch (msg.type) {
    case wire::Type::ready:
    case wire::Type::refused: {
      std::lock_guard lock(mutex_);
      if (phase_ != Phase::starting) return;
      phase_ = msg.type == wire::Type::ready ? Phase::ready : Phase::refused;
      if (phase_ == Phase::refused) expecting_exit_ = true;
      ready_ = std::move(msg);
      cv_.notify_all();
      return;
    }
    case wire::Type::reply: {
      std::lock_guard lock(mutex_);
      if (msg.call_id == pending_call_ && pending_call_ != 0) {
        reply_ = std::move(msg);
        cv_.notify_all();
      }
      return;
    }
    case wire::Type::log: {
      const int level = in.get<int32_t>().value_or(KP_LOG_INFO);
      note(level, in.text().value_or("(malformed log line)"));
      return;
    }
    case wire::Type::device_changed: {
      const int added = in.get<int32_t>().value_or(0);
      auto id = in.text().value_or("");
      std::lock_guard lock(mutex_);
      log::get("plates")->info("device {} id={} plugin={}", added ? "added" : "removed", id, id_);
      changes_.push_back(std::move(id));
      return;
    }
    case wire::Type::stream_end: {
      const auto remote = in.get<uint64_t>();
      const int reason = in.get<int32_t>().value_or(KP_ERR);
      std::lock_guard lock(streams_mutex_);
      for (auto& s : streams_)
        if (remote && s->remote == *remote && s->incarnation == incarnation_ && s->streaming) s->end(reason);
      return;
    }
    default: {
      std::lock_guard lock(mutex_);
      log::get("plates")->warn("plate host of {} sent an unexpected {} message; ignored", id_,
                               wire::type_name(msg.type));
    }
  }
}

void PluginProxy::pump() {
  std::lock_guard lock(streams_mutex_);
  for (auto& s : streams_)
    if (s->streaming) s->deliver();
}

void PluginProxy::on_death(uint64_t incarnation) {
  pid_t pid;
  {
    std::lock_guard lock(mutex_);
    pid = process_.pid;
  }
  const std::string how = reap_host(pid, kGrace);
  {
    std::lock_guard lock(mutex_);
    process_.pid = -1;  // reaped: never signal that number again
    const bool wanted = expecting_exit_;
    const bool while_starting = phase_ == Phase::starting;
    phase_ = phase_ == Phase::refused ? Phase::refused : Phase::down;
    if (wanted && how != "exited with status 0")
      log::get("plates")->warn("plate host of {} ended at shut-down: {}", id_, how);
    if (!wanted) {
      death_ = kill_reason_.empty() ? how : fmt::format("{}; killed", kill_reason_);
      if (while_starting && kill_reason_.empty()) death_ += " while starting (in its entry or init)";
      death_pending_ = true;
      log_tail_.push_back("plate host " + death_);  // staff read it among the plugin's own last lines
      if (log_tail_.size() > kLogTail) log_tail_.pop_front();
    }
    changes_.emplace_back();
    cv_.notify_all();
  }
  std::lock_guard lock(streams_mutex_);
  for (auto& s : streams_)
    if (s->streaming && s->incarnation == incarnation) s->end(KP_ERR_NO_DEVICE);  // like an unplug
}

// ---- calls ------------------------------------------------------------------

PluginProxy::Result PluginProxy::down(const std::string& why) {
  set_error(fmt::format("the plate host of plugin {} is not running: {}", id_, why));
  return {KP_ERR_NO_DEVICE, {}, true};
}

PluginProxy::Result PluginProxy::call(wire::Type type, std::string payload, int fd) {
  std::lock_guard serial(call_mutex_);
  std::unique_lock lock(mutex_);
  if (phase_ != Phase::ready) return down(death_.empty() ? "not started" : death_);
  const uint32_t id = ++last_call_ ? last_call_ : ++last_call_;
  pending_call_ = id;
  reply_.reset();
  const int sock = process_.sock;
  lock.unlock();
  const bool sent = wire::send(sock, {type, id, std::move(payload), fd});
  lock.lock();
  if (!sent)
    kill_locked(fmt::format("broken pipe when sending {}", wire::type_name(type)));
  else if (!cv_.wait_until(lock, std::chrono::steady_clock::now() + deadline_,
                           [&] { return reply_.has_value() || phase_ != Phase::ready; }))
    kill_locked(fmt::format("missed the {} ms deadline of {}", deadline_.count(), wire::type_name(type)));
  pending_call_ = 0;
  if (reply_) {
    wire::Reader in(reply_->payload);
    Result r{in.get<int32_t>().value_or(KP_ERR_PROTOCOL), {}, false};
    if (r.rc < 0)
      set_error(in.text().value_or("(no words)"));
    else
      r.payload = std::string(in.rest());
    reply_.reset();
    return r;
  }
  cv_.wait_for(lock, kGrace + deadline_, [&] { return phase_ != Phase::ready; });  // let the reader see the death
  return down(kill_reason_.empty() ? "it died" : kill_reason_);
}

int PluginProxy::enumerate(kp_device_info* infos, uint32_t max) {
  if (!infos && max) return KP_ERR_ARG;
  const auto r = call(wire::Type::enumerate, wire::Writer().put(max).take());
  if (r.host_down) return 0;  // a host that is not running shows no plates
  if (r.rc < 0) return r.rc;
  const size_t n = std::min<size_t>({static_cast<size_t>(r.rc), max, r.payload.size() / sizeof(kp_device_info)});
  for (size_t i = 0; i < n; ++i) {
    const uint32_t size = infos[i].struct_size;
    std::memcpy(&infos[i], r.payload.data() + i * sizeof(kp_device_info), sizeof(kp_device_info));
    infos[i].struct_size = size;
    for (char* s : {infos[i].id, infos[i].vendor, infos[i].model, infos[i].serial}) s[63] = '\0';
    infos[i].firmware[sizeof infos[i].firmware - 1] = '\0';
  }
  return r.rc;
}

int PluginProxy::open(const char* device_id, void** handle) {
  if (!device_id || !handle) return KP_ERR_ARG;
  const auto r = call(wire::Type::open, wire::Writer().text(device_id).take());
  if (r.rc != KP_OK) return r.rc;
  const auto remote = wire::Reader(r.payload).get<uint64_t>();
  if (!remote) {
    set_error("the plate host answered open without a handle");
    return KP_ERR_PROTOCOL;
  }
  auto s = std::make_unique<Stream>();
  s->remote = *remote;
  {
    std::lock_guard lock(mutex_);
    s->incarnation = incarnation_;
  }
  *handle = s.get();
  std::lock_guard lock(streams_mutex_);
  streams_.push_back(std::move(s));
  return KP_OK;
}

PluginProxy::Stream* PluginProxy::stream_of(void* handle) {
  std::lock_guard lock(streams_mutex_);
  for (auto& s : streams_)
    if (s.get() == handle) return s.get();
  return nullptr;
}

namespace {
// A sealed memfd of `bytes`: the host can write samples into it but never shrink it under us.
int ring_memfd(size_t bytes) {
  const int fd = memfd_create("kiosk-plate-ring", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -1;
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0 ||
      fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}
}  // namespace

int PluginProxy::start(void* handle, uint32_t rate_hz, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  Stream* s = stream_of(handle);
  if (!s || !on_samples || !on_end) return set_error("start: unknown handle or no callback"), KP_ERR_ARG;
  {
    std::lock_guard lock(mutex_);
    if (s->incarnation != incarnation_ || phase_ != Phase::ready)
      return down("it restarted since the plate was opened").rc;
  }
  {
    std::lock_guard lock(streams_mutex_);  // the reader thread ends streams
    if (s->streaming) return set_error("start: already streaming"), KP_ERR_STATE;
  }
  const size_t bytes = SampleRing<kp_sample>::bytes_for(kRingCapacity);
  const int fd = ring_memfd(bytes);
  void* map = fd < 0 ? MAP_FAILED : mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (map == MAP_FAILED) {
    if (fd >= 0) ::close(fd);
    set_error(fmt::format("cannot make a shared sample ring: {}", std::strerror(errno)));
    return KP_ERR_NO_MEMORY;
  }
  {
    std::lock_guard lock(streams_mutex_);
    s->unmap();
    s->map = map;
    s->map_bytes = bytes;
    s->ring = std::make_unique<SampleRing<kp_sample>>(map, kRingCapacity, /*create=*/true);
    s->on_samples = on_samples;
    s->on_end = on_end;
    s->user = user;
    s->streaming = true;
  }
  const auto r =
      call(wire::Type::start, wire::Writer().put(s->remote).put(rate_hz).put<uint64_t>(kRingCapacity).take(), fd);
  ::close(fd);
  if (r.rc != KP_OK) {
    std::lock_guard lock(streams_mutex_);
    s->streaming = false;
  }
  return r.rc;
}

int PluginProxy::stop(void* handle) {
  Stream* s = stream_of(handle);
  if (!s) return set_error("stop: unknown handle"), KP_ERR_ARG;
  int rc = KP_OK;
  bool same_host;
  {
    std::lock_guard lock(mutex_);
    same_host = s->incarnation == incarnation_;
  }
  bool streaming;
  {
    std::lock_guard lock(streams_mutex_);  // the reader thread ends streams
    streaming = s->streaming;
  }
  if (same_host && streaming) {
    const auto r = call(wire::Type::stop, wire::Writer().put(s->remote).take());
    if (!r.host_down) rc = r.rc;
  }
  std::lock_guard lock(streams_mutex_);  // after this no callback runs or will run
  if (s->streaming) {
    s->deliver();
    s->streaming = false;
  }
  return rc;
}

void PluginProxy::close(void* handle) {
  Stream* s = stream_of(handle);
  if (!s) return;
  stop(handle);
  bool same_host;
  {
    std::lock_guard lock(mutex_);
    same_host = s->incarnation == incarnation_;
  }
  if (same_host) call(wire::Type::close, wire::Writer().put(s->remote).take());
  std::lock_guard lock(streams_mutex_);
  s->unmap();
  streams_.erase(std::find_if(streams_.begin(), streams_.end(), [&](const auto& p) { return p.get() == s; }));
}

int PluginProxy::link_stats(void* handle, kp_link_stats* out) {
  Stream* s = stream_of(handle);
  if (!s || !out) return KP_ERR_ARG;
  const auto r = call(wire::Type::link_stats, wire::Writer().put(s->remote).take());
  if (r.rc != KP_OK) return r.rc;
  kp_link_stats got{};
  if (r.payload.size() < sizeof got) return KP_ERR_PROTOCOL;
  std::memcpy(&got, r.payload.data(), sizeof got);
  const uint32_t size = std::min<uint32_t>(out->struct_size, sizeof got);
  got.struct_size = out->struct_size;
  std::memcpy(out, &got, size);
  return KP_OK;
}

int PluginProxy::set_scenario(const char* spec) {
  return call(wire::Type::sim_scenario, wire::Writer().text(spec ? spec : "").take()).rc;
}

int PluginProxy::sim_advance(uint64_t ns) {
  const int rc = call(wire::Type::sim_advance, wire::Writer().put(ns).take()).rc;
  if (rc == KP_OK) pump();  // they are in the shared rings now: do not wait for the reader's next round
  return rc;
}

int PluginProxy::battery_status(const char* device_id, kp_battery_status* out) {
  if (!device_id || !out || out->struct_size == 0) return KP_ERR_ARG;
  uint64_t incarnation;
  {
    std::lock_guard lock(mutex_);
    incarnation = incarnation_;
  }
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(battery_mutex_);
  auto& a = battery_[device_id];
  if (a.incarnation != incarnation || now - a.at >= std::chrono::seconds(1)) {
    const auto r = call(wire::Type::battery, wire::Writer().text(device_id).take());
    a = {now, incarnation, r.rc, {}};
    if (r.rc == KP_OK && r.payload.size() < sizeof a.status) a.rc = KP_ERR_PROTOCOL;
    if (a.rc == KP_OK) std::memcpy(&a.status, r.payload.data(), sizeof a.status);
  }
  if (a.rc != KP_OK) return a.rc;
  kp_battery_status got = a.status;
  got.struct_size = out->struct_size;
  std::memcpy(out, &got, std::min<size_t>(out->struct_size, sizeof got));
  return KP_OK;
}

}  // namespace kiosk::plates
