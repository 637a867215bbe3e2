// The emulated plate: usbdevfs ioctls in, device behaviour out.
//
// Timing model (PROTOCOL.md "Streaming"): sample k is taken at k/rate after
// START; every batch_ms the device sends what it has queued, up to 64 frames
// per transfer. The model is evaluated lazily from the monotonic clock, so
// a late wake-up catches up exactly (counts never depend on scheduling).
//
// One emulation artefact: umockdev's device node is a plain file, so poll()
// always reports it ready and libusb would spin on REAPURBNDELAY. Like the
// kernel's blocking poll, a reap with nothing to reap right after an empty
// one is held until a transfer completes or kHoldReap passes.
#include "emulated_plate.h"

#include <linux/usbdevice_fs.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <umockdev.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstddef>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "wire.h"

namespace kiosk::usbemu {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kHoldReap = std::chrono::milliseconds(20);

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string load_fixture() {
  std::ifstream in(KIOSK_USBPLATE_FIXTURE);
  if (!in) throw std::runtime_error("cannot read " KIOSK_USBPLATE_FIXTURE);
  std::string out, line;
  while (std::getline(in, line))
    if (!line.empty() && line[0] != '#') out += line + "\n";  // umockdev records have no comments
  return out;
}

usbdevfs_urb* urb_of(UMockdevIoctlData* d) { return reinterpret_cast<usbdevfs_urb*>(d->data); }

// One open file descriptor of the device node (a libusb_device_handle).
struct Client {
  std::string devnode;
  std::deque<UMockdevIoctlData*> bulk;  // IN URBs waiting for data, in submission order (owned refs)
  std::deque<UMockdevIoctlData*> done;  // completed URBs waiting to be reaped (owned refs)
  UMockdevIoctlData* held = nullptr;    // the slot of a reap being held (owned ref)
  Clock::time_point held_since;
  bool last_reap_gave = false;
};

}  // namespace

struct UsbTestbed::Shared {
  UMockdevTestbed* testbed = nullptr;
  std::string fixture;
  unsigned next_devnum = 2;  // 1 is the root hub's
  unsigned next_port = 1;
  std::mutex mutex;  // guards next_devnum / next_port
};

struct EmulatedPlate::Impl {
  std::shared_ptr<UsbTestbed::Shared> tb;
  PlateSpec spec;
  unsigned port = 0;
  std::string syspath;
  UMockdevIoctlBase* handler = nullptr;

  mutable std::mutex m;
  std::condition_variable wake;  // the clock thread's
  std::thread clock;
  bool quit = false;

  // guarded by m:
  std::string devnode;
  bool plugged = false;
  std::map<UMockdevIoctlClient*, Client> clients;
  UMockdevIoctlClient* claimed_by = nullptr;
  bool streaming = false;
  uint16_t rate_hz = 0;
  Clock::time_point t0;
  uint64_t next_k = 0, flushes = 0;
  std::deque<wire::Frame> fifo;
  unsigned garble = 0;
  bool truncate = false, swap = false, stalled = false, muted = false;
  Clock::time_point hold_until;
  uint8_t status_bits = 0, cell_faults = 0;
  PlateCounters counters;

  ~Impl() {
    {
      std::lock_guard lock(m);
      quit = true;
    }
    wake.notify_all();
    if (clock.joinable()) clock.join();
    for (auto& [client, c] : clients) {
      for (auto* d : c.bulk) g_object_unref(d);
      for (auto* d : c.done) g_object_unref(d);
      if (c.held) {
        g_object_unref(c.held);
        umockdev_ioctl_client_complete(client, -1, ENODEV);
      }
      g_object_unref(client);
    }
    if (handler) g_object_unref(handler);
  }

  // ---- the device clock ---------------------------------------------------

  std::chrono::microseconds batch() const { return std::chrono::milliseconds(spec.batch_ms); }
  Clock::time_point flush_time(uint64_t i) const {  // when the device sends for the i-th time
    return t0 + std::chrono::duration_cast<Clock::duration>(batch() * static_cast<int64_t>(i));
  }

  void sample_until(Clock::time_point t) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(t - t0).count();
    const uint64_t due = static_cast<uint64_t>(us) * rate_hz / 1000000u + 1;  // sample 0 at t0
    for (; next_k < due; ++next_k) {
      counters.frames_sampled++;
      if (fifo.size() >= spec.fifo_frames) {
        counters.frames_dropped++;
        continue;
      }
      const auto seq = static_cast<uint32_t>(next_k);
      const int32_t raw[4] = {raw_value(seq, 0), raw_value(seq, 1), raw_value(seq, 2), raw_value(seq, 3)};
      fifo.push_back(
          wire::encode_frame(seq, static_cast<uint32_t>(next_k * 1000000u / rate_hz), status_bits, cell_faults, raw));
    }
  }

  Client* streaming_client() {
    auto it = clients.find(claimed_by);
    return it == clients.end() ? nullptr : &it->second;
  }

  // Sends queued frames into waiting IN transfers, one transfer per up to 64 frames.
  void send_queued() {
    Client* c = streaming_client();
    while (c && !fifo.empty() && !c->bulk.empty()) {
      UMockdevIoctlData* d = c->bulk.front();
      c->bulk.pop_front();
      usbdevfs_urb* urb = urb_of(d);
      const size_t room = static_cast<size_t>(urb->buffer_length) / wire::kFrameSize;
      const size_t n = std::min({fifo.size(), room, wire::kMaxFramesPerTransfer});
      std::vector<wire::Frame> frames(fifo.begin(), fifo.begin() + static_cast<long>(n));
      fifo.erase(fifo.begin(), fifo.begin() + static_cast<long>(n));
      counters.frames_sent += n;
      if (swap && n >= 2) std::swap(frames[0], frames[1]), swap = false;
      for (auto& f : frames)
        if (garble) f[13] ^= 0x5A, --garble;
      auto* out = static_cast<uint8_t*>(urb->buffer);  // the local copy umockdev resolved at submit
      for (size_t i = 0; i < n; ++i) std::memcpy(out + i * wire::kFrameSize, frames[i].data(), wire::kFrameSize);
      urb->actual_length = static_cast<int>(n * wire::kFrameSize);
      if (truncate) urb->actual_length -= 20, truncate = false;
      urb->status = 0;
      c->done.push_back(d);
    }
  }

  void advance(Clock::time_point now) {
    if (!streaming) return;
    const auto flush_due = static_cast<uint64_t>((now - t0) / batch());
    for (; flushes < flush_due; ++flushes) {
      const auto t = flush_time(flushes + 1);
      sample_until(t);
      if (!muted && !stalled && t >= hold_until) send_queued();
    }
  }

  void answer_reap(UMockdevIoctlClient* client, Client& c, UMockdevIoctlData* slot) {
    UMockdevIoctlData* d = c.done.front();
    c.done.pop_front();
    umockdev_ioctl_data_set_ptr(slot, 0, d);  // the slot keeps its own reference
    g_object_unref(d);
    g_object_unref(slot);
    c.last_reap_gave = true;
    umockdev_ioctl_client_complete(client, 0, 0);
  }

  // Evaluates the model and answers held reaps that can be answered. [locked]
  void service(Clock::time_point now) {
    advance(now);
    for (auto& [client, c] : clients) {
      if (!c.held) continue;
      if (!c.done.empty()) {
        answer_reap(client, c, std::exchange(c.held, nullptr));
      } else if (now - c.held_since >= kHoldReap) {
        g_object_unref(std::exchange(c.held, nullptr));
        c.last_reap_gave = false;
        umockdev_ioctl_client_complete(client, -1, EAGAIN);
      }
    }
  }

  Clock::time_point next_wake() const {
    auto next = Clock::time_point::max();
    for (const auto& [client, c] : clients)
      if (c.held) next = std::min(next, c.held_since + kHoldReap);
    if (next != Clock::time_point::max() && streaming)
      next = std::min(next, std::max(hold_until, flush_time(flushes + 1)));
    return next;
  }

  void clock_main() {
    std::unique_lock lock(m);
    while (!quit) {
      const auto at = next_wake();
      if (at == Clock::time_point::max())
        wake.wait(lock);
      else
        wake.wait_until(lock, at);
      if (!quit) service(Clock::now());
    }
  }

  // ---- control requests ---------------------------------------------------

  // Returns the reply length, or -1 to stall the request.
  int control(const uint8_t* setup, uint8_t* data, size_t room) {
    const uint8_t type = setup[0], req = setup[1];
    const uint16_t value = static_cast<uint16_t>(setup[2] | setup[3] << 8);
    auto reply = [&](const std::vector<uint8_t>& bytes) {
      const size_t n = std::min(bytes.size(), room);
      std::memcpy(data, bytes.data(), n);
      return static_cast<int>(n);
    };
    if (type == 0x80 && req == 0x06) {  // GET_DESCRIPTOR
      const uint8_t kind = value >> 8, index = value & 0xFF;
      if (kind == 1) return reply(wire::device_descriptor());
      if (kind == 2) return reply(wire::config_descriptor());
      if (kind == 3 && index == 0) return reply({0x04, 0x03, 0x09, 0x04});  // English (US)
      if (kind == 3 && index == 1) return reply(wire::string_descriptor(spec.manufacturer));
      if (kind == 3 && index == 2) return reply(wire::string_descriptor(spec.product));
      if (kind == 3 && index == 3) return reply(wire::string_descriptor(spec.serial));
      return -1;
    }
    if (type == 0xC0 && req == wire::kGetInfo) return reply(wire::encode_info(spec));
    if (type == 0xC0 && req == wire::kGetStatus)
      return reply(wire::encode_status(streaming, status_bits, rate_hz, static_cast<uint32_t>(counters.frames_sampled),
                                       static_cast<uint32_t>(counters.frames_dropped), cell_faults));
    if (type == 0x40 && req == wire::kSetRate) {
      if (streaming || std::find(spec.rates_hz.begin(), spec.rates_hz.end(), value) == spec.rates_hz.end()) return -1;
      rate_hz = value;
      counters.set_rates++;
      return 0;
    }
    if (type == 0x40 && req == wire::kStart) {
      if (streaming) return -1;
      const auto keep = counters;
      counters = PlateCounters{};
      counters.starts = keep.starts + 1, counters.stops = keep.stops, counters.set_rates = keep.set_rates;
      counters.clear_halts = keep.clear_halts, counters.control_stalls = keep.control_stalls;
      counters.unknown_ioctls = keep.unknown_ioctls;
      streaming = true;
      t0 = Clock::now();
      next_k = flushes = 0;
      fifo.clear();
      return 0;
    }
    if (type == 0x40 && req == wire::kStop) {
      streaming = false;
      fifo.clear();
      counters.stops++;
      return 0;
    }
    return -1;
  }

  // ---- usbdevfs ------------------------------------------------------------

  void complete(UMockdevIoctlClient* client, long result, int err) {
    umockdev_ioctl_client_complete(client, result, err);
  }

  bool stale(const Client& c) const { return !plugged || c.devnode != devnode; }

  void submit(UMockdevIoctlClient* client, Client& c, UMockdevIoctlData* arg) {
    UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
    if (!d) return complete(client, -1, EFAULT);
    usbdevfs_urb* urb = urb_of(d);
    UMockdevIoctlData* buf = umockdev_ioctl_data_resolve(d, offsetof(usbdevfs_urb, buffer),
                                                         static_cast<size_t>(urb->buffer_length), nullptr);
    if (buf) g_object_unref(buf);  // d keeps it as a child
    if (stale(c)) {
      g_object_unref(d);
      return complete(client, -1, ENODEV);
    }
    if (urb->type == USBDEVFS_URB_TYPE_CONTROL && urb->buffer_length >= 8) {
      auto* bytes = static_cast<uint8_t*>(urb->buffer);
      const int n = control(bytes, bytes + 8, static_cast<size_t>(urb->buffer_length - 8));
      if (n < 0) counters.control_stalls++;
      urb->status = n < 0 ? -EPIPE : 0;
      urb->actual_length = n < 0 ? 0 : n;
      c.done.push_back(d);
    } else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == wire::kEpStream) {
      if (stalled) {
        urb->status = -EPIPE;
        urb->actual_length = 0;
        c.done.push_back(d);
      } else {
        c.bulk.push_back(d);
      }
    } else {
      g_object_unref(d);
      return complete(client, -1, EINVAL);
    }
    complete(client, 0, 0);
  }

  void reap(UMockdevIoctlClient* client, Client& c, UMockdevIoctlData* arg) {
    UMockdevIoctlData* slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void*), nullptr);
    if (!slot) return complete(client, -1, EFAULT);
    service(Clock::now());
    if (!c.done.empty()) return answer_reap(client, c, slot);
    if (c.last_reap_gave) {
      g_object_unref(slot);
      c.last_reap_gave = false;
      return complete(client, -1, EAGAIN);
    }
    c.held = slot;  // answered by service() on the clock thread
    c.held_since = Clock::now();
    wake.notify_all();
  }

  void discard(UMockdevIoctlClient* client, Client& c, UMockdevIoctlData* arg) {
    const auto addr = *reinterpret_cast<const gulong*>(arg->data);  // the URB's address in the client
    auto it = std::find_if(c.bulk.begin(), c.bulk.end(), [&](auto* d) { return d->client_addr == addr; });
    if (it == c.bulk.end()) return complete(client, -1, EINVAL);
    urb_of(*it)->status = -ENOENT;
    urb_of(*it)->actual_length = 0;
    c.done.push_back(*it);
    c.bulk.erase(it);
    complete(client, 0, 0);
  }

  unsigned read_uint(UMockdevIoctlData* arg) {
    UMockdevIoctlData* v = umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned), nullptr);
    unsigned out = 0;
    if (v) std::memcpy(&out, v->data, sizeof out), g_object_unref(v);
    return out;
  }

  gboolean on_ioctl(UMockdevIoctlClient* client) {
    std::lock_guard lock(m);
    auto [it, fresh] = clients.try_emplace(client);
    Client& c = it->second;
    if (fresh) {
      g_object_ref(client);
      c.devnode = umockdev_ioctl_client_get_devnode(client);
    }
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    const gulong request = umockdev_ioctl_client_get_request(client);
    switch (request) {
      case USBDEVFS_SUBMITURB:
        submit(client, c, arg);
        break;
      case USBDEVFS_REAPURB:
      case USBDEVFS_REAPURBNDELAY:
        reap(client, c, arg);
        break;
      case USBDEVFS_DISCARDURB:
        discard(client, c, arg);
        break;
      case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData* caps = umockdev_ioctl_data_resolve(arg, 0, sizeof(uint32_t), nullptr);
        const uint32_t v = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_ZERO_PACKET;
        if (caps) std::memcpy(caps->data, &v, sizeof v), g_object_unref(caps);
        complete(client, 0, 0);
        break;
      }
      case USBDEVFS_CLAIMINTERFACE: {
        read_uint(arg);
        if (stale(c)) return complete(client, -1, ENODEV), TRUE;
        if (claimed_by && claimed_by != client) return complete(client, -1, EBUSY), TRUE;
        claimed_by = client;
        complete(client, 0, 0);
        break;
      }
      case USBDEVFS_RELEASEINTERFACE:
        read_uint(arg);
        if (claimed_by == client) claimed_by = nullptr;
        complete(client, stale(c) ? -1 : 0, stale(c) ? ENODEV : 0);
        break;
      case USBDEVFS_CLEAR_HALT:
        if (stale(c)) return complete(client, -1, ENODEV), TRUE;
        if (read_uint(arg) == wire::kEpStream && stalled) stalled = false, counters.clear_halts++;
        complete(client, 0, 0);
        break;
      case USBDEVFS_GETDRIVER:
        complete(client, -1, ENODATA);  // no kernel driver binds a vendor interface
        break;
      case USBDEVFS_SETINTERFACE:
      case USBDEVFS_SETCONFIGURATION:
      case USBDEVFS_RESET:
      case USBDEVFS_RESETEP:
        complete(client, stale(c) ? -1 : 0, stale(c) ? ENODEV : 0);
        break;
      default:
        counters.unknown_ioctls++;
        complete(client, -1, ENOTTY);
    }
    return TRUE;
  }

  static gboolean on_ioctl_cb(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    return static_cast<Impl*>(self)->on_ioctl(client);
  }

  // ---- the cable ------------------------------------------------------------

  void plug() {
    unsigned devnum;
    {
      std::lock_guard lock(tb->mutex);
      devnum = tb->next_devnum++;
    }
    char num3[8];
    std::snprintf(num3, sizeof num3, "%03u", devnum);
    std::string node = std::string("/dev/bus/usb/001/") + num3;
    GError* err = nullptr;
    if (!umockdev_testbed_attach_ioctl(tb->testbed, node.c_str(), handler, &err)) {
      std::string why = err ? err->message : "?";
      g_clear_error(&err);
      throw std::runtime_error("umockdev: cannot attach ioctl handler to " + node + ": " + why);
    }
    {
      std::lock_guard lock(m);
      devnode = node;
      plugged = true;
    }
    std::string record = tb->fixture;
    record = replace_all(record, "@PORT@", std::to_string(port));
    record = replace_all(record, "@DEVNUM3@", num3);
    record = replace_all(record, "@DEVNUM@", std::to_string(devnum));
    record = replace_all(record, "@SERIAL@", spec.serial);
    if (!umockdev_testbed_add_from_string(tb->testbed, record.c_str(), &err)) {  // sends the "add" uevent
      std::string why = err ? err->message : "?";
      g_clear_error(&err);
      throw std::runtime_error("umockdev: cannot add the plate: " + why);
    }
  }

  void unplug() {
    {
      std::lock_guard lock(m);
      if (!plugged) return;
      plugged = false;
      streaming = false;
      claimed_by = nullptr;
      fifo.clear();
      for (auto& [client, c] : clients) {
        for (auto* d : c.bulk) {
          urb_of(d)->status = -ENODEV;
          urb_of(d)->actual_length = 0;
          c.done.push_back(d);
        }
        c.bulk.clear();
      }
      service(Clock::now());
    }
    umockdev_testbed_uevent(tb->testbed, syspath.c_str(), "remove");
    umockdev_testbed_remove_device(tb->testbed, syspath.c_str());
  }
};

EmulatedPlate::EmulatedPlate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmulatedPlate::~EmulatedPlate() {
  if (impl_->plugged) impl_->unplug();
}

const PlateSpec& EmulatedPlate::spec() const { return impl_->spec; }

std::string EmulatedPlate::devnode() const {
  std::lock_guard lock(impl_->m);
  return impl_->plugged ? impl_->devnode : std::string();
}

bool EmulatedPlate::plugged() const {
  std::lock_guard lock(impl_->m);
  return impl_->plugged;
}

void EmulatedPlate::unplug() { impl_->unplug(); }

void EmulatedPlate::replug() {
  if (!plugged()) impl_->plug();
}

void EmulatedPlate::garble_next_frames(unsigned count) {
  std::lock_guard lock(impl_->m);
  impl_->garble += count;
}

void EmulatedPlate::truncate_next_transfer() {
  std::lock_guard lock(impl_->m);
  impl_->truncate = true;
}

void EmulatedPlate::swap_next_frames() {
  std::lock_guard lock(impl_->m);
  impl_->swap = true;
}

void EmulatedPlate::stall() {
  std::lock_guard lock(impl_->m);
  impl_->stalled = true;
  if (Client* c = impl_->streaming_client()) {  // transfers in flight fail with EPIPE
    for (auto* d : c->bulk) {
      urb_of(d)->status = -EPIPE;
      urb_of(d)->actual_length = 0;
      c->done.push_back(d);
    }
    c->bulk.clear();
  }
  impl_->service(Clock::now());
}

void EmulatedPlate::mute(bool on) {
  std::lock_guard lock(impl_->m);
  impl_->muted = on;
}

void EmulatedPlate::hold(std::chrono::milliseconds ms) {
  std::lock_guard lock(impl_->m);
  impl_->hold_until = Clock::now() + ms;
}

void EmulatedPlate::set_status(uint8_t status_bits, uint8_t cell_faults) {
  std::lock_guard lock(impl_->m);
  impl_->status_bits = status_bits;
  impl_->cell_faults = cell_faults;
}

void EmulatedPlate::deny_access(bool on) {
  const std::string node = devnode();
  const char* root = std::getenv("UMOCKDEV_DIR");
  if (node.empty() || !root) throw std::runtime_error("deny_access: the plate is not plugged in");
  if (::chmod((std::string(root) + node).c_str(), on ? 0444 : 0666) != 0)
    throw std::runtime_error("deny_access: chmod failed: " + std::string(std::strerror(errno)));
}

PlateCounters EmulatedPlate::counters() const {
  std::lock_guard lock(impl_->m);
  PlateCounters c = impl_->counters;
  c.rate_hz = impl_->rate_hz;
  c.streaming = impl_->streaming;
  c.interface_claimed = impl_->claimed_by != nullptr;
  return c;
}

int32_t EmulatedPlate::raw_value(uint32_t seq, unsigned cell) {
  switch (cell) {
    case 0:
      return 100000 + static_cast<int32_t>(seq % 1000);
    case 1:
      return 200000 - static_cast<int32_t>(seq % 1000);
    case 2:
      return -50000 + 7 * static_cast<int32_t>(seq % 100);
    default:
      return static_cast<int32_t>(seq * 2654435761u);  // the whole int32 range, signs included
  }
}

UsbTestbed::UsbTestbed() : shared_(std::make_shared<Shared>()) {
  if (!preload_active())
    throw std::runtime_error("the USB emulator needs LD_PRELOAD=libumockdev-preload.so.0 (or umockdev-wrapper)");
  shared_->fixture = load_fixture();
  shared_->testbed = umockdev_testbed_new();  // sets UMOCKDEV_DIR for this process and its children
}

UsbTestbed::~UsbTestbed() {
  plates_.clear();
  g_object_unref(shared_->testbed);
}

EmulatedPlate& UsbTestbed::add_plate(PlateSpec spec) {
  auto impl = std::make_unique<EmulatedPlate::Impl>();
  impl->tb = shared_;
  impl->spec = std::move(spec);
  impl->rate_hz = impl->spec.default_rate_hz;
  {
    std::lock_guard lock(shared_->mutex);
    impl->port = shared_->next_port++;
  }
  impl->syspath = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-" + std::to_string(impl->port);
  impl->handler = umockdev_ioctl_base_new();
  g_signal_connect(impl->handler, "handle-ioctl", G_CALLBACK(EmulatedPlate::Impl::on_ioctl_cb), impl.get());
  impl->clock = std::thread([p = impl.get()] { p->clock_main(); });
  pthread_setname_np(impl->clock.native_handle(), "usbemu-clock");  // not the plugin's (bench/usbplate_cpu)
  impl->plug();
  plates_.push_back(std::unique_ptr<EmulatedPlate>(new EmulatedPlate(std::move(impl))));
  return *plates_.back();
}

bool UsbTestbed::preload_active() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload && std::strstr(preload, "libumockdev-preload") != nullptr;
}

}  // namespace kiosk::usbemu
