// The simulated plate playing "a Wii board" (KIOSK_SIM_PLATE="board=wii"):
// what the kiosk runs in demos and journey tests without a board, with the
// board's geometry, unit, rate and Bluetooth timing, and the detectors
// counting from it as from a real one.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "kiosk_plate_sim.h"
#include "plugin_under_test.h"
#include "signal/cell_layout.h"
#include "signal/recording_detectors.h"
#include "sim/scenario_spec.h"

using kiosk::test::PluginUnderTest;

TEST_CASE("wiiboard sim: board=wii plays a Wii board whose heel raises the detector counts exactly") {
  ::setenv("KIOSK_SIM_PLATE", "board=wii noise_n=1 cell_gains_pct=2,-2,1,-1", 1);
  PluginUnderTest p("sim");
  ::unsetenv("KIOSK_SIM_PLATE");
  const auto infos = p.enumerate();
  REQUIRE(infos.size() == 1);
  const kp_device_info& i = infos[0];
  CHECK(std::string(i.model) == "Simulated Wii Balance Board");
  CHECK(i.rate_count == 1);
  CHECK(i.rates_hz[0] == 100);
  CHECK(i.newtons_per_count == Approx(0.0981));
  const float x[4] = {-216.5f, 216.5f, -216.5f, 216.5f}, y[4] = {119, 119, -119, -119};
  for (unsigned c = 0; c < 4; ++c) CHECK((i.cell_x_mm[c] == x[c] && i.cell_y_mm[c] == y[c]));

  const auto* sim = static_cast<const kp_sim_v1*>(p.extension(KP_EXT_SIM_V1));
  REQUIRE(sim->set_scenario("scenario=heel_raises reps=9 seed=4 clock=stepped") == KP_OK);  // the virtual clock
  void* h = nullptr;
  REQUIRE(p.dev().open(i.id, &h) == KP_OK);
  CHECK(p.dev().start(
            h, 1000, [](void*, const kp_sample*, size_t) {}, [](void*, int) {}, nullptr) == KP_ERR_ARG);
  p.dev().close(h);
  p.open_and_start(i.id, 100);
  const auto spec = kiosk::sim::parse_spec("scenario=heel_raises reps=9 seed=4");
  const auto total = kiosk::sim::ScenarioGenerator(spec.scenario).total_samples();
  REQUIRE(sim->struct_size >= KP_SIM_V1_ADVANCE_SIZE);
  REQUIRE(sim->advance(total * 10'000'000ull) == KP_OK);  // the whole scenario at 100 Hz, delivered when it returns
  REQUIRE(p.sample_count() == total);
  p.stop();

  kiosk::signal::CellLayout layout;  // the host's nominal view of the board
  layout.half_span_x_mm = 216.5, layout.half_span_y_mm = 119;
  layout.gain_n_per_unit = {0.0981, 0.0981, 0.0981, 0.0981};
  kiosk::signal::Recording rec;
  const auto samples = p.samples();
  double min_dt = 1, max_dt = 0;
  for (size_t k = 0; k < total; ++k) {
    const auto& s = samples[k];
    kiosk::signal::CellValues cells{};
    for (size_t c = 0; c < 4; ++c) {
      CHECK(s.raw[c] >= 0);
      cells[c] = s.raw[c];
    }
    rec.push_back(kiosk::signal::cells_to_load(layout, cells, static_cast<double>(s.t_ns) * 1e-9));
    if (k > 0) {
      const double dt = static_cast<double>(s.t_ns - samples[k - 1].t_ns) * 1e-9;
      min_dt = std::min(min_dt, dt), max_dt = std::max(max_dt, dt);
    }
  }
  CHECK(min_dt < 0.008);  // the radio's jitter, never out of order
  CHECK(min_dt > 0);
  CHECK(max_dt > 0.012);
  CHECK(kiosk::signal::count_heel_raises(rec).reps == 9);
}
