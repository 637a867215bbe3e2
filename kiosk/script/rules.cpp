#include "script/rules.h"

#include <fmt/format.h>
#include <lua.hpp>
#include <nlohmann/json.hpp>

#include <cmath>

#include "script/api_version.h"
#include "script/runner_lua.h"

namespace kiosk::script {
namespace {

constexpr int kMaxDepth = 20;
constexpr std::size_t kMaxValues = 20000;  // elements in the returned value, all levels

// Data across the protected call. The callback keeps no C++ object with a
// destructor alive across a Lua call that can fail (Lua errors longjmp).
struct RulesExchange {
  std::string function;
  const std::vector<nlohmann::json>* args = nullptr;
  nlohmann::json out;
  std::string problem;  // first thing wrong with the file or the value
  std::string id, version;
  std::size_t values = 0;
};

// Lua value at idx → JSON. Uses only Lua calls that cannot raise an error
// (lua_next over keys it produced, lua_tolstring on strings only, lua_checkstack).
bool to_json(lua_State* L, int idx, nlohmann::json& out, const std::string& path, int depth, RulesExchange& ex) {
  idx = lua_absindex(L, idx);
  auto fail = [&](std::string_view what) {
    ex.problem = fmt::format("{}: {}", path.empty() ? "the returned value" : path, what);
    return false;
  };
  if (++ex.values > kMaxValues) return fail(fmt::format("more than {} values in all", kMaxValues));
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      out = nullptr;
      return true;
    case LUA_TBOOLEAN:
      out = lua_toboolean(L, idx) != 0;
      return true;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        out = static_cast<long long>(lua_tointeger(L, idx));
        return true;
      } else {
        const double v = lua_tonumber(L, idx);
        if (!std::isfinite(v)) return fail("a number that is not finite");
        out = v;
        return true;
      }
    case LUA_TSTRING: {
      size_t n = 0;
      const char* s = lua_tolstring(L, idx, &n);
      out = std::string(s, n);
      return true;
    }
    case LUA_TTABLE:
      break;
    default:
      return fail(fmt::format("a {} cannot be returned (only tables, text, numbers, true/false)",
                              lua_typename(L, lua_type(L, idx))));
  }
  if (depth >= kMaxDepth) return fail(fmt::format("nested more than {} tables deep", kMaxDepth));
  if (!lua_checkstack(L, 4)) return fail("nested too deeply");
  const lua_Unsigned len = lua_rawlen(L, idx);
  std::size_t count = 0;
  bool string_keys = false, other_keys = false;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    ++count;
    if (lua_type(L, -2) == LUA_TSTRING)
      string_keys = true;
    else if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || static_cast<lua_Unsigned>(lua_tointeger(L, -2)) > len)
      other_keys = true;
    lua_pop(L, 1);
  }
  if (other_keys || (string_keys && count != 0 && len > 0))
    return fail("a table mixing list items and named fields (or with holes)");
  if (!string_keys) {
    out = nlohmann::json::array();
    for (lua_Unsigned i = 1; i <= len; ++i) {
      lua_rawgeti(L, idx, static_cast<lua_Integer>(i));
      nlohmann::json item;
      const bool ok = to_json(L, -1, item, fmt::format("{}[{}]", path, i), depth + 1, ex);
      lua_pop(L, 1);
      if (!ok) return false;
      out.push_back(std::move(item));
    }
    return true;
  }
  out = nlohmann::json::object();
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t n = 0;
    const char* k = lua_tolstring(L, -2, &n);  // a string key: no conversion, no allocation
    std::string key(k, n);
    nlohmann::json item;
    const bool ok = to_json(L, -1, item, path.empty() ? key : path + "." + key, depth + 1, ex);
    lua_pop(L, 1);
    if (!ok) {
      lua_pop(L, 1);
      return false;
    }
    out[key] = std::move(item);
  }
  return true;
}

bool raw_string(lua_State* L, int t, const char* key, std::string& out) {
  lua_pushstring(L, key);
  const bool is = lua_rawget(L, t) == LUA_TSTRING;
  if (is) out = lua_tostring(L, -1);
  lua_pop(L, 1);
  return is;
}

constexpr const char* kTableKey = "kiosk.rules.table";  // registry: what the file returned
constexpr const char* kExtraKey = "kiosk.rules.extra";  // registry: the argument given to every call

// Runs the file's top level, checks what it returned and keeps it in the registry.
int load_table(lua_State* L) {
  auto* ex = static_cast<RulesExchange*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, Sandbox::kMainChunk);
  lua_call(L, 0, 1);
  if (!lua_istable(L, -1)) {
    ex->problem = "the file must return a table: { api = 1, id = ..., version = ..., <function> = ... }";
    return 0;
  }
  const int t = lua_gettop(L);
  lua_pushstring(L, "api");
  lua_rawget(L, t);
  const bool api_ok = lua_isinteger(L, -1) && lua_tointeger(L, -1) == kApiVersion;
  lua_pop(L, 1);
  if (!api_ok) {
    ex->problem = fmt::format("api must be {} (this kiosk's script API)", kApiVersion);
    return 0;
  }
  if (!raw_string(L, t, "id", ex->id) || !raw_string(L, t, "version", ex->version)) {
    ex->problem = "id and version must be text, e.g. id = \"handout\", version = \"1.0.0\"";
    return 0;
  }
  lua_setfield(L, LUA_REGISTRYINDEX, kTableKey);
  return 0;
}

// Calls the kept table's function with the arguments (and the extra one, if any).
int call_function(lua_State* L) {
  auto* ex = static_cast<RulesExchange*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, kTableKey);
  const int t = lua_gettop(L);
  lua_pushlstring(L, ex->function.data(), ex->function.size());
  if (lua_rawget(L, t) != LUA_TFUNCTION) {
    ex->problem = fmt::format("'{}' must be a function", ex->function);
    return 0;
  }
  for (const auto& arg : *ex->args) detail::push_json_value(L, arg);
  const bool extra = lua_getfield(L, LUA_REGISTRYINDEX, kExtraKey) != LUA_TNIL;
  if (!extra) lua_pop(L, 1);
  lua_call(L, static_cast<int>(ex->args->size()) + (extra ? 1 : 0), 1);
  nlohmann::json value;
  if (to_json(L, -1, value, "", 0, *ex)) ex->out = std::move(value);
  return 0;
}

struct HasFunction {
  std::string function;
  bool found = false;
};

int has_function_in_table(lua_State* L) {
  auto* q = static_cast<HasFunction*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, kTableKey);
  lua_pushlstring(L, q->function.data(), q->function.size());
  q->found = lua_rawget(L, -2) == LUA_TFUNCTION;
  return 0;
}

int keep_extra(lua_State* L) {
  const auto* arg = static_cast<const nlohmann::json*>(lua_touserdata(L, 1));
  detail::push_json_value(L, *arg);
  lua_setfield(L, LUA_REGISTRYINDEX, kExtraKey);
  return 0;
}

}  // namespace

RulesRunner::RulesRunner(std::filesystem::path file, SandboxOptions options)
    : file_(std::move(file)), options_(std::move(options)) {}

RulesRunner::~RulesRunner() = default;

std::optional<ScriptError> RulesRunner::load() {
  loaded_ = false;
  try {
    sandbox_ = std::make_unique<Sandbox>(options_);
    sandbox_->set_main_file(file_);
    if (auto err = sandbox_->load_file(file_)) return err;
    RulesExchange ex;
    if (auto err = sandbox_->protect(load_table, &ex)) return err;
    if (!ex.problem.empty()) return ScriptError{file_.string(), 0, ex.problem};
    id_ = ex.id;
    version_ = ex.version;
    loaded_ = true;
    return std::nullopt;
  } catch (const std::exception& e) {
    return ScriptError{file_.string(), 0, e.what()};
  }
}

std::optional<ScriptError> RulesRunner::set_extra_arg(const nlohmann::json& value) {
  if (!loaded_) return ScriptError{file_.string(), 0, "set_extra_arg() before load()"};
  extra_ = std::make_shared<const nlohmann::json>(value);
  return sandbox_->protect(keep_extra, const_cast<nlohmann::json*>(extra_.get()));
}

RulesCall RulesRunner::call(std::string_view function, const std::vector<nlohmann::json>& args) {
  RulesCall call;
  call.id = id_;
  call.version = version_;
  if (!loaded_) {
    call.error = ScriptError{file_.string(), 0, "call() before a successful load()"};
    return call;
  }
  if (sandbox_->killed()) {  // the last call ran out of time: its lua_State fails at every line now
    const auto extra = extra_;
    if (auto err = load()) {
      call.error = std::move(err);
      return call;
    }
    if (extra) set_extra_arg(*extra);
  }
  try {
    RulesExchange ex;
    ex.function = function;
    ex.args = &args;
    if (auto err = sandbox_->protect(call_function, &ex)) {
      call.error = std::move(err);
      return call;
    }
    if (!ex.problem.empty()) {
      call.error = ScriptError{file_.string(), 0, fmt::format("{}(): {}", function, ex.problem)};
      return call;
    }
    call.value = std::make_shared<const nlohmann::json>(std::move(ex.out));
  } catch (const std::exception& e) {
    call.error = ScriptError{file_.string(), 0, e.what()};
  }
  return call;
}

bool RulesRunner::has_function(std::string_view function) {
  if (!loaded_) return false;
  HasFunction q{std::string(function)};
  return !sandbox_->protect(has_function_in_table, &q) && q.found;
}

std::vector<ScriptError> check_rules_file(const std::filesystem::path& file, const SandboxOptions& options) {
  RulesRunner rules(file, options);
  if (auto err = rules.load()) return {*err};
  if (!rules.has_function("plan"))
    return {ScriptError{file.string(), 0, "a rules file needs plan = function(session, library) ... end"}};
  return {};
}

RulesCall call_rules(const std::filesystem::path& file, const SandboxOptions& options, std::string_view function,
                     const std::vector<nlohmann::json>& args) {
  RulesRunner runner(file, options);
  if (auto err = runner.load()) {
    RulesCall call;
    call.error = std::move(err);
    return call;
  }
  return runner.call(function, args);
}

bool is_rules_file(const std::filesystem::path& file) { return file.filename() == "handout.lua"; }

}  // namespace kiosk::script
