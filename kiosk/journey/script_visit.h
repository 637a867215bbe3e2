// One script during a patient's session: its run, and every response given
// so far, in order. Scripts are deterministic functions of their responses,
// so Back is "run it again from the start and replay all but the last" —
// the script needs no notion of going back. Thread: main thread.
#pragma once
#include <memory>
#include <optional>
#include <variant>
#include <vector>

#include "script/catalogue.h"
#include "script/runner.h"

namespace kiosk::journey {

class ScriptVisit {
 public:
  using Progress = script::ScriptRun::Progress;
  struct ShownStep {};  // a step that is only shown was passed (Next, or its time ran out)
  // What the person gave at one step: passed it, answered it, or a capture (nullopt: no plate).
  using Response = std::variant<ShownStep, session::Answer, std::optional<script::CaptureResult>>;

  ScriptVisit(const script::CatalogueEntry& entry, script::SandboxOptions options, script::RunContext context);

  const script::TestInfo& info() const { return info_; }
  const Progress& begin();                     // start from the first step
  const Progress& respond(Response response);  // answer the current step
  // Replays all responses but the last. False when there is none to undo
  // (Back then leaves this script).
  bool back();
  const Progress& progress() const { return progress_; }
  bool has_responses() const { return !responses_.empty(); }
  // The answers given so far (ask id → answer as the script got it).
  session::Answers answers() const { return run_ ? run_->answers() : session::Answers{}; }

 private:
  const Progress& forward(const Response& response);

  script::CatalogueEntry entry_;
  script::SandboxOptions options_;
  script::RunContext context_;
  script::TestInfo info_;
  std::unique_ptr<script::ScriptRun> run_;
  std::vector<Response> responses_;
  Progress progress_;
};

}  // namespace kiosk::journey
