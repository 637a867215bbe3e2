#include "script/run_session.h"

#include "core/log.h"
#include "script/session.h"

namespace kiosk::script {
namespace {

// The recordings for one script: "knee_to_wall.left" → side "left".
std::map<std::string, std::filesystem::path> recordings_for(const SessionInput& input, const std::string& id) {
  std::map<std::string, std::filesystem::path> out;
  for (const auto& [key, file] : input.recordings)
    if (key.rfind(id + ".", 0) == 0) out[key.substr(id.size() + 1)] = file;
  return out;
}

}  // namespace

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
    BookAnswers answers(input.answers, info.id + ".");
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
      out.session = session.session();
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
  out.session = session.session();
  out.any_unavailable = session.any_unavailable();
  return out;
}

}  // namespace kiosk::script
