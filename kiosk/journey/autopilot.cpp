#include "journey/autopilot.h"

namespace kiosk::journey {

std::optional<PilotAction> Autopilot::decide_answer(const Journey& j, const script::Step& step) {
  const std::string key = j.script_info()->id + "." + step.id;
  const auto* given = answers_.find(key);
  if (!given) {
    problem_ = "no answer for " + key;
    return std::nullopt;
  }
  if (const auto* bad = std::get_if<script::UnreadableAnswer>(given)) {
    problem_ = "the answer for " + key + " is not an answer: " + bad->json_text;
    return std::nullopt;
  }
  const auto& v = std::get<session::Answer>(*given);
  const auto offered = static_cast<std::size_t>(step.attempts);
  const auto* tries = std::get_if<std::vector<double>>(&v);
  if (step.kind == script::StepKind::ask_number && offered > 1 && tries && !tries->empty())
    return PilotAction{PilotAction::attempts, v, tries->size() < offered};
  return PilotAction{PilotAction::answer, v, false};
}

std::string Autopilot::language() const {
  const auto* given = answers_.find("lang");
  const auto* word = given ? std::get_if<session::Answer>(given) : nullptr;
  const auto* lang = word ? std::get_if<std::string>(word) : nullptr;
  return lang ? *lang : "en";
}

std::optional<PilotAction> Autopilot::decide(const Journey& j) {
  waited_ = false;
  switch (j.stage()) {
    case Stage::attract:
      return std::nullopt;
    case Stage::language:
      return PilotAction{PilotAction::choose_language, language(), false};
    case Stage::welcome:
      return PilotAction{PilotAction::accept_welcome, visit_code_, false};
    case Stage::step: {
      const auto& step = *j.step();
      if (script::is_question(step.kind)) return decide_answer(j, step);
      if (step.kind == script::StepKind::capture) {
        if (j.capture_phase() == CapturePhase::ready) return PilotAction{PilotAction::start_capture};
        if (j.live() && j.live()->elapsed_s() > 5 && step.detector == "heel_contact")
          return PilotAction{PilotAction::finish_capture};  // "Done"
        waited_ = true;                                     // the caller's ticks count in and run it
        return PilotAction{PilotAction::wait};
      }
      return PilotAction{PilotAction::next};  // instructions, results; countdowns and metronomes have a Done
    }
    case Stage::results:
    case Stage::speak_to_team:
    case Stage::finished:
      return PilotAction{PilotAction::next};
  }
  return std::nullopt;
}

bool Autopilot::apply(Journey& j, const PilotAction& a) {
  std::optional<std::string> refused;
  switch (a.kind) {
    case PilotAction::choose_language:
      j.choose_language(std::get<std::string>(a.value));
      break;
    case PilotAction::accept_welcome:
      refused = j.accept_welcome(std::get<std::string>(a.value));
      break;
    case PilotAction::answer:
      refused = j.answer(a.value);
      break;
    case PilotAction::attempts:
      for (double v : std::get<std::vector<double>>(a.value)) {
        if (refused) break;
        refused = j.enter_attempt(v);
      }
      if (!refused && a.finish_attempts) refused = j.finish_attempts();
      break;
    case PilotAction::start_capture:
      j.start_capture();
      break;
    case PilotAction::finish_capture:
      j.finish_capture();
      break;
    case PilotAction::wait:
      break;
    case PilotAction::next:
      j.next();
      break;
  }
  if (refused) problem_ = *refused;
  return !refused;
}

bool Autopilot::act(Journey& j) {
  const auto action = decide(j);
  return action && apply(j, *action);
}

}  // namespace kiosk::journey
