// Streaming detectors on simulated plates whose truth is known, and on garbage.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "signal/body_weight.h"
#include "signal/heel_raise.h"
#include "signal/touchdown.h"
#include "sim/scenario.h"

using namespace kiosk;
using signal::PlateSample;

namespace {

signal::Recording raises(int reps, double rate_hz, sim::RaiseStop stop, double noise_n = 0, double drift = 0) {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.rate_hz = rate_hz;
  c.reps = reps;
  c.raises_per_min = 30;
  c.first_excursion_mm = 80;
  c.last_excursion_mm = 48;  // fatigue: the last rise is 60 % of the first
  c.stop = stop;
  c.seed = static_cast<std::uint64_t>(reps) * 7 + static_cast<std::uint64_t>(rate_hz);
  c.cell_noise_n = noise_n;
  c.cell_drift_n_per_s = drift;
  return sim::generate_recording(c);
}

signal::HeelRaiseCounter count(const signal::Recording& rec) {
  signal::HeelRaiseCounter counter(rec.rate_hz());
  for (std::size_t i = 0; i < rec.size(); ++i) counter.update(rec.sample(i));
  counter.finish();
  return counter;
}

std::optional<double> touchdown(const signal::Recording& rec, double* confidence = nullptr) {
  signal::TouchdownDetector d(rec.rate_hz());
  for (std::size_t i = 0; i < rec.size(); ++i) d.update(rec.sample(i));
  if (confidence) *confidence = d.confidence();
  return d.touchdown_s();
}

}  // namespace

TEST_CASE("body weight from the quiet phase") {
  sim::ScenarioConfig c;
  c.body_weight_n = 812;
  c.rate_hz = 1000;
  c.duration_s = 5;
  c.cell_noise_n = 2;
  const auto rec = sim::generate_recording(c);
  signal::BodyWeightDetector d;
  std::optional<double> found_at;
  for (std::size_t i = 0; i < rec.size(); ++i)
    if (d.update(rec.sample(i))) found_at = rec.t_s[i];
  REQUIRE(d.body_weight_n());
  CHECK(*d.body_weight_n() == Approx(812).epsilon(0.01));
  REQUIRE(found_at);
  CHECK(*found_at == Approx(1.0).margin(0.05));  // as soon as one steady second has passed
  CHECK(d.confidence() > 0.7);
  REQUIRE(d.events().size() == 1);
  CHECK(d.events()[0].kind == "body_weight");
}

TEST_CASE("no body weight from a plate that never settles or is empty") {
  signal::BodyWeightDetector swinging, empty;
  for (int i = 0; i < 3000; ++i) {
    const double t = i / 1000.0;
    swinging.update({t, 700 * (1 + 0.1 * std::sin(2 * 3.14159 * 2 * t)), 0, 0});
    empty.update({t, 3, 0, 0});
  }
  CHECK_FALSE(swinging.body_weight_n());
  CHECK_FALSE(empty.body_weight_n());
  CHECK(swinging.confidence() == 0);
}

TEST_CASE("heel-raise count is exact for 5 to 40 reps with fatigue, at 100 Hz and 1 kHz") {
  for (double rate : {100.0, 1000.0}) {
    for (int reps = 5; reps <= 40; ++reps) {
      INFO(reps << " reps at " << rate << " Hz");
      const auto counter = count(raises(reps, rate, sim::RaiseStop::two_small_rises));
      CHECK(counter.reps() == reps);
      CHECK(counter.end_reason() == "two_small_rises");
      CHECK(counter.confidence() > 0.7);
    }
  }
}

TEST_CASE("heel raises: every way the test can end") {
  const int reps = 17;
  SECTION("touch-down") {
    const auto c = count(raises(reps, 1000, sim::RaiseStop::touchdown));
    CHECK(c.reps() == reps);
    CHECK(c.end_reason() == "touchdown");
  }
  SECTION("step-off") {
    const auto c = count(raises(reps, 100, sim::RaiseStop::step_off));
    CHECK(c.reps() == reps);
    CHECK(c.end_reason() == "step_off");
  }
  SECTION("standing still: two missed beats") {
    const auto c = count(raises(reps, 100, sim::RaiseStop::stand_still));
    CHECK(c.reps() == reps);
    CHECK(c.end_reason() == "missed_beats");
  }
  SECTION("noisy, drifting cells at 1 kHz") {
    const auto c = count(raises(reps, 1000, sim::RaiseStop::two_small_rises, 4, 0.5));
    CHECK(c.reps() == reps);
    CHECK(c.end_reason() == "two_small_rises");
  }
  SECTION("events: one per rise, then the end") {
    const auto c = count(raises(8, 100, sim::RaiseStop::two_small_rises));
    const auto& ev = c.events();
    REQUIRE(ev.size() == 8 + 2 + 1);
    for (std::size_t i = 0; i < 8; ++i) CHECK(ev[i].kind == "rise");
    CHECK(ev[8].kind == "rise_small");
    CHECK(ev[9].kind == "rise_small");
    CHECK(ev[10].kind == "test_end");
    CHECK(ev[10].value == 8);
    for (std::size_t i = 1; i < ev.size(); ++i) CHECK(ev[i].t_s >= ev[i - 1].t_s);
  }
}

TEST_CASE("a rise smaller than half the median of the first three does not count") {
  // Built by hand: rises of 80, 30, 80 mm, then 70, 35, 70, then two of 20 mm.
  signal::HeelRaiseCounter c(100);
  const double excursions[] = {80, 30, 80, 70, 35, 70, 20, 20};
  double t = 0;
  for (int i = 0; i < 200; ++i, t += 0.01) c.update({t, 700, 0, 0});  // quiet: body weight
  for (double e : excursions)
    for (int i = 0; i < 200; ++i, t += 0.01) c.update({t, 700, 0, e * (1 - std::cos(2 * 3.14159265 * i / 200)) / 2});
  c.finish();
  CHECK(c.reps() == 4);  // 80, 80, 70, 70: threshold 40 mm; 30 and 35 are small but not twice in a row
  CHECK(c.end_reason() == "two_small_rises");
}

TEST_CASE("touch-down time within 50 ms, off and on the plate, at 100 Hz and 1 kHz") {
  double worst_s = 0;
  for (auto place : {sim::TouchdownPlace::off_plate, sim::TouchdownPlace::on_plate}) {
    for (double rate : {100.0, 1000.0}) {
      for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        sim::ScenarioConfig c;
        c.scenario = sim::Scenario::single_leg_touchdown;
        c.touchdown_place = place;
        c.rate_hz = rate;
        c.seed = seed;
        c.touchdown_s = 4 + 1.37 * static_cast<double>(seed);
        c.cell_noise_n = 3;
        INFO((place == sim::TouchdownPlace::off_plate ? "off" : "on") << " plate, " << rate << " Hz, seed " << seed);
        double confidence = 0;
        const auto t = touchdown(sim::generate_recording(c), &confidence);
        REQUIRE(t);
        CHECK(std::abs(*t - c.touchdown_s) < 0.05);
        CHECK(confidence > 0.5);
        worst_s = std::max(worst_s, std::abs(*t - c.touchdown_s));
      }
    }
  }
  fmt::print("touch-down worst timing error over 20 scenarios: {:.1f} ms\n", worst_s * 1000);
}

TEST_CASE("no touch-down in steady stance, step-off is seen") {
  sim::ScenarioConfig c;
  c.duration_s = 20;
  c.rate_hz = 1000;
  c.cell_noise_n = 3;
  double confidence = 0;
  CHECK_FALSE(touchdown(sim::generate_recording(c), &confidence));
  CHECK(confidence > 0.5);

  c.scenario = sim::Scenario::step_off;
  c.step_off_s = 6;
  const auto rec = sim::generate_recording(c);
  signal::StepOffDetector d;
  for (std::size_t i = 0; i < rec.size(); ++i) d.update(rec.sample(i));
  REQUIRE(d.step_off_s());
  CHECK(*d.step_off_s() > 6.0);
  CHECK(*d.step_off_s() < 6.35);  // Fz passes 10 % of body weight ~0.24 s into a 0.3 s step
}

TEST_CASE("garbage in: no crash, low confidence") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> fz(-1000, 2000), cop(-500, 500);
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  auto feed = [](auto& detector, const std::vector<PlateSample>& samples) {
    for (const auto& s : samples) detector.update(s);
  };
  std::vector<std::vector<PlateSample>> inputs(4);
  for (int i = 0; i < 5000; ++i) {
    const double t = i / 100.0;
    inputs[0].push_back({t, fz(rng), cop(rng), cop(rng)});                              // noise
    inputs[1].push_back({t, 0, 0, 0});                                                  // empty plate
    inputs[2].push_back({i % 3 ? nan : t, i % 5 ? 700 : inf, nan, i % 2 ? nan : 1.0});  // non-numbers
    inputs[3].push_back({(i % 50) / 100.0, 700 + cop(rng), cop(rng), cop(rng)});        // time runs backwards
  }
  for (const auto& in : inputs) {
    signal::HeelRaiseCounter raises_counter(100);
    signal::TouchdownDetector td(100);
    signal::StepOffDetector so;
    signal::BodyWeightDetector bw;
    feed(raises_counter, in);
    raises_counter.finish();
    feed(td, in);
    feed(so, in);
    feed(bw, in);
    CHECK(raises_counter.confidence() < 0.5);
    CHECK(td.confidence() < 0.5);
    CHECK(so.confidence() < 0.5);
    CHECK(bw.confidence() < 0.5);
  }
  signal::TouchdownDetector odd_rate(std::numeric_limits<double>::quiet_NaN());  // falls back to a sane ring
  odd_rate.update({0, 700, 0, 0});
}
