// The Lua side of ScriptRun: C callbacks run under Sandbox::protect() that
// move data between Lua and C++. They write only into the RunExchange and
// keep no C++ objects with destructors alive across a Lua API call (Lua
// errors longjmp through them).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/session/session.h"
#include "script/capture.h"
#include "script/result.h"
#include "script/step.h"

struct lua_State;

namespace kiosk::script {
struct RunContext;

namespace detail {

struct RunExchange {
  // in
  const RunContext* context = nullptr;
  const TestInfo* info_in = nullptr;
  const session::Answer* answer = nullptr;  // a question's answer; null: a shown step
  const std::optional<CaptureResult>* capture = nullptr;
  lua_State* co = nullptr;  // the run(t) coroutine (set by start_run)
  // out
  int status = 0;  // lua_resume's status
  bool yielded = false;
  Step step;          // when yielded
  TestResult result;  // when run(t) returned
  TestInfo info;      // from load_top_level
  struct Problem {
    std::string text;
    int line = 0;  // 0: none known here (the caller locates it)
  };
  std::vector<Problem> problems;  // what was malformed, first first
};

int load_top_level(lua_State* L);  // main chunk → registry; metadata → info
int start_run(lua_State* L);       // new coroutine run(t); first resume
int resume_run(lua_State* L);      // push answer or capture; resume

// Pushes `value` as plain Lua data (objects and arrays as tables); raises a
// Lua error when nested more than 20 deep. Also used by script/rules.cpp.
void push_json_value(lua_State* L, const nlohmann::json& value);
// Pushes an answer as the script gets it: boolean, number, string, or a
// sequence of numbers (attempts).
void push_answer(lua_State* L, const session::Answer& answer);

}  // namespace detail
}  // namespace kiosk::script
