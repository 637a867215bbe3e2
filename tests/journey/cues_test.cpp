// Which sounds the journey asks for, when: the cue tracker driven headless
// over the bundled scripts, on a test clock (and the simulated plate, on its
// virtual clock, for the capture's 3-2-1, its metronome and its end). Cue times are asserted
// against the journey's own clocks, so a cue early, late, twice or missing fails.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <functional>

#include "journey/autopilot.h"
#include "journey/cues.h"
#include "journey/journey.h"
#include "sim_plate.h"

using namespace kiosk;
using journey::CapturePhase;
using journey::CueTracker;
using journey::Journey;
using journey::Stage;
using script::StepKind;
using namespace std::chrono_literals;

namespace {

constexpr double kPlateTimes = 25;  // while a capture is live, plate time runs this much faster than the journey's

struct Heard {
  Journey::Clock::time_point when;
  std::string cue;
  double plate_s;  // the live capture's own clock then (-1: none)
};

struct Visit {
  script::Catalogue catalogue{{std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"}};
  journey::NoPlates no_plates;
  Journey::Clock::time_point now = Journey::Clock::now(), zero = now;
  std::unique_ptr<Journey> j;
  CueTracker cues;
  std::vector<Heard> heard;
  nlohmann::json answers;
  std::function<void(double)> play_plate;  // plays plate time (the sim's virtual clock), s

  explicit Visit(test::SimPlate& sim) : Visit(&sim.plates) {
    play_plate = [&sim](double s) { sim.play(s); };
  }
  explicit Visit(journey::PlateAccess* plates = nullptr) {
    catalogue.scan();
    j = std::make_unique<Journey>(catalogue, plates ? *plates : no_plates);
    std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/tests/fixtures/answers/session_full.json");
    answers = nlohmann::json::parse(in);
  }
  void listen() {
    for (auto& c : cues.update(*j)) heard.push_back({now, c, j->live() ? j->live()->elapsed_s() : -1});
  }
  // Moves the journey's clock; `plate_times`: plate time runs that many times faster meanwhile.
  void advance(std::chrono::milliseconds total, std::chrono::milliseconds step = 10ms, double plate_times = 0) {
    for (auto t = 0ms; t < total; t += step) {
      now += step;
      if (plate_times > 0) {
        REQUIRE(play_plate);
        play_plate(std::chrono::duration<double>(step).count() * plate_times);
      }
      j->touch(now);
      j->tick(now);
      listen();
    }
  }
  // Zero the clock now (or when the current step appeared) and forget what was heard before.
  void restart_clock(bool from_step = false) {
    zero = from_step ? now - std::chrono::duration_cast<Journey::Clock::duration>(
                                 std::chrono::duration<double>(j->step_elapsed_s()))
                     : now;
    std::erase_if(heard, [&](const Heard& h) { return h.when < zero + 1ms; });  // what ended the step before
  }
  double at_s(std::size_t i) const { return std::chrono::duration<double>(heard[i].when - zero).count(); }
  // Acts like the person until `until` holds (listening all the way).
  void walk(const std::function<bool()>& until) {
    journey::Autopilot pilot(script::AnswerBook::from_json(answers), "A-17");
    if (j->stage() == Stage::attract) j->start();
    for (int guard = 0; guard < 20000 && !until(); ++guard) {
      j->touch(now);
      REQUIRE(pilot.act(*j));
      advance(10ms, 10ms, j->live() ? kPlateTimes : 0);
    }
    REQUIRE(until());
  }
  bool at(StepKind kind, const std::string& script) const {
    return j->step() && j->step()->kind == kind && j->script_info()->id == script;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& h : heard) out.push_back(h.cue);
    return out;
  }
};

// The simulated plate, calibrated first as patients' plates must be.
struct SimPlate : test::SimPlate {
  SimPlate() {
    test::calibrate_sim(devices, db);
    calibrations.refresh();
  }
};

}  // namespace

TEST_CASE("journey cues: a countdown step ticks each second with its own sound and then says go", "[journey]") {
  Visit v;
  v.walk([&] { return v.at(StepKind::countdown, "heel_raise"); });
  REQUIRE(v.j->step()->sound == "beep");  // heel_raise.lua names its tick
  v.restart_clock(/*from_step=*/true);    // "3" was heard as the step appeared
  v.advance(3500ms);
  REQUIRE(v.names() == std::vector<std::string>{"beep", "beep", "beep", "go", "beat"});
  for (int i = 0; i < 3; ++i) CHECK(v.at_s(i) == Approx(i).margin(0.011));
  CHECK(v.at_s(3) == Approx(3).margin(0.011));
  CHECK(v.at_s(4) == Approx(3).margin(0.011));  // the metronome after it starts at once
  CHECK(v.at(StepKind::metronome, "heel_raise"));
}

TEST_CASE("journey cues: a metronome step beats on time and says done when the person ends it", "[journey]") {
  Visit v;
  v.walk([&] { return v.at(StepKind::metronome, "heel_raise"); });
  const double period = 60 / v.j->step()->bpm;
  v.restart_clock(/*from_step=*/true);
  v.advance(5s);  // no repeat between beats
  const auto beats = static_cast<std::size_t>(5 / period) + 1;
  REQUIRE(v.heard.size() == beats + 1);
  CHECK(v.heard[0].cue == "go");  // the countdown before it ended as it appeared
  for (std::size_t i = 0; i < beats; ++i) {
    CHECK(v.heard[i + 1].cue == "beat");
    CHECK(v.at_s(i + 1) == Approx(static_cast<double>(i) * period).margin(0.011));
  }
  CHECK(v.cues.seconds_to_next(*v.j) == Approx(beats * period - 5).margin(0.011));
  v.j->next();  // Done
  v.listen();
  CHECK(v.heard.back().cue == "done");
  CHECK(v.heard.size() == beats + 2);
}

TEST_CASE("journey cues: the results appear with done and a countdown's next second is known", "[journey]") {
  Visit v;
  v.walk([&] { return v.at(StepKind::countdown, "heel_raise"); });
  v.advance(400ms);
  CHECK(v.cues.seconds_to_next(*v.j) == Approx(0.6).margin(0.011));
  v.restart_clock();
  v.walk([&] { return v.j->stage() == Stage::results; });
  REQUIRE_FALSE(v.heard.empty());
  CHECK(v.heard.back().cue == "done");
  v.restart_clock();
  v.advance(2s);
  CAPTURE(v.names());
  CHECK(v.heard.empty());  // nothing more while the results are read
}

TEST_CASE("journey cues: nothing plays after a wipe", "[journey]") {
  Visit v;
  v.walk([&] { return v.at(StepKind::metronome, "heel_raise"); });
  v.advance(1500ms);
  v.j->wipe("timed_out");
  v.restart_clock();
  v.advance(3s);
  CHECK(v.heard.empty());
  CHECK(v.cues.seconds_to_next(*v.j) < 0);
  // The next person starts from silence too: the language screen plays nothing.
  v.j->start();
  v.advance(1s);
  CHECK(v.heard.empty());
}

TEST_CASE("journey cues: a plate capture counts 3-2-1 then go then beats with the plate and done at its end",
          "[journey][plate]") {
  SimPlate sim;
  Visit v(sim);
  v.walk([&] { return v.at(StepKind::capture, "heel_raise"); });
  REQUIRE(v.j->step()->bpm > 0);
  v.restart_clock();
  v.j->start_capture();
  v.listen();
  v.advance(3000ms);                    // the count-in runs on the journey's clock
  v.advance(1500ms, 5ms, kPlateTimes);  // live: plate time runs 25 times faster than this
  REQUIRE(v.heard.size() >= 6);
  CHECK(v.names()[0] == "tick");
  CHECK(v.names()[1] == "tick");
  CHECK(v.names()[2] == "tick");
  for (int i = 0; i < 3; ++i) CHECK(v.at_s(i) == Approx(i).margin(0.011));
  CHECK(v.heard[3].cue == "go");
  CHECK(v.at_s(3) == Approx(3).margin(0.011));
  // One beat per beat of plate time, each as the plate's clock crosses it.
  const double period = 60 / v.j->step()->bpm;
  long expected = 0;
  for (std::size_t i = 4; i < v.heard.size(); ++i) {
    INFO(i);
    CHECK(v.heard[i].cue == "beat");
    CHECK(static_cast<long>(v.heard[i].plate_s / period) == expected++);
  }
  REQUIRE(v.j->live());
  CHECK(expected == static_cast<long>(v.j->live()->elapsed_s() / period) + 1);
  v.j->finish_capture();
  v.listen();
  CHECK(v.heard.back().cue == "done");
}

TEST_CASE("journey cues: Cancel during a live capture ends it without done", "[journey][plate]") {
  SimPlate sim;
  Visit v(sim);
  v.walk([&] { return v.at(StepKind::capture, "knee_to_wall"); });
  v.j->start_capture();
  v.advance(3100ms);
  REQUIRE(v.j->live());
  v.restart_clock();
  v.j->cancel();
  v.j->confirm_cancel(true);
  v.advance(1s);
  CHECK(v.heard.empty());
}

TEST_CASE("journey cues: a capture that ends by itself says done as its end is shown, once", "[journey][plate]") {
  SimPlate sim;
  Visit v(sim);
  v.walk([&] { return v.at(StepKind::capture, "single_leg_balance"); });
  v.j->start_capture();
  v.advance(3100ms);
  REQUIRE(v.j->live());
  v.restart_clock();
  // Live until the demo person's touch-down at 21.5 s of plate time (25 times faster than the journey's clock).
  for (int i = 0; i < 200 && v.j->capture_phase() == CapturePhase::live; ++i) v.advance(10ms, 10ms, kPlateTimes);
  REQUIRE(v.j->capture_phase() == CapturePhase::ended);
  REQUIRE_FALSE(v.heard.empty());
  CHECK(v.heard.back().cue == "done");  // announced with its end, not when the next step appears
  const auto heard_at_end = v.heard.size();
  v.advance(3000ms);  // the end is held, then the script goes on
  CHECK(v.j->capture_phase() != CapturePhase::ended);
  CHECK(std::count_if(v.heard.begin() + static_cast<long>(heard_at_end) - 1, v.heard.end(),
                      [](const Heard& h) { return h.cue == "done"; }) == 1);
}
