#include "journey/cues.h"

#include <algorithm>
#include <cmath>

namespace kiosk::journey {
namespace {
using script::StepKind;

// What a step's clock counts: seconds left of a 3-2-1, or beats so far.
struct Clocked {
  double left_s = -1;  // counting down (countdown step, capture count-in); < 0: not
  double beat_s = -1;  // metronome time since the first beat; < 0: none
  double bpm = 0;
};

Clocked clocked(const Journey& j) {
  Clocked c;
  const auto* s = j.step();
  if (!s) return c;
  if (s->kind == StepKind::countdown) c.left_s = s->seconds - j.step_elapsed_s();
  if (s->kind == StepKind::metronome) c.beat_s = j.step_elapsed_s(), c.bpm = s->bpm;
  if (s->kind == StepKind::capture && j.capture_phase() == CapturePhase::counting_in) c.left_s = j.count_in_left_s();
  if (s->kind == StepKind::capture && j.capture_phase() == CapturePhase::live && j.live() && s->bpm > 0)
    c.beat_s = j.live()->elapsed_s(), c.bpm = s->bpm;
  return c;
}

const char* own_or(const script::Step* s, const char* fallback) {
  return s && !s->sound.empty() ? s->sound.c_str() : fallback;
}

}  // namespace

std::vector<std::string> CueTracker::update(const Journey& j) {
  std::vector<std::string> out;
  auto play = [&](const std::string& id) {
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  };
  if (j.stage() == Stage::attract) {  // nobody here, or the patient was just wiped
    seen_ = {};
    return out;
  }
  const auto* s = j.step();
  if (j.steps_shown() != seen_.shown || j.stage() != seen_.stage) {
    if (j.steps_answered() != seen_.answered && seen_.stage == Stage::step) {  // the last step ended going forward
      if (seen_.kind == StepKind::countdown) play(cue::kGo);
      if (seen_.kind == StepKind::metronome || seen_.phase == CapturePhase::live) play(cue::kDone);
    }
    if (j.stage() == Stage::results && seen_.stage != Stage::results) play(cue::kDone);
    if (s && !s->sound.empty() && s->kind != StepKind::countdown && s->kind != StepKind::metronome) play(s->sound);
    seen_ = {j.stage(), j.steps_shown(), j.steps_answered(), s ? s->kind : StepKind::instruct, CapturePhase::ready, 0,
             -1};
  }
  seen_.answered = j.steps_answered();
  if (!s) return out;

  const auto phase = j.capture_phase();
  if (s->kind == StepKind::capture && phase == CapturePhase::live && seen_.phase != CapturePhase::live) play(cue::kGo);
  if (s->kind == StepKind::capture && phase == CapturePhase::ended && seen_.phase == CapturePhase::live)
    play(cue::kDone);
  if (phase != seen_.phase) seen_.digit = 0, seen_.beat = -1;
  seen_.phase = phase;
  const auto c = clocked(j);
  if (c.left_s > 0) {
    const int digit = static_cast<int>(std::ceil(c.left_s));
    if (digit != seen_.digit) play(own_or(s, cue::kTick));
    seen_.digit = digit;
  }
  if (c.beat_s >= 0 && c.bpm > 0) {
    const auto beat = static_cast<long>(std::floor(c.beat_s * c.bpm / 60));
    if (beat > seen_.beat) play(own_or(s, cue::kBeat));
    seen_.beat = beat;
  }
  return out;
}

double CueTracker::seconds_to_next(const Journey& j) const {
  const auto c = clocked(j);
  if (c.left_s > 0) return c.left_s - std::ceil(c.left_s) + 1;  // to the next whole second left
  if (c.beat_s >= 0 && c.bpm > 0) {
    const double period = 60 / c.bpm;
    return period - std::fmod(c.beat_s, period);
  }
  return -1;
}

}  // namespace kiosk::journey
