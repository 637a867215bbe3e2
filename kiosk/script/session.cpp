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

SessionOutcome run_session(const Catalogue& catalogue, const SessionInput& input) {
  SessionOutcome out;
  auto& s = out.session;
  s = {{"api", kApiVersion}, {"lang", input.lang}, {"stopped", false}, {"screening", nullptr},
       {"profile", nullptr}, {"tests", nlohmann::json::array()}, {"skipped", nlohmann::json::array()},
       {"unavailable", nlohmann::json::array()}, {"findings", nlohmann::json::array()}};
  for (const auto* bad : catalogue.invalid())
    for (const auto& p : bad->problems) {
      s["unavailable"].push_back({{"file", bad->file.string()}, {"error", p.to_string()}});
      out.any_unavailable = true;
    }

  RunContext context;
  context.lang = input.lang;
  std::vector<std::string> skip_flags;
  bool stopped = false;
  for (const auto* entry : catalogue.available()) {
    const TestInfo& info = *entry->info;
    if (stopped) {
      s["skipped"].push_back({{"test", info.id}, {"reason", "stop_session"}});
      continue;
    }
    if (contains(skip_flags, "skip:" + info.id)) {
      s["skipped"].push_back({{"test", info.id}, {"reason", "skip:" + info.id}});
      continue;
    }
    JsonAnswers answers(input.answers, info.id + ".");
    std::unique_ptr<CaptureHost> captures;
    auto recs = recordings_for(input, info.id);
    if (recs.empty())
      captures = std::make_unique<NoPlate>();
    else
      captures = std::make_unique<RecordingCaptureHost>(std::move(recs), input.detectors);
    auto run = run_script(entry->file, catalogue.options_for(entry->file), context, answers, *captures);
    if (run.input_error) {
      out.input_error = std::move(run.input_error);
      return out;
    }
    if (run.script_error) {
      // The test is unavailable; the session carries on without it.
      s["unavailable"].push_back({{"file", entry->file.string()}, {"test", info.id},
                                  {"error", run.script_error->to_string()}});
      out.any_unavailable = true;
      continue;
    }
    for (const auto& key : answers.unused_keys())
      log::get("script")->warn("session: answer '{}' was not asked for", key);
    const TestResult& result = *run.result;
    auto json = to_json(result, input.lang);
    for (const auto& f : result.findings) s["findings"].push_back(f);
    for (const auto& flag : result.flags) {
      if (flag == "stop_session") stopped = true;
      if (flag.rfind("skip:", 0) == 0) skip_flags.push_back(flag);
    }
    if (info.kind == "screening") {
      s["screening"] = std::move(json);
    } else if (info.kind == "profile") {
      context.profile = result.answers;
      s["profile"] = std::move(json);
    } else {
      s["tests"].push_back(std::move(json));
    }
  }
  s["stopped"] = stopped;
  return out;
}

}  // namespace kiosk::script
