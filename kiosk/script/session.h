// A whole assessment headless: screening, profile, then every available
// test, in catalogue order. Screening flags steer it ("stop_session" ends
// it; "skip:<id>" skips a test); profile answers become t.profile.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// The session JSON above, assembled as scripts finish — one home for its
// shape, used headless (run_session) and by the kiosk's patient journey.
// Screening flags steer what follows: "stop_session", "skip:<id>".
class SessionBuilder {
 public:
  explicit SessionBuilder(std::string lang);
  void unavailable_in(const Catalogue& catalogue);  // lists every invalid script
  void unavailable(const std::filesystem::path& file, const std::string& test, const std::string& error);
  void skipped(const std::string& test, const std::string& reason);
  void finished(const TestInfo& info, const TestResult& result);

  bool stopped() const { return stopped_; }
  // Why `test` should not run now ("stop_session", "skip:<id>"), or "" to run it.
  std::string skip_reason(const std::string& test) const;
  // Profile answers, for the tests' norms (t.profile).
  const nlohmann::json& profile() const { return profile_; }
  bool any_unavailable() const { return any_unavailable_; }
  const nlohmann::json& json() const { return session_; }

 private:
  nlohmann::json session_;
  nlohmann::json profile_ = nlohmann::json::object();
  std::vector<std::string> skip_flags_;
  bool stopped_ = false;
  bool any_unavailable_ = false;
};

}  // namespace kiosk::script
