// Clinician-editable rules scripts (e.g. scripts/handout.lua) run in the
// same sandbox as the assessment scripts: same allow-listed globals, CPU
// deadline, memory cap and `require` from the scripts' lib/. A rules file
// returns
//   { api = 1, id = "handout", version = "1.0.0", plan = function(session, library) ... end }
// and the host calls one named function with plain data (JSON → Lua tables)
// and gets plain data back (Lua tables → JSON). One fresh lua_State per call.
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/sandbox.h"
#include "script/script_error.h"

namespace kiosk::script {

struct RulesCall {
  // What the function returned. Lua → JSON: strings, finite numbers,
  // booleans; a table with keys 1..n is a list, with string keys an object;
  // an empty table is an empty list. Null when the call failed. Shared
  // (immutable) so this header needs only json_fwd.hpp.
  std::shared_ptr<const nlohmann::json> value;
  std::optional<ScriptError> error;  // file:line: message (also for a bad return value)
  std::string id, version;           // the rules file's own id and version
};

// One rules file loaded once for many calls (kioskctl handout check runs
// plan() on thousands of sessions). Each call has its own CPU deadline; the
// lua_State lives as long as the runner, except that a call the deadline
// killed leaves a dead state behind: the next call starts a fresh one.
// Thread: one thread at a time.
class RulesRunner {
 public:
  RulesRunner(std::filesystem::path file, SandboxOptions options);
  ~RulesRunner();
  // Reads the file, runs its top level and checks it (api, id, version).
  std::optional<ScriptError> load();
  // An argument appended to every later call (e.g. the exercise library), converted once.
  std::optional<ScriptError> set_extra_arg(const nlohmann::json& value);
  RulesCall call(std::string_view function, const std::vector<nlohmann::json>& args);
  // Whether the loaded file's table has this function (without calling it).
  bool has_function(std::string_view function);
  const std::string& version() const { return version_; }

 private:
  std::filesystem::path file_;
  SandboxOptions options_;
  std::unique_ptr<Sandbox> sandbox_;
  std::string id_, version_;
  bool loaded_ = false;
  std::shared_ptr<const nlohmann::json> extra_;  // kept to set again when a fresh sandbox is needed
};

// Loads `file`, checks its api, calls `function(args...)` once. Loading and
// the call each have one CPU deadline (options.limits.cpu_per_resume).
RulesCall call_rules(const std::filesystem::path& file, const SandboxOptions& options, std::string_view function,
                     const std::vector<nlohmann::json>& args);

// `kioskctl script check` on a rules file: it loads, declares api, id and
// version, and has a `plan` function. Every problem as file:line: message.
std::vector<ScriptError> check_rules_file(const std::filesystem::path& file, const SandboxOptions& options);

// Rules files live beside the assessment scripts but are not tests: the
// catalogue skips them. Today: handout.lua.
bool is_rules_file(const std::filesystem::path& file);

}  // namespace kiosk::script
