// One lua_State for one script run, locked down: an allow-listed environment,
// a memory cap, a CPU deadline per resume, `require` only from lib dirs.
// Not thread-safe: one thread (the UI thread, or kioskctl's main) owns it.
//
// Lua is C: its errors longjmp. Every Lua API call the host makes goes
// through protect(), so a memory error or a script error never escapes as a
// panic; callbacks run under it keep no C++ objects with destructors alive
// across Lua API calls.
#pragma once
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "script/limits.h"
#include "script/script_error.h"

struct lua_State;

namespace kiosk::script {

struct SandboxOptions {
  Limits limits;
  std::vector<std::filesystem::path> lib_dirs;  // where `require "name"` looks: DIR/name.lua
};

class Sandbox {
 public:
  // Throws std::runtime_error when Lua cannot start (the memory cap is too small).
  explicit Sandbox(SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  lua_State* lua() const { return L_; }
  const Limits& limits() const { return options_.limits; }

  // Reads and compiles a file; on success the chunk (with the sandbox
  // environment as its _ENV) is in the registry under kMainChunk.
  std::optional<ScriptError> load_file(const std::filesystem::path& file);

  // Calls fn(L) with `ctx` as its only argument (a light userdata) under
  // lua_pcall and a fresh CPU deadline. Leaves the stack as it found it.
  using HostFn = int (*)(lua_State*);
  static constexpr const char* kMainChunk = "kiosk.sandbox.main";
  std::optional<ScriptError> protect(HostFn fn, void* ctx);

  // Starts a new CPU deadline: now + limits().cpu_per_resume.
  void restart_clock();

  // The error on top of `thread` (after a failed pcall or resume) as
  // {file, line, message}; the line comes from the message or the stack.
  ScriptError error_from(lua_State* thread, int status);
  // `message` charged to the innermost line of one of our files on `thread`.
  ScriptError located(lua_State* thread, std::string message) const;

  // Has the CPU deadline killed this run (it then fails at every line)?
  bool killed() const { return killed_; }
  bool memory_refused() const { return memory_.refused; }
  std::size_t memory_used() const { return memory_.used; }

  // The file that errors without a location are charged to.
  void set_main_file(const std::filesystem::path& file) { main_file_ = file.string(); }

  // Internal, for the C callbacks in sandbox.cpp.
  struct MemoryBudget {
    std::size_t used = 0;
    std::size_t limit = 0;
    bool refused = false;
  };
  std::string register_chunk(const std::filesystem::path& file, const std::string& display);
  std::optional<std::string> file_for_chunk(std::string_view display) const;
  const SandboxOptions& options() const { return options_; }
  void on_hook(lua_State* L);
  std::string scratch;  // text handed from C++ to Lua across a C callback (see read_lib)

 private:
  void bootstrap();

  SandboxOptions options_;
  MemoryBudget memory_;
  lua_State* L_ = nullptr;
  std::chrono::steady_clock::time_point deadline_;
  bool killed_ = false;
  std::string main_file_;
  std::vector<std::pair<std::string, std::string>> chunks_;  // display name → file path
};

// The Lua sources the sandbox is built from (sandbox_lua.cpp).
extern const char* const kSandboxBootstrapLua;
extern const char* const kKioskApiLua;

}  // namespace kiosk::script
