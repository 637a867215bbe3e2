#include "script/session.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/log.h"
#include "script/api_version.h"
#include "script/runner.h"

namespace kiosk::script {
namespace {

bool contains(const std::vector<std::string>& list, const std::string& s) {
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

SessionBuilder::SessionBuilder(std::string lang)
    : session_({{"api", kApiVersion}, {"lang", std::move(lang)}, {"stopped", false}, {"screening", nullptr},
                {"profile", nullptr}, {"tests", nlohmann::json::array()}, {"skipped", nlohmann::json::array()},
                {"unavailable", nlohmann::json::array()}, {"findings", nlohmann::json::array()}}) {}

void SessionBuilder::unavailable_in(const Catalogue& catalogue) {
  for (const auto* bad : catalogue.invalid())
    for (const auto& p : bad->problems) {
      session_["unavailable"].push_back({{"file", bad->file.string()}, {"error", p.to_string()}});
      any_unavailable_ = true;
    }
}

void SessionBuilder::unavailable(const std::filesystem::path& file, const std::string& test,
                                 const std::string& error) {
  session_["unavailable"].push_back({{"file", file.string()}, {"test", test}, {"error", error}});
  any_unavailable_ = true;
}

void SessionBuilder::skipped(const std::string& test, const std::string& reason) {
  session_["skipped"].push_back({{"test", test}, {"reason", reason}});
}

std::string SessionBuilder::skip_reason(const std::string& test) const {
  if (stopped_) return "stop_session";
  if (contains(skip_flags_, "skip:" + test)) return "skip:" + test;
  return {};
}

void SessionBuilder::finished(const TestInfo& info, const TestResult& result) {
  auto json = to_json(result, session_["lang"].get<std::string>());
  for (const auto& f : result.findings) session_["findings"].push_back(f);
  for (const auto& flag : result.flags) {
    if (flag == "stop_session") stopped_ = true;
    if (flag.rfind("skip:", 0) == 0) skip_flags_.push_back(flag);
  }
  session_["stopped"] = stopped_;
  if (info.kind == "screening") {
    session_["screening"] = std::move(json);
  } else if (info.kind == "profile") {
    profile_ = result.answers;
    session_["profile"] = std::move(json);
  } else {
    session_["tests"].push_back(std::move(json));
  }
}

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input) {
  SessionOutcome out;
  SessionBuilder session(input.lang);
  session.unavailable_in(catalogue);
  RunContext context;
  context.lang = input.lang;
  for (const auto* entry : catalogue.available()) {
    const TestInfo& info = *entry->info;
    if (const auto why = session.skip_reason(info.id); !why.empty()) {
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
      return out;
    }
    if (run.script_error) {
      // The test is unavailable; the session carries on without it.
      session.unavailable(entry->file, info.id, run.script_error->to_string());
      continue;
    }
    for (const auto& key : answers.unused_keys())
      log::get("script")->warn("session: answer '{}' was not asked for", key);
    session.finished(info, *run.result);
  }
  out.session = session.json();
  out.any_unavailable = session.any_unavailable();
  return out;
}

}  // namespace kiosk::script
