// The simulated plate, loaded as a real plugin through the ABI, streamed
// through the host and measured by the signal detectors.
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "signal/cell_layout.h"
#include "signal/heel_raise.h"
#include "kiosk_plate_sim.h"
#include "plates/device_stream.h"
#include "plates/plugin_host.h"
#include "sim/scenario_spec.h"
#include "support/process.h"

using kiosk::plates::DeviceStream;
using kiosk::plates::PluginHost;
using namespace std::chrono_literals;

namespace {
const std::filesystem::path kSimSo = std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so";

struct Sim {
  PluginHost host;
  const kp_sim_v1* ext = nullptr;
  Sim() {
    REQUIRE(host.load(kSimSo).empty());
    ext = static_cast<const kp_sim_v1*>(host.loaded()[0].plugin->get_extension(KP_EXT_SIM_V1));
    REQUIRE(ext != nullptr);
  }
  const kiosk::plates::LoadedPlugin& plugin() const { return host.loaded()[0]; }
};

std::vector<kp_sample> stream_for(DeviceStream& s, uint32_t hz, std::chrono::milliseconds how_long) {
  std::vector<kp_sample> got;
  s.start(hz);
  const auto until = std::chrono::steady_clock::now() + how_long;
  while (std::chrono::steady_clock::now() < until && !s.stats().ended) {
    s.drain(got);
    std::this_thread::sleep_for(5ms);
  }
  s.stop();
  s.drain(got);
  return got;
}
}  // namespace

TEST_CASE("the sim plugin exports only its entry symbol") {
  const auto r = kiosk::test::run("nm -D --defined-only " + kSimSo.string() + " | awk '{print $3}'");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "kiosk_plate_entry\n");
}

TEST_CASE("the sim plate streams at the asked rate with nothing lost") {
  Sim sim;
  DeviceStream s(sim.plugin(), "sim:SIM-0001");
  CHECK(s.info().cell_count == 4);
  const auto got = stream_for(s, 1000, 1000ms);
  CHECK(got.size() >= 900);
  CHECK(got.size() <= 1100);
  for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].seq == i);
  CHECK(s.stats().lost == 0);
  CHECK(s.stats().ring_dropped == 0);
}

TEST_CASE("heel raises on the sim plate are counted exactly by the detector") {
  Sim sim;
  // The brief's cadence (30/min); 2 s lead-in + 3 rises of 2 s + 3 s; played 20× faster.
  REQUIRE(sim.ext->set_scenario("scenario=heel_raises reps=3 seed=7 speed=20") == KP_OK);
  DeviceStream s(sim.plugin(), "sim:SIM-0001");
  const auto got = stream_for(s, 1000, 8800ms / 20);
  kiosk::signal::CellLayout layout;  // the sim's nominal calibration
  layout.gain_n_per_unit.fill(kiosk::sim::kSimNewtonsPerCount);
  kiosk::signal::HeelRaiseCounter counter(1000);
  for (const auto& k : got) {
    const kiosk::signal::CellValues raw{double(k.raw[0]), double(k.raw[1]), double(k.raw[2]), double(k.raw[3])};
    counter.update(kiosk::signal::cells_to_load(layout, raw, double(k.t_ns) * 1e-9));
  }
  counter.finish();
  CHECK(counter.reps() == 3);
}

TEST_CASE("a simulated unplug ends the stream and the plate disappears") {
  Sim sim;
  REQUIRE(sim.ext->set_scenario("unplug_s=0.3") == KP_OK);
  {
    DeviceStream s(sim.plugin(), "sim:SIM-0001");
    const auto got = stream_for(s, 1000, 3000ms);
    CHECK(s.stats().ended);
    CHECK(s.stats().end_reason == KP_ERR_NO_DEVICE);
    CHECK(got.size() >= 300);
    CHECK(got.size() <= 302);
  }
  CHECK(sim.host.take_device_changes() == std::vector<std::string>{"sim:SIM-0001"});
  kp_device_info info{};
  info.struct_size = sizeof info;
  CHECK(sim.plugin().devices->enumerate(&info, 1) == 0);
  REQUIRE(sim.ext->set_scenario("") == KP_OK);  // "plugged back in"
  CHECK(sim.plugin().devices->enumerate(&info, 1) == 1);
}

TEST_CASE("a bad scenario spec is refused with the reason") {
  Sim sim;
  CHECK(sim.ext->set_scenario("scenario=dancing") == KP_ERR_ARG);
  CHECK_THAT(sim.plugin().devices->last_error(), Catch::Contains("scenario=dancing: must be one of"));
  CHECK(sim.ext->set_scenario("reps=-3") == KP_ERR_ARG);
  CHECK(sim.ext->set_scenario("colour") == KP_ERR_ARG);
  // An unknown key names every key the spec has (one table: plugins/sim/scenario_spec.cpp).
  CHECK(sim.ext->set_scenario("scenario=heel_raises colour=red") == KP_ERR_ARG);
  CHECK_THAT(sim.plugin().devices->last_error(),
             Catch::Contains("unknown key \"colour\" (keys: scenario, seed, weight_n,") && Catch::Contains("board)"));
  CHECK(sim.ext->set_scenario("board=wii") == KP_OK);
  CHECK(sim.ext->set_scenario("board=balance") == KP_ERR_ARG);
  CHECK_THAT(sim.plugin().devices->last_error(), Catch::Contains("board=balance: must be one of plate, wii"));
}
