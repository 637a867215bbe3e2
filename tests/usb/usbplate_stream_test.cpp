// The usbplate plugin against the emulated plate: enumerate, info, streaming,
// rate change, and the faults a cable and a patient cause. Real libusb runs
// underneath (umockdev emulates usbdevfs); the plugin is reached only
// through its ABI.
#include <catch2/catch.hpp>

#include <algorithm>
#include <thread>

#include "plugin_under_test.h"
#include "usbplate/emulator/emulated_plate.h"

using kiosk::test::plate_id;
using kiosk::test::PluginUnderTest;
using kiosk::usbemu::EmulatedPlate;
using kiosk::usbemu::PlateSpec;
using kiosk::usbemu::UsbTestbed;
using namespace std::chrono_literals;

namespace {

// Samples arrive in order with no gap, each with the values the emulated cells sent.
void check_contiguous(const std::vector<kp_sample>& got, uint32_t first_seq, uint32_t rate_hz) {
  for (size_t i = 0; i < got.size(); ++i) {
    const kp_sample& s = got[i];
    INFO("sample " << i);
    REQUIRE(s.seq == first_seq + i);
    REQUIRE(s.t_ns == uint64_t{s.seq} * 1'000'000'000ull / rate_hz);
    for (unsigned c = 0; c < 4; ++c) REQUIRE(s.raw[c] == EmulatedPlate::raw_value(s.seq, c));
    REQUIRE(s.raw[4] == 0);
  }
}

// One emulated plate, the plugin, and a 1 kHz stream already delivering.
struct Streaming {
  explicit Streaming(PlateSpec spec = {}) : plate(bed.add_plate(std::move(spec))) {
    p.open_and_start(plate_id(plate.spec().serial), 1000);
    REQUIRE(p.wait_for([&] { return p.sample_count() >= 100; }));
  }
  UsbTestbed bed;
  EmulatedPlate& plate;
  PluginUnderTest p;
};

size_t count_containing(const std::vector<std::string>& lines, const std::string& text) {
  return static_cast<size_t>(
      std::count_if(lines.begin(), lines.end(), [&](const auto& l) { return l.find(text) != std::string::npos; }));
}

}  // namespace

TEST_CASE("usb enumerate: the emulated plate is listed with its serial info cells and rates") {
  UsbTestbed bed;
  PlateSpec second;
  second.serial = "EMU-0002";
  second.firmware = "2.1.0";
  bed.add_plate();
  bed.add_plate(second);
  PluginUnderTest p;
  int rc = 0;
  auto infos = p.enumerate(&rc);
  INFO(p.dev().last_error());
  REQUIRE(rc == 2);
  std::sort(infos.begin(), infos.end(), [](const auto& a, const auto& b) { return std::string(a.id) < b.id; });
  const kp_device_info& i = infos[0];
  CHECK(std::string(i.id) == "usbplate:EMU-0001");
  CHECK(std::string(i.serial) == "EMU-0001");
  CHECK(std::string(i.vendor) == PlateSpec{}.manufacturer);
  CHECK(std::string(i.model) == PlateSpec{}.product);
  CHECK(std::string(i.firmware) == "1.0.0");
  REQUIRE(i.cell_count == 4);
  for (unsigned c = 0; c < 4; ++c) {
    CHECK(i.cell_x_mm[c] == Approx(PlateSpec{}.cell_x_mm[c]));
    CHECK(i.cell_y_mm[c] == Approx(PlateSpec{}.cell_y_mm[c]));
  }
  REQUIRE(i.rate_count == 3);
  CHECK(i.rates_hz[0] == 100);
  CHECK(i.rates_hz[1] == 1000);
  CHECK(i.rates_hz[2] == 10000);
  CHECK(i.newtons_per_count == Approx(0.01));
  CHECK(std::string(infos[1].id) == "usbplate:EMU-0002");
  CHECK(std::string(infos[1].firmware) == "2.1.0");
  // Both were announced as they were found.
  CHECK(p.wait_for([&] { return p.changes().size() >= 2; }));
}

TEST_CASE("usb stream: 10 s at 1 kHz gives exactly 10000 samples with none lost") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  PluginUnderTest p;
  p.open_and_start(plate_id("EMU-0001"), 1000);
  // Device time is the clock: wait until the plate has sampled past 10 s.
  REQUIRE(p.wait_for([&] { return p.sample_count() > 10'000; }, 20s));
  p.stop();
  auto got = p.samples();
  got.erase(std::remove_if(got.begin(), got.end(), [](const kp_sample& s) { return s.t_ns >= 10'000'000'000ull; }),
            got.end());
  CHECK(got.size() == 10'000);
  check_contiguous(got, 0, 1000);
  const auto st = p.stats();
  CHECK(st.frames_lost == 0);
  CHECK(st.frames_garbled + st.frames_short + st.frames_misordered == 0);
  CHECK(plate.counters().frames_dropped == 0);
  CHECK_FALSE(p.ended());
  CHECK_FALSE(plate.counters().streaming);  // stop() told the plate
}

TEST_CASE("usb stream: samples carry the device's status bits from the frame they came in") {
  Streaming s;
  auto& plate = s.plate;
  auto& p = s.p;
  plate.set_status(KP_STATUS_OVERLOAD | KP_STATUS_CELL_FAULT, 0x4);
  const size_t marked_from = plate.counters().frames_sampled;
  REQUIRE(p.wait_for([&] { return p.sample_count() >= marked_from + 100; }));
  p.stop();
  const auto got = p.samples();
  check_contiguous(got, 0, 1000);
  CHECK(got.front().status == 0);
  CHECK(got.back().status == (KP_STATUS_OVERLOAD | KP_STATUS_CELL_FAULT));
}

TEST_CASE("usb rate change: stop then start at another rate restarts seq and time at the new rate") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  PluginUnderTest p;
  p.open_and_start(plate_id("EMU-0001"), 1000);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 200; }));
  p.stop();
  check_contiguous(p.samples(), 0, 1000);
  CHECK(plate.counters().rate_hz == 1000);

  REQUIRE(p.start(100) == KP_OK);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 20; }));
  p.stop();
  check_contiguous(p.samples(), 0, 100);  // 10 ms apart, from seq 0
  CHECK(plate.counters().rate_hz == 100);

  CHECK(p.start(123) == KP_ERR_ARG);  // not one of the plate's rates: refused before the wire
  CHECK_THAT(p.dev().last_error(), Catch::Contains("123 Hz"));
  CHECK(plate.counters().set_rates == 2);
}

TEST_CASE("usb garbage: garbled frames are dropped and counted and one line is logged per burst") {
  Streaming s;
  auto& plate = s.plate;
  auto& p = s.p;
  plate.garble_next_frames(5);
  REQUIRE(p.wait_for([&] { return p.stats().frames_garbled == 5 && p.sample_count() >= 400; }));
  plate.garble_next_frames(3);
  REQUIRE(p.wait_for([&] { return p.stats().frames_garbled == 8 && p.sample_count() >= 700; }));
  p.stop();
  const auto st = p.stats();
  CHECK(st.frames_garbled == 8);
  CHECK(st.frames_lost == 8);  // their sequence numbers never reached the host
  CHECK(st.bad_bursts_logged == 2);
  const auto logs = p.logs();
  CHECK(count_containing(logs, "dropped 5 bad frames (garbled=5") == 1);
  CHECK(count_containing(logs, "dropped 3 bad frames (garbled=3") == 1);
  const auto got = p.samples();
  CHECK(got.size() == st.frames_ok);
  for (size_t i = 1; i < got.size(); ++i) REQUIRE(got[i].seq > got[i - 1].seq);  // in order, gaps allowed
  CHECK_FALSE(p.ended());
}

TEST_CASE("usb garbage: a transfer cut short and frames out of order are dropped and counted") {
  Streaming s;
  auto& plate = s.plate;
  auto& p = s.p;
  plate.truncate_next_transfer();
  REQUIRE(p.wait_for([&] { return p.stats().frames_short == 1; }));
  plate.swap_next_frames();
  REQUIRE(p.wait_for([&] { return p.stats().frames_misordered == 1 && p.sample_count() >= 400; }));
  p.stop();
  const auto st = p.stats();
  CHECK(st.frames_short == 1);
  CHECK(st.frames_misordered == 1);
  CHECK(st.frames_lost == 2);  // the cut frame, and the one that came too late
  CHECK(st.frames_garbled == 0);
  const auto got = p.samples();
  for (size_t i = 1; i < got.size(); ++i) REQUIRE(got[i].seq > got[i - 1].seq);
  for (const auto& smp : got)
    for (unsigned c = 0; c < 4; ++c) REQUIRE(smp.raw[c] == EmulatedPlate::raw_value(smp.seq, c));
}

TEST_CASE("usb stall: the plugin clears the halt and the stream resumes with nothing lost") {
  Streaming s;
  auto& plate = s.plate;
  auto& p = s.p;
  plate.stall();
  REQUIRE(p.wait_for([&] { return plate.counters().clear_halts == 1; }));
  const size_t after = p.sample_count();
  REQUIRE(p.wait_for([&] { return p.sample_count() >= after + 200; }));
  p.stop();
  CHECK(p.stats().stalls == 1);
  CHECK(p.stats().frames_lost == 0);  // the device queued while halted
  check_contiguous(p.samples(), 0, 1000);
  CHECK_FALSE(p.ended());
}

TEST_CASE("usb slow host: frames the device queue could not hold show up as lost samples") {
  PlateSpec spec;
  spec.fifo_frames = 32;  // a small device queue overflows quickly
  Streaming s(spec);
  auto& plate = s.plate;
  auto& p = s.p;
  plate.hold(200ms);  // no IN tokens for 200 ms
  REQUIRE(p.wait_for([&] { return plate.counters().frames_dropped > 0 && p.stats().frames_lost > 0; }));
  const size_t after = p.sample_count();
  REQUIRE(p.wait_for([&] { return p.sample_count() >= after + 100; }));
  p.stop();
  const auto dropped = plate.counters().frames_dropped;
  CHECK(dropped >= 100);  // ~200 frames due, 32 fit
  CHECK(p.stats().frames_lost == dropped);
  CHECK_FALSE(p.ended());
}

TEST_CASE("usb timeout: a plate that stops sending ends the stream with a timeout") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  PluginUnderTest p;
  p.open_and_start(plate_id("EMU-0001"), 1000);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 50; }));
  plate.mute(true);
  REQUIRE(p.wait_for([&] { return p.ended(); }, 10s));
  CHECK(p.end_reason() == KP_ERR_TIMEOUT);
  CHECK(p.stats().timeouts >= 1);
  p.stop();  // after a stream ended by itself: fine, and no callback follows
  // The plate answers again once it is back: a new start streams.
  plate.mute(false);
  REQUIRE(p.start(1000) == KP_OK);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 50; }));
}

TEST_CASE("usb busy: a plate already open is refused a second time") {
  UsbTestbed bed;
  bed.add_plate();
  PluginUnderTest p;
  p.open_and_start(plate_id("EMU-0001"), 100);
  void* again = nullptr;
  CHECK(p.dev().open("usbplate:EMU-0001", &again) == KP_ERR_BUSY);
  CHECK(p.dev().open("usbplate:NOPE", &again) == KP_ERR_NO_DEVICE);
  CHECK_THAT(p.dev().last_error(), Catch::Contains("NOPE"));
}
