// An emulated reference USB plate for tests and benchmarks: a libumockdev
// testbed with the plate's real descriptors (devices/usbplate/usbplate.umockdev)
// and an in-process ioctl handler that plays the device at the usbdevfs
// level, so the plugin's real libusb code runs with no hardware
// (libusb's tests/umockdev.c shows the method).
//
// The device answers the control requests of PROTOCOL.md, streams frames
// paced by the monotonic clock at the commanded rate, and injects faults on
// command. Any program that opens the plate — this process or a child such
// as kioskctl — must run with libumockdev-preload.so.0 in LD_PRELOAD; the
// handler serves children too (they inherit UMOCKDEV_DIR).
//
// Threads: the handler runs on umockdev's worker thread; every public method
// may be called from any other thread (one mutex guards the model).
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::usbemu {

struct PlateSpec {
  std::string serial = "EMU-0001";
  std::string firmware = "1.0.0";
  std::string manufacturer = "Heel Kiosk project";
  std::string product = "Reference USB force plate";
  std::vector<uint16_t> rates_hz{100, 1000, 10000};
  uint16_t default_rate_hz = 1000;  // until SET_RATE
  uint8_t batch_ms = 10;            // the device ends a transfer at least this often
  uint16_t fifo_frames = 1024;      // device queue; overflow drops frames (a seq gap)
  float newtons_per_count = 0.01f;
  std::array<float, 4> cell_x_mm{-200.0f, 200.0f, -200.0f, 200.0f};  // 400 × 300 mm plate, + right
  std::array<float, 4> cell_y_mm{150.0f, 150.0f, -150.0f, -150.0f};  // + toward the toes
};

// What the device did, for tests to compare with what the host saw.
struct PlateCounters {
  uint64_t frames_sampled = 0;  // since the last START
  uint64_t frames_sent = 0;     // put into bulk transfers (since the last START)
  uint64_t frames_dropped = 0;  // queue overflow (since the last START)
  uint64_t starts = 0, stops = 0, set_rates = 0, clear_halts = 0, control_stalls = 0;
  uint64_t unknown_ioctls = 0;
  uint16_t rate_hz = 0;
  bool streaming = false;
  bool interface_claimed = false;
};

class EmulatedPlate {
 public:
  ~EmulatedPlate();
  EmulatedPlate(const EmulatedPlate&) = delete;
  EmulatedPlate& operator=(const EmulatedPlate&) = delete;

  const PlateSpec& spec() const;
  std::string devnode() const;  // /dev/bus/usb/001/NNN while plugged, "" when not
  bool plugged() const;

  // Cable: unplug fails every transfer in flight with ENODEV, then sends the
  // "remove" uevent; replug comes back at a new device address, same serial.
  void unplug();
  void replug();

  // Faults, each applied to the next transfer(s) the device sends.
  void garble_next_frames(unsigned count);  // flip a byte: the CRC no longer matches
  void truncate_next_transfer();            // the transfer ends 12 bytes into its last frame
  void swap_next_frames();                  // the first two frames of a transfer trade places
  void stall();                             // bulk IN halts until the host clears it
  void mute(bool on);                       // the device stops sending (a hung firmware)
  void hold(std::chrono::milliseconds ms);  // no IN tokens for a while: a slow host; the queue overflows
  void set_status(uint8_t status_bits, uint8_t cell_faults);  // carried by every frame from now on
  void deny_access(bool on);                                  // the device node becomes read-only (no udev rule)

  PlateCounters counters() const;
  // The raw value the emulated cells report for a sample (tests check the host got it).
  static int32_t raw_value(uint32_t seq, unsigned cell);

  struct Impl;

 private:
  friend class UsbTestbed;
  explicit EmulatedPlate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class UsbTestbed {
 public:
  UsbTestbed();  // throws std::runtime_error when the preload library is missing
  ~UsbTestbed();
  UsbTestbed(const UsbTestbed&) = delete;
  UsbTestbed& operator=(const UsbTestbed&) = delete;

  EmulatedPlate& add_plate(PlateSpec spec = {});  // plugged in on the next free port
  // True when this process runs with libumockdev-preload (needed to open plates here).
  static bool preload_active();

  struct Shared;  // the umockdev testbed and the address allocator, shared with the plates

 private:
  std::shared_ptr<Shared> shared_;
  std::vector<std::unique_ptr<EmulatedPlate>> plates_;
};

}  // namespace kiosk::usbemu
