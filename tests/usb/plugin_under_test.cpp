#include "plugin_under_test.h"

#include <dlfcn.h>

#include <catch2/catch.hpp>
#include <thread>

namespace kiosk::test {

PluginUnderTest::PluginUnderTest(const std::string& plugin) {
  const std::string file = std::string(KIOSK_PLUGIN_DIR) + "/" + plugin + ".so";
  void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);  // never closed, like the host does
  REQUIRE(lib != nullptr);
  auto entry = reinterpret_cast<kp_entry_fn>(dlsym(lib, KIOSK_PLATE_ENTRY));
  REQUIRE(entry != nullptr);
  plugin_ = entry();
  REQUIRE(plugin_->abi_version == KIOSK_PLATE_ABI_VERSION);
  host_.struct_size = sizeof host_;
  host_.abi_version = KIOSK_PLATE_ABI_VERSION;
  host_.ctx = this;
  host_.log = on_log;
  host_.device_changed = on_change;
  REQUIRE(plugin_->init(&host_) == KP_OK);
  devices_ = static_cast<const kp_devices_v1*>(plugin_->get_extension(KP_EXT_DEVICES_V1));
  link_ = static_cast<const kp_link_v1*>(plugin_->get_extension(KP_EXT_LINK_V1));
  REQUIRE(devices_ != nullptr);
  if (plugin != "sim") REQUIRE(link_ != nullptr);  // the wired and wireless plates count their link
}

PluginUnderTest::~PluginUnderTest() {
  close();
  plugin_->deinit();
}

std::vector<kp_device_info> PluginUnderTest::enumerate(int* rc) {
  std::vector<kp_device_info> infos(8);
  for (auto& i : infos) i.struct_size = sizeof(kp_device_info);
  const int n = devices_->enumerate(infos.data(), static_cast<uint32_t>(infos.size()));
  if (rc) *rc = n;
  infos.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return infos;
}

void PluginUnderTest::open_and_start(const std::string& id, uint32_t rate_hz) {
  const int rc = devices_->open(id.c_str(), &handle_);
  INFO(devices_->last_error());
  REQUIRE(rc == KP_OK);
  REQUIRE(start(rate_hz) == KP_OK);
}

int PluginUnderTest::start(uint32_t rate_hz) {
  {
    std::lock_guard lock(m_);
    samples_.clear();
    ended_ = false;
    end_reason_ = KP_OK;
  }
  const int rc = devices_->start(handle_, rate_hz, on_samples, on_end, this);
  started_ = rc == KP_OK;
  return rc;
}

void PluginUnderTest::stop() {
  if (handle_ && started_) CHECK(devices_->stop(handle_) == KP_OK);
  started_ = false;
}

void PluginUnderTest::close() {
  stop();
  if (handle_) devices_->close(handle_);
  handle_ = nullptr;
}

kp_link_stats PluginUnderTest::stats() const {
  kp_link_stats s{};
  s.struct_size = sizeof s;
  REQUIRE(link_->get_stats(handle_, &s) == KP_OK);
  return s;
}

std::vector<kp_sample> PluginUnderTest::samples() const {
  std::lock_guard lock(m_);
  return samples_;
}
size_t PluginUnderTest::sample_count() const {
  std::lock_guard lock(m_);
  return samples_.size();
}
void PluginUnderTest::clear_samples() {
  std::lock_guard lock(m_);
  samples_.clear();
}
std::vector<std::string> PluginUnderTest::logs() const {
  std::lock_guard lock(m_);
  return logs_;
}
std::vector<DeviceChange> PluginUnderTest::changes() const {
  std::lock_guard lock(m_);
  return changes_;
}
bool PluginUnderTest::ended() const {
  std::lock_guard lock(m_);
  return ended_;
}
int PluginUnderTest::end_reason() const {
  std::lock_guard lock(m_);
  return end_reason_;
}
std::chrono::steady_clock::time_point PluginUnderTest::ended_at() const {
  std::lock_guard lock(m_);
  return ended_at_;
}

bool PluginUnderTest::wait_for(const std::function<bool()>& pred, std::chrono::milliseconds limit) const {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void PluginUnderTest::on_log(void* ctx, int, const char* message) {
  auto* self = static_cast<PluginUnderTest*>(ctx);
  std::lock_guard lock(self->m_);
  self->logs_.emplace_back(message);
}

void PluginUnderTest::on_change(void* ctx, const char* id, int added) {
  auto* self = static_cast<PluginUnderTest*>(ctx);
  std::lock_guard lock(self->m_);
  self->changes_.push_back({id, added != 0, std::chrono::steady_clock::now()});
}

void PluginUnderTest::on_samples(void* user, const kp_sample* s, size_t n) {
  auto* self = static_cast<PluginUnderTest*>(user);
  std::lock_guard lock(self->m_);
  self->samples_.insert(self->samples_.end(), s, s + n);
}

void PluginUnderTest::on_end(void* user, int reason) {
  auto* self = static_cast<PluginUnderTest*>(user);
  std::lock_guard lock(self->m_);
  self->ended_ = true;
  self->end_reason_ = reason;
  self->ended_at_ = std::chrono::steady_clock::now();
}

}  // namespace kiosk::test
