// A whole assessment headless: screening, profile, then every available
// test, in catalogue order. The session's safety (core/safety) decides what
// may run: the screening always; the profile and the tests only while the
// session is `cleared`. Screening flags still steer ("skip:<id>" skips a
// test); profile answers become t.profile.
#pragma once
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/safety/session_safety.h"
#include "script/capture.h"
#include "script/catalogue.h"

namespace kiosk::script {

struct SessionInput {
  nlohmann::json answers = nlohmann::json::object();  // "knee_to_wall.left.distance_cm": value
  // "knee_to_wall.left" → recording file (served by the detectors)
  std::map<std::string, std::filesystem::path> recordings;
  DetectorTable detectors;
  std::string lang = "en";
  nlohmann::json clinic = nlohmann::json::object();  // t.clinic (RunContext::clinic)
};

struct SessionOutcome {
  // {"api","lang","stopped","safety","screening","profile","tests":[...],"skipped":[...],
  //  "unavailable":[...],"findings":[...],"refer_findings":[...]} — the handout reads this.
  nlohmann::json session;
  safety::SessionSafety safety;
  std::optional<std::string> input_error;  // bad answers or recordings: names the key
  bool any_unavailable = false;            // a script failed (listed in "unavailable")
};

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input);

// The clinic's settings scripts see as t.clinic ({min_age, balance_skip_from_age}).
nlohmann::json clinic_context(const Config& config);

// The session JSON above, assembled as scripts finish — one home for its
// shape, used headless (run_session) and by the kiosk's patient journey,
// which rebuilds it after every answer from a SessionSafety it keeps (so a
// red flag survives Back).
class SessionBuilder {
 public:
  explicit SessionBuilder(std::string lang, safety::SessionSafety kept = {});
  void unavailable_in(const Catalogue& catalogue);  // lists every invalid script; a broken screen: unscreened
  void unavailable(const std::filesystem::path& file, const TestInfo& info, const std::string& error);
  void skipped(const std::string& test, const std::string& reason);
  void finished(const TestInfo& info, const TestResult& result);
  // An answer raised its question's declared red flag (the script stopped
  // there); `answers`: every answer up to and with it, kept in the record.
  void flagged(const TestInfo& info, const std::string& ask_id, const std::string& answer,
               const nlohmann::json& answers);

  // Why `info` should not run now ("red_flag", "unscreened", "skip:<id>"), or "" to run it.
  std::string skip_reason(const TestInfo& info) const;
  // Profile answers, for the tests' norms (t.profile).
  const nlohmann::json& profile() const { return profile_; }
  bool any_unavailable() const { return any_unavailable_; }
  const safety::SessionSafety& safety() const { return safety_; }
  nlohmann::json json() const;

 private:
  nlohmann::json session_;
  nlohmann::json profile_ = nlohmann::json::object();
  std::vector<std::string> skip_flags_, refer_findings_;
  safety::SessionSafety safety_;
  bool any_unavailable_ = false;
};

// The session's safety as stored in its JSON ("safety"), and back. Reading
// fails closed: a missing, unknown or inconsistent block is never `cleared`.
nlohmann::json to_json(const safety::SessionSafety& safety);
safety::SessionSafety safety_from_session(const nlohmann::json& session);

}  // namespace kiosk::script
