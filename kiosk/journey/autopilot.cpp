#include "journey/autopilot.h"

namespace kiosk::journey {

bool Autopilot::answer(Journey& j, const script::Step& step) {
  const std::string key = j.script_info()->id + "." + step.id;
  if (!answers_.contains(key)) {
    problem_ = "no answer for " + key;
    return false;
  }
  const auto& v = answers_[key];
  std::optional<std::string> refused;
  const auto offered = static_cast<std::size_t>(step.attempts);  // `step` changes once answered
  if (step.kind == script::StepKind::ask_number && offered > 1 && v.is_array() && !v.empty()) {
    for (std::size_t i = 0; i < v.size() && !refused; ++i) refused = j.enter_attempt(v[i].get<double>());
    if (!refused && v.size() < offered) refused = j.finish_attempts();
  } else {
    refused = j.answer(v);
  }
  if (refused) problem_ = *refused;
  return !refused;
}

bool Autopilot::act(Journey& j) {
  waited_ = false;
  switch (j.stage()) {
    case Stage::attract: return false;
    case Stage::language: j.choose_language(answers_.value("lang", std::string("en"))); return true;
    case Stage::welcome:
      if (auto refused = j.accept_welcome(visit_code_)) {
        problem_ = *refused;
        return false;
      }
      return true;
    case Stage::step: {
      const auto& step = *j.step();
      if (script::is_question(step.kind)) return answer(j, step);
      if (step.kind == script::StepKind::capture) {
        if (j.capture_phase() == CapturePhase::ready) {
          j.start_capture();
        } else if (j.live() && j.live()->elapsed_s() > 5 && step.detector == "heel_contact") {
          j.finish_capture();  // "Done"
        } else {
          waited_ = true;  // the caller's ticks count in and run it
        }
        return true;
      }
      j.next();  // instructions, results; countdowns and metronomes have a Done
      return true;
    }
    case Stage::results:
    case Stage::speak_to_team:
    case Stage::finished: j.next(); return true;
  }
  return false;
}

}  // namespace kiosk::journey
