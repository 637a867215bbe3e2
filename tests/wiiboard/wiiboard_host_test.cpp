// The Wii board through its plate host (kiosk-plate-host), as the kiosk's
// staff page and `kioskctl device list` see it: the battery extension
// ("kiosk.plate.battery/1") answered across the process boundary, following
// the board as it sleeps and wakes, and a stream that ends like an unplug.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "kiosk_plate_battery.h"
#include "plates/device_manager.h"
#include "plates/plugin_host.h"
#include "plates/plugin_proxy.h"
#include "wiiboard/emulator/emulated_board.h"

using namespace kiosk;
using namespace std::chrono_literals;
using kiosk::wiiemu::WiiTestbed;

namespace {
const std::string kId = "wiiboard:00:1e:35:3b:7e:01";

template <typename Pred>
bool wait_for(Pred pred, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

kp_battery_status status_of(const kp_battery_v1& ext, const std::string& id, int* rc = nullptr) {
  kp_battery_status s{};
  s.struct_size = sizeof s;
  const int r = ext.get_status(id.c_str(), &s);
  if (rc) *rc = r;
  return s;
}
}  // namespace

TEST_CASE("wiiboard host: battery and link cross from the plate host and follow the board") {
  WiiTestbed bed;
  auto& board = bed.add_board();
  plates::PluginHost host;
  REQUIRE(host.load(std::filesystem::path(KIOSK_PLUGIN_DIR "/wiiboard.so")).empty());
  const plates::LoadedPlugin& plugin = host.loaded().front();
  const pid_t host_pid = plugin.proxy->host_pid();
  REQUIRE(host_pid > 0);
  CHECK(host_pid != getpid());  // the plugin runs in its own process
  plates::DeviceManager devices(host, 10ms);
  REQUIRE(wait_for([&] {
    devices.poll();
    return devices.find(kId) && devices.find(kId)->present;
  }));

  const auto* ext = static_cast<const kp_battery_v1*>(plugin.plugin->get_extension(KP_EXT_BATTERY_V1));
  REQUIRE(ext);
  auto s = status_of(*ext, kId);
  CHECK(s.percent == 80);
  CHECK(s.link == KP_LINK_CONNECTED);
  int rc = 0;
  status_of(*ext, "wiiboard:00:00:00:00:00:00", &rc);
  CHECK(rc == KP_ERR_NO_DEVICE);  // the plugin's own answer, carried back

  // A stream runs: the link says so (asked again after the proxy's 1 s).
  auto stream = devices.open(kId);
  stream->start(100);
  CHECK(wait_for([&] { return status_of(*ext, kId).link == KP_LINK_STREAMING; }));

  // The board sleeps (its batteries run low meanwhile): the stream ends like
  // an unplug, staff see it away, the last charge kept.
  board.set_battery(15);
  board.disconnect();
  CHECK(wait_for([&] {
    devices.poll();
    return !devices.find(kId)->present;
  }));
  CHECK(wait_for([&] { return status_of(*ext, kId).link == KP_LINK_AWAY; }));
  CHECK(status_of(*ext, kId).percent == 80);
  stream.reset();

  // Woken: the charge is read again when it comes back.
  board.reconnect();
  CHECK(wait_for([&] {
    const auto now = status_of(*ext, kId);
    return now.link == KP_LINK_CONNECTED && now.percent == 15;
  }));
  CHECK(plugin.proxy->host_pid() == host_pid);  // all of it without a restart of the host
}
