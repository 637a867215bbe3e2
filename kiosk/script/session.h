// The session record, assembled as scripts finish: one home for its shape,
// used headless (script/run_session.h) and by the kiosk's patient journey,
// which rebuilds it after every answer from a SessionSafety it keeps (so a
// red flag survives Back). The session's safety (core/safety) decides what
// may run: the screening always; the profile and the tests only while the
// session is `cleared`. Screening flags still steer ("skip:<id>" skips a
// test); profile answers become t.profile.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/session/session.h"
#include "script/catalogue.h"
#include "script/runner.h"

namespace kiosk::script {

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
               const session::Answers& answers);

  // Why `info` should not run now ("red_flag", "unscreened", "skip:<id>"), or "" to run it.
  std::string skip_reason(const TestInfo& info) const;
  // Profile answers, for the tests' norms (t.profile).
  const session::Answers& profile() const { return profile_; }
  bool any_unavailable() const { return any_unavailable_; }
  const safety::SessionSafety& safety() const { return session_.safety; }
  // The session so far; its findings carry "red_flag" while a flag is in force.
  session::Session session() const;

 private:
  session::Session session_;
  session::Answers profile_;
  std::vector<std::string> skip_flags_;
  bool any_unavailable_ = false;
};

// The clinic's settings scripts see as t.clinic.
ClinicSettings clinic_context(const Config& config);

}  // namespace kiosk::script
