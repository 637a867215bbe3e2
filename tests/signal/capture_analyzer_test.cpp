// The capture analyzers (the names scripts use) on simulated plates whose
// truth is known: the knee-to-wall heel check, and the streaming analyzers
// agreeing with the whole-recording detectors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "signal/capture_analyzer.h"
#include "signal/recording_detectors.h"
#include "sim/scenario.h"

using namespace kiosk;

namespace {

signal::Recording lunge(double rate_hz, std::vector<double> lifts, double noise_n = 0) {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::lunge;
  c.rate_hz = rate_hz;
  c.duration_s = 24;
  c.heel_lift_s = std::move(lifts);
  c.cell_noise_n = noise_n;
  c.seed = 11;
  return sim::generate_recording(c);
}

std::vector<double> times_of(const signal::CaptureAnalysis& a, std::string_view kind) {
  std::vector<double> out;
  for (const auto& e : a.events)
    if (e.kind == kind) out.push_back(e.t_s);
  return out;
}

}  // namespace

TEST_CASE("heel_contact counts each heel lift in a knee-to-wall lunge", "[capture][heel_contact]") {
  const double rate = GENERATE(100.0, 1000.0);
  const double noise = GENERATE(0.0, 2.0);
  CAPTURE(rate, noise);
  const auto a = signal::analyze_recording("heel_contact", lunge(rate, {6.5, 15.2}, noise), {});
  CHECK(a.metrics.at("heel_lifts") == 2);
  const auto lifts = times_of(a, "heel_lift");
  REQUIRE(lifts.size() == 2);
  CHECK(lifts[0] == Approx(6.5).margin(0.15));
  CHECK(lifts[1] == Approx(15.2).margin(0.15));
  CHECK(a.metrics.at("max_forward_mm") > 60);
  CHECK(a.metrics.at("confidence") > 0.9);
}

TEST_CASE("heel_contact finds no lift while the heel stays down", "[capture][heel_contact]") {
  const auto a = signal::analyze_recording("heel_contact", lunge(1000, {}, 2.0), {});
  CHECK(a.metrics.at("heel_lifts") == 0);
  CHECK(a.metrics.at("max_forward_mm") < 40);  // the knee going to the wall moves the COP a little
  CHECK(a.metrics.at("confidence") > 0.9);
}

TEST_CASE("heel_contact on an empty plate or garbage has no baseline and no confidence", "[capture][heel_contact]") {
  auto analyzer = signal::make_capture_analyzer("heel_contact", {});
  REQUIRE(analyzer);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int i = 0; i < 500; ++i) {
    analyzer->push({i * 0.01, 5, 0, 0});  // nobody on it
    analyzer->push({i * 0.01 + 0.005, nan, nan, nan});
  }
  const auto a = analyzer->result();
  CHECK(a.metrics.at("heel_lifts") == 0);
  CHECK(a.metrics.at("confidence") == 0);
}

TEST_CASE("a live stance capture gives the numbers of the whole-recording detector", "[capture][stance]") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::single_leg_touchdown;
  c.rate_hz = 1000;
  c.touchdown_s = 12.3;
  c.duration_s = 20;
  const auto rec = sim::generate_recording(c);
  const auto whole = signal::single_leg_stance(rec, 45);

  // Live: samples arrive with the device's own clock, which did not start at 0.
  auto live = signal::make_capture_analyzer("single_leg_stance", {.rate_hz = 1000, .cap_s = 45});
  std::size_t pushed = 0;
  for (; pushed < rec.size() && !live->finished(); ++pushed) {
    auto s = rec.sample(pushed);
    s.t_s += 1234.5;
    live->push(s);
  }
  CHECK(pushed < rec.size());  // it ended by itself after the touch-down
  const auto a = live->result();
  REQUIRE(whole.touchdown_s);
  CHECK(a.metrics.at("stance_s") == Approx(*whole.touchdown_s).margin(1e-6));
  CHECK(a.metrics.at("stance_s") == Approx(12.3).margin(0.05));
  REQUIRE(whole.sway);
  CHECK(a.metrics.at("path_mm") == Approx(whole.sway->path_mm).epsilon(1e-9));
  CHECK(a.metrics.at("area95_mm2") == Approx(whole.sway->area95_mm2).epsilon(1e-9));
  const auto td = times_of(a, "touchdown_off_plate");
  REQUIRE(td.size() == 1);
  CHECK(td[0] == Approx(12.3).margin(0.05));  // from the first sample, not the device clock
}

TEST_CASE("a stance capture stops at its cap", "[capture][stance]") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::quiet_stance;
  c.rate_hz = 100;
  c.duration_s = 30;
  const auto a = signal::analyze_recording("single_leg_stance", sim::generate_recording(c), {.cap_s = 10});
  CHECK(a.metrics.at("stance_s") == Approx(10).margin(0.011));
}

TEST_CASE("a heel-raise capture counts what the whole-recording counter counts", "[capture][heel_raise]") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.rate_hz = 1000;
  c.reps = 17;
  const auto rec = sim::generate_recording(c);
  const auto a = signal::analyze_recording("heel_raise_count", rec, {.bpm = 60});
  CHECK(a.metrics.at("reps") == 17);
  CHECK(a.metrics.at("reps") == signal::count_heel_raises(rec).reps);
  CHECK(times_of(a, "rise").size() >= 17);
}

TEST_CASE("an unknown analyzer name is refused", "[capture]") {
  CHECK(signal::make_capture_analyzer("heel_contacts", {}) == nullptr);
  sim::ScenarioConfig c;
  c.duration_s = 2;
  CHECK_THROWS_AS(signal::analyze_recording("nope", sim::generate_recording(c), {}), signal::RecordingError);
  CHECK(signal::capture_analyzer_names().size() == 3);
}

// What a live view shows comes from the analyzer's progress(): the same detector, sample by sample.
TEST_CASE("a heel-raise capture's progress counts live and says a beat was missed before it ends",
          "[capture][heel_raise][live]") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::heel_raises;
  c.rate_hz = 200;
  c.reps = 8;
  c.stop = sim::RaiseStop::stand_still;  // then no more rises: the metronome's beats go by
  const auto rec = sim::generate_recording(c);
  auto analyzer = signal::make_capture_analyzer("heel_raise_count", {.rate_hz = 200, .bpm = 60});
  int last_reps = 0, most_missed = 0;
  std::optional<double> first_missed_s, end_s;
  for (std::size_t i = 0; i < rec.size() && !analyzer->finished(); ++i) {
    analyzer->push(rec.sample(i));
    const auto p = analyzer->progress();
    REQUIRE(p.reps >= last_reps);  // a count only grows
    last_reps = p.reps;
    if (p.missed_beats > 0 && !first_missed_s) first_missed_s = rec.t_s[i];
    most_missed = std::max(most_missed, p.missed_beats);
    if (analyzer->finished()) end_s = rec.t_s[i];
  }
  const auto p = analyzer->progress();
  CHECK(p.end_reason == "missed_beats");
  CHECK(most_missed == 2);  // the end: two missed beats
  REQUIRE(first_missed_s);
  REQUIRE(end_s);
  CHECK(*end_s - *first_missed_s == Approx(2.0).margin(0.02));  // one rise period (60 bpm) after the first miss
  const auto a = analyzer->result();
  CHECK(p.reps == a.metrics.at("reps"));
  CHECK(p.reps == 8);
  CHECK(std::count_if(p.events.begin(), p.events.end(), [](const auto& e) { return e.kind == "rise"; }) == 8);
}

TEST_CASE("a knee-to-wall capture's progress lights the heel up while it is lifted, and down again",
          "[capture][heel_contact][live]") {
  const auto rec = lunge(200, {8.0});
  auto analyzer = signal::make_capture_analyzer("heel_contact", {.rate_hz = 200});
  std::optional<double> up_s, down_again_s;
  bool known_at_start = true;
  for (std::size_t i = 0; i < rec.size(); ++i) {
    analyzer->push(rec.sample(i));
    const auto p = analyzer->progress();
    if (i == 0) known_at_start = p.heel_down_known;
    if (p.heel_up && !up_s) up_s = rec.t_s[i];
    if (up_s && !p.heel_up && !down_again_s) down_again_s = rec.t_s[i];
  }
  CHECK_FALSE(known_at_start);  // it first learns where the heel is
  REQUIRE(up_s);
  CHECK(*up_s > 8.0);
  CHECK(*up_s < 8.5);
  CHECK(down_again_s);
  CHECK(analyzer->progress().heel_lifts == 1);
}

TEST_CASE("a stance capture's progress is its stance so far, and its end the touch-down", "[capture][stance][live]") {
  sim::ScenarioConfig c;
  c.scenario = sim::Scenario::single_leg_touchdown;
  c.rate_hz = 100;
  c.duration_s = 30;
  c.touchdown_s = 12;
  const auto rec = sim::generate_recording(c);
  auto analyzer = signal::make_capture_analyzer("single_leg_stance", {.rate_hz = 100, .cap_s = 45});
  for (std::size_t i = 0; i < rec.size() && !analyzer->finished(); ++i) {
    analyzer->push(rec.sample(i));
    if (i == 500) CHECK(analyzer->progress().stance_s == Approx(rec.t_s[500] - rec.t_s[0] + 0.01).margin(0.001));
  }
  const auto p = analyzer->progress();
  CHECK(p.end_reason == "touchdown");
  CHECK(p.stance_s == Approx(analyzer->result().metrics.at("stance_s")));
  CHECK(p.stance_s == Approx(12).margin(0.1));
}
