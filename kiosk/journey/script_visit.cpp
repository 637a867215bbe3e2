#include "journey/script_visit.h"

namespace kiosk::journey {

ScriptVisit::ScriptVisit(const script::CatalogueEntry& entry, script::SandboxOptions options,
                         script::RunContext context)
    : entry_(entry),
      options_(std::move(options)),
      context_(std::move(context)),
      info_(entry.info.value_or(script::TestInfo{})) {}

const ScriptVisit::Progress& ScriptVisit::begin() {
  run_ = std::make_unique<script::ScriptRun>(entry_.file, options_);
  if (auto problems = run_->load(); !problems.empty()) {
    progress_ = {std::nullopt, std::nullopt, problems.front()};
    return progress_;
  }
  progress_ = run_->start(context_);
  return progress_;
}

const ScriptVisit::Progress& ScriptVisit::forward(const Response& response) {
  if (std::holds_alternative<ShownStep>(response))
    progress_ = run_->answer(std::nullopt);
  else if (const auto* answer = std::get_if<session::Answer>(&response))
    progress_ = run_->answer(*answer);
  else
    progress_ = run_->answer_capture(std::get<std::optional<script::CaptureResult>>(response));
  return progress_;
}

const ScriptVisit::Progress& ScriptVisit::respond(Response response) {
  responses_.push_back(std::move(response));
  return forward(responses_.back());
}

bool ScriptVisit::back() {
  if (responses_.empty()) return false;
  responses_.pop_back();
  begin();
  for (const auto& r : responses_) {
    if (!progress_.step) break;  // the script changed under us; stop where it stands
    forward(r);
  }
  return true;
}

}  // namespace kiosk::journey
