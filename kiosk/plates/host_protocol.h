// The plate-host protocol, version 1: what the kiosk and a kiosk-plate-host
// process (one per plugin) say to each other. The one home of the wire format.
//
// Process model: the kiosk starts `kiosk-plate-host PLUGIN.so` with its end of
// a SOCK_SEQPACKET socketpair as fd 3 (kHostFd). The host loads the plugin,
// checks it against the plugin ABI and answers `ready` (or `refused`, then
// exits 0). After that the kiosk sends requests, one at a time, each answered
// by a `reply` with the same call_id; the kiosk kills a host that misses a
// call's deadline. Events (log, device_changed, stream_end) come from the
// host at any time with call_id 0. Samples never cross the socket: at
// `start` the kiosk passes a sealed memfd holding a SampleRing<kp_sample>
// (sample_ring.h) that the host's device thread pushes into and the kiosk
// drains. EOF on the socket means the other side is gone.
//
// Each message is one packet: Header, then `length` payload bytes. Payloads
// are the listed fields in order, native byte order (both ends are built
// together); text is a u32 length then bytes. A peer that sends a bad magic,
// version, type or length is treated as broken. Version changes: add types
// or append fields; bump kVersion when a payload changes meaning.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace kiosk::plates::wire {

inline constexpr uint32_t kMagic = 0x3148504b;  // "KPH1" in memory
inline constexpr uint16_t kVersion = 1;
inline constexpr int kHostFd = 3;                 // the host's end of the socketpair
inline constexpr size_t kMaxMessage = 64 * 1024;  // bytes, header included
inline constexpr uint32_t kMaxDevices = 16;       // per enumerate

enum class Type : uint16_t {
  // host -> kiosk, once, first
  ready = 1,    // u8 has_link, u8 has_sim, text id, text name, text version, u8 has_battery (appended)
  refused = 2,  // text reason (the ABI checks or init() said no)
  // kiosk -> host requests; each gets a `reply`
  enumerate = 10,     // u32 max                -> rc = count; kp_device_info[min(count, max)]
  open = 11,          // text device id         -> u64 handle
  start = 12,         // u64 handle, u32 rate_hz, u64 ring capacity; memfd attached
  stop = 13,          // u64 handle
  close = 14,         // u64 handle
  link_stats = 15,    // u64 handle             -> kp_link_stats
  sim_scenario = 16,  // text spec
  shutdown = 17,      // close all, deinit(), reply, exit 0
  battery = 18,       // text device id         -> kp_battery_status ("kiosk.plate.battery/1")
  sim_advance = 19,   // u64 ns: the stepped sim plays that much device time; replied once its samples
                      // are in the shared rings (and its stream_end, device_changed events sent)
  // host -> kiosk
  reply = 30,           // i32 rc, then on rc < 0 text last_error, else the call's result
  log = 40,             // i32 level (kp_log_level), text message
  device_changed = 41,  // i32 added, text device id
  stream_end = 42,      // u64 handle, i32 reason (KP_ERR_*)
};
const char* type_name(Type t);

struct Header {
  uint32_t magic;
  uint16_t version;
  uint16_t type;
  uint32_t call_id;  // 0 for events
  uint32_t length;   // payload bytes
};

struct Message {
  Type type{};
  uint32_t call_id = 0;
  std::string payload;
  int fd = -1;  // a descriptor that came with it (SCM_RIGHTS); the receiver owns it
};

// Sends one message (and `msg.fd` if >= 0). false when the peer is gone. Thread-safe per packet.
bool send(int sock, const Message& msg);
enum class Received { message, closed, broken };
// Blocks for one message. `broken`: a malformed packet (the peer is not trusted after it).
Received receive(int sock, Message& out);

// Builds a payload.
class Writer {
 public:
  template <typename T>
  Writer& put(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes_.append(reinterpret_cast<const char*>(&v), sizeof v);
    return *this;
  }
  Writer& text(std::string_view s) {
    put(static_cast<uint32_t>(s.size()));
    bytes_.append(s);
    return *this;
  }
  std::string take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

// Reads a payload; every read is bounds-checked (a short payload reads as nullopt).
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  std::optional<T> get() {
    static_assert(std::is_trivially_copyable_v<T>);
    if (bytes_.size() < sizeof(T)) return std::nullopt;
    T v;
    std::memcpy(&v, bytes_.data(), sizeof v);
    bytes_.remove_prefix(sizeof v);
    return v;
  }
  std::optional<std::string> text() {
    const auto n = get<uint32_t>();
    if (!n || bytes_.size() < *n) return std::nullopt;
    std::string s(bytes_.substr(0, *n));
    bytes_.remove_prefix(*n);
    return s;
  }
  std::string_view rest() const { return bytes_; }

 private:
  std::string_view bytes_;
};

}  // namespace kiosk::plates::wire
