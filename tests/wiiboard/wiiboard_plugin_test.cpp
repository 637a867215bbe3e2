// The wiiboard plugin against the emulated board (devices/wiiboard/emulator):
// its real libudev and libevdev code, reached only through the plugin ABI.
// Enumerate, jittered 60 and 100 Hz streams, the link dropping and coming
// back (same id), a board going to sleep, permission denied, malformed or
// missing axes, two boards at once, and the battery extension.
#include <linux/capability.h>
#include <linux/input-event-codes.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "kiosk_plate_battery.h"
#include "plugin_under_test.h"
#include "wiiboard/emulator/emulated_board.h"

using kiosk::test::PluginUnderTest;
using kiosk::wiiemu::BoardSpec;
using kiosk::wiiemu::EmulatedBoard;
using kiosk::wiiemu::RawEvent;
using kiosk::wiiemu::Report;
using kiosk::wiiemu::WiiTestbed;
using namespace std::chrono_literals;

namespace {

const std::string kId = "wiiboard:00:1e:35:3b:7e:01";
// kp_sample.raw[c] (front-left, front-right, back-left, back-right) is the
// kernel's sensor kKernelAxisOf[c] (Report::cells: TR, BR, TL, BL).
constexpr size_t kKernelAxisOf[4] = {2, 0, 3, 1};

// A person of about 70 kg swaying slowly: N per sensor (TR, BR, TL, BL).
std::array<double, 4> standing(double t) {
  const double sway = 0.08 * std::sin(2 * M_PI * 0.7 * t) + 0.03 * std::sin(2 * M_PI * 2.3 * t);
  const double fwd = 0.06 * std::sin(2 * M_PI * 0.4 * t);
  const double q = 686.0 / 4;
  return {q * (1 + sway + fwd), q * (1 + sway - fwd), q * (1 - sway + fwd), q * (1 - sway - fwd)};
}

std::vector<Report> stream_of(double rate_hz, double seconds, double jitter_s, uint32_t seed = 1) {
  return kiosk::wiiemu::jittered_reports(rate_hz, seconds, jitter_s, seed, standing);
}

kp_battery_status battery(const PluginUnderTest& p, const std::string& id, int* rc = nullptr) {
  const auto* ext = static_cast<const kp_battery_v1*>(p.extension(KP_EXT_BATTERY_V1));
  REQUIRE(ext != nullptr);
  kp_battery_status s{};
  s.struct_size = sizeof s;
  const int r = ext->get_status(id.c_str(), &s);
  if (rc)
    *rc = r;
  else
    REQUIRE(r == KP_OK);
  return s;
}

size_t count_changes(const PluginUnderTest& p, const std::string& id, bool added) {
  size_t n = 0;
  for (const auto& c : p.changes()) n += c.added == added && c.id == id;
  return n;
}

// Every report the node gave, in order, with its own time and the kernel's values.
void check_samples(const std::vector<kp_sample>& got, const std::vector<Report>& seen) {
  REQUIRE(got.size() == seen.size());
  for (size_t i = 0; i < got.size(); ++i) {
    INFO("sample " << i);
    REQUIRE(got[i].seq == i);
    const double expect_ns = (seen[i].t_s - seen[0].t_s) * 1e9;
    REQUIRE(std::abs(static_cast<double>(got[i].t_ns) - expect_ns) <= 1000.0);  // µs stamps
    for (size_t c = 0; c < 4; ++c) REQUIRE(got[i].raw[c] == seen[i].cells[kKernelAxisOf[c]]);
    REQUIRE(got[i].status == 0u);
  }
}

// Root reads any file; to see the permission error root must give up
// CAP_DAC_OVERRIDE (and _READ_SEARCH) for this test process.
void drop_file_override() {
  if (geteuid() != 0) return;
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  REQUIRE(syscall(SYS_capget, &hdr, data) == 0);
  for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH}) data[cap / 32].effective &= ~(1u << (cap % 32));
  REQUIRE(syscall(SYS_capset, &hdr, data) == 0);
}

}  // namespace

TEST_CASE("wiiboard enumerate: a paired board is listed by its Bluetooth address with the sensor geometry") {
  WiiTestbed bed;
  bed.add_board();
  PluginUnderTest p("wiiboard");
  int rc = 0;
  const auto infos = p.enumerate(&rc);
  INFO(p.dev().last_error());
  REQUIRE(rc == 1);
  const kp_device_info& i = infos[0];
  CHECK(std::string(i.id) == kId);
  CHECK(std::string(i.serial) == "00:1e:35:3b:7e:01");
  CHECK(std::string(i.vendor) == "Nintendo");
  REQUIRE(i.cell_count == 4);
  // 433 × 238 mm, in the host's order front-left, front-right, back-left, back-right
  const float x[4] = {-216.5f, 216.5f, -216.5f, 216.5f}, y[4] = {119, 119, -119, -119};
  for (unsigned c = 0; c < 4; ++c) CHECK((i.cell_x_mm[c] == x[c] && i.cell_y_mm[c] == y[c]));
  REQUIRE(i.rate_count == 1);
  CHECK(i.rates_hz[0] == 100);
  CHECK(i.newtons_per_count == Approx(0.0981));
  CHECK(count_changes(p, kId, true) == 1);  // announced once when the plugin found it
  const auto b = battery(p, kId);
  CHECK(b.percent == 80);
  CHECK(b.link == KP_LINK_CONNECTED);
  CHECK(b.battery_age_ms < 60000);
}

TEST_CASE("wiiboard enumerate: the fixture is the ioctl tree the emulator serves") {
  std::ifstream in(KIOSK_SOURCE_DIR "/devices/wiiboard/wiiboard.ioctl");
  REQUIRE(in);
  std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(fixture == kiosk::wiiemu::ioctl_tree(BoardSpec{}));
}

TEST_CASE("wiiboard stream: a jittered 100 Hz stream arrives whole, in order, on the events' own clock") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  const auto seen = board.play(stream_of(100, 2.0, 0.002));
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  check_samples(p.samples(), seen);
  CHECK(board.reports_overflowed() == 0);
  CHECK(p.stats().frames_ok == seen.size());
  CHECK(p.stats().frames_lost == 0);
  CHECK(battery(p, kId).link == KP_LINK_STREAMING);
  p.stop();
  CHECK_FALSE(p.ended());  // stop() is not an end of stream
}

TEST_CASE("wiiboard stream: a jittered 60 Hz stream keeps its uneven spacing") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  const auto seen = board.play(stream_of(60, 2.0, 0.004, 7));
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  const auto got = p.samples();
  check_samples(got, seen);
  double min_dt = 1, max_dt = 0;
  for (size_t i = 1; i < got.size(); ++i) {
    const double dt = static_cast<double>(got[i].t_ns - got[i - 1].t_ns) * 1e-9;
    min_dt = std::min(min_dt, dt), max_dt = std::max(max_dt, dt);
  }
  CHECK(min_dt < 0.014);  // the radio's jitter is kept, not smoothed to a grid
  CHECK(max_dt > 0.019);
}

TEST_CASE("wiiboard stream: a start at another rate is refused and names the board's rate") {
  WiiTestbed bed;
  bed.add_board();
  PluginUnderTest p("wiiboard");
  void* h = nullptr;
  REQUIRE(p.dev().open(kId.c_str(), &h) == KP_OK);
  CHECK(p.dev().start(
            h, 1000, [](void*, const kp_sample*, size_t) {}, [](void*, int) {}, nullptr) == KP_ERR_ARG);
  CHECK_THAT(p.dev().last_error(), Catch::Contains("100 Hz"));
  p.dev().close(h);
}

TEST_CASE(
    "wiiboard link: the link dropping mid-test ends the stream with no device, and the board returns with the same "
    "id") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  board.play(stream_of(100, 0.5, 0.002));
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() > 10; }));
  const std::string old_node = board.devnode();

  board.disconnect();
  REQUIRE(p.wait_for([&] { return p.ended() && count_changes(p, kId, false) == 1; }));
  CHECK(p.end_reason() == KP_ERR_NO_DEVICE);
  CHECK(p.enumerate().empty());
  CHECK(battery(p, kId).link == KP_LINK_AWAY);  // staff see it as away (asleep or out of reach)
  CHECK(p.start(100) == KP_ERR_NO_DEVICE);      // the old handle stays valid but says why
  p.close();

  board.reconnect();
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == 2; }));
  CHECK(board.devnode() != old_node);  // new input and event numbers, as a real reconnect gets
  const auto after = p.enumerate();
  REQUIRE(after.size() == 1);
  CHECK(std::string(after[0].id) == kId);  // same address, same identity (and calibration)
  p.open_and_start(kId, 100);
  const auto seen = board.play(stream_of(100, 0.5, 0.002, 3));
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  CHECK(p.samples().front().seq == 0);
}

TEST_CASE("wiiboard link: twenty drops and reconnects while streaming leave nothing behind") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  for (int cycle = 0; cycle < 20; ++cycle) {
    INFO("cycle " << cycle);
    p.open_and_start(kId, 100);
    board.play(stream_of(100, 0.1, 0.001, static_cast<uint32_t>(cycle)));
    REQUIRE(board.wait_played());
    REQUIRE(p.wait_for([&] { return p.sample_count() > 0; }));
    board.disconnect();
    REQUIRE(p.wait_for([&] { return p.ended() && count_changes(p, kId, false) == size_t(cycle + 1); }));
    CHECK(p.end_reason() == KP_ERR_NO_DEVICE);
    p.close();
    board.reconnect();
    REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == size_t(cycle + 2); }));
  }
  CHECK(p.enumerate().size() == 1);
}

TEST_CASE("wiiboard sleep: a quiet board keeps its stream open until it goes to sleep") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  const auto seen = board.play(stream_of(100, 0.3, 0.002));
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  // Nobody on it and nothing moving: the kernel sends nothing. That is not an end.
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(p.ended());
  CHECK(battery(p, kId).last_report_age_ms >= 250);
  // Minutes later the board switches itself off: its link drops.
  board.disconnect();
  REQUIRE(p.wait_for([&] { return p.ended(); }));
  CHECK(p.end_reason() == KP_ERR_NO_DEVICE);
  const auto b = battery(p, kId);
  CHECK(b.link == KP_LINK_AWAY);
  CHECK(b.percent == 80);  // the last reading is kept for staff
  p.close();
}

TEST_CASE("wiiboard permission: a board the kiosk user may not read is reported with the udev rule to install") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  board.deny_access(true);
  drop_file_override();
  PluginUnderTest p("wiiboard");
  int rc = 0;
  CHECK(p.enumerate(&rc).empty());
  CHECK(rc == KP_ERR_ACCESS);
  CHECK_THAT(p.dev().last_error(), Catch::Contains("deploy/udev/70-kiosk-wiiboard.rules"));
  CHECK_THAT(p.dev().last_error(), Catch::Contains("permission denied"));
  void* h = nullptr;
  CHECK(p.dev().open(kId.c_str(), &h) == KP_ERR_ACCESS);
  board.deny_access(false);  // the rule is installed: the next look finds it
  CHECK(p.enumerate(&rc).size() == 1);
}

TEST_CASE("wiiboard malformed: a board without all four sensor axes is not offered, and the reason names the axis") {
  WiiTestbed bed;
  BoardSpec spec;
  spec.has_axis = {true, true, true, false};
  bed.add_board(spec);
  PluginUnderTest p("wiiboard");
  int rc = 0;
  CHECK(p.enumerate(&rc).empty());
  CHECK(rc == KP_ERR_PROTOCOL);
  CHECK_THAT(p.dev().last_error(), Catch::Contains("ABS_HAT1Y"));
  CHECK(count_changes(p, kId, true) == 0);
}

TEST_CASE("wiiboard malformed: an input device that only shares the name prefix is not a board") {
  WiiTestbed bed;
  BoardSpec remote;
  remote.address = "00:1e:35:00:00:99";
  remote.name = "Nintendo Wii Remote";
  bed.add_board(remote);
  PluginUnderTest p("wiiboard");
  int rc = 0;
  CHECK(p.enumerate(&rc).empty());
  CHECK(rc == 0);
}

TEST_CASE("wiiboard malformed: stray codes, out-of-range values and reports without every axis") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  board.play_raw({
      {0.00, EV_ABS, ABS_HAT0X, 1000},
      {0.00, EV_ABS, ABS_HAT0Y, 1100},
      {0.00, EV_ABS, ABS_HAT1X, 1200},
      {0.00, EV_ABS, ABS_HAT1Y, 1300},
      {0.00, EV_SYN, SYN_REPORT, 0},
      {0.01, EV_ABS, ABS_X, 5},
      {0.01, EV_REL, REL_X, 3},
      {0.01, EV_ABS, ABS_HAT0Y, 1150},  // only one axis moved
      {0.01, EV_SYN, SYN_REPORT, 0},
      {0.02, EV_ABS, ABS_HAT1X, 65535},
      {0.02, EV_SYN, SYN_REPORT, 0},  // a sensor at the end of its range
      {0.03, EV_MSC, MSC_SCAN, 7},
      {0.03, EV_SYN, SYN_REPORT, 0},  // nothing a board says
  });
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == 4; }));
  const auto s = p.samples();
  // front-left HAT1X, front-right HAT0X, back-left HAT1Y, back-right HAT0Y
  CHECK((s[1].raw[0] == 1200 && s[1].raw[1] == 1000 && s[1].raw[2] == 1300 && s[1].raw[3] == 1150));
  CHECK(s[1].status == 0u);
  CHECK(s[2].raw[0] == 65535);
  CHECK(s[2].status == KP_STATUS_SATURATED);
  CHECK(s[3].t_ns == 30'000'000u);
  CHECK_FALSE(p.ended());
}

TEST_CASE("wiiboard loss: the kernel's buffer overflowing is counted as lost samples by the gap") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  board.play_raw({
      {0.00, EV_ABS, ABS_HAT0X, 1000},
      {0.00, EV_SYN, SYN_REPORT, 0},
      {0.01, EV_ABS, ABS_HAT0X, 1010},
      {0.01, EV_SYN, SYN_REPORT, 0},
      {0.02, EV_SYN, SYN_DROPPED, 0},  // the evdev client's buffer overflowed
      {0.06, EV_ABS, ABS_HAT0X, 1050},
      {0.06, EV_SYN, SYN_REPORT, 0},  // 10 ms reports at 20..50 ms are gone
      {0.20, EV_ABS, ABS_HAT0X, 1200},
      {0.20, EV_SYN, SYN_REPORT, 0},
      {0.21, EV_ABS, ABS_HAT0X, 1210},
      {0.21, EV_SYN, SYN_REPORT, 0},
  });
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return !p.samples().empty() && p.samples().back().raw[1] == 1210; }));
  const auto s = p.samples();
  // libevdev drops what the kernel still held after the SYN_DROPPED; whether the
  // 60 ms report was read before that depends on the reader's timing. Either way
  // the sequence jumps by the reports the gap held at 100 Hz, as the ABI counts loss.
  const auto lost = p.stats().frames_lost;
  CHECK((s.size() == 5 ? lost == 4 : (s.size() == 4 && lost == 18)));
  CHECK(s.back().seq + 1 == s.size() + lost);
  CHECK((s[0].seq == 0 && s[1].seq == 1 && s[2].seq == 2 + lost));
  CHECK(s[1].raw[1] == 1010);  // ABS_HAT0X, top right
}

TEST_CASE("wiiboard button: presses on the board are counted for staff, not mixed into samples") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  auto reports = stream_of(100, 0.3, 0.0);
  for (size_t i = 10; i < 15; ++i) reports[i].button = true;
  for (size_t i = 20; i < 22; ++i) reports[i].button = true;
  const auto seen = board.play(reports);
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  check_samples(p.samples(), seen);
  const auto b = battery(p, kId);
  CHECK(b.button_presses == 2);
  CHECK(b.button_down == 0);
}

TEST_CASE("wiiboard battery: a new reading is taken between tests, not during one") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  PluginUnderTest p("wiiboard");
  REQUIRE(p.enumerate().size() == 1);
  CHECK(battery(p, kId).percent == 80);
  board.set_battery(15);
  CHECK(battery(p, kId).percent == 80);  // read at most once a minute: a read is a round trip to the board
  int rc = 0;
  battery(p, "wiiboard:00:00:00:00:00:00", &rc);
  CHECK(rc == KP_ERR_NO_DEVICE);
  board.disconnect();  // asleep; woken later with fresh batteries low
  board.reconnect();
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == 2; }));
  CHECK(battery(p, kId).percent == 15);  // read again when the board comes back
}

TEST_CASE("wiiboard two boards: both are listed and stream at once, each with its own samples") {
  WiiTestbed bed;
  EmulatedBoard& a = bed.add_board();
  BoardSpec second;
  second.address = "00:1e:35:3b:7e:02";
  EmulatedBoard& b = bed.add_board(second);
  PluginUnderTest pa("wiiboard");
  int rc = 0;
  REQUIRE(pa.enumerate(&rc).size() == 2);
  void* hb = nullptr;
  REQUIRE(pa.dev().open("wiiboard:00:1e:35:3b:7e:02", &hb) == KP_OK);
  struct Sink {
    std::mutex m;
    std::vector<kp_sample> got;
  } sink;
  auto on_samples = [](void* u, const kp_sample* s, size_t n) {
    auto* k = static_cast<Sink*>(u);
    std::lock_guard lock(k->m);
    k->got.insert(k->got.end(), s, s + n);
  };
  REQUIRE(pa.dev().start(
              hb, 100, on_samples, [](void*, int) {}, &sink) == KP_OK);
  pa.open_and_start(kId, 100);
  const auto seen_a = a.play(stream_of(100, 1.0, 0.002, 11));
  const auto seen_b = b.play(stream_of(60, 1.0, 0.004, 12));
  REQUIRE(a.wait_played());
  REQUIRE(b.wait_played());
  REQUIRE(pa.wait_for([&] {
    std::lock_guard lock(sink.m);
    return pa.sample_count() == seen_a.size() && sink.got.size() == seen_b.size();
  }));
  check_samples(pa.samples(), seen_a);
  {
    std::lock_guard lock(sink.m);
    check_samples(sink.got, seen_b);
  }
  CHECK(pa.dev().stop(hb) == KP_OK);
  pa.dev().close(hb);
}

TEST_CASE("wiiboard hotplug: with the udev monitor off the fallback poll sees a board go and come back") {
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  ::setenv("KIOSK_WIIBOARD_HOTPLUG", "poll", 1);
  PluginUnderTest p("wiiboard");
  ::unsetenv("KIOSK_WIIBOARD_HOTPLUG");
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == 1; }));
  board.disconnect();
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, false) == 1; }));
  board.reconnect();
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == 2; }));
  CHECK(p.enumerate().size() == 1);
}

TEST_CASE("wiiboard hotplug: a board paired while the kiosk runs is announced by the udev monitor") {
  WiiTestbed bed;
  PluginUnderTest p("wiiboard");
  CHECK(p.enumerate().empty());
  bed.add_board();
  REQUIRE(p.wait_for([&] { return count_changes(p, kId, true) == 1; }, 2s));  // well under the poll period × 2
  CHECK(p.enumerate().size() == 1);
}

TEST_CASE("wiiboard stream: the recorded 60 Hz fixture (evemu format) plays through whole") {
  const auto reports = kiosk::wiiemu::read_evemu(KIOSK_SOURCE_DIR "/devices/wiiboard/quiet_stance_60hz.evemu");
  REQUIRE(reports.size() == 180);  // 3 s at 60 Hz
  WiiTestbed bed;
  EmulatedBoard& board = bed.add_board();
  board.set_speed(4);
  PluginUnderTest p("wiiboard");
  p.open_and_start(kId, 100);
  const auto seen = board.play(reports);
  REQUIRE(board.wait_played());
  REQUIRE(p.wait_for([&] { return p.sample_count() == seen.size(); }));
  check_samples(p.samples(), seen);
  CHECK(p.samples().back().t_ns == Approx((reports.back().t_s - reports.front().t_s) * 1e9).margin(1000));
}
