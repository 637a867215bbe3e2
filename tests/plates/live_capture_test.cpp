// Live captures and hotplug on the simulated plate, loaded as a real plugin:
// DeviceManager (found, gone, back with the same identity), the nominal
// calibration from a plate's description, and LiveCapture feeding the same
// analyzers the scripts use. The sim plays on its virtual clock
// (clock=stepped): each "frame" plays 0.1 s of plate time, then pumps.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "kiosk_plate_sim.h"
#include "plates/device_manager.h"
#include "plates/live_capture.h"
#include "plates/plate_calibration.h"
#include "plates/sim_clock.h"

using namespace kiosk::plates;
using namespace std::chrono_literals;

namespace {
const std::filesystem::path kSimSo = std::filesystem::path(KIOSK_PLUGIN_DIR) / "sim.so";
constexpr const char* kSimId = "sim:SIM-0001";

struct SimPlates {
  PluginHost host;
  DeviceManager manager{host, 50ms};
  const kp_sim_v1* sim = nullptr;
  SimPlates() {
    REQUIRE(host.load(kSimSo).empty());
    sim = static_cast<const kp_sim_v1*>(host.loaded()[0].plugin->get_extension(KP_EXT_SIM_V1));
    REQUIRE(sim);
    manager.rescan();
  }
  // Every scenario plays on the virtual clock.
  void play(const std::string& spec) { REQUIRE(sim->set_scenario((spec + " " + kSteppedClock).c_str()) == KP_OK); }
  void advance(double seconds) { REQUIRE(advance_sim(host.loaded()[0], seconds) == KP_OK); }
  std::unique_ptr<LiveCapture> capture(LiveCaptureOptions options) {
    const auto* plate = manager.find(kSimId);
    REQUIRE(plate);
    const auto layout = nominal_layout(plate->info);
    REQUIRE(std::holds_alternative<kiosk::signal::CellLayout>(layout));
    return std::make_unique<LiveCapture>(manager.open(kSimId), std::get<kiosk::signal::CellLayout>(layout),
                                         std::move(options));
  }
};

// Plays 0.1 s of plate time a frame and pumps, until the capture is no longer running.
LiveCapture::State run(SimPlates& p, LiveCapture& c, double limit_s = 100) {
  for (double played = 0; c.pump() == LiveCapture::State::running && played < limit_s; played += 0.1) p.advance(0.1);
  return c.state();
}
}  // namespace

TEST_CASE("the device manager finds the sim plate and follows its unplug and return", "[plates][hotplug]") {
  SimPlates p;
  REQUIRE(p.manager.devices().size() == 1);
  CHECK(p.manager.first_present()->id() == kSimId);
  CHECK(p.manager.poll().empty());  // nothing changed, nothing due

  p.play("scenario=quiet_stance unplug_s=0.2");
  auto c = p.capture({.analyzer = "single_leg_stance", .rate_hz = 1000, .max_s = 10});
  CHECK(run(p, *c) == LiveCapture::State::failed);
  CHECK_THAT(c->failure(), Catch::Contains("stopped streaming"));
  const auto gone = p.manager.poll();  // the plugin's notice makes this poll rescan at once
  REQUIRE(gone.size() == 1);
  CHECK(gone[0].kind == DeviceChange::removed);
  CHECK_FALSE(p.manager.find(kSimId)->present);
  CHECK(p.manager.first_present() == nullptr);
  CHECK_THROWS_AS(p.manager.open(kSimId), PlateError);

  p.play("scenario=quiet_stance");  // plugged back in
  const auto back = p.manager.poll();
  REQUIRE(back.size() == 1);
  CHECK(back[0].kind == DeviceChange::returned);
  CHECK(back[0].id == kSimId);
  CHECK(p.manager.devices().size() == 1);  // the same plate, not a new one
}

TEST_CASE("a live stance capture ends at the touch-down with nothing lost", "[plates][live]") {
  SimPlates p;
  p.play("scenario=single_leg_touchdown touchdown_s=3 duration_s=10");
  auto c = p.capture({.analyzer = "single_leg_stance", .rate_hz = 1000, .max_s = 45});
  REQUIRE(run(p, *c) == LiveCapture::State::done);
  const auto a = c->result();
  CHECK(a.metrics.at("stance_s") == Approx(3).margin(0.05));
  CHECK(a.metrics.count("path_mm") == 1);
  CHECK(c->stats().lost == 0);
  CHECK(c->stats().ring_dropped == 0);
  CHECK(c->view().trail_size > 0);
  CHECK(c->view().peak_fz_n == Approx(700).epsilon(0.1));  // the sim's body weight, through the nominal gain
}

TEST_CASE("a live knee-to-wall capture sees the heel lift and runs until Done", "[plates][live]") {
  SimPlates p;
  p.play("scenario=lunge heel_lift_s=2 duration_s=30");
  auto c = p.capture({.analyzer = "heel_contact", .rate_hz = 100, .max_s = 60});
  for (int frame = 0; c->pump() == LiveCapture::State::running && c->elapsed_s() < 4 && frame < 100; ++frame)
    p.advance(0.1);
  CHECK(c->state() == LiveCapture::State::running);  // heel_contact never ends by itself
  c->finish_now();                                   // the person pressed Done
  CHECK(c->state() == LiveCapture::State::done);
  CHECK(c->result().metrics.at("heel_lifts") == 1);
}

TEST_CASE("a live capture stops at its time limit", "[plates][live]") {
  SimPlates p;
  p.play("scenario=quiet_stance duration_s=60");
  auto c = p.capture({.analyzer = "single_leg_stance", .rate_hz = 100, .max_s = 2});
  REQUIRE(run(p, *c) == LiveCapture::State::done);
  CHECK(c->result().metrics.at("stance_s") == Approx(2).margin(0.011));
}

TEST_CASE("a live capture refuses an unknown detector", "[plates][live]") {
  SimPlates p;
  CHECK_THROWS_AS(p.capture({.analyzer = "no_such_detector"}), std::invalid_argument);
}

TEST_CASE("the nominal calibration comes from the plate's description or is refused with a reason", "[plates]") {
  kp_device_info info{};
  info.cell_count = 4;
  info.newtons_per_count = 0.02;
  const float xs[] = {-150, 150, -150, 150}, ys[] = {200, 200, -200, -200};
  for (int c = 0; c < 4; ++c) info.cell_x_mm[c] = xs[c], info.cell_y_mm[c] = ys[c];
  auto ok = nominal_layout(info);
  REQUIRE(std::holds_alternative<kiosk::signal::CellLayout>(ok));
  const auto& layout = std::get<kiosk::signal::CellLayout>(ok);
  CHECK(layout.half_span_x_mm == 150);
  CHECK(layout.half_span_y_mm == 200);
  CHECK(layout.gain_n_per_unit[3] == 0.02);

  auto three = info;
  three.cell_count = 3;
  CHECK_THAT(std::get<std::string>(nominal_layout(three)), Catch::Contains("3 load cells"));
  auto skewed = info;
  skewed.cell_x_mm[2] = -120;  // not a rectangle
  CHECK_THAT(std::get<std::string>(nominal_layout(skewed)), Catch::Contains("cell 2"));
  auto no_gain = info;
  no_gain.newtons_per_count = 0;
  CHECK_THAT(std::get<std::string>(nominal_layout(no_gain)), Catch::Contains("gain"));
}

TEST_CASE("calib: a capture that starts on an empty plate zeroes it, one that starts loaded keeps the stored zero",
          "[plates]") {
  SimPlates p;
  // The plate's empty reading drifted 800 counts (8 N) per cell since it was calibrated at zero.
  constexpr double kWeight_n = 70 * 9.80665;
  for (const bool empty_start : {true, false}) {
    p.play(empty_start ? "scenario=placements mass_kg=70 marks=0:0 zero_s=1 hold_s=20 move_s=1 "
                         "cell_offsets_counts=800,800,800,800"
                       : "scenario=placements mass_kg=70 marks=0:0 zero_s=0 hold_s=20 move_s=1 "
                         "cell_offsets_counts=800,800,800,800");
    auto c = p.capture({.analyzer = "single_leg_stance", .rate_hz = 1000, .max_s = 3, .auto_zero = true});
    run(p, *c);
    INFO("empty start " << empty_start);
    CHECK(c->zeroed() == empty_start);
    // Loaded at the end: the drift is gone only where the plate was zeroed.
    CHECK(std::abs(c->view().latest.fz_n - kWeight_n) < (empty_start ? 0.5 : 40.0));
    if (!empty_start) CHECK(std::abs(c->view().latest.fz_n - kWeight_n - 32) < 1);  // 4 cells × 8 N
  }
}
