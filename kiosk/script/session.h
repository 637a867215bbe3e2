// A whole assessment headless: screening, profile, then every available
// test, in catalogue order. Screening flags steer it ("stop_session" ends
// it; "skip:<id>" skips a test); profile answers become t.profile.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "script/capture.h"
#include "script/catalogue.h"

namespace kiosk::script {

struct SessionInput {
  nlohmann::json answers = nlohmann::json::object();  // "knee_to_wall.left.distance_cm": value
  // "knee_to_wall.left" → recording file (served by the detectors)
  std::map<std::string, std::filesystem::path> recordings;
  DetectorTable detectors;
  std::string lang = "en";
};

struct SessionOutcome {
  // {"api","lang","stopped","screening","profile","tests":[...],"skipped":[...],
  //  "unavailable":[...],"findings":[...]} — the handout issue reads this.
  nlohmann::json session;
  std::optional<std::string> input_error;  // bad answers or recordings: names the key
  bool any_unavailable = false;            // a script failed (listed in "unavailable")
};

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input);

}  // namespace kiosk::script
