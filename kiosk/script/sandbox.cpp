#include "script/sandbox.h"

#include <fmt/format.h>
#include <lua.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/log.h"
#include "script/pattern_cost.h"
#include "script/source_file.h"

namespace kiosk::script {
namespace {

constexpr const char* kEnvKey = "kiosk.sandbox.env";  // registry field: the scripts' _ENV
constexpr int kHookEveryInstructions = 1000;          // ~microseconds between deadline checks

Sandbox* sandbox_of(lua_State* L) { return *static_cast<Sandbox**>(lua_getextraspace(L)); }

// lua_Alloc that refuses to grow past the cap (mpv's tracking-allocator idea).
void* capped_alloc(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* budget = static_cast<Sandbox::MemoryBudget*>(ud);
  const size_t old = ptr ? osize : 0;
  if (nsize == 0) {
    std::free(ptr);
    budget->used -= old;
    return nullptr;
  }
  if (nsize > old && budget->used - old + nsize > budget->limit) {
    budget->refused = true;
    return nullptr;
  }
  void* grown = std::realloc(ptr, nsize);
  if (!grown) {
    budget->refused = true;
    return nullptr;
  }
  budget->used = budget->used - old + nsize;
  return grown;
}

void deadline_hook(lua_State* L, lua_Debug*) { sandbox_of(L)->on_hook(L); }

int on_panic(lua_State* L) {
  // Unreachable by design (every host call is protected); never continue.
  const char* msg = lua_tostring(L, -1);
  std::fprintf(stderr, "kiosk script: Lua panic outside a protected call: %s\n", msg ? msg : "?");
  std::abort();
}

// --- C functions the bootstrap hands to the sandbox (host.*) ----------------

// host.pattern_ok(subject, pattern, iterate) -> true | false, why
int host_pattern_ok(lua_State* L) {
  size_t subject_len = 0, pattern_len = 0;
  const char* subject = lua_tolstring(L, 1, &subject_len);
  const char* pattern = lua_tolstring(L, 2, &pattern_len);
  if (!subject || !pattern) {
    lua_pushboolean(L, 1);  // not strings: Lua's own function reports the type error
    return 1;
  }
  const auto use = lua_toboolean(L, 3) ? PatternUse::iterate : PatternUse::search;
  const double steps = pattern_worst_case_steps({pattern, pattern_len}, subject_len, use);
  const double limit = sandbox_of(L)->limits().max_pattern_steps;
  if (steps <= limit) {
    lua_pushboolean(L, 1);
    return 1;
  }
  char why[320];
  std::snprintf(why, sizeof why,
                "string pattern '%.40s' could take too long on a %zu-byte string "
                "(worst case %.3g steps, limit %.3g): use fewer '*', '+', '-', '?' "
                "items or a shorter string",
                pattern, subject_len, steps, limit);
  lua_pushboolean(L, 0);
  lua_pushstring(L, why);
  return 2;
}

// "norms", "tables.balance": dot-separated words of a-z, 0-9 and _, each
// starting with a letter or _ (so no "..", "/" or absolute paths).
bool valid_lib_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  bool word_start = true;
  for (char c : name) {
    const bool letter = (c >= 'a' && c <= 'z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (c == '.') {
      if (word_start) return false;
      word_start = true;
    } else if (letter || (digit && !word_start)) {
      word_start = false;
    } else {
      return false;
    }
  }
  return !word_start;
}

// Finds and reads lib `name` into sb.scratch (text) and `display`; on
// failure scratch holds "display:line: message". Plain C++: no Lua calls.
bool find_and_read_lib(Sandbox& sb, std::string_view name, std::string& display) {
  if (!valid_lib_name(name)) {
    sb.scratch = fmt::format("require: '{}' is not a lib name (lower-case letters, digits, _ and .)", name);
    return false;
  }
  std::string rel(name);
  for (auto& c : rel)
    if (c == '.') c = '/';
  rel += ".lua";
  display = "lib/" + rel;
  for (const auto& dir : sb.options().lib_dirs) {
    const auto file = dir / rel;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) continue;
    display = sb.register_chunk(file, display);
    std::string text;
    if (auto err = read_source_file(file, sb.limits().max_file_bytes, text)) {
      err->file = display;
      sb.scratch = err->to_string();
      return false;
    }
    sb.scratch = std::move(text);
    return true;
  }
  sb.scratch = fmt::format("require: no lib '{}' in the scripts' lib folder", name);
  return false;
}

// host.read_lib(name) -> text, display_name | nil, message
int host_read_lib(lua_State* L) {
  Sandbox* sb = sandbox_of(L);
  size_t len = 0;
  const char* name = luaL_checklstring(L, 1, &len);
  bool ok = false;
  {
    std::string display;  // destroyed before the Lua calls below
    ok = find_and_read_lib(*sb, {name, len}, display);
    if (ok) sb->scratch += '\0' + display;
  }
  if (!ok) {
    lua_pushnil(L);
    lua_pushlstring(L, sb->scratch.data(), sb->scratch.size());
    return 2;
  }
  const size_t split = sb->scratch.rfind('\0');
  lua_pushlstring(L, sb->scratch.data(), split);
  lua_pushstring(L, sb->scratch.c_str() + split + 1);
  return 2;
}

// host.log(text): print() from scripts goes to the "script" log at debug.
int host_log(lua_State* L) {
  size_t len = 0;
  const char* text = luaL_tolstring(L, 1, &len);
  kiosk::log::get("script")->debug("print: {}", std::string_view(text, len));
  return 0;
}

// host.caller_line() -> the line of the Lua code that called the API function
// that calls this (level 0 is this function, 1 the API function, 2 its caller).
int host_caller_line(lua_State* L) {
  lua_Debug ar;
  const bool known = lua_getstack(L, 2, &ar) && lua_getinfo(L, "l", &ar) && ar.currentline > 0;
  lua_pushinteger(L, known ? ar.currentline : 0);
  return 1;
}

int open_and_bootstrap(lua_State* L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
  luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 1);
  lua_settop(L, 0);

  Sandbox* sb = sandbox_of(L);
  if (luaL_loadbufferx(L, kSandboxBootstrapLua, std::strlen(kSandboxBootstrapLua), "=sandbox", "t") != LUA_OK)
    return lua_error(L);
  lua_createtable(L, 0, 8);  // host
  lua_pushcfunction(L, host_pattern_ok);
  lua_setfield(L, -2, "pattern_ok");
  lua_pushcfunction(L, host_read_lib);
  lua_setfield(L, -2, "read_lib");
  lua_pushcfunction(L, host_log);
  lua_setfield(L, -2, "log");
  lua_pushcfunction(L, host_caller_line);
  lua_setfield(L, -2, "caller_line");
  lua_pushstring(L, kKioskApiLua);
  lua_setfield(L, -2, "kiosk_api_source");
  lua_pushinteger(L, static_cast<lua_Integer>(sb->limits().memory_bytes));
  lua_setfield(L, -2, "memory_bytes");
  lua_pushinteger(L, static_cast<lua_Integer>(sb->limits().max_file_bytes));
  lua_setfield(L, -2, "max_load_bytes");
  lua_pushinteger(L, static_cast<lua_Integer>(sb->limits().max_table_move));
  lua_setfield(L, -2, "max_table_move");
  lua_call(L, 1, 1);  // -> env
  lua_setfield(L, LUA_REGISTRYINDEX, kEnvKey);
  return 0;
}

struct LoadRequest {
  const char* text;
  size_t size;
  const char* chunk_name;
};

int load_chunk(lua_State* L) {
  auto* req = static_cast<LoadRequest*>(lua_touserdata(L, 1));
  if (luaL_loadbufferx(L, req->text, req->size, req->chunk_name, "t") != LUA_OK) return lua_error(L);
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvKey);
  lua_setupvalue(L, -2, 1);  // a main chunk's first upvalue is _ENV
  lua_setfield(L, LUA_REGISTRYINDEX, Sandbox::kMainChunk);
  return 0;
}

// The "X:N: rest" prefix Lua puts on errors, when X is a chunk we know.
bool split_location(const Sandbox& sb, std::string_view msg, std::string& file, int& line, std::string& rest) {
  for (size_t colon = msg.find(':'); colon != std::string_view::npos; colon = msg.find(':', colon + 1)) {
    auto known = sb.file_for_chunk(msg.substr(0, colon));
    if (!known) continue;
    size_t p = colon + 1;
    int n = 0;
    while (p < msg.size() && msg[p] >= '0' && msg[p] <= '9' && n < 10000000) n = n * 10 + (msg[p++] - '0');
    if (p == colon + 1 || p >= msg.size() || msg[p] != ':') continue;
    file = *known;
    line = n;
    rest = std::string(msg.substr(p + 1));
    if (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
    return true;
  }
  return false;
}

bool has_location(const Sandbox& sb, std::string_view msg) {
  std::string file, rest;
  int line = 0;
  return split_location(sb, msg, file, line, rest);
}

// pcall message handler: while the stack is still there, prefix a message
// that has no location with the innermost line in one of our files.
int add_location(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING) return 1;
  Sandbox* sb = sandbox_of(L);
  size_t len = 0;
  const char* msg = lua_tolstring(L, 1, &len);
  if (has_location(*sb, {msg, len})) return 1;
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); ++level) {
    if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0 || ar.source[0] != '=') continue;
    if (!sb->file_for_chunk(ar.source + 1)) continue;
    lua_pushfstring(L, "%s:%d: %s", ar.source + 1, ar.currentline, msg);
    return 1;
  }
  return 1;
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : options_(std::move(options)) {
  memory_.limit = options_.limits.memory_bytes;
  L_ = lua_newstate(capped_alloc, &memory_);
  if (!L_) throw std::runtime_error("Lua could not start within the memory limit");
  *static_cast<Sandbox**>(lua_getextraspace(L_)) = this;  // copied into every new thread
  lua_atpanic(L_, on_panic);
  lua_sethook(L_, deadline_hook, LUA_MASKCOUNT, kHookEveryInstructions);
  bootstrap();
}

Sandbox::~Sandbox() {
  if (!L_) return;
  // Any Lua still run while closing (to-be-closed variables) dies at once.
  killed_ = true;
  lua_sethook(L_, deadline_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
  lua_close(L_);
}

void Sandbox::bootstrap() {
  if (auto err = protect(open_and_bootstrap, nullptr)) {
    lua_close(L_);
    L_ = nullptr;
    throw std::runtime_error("the script sandbox failed to start: " + err->message);
  }
}

void Sandbox::restart_clock() { deadline_ = std::chrono::steady_clock::now() + options_.limits.cpu_per_resume; }

void Sandbox::on_hook(lua_State* L) {
  if (!killed_) {
    if (std::chrono::steady_clock::now() < deadline_) return;
    killed_ = true;
  }
  // Once killed, fail at every instruction so pcall cannot swallow it.
  lua_sethook(L, deadline_hook, LUA_MASKCOUNT | LUA_MASKLINE, 1);
  lua_pushfstring(L, "script ran for more than %d ms without reaching a step (CPU limit)",
                  static_cast<int>(options_.limits.cpu_per_resume.count()));
  lua_error(L);
}

std::string Sandbox::register_chunk(const std::filesystem::path& file, const std::string& display) {
  std::string name = display;
  if (name.size() > LUA_IDSIZE - 8) name = "..." + file.filename().string();
  if (name.size() > LUA_IDSIZE - 8) name = name.substr(0, LUA_IDSIZE - 8);
  for (auto& entry : chunks_)
    if (entry.first == name) {
      entry.second = file.string();
      return name;
    }
  chunks_.emplace_back(name, file.string());
  return name;
}

std::optional<std::string> Sandbox::file_for_chunk(std::string_view display) const {
  for (const auto& entry : chunks_)
    if (entry.first == display) return entry.second;
  return std::nullopt;
}

std::optional<ScriptError> Sandbox::load_file(const std::filesystem::path& file) {
  std::string text;
  if (auto err = read_source_file(file, options_.limits.max_file_bytes, text)) return err;
  const std::string chunk_name = "=" + register_chunk(file, file.string());
  LoadRequest req{text.data(), text.size(), chunk_name.c_str()};
  restart_clock();
  const int top = lua_gettop(L_);
  lua_pushcfunction(L_, add_location);
  lua_pushcfunction(L_, load_chunk);
  lua_pushlightuserdata(L_, &req);
  const int status = lua_pcall(L_, 1, 0, top + 1);
  std::optional<ScriptError> err;
  if (status != LUA_OK) err = error_from(L_, status);
  lua_settop(L_, top);
  return err;
}

std::optional<ScriptError> Sandbox::protect(HostFn fn, void* ctx) {
  const int top = lua_gettop(L_);
  restart_clock();
  lua_pushcfunction(L_, add_location);
  lua_pushcfunction(L_, fn);
  lua_pushlightuserdata(L_, ctx);
  const int status = lua_pcall(L_, 1, 0, top + 1);
  std::optional<ScriptError> err;
  if (status != LUA_OK) err = error_from(L_, status);
  lua_settop(L_, top);
  return err;
}

ScriptError Sandbox::error_from(lua_State* thread, int status) {
  std::string msg;
  if (lua_type(thread, -1) == LUA_TSTRING) {
    size_t len = 0;
    const char* s = lua_tolstring(thread, -1, &len);
    msg.assign(s, len);
  } else {
    msg = fmt::format("error object is a {}, not a message", lua_typename(thread, lua_type(thread, -1)));
  }
  ScriptError err{main_file_, 0, msg};
  std::string rest;
  if (split_location(*this, msg, err.file, err.line, rest)) err.message = rest;
  if (status == LUA_ERRMEM || (memory_.refused && err.message.find("not enough memory") != std::string::npos))
    err.message =
        fmt::format("script used more than {} MiB of memory (memory limit)", options_.limits.memory_bytes >> 20);
  if (killed_ && err.message.find("CPU limit") == std::string::npos)
    err.message = fmt::format("script ran for more than {} ms without reaching a step (CPU limit)",
                              options_.limits.cpu_per_resume.count());
  if (err.line == 0) {
    ScriptError at = located(thread, err.message);
    if (at.line > 0) err = std::move(at);
  }
  if (err.file.empty()) err.file = "(script)";
  return err;
}

ScriptError Sandbox::located(lua_State* thread, std::string message) const {
  ScriptError err{main_file_.empty() ? "(script)" : main_file_, 0, std::move(message)};
  lua_Debug ar;
  for (int level = 0; lua_getstack(thread, level, &ar); ++level) {
    if (!lua_getinfo(thread, "Sl", &ar) || ar.currentline <= 0 || ar.source[0] != '=') continue;
    if (auto file = file_for_chunk(ar.source + 1)) {
      err.file = *file;
      err.line = ar.currentline;
      break;
    }
  }
  return err;
}

}  // namespace kiosk::script
