#include "script/session.h"

#include <algorithm>

#include "script/api_version.h"

namespace kiosk::script {
namespace {
using safety::SafetyState;

constexpr std::string_view kRedFlag = "red_flag";             // brief: the screening's stable finding id
constexpr std::string_view kOneLegUnsafe = "balance_unsafe";  // brief: not safe on one leg

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

}  // namespace

SessionBuilder::SessionBuilder(std::string lang, safety::SessionSafety kept) {
  session_.api = kApiVersion;
  session_.lang = std::move(lang);
  session_.safety = std::move(kept);
  session_.safety.forget_derived();
}

void SessionBuilder::unavailable_in(const Catalogue& catalogue) {
  for (const auto* bad : catalogue.invalid())
    for (const auto& p : bad->problems) {
      session_.unavailable.push_back({bad->file.string(), {}, p.to_string()});
      any_unavailable_ = true;
    }
  if (auto why = catalogue.screening_problem(); !why.empty()) session_.safety.screening_failed(std::move(why));
}

void SessionBuilder::unavailable(const std::filesystem::path& file, const TestInfo& info, const std::string& error) {
  session_.unavailable.push_back({file.string(), info.id, error});
  any_unavailable_ = true;
  if (info.kind == "screening") session_.safety.screening_failed(error);
}

void SessionBuilder::skipped(const std::string& test, const std::string& reason) {
  session_.skipped.push_back({test, reason});
}

std::string SessionBuilder::skip_reason(const TestInfo& info) const {
  const auto state = session_.safety.state();
  if (state == SafetyState::red_flag) return std::string(to_string(state));
  if (info.kind == "screening") return {};
  // Fail closed: nothing but the screening runs until the session is cleared.
  if (state != SafetyState::cleared) return std::string(to_string(state));
  if (contains(skip_flags_, "skip:" + info.id)) return "skip:" + info.id;
  return {};
}

void SessionBuilder::flagged(const TestInfo& info, const std::string& ask_id, const std::string& answer,
                             const session::Answers& answers) {
  session_.safety.raise(info.id + "." + ask_id, answer, /*from_answer=*/true);
  TestResult partial;  // what was answered before the stop, for the record
  partial.test = info.id;
  partial.version = info.version;
  partial.answers = answers;
  auto part = to_part(partial, session_.lang);
  if (info.kind == "screening")
    session_.screening = std::move(part);
  else if (info.kind == "profile")
    session_.profile = std::move(part);
  else
    session_.tests.push_back(std::move(part));
}

void SessionBuilder::finished(const TestInfo& info, const TestResult& result) {
  auto part = to_part(result, session_.lang);
  for (const auto& f : result.findings) {
    if (f == kRedFlag) continue;  // the session's safety says whether a flag is in force
    session_.findings.push_back(f);
    if (f == kOneLegUnsafe) session_.safety.one_leg_unsafe_found();
    if (contains(info.refer_findings, f) && !contains(session_.refer_findings, f)) session_.refer_findings.push_back(f);
  }
  if (contains(result.findings, kRedFlag) || contains(result.flags, "stop_session"))
    session_.safety.raise(info.id, {}, /*from_answer=*/false);
  for (const auto& flag : result.flags)
    if (flag.rfind("skip:", 0) == 0) skip_flags_.push_back(flag);
  if (info.kind == "screening") {
    session_.safety.screening_finished();
    session_.screening = std::move(part);
  } else if (info.kind == "profile") {
    profile_ = result.answers;
    session_.profile = std::move(part);
  } else {
    session_.tests.push_back(std::move(part));
  }
}

session::Session SessionBuilder::session() const {
  auto out = session_;
  if (out.safety.state() == SafetyState::red_flag) out.findings.emplace_back(kRedFlag);
  return out;
}

ClinicSettings clinic_context(const Config& config) {
  ClinicSettings out;
  out.min_age = config.screening_min_age;
  if (config.balance_skip_from_age > 0) out.balance_skip_from_age = config.balance_skip_from_age;
  return out;
}

}  // namespace kiosk::script
