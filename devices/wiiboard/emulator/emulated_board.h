// An emulated Wii Balance Board as Linux shows it once paired and bound by
// hid-wiimote: a HID device, its power_supply battery, and an evdev input
// device, in a libumockdev testbed (devices/wiiboard/wiiboard.umockdev), with
// the evdev ioctls answered from a umockdev ioctl tree (devices/wiiboard/
// wiiboard.ioctl) and events written into the node's pty with their own
// timestamps. So the plugin's real libudev and libevdev code runs with no
// board. Any program that opens the board must run with
// libumockdev-preload.so.0 in LD_PRELOAD (tests/wiiboard sets it).
//
// Reports are filtered like the kernel's input core filters them: an axis
// that moved by less than the fuzz is smoothed or dropped
// (input_defuzz_abs_event, fuzz 2 as hid-wiimote declares), and a report with
// nothing left to say is not sent at all.
//
// Threads: a player thread per board writes the events; every public method
// may be called from any other thread.
#pragma once
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::wiiemu {

inline constexpr const char* kBoardName = "Nintendo Wii Remote Balance Board";

struct BoardSpec {
  std::string address = "00:1e:35:3b:7e:01";             // Bluetooth address, lower case as HIDP writes it
  std::string name = kBoardName;                         // the input device's name
  std::array<bool, 4> has_axis{true, true, true, true};  // ABS_HAT0X, HAT0Y, HAT1X, HAT1Y
  int axis_max = 65535;                                  // as hid-wiimote declares
  int battery_percent = 80;
};

// One report of the board: the four sensors in the kernel's 10 g units
// (top right, bottom right, top left, bottom left) and the front button.
struct Report {
  double t_s = 0;  // from the start of play(); becomes input_event.time
  std::array<int32_t, 4> cells{};
  bool button = false;
};

// A raw evdev event, for malformed input: type, code, value at a time.
struct RawEvent {
  double t_s = 0;
  uint16_t type = 0, code = 0;
  int32_t value = 0;
};

class EmulatedBoard {
 public:
  ~EmulatedBoard();
  EmulatedBoard(const EmulatedBoard&) = delete;
  EmulatedBoard& operator=(const EmulatedBoard&) = delete;

  const BoardSpec& spec() const;
  std::string devnode() const;  // /dev/input/eventN while connected, "" when not
  std::string syspath() const;  // of the evdev node
  bool connected() const;

  // Sends reports paced by their t_s (from now). Returns at once (after an
  // earlier play() finished) with what a reader of the node will see: one
  // report per report the kernel passes on, each axis's value after the filter.
  // Events carry t_s + a fixed base time.
  std::vector<Report> play(const std::vector<Report>& reports);
  void play_raw(std::vector<RawEvent> events);
  bool wait_played(double timeout_s = 10) const;  // true once everything queued was written
  void set_speed(double speed);                   // play this many times faster than the events' times (tests)
  uint64_t reports_sent() const;                  // after the kernel's filtering
  uint64_t reports_overflowed() const;            // the node's buffer was full: not written

  // The Bluetooth link drops (the board went to sleep or out of range): the
  // input, battery and HID devices are removed with "remove" uevents.
  void disconnect();
  // The board is woken and reconnects: new device numbers, same address.
  void reconnect();
  void set_battery(int percent);  // the power_supply capacity from now on
  void deny_access(bool on);      // the node becomes unreadable (no udev rule)

  struct Impl;

 private:
  friend class WiiTestbed;
  explicit EmulatedBoard(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class WiiTestbed {
 public:
  WiiTestbed();  // throws std::runtime_error when the preload library is missing
  ~WiiTestbed();
  WiiTestbed(const WiiTestbed&) = delete;
  WiiTestbed& operator=(const WiiTestbed&) = delete;

  EmulatedBoard& add_board(BoardSpec spec = {});  // paired and connected
  static bool preload_active();

  struct Shared;

 private:
  std::shared_ptr<Shared> shared_;
  std::vector<std::unique_ptr<EmulatedBoard>> boards_;
};

// The evdev ioctl tree (umockdev format) of a board with this spec; the
// default spec gives devices/wiiboard/wiiboard.ioctl exactly.
std::string ioctl_tree(const BoardSpec& spec);

// Reports at a nominal rate with Gaussian timing jitter (sd jitter_s, never
// out of order), the sensors following `load(t)` (N per sensor, in the
// order of Report::cells), rounded to the kernel's 10 g units. Deterministic for a seed.
std::vector<Report> jittered_reports(double rate_hz, double seconds, double jitter_s, uint32_t seed,
                                     std::array<double, 4> (*load)(double t_s));

// evemu "E:" lines (as umockdev-run -e and evemu-play read them) for reports.
std::string to_evemu(const std::vector<Report>& reports, double base_s = 1700000000.0);
// Reads "E: sec.usec type code value" lines back into reports (one per SYN_REPORT).
std::vector<Report> read_evemu(const std::filesystem::path& file);

}  // namespace kiosk::wiiemu
