// The emulated Wii Balance Board: a umockdev record, an ioctl tree for the
// evdev ioctls, and a player thread that writes input_events into the pty
// umockdev gives every emulated input node.
#include "emulated_board.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/input.h>
#include <pthread.h>
#include <sys/stat.h>
#include <umockdev.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace kiosk::wiiemu {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kBaseTime_s = 1700000000.0;  // input_event.time of t_s = 0 (the plugin uses differences)
constexpr int kFuzz = 2;                      // hid-wiimote: input_set_abs_params(..., 0, 65535, 2, 4)
constexpr uint16_t kAxes[4] = {ABS_HAT0X, ABS_HAT0Y, ABS_HAT1X, ABS_HAT1Y};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

std::string root_dir(UMockdevTestbed* testbed) {  // umockdev hands over a string to free
  gchar* dir = umockdev_testbed_get_root_dir(testbed);
  std::string out = dir ? dir : "";
  g_free(dir);
  return out;
}

std::string load_fixture() {
  std::ifstream in(KIOSK_WIIBOARD_FIXTURE);
  if (!in) throw std::runtime_error("cannot read " KIOSK_WIIBOARD_FIXTURE);
  std::string out, line;
  while (std::getline(in, line))
    if (line.empty() || line[0] != '#')
      out += line + "\n";  // umockdev records have no comments; blank lines part devices
  return out;
}

std::string hex(const void* data, size_t n) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  const auto* b = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < n; ++i) out += digits[b[i] >> 4], out += digits[b[i] & 15];
  return out;
}

template <size_t N>
std::string bits_hex(const std::array<uint8_t, N>& bits) {
  return hex(bits.data(), N);
}

template <size_t N>
void set_bit(std::array<uint8_t, N>& bits, unsigned bit) {
  bits[bit / 8] |= static_cast<uint8_t>(1u << (bit % 8));
}

// The kernel input core's filter for an absolute axis (drivers/input/input.c,
// input_defuzz_abs_event): small moves are dropped or averaged toward the old value.
int defuzz(int value, int old) {
  if (value > old - kFuzz / 2 && value < old + kFuzz / 2) return old;
  if (value > old - kFuzz && value < old + kFuzz) return (old * 3 + value) / 4;
  if (value > old - kFuzz * 2 && value < old + kFuzz * 2) return (old + value) / 2;
  return value;
}

struct Timed {
  double t_s;
  std::vector<input_event> events;  // one write: a report up to its SYN_REPORT
};

input_event make_event(double t_s, uint16_t type, uint16_t code, int32_t value) {
  input_event e{};
  const double at = kBaseTime_s + t_s;
  e.input_event_sec = static_cast<decltype(e.input_event_sec)>(std::floor(at));
  e.input_event_usec = static_cast<decltype(e.input_event_usec)>(std::llround((at - std::floor(at)) * 1e6) % 1000000);
  e.type = type;
  e.code = code;
  e.value = value;
  return e;
}

}  // namespace

std::string ioctl_tree(const BoardSpec& spec) {
  std::ostringstream out;
  std::array<uint8_t, 8> ev{}, abs{}, none{};
  std::array<uint8_t, 96> keys{}, key_state{};
  set_bit(ev, EV_SYN), set_bit(ev, EV_KEY), set_bit(ev, EV_ABS);
  set_bit(keys, BTN_A);
  for (int i = 0; i < 4; ++i)
    if (spec.has_axis[static_cast<size_t>(i)]) set_bit(abs, kAxes[i]);
  std::array<char, 255> name{};  // libevdev asks EVIOCGNAME(255)
  std::snprintf(name.data(), name.size(), "%s", spec.name.c_str());
  const input_id id{BUS_BLUETOOTH, 0x057e, 0x0306, 0x8600};
  const int version = EV_VERSION;
  out << "@DEV /dev/input/event0\n";  // replaced by the node it is loaded for
  out << "EVIOCGBIT(0) 8 " << bits_hex(ev) << "\n";
  out << "EVIOCGNAME(0) " << spec.name.size() + 1 << " " << hex(name.data(), name.size()) << "\n";
  out << "EVIOCGID 0 " << hex(&id, sizeof id) << "\n";
  out << "EVIOCGVERSION 0 " << hex(&version, sizeof version) << "\n";
  out << "EVIOCGPROP(0) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(1) 96 " << bits_hex(keys) << "\n";
  out << "EVIOCGBIT(2) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(3) 8 " << bits_hex(abs) << "\n";
  out << "EVIOCGBIT(4) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(5) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(17) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(18) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGBIT(21) 16 " << hex(std::array<uint8_t, 16>{}.data(), 16) << "\n";
  out << "EVIOCGKEY(0) 96 " << bits_hex(key_state) << "\n";
  out << "EVIOCGLED(0) 8 " << bits_hex(none) << "\n";
  out << "EVIOCGSW(0) 8 " << bits_hex(none) << "\n";
  for (int i = 0; i < 4; ++i) {
    if (!spec.has_axis[static_cast<size_t>(i)]) continue;
    const input_absinfo a{0, 0, spec.axis_max, kFuzz, 4, 0};
    out << "EVIOCGABS(" << kAxes[i] << ") 0 " << hex(&a, sizeof a) << "\n";
  }
  return out.str();
}

struct WiiTestbed::Shared {
  UMockdevTestbed* testbed = nullptr;
  std::string fixture;
  std::filesystem::path scratch;  // ioctl trees written here
  std::mutex mutex;               // guards the counters
  unsigned next_conn = 11, next_hid = 1, next_input = 20, next_event = 5;
};

struct EmulatedBoard::Impl {
  std::shared_ptr<WiiTestbed::Shared> tb;
  BoardSpec spec;

  mutable std::mutex m;
  mutable std::condition_variable cv;
  std::thread player;
  bool quit = false;
  // guarded by m:
  bool plugged = false;
  std::string devnode, event_syspath, hid_syspath, battery_syspath;
  std::vector<std::string> syspaths;  // children first, for removal
  int master = -1;
  std::deque<Timed> queue;
  Clock::time_point play_start;
  double speed = 1;
  bool playing = false;
  std::array<int, 4> last{};  // what the input core last passed on, per axis
  bool last_button = false;
  uint64_t sent = 0, overflowed = 0;
  mode_t node_mode = 0;

  ~Impl() {
    {
      std::lock_guard lock(m);
      quit = true;
    }
    cv.notify_all();
    if (player.joinable()) player.join();
  }

  void player_main() {
    std::unique_lock lock(m);
    while (!quit) {
      if (queue.empty()) {
        playing = false;
        cv.notify_all();
        cv.wait(lock, [&] { return quit || !queue.empty(); });
        continue;
      }
      const auto due = play_start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(queue.front().t_s / speed));
      if (Clock::now() < due) {
        cv.wait_until(lock, due);
        continue;
      }
      Timed t = std::move(queue.front());
      queue.pop_front();
      if (!plugged || master < 0) continue;  // the link is down: the report is lost in the air
      const int fd = master;
      lock.unlock();
      const bool whole = write_whole(fd, t.events);
      lock.lock();
      whole ? sent++ : overflowed++;
    }
  }

  // One report in one write (<= PIPE_BUF: all of it or none of it).
  static bool write_whole(int fd, const std::vector<input_event>& events) {
    const size_t bytes = events.size() * sizeof(input_event);
    if (bytes > PIPE_BUF) return false;
    return ::write(fd, events.data(), bytes) == static_cast<ssize_t>(bytes);
  }

  // The kernel's view of one report: only what survives the input core's filter.
  std::vector<input_event> filter(const Report& r) {
    std::vector<input_event> out;
    for (size_t i = 0; i < 4; ++i) {
      if (!spec.has_axis[i]) continue;
      const int v = defuzz(std::clamp(r.cells[i], 0, spec.axis_max), last[i]);
      if (v == last[i]) continue;
      last[i] = v;
      out.push_back(make_event(r.t_s, EV_ABS, kAxes[i], v));
    }
    if (r.button != last_button) {
      last_button = r.button;
      out.push_back(make_event(r.t_s, EV_KEY, BTN_A, r.button ? 1 : 0));
    }
    if (!out.empty()) out.push_back(make_event(r.t_s, EV_SYN, SYN_REPORT, 0));
    return out;
  }

  void enqueue(std::deque<Timed> items) {
    wait_idle(60);
    std::lock_guard lock(m);
    play_start = Clock::now();
    playing = !items.empty();
    queue = std::move(items);
    cv.notify_all();
  }

  bool wait_idle(double timeout_s) const {
    std::unique_lock lock(m);
    return cv.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return queue.empty() && !playing; });
  }

  void plug() {
    unsigned conn, hid, input, event;
    {
      std::lock_guard lock(tb->mutex);
      conn = tb->next_conn++, hid = tb->next_hid++, input = tb->next_input++, event = tb->next_event++;
    }
    char hidseq[8];
    std::snprintf(hidseq, sizeof hidseq, "%04X", hid);
    std::string record = tb->fixture;
    record = replace_all(record, "@CONN@", std::to_string(conn));
    record = replace_all(record, "@HIDSEQ@", hidseq);
    record = replace_all(record, "@ADDR@", spec.address);
    record = replace_all(record, "@BATTERY@", std::to_string(spec.battery_percent));
    record = replace_all(record, "@INPUT@", std::to_string(input));
    record = replace_all(record, "@EVENT@", std::to_string(event));
    record = replace_all(record, "@MINOR@", std::to_string(64 + event));
    record = replace_all(record, "@NAME@", spec.name);
    const std::string node = "/dev/input/event" + std::to_string(event);
    const std::string hid_path =
        "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-7/1-7:1.0/bluetooth/hci0/hci0:" + std::to_string(conn) +
        "/0005:057E:0306." + hidseq;
    const std::string input_path = hid_path + "/input/input" + std::to_string(input);

    const auto tree_file = tb->scratch / ("event" + std::to_string(event) + ".ioctl");
    std::ofstream(tree_file) << replace_all(ioctl_tree(spec), "/dev/input/event0", node);
    GError* err = nullptr;
    if (!umockdev_testbed_load_ioctl(tb->testbed, node.c_str(), tree_file.c_str(), &err)) {
      std::string why = err ? err->message : "?";
      g_clear_error(&err);
      throw std::runtime_error("umockdev: cannot load the evdev ioctls of " + node + ": " + why);
    }
    // One block at a time, parents first, as the kernel adds them (each sends its "add" uevent).
    for (size_t at = 0; at < record.size();) {
      size_t end = record.find("\n\n", at);
      end = end == std::string::npos ? record.size() : end + 2;
      const std::string block = record.substr(at, end - at);
      at = end;
      if (block.find("P: ") == std::string::npos) continue;
      if (!umockdev_testbed_add_from_string(tb->testbed, block.c_str(), &err)) {
        std::string why = err ? err->message : "?";
        g_clear_error(&err);
        throw std::runtime_error("umockdev: cannot add the board: " + why);
      }
    }
    // umockdev makes an input node a pty, whose reads may end inside an
    // event; evdev never splits one. A FIFO keeps each report's write whole
    // (<= PIPE_BUF), and a full one refuses the report, as evdev's buffer drops.
    const std::string file = root_dir(tb->testbed) + node;
    if (::unlink(file.c_str()) != 0 || ::mkfifo(file.c_str(), 0660) != 0)
      throw std::runtime_error("cannot make the node " + file + ": " + std::strerror(errno));
    const int fd = ::open(file.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);  // read-write: never waits for a reader
    if (fd < 0) throw std::runtime_error("cannot open " + file + ": " + std::strerror(errno));
    std::lock_guard lock(m);
    devnode = node;
    hid_syspath = hid_path;
    event_syspath = input_path + "/event" + std::to_string(event);
    battery_syspath = hid_path + "/power_supply/wiimote_battery_" + spec.address;
    syspaths = {event_syspath, input_path, battery_syspath, hid_path};
    master = fd;
    last = {};
    last_button = false;
    plugged = true;
  }

  void unplug() {
    std::vector<std::string> paths;
    {
      std::lock_guard lock(m);
      if (!plugged) return;
      plugged = false;
      if (master >= 0) ::close(master);  // a reader sees the hang-up, as evdev shows a removed device
      master = -1;
      paths = syspaths;
    }
    for (const auto& p : paths) {
      umockdev_testbed_uevent(tb->testbed, p.c_str(), "remove");
      umockdev_testbed_remove_device(tb->testbed, p.c_str());
    }
  }
};

EmulatedBoard::EmulatedBoard(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EmulatedBoard::~EmulatedBoard() { impl_->unplug(); }

const BoardSpec& EmulatedBoard::spec() const { return impl_->spec; }

std::string EmulatedBoard::devnode() const {
  std::lock_guard lock(impl_->m);
  return impl_->plugged ? impl_->devnode : std::string();
}

std::string EmulatedBoard::syspath() const {
  std::lock_guard lock(impl_->m);
  return impl_->event_syspath;
}

bool EmulatedBoard::connected() const {
  std::lock_guard lock(impl_->m);
  return impl_->plugged;
}

std::vector<Report> EmulatedBoard::play(const std::vector<Report>& reports) {
  impl_->wait_idle(60);
  std::deque<Timed> items;
  std::vector<Report> seen;
  {
    std::lock_guard lock(impl_->m);
    for (const auto& r : reports) {
      auto events = impl_->filter(r);
      if (events.empty()) continue;
      items.push_back({r.t_s, std::move(events)});
      Report v{r.t_s, {}, impl_->last_button};
      for (size_t c = 0; c < 4; ++c) v.cells[c] = impl_->last[c];
      seen.push_back(v);
    }
  }
  impl_->enqueue(std::move(items));
  return seen;
}

void EmulatedBoard::play_raw(std::vector<RawEvent> events) {
  std::deque<Timed> items;
  for (const auto& e : events) {
    if (items.empty() || items.back().t_s != e.t_s) items.push_back({e.t_s, {}});
    items.back().events.push_back(make_event(e.t_s, e.type, e.code, e.value));
  }
  impl_->enqueue(std::move(items));
}

bool EmulatedBoard::wait_played(double timeout_s) const { return impl_->wait_idle(timeout_s); }

uint64_t EmulatedBoard::reports_sent() const {
  std::lock_guard lock(impl_->m);
  return impl_->sent;
}

uint64_t EmulatedBoard::reports_overflowed() const {
  std::lock_guard lock(impl_->m);
  return impl_->overflowed;
}

void EmulatedBoard::set_speed(double speed) {
  std::lock_guard lock(impl_->m);
  impl_->speed = speed > 0 ? speed : 1;
}

void EmulatedBoard::disconnect() { impl_->unplug(); }

void EmulatedBoard::reconnect() {
  if (!connected()) impl_->plug();
}

void EmulatedBoard::set_battery(int percent) {
  impl_->spec.battery_percent = percent;
  std::string path;
  {
    std::lock_guard lock(impl_->m);
    path = impl_->battery_syspath;
  }
  umockdev_testbed_set_attribute(impl_->tb->testbed, path.c_str(), "capacity",
                                 (std::to_string(percent) + "\n").c_str());
}

void EmulatedBoard::deny_access(bool on) {
  const std::string node = devnode();
  const char* root = std::getenv("UMOCKDEV_DIR");
  if (node.empty() || !root) throw std::runtime_error("deny_access: the board is not connected");
  const std::string file = std::string(root) + node;
  std::lock_guard lock(impl_->m);
  if (on) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) throw std::runtime_error("deny_access: stat failed");
    impl_->node_mode = st.st_mode & 07777;
  }
  if (::chmod(file.c_str(), on ? 0 : (impl_->node_mode ? impl_->node_mode : 0620)) != 0)
    throw std::runtime_error("deny_access: chmod failed: " + std::string(std::strerror(errno)));
}

WiiTestbed::WiiTestbed() : shared_(std::make_shared<Shared>()) {
  if (!preload_active())
    throw std::runtime_error("the Wii board emulator needs LD_PRELOAD=libumockdev-preload.so.0 (or umockdev-wrapper)");
  shared_->fixture = load_fixture();
  shared_->testbed = umockdev_testbed_new();  // sets UMOCKDEV_DIR for this process and its children
  shared_->scratch = std::filesystem::path(root_dir(shared_->testbed)) / "wiiboard-ioctl";
  std::filesystem::create_directories(shared_->scratch);
}

WiiTestbed::~WiiTestbed() {
  boards_.clear();
  g_object_unref(shared_->testbed);
}

EmulatedBoard& WiiTestbed::add_board(BoardSpec spec) {
  auto impl = std::make_unique<EmulatedBoard::Impl>();
  impl->tb = shared_;
  impl->spec = std::move(spec);
  impl->plug();
  impl->player = std::thread([p = impl.get()] { p->player_main(); });
  pthread_setname_np(impl->player.native_handle(), "wiiemu-player");  // not the plugin's (bench)
  boards_.push_back(std::unique_ptr<EmulatedBoard>(new EmulatedBoard(std::move(impl))));
  return *boards_.back();
}

bool WiiTestbed::preload_active() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload && std::strstr(preload, "libumockdev-preload") != nullptr;
}

std::vector<Report> jittered_reports(double rate_hz, double seconds, double jitter_s, uint32_t seed,
                                     std::array<double, 4> (*load)(double t_s)) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> jitter(0.0, jitter_s);
  std::vector<Report> out;
  const double period = 1.0 / rate_hz;
  double last_t = -1;
  for (int k = 0; k * period < seconds; ++k) {
    double t = k * period + (jitter_s > 0 ? jitter(rng) : 0.0);
    t = std::max(t, last_t + period * 0.2);  // radio jitter delays a report; it never overtakes the last
    t = std::max(t, 0.0);
    last_t = t;
    Report r;
    r.t_s = t;
    const auto n = load(t);
    for (size_t c = 0; c < 4; ++c) r.cells[c] = static_cast<int32_t>(std::lround(n[c] / 0.0981));
    out.push_back(r);
  }
  return out;
}

std::string to_evemu(const std::vector<Report>& reports, double base_s) {
  std::ostringstream out;
  out << "# device /dev/input/event5\n# " << kBoardName << " (hid-wiimote), written by the kiosk's emulator\n";
  for (const auto& r : reports) {
    const double at = base_s + r.t_s;
    const long long sec = static_cast<long long>(std::floor(at));
    const long long usec = std::llround((at - static_cast<double>(sec)) * 1e6) % 1000000;
    char stamp[48];
    std::snprintf(stamp, sizeof stamp, "E: %lld.%06lld", sec, usec);
    for (size_t c = 0; c < 4; ++c)
      out << stamp << " 0003 " << std::hex << std::setw(4) << std::setfill('0') << kAxes[c] << std::dec << " "
          << r.cells[c] << "\n";
    out << stamp << " 0001 0130 " << (r.button ? 1 : 0) << "\n";
    out << stamp << " 0000 0000 0\n";
  }
  return out.str();
}

std::vector<Report> read_evemu(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<Report> out;
  Report cur;
  std::optional<double> t0;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("E: ", 0) != 0) continue;
    std::istringstream l(line.substr(3));
    double t = 0;
    unsigned type = 0, code = 0;
    long value = 0;
    l >> t >> std::hex >> type >> code >> std::dec >> value;
    if (!l) throw std::runtime_error(file.string() + ": bad event line: " + line);
    if (!t0) t0 = t;
    cur.t_s = t - *t0;
    if (type == EV_ABS)
      for (size_t c = 0; c < 4; ++c)
        if (code == kAxes[c]) cur.cells[c] = static_cast<int32_t>(value);
    if (type == EV_KEY && code == BTN_A) cur.button = value != 0;
    if (type == EV_SYN && code == SYN_REPORT) out.push_back(cur);
  }
  return out;
}

}  // namespace kiosk::wiiemu
