#include "handout/plan.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "core/log.h"
#include "core/session/session_json.h"
#include "handout/chart_rows.h"
#include "handout/plan_safety.h"
#include "script/rules.h"

namespace kiosk::handout {
namespace {

// Reads the rules' value, naming the first bad field: "exercises[2].side: ...".
struct Decoder {
  const HandoutAssets& assets;
  std::string file;

  [[noreturn]] void fail(std::string_view where, std::string_view what) const {
    throw PlanError(fmt::format("{}: plan(): {}: {}", file, where, what));
  }
  const nlohmann::json& need(const nlohmann::json& obj, const std::string& where, const char* key) const {
    if (!obj.is_object() || !obj.contains(key)) fail(where.empty() ? key : where + "." + key, "missing");
    return obj.at(key);
  }
  double number(const nlohmann::json& v, std::string_view where, double lo, double hi) const {
    if (!v.is_number() || v.get<double>() < lo || v.get<double>() > hi)
      fail(where, fmt::format("must be a number from {} to {}", lo, hi));
    return v.get<double>();
  }
  std::vector<std::string> ids(const nlohmann::json& v, std::string_view where, std::string_view text_prefix) const {
    if (!v.is_array()) fail(where, "must be a list of ids");
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const auto at = fmt::format("{}[{}]", where, i + 1);
      if (!v[i].is_string()) fail(at, "must be an id (text)");
      out.push_back(v[i].get<std::string>());
      if (!text_prefix.empty() && !assets.texts.has("en", fmt::format("{}.{}", text_prefix, out.back())))
        fail(at, fmt::format("no text \"{}.{}\" in assets/handout/en.toml", text_prefix, out.back()));
    }
    return out;
  }

  Dose dose(const nlohmann::json& v, const std::string& where, const Dose& fallback) const {
    if (v.is_null()) return fallback;
    if (!v.is_object()) fail(where, "must be a table {sets = ..., reps = ...}");
    Dose d;
    d.sets = static_cast<int>(number(need(v, where, "sets"), where + ".sets", 1, 20));
    auto opt = [&](const char* key, double hi, double& out) {
      if (v.contains(key)) out = number(v.at(key), where + "." + key, 1, hi);
    };
    opt("reps", 100, d.reps);
    opt("reps_max", 100, d.reps_max);
    opt("hold_s", 300, d.hold_s);
    opt("hold_s_max", 300, d.hold_s_max);
    opt("minutes", 20, d.minutes);
    opt("minutes_max", 20, d.minutes_max);
    d.rep_s = v.contains("rep_s") ? number(v.at("rep_s"), where + ".rep_s", 1, 20) : fallback.rep_s;
    d.rest_s = v.contains("rest_s") ? number(v.at("rest_s"), where + ".rest_s", 0, 300) : fallback.rest_s;
    if (d.reps > 0 && d.rep_s <= 0) fail(where + ".rep_s", "missing: seconds one repetition takes");
    if ((d.reps > 0) + (d.hold_s > 0) + (d.minutes > 0) != 1)
      fail(where, "give exactly one of reps, hold_s or minutes");
    d.each_side = v.value("each_side", false);
    d.each_way = v.value("each_way", false);
    return d;
  }

  PlannedExercise exercise(const nlohmann::json& v, const std::string& where) const {
    PlannedExercise ex;
    const auto& id = need(v, where, "id");
    if (!id.is_string()) fail(where + ".id", "must be an exercise id (text)");
    ex.card = assets.library.find(id.get<std::string>());
    if (!ex.card) fail(where + ".id", fmt::format("no exercise \"{}\" in assets/exercises", id.get<std::string>()));
    const auto& side = need(v, where, "side");
    ex.side = side.is_string() ? side.get<std::string>() : "";
    if (ex.side != "left" && ex.side != "right" && ex.side != "both" && ex.side != "none")
      fail(where + ".side", "must be \"left\", \"right\", \"both\" or \"none\"");
    if (ex.side != "none" && !ex.card->sided)
      fail(where + ".side", fmt::format("{} is not sided: use \"none\"", ex.card->id));
    ex.dose = dose(v.contains("dose") ? v.at("dose") : nlohmann::json(), where + ".dose", ex.card->dose);
    if (v.contains("dose") && v.at("dose").contains("extra_sets"))
      ex.extra_sets = static_cast<int>(number(v.at("dose").at("extra_sets"), where + ".dose.extra_sets", 0, 5));
    if (v.contains("because")) ex.because = ids(v.at("because"), where + ".because", "");
    if (v.contains("rung")) ex.rung = rung(v.at("rung"), where + ".rung");
    ex.minutes = dose_minutes(ex.dose, ex.extra_sets);
    return ex;
  }

  PlannedExercise::Rung rung(const nlohmann::json& v, const std::string& where) const {
    PlannedExercise::Rung r;
    const auto& ladder = need(v, where, "ladder");
    if (!ladder.is_string()) fail(where + ".ladder", "must be a ladder id (text)");
    r.ladder = ladder.get<std::string>();
    for (const char* key : {"rung.move_up.", "rung.step_down."})
      if (!assets.texts.has("en", key + r.ladder))
        fail(where + ".ladder", fmt::format("no text \"{}{}\"", key, r.ladder));
    r.of = static_cast<int>(number(need(v, where, "of"), where + ".of", 1, 20));
    r.step = static_cast<int>(number(need(v, where, "step"), where + ".step", 1, r.of));
    if (v.contains("next") && !v.at("next").is_null()) {
      const auto& next = v.at("next");
      if (next.is_string()) r.next = assets.library.find(next.get<std::string>());
      if (!r.next) fail(where + ".next", "must be an exercise id in assets/exercises");
    }
    return r;
  }

  Plan plan(const nlohmann::json& v) const {
    Plan p;
    if (!v.is_object()) fail("the returned value", "must be a table {refer = ..., exercises = ...}");
    const auto& refer = need(v, "", "refer");
    if (!refer.is_boolean()) fail("refer", "must be true or false");
    p.refer = refer.get<bool>();
    const auto& list = need(v, "", "exercises");
    if (!list.is_array()) fail("exercises", "must be a list");
    for (std::size_t i = 0; i < list.size(); ++i)
      p.exercises.push_back(exercise(list[i], fmt::format("exercises[{}]", i + 1)));
    if (p.refer && !p.exercises.empty()) fail("exercises", "must be empty when refer is true");
    if (!p.refer && (p.exercises.empty() || p.exercises.size() > kMaxExercises))
      fail("exercises", fmt::format("must hold 1 to {} exercises (got {})", kMaxExercises, p.exercises.size()));
    for (std::size_t i = 0; i < p.exercises.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (p.exercises[i].card == p.exercises[j].card)
          fail(fmt::format("exercises[{}]", i + 1), fmt::format("{} is already in the plan", p.exercises[i].card->id));
    p.advice = ids(need(v, "", "advice"), "advice", "advice");
    p.progression =
        v.contains("progression") ? ids(v.at("progression"), "progression", "progression") : std::vector<std::string>{};
    p.recheck_days = static_cast<int>(number(v.value("recheck_days", nlohmann::json(0)), "recheck_days", 0, 90));
    p.total_minutes = v.contains("total_minutes") ? number(v.at("total_minutes"), "total_minutes", 0, 120) : 0;
    if (v.contains("numbers")) {
      const auto& numbers = v.at("numbers");
      if (!numbers.is_object()) fail("numbers", "must be a table {pain_ok = 3, ...}");
      for (const auto& [name, value] : numbers.items()) p.numbers[name] = number(value, "numbers." + name, -1e6, 1e6);
    }
    if (v.contains("charts"))  // api 1's hand-written rows: the host now draws each test's declared chart
      log::get("handout")->warn(
          "{}: plan(): 'charts' is no longer read: each test's chart comes from its "
          "script's chart = kiosk.chart {{ ... }} (scripts/README.md)",
          file);
    return p;
  }
};

}  // namespace

std::string number_text(double v) {
  if (std::abs(v - std::round(v)) < 1e-9) return fmt::format("{}", static_cast<long long>(std::llround(v)));
  return fmt::format("{:.1f}", v);
}

std::string plan_text(const HandoutAssets& assets, const Plan& plan, std::string_view key) {
  std::string out(assets.texts.get(plan.lang, key));
  for (const auto& [name, value] : plan.numbers) {
    const std::string k = fmt::format("{{{}}}", name), v = number_text(value);
    for (auto at = out.find(k); at != std::string::npos; at = out.find(k, at + v.size())) out.replace(at, k.size(), v);
  }
  return out;
}

std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values) {
  std::string out(text);
  for (const auto& [name, value] : values) {
    const std::string key = fmt::format("{{{}}}", name);
    for (auto at = out.find(key); at != std::string::npos; at = out.find(key, at + value.size()))
      out.replace(at, key.size(), value);
  }
  return out;
}

Plan decode_plan(const HandoutAssets& assets, const nlohmann::json& value, std::string_view lang) {
  Plan p = Decoder{assets, assets.rules_file.string()}.plan(value);
  p.lang = std::string(lang);
  return p;
}

Plan plan_from_rules(const HandoutAssets& assets, const session::Session& session, std::string_view lang) {
  auto call = script::call_rules(assets.rules_file, assets.sandbox, "plan",
                                 {session::to_json(session), assets.library.rules_view()});
  if (call.error) throw PlanError(call.error->to_string());
  Plan p = decode_plan(assets, *call.value, lang);
  p.rules_version = call.version;
  return p;
}

Plan make_plan(const HandoutAssets& assets, const session::Session& session, std::string_view lang,
               const script::ChartCatalogue& charts, const PreviousVisit* previous) {
  if (!session.safety.allows_tests()) return refer_plan(lang);
  Plan p = plan_from_rules(assets, session, lang);  // the rules see the safety the host decided
  for (const auto& fixed : hold_to_safety(assets, p, session.safety, session.refer_findings))
    log::get("handout")->warn("the rules' plan broke a safety rule, corrected: {}", fixed);
  if (!p.refer) p.charts = chart_rows(session, charts, lang, previous);  // a refer sheet shows no results
  return p;
}

std::string dose_text(const HandoutAssets& assets, const PlannedExercise& ex, std::string_view lang) {
  const Dose& d = ex.dose;
  const auto& t = assets.texts;
  auto text = [&](std::string_view key) { return std::string(t.get(lang, key)); };
  auto amount = [&](double from, double to) {
    return to > from ? fill(text("dose.range"), {{"from", number_text(from)}, {"to", number_text(to)}})
                     : number_text(from);
  };
  const std::string sets = number_text(d.sets);
  std::string out;
  if (d.reps > 0)
    out =
        fill(text(d.sets == 1 ? "dose.reps_one" : "dose.reps"), {{"sets", sets}, {"reps", amount(d.reps, d.reps_max)}});
  else if (d.hold_s > 0)
    out = fill(text(d.sets == 1 ? "dose.hold_one" : "dose.hold"),
               {{"sets", sets}, {"hold", amount(d.hold_s, d.hold_s_max)}});
  else
    out = fill(text("dose.minutes"), {{"minutes", amount(d.minutes, d.minutes_max)}});
  if (d.each_way) out += " " + text("dose.each_way");
  if (d.each_side) out += " " + text("dose.each_side");
  out += ". " + text("dose.daily");
  if (ex.extra_sets > 0 && (ex.side == "left" || ex.side == "right"))
    out += " " + fill(text(ex.extra_sets == 1 ? "dose.extra_set" : "dose.extra_sets"),
                      {{"n", number_text(ex.extra_sets)}, {"side", text("side." + ex.side)}});
  return out;
}

nlohmann::json plan_json(const HandoutAssets& assets, const Plan& plan) {
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& e : plan.exercises) {
    nlohmann::json dose = to_json(e.dose);
    dose["extra_sets"] = e.extra_sets;
    ex.push_back({{"id", e.card->id},
                  {"title", e.card->name.in(plan.lang)},
                  {"tags", e.card->tags},
                  {"kind", to_string(e.card->kind)},
                  {"dose", dose_text(assets, e, plan.lang)},
                  {"dose_numbers", dose},
                  {"side", e.side},
                  {"because", e.because},
                  {"minutes", e.minutes}});
    if (e.rung)
      ex.back()["rung"] = {{"ladder", e.rung->ladder},
                           {"step", e.rung->step},
                           {"of", e.rung->of},
                           {"next", e.rung->next ? nlohmann::json(e.rung->next->id) : nlohmann::json()},
                           {"move_up", plan_text(assets, plan, "rung.move_up." + e.rung->ladder)},
                           {"step_down", plan_text(assets, plan, "rung.step_down." + e.rung->ladder)}};
  }
  nlohmann::json advice = nlohmann::json::array();
  for (const auto& a : plan.advice) advice.push_back({{"id", a}, {"text", plan_text(assets, plan, "advice." + a)}});
  nlohmann::json charts = nlohmann::json::array();
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  for (const auto& c : plan.charts) {
    nlohmann::json row{{"test", c.test},
                       {"measure", c.measure},
                       {"title", c.title},
                       {"unit", c.unit},
                       {"scale", {c.scale_min, c.scale_max}},
                       {"left", opt(c.left)},
                       {"right", opt(c.right)},
                       {"better", c.higher_is_better ? "higher" : "lower"},
                       {"measurement_error", c.measurement_error}};
    row["zone"] = c.zone ? nlohmann::json{c.zone->from, c.zone->to} : nlohmann::json();
    if (c.difference) row["difference"] = {{"value", c.difference->value}, {"flagged", c.difference->flagged}};
    charts.push_back(std::move(row));
  }
  return {{"format", plan.format},
          {"lang", plan.lang},
          {"refer", plan.refer},
          {"exercises", ex},
          {"advice", advice},
          {"progression", plan.progression},
          {"recheck_days", plan.recheck_days},
          {"total_minutes", plan.total_minutes},
          {"charts", charts},
          {"rules_version", plan.rules_version},
          {"numbers", plan.numbers}};
}

}  // namespace kiosk::handout
