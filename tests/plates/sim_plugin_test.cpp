// The simulated plate, loaded as a real plugin through the ABI, streamed
// through the host and measured by the signal detectors. It plays on its
// virtual clock (clock=stepped): exactly the plate time a test advances.
// Its pacing on the wall clock is measured in bench/ (plate_pipeline).
#include <catch2/catch.hpp>

#include <string>

#include "kiosk_plate_sim.h"
#include "plates/device_stream.h"
#include "plates/plugin_host.h"
#include "plates/sim_clock.h"
#include "signal/cell_layout.h"
#include "signal/heel_raise.h"
#include "sim/scenario_spec.h"
#include "support/process.h"

using kiosk::plates::DeviceStream;
using kiosk::plates::PluginHost;

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
  // Plays `spec` on the virtual clock.
  void play(const std::string& spec) {
    REQUIRE(ext->set_scenario((spec + " " + kiosk::plates::kSteppedClock).c_str()) == KP_OK);
  }
};

// Streams `seconds` of plate time, 0.1 s a frame (or until the stream ended); returns every sample.
std::vector<kp_sample> stream_for(const Sim& sim, DeviceStream& s, uint32_t hz, double seconds) {
  std::vector<kp_sample> got;
  s.start(hz);
  for (double played = 0; played < seconds - 1e-9 && !s.stats().ended; played += 0.1) {
    REQUIRE(kiosk::plates::advance_sim(sim.plugin(), std::min(0.1, seconds - played)) == KP_OK);
    s.drain(got);
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
  sim.play("");
  DeviceStream s(sim.plugin(), "sim:SIM-0001");
  CHECK(s.info().cell_count == 4);
  const auto got = stream_for(sim, s, 1000, 1.0);
  REQUIRE(got.size() == 1000);  // one second of plate time at 1 kHz
  for (size_t i = 0; i < got.size(); ++i) {
    REQUIRE(got[i].seq == i);
    REQUIRE(got[i].t_ns == i * 1'000'000);
  }
  CHECK(s.stats().lost == 0);
  CHECK(s.stats().ring_dropped == 0);
}

TEST_CASE("heel raises on the sim plate are counted exactly by the detector") {
  Sim sim;
  // The brief's cadence (30/min); 2 s lead-in + 3 rises of 2 s + 3 s.
  sim.play("scenario=heel_raises reps=3 seed=7");
  DeviceStream s(sim.plugin(), "sim:SIM-0001");
  const auto got = stream_for(sim, s, 1000, 8.8);
  CHECK(got.size() == 8800);
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
  sim.play("unplug_s=0.3");
  {
    DeviceStream s(sim.plugin(), "sim:SIM-0001");
    const auto got = stream_for(sim, s, 1000, 3.0);
    CHECK(s.stats().ended);
    CHECK(s.stats().end_reason == KP_ERR_NO_DEVICE);
    CHECK(got.size() == 300);  // the unplug falls inside the advance that reaches it
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

TEST_CASE("on the stepped clock the sim plays exactly the plate time it is advanced, across the plate host") {
  Sim sim;
  sim.play("scenario=quiet_stance");
  DeviceStream s(sim.plugin(), "sim:SIM-0001");
  s.start(1000);
  std::vector<kp_sample> got;
  CHECK(s.drain(got) == 0);  // started, but no plate time has passed
  REQUIRE(kiosk::plates::advance_sim(sim.plugin(), 0.0105) == KP_OK);
  REQUIRE(s.drain(got) == 11);  // t = 0 .. 10 ms: every sample before 10.5 ms, in the stream when advance returns
  REQUIRE(kiosk::plates::advance_sim(sim.plugin(), 0.0004) == KP_OK);
  CHECK(s.drain(got) == 0);                                         // 10.9 ms: the next sample is at 11 ms
  REQUIRE(kiosk::plates::advance_sim(sim.plugin(), 1.2) == KP_OK);  // longer than one step: played in steps
  REQUIRE(s.drain(got) == 1200);
  for (size_t i = 0; i < got.size(); ++i) REQUIRE(got[i].t_ns == i * 1'000'000);
  s.stop();
  CHECK(s.stats().lost == 0);
  CHECK(s.stats().ring_dropped == 0);
}

TEST_CASE("advancing a sim on the wall clock, or a plugin without one, is refused") {
  Sim sim;
  REQUIRE(sim.ext->set_scenario("scenario=quiet_stance") == KP_OK);
  CHECK(kiosk::plates::advance_sim(sim.plugin(), 0.1) == KP_ERR_STATE);
  CHECK_THAT(sim.plugin().devices->last_error(), Catch::Contains("clock=stepped"));
  CHECK(sim.ext->set_scenario("clock=sundial") == KP_ERR_ARG);
  CHECK_THAT(sim.plugin().devices->last_error(), Catch::Contains("clock=sundial: must be one of wall, stepped"));
  PluginHost fixtures;
  REQUIRE(fixtures.load(std::filesystem::path(FIXTURE_PLUGIN_DIR) / "fixture_ok.so").empty());
  CHECK(kiosk::plates::advance_sim(fixtures.loaded()[0], 0.1) == KP_ERR_NA);  // no kiosk.plate.sim/1 at all
}
