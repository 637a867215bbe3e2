#include "script/runner_lua.h"

#include <fmt/format.h>
#include <lua.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>
#include <type_traits>
#include <variant>

#include "core/session/session_json.h"
#include "script/api_version.h"
#include "script/runner.h"
#include "script/sandbox.h"

namespace kiosk::script::detail {
namespace {

constexpr const char* kTestKey = "kiosk.run.test";      // registry: the table the script returned
constexpr const char* kThreadKey = "kiosk.run.thread";  // registry: the run(t) coroutine

enum class Got { missing, ok, wrong };

int raw_get(lua_State* L, int t, const char* key) {
  lua_pushstring(L, key);
  return lua_rawget(L, t);
}

bool id_char(char c, bool dotted) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (dotted && c == '.');
}
bool valid_id(std::string_view s, bool dotted) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!id_char(c, dotted)) return false;
  return true;
}

const char* type_name(lua_State* L, int idx) { return lua_typename(L, lua_type(L, idx)); }

Got get_number(lua_State* L, int t, const char* key, double& out) {
  const int type = raw_get(L, t, key);
  Got got = Got::missing;
  if (type == LUA_TNUMBER) {
    out = lua_tonumber(L, -1);
    got = std::isfinite(out) ? Got::ok : Got::wrong;
  } else if (type != LUA_TNIL) {
    got = Got::wrong;
  }
  lua_pop(L, 1);
  return got;
}

Got get_string(lua_State* L, int t, const char* key, std::string& out) {
  const int type = raw_get(L, t, key);
  Got got = Got::missing;
  if (type == LUA_TSTRING) {
    size_t n = 0;
    const char* s = lua_tolstring(L, -1, &n);
    out.assign(s, n);
    got = Got::ok;
  } else if (type != LUA_TNIL) {
    got = Got::wrong;
  }
  lua_pop(L, 1);
  return got;
}

// "plain text" or {en = "...", es = "..."} at idx.
bool read_text(lua_State* L, int idx, LocalText& out) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n = 0;
    const char* s = lua_tolstring(L, idx, &n);
    out.by_lang["en"].assign(s, n);
    return true;
  }
  if (lua_type(L, idx) != LUA_TTABLE) return false;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    size_t kn = 0, vn = 0;
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 2);
      return false;
    }
    const char* k = lua_tolstring(L, -2, &kn);
    const char* v = lua_tolstring(L, -1, &vn);
    if (kn != 2) {
      lua_pop(L, 2);
      return false;
    }
    out.by_lang[std::string(k, kn)].assign(v, vn);
    lua_pop(L, 1);
  }
  return !out.by_lang.empty();
}

Got get_text(lua_State* L, int t, const char* key, LocalText& out) {
  const int type = raw_get(L, t, key);
  Got got = Got::missing;
  if (type != LUA_TNIL) got = read_text(L, -1, out) ? Got::ok : Got::wrong;
  lua_pop(L, 1);
  return got;
}

// The first key of table t not in `allowed` (nullptr-terminated), into `out`.
bool unknown_field(lua_State* L, int t, const char* const* allowed, std::string& out) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      out = fmt::format("a {} key", type_name(L, -1));
      lua_pop(L, 1);
      return true;
    }
    const char* key = lua_tostring(L, -1);
    bool ok = false;
    for (const char* const* a = allowed; *a && !ok; ++a) ok = std::strcmp(*a, key) == 0;
    if (!ok) {
      out.assign(key);
      lua_pop(L, 1);
      return true;
    }
  }
  return false;
}

void problem(RunExchange& ex, std::string text, int line = 0) { ex.problems.push_back({std::move(text), line}); }

// --- steps ------------------------------------------------------------------

const char* const* fields_for(StepKind kind) {
  static const char* const instruct[] = {"kind", "text", "illustration", "sound", nullptr};
  static const char* const ask[] = {"kind", "text",     "illustration", "sound",          "id",   "min", "max", "step",
                                    "unit", "attempts", "input",        "red_flag_above", nullptr};
  static const char* const choose[] = {"kind", "text", "illustration", "sound", "id", "options", "red_flag", nullptr};
  static const char* const confirm[] = {"kind", "text", "illustration", "sound", "id", "red_flag", nullptr};
  static const char* const countdown[] = {"kind", "text", "illustration", "sound", "seconds", nullptr};
  static const char* const metronome[] = {"kind", "text", "illustration", "sound", "seconds", "bpm", nullptr};
  static const char* const capture[] = {"kind", "text", "illustration", "sound", "seconds",
                                        "side", "view", "detector",     "bpm",   nullptr};
  switch (kind) {
    case StepKind::ask_number:
      return ask;
    case StepKind::choose:
      return choose;
    case StepKind::confirm:
      return confirm;
    case StepKind::countdown:
      return countdown;
    case StepKind::metronome:
      return metronome;
    case StepKind::capture:
      return capture;
    default:
      return instruct;
  }
}

bool read_options(lua_State* L, int t, Step& step, RunExchange& ex) {
  if (raw_get(L, t, "options") != LUA_TTABLE) {
    lua_pop(L, 1);
    problem(ex, "choose needs 'options', a list of {value = \"...\", text = ...}");
    return false;
  }
  const int opts = lua_gettop(L);
  const auto n = lua_rawlen(L, opts);
  if (n == 0 || n > 50) {
    lua_pop(L, 1);
    problem(ex, "'options' must list 1 to 50 choices");
    return false;
  }
  for (lua_Integer i = 1; i <= static_cast<lua_Integer>(n); ++i) {
    ChoiceOption option;
    const bool is_table = lua_rawgeti(L, opts, i) == LUA_TTABLE;
    const int o = lua_gettop(L);
    const bool good = is_table && get_string(L, o, "value", option.value) == Got::ok &&
                      get_text(L, o, "text", option.text) == Got::ok;
    lua_pop(L, 1);
    if (!good) {
      lua_pop(L, 1);
      problem(ex, fmt::format("options[{}] must be {{value = \"...\", text = ...}}", i));
      return false;
    }
    step.options.push_back(std::move(option));
  }
  lua_pop(L, 1);
  return true;
}

// choose { red_flag = {"under-18"} }: option values that raise a red flag.
bool read_choice_flags(lua_State* L, int t, Step& step, RunExchange& ex) {
  const int type = raw_get(L, t, "red_flag");
  const int list = lua_gettop(L);
  bool good = type == LUA_TNIL || type == LUA_TTABLE;
  const auto n = type == LUA_TTABLE ? lua_rawlen(L, list) : 0;
  for (lua_Integer i = 1; good && i <= static_cast<lua_Integer>(n); ++i) {
    std::string value;
    good = lua_rawgeti(L, list, i) == LUA_TSTRING;
    if (good) value = lua_tostring(L, -1);
    lua_pop(L, 1);
    good = good && std::any_of(step.options.begin(), step.options.end(),
                               [&](const ChoiceOption& o) { return o.value == value; });
    if (good) step.red_flag.values.push_back(std::move(value));
  }
  lua_pop(L, 1);
  if (!good)
    problem(ex, fmt::format("choose '{}': 'red_flag' must list option values, e.g. {{\"under-18\"}}", step.id));
  return good;
}

// Decodes and checks the step table at `t` into ex.step; problems into ex.
void decode_step(lua_State* L, int t, RunExchange& ex) {
  Step& step = ex.step;
  if (lua_type(L, t) != LUA_TTABLE) {
    problem(ex, fmt::format("yielded a {}, not a step; use the kiosk.* step functions", type_name(L, t)));
    return;
  }
  std::string text;
  if (get_string(L, t, "kind", text) != Got::ok) {
    problem(ex, "a step needs a 'kind' (use the kiosk.* step functions)");
    return;
  }
  const auto kind = step_kind_from(text);
  if (!kind) {
    problem(ex, fmt::format("unknown step kind '{}'", text));
    return;
  }
  step.kind = *kind;
  if (unknown_field(L, t, fields_for(step.kind), text)) {
    problem(ex, fmt::format("{} step: unknown field '{}'", to_string(step.kind), text));
    return;
  }
  const Got got_text = get_text(L, t, "text", step.text);
  if (got_text == Got::wrong ||
      (got_text == Got::missing && step.kind != StepKind::countdown && step.kind != StepKind::capture &&
       step.kind != StepKind::result && step.kind != StepKind::metronome)) {
    problem(ex, fmt::format("{} step needs 'text': a string or {{en = \"...\", es = \"...\"}}", to_string(step.kind)));
    return;
  }
  if (get_string(L, t, "illustration", step.illustration) == Got::wrong ||
      get_string(L, t, "sound", step.sound) == Got::wrong) {
    problem(ex, "'illustration' and 'sound' must be asset ids (strings)");
    return;
  }
  if (is_question(step.kind)) {
    if (get_string(L, t, "id", step.id) != Got::ok || !valid_id(step.id, true)) {
      problem(ex, fmt::format("{} step needs an 'id' of a-z, 0-9, _ and . (the ask id)", to_string(step.kind)));
      return;
    }
  }
  double number = 0;
  switch (step.kind) {
    case StepKind::ask_number: {
      if (get_number(L, t, "min", step.min) != Got::ok || get_number(L, t, "max", step.max) != Got::ok ||
          step.min > step.max) {
        problem(ex, fmt::format("ask_number '{}' needs numbers 'min' <= 'max'", step.id));
        return;
      }
      const Got got_step = get_number(L, t, "step", step.step);
      if (got_step == Got::wrong || step.step <= 0) {
        problem(ex, fmt::format("ask_number '{}': 'step' must be a number above 0", step.id));
        return;
      }
      const Got got_attempts = get_number(L, t, "attempts", number);
      if (got_attempts == Got::wrong ||
          (got_attempts == Got::ok && (number < 1 || number > 10 || number != std::floor(number)))) {
        problem(ex, fmt::format("ask_number '{}': 'attempts' must be a whole number 1 to 10", step.id));
        return;
      }
      if (got_attempts == Got::ok) step.attempts = static_cast<int>(number);
      const Got got_flag = get_number(L, t, "red_flag_above", number);
      if (got_flag == Got::wrong) {
        problem(ex, fmt::format("ask_number '{}': 'red_flag_above' must be a number", step.id));
        return;
      }
      if (got_flag == Got::ok) step.red_flag.above = number;
      if (get_string(L, t, "unit", step.unit) == Got::wrong || get_string(L, t, "input", step.input) == Got::wrong ||
          (step.input != "keypad" && step.input != "timer")) {
        problem(ex, fmt::format("ask_number '{}': 'unit' is a string; 'input' is \"keypad\" or \"timer\"", step.id));
        return;
      }
      break;
    }
    case StepKind::choose:
      if (!read_options(L, t, step, ex) || !read_choice_flags(L, t, step, ex)) return;
      break;
    case StepKind::confirm: {
      const int type = raw_get(L, t, "red_flag");
      if (type == LUA_TBOOLEAN) step.red_flag.when = lua_toboolean(L, -1) != 0;
      lua_pop(L, 1);
      if (type != LUA_TNIL && type != LUA_TBOOLEAN) {
        problem(ex,
                fmt::format("confirm '{}': 'red_flag' is the answer that raises a red flag: true (yes) or false (no)",
                            step.id));
        return;
      }
      break;
    }
    case StepKind::countdown:
    case StepKind::metronome:
    case StepKind::capture:
      if (get_number(L, t, "seconds", step.seconds) != Got::ok || step.seconds <= 0 || step.seconds > 600) {
        problem(ex, fmt::format("{} step needs 'seconds' from 0 to 600", to_string(step.kind)));
        return;
      }
      if (step.kind == StepKind::metronome &&
          (get_number(L, t, "bpm", step.bpm) != Got::ok || step.bpm < 20 || step.bpm > 240)) {
        problem(ex, "metronome step needs 'bpm' from 20 to 240");
        return;
      }
      if (step.kind == StepKind::capture) {
        if (get_string(L, t, "side", step.side) != Got::ok ||
            (step.side != "left" && step.side != "right" && step.side != "both")) {
          problem(ex, "capture step needs 'side': \"left\", \"right\" or \"both\"");
          return;
        }
        if (get_string(L, t, "detector", step.detector) != Got::ok || !valid_id(step.detector, false)) {
          problem(ex, "capture step needs a 'detector' name (a-z, 0-9, _)");
          return;
        }
        if (get_string(L, t, "view", step.view) == Got::wrong) {
          problem(ex, "capture step: 'view' must be a string");
          return;
        }
        const Got got_bpm = get_number(L, t, "bpm", step.bpm);
        if (got_bpm == Got::wrong || (got_bpm == Got::ok && (step.bpm < 20 || step.bpm > 240))) {
          problem(ex, "capture step: 'bpm' (a metronome while recording) must be 20 to 240");
          return;
        }
      }
      break;
    default:
      break;
  }
}

// --- results ------------------------------------------------------------------

bool read_id_list(lua_State* L, int t, const char* key, std::vector<std::string>& out, RunExchange& ex) {
  const int type = raw_get(L, t, key);
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return true;
  }
  if (type != LUA_TTABLE) {
    lua_pop(L, 1);
    problem(ex, fmt::format("'{}' must be a list of ids", key));
    return false;
  }
  const int list = lua_gettop(L);
  const auto n = lua_rawlen(L, list);
  for (lua_Integer i = 1; i <= static_cast<lua_Integer>(n); ++i) {
    size_t len = 0;
    const char* s = lua_rawgeti(L, list, i) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
    bool good = s != nullptr && len > 0 && len <= 64;
    for (size_t k = 0; good && k < len; ++k) good = id_char(s[k], true) || s[k] == ':';
    if (good) out.emplace_back(s, len);
    lua_pop(L, 1);
    if (!good) {
      lua_pop(L, 1);
      problem(ex, fmt::format("{}[{}] must be an id (a-z, 0-9, _, ., :)", key, i));
      return false;
    }
  }
  lua_pop(L, 1);
  return true;
}

void decode_result(lua_State* L, int t, RunExchange& ex) {
  if (lua_type(L, t) != LUA_TTABLE) {
    problem(ex, fmt::format("run(t) returned a {}; it must return the result table", type_name(L, t)));
    return;
  }
  static const char* const allowed[] = {"measures", "findings", "flags", "interpretation", nullptr};
  std::string text;
  if (unknown_field(L, t, allowed, text)) {
    problem(ex, fmt::format("unknown field '{}' in the result", text));
    return;
  }
  if (!read_id_list(L, t, "findings", ex.result.findings, ex) || !read_id_list(L, t, "flags", ex.result.flags, ex))
    return;
  if (get_text(L, t, "interpretation", ex.result.interpretation) == Got::wrong) {
    problem(ex, "'interpretation' must be text: a string or {en = \"...\", es = \"...\"}");
    return;
  }
  const int type = raw_get(L, t, "measures");
  if (type == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if (type != LUA_TTABLE) {
    lua_pop(L, 1);
    problem(ex, "'measures' must be a list of {id =, side =, value =, unit =}");
    return;
  }
  const int list = lua_gettop(L);
  const auto n = lua_rawlen(L, list);
  static const char* const measure_fields[] = {"id", "side", "value", "unit", nullptr};
  for (lua_Integer i = 1; i <= static_cast<lua_Integer>(n); ++i) {
    Measure m;
    const bool is_table = lua_rawgeti(L, list, i) == LUA_TTABLE;
    const int e = lua_gettop(L);
    bool good = is_table && !unknown_field(L, e, measure_fields, text) && get_string(L, e, "id", m.id) == Got::ok &&
                valid_id(m.id, false) && get_number(L, e, "value", m.value) == Got::ok &&
                get_string(L, e, "unit", m.unit) != Got::wrong;
    const Got side = good ? get_string(L, e, "side", m.side) : Got::wrong;
    good = good && side != Got::wrong && (m.side.empty() || m.side == "left" || m.side == "right");
    lua_pop(L, 1);
    if (!good) {
      lua_pop(L, 1);
      problem(ex, fmt::format("measures[{}] must be {{id = \"...\", side = \"left\"|\"right\"|nil, "
                              "value = <number>, unit = \"...\"}}",
                              i));
      return;
    }
    ex.result.measures.push_back(std::move(m));
  }
  lua_pop(L, 1);
}

// --- chart = kiosk.chart { ... } ----------------------------------------------

// One end of the norm zone at idx: a number, or {["18-39"] = 43, ...}.
bool read_bound(lua_State* L, int idx, ChartSpec::Bound& out) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) == LUA_TNUMBER) {
    out.all = lua_tonumber(L, idx);
    return std::isfinite(*out.all);
  }
  if (lua_type(L, idx) != LUA_TTABLE) return false;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    const bool good =
        lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TNUMBER && std::isfinite(lua_tonumber(L, -1));
    if (good) out.by_age_band[lua_tostring(L, -2)] = lua_tonumber(L, -1);
    lua_pop(L, 1);
    if (!good) {
      lua_pop(L, 1);
      return false;
    }
  }
  return !out.by_age_band.empty();
}

// Every value one end gives, with the age band it is for ("" = everyone).
std::vector<std::pair<std::string, double>> bound_values(const ChartSpec::Bound& b) {
  std::vector<std::pair<std::string, double>> out;
  if (b.all) out.emplace_back("", *b.all);
  for (const auto& [band, v] : b.by_age_band) out.emplace_back(band, v);
  return out;
}

// The zone's ends against the scale and each other, band by band.
void check_norm(const ChartSpec& c, const std::function<void(std::string)>& bad) {
  for (auto [name, bound] : {std::pair{"from", &c.norm_from}, {"to", &c.norm_to}})
    for (const auto& [band, v] : bound_values(*bound))
      if (v < c.scale_min || v > c.scale_max)
        return bad(fmt::format("norm.{}{}: {} is outside the scale {} to {}", name,
                               band.empty() ? "" : fmt::format("[\"{}\"]", band), v, c.scale_min, c.scale_max));
  std::set<std::string> bands;
  for (const auto* b : {&c.norm_from, &c.norm_to})
    for (const auto& [band, v] : b->by_age_band) bands.insert(band);
  if (bands.empty()) bands.insert("");
  for (const auto& band : bands)
    if (auto zone = norm_zone(c, band); zone && zone->from >= zone->to)
      return bad(fmt::format("norm{}: 'from' ({}) must be below 'to' ({})",
                             band.empty() ? "" : fmt::format(" for age band \"{}\"", band), zone->from, zone->to));
}

// The spec table at s (what kiosk.chart was given) into c; the first problem to bad().
void read_chart_spec(lua_State* L, int s, ChartSpec& c, const std::vector<std::string>& findings,
                     const std::function<void(std::string)>& bad) {
  static const char* const fields[] = {"measure",           "unit",      "scale", "better", "norm",
                                       "measurement_error", "asymmetry", nullptr};
  std::string text;
  if (unknown_field(L, s, fields, text)) return bad(fmt::format("unknown field '{}'", text));
  if (get_string(L, s, "measure", c.measure) != Got::ok || !valid_id(c.measure, false))
    return bad("'measure' must be the id of the sided measure run() returns, e.g. \"distance_cm\"");
  if (get_text(L, s, "unit", c.unit) != Got::ok || !c.unit.by_lang.contains("en"))
    return bad("'unit' must be text the patient reads, at least English: {en = \"raises\", es = \"elevaciones\"}");
  const bool scale_ok = raw_get(L, s, "scale") == LUA_TTABLE && lua_rawlen(L, -1) == 2 &&
                        lua_rawgeti(L, -1, 1) == LUA_TNUMBER && lua_rawgeti(L, -2, 2) == LUA_TNUMBER;
  if (scale_ok) {
    c.scale_min = lua_tonumber(L, -2);
    c.scale_max = lua_tonumber(L, -1);
  }
  lua_settop(L, s);
  if (!scale_ok || !std::isfinite(c.scale_min) || !std::isfinite(c.scale_max) || c.scale_min >= c.scale_max)
    return bad("'scale' must be {lowest, highest}, two numbers, lowest first, e.g. {0, 20}");
  std::string better;
  if (get_string(L, s, "better", better) != Got::ok || (better != "higher" && better != "lower"))
    return bad("'better' must be \"higher\" or \"lower\": which way a result improves");
  c.better = better == "higher" ? ChartSpec::Better::higher : ChartSpec::Better::lower;
  const int norm_type = raw_get(L, s, "norm");
  bool norm_ok = norm_type == LUA_TNIL;
  if (norm_type == LUA_TTABLE) {
    static const char* const ends[] = {"from", "to", nullptr};
    const int n = lua_gettop(L);
    norm_ok = !unknown_field(L, n, ends, text);
    for (auto [key, out] : {std::pair{"from", &c.norm_from}, {"to", &c.norm_to}})
      if (norm_ok && raw_get(L, n, key) != LUA_TNIL) norm_ok = read_bound(L, -1, *out);
    norm_ok = norm_ok && (c.norm_from.given() || c.norm_to.given());
  }
  lua_settop(L, s);
  if (!norm_ok)
    return bad(
        "'norm' must be {from = ..., to = ...} (one end is enough), each a number or a table by age band "
        "such as {[\"18-39\"] = 43, [\"40-49\"] = 40}");
  check_norm(c, [&](std::string why) { bad(std::move(why)); });
  double value = 0;
  const bool error_ok = raw_get(L, s, "measurement_error") == LUA_TTABLE &&
                        get_number(L, lua_gettop(L), "value", value) == Got::ok && value > 0 &&
                        get_string(L, lua_gettop(L), "source", c.measurement_error.source) == Got::ok &&
                        !c.measurement_error.source.empty();
  lua_settop(L, s);
  if (!error_ok)
    return bad(
        "'measurement_error' must be {value = <number above 0>, source = \"Author year\"} (the published "
        "error of the measure; write source = \"KIOSK DEFAULT\" when no source gives it)");
  c.measurement_error.value = value;
  if (get_string(L, s, "asymmetry", c.asymmetry_finding) == Got::wrong ||
      (!c.asymmetry_finding.empty() &&
       std::find(findings.begin(), findings.end(), c.asymmetry_finding) == findings.end()))
    return bad("'asymmetry' must be one of the script's declared 'findings' (the one that says the sides differ)");
}

// The test table's `chart` field, made by kiosk.chart: {kind = "chart", line =, spec =}.
void decode_chart(lua_State* L, int t, RunExchange& ex) {
  const int top = lua_gettop(L);
  const int type = raw_get(L, t, "chart");
  const int c = lua_gettop(L);
  std::string kind;
  double line = 0;
  if (type == LUA_TNIL) {
    lua_settop(L, top);
    return;
  }
  if (type != LUA_TTABLE || get_string(L, c, "kind", kind) != Got::ok || kind != "chart" ||
      get_number(L, c, "line", line) != Got::ok || raw_get(L, c, "spec") != LUA_TTABLE) {
    lua_settop(L, top);
    problem(ex, "'chart' must be written chart = kiosk.chart { measure = ..., ... }");
    return;
  }
  ChartSpec spec;
  spec.line = static_cast<int>(line);
  bool good = true;
  auto bad = [&](std::string why) {
    if (good) problem(ex, "chart: " + why, spec.line);
    good = false;
  };
  if (ex.info.kind != "test") bad("only a test (kind = \"test\") has a results chart");
  if (ex.info.sides.empty()) bad("a chart draws left against right: declare sides = { \"left\", \"right\" }");
  if (good) read_chart_spec(L, lua_gettop(L), spec, ex.info.findings, bad);
  lua_settop(L, top);
  if (good) ex.info.chart = std::move(spec);
}

// --- metadata -----------------------------------------------------------------

void decode_info(lua_State* L, int t, RunExchange& ex) {
  TestInfo& info = ex.info;
  if (lua_type(L, t) != LUA_TTABLE) {
    problem(ex, fmt::format("the script must return its test table (returned a {})", type_name(L, t)));
    return;
  }
  static const char* const allowed[] = {"api",   "id",       "version",        "kind", "title", "plate", "sides",
                                        "order", "findings", "refer_findings", "run",  "chart", nullptr};
  std::string text;
  if (unknown_field(L, t, allowed, text)) problem(ex, fmt::format("unknown field '{}' in the test table", text));
  double number = 0;
  if (get_number(L, t, "api", number) != Got::ok || number != std::floor(number))
    problem(ex, fmt::format("declare the API version: api = {}", kApiVersion));
  else if (number != kApiVersion)
    problem(ex, fmt::format("declares api = {}, but this kiosk runs script API {}", number, kApiVersion));
  else
    info.api = kApiVersion;
  if (get_string(L, t, "id", info.id) != Got::ok || !valid_id(info.id, false))
    problem(ex, "'id' must be the script's stable id (a-z, 0-9, _)");
  if (get_string(L, t, "version", info.version) != Got::ok || info.version.empty())
    problem(ex, "'version' must be a string such as \"1.0.0\"");
  if (get_string(L, t, "kind", info.kind) == Got::wrong ||
      (info.kind != "test" && info.kind != "screening" && info.kind != "profile"))
    problem(ex, "'kind' must be \"test\", \"screening\" or \"profile\"");
  if (get_text(L, t, "title", info.title) != Got::ok || !info.title.by_lang.contains("en"))
    problem(ex, "'title' must be text with at least English: {en = \"...\", es = \"...\"}");
  std::string plate = "none";
  if (get_string(L, t, "plate", plate) == Got::wrong) plate = "?";
  if (plate == "none")
    info.plate = PlateUse::none;
  else if (plate == "optional")
    info.plate = PlateUse::optional;
  else if (plate == "required")
    info.plate = PlateUse::required;
  else
    problem(ex, "'plate' must be \"none\", \"optional\" or \"required\"");
  const Got got_order = get_number(L, t, "order", number);
  if (got_order == Got::wrong || (got_order == Got::ok && (number != std::floor(number) || std::fabs(number) > 1e6)))
    problem(ex, "'order' must be a whole number (at most a million)");
  else if (got_order == Got::ok)
    info.order = static_cast<int>(number);
  const int sides_type = raw_get(L, t, "sides");
  if (sides_type == LUA_TTABLE) {
    const int list = lua_gettop(L);
    const auto n = lua_rawlen(L, list);
    for (lua_Integer i = 1; i <= static_cast<lua_Integer>(n); ++i) {
      size_t len = 0;
      const char* s = lua_rawgeti(L, list, i) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
      const bool good = s && (std::string_view(s, len) == "left" || std::string_view(s, len) == "right");
      if (good) info.sides.emplace_back(s, len);
      lua_pop(L, 1);
      if (!good) problem(ex, fmt::format("sides[{}] must be \"left\" or \"right\"", i));
    }
  } else if (sides_type != LUA_TNIL) {
    problem(ex, "'sides' must be a list such as {\"left\", \"right\"}");
  }
  lua_pop(L, 1);
  if (read_id_list(L, t, "findings", info.findings, ex) &&
      read_id_list(L, t, "refer_findings", info.refer_findings, ex))
    for (const auto& f : info.refer_findings)
      if (std::find(info.findings.begin(), info.findings.end(), f) == info.findings.end())
        problem(ex, fmt::format("refer_findings: '{}' is not in 'findings'", f));
  decode_chart(L, t, ex);
  if (raw_get(L, t, "run") != LUA_TFUNCTION) {
    problem(ex, "'run' must be a function: run = function(t) ... end");
    lua_pop(L, 1);
  } else {
    lua_Debug ar;
    if (lua_getinfo(L, ">S", &ar)) info.run_line = ar.linedefined;  // pops the function
  }
}

// --- host → Lua -------------------------------------------------------------

void push_json(lua_State* L, const nlohmann::json& j, int depth) {
  luaL_checkstack(L, 4, "answer nested too deeply");
  if (depth > 20) luaL_error(L, "answer nested too deeply");
  switch (j.type()) {
    case nlohmann::json::value_t::boolean:
      lua_pushboolean(L, j.get<bool>());
      break;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      lua_pushinteger(L, j.get<lua_Integer>());
      break;
    case nlohmann::json::value_t::number_float:
      lua_pushnumber(L, j.get<double>());
      break;
    case nlohmann::json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      break;
    }
    case nlohmann::json::value_t::array:
      lua_createtable(L, static_cast<int>(j.size()), 0);
      for (size_t i = 0; i < j.size(); ++i) {
        push_json(L, j[i], depth + 1);
        lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
      }
      break;
    case nlohmann::json::value_t::object:
      lua_createtable(L, 0, static_cast<int>(j.size()));
      for (auto it = j.begin(); it != j.end(); ++it) {
        lua_pushlstring(L, it.key().data(), it.key().size());
        push_json(L, it.value(), depth + 1);
        lua_rawset(L, -3);
      }
      break;
    default:
      lua_pushnil(L);
      break;
  }
}

void push_context(lua_State* L, const RunContext& c, const TestInfo& info) {
  lua_createtable(L, 0, 5);
  lua_pushlstring(L, c.lang.data(), c.lang.size());
  lua_setfield(L, -2, "lang");
  lua_pushboolean(L, c.plate);
  lua_setfield(L, -2, "plate");
  push_json(L, session::to_json(c.profile), 0);
  lua_setfield(L, -2, "profile");
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, c.clinic.min_age);
  lua_setfield(L, -2, "min_age");
  if (c.clinic.balance_skip_from_age) {
    lua_pushinteger(L, *c.clinic.balance_skip_from_age);
    lua_setfield(L, -2, "balance_skip_from_age");
  }
  lua_setfield(L, -2, "clinic");
  lua_createtable(L, static_cast<int>(info.sides.size()), 0);
  for (size_t i = 0; i < info.sides.size(); ++i) {
    lua_pushstring(L, info.sides[i].c_str());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "sides");
  lua_pushinteger(L, kApiVersion);
  lua_setfield(L, -2, "api");
}

void push_capture(lua_State* L, const std::optional<CaptureResult>& capture) {
  if (!capture) {
    lua_pushnil(L);
    return;
  }
  lua_createtable(L, 0, 2);
  lua_createtable(L, 0, static_cast<int>(capture->metrics.size()));
  for (const auto& [name, value] : capture->metrics) {
    lua_pushnumber(L, value);
    lua_setfield(L, -2, name.c_str());
  }
  lua_setfield(L, -2, "metrics");
  lua_createtable(L, static_cast<int>(capture->events.size()), 0);
  for (size_t i = 0; i < capture->events.size(); ++i) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, capture->events[i].kind.c_str());
    lua_setfield(L, -2, "kind");
    lua_pushnumber(L, capture->events[i].t_s);
    lua_setfield(L, -2, "t_s");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_setfield(L, -2, "events");
}

// Resumes co and reads what it gave back (moved to L first: a Lua error
// raised on a suspended thread would have nowhere to go).
void resume_and_read(lua_State* L, lua_State* co, int nargs, RunExchange& ex) {
  int nres = 0;
  ex.status = lua_resume(co, L, nargs, &nres);
  if (ex.status != LUA_OK && ex.status != LUA_YIELD) return;  // the error stays on co
  if (!lua_checkstack(L, nres + LUA_MINSTACK)) luaL_error(L, "step returned too many values");
  lua_xmove(co, L, nres);
  const int first = lua_gettop(L) - nres + 1;
  ex.yielded = ex.status == LUA_YIELD;
  if (ex.yielded) {
    if (nres != 1)
      problem(ex, fmt::format("yielded {} values; a step is one table (use the kiosk.* step functions)", nres));
    else
      decode_step(L, first, ex);
  } else if (nres < 1) {
    problem(ex, "run(t) returned nothing; it must return the result table");
  } else {
    decode_result(L, first, ex);
  }
  lua_settop(L, first - 1);
}

}  // namespace

void push_json_value(lua_State* L, const nlohmann::json& value) { push_json(L, value, 0); }

void push_answer(lua_State* L, const session::Answer& answer) {
  std::visit(
      [L](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          lua_pushboolean(L, v);
        } else if constexpr (std::is_same_v<T, double>) {
          lua_pushnumber(L, v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          lua_pushlstring(L, v.data(), v.size());
        } else {  // attempts: a sequence of numbers
          lua_createtable(L, static_cast<int>(v.size()), 0);
          for (size_t i = 0; i < v.size(); ++i) {
            lua_pushnumber(L, v[i]);
            lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
          }
        }
      },
      answer);
}

int load_top_level(lua_State* L) {
  auto* ex = static_cast<RunExchange*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, Sandbox::kMainChunk);
  lua_call(L, 0, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kTestKey);
  decode_info(L, lua_gettop(L), *ex);
  return 0;
}

int start_run(lua_State* L) {
  auto* ex = static_cast<RunExchange*>(lua_touserdata(L, 1));
  lua_State* co = lua_newthread(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kThreadKey);  // anchors the coroutine for the whole run
  ex->co = co;
  lua_getfield(L, LUA_REGISTRYINDEX, kTestKey);
  raw_get(L, lua_gettop(L), "run");
  lua_xmove(L, co, 1);
  lua_pop(L, 1);
  push_context(L, *ex->context, *ex->info_in);
  lua_xmove(L, co, 1);
  resume_and_read(L, co, 1, *ex);
  return 0;
}

int resume_run(lua_State* L) {
  auto* ex = static_cast<RunExchange*>(lua_touserdata(L, 1));
  if (ex->capture)
    push_capture(L, *ex->capture);
  else if (ex->answer)
    push_answer(L, *ex->answer);
  else
    lua_pushnil(L);
  lua_xmove(L, ex->co, 1);
  resume_and_read(L, ex->co, 1, *ex);
  return 0;
}

}  // namespace kiosk::script::detail
