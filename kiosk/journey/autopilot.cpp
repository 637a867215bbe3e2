#include "journey/autopilot.h"

namespace kiosk::journey {

std::optional<PilotAction> Autopilot::decide_answer(const Journey& j, const script::Step& step) {
  const std::string key = j.script_info()->id + "." + step.id;
  if (!answers_.contains(key)) {
    problem_ = "no answer for " + key;
    return std::nullopt;
  }
  const auto& v = answers_[key];
  const auto offered = static_cast<std::size_t>(step.attempts);
  if (step.kind == script::StepKind::ask_number && offered > 1 && v.is_array() && !v.empty())
    return PilotAction{PilotAction::attempts, v, v.size() < offered};
  return PilotAction{PilotAction::answer, v, false};
}

std::optional<PilotAction> Autopilot::decide(const Journey& j) {
  waited_ = false;
  switch (j.stage()) {
    case Stage::attract: return std::nullopt;
    case Stage::language: return PilotAction{PilotAction::choose_language, answers_.value("lang", std::string("en")), false};
    case Stage::welcome: return PilotAction{PilotAction::accept_welcome, visit_code_, false};
    case Stage::step: {
      const auto& step = *j.step();
      if (script::is_question(step.kind)) return decide_answer(j, step);
      if (step.kind == script::StepKind::capture) {
        if (j.capture_phase() == CapturePhase::ready) return PilotAction{PilotAction::start_capture, {}, false};
        if (j.live() && j.live()->elapsed_s() > 5 && step.detector == "heel_contact")
          return PilotAction{PilotAction::finish_capture, {}, false};  // "Done"
        waited_ = true;  // the caller's ticks count in and run it
        return PilotAction{PilotAction::wait, {}, false};
      }
      return PilotAction{PilotAction::next, {}, false};  // instructions, results; countdowns and metronomes have a Done
    }
    case Stage::results:
    case Stage::speak_to_team:
    case Stage::finished: return PilotAction{PilotAction::next, {}, false};
  }
  return std::nullopt;
}

bool Autopilot::apply(Journey& j, const PilotAction& a) {
  std::optional<std::string> refused;
  switch (a.kind) {
    case PilotAction::choose_language: j.choose_language(a.value.get<std::string>()); break;
    case PilotAction::accept_welcome: refused = j.accept_welcome(a.value.get<std::string>()); break;
    case PilotAction::answer: refused = j.answer(a.value); break;
    case PilotAction::attempts:
      for (std::size_t i = 0; i < a.value.size() && !refused; ++i) refused = j.enter_attempt(a.value[i].get<double>());
      if (!refused && a.finish_attempts) refused = j.finish_attempts();
      break;
    case PilotAction::start_capture: j.start_capture(); break;
    case PilotAction::finish_capture: j.finish_capture(); break;
    case PilotAction::wait: break;
    case PilotAction::next: j.next(); break;
  }
  if (refused) problem_ = *refused;
  return !refused;
}

bool Autopilot::act(Journey& j) {
  const auto action = decide(j);
  return action && apply(j, *action);
}

}  // namespace kiosk::journey
