// Drives one script: load it, start run(t), serve each step it yields
// (questions from an AnswerSource, captures from a CaptureHost), collect the
// result. A fresh Sandbox (lua_State) per ScriptRun: nothing leaks between runs.
#pragma once
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "script/answers.h"
#include "script/capture.h"
#include "script/result.h"
#include "script/sandbox.h"
#include "script/step.h"

namespace kiosk::script {

namespace detail {
struct RunExchange;  // data passed across the protected Lua calls (runner.cpp)
}

// t.clinic: the clinic's settings scripts may follow (config [screening]).
struct ClinicSettings {
  int min_age = 18;                          // years
  std::optional<int> balance_skip_from_age;  // years; none: never skipped (t.clinic has no key)
};

// What a script's run(t) sees as `t`.
struct RunContext {
  std::string lang = "en";   // t.lang
  bool plate = false;        // t.plate: a plate (or recording) can capture
  session::Answers profile;  // t.profile: profile answers, e.g. age_band
  ClinicSettings clinic;     // t.clinic
};

class ScriptRun {
 public:
  ScriptRun(std::filesystem::path file, SandboxOptions options);
  ~ScriptRun();

  // Reads, compiles and runs the file's top level, then checks what it
  // returns (metadata and run). All problems, each with file and line.
  std::vector<ScriptError> load();
  const TestInfo& info() const { return info_; }

  // Where the script is: the step to serve next, or the end.
  struct Progress {
    std::optional<Step> step;          // serve this, then answer()
    std::optional<TestResult> result;  // finished well
    std::optional<ScriptError> error;  // finished badly
  };
  Progress start(const RunContext& context);
  // The answer to the current step: for a question, normalize_answer()'s
  // output; for a shown step, nullopt. A capture takes answer_capture(): a
  // CaptureResult, or nullopt (no plate).
  Progress answer(const std::optional<session::Answer>& value);
  Progress answer_capture(const std::optional<CaptureResult>& capture);
  // The answers given so far (ask id → answer as the script got it).
  const session::Answers& answers() const { return answers_; }

 private:
  Progress finish_resume(detail::RunExchange& ex, std::optional<ScriptError> err);
  Progress fail(ScriptError err);

  std::filesystem::path file_;
  std::unique_ptr<Sandbox> sandbox_;
  TestInfo info_;
  bool loaded_ = false;
  bool done_ = false;
  lua_State* co_ = nullptr;  // the run(t) coroutine, anchored in the registry
  std::optional<Step> current_;
  session::Answers answers_;
  std::optional<session::PlateUsed> plate_;  // of the last capture a plate served
  int steps_ = 0;
};

// The outcome of running a script to its end headless.
struct RunOutcome {
  std::optional<TestResult> result;
  // An answer raised the step's declared red flag: the run stopped there.
  struct Flagged {
    std::string ask_id, answer;  // "numbness", "yes"
    session::Answers answers;    // every answer up to and with the flagged one
  };
  std::optional<Flagged> red_flag;
  std::optional<ScriptError> script_error;  // the script failed: file, line, message
  std::optional<std::string> input_error;   // the answers or recordings were wrong (names the id)
};

// Runs `file` from start to end. `context.plate` is taken from `captures`.
RunOutcome run_script(const std::filesystem::path& file, const SandboxOptions& options, RunContext context,
                      AnswerSource& answers, CaptureHost& captures, TestInfo* info = nullptr);

// Loads `file` and checks it (syntax, metadata, api version) without running run().
std::vector<ScriptError> check_script(const std::filesystem::path& file, const SandboxOptions& options,
                                      TestInfo* info = nullptr);

}  // namespace kiosk::script
