#include "script/runner.h"

#include <fmt/format.h>
#include <lua.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/log.h"
#include "core/session/session_json.h"
#include "script/runner_lua.h"

namespace kiosk::script {

ScriptRun::ScriptRun(std::filesystem::path file, SandboxOptions options) : file_(std::move(file)) {
  try {
    sandbox_ = std::make_unique<Sandbox>(std::move(options));
    sandbox_->set_main_file(file_);
  } catch (const std::exception& e) {
    log::get("script")->error("sandbox did not start for {}: {}", file_.string(), e.what());
  }
}

ScriptRun::~ScriptRun() = default;

std::vector<ScriptError> ScriptRun::load() {
  if (!sandbox_) return {{file_.string(), 0, "the script sandbox did not start (see the log)"}};
  if (loaded_) return {};
  if (auto err = sandbox_->load_file(file_)) return {*err};
  detail::RunExchange ex;
  if (auto err = sandbox_->protect(detail::load_top_level, &ex)) return {*err};
  std::vector<ScriptError> problems;
  for (auto& p : ex.problems) problems.push_back({file_.string(), p.line, std::move(p.text)});
  if (problems.empty()) {
    info_ = std::move(ex.info);
    loaded_ = true;
  }
  return problems;
}

ScriptRun::Progress ScriptRun::fail(ScriptError err) {
  done_ = true;
  current_.reset();
  log::get("script")->info("script failed: {}", err.to_string());
  Progress p;
  p.error = std::move(err);
  return p;
}

ScriptRun::Progress ScriptRun::start(const RunContext& context) {
  if (!loaded_ || done_ || co_) return fail({file_.string(), 0, "start() needs a loaded script, once"});
  detail::RunExchange ex;
  ex.context = &context;
  ex.info_in = &info_;
  auto err = sandbox_->protect(detail::start_run, &ex);
  co_ = ex.co;
  return finish_resume(ex, std::move(err));
}

ScriptRun::Progress ScriptRun::answer(const std::optional<session::Answer>& value) {
  if (!current_ || done_) return fail({file_.string(), 0, "answer() with no step waiting"});
  if (current_->kind == StepKind::capture) return fail({file_.string(), 0, "a capture step takes answer_capture()"});
  if (is_question(current_->kind) && !value)
    return fail({file_.string(), 0, fmt::format("question '{}' answered with nothing", current_->id)});
  if (is_question(current_->kind)) answers_.insert_or_assign(current_->id, *value);
  current_.reset();
  detail::RunExchange ex;
  ex.co = co_;
  ex.answer = value ? &*value : nullptr;
  auto err = sandbox_->protect(detail::resume_run, &ex);
  return finish_resume(ex, std::move(err));
}

ScriptRun::Progress ScriptRun::answer_capture(const std::optional<CaptureResult>& capture) {
  if (!current_ || done_ || current_->kind != StepKind::capture)
    return fail({file_.string(), 0, "answer_capture() with no capture step waiting"});
  current_.reset();
  if (capture && capture->plate) plate_ = capture->plate;
  detail::RunExchange ex;
  ex.co = co_;
  ex.capture = &capture;
  auto err = sandbox_->protect(detail::resume_run, &ex);
  return finish_resume(ex, std::move(err));
}

ScriptRun::Progress ScriptRun::finish_resume(detail::RunExchange& ex, std::optional<ScriptError> err) {
  if (err) return fail(std::move(*err));
  if (ex.status != LUA_OK && ex.status != LUA_YIELD) return fail(sandbox_->error_from(co_, ex.status));
  if (ex.yielded) {
    ++steps_;
    if (!ex.problems.empty())
      return fail(sandbox_->located(co_, fmt::format("step {}: {}", steps_, ex.problems.front().text)));
    if (steps_ > sandbox_->limits().max_steps)
      return fail(sandbox_->located(co_, fmt::format("more than {} steps in one run", sandbox_->limits().max_steps)));
    if (is_question(ex.step.kind) && answers_.contains(ex.step.id))
      return fail(
          sandbox_->located(co_, fmt::format("ask id '{}' is asked twice in one run; each id once", ex.step.id)));
    current_ = ex.step;
    Progress p;
    p.step = std::move(ex.step);
    return p;
  }
  if (!ex.problems.empty()) return fail({file_.string(), info_.run_line, "run(t) result: " + ex.problems.front().text});
  for (const auto& f : ex.result.findings)
    if (!info_.findings.empty() && std::find(info_.findings.begin(), info_.findings.end(), f) == info_.findings.end())
      return fail({file_.string(), info_.run_line,
                   fmt::format("run(t) result: finding '{}' is not declared in the script's 'findings'", f)});
  done_ = true;
  ex.result.test = info_.id;
  ex.result.version = info_.version;
  ex.result.answers = answers_;
  ex.result.plate = plate_;
  Progress p;
  p.result = std::move(ex.result);
  return p;
}

RunOutcome run_script(const std::filesystem::path& file, const SandboxOptions& options, RunContext context,
                      AnswerSource& answers, CaptureHost& captures, TestInfo* info) {
  RunOutcome out;
  ScriptRun run(file, options);
  if (auto problems = run.load(); !problems.empty()) {
    out.script_error = problems.front();
    return out;
  }
  if (info) *info = run.info();
  context.plate = captures.plate_available();
  if (run.info().plate == PlateUse::required && !context.plate) {
    out.input_error = fmt::format("{}: this test needs a force plate (give a recording)", run.info().id);
    return out;
  }
  auto progress = run.start(context);
  while (progress.step) {
    const Step& step = *progress.step;
    try {
      if (step.kind == StepKind::capture) {
        const CaptureRequest request{step.side, step.seconds, step.view, step.detector, step.bpm};
        progress = run.answer_capture(captures.capture(request));
      } else if (is_question(step.kind)) {
        const auto given = answers.answer(step);
        if (!given) throw AnswerError(fmt::format("no answer for '{}'", answers.key_for(step)));
        auto value = normalize_answer(step, *given, answers.key_for(step));
        if (raises_red_flag(step, value)) {
          auto so_far = run.answers();
          so_far.insert_or_assign(step.id, value);
          out.red_flag = RunOutcome::Flagged{step.id, answer_text(value), std::move(so_far)};
          return out;
        }
        progress = run.answer(value);
      } else {
        answers.answer(step);  // shown; nothing to give back
        progress = run.answer(std::nullopt);
      }
    } catch (const AnswerError& e) {
      out.input_error = e.what();
      return out;
    } catch (const CaptureError& e) {
      out.input_error = e.what();
      return out;
    }
  }
  if (progress.error)
    out.script_error = std::move(progress.error);
  else
    out.result = std::move(progress.result);
  return out;
}

std::vector<ScriptError> check_script(const std::filesystem::path& file, const SandboxOptions& options,
                                      TestInfo* info) {
  ScriptRun run(file, options);
  auto problems = run.load();
  if (problems.empty() && info) *info = run.info();
  return problems;
}

}  // namespace kiosk::script
