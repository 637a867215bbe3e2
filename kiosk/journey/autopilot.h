// Does what a person would do on the journey's current screen, with the
// answers from a session answers file (the `kioskctl session run` format:
// "knee_to_wall.left.distance_cm": 8 or [7, 8.5]). For the README's
// screenshot gallery (`kiosk --gallery`) and the journey tests. Captures are
// started and the caller's ticks run them; a capture the person ends
// (heel_contact) gets Done after 5 s of plate time.
#pragma once
#include <nlohmann/json.hpp>

#include <string>

#include "journey/journey.h"

namespace kiosk::journey {

class Autopilot {
 public:
  explicit Autopilot(nlohmann::json answers, std::string visit_code = {})
      : answers_(std::move(answers)), visit_code_(std::move(visit_code)) {}

  // One action on the current screen. False when it cannot act: the
  // answers have no entry for the question (problem() names the key), or
  // the journey refused the answer, or it is back on the attract screen.
  bool act(Journey& journey);
  const std::string& problem() const { return problem_; }
  // The last act() only waited (a capture counting in or running).
  bool waited() const { return waited_; }

 private:
  bool answer(Journey& journey, const script::Step& step);

  nlohmann::json answers_;
  std::string visit_code_;
  std::string problem_;
  bool waited_ = false;
};

}  // namespace kiosk::journey
