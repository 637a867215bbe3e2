// The calibration maths (core/calibration/calibration_math.h) on sessions
// played by the simulated plate with known true gains, offsets and noise.
#include <catch2/catch.hpp>

#include <cmath>

#include "calib_fixture.h"
#include "core/calibration/positions_file.h"
#include "sim/scenario_spec.h"

using namespace kiosk;
using calibration::fit_gains;

namespace {

const calibration::Thresholds kDefaults{};

sim::ScenarioConfig bad_plate(const std::string& extra = {}) {
  // True gains 20 % high to 20 % low, offsets of hundreds of counts, 0.8 N of noise per cell.
  auto spec = sim::parse_spec(
      "scenario=placements mass_kg=20 marks=0:0,-90:120,90:120,-90:-120,90:-120 "
      "cell_gains_pct=20,-17,9,-20 cell_offsets_counts=350,-1200,40,800 noise_n=0.8 seed=7 " +
      extra);
  spec.scenario.rate_hz = 1000;
  return spec.scenario;
}

}  // namespace

TEST_CASE("calib: gains off by up to 20 percent are recovered within 0.2 percent and the COP within 2 mm") {
  const auto config = bad_plate();
  const auto played = test::play_session(config);
  const auto out =
      fit_gains(test::sim_nominal(), played.zero, test::marks_of(config), played.placements, 20, kDefaults);
  INFO(out.refused);
  REQUIRE(out.fit);
  for (std::size_t c = 0; c < 4; ++c) {
    INFO("cell " << c);
    CHECK(std::abs(out.fit->layout.gain_n_per_unit[c] / config.true_layout.gain_n_per_unit[c] - 1) < 0.002);
    // The zero: within 0.1 N of the true offset (noise of 0.8 N a sample, averaged over 2 s).
    CHECK(std::abs(out.fit->layout.offset_units[c] - config.true_layout.offset_units[c]) *
              config.true_layout.gain_n_per_unit[c] <
          0.1);
  }
  CHECK(out.fit->verification.passed);
  CHECK(out.fit->verification.placements.size() == 5);
  for (const auto& p : out.fit->verification.placements) {
    CHECK(p.cop_error_mm < 2);
    CHECK(std::abs(p.force_error_pct) < 0.2);
  }
  CHECK(out.fit->condition < calibration::kMaxCondition);

  // Elsewhere on the plate too, with loads the fit never saw (a person, not the mass).
  for (const auto& [x, y] : {std::pair{40.0, -150.0}, {-120.0, 60.0}, {0.0, 180.0}, {130.0, -10.0}}) {
    const auto raw = signal::load_to_cells(config.true_layout, 700, x, y);
    const auto s = signal::cells_to_load(out.fit->layout, raw);
    CHECK(std::hypot(s.cop_x_mm - x, s.cop_y_mm - y) < 2);
    CHECK(std::abs(s.fz_n / 700 - 1) < 0.002);
    // The nominal calibration is far off on this plate: the test would notice no fit.
    auto nominal = test::sim_nominal();
    const auto before = signal::cells_to_load(nominal, raw);
    CHECK(std::hypot(before.cop_x_mm - x, before.cop_y_mm - y) > 5);
  }
}

TEST_CASE("calib: the mass at the centre five times cannot tell the cells apart and is refused") {
  auto config = bad_plate("marks=0:0,0:0,0:0,0:0,0:0");
  const auto played = test::play_session(config);
  const auto out =
      fit_gains(test::sim_nominal(), played.zero, test::marks_of(config), played.placements, 20, kDefaults);
  CHECK_FALSE(out.fit);
  CHECK_THAT(out.refused, Catch::Contains("cannot tell the four cells apart"));
  // Five times on one point off the centre is just as blind.
  config = bad_plate("marks=60:80,60:80,60:80,60:80,60:80");
  const auto line = test::play_session(config);
  const auto out2 = fit_gains(test::sim_nominal(), line.zero, test::marks_of(config), line.placements, 20, kDefaults);
  CHECK_FALSE(out2.fit);
  CHECK_THAT(out2.refused, Catch::Contains("cannot tell the four cells apart"));
}

TEST_CASE("calib: a rocking mass gives unsteady readings which are refused with the mark named") {
  const auto config = bad_plate("wobble_n=20");
  const auto played = test::play_session(config);
  CHECK_FALSE(played.placements[0].stable());
  const auto out =
      fit_gains(test::sim_nominal(), played.zero, test::marks_of(config), played.placements, 20, kDefaults);
  CHECK_FALSE(out.fit);
  CHECK_THAT(out.refused, Catch::StartsWith("mark m1: the reading was not steady"));
}

TEST_CASE("calib: too few placements and a mass that reads negative are refused with the reason") {
  const auto config = bad_plate();
  auto played = test::play_session(config);
  auto marks = test::marks_of(config);
  const auto nominal = test::sim_nominal();
  auto few = fit_gains(nominal, played.zero, {marks.begin(), marks.begin() + 4},
                       {played.placements.begin(), played.placements.begin() + 4}, 20, kDefaults);
  CHECK(few.refused == "too few placements: 4 of at least 5");
  // Zeroed with the mass on the centre mark, then the empty plate read as the first placement.
  std::swap(played.zero, played.placements[0]);
  played.zero.tolerance_n = played.placements[0].tolerance_n;
  auto negative = fit_gains(nominal, played.zero, marks, played.placements, 20, kDefaults);
  CHECK_FALSE(negative.fit);
  CHECK_THAT(negative.refused, Catch::StartsWith("mark m1: the mass reads negative"));
  CHECK(fit_gains(nominal, played.zero, marks, played.placements, 0, kDefaults).refused ==
        "the mass must be positive (got 0 kg)");
}

TEST_CASE("calib: verification fails a plate outside the thresholds and reports every placement") {
  const auto config = bad_plate();
  const auto played = test::play_session(config);
  const auto marks = test::marks_of(config);
  // The plate as described (nominal gains, the fresh zero) is 20 % off: every threshold is broken.
  auto nominal = test::sim_nominal();
  nominal.offset_units = played.zero.mean;
  const auto v = calibration::verify(nominal, marks, played.placements, 20, kDefaults);
  CHECK_FALSE(v.passed);
  REQUIRE(v.placements.size() == 5);
  CHECK(v.max_cop_mm > 5);
  CHECK(v.rms_force_pct > 0);
  // The same readings pass with looser thresholds than the errors found.
  const auto loose =
      calibration::verify(nominal, marks, played.placements, 20, {v.max_force_pct + 0.1, v.max_cop_mm + 0.1});
  CHECK(loose.passed);
}

TEST_CASE("calib: the stability meter reads 1 on a steady load and low while the mass rocks") {
  auto steady = bad_plate();
  auto rocking = bad_plate("wobble_n=20");
  for (auto* c : {&steady, &rocking}) {
    sim::ScenarioGenerator gen(*c);
    calibration::StabilityMeter meter(sim::kSimNewtonsPerCount, c->mass_kg * calibration::kGravity_m_s2);
    double at_4s = -1;
    while (!gen.done()) {
      const auto s = gen.next();
      if (s.truth.t_s >= c->zero_s + 0.4) meter.push(s.truth.t_s, s.cells);
      if (s.truth.t_s >= c->zero_s + 4 && at_4s < 0) at_4s = meter.stability();
    }
    if (c == &steady)
      CHECK(at_4s == 1.0);
    else
      CHECK(at_4s < 0.5);
  }
}

TEST_CASE("calib: the positions file reads the bundled five marks and names the line of a mistake") {
  const auto file = calibration::load_positions(KIOSK_SOURCE_DIR "/devices/calibration/five_marks.toml");
  CHECK(file.marks.size() == 5);
  CHECK(file.marks[1].name == "front-left");
  CHECK(file.marks[1].x_mm == -90);
  CHECK(file.timing.hold_s == 5);
  auto error = [](const std::string& text) {
    try {
      calibration::parse_positions(text, "p.toml");
    } catch (const calibration::PositionsError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string marks =
      "[[mark]]\nname=\"a\"\nx_mm=0\ny_mm=0\n[[mark]]\nname=\"b\"\nx_mm=1\ny_mm=0\n"
      "[[mark]]\nname=\"c\"\nx_mm=2\ny_mm=0\n[[mark]]\nname=\"d\"\nx_mm=3\ny_mm=0\n";
  CHECK(error("format = 2\n") == "p.toml:1: format: this kiosk reads format 1");
  CHECK(error("name = \"x\"\n") == "p.toml: format: missing; write format = 1");
  CHECK(error("format = 1\n" + marks) == "p.toml:2: mark: 4 marks; at least 5 are needed (centre and four quadrants)");
  CHECK(error("format = 1\n" + marks + "[[mark]]\nname=\"e\"\nx_mm=2000\ny_mm=0\n") ==
        "p.toml:20: mark[5].x_mm: must be a number from -1000 to 1000");
  CHECK(error("format = 1\n[timing]\nhold_s = 1\n") == "p.toml:3: timing.hold_s: must be a number from 4 to 600");
}
