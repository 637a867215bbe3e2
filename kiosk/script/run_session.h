// A whole assessment headless (`kioskctl session run`, tests, the fleet
// bench): screening, profile, then every available test, in catalogue
// order, with answers and recordings from files. The session's shape and
// its safety rules are script::SessionBuilder's.
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/session/session.h"
#include "script/answers.h"
#include "script/capture.h"
#include "script/catalogue.h"
#include "script/runner.h"

namespace kiosk::script {

struct SessionInput {
  AnswerBook answers;  // the answers file (AnswerBook::from_json): "knee_to_wall.left.distance_cm": value
  // "knee_to_wall.left" → recording file (served by the detectors)
  std::map<std::string, std::filesystem::path> recordings;
  DetectorTable detectors;
  std::string lang = "en";
  ClinicSettings clinic;  // t.clinic (clinic_context)
};

struct SessionOutcome {
  session::Session session;                // what the handout, the store and the exports read
  std::optional<std::string> input_error;  // bad answers or recordings: names the key
  bool any_unavailable = false;            // a script failed (listed in session.unavailable)
};

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input);

}  // namespace kiosk::script
