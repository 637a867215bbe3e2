#include "script/session.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "script/api_version.h"
#include "script/runner.h"

namespace kiosk::script {
namespace {
using safety::SafetyState;

constexpr std::string_view kRedFlag = "red_flag";          // brief: the screening's stable finding id
constexpr std::string_view kOneLegUnsafe = "balance_unsafe";  // brief: not safe on one leg

bool contains(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The recordings for one script: "knee_to_wall.left" → side "left".
std::map<std::string, std::filesystem::path> recordings_for(const SessionInput& input,
                                                            const std::string& id) {
  std::map<std::string, std::filesystem::path> out;
  for (const auto& [key, file] : input.recordings)
    if (key.rfind(id + ".", 0) == 0) out[key.substr(id.size() + 1)] = file;
  return out;
}

}  // namespace

SessionBuilder::SessionBuilder(std::string lang, safety::SessionSafety kept)
    : session_({{"api", kApiVersion}, {"lang", std::move(lang)}, {"screening", nullptr},
                {"profile", nullptr}, {"tests", nlohmann::json::array()}, {"skipped", nlohmann::json::array()},
                {"unavailable", nlohmann::json::array()}, {"findings", nlohmann::json::array()}}),
      safety_(std::move(kept)) {
  safety_.forget_derived();
}

void SessionBuilder::unavailable_in(const Catalogue& catalogue) {
  for (const auto* bad : catalogue.invalid())
    for (const auto& p : bad->problems) {
      session_["unavailable"].push_back({{"file", bad->file.string()}, {"error", p.to_string()}});
      any_unavailable_ = true;
    }
  if (auto why = catalogue.screening_problem(); !why.empty()) safety_.screening_failed(std::move(why));
}

void SessionBuilder::unavailable(const std::filesystem::path& file, const TestInfo& info, const std::string& error) {
  session_["unavailable"].push_back({{"file", file.string()}, {"test", info.id}, {"error", error}});
  any_unavailable_ = true;
  if (info.kind == "screening") safety_.screening_failed(error);
}

void SessionBuilder::skipped(const std::string& test, const std::string& reason) {
  session_["skipped"].push_back({{"test", test}, {"reason", reason}});
}

std::string SessionBuilder::skip_reason(const TestInfo& info) const {
  const auto state = safety_.state();
  if (state == SafetyState::red_flag) return std::string(to_string(state));
  if (info.kind == "screening") return {};
  // Fail closed: nothing but the screening runs until the session is cleared.
  if (state != SafetyState::cleared) return std::string(to_string(state));
  if (contains(skip_flags_, "skip:" + info.id)) return "skip:" + info.id;
  return {};
}

void SessionBuilder::flagged(const TestInfo& info, const std::string& ask_id, const std::string& answer,
                             const nlohmann::json& answers) {
  safety_.raise(info.id + "." + ask_id, answer, /*from_answer=*/true);
  TestResult partial;  // what was answered before the stop, for the record
  partial.test = info.id;
  partial.version = info.version;
  partial.answers = answers;
  auto json = to_json(partial, session_["lang"].get<std::string>());
  if (info.kind == "screening") session_["screening"] = std::move(json);
  else if (info.kind == "profile") session_["profile"] = std::move(json);
  else session_["tests"].push_back(std::move(json));
}

void SessionBuilder::finished(const TestInfo& info, const TestResult& result) {
  auto json = to_json(result, session_["lang"].get<std::string>());
  for (const auto& f : result.findings) {
    if (f == kRedFlag) continue;  // the session's safety says whether a flag is in force
    session_["findings"].push_back(f);
    if (f == kOneLegUnsafe) safety_.one_leg_unsafe_found();
    if (contains(info.refer_findings, f) && !contains(refer_findings_, f)) refer_findings_.push_back(f);
  }
  if (contains(result.findings, kRedFlag) || contains(result.flags, "stop_session"))
    safety_.raise(info.id, {}, /*from_answer=*/false);
  for (const auto& flag : result.flags)
    if (flag.rfind("skip:", 0) == 0) skip_flags_.push_back(flag);
  if (info.kind == "screening") {
    safety_.screening_finished();
    session_["screening"] = std::move(json);
  } else if (info.kind == "profile") {
    profile_ = result.answers;
    session_["profile"] = std::move(json);
  } else {
    session_["tests"].push_back(std::move(json));
  }
}

nlohmann::json SessionBuilder::json() const {
  auto out = session_;
  out["safety"] = to_json(safety_);
  out["stopped"] = !safety_.allows_tests();  // kept for readers of format 1
  if (safety_.state() == SafetyState::red_flag) out["findings"].push_back(kRedFlag);
  out["refer_findings"] = refer_findings_;
  return out;
}

nlohmann::json to_json(const safety::SessionSafety& s) {
  auto flags = nlohmann::json::array();
  for (const auto& f : s.flags()) {
    nlohmann::json flag{{"raised_by", f.raised_by}, {"answer", f.answer}, {"from_answer", f.from_answer}};
    if (f.overridden()) flag["override"] = {{"reason", f.override_reason}, {"at", f.override_at}};
    flags.push_back(std::move(flag));
  }
  auto excluded = nlohmann::json::array();
  for (auto n : s.excluded_needs().list()) excluded.push_back(to_string(n));
  return {{"state", to_string(s.state())},
          {"flags", flags},
          {"one_leg_unsafe", s.one_leg_unsafe()},
          {"excluded_needs", excluded},
          {"unscreened_reason", s.unscreened_reason()}};
}

safety::SessionSafety safety_from_session(const nlohmann::json& session) {
  safety::SessionSafety s;
  const auto block = session.is_object() ? session.value("safety", nlohmann::json()) : nlohmann::json();
  if (!block.is_object()) return s;  // no safety block: unscreened
  for (const auto& f : block.value("flags", nlohmann::json::array())) {
    if (!f.is_object() || !f.value("raised_by", nlohmann::json()).is_string()) continue;
    safety::RedFlag flag{f["raised_by"].get<std::string>(), f.value("answer", std::string()),
                         f.value("from_answer", false), {}, {}};
    if (const auto o = f.value("override", nlohmann::json()); o.is_object()) {
      flag.override_reason = o.value("reason", std::string());
      flag.override_at = o.value("at", std::string());
    }
    s.restore(std::move(flag));
  }
  if (block.value("one_leg_unsafe", true)) s.one_leg_unsafe_found();  // absent: the safe side
  if (block.value("state", std::string()) == to_string(SafetyState::cleared)) s.screening_finished();
  return s;
}

nlohmann::json clinic_context(const Config& config) {
  nlohmann::json out{{"min_age", config.screening_min_age}};
  if (config.balance_skip_from_age > 0) out["balance_skip_from_age"] = config.balance_skip_from_age;
  return out;
}

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input) {
  SessionOutcome out;
  SessionBuilder session(input.lang);
  session.unavailable_in(catalogue);
  RunContext context;
  context.lang = input.lang;
  context.clinic = input.clinic;
  for (const auto* entry : catalogue.available()) {
    const TestInfo& info = *entry->info;
    if (const auto why = session.skip_reason(info); !why.empty()) {
      session.skipped(info.id, why);
      continue;
    }
    JsonAnswers answers(input.answers, info.id + ".");
    std::unique_ptr<CaptureHost> captures;
    auto recs = recordings_for(input, info.id);
    if (recs.empty())
      captures = std::make_unique<NoPlate>();
    else
      captures = std::make_unique<RecordingCaptureHost>(std::move(recs), input.detectors);
    context.profile = session.profile();
    auto run = run_script(entry->file, catalogue.options_for(entry->file), context, answers, *captures);
    if (run.input_error) {
      out.input_error = std::move(run.input_error);
      out.session = session.json();
      out.safety = session.safety();
      return out;
    }
    if (run.red_flag) {
      session.flagged(info, run.red_flag->ask_id, run.red_flag->answer, run.red_flag->answers);
      continue;
    }
    if (run.script_error) {
      // The test is unavailable; the session carries on without it (a failed screening closes it).
      session.unavailable(entry->file, info, run.script_error->to_string());
      continue;
    }
    for (const auto& key : answers.unused_keys())
      log::get("script")->warn("session: answer '{}' was not asked for", key);
    session.finished(info, *run.result);
  }
  out.session = session.json();
  out.safety = session.safety();
  out.any_unavailable = session.any_unavailable();
  return out;
}

}  // namespace kiosk::script
