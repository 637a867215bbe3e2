// The usbplate plugin when the cable moves: unplug mid-stream, replug,
// many cycles (leaks show in the ASan/LSan build), the fallback poll, and a
// plate the kiosk user may not open.
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>

#include "plugin_under_test.h"
#include "usbplate/emulator/emulated_plate.h"

using kiosk::test::plate_id;
using kiosk::test::PluginUnderTest;
using kiosk::usbemu::EmulatedPlate;
using kiosk::usbemu::PlateSpec;
using kiosk::usbemu::UsbTestbed;
using namespace std::chrono_literals;

namespace {

size_t count_changes(const PluginUnderTest& p, bool added) {
  size_t n = 0;
  for (const auto& c : p.changes()) n += c.added == added && c.id == plate_id("EMU-0001");
  return n;
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

TEST_CASE("usb unplug: mid-stream the stream ends with no device and the host is told then replug keeps the id") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  PluginUnderTest p;
  const auto before = p.enumerate();
  REQUIRE(before.size() == 1);
  p.open_and_start(plate_id("EMU-0001"), 1000);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 100; }));

  plate.unplug();
  REQUIRE(p.wait_for([&] { return p.ended() && count_changes(p, false) == 1; }));
  CHECK(p.end_reason() == KP_ERR_NO_DEVICE);
  CHECK(p.enumerate().empty());
  CHECK(p.start(1000) == KP_ERR_NO_DEVICE);  // the old handle stays valid but says why
  p.stop();
  p.close();

  plate.replug();
  REQUIRE(p.wait_for([&] { return count_changes(p, true) == 2; }));  // once at start, once now
  const auto after = p.enumerate();
  REQUIRE(after.size() == 1);
  CHECK(std::string(after[0].id) == before[0].id);  // same serial, same identity (and calibration)
  CHECK(std::string(after[0].serial) == before[0].serial);
  CHECK(after[0].newtons_per_count == before[0].newtons_per_count);
  CHECK(plate.devnode() != "/dev/bus/usb/001/002");  // a new address, as real replugs get

  p.open_and_start(plate_id("EMU-0001"), 1000);
  REQUIRE(p.wait_for([&] { return p.sample_count() >= 100; }));
  CHECK(p.samples().front().seq == 0);
}

TEST_CASE("usb unplug: 100 unplug and replug cycles while streaming leave nothing behind") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  PluginUnderTest p;
  for (int cycle = 0; cycle < 100; ++cycle) {
    INFO("cycle " << cycle);
    p.open_and_start(plate_id("EMU-0001"), 1000);
    REQUIRE(p.wait_for([&] { return p.sample_count() > 0; }));
    plate.unplug();
    REQUIRE(p.wait_for([&] { return p.ended() && count_changes(p, false) == size_t(cycle + 1); }));
    CHECK(p.end_reason() == KP_ERR_NO_DEVICE);
    p.close();
    plate.replug();
    REQUIRE(p.wait_for([&] { return count_changes(p, true) == size_t(cycle + 2); }));
  }
  CHECK(p.enumerate().size() == 1);
}

TEST_CASE("usb hotplug: with hotplug off the fallback poll sees the plate go and come back") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  ::setenv("KIOSK_USBPLATE_HOTPLUG", "poll", 1);
  PluginUnderTest p;
  ::unsetenv("KIOSK_USBPLATE_HOTPLUG");
  REQUIRE(p.wait_for([&] { return count_changes(p, true) == 1; }));  // the first poll
  plate.unplug();
  REQUIRE(p.wait_for([&] { return count_changes(p, false) == 1; }));
  plate.replug();
  REQUIRE(p.wait_for([&] { return count_changes(p, true) == 2; }));
  CHECK(p.enumerate().size() == 1);
}

TEST_CASE("usb permission: a plate the kiosk user cannot open is reported with the udev rule to install") {
  UsbTestbed bed;
  EmulatedPlate& plate = bed.add_plate();
  plate.deny_access(true);
  drop_file_override();
  PluginUnderTest p;
  int rc = 0;
  CHECK(p.enumerate(&rc).empty());
  CHECK(rc == KP_ERR_ACCESS);
  CHECK_THAT(p.dev().last_error(), Catch::Contains("deploy/udev/70-kiosk-usbplate.rules"));
  CHECK_THAT(p.dev().last_error(), Catch::Contains("permission denied"));
  plate.deny_access(false);  // the rule is installed: the next look finds it
  CHECK(p.enumerate(&rc).size() == 1);
}
