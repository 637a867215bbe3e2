#include "plates/proxy_abi.h"

#include <array>
#include <cstring>
#include <mutex>
#include <utility>

#include "plates/plugin_proxy.h"

namespace kiosk::plates {

struct AbiSlots {
  static inline std::mutex mutex;
  static inline std::array<ProxyAbi*, ProxyAbi::kMaxPlugins> bound{};

  static PluginProxy& proxy(size_t slot) { return bound[slot]->proxy_; }
};

namespace {

// The context-free calls of slot N.
template <size_t N>
struct Slot {
  static int enumerate(kp_device_info* infos, uint32_t max) { return AbiSlots::proxy(N).enumerate(infos, max); }
  static int open(const char* id, void** handle) { return AbiSlots::proxy(N).open(id, handle); }
  static const char* last_error() { return AbiSlots::proxy(N).last_error(); }
  static const void* get_extension(const char* id) { return AbiSlots::bound[N]->extension(id); }
  static int set_scenario(const char* spec) { return AbiSlots::proxy(N).set_scenario(spec); }
  static int advance(uint64_t ns) { return AbiSlots::proxy(N).sim_advance(ns); }
  static int battery(const char* id, kp_battery_status* out) { return AbiSlots::proxy(N).battery_status(id, out); }
};
struct Fns {
  int (*enumerate)(kp_device_info*, uint32_t);
  int (*open)(const char*, void**);
  const char* (*last_error)();
  const void* (*get_extension)(const char*);
  int (*set_scenario)(const char*);
  int (*advance)(uint64_t);
  int (*battery)(const char*, kp_battery_status*);
};
template <size_t... N>
constexpr std::array<Fns, sizeof...(N)> make(std::index_sequence<N...>) {
  return {Fns{&Slot<N>::enumerate, &Slot<N>::open, &Slot<N>::last_error, &Slot<N>::get_extension,
              &Slot<N>::set_scenario, &Slot<N>::advance, &Slot<N>::battery}...};
}

constexpr auto kFns = make(std::make_index_sequence<ProxyAbi::kMaxPlugins>());

// Handles given out through the ABI pair the proxy with its own stream handle.
struct AbiHandle {
  PluginProxy* proxy;
  void* inner;
};
int abi_start(void* h, uint32_t rate, kp_samples_fn on_samples, kp_stream_end_fn on_end, void* user) {
  auto* a = static_cast<AbiHandle*>(h);
  return a ? a->proxy->start(a->inner, rate, on_samples, on_end, user) : KP_ERR_ARG;
}
int abi_stop(void* h) {
  auto* a = static_cast<AbiHandle*>(h);
  return a ? a->proxy->stop(a->inner) : KP_ERR_ARG;
}
void abi_close(void* h) {
  auto* a = static_cast<AbiHandle*>(h);
  if (!a) return;
  a->proxy->close(a->inner);
  delete a;
}
int abi_link_stats(void* h, kp_link_stats* out) {
  auto* a = static_cast<AbiHandle*>(h);
  return a ? a->proxy->link_stats(a->inner, out) : KP_ERR_ARG;
}
template <size_t N>
int abi_open(const char* id, void** handle) {
  if (!handle) return KP_ERR_ARG;
  void* inner = nullptr;
  const int rc = kFns[N].open(id, &inner);
  if (rc == KP_OK) *handle = new AbiHandle{&AbiSlots::proxy(N), inner};
  return rc;
}
template <size_t... N>
constexpr std::array<int (*)(const char*, void**), sizeof...(N)> make_opens(std::index_sequence<N...>) {
  return {&abi_open<N>...};
}
constexpr auto kOpens = make_opens(std::make_index_sequence<ProxyAbi::kMaxPlugins>());
int no_init(const kp_host*) { return KP_OK; }  // the host process did the real init()
void no_deinit() {}
}  // namespace

std::unique_ptr<ProxyAbi> ProxyAbi::bind(PluginProxy& proxy) {
  std::lock_guard lock(AbiSlots::mutex);
  for (size_t slot = 0; slot < kMaxPlugins; ++slot) {
    if (AbiSlots::bound[slot]) continue;
    std::unique_ptr<ProxyAbi> abi(new ProxyAbi(proxy, slot));
    AbiSlots::bound[slot] = abi.get();
    return abi;
  }
  return nullptr;
}

ProxyAbi::ProxyAbi(PluginProxy& proxy, size_t slot) : proxy_(proxy), slot_(slot) {
  const auto& f = kFns[slot];
  plugin_.abi_version = KIOSK_PLATE_ABI_VERSION;
  plugin_.struct_size = sizeof plugin_;
  plugin_.init = no_init;
  plugin_.deinit = no_deinit;
  plugin_.get_extension = f.get_extension;
  devices_ = {sizeof devices_, f.enumerate, kOpens[slot], abi_start, abi_stop, abi_close, f.last_error};
  link_ = {sizeof link_, abi_link_stats};
  sim_ = {sizeof sim_, f.set_scenario, f.advance};
  battery_ = {sizeof battery_, f.battery};
  refresh();
}

ProxyAbi::~ProxyAbi() {
  std::lock_guard lock(AbiSlots::mutex);
  AbiSlots::bound[slot_] = nullptr;
}

void ProxyAbi::refresh() {
  plugin_.id = proxy_.id().c_str();
  plugin_.name = proxy_.name().c_str();
  plugin_.version = proxy_.version().c_str();
}

const kp_link_v1* ProxyAbi::link() const { return proxy_.has_link() ? &link_ : nullptr; }

const void* ProxyAbi::extension(const char* id) const {
  if (!id) return nullptr;
  if (std::strcmp(id, KP_EXT_DEVICES_V1) == 0) return &devices_;
  if (std::strcmp(id, KP_EXT_LINK_V1) == 0) return link();
  if (std::strcmp(id, KP_EXT_SIM_V1) == 0) return proxy_.has_sim() ? &sim_ : nullptr;
  if (std::strcmp(id, KP_EXT_BATTERY_V1) == 0) return proxy_.has_battery() ? &battery_ : nullptr;
  return nullptr;
}

}  // namespace kiosk::plates
