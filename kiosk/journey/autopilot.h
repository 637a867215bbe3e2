// Does what a person would do on the journey's current screen, with the
// answers from a session answers file (the `kioskctl session run` format:
// "knee_to_wall.left.distance_cm": 8 or [7, 8.5]). For the README's
// screenshot gallery (`kiosk --gallery`) and the journey tests. Captures are
// started and the caller's ticks run them; a capture the person ends
// (heel_contact) gets Done after 5 s of plate time.
#pragma once
#include <string>

#include "journey/journey.h"
#include "script/answers.h"

namespace kiosk::journey {

// What a person would do next, before anyone does it: applied to the model
// directly (Autopilot::act, the gallery) or pressed on the screen through
// injected input (ui::InputDriver, the input-driven UI tests).
struct PilotAction {
  enum Kind { choose_language, accept_welcome, answer, attempts, start_capture, finish_capture, wait, next };
  Kind kind = wait;
  session::Answer value{};       // the language or visit code (text), the answer, or the attempts
  bool finish_attempts = false;  // attempts: fewer than offered, then "no more tries"
};

class Autopilot {
 public:
  explicit Autopilot(script::AnswerBook answers, std::string visit_code = {})
      : answers_(std::move(answers)), visit_code_(std::move(visit_code)) {}

  // One action on the current screen. False when it cannot act: the
  // answers have no entry for the question (problem() names the key), or
  // the journey refused the answer, or it is back on the attract screen.
  bool act(Journey& journey);
  // The action act() would take, without taking it; nullopt (and problem()) when there is none.
  std::optional<PilotAction> decide(const Journey& journey);
  const std::string& problem() const { return problem_; }
  // The last act() only waited (a capture counting in or running).
  bool waited() const { return waited_; }

 private:
  std::optional<PilotAction> decide_answer(const Journey& journey, const script::Step& step);
  std::string language() const;  // the answers' "lang", else "en"
  bool apply(Journey& journey, const PilotAction& action);

  script::AnswerBook answers_;
  std::string visit_code_;
  std::string problem_;
  bool waited_ = false;
};

}  // namespace kiosk::journey
