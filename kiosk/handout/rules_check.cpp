#include "handout/rules_check.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/session/session_json.h"
#include "handout/plan.h"
#include "script/rules.h"

namespace kiosk::handout {
namespace {

using safety::SessionSafety;

constexpr std::size_t kMaxReported = 500;     // distinct problems kept for the report
constexpr std::size_t kMaxSessions = 400000;  // beyond this the check would take minutes

// One script's declared findings; every subset of them is tried.
struct FindingGroup {
  std::vector<std::string> findings, refer;
};

struct SafetyCase {
  std::string label;
  SessionSafety safety;
  bool one_leg_unsafe_finding = false;  // the screening's balance_unsafe is in the findings
};

// The states that must get no plan first, so a check that stops early has tried them.
std::vector<SafetyCase> safety_cases() {
  std::vector<SafetyCase> out;
  SessionSafety cleared;
  cleared.screening_finished();
  SessionSafety flagged = cleared;
  flagged.raise("screening.night_pain", "yes", true);
  out.push_back({"red_flag", flagged});
  SessionSafety unscreened;
  unscreened.screening_failed("screening.lua:1: broken on purpose");
  out.push_back({"unscreened", unscreened});
  SessionSafety unsafe = cleared;
  unsafe.one_leg_unsafe_found();
  out.push_back({"cleared, not safe on one leg", unsafe, true});
  out.push_back({"cleared", cleared});
  SessionSafety by_answer = cleared;
  by_answer.raise("screening.numbness", "yes", true);
  by_answer.override_flags(safety::override_reasons().front(), "2026-01-01T00:00:00Z");
  out.push_back({"cleared by a staff override of an answer's red flag", by_answer});
  SessionSafety by_result = cleared;
  by_result.raise("screening", "", false);
  by_result.override_flags(safety::override_reasons().front(), "2026-01-01T00:00:00Z");
  out.push_back({"cleared by a staff override of a script's red flag", by_result});
  return out;
}

// The profile answers the rules may read; a session takes the n-th in turn.
nlohmann::json profile_answers(std::size_t n) {
  static const char* sides[] = {"left", "right", "both"};
  static const char* ages[] = {"18-39", "40-49", "50-59", "60-69", "70-79", "80+"};
  static const int weeks[] = {2, 20};
  static const int km[] = {0, 30, 120};
  return {{"painful_side", sides[n % 3]},
          {"pain_weeks", weeks[(n / 3) % 2]},
          {"shoe_change", (n / 6) % 2 == 1},
          {"age_band", ages[(n / 12) % 6]},
          {"weekly_km", km[(n / 72) % 3]},
          {"recent_jump", false},
          {"sex", "skip"}};
}
constexpr std::size_t kProfileCycle = 12;  // side × weeks × shoe: each occurs with every finding set

// Measures that agree with the findings, so the rules' start rungs (which
// read reps, distances and times) are tried too; `n` picks among the values.
nlohmann::json measures_for(const std::vector<std::string>& findings, std::size_t n) {
  auto has = [&](const std::string& f) { return std::find(findings.begin(), findings.end(), f) != findings.end(); };
  static const double low_reps[] = {3, 9, 15}, fine_reps[] = {22, 30};
  static const double stiff_cm[] = {3, 8}, low_s[] = {8, 30};
  auto test = [&](const char* id, const char* measure, const char* prefix, auto low, auto fine) {
    nlohmann::json m = nlohmann::json::array();
    for (const char* side : {"left", "right"})
      m.push_back({{"id", measure}, {"side", side}, {"value", has(std::string(prefix) + side) ? low : fine}});
    return nlohmann::json{{"test", id}, {"measures", m}};
  };
  return {test("heel_raise", "reps", "calf_capacity_low_", low_reps[n % 3], fine_reps[(n / 3) % 2]),
          test("knee_to_wall", "distance_cm", "dorsiflexion_restricted_", stiff_cm[(n / 6) % 2], 12.0),
          test("single_leg_balance", "stance_s", "balance_below_norm_", low_s[(n / 12) % 2], 45.0)};
}

std::vector<FindingGroup> finding_groups(const script::Catalogue& catalogue) {
  std::vector<FindingGroup> out;
  for (const auto* e : catalogue.available()) {
    if (e->info->kind == "screening" || e->info->findings.empty()) continue;  // screening: the safety cases
    out.push_back({e->info->findings, e->info->refer_findings});
  }
  return out;
}

std::string describe(const SafetyCase& c, const std::vector<std::string>& findings, const nlohmann::json& profile) {
  return fmt::format("{}; findings: {}; profile: painful_side={} pain_weeks={} shoe_change={} age_band={} weekly_km={}",
                     c.label, findings.empty() ? "none" : fmt::format("{}", fmt::join(findings, ", ")),
                     profile["painful_side"].get<std::string>(), profile["pain_weeks"].get<int>(),
                     profile["shoe_change"].get<bool>() ? "yes" : "no", profile["age_band"].get<std::string>(),
                     profile["weekly_km"].get<int>());
}

PlanLimits read_limits(script::RulesRunner& rules, RulesCheck& report) {
  PlanLimits limits;
  auto call = rules.call("limits", {});
  if (call.error || !call.value || !call.value->is_object()) return limits;
  const auto& v = *call.value;
  limits.min_exercises = v.value("min_exercises", limits.min_exercises);
  limits.max_exercises = std::min(v.value("max_exercises", limits.max_exercises), static_cast<int>(kMaxExercises));
  limits.max_daily_minutes = v.value("max_daily_minutes", limits.max_daily_minutes);
  report.limits_declared = true;
  return limits;
}

class Checker {
 public:
  Checker(const HandoutAssets& assets, script::RulesRunner& rules, RulesCheck& report)
      : assets_(assets), rules_(rules), report_(report) {}

  void check(const SafetyCase& c, const std::vector<std::string>& findings, const std::vector<std::string>& refer,
             std::size_t n, std::size_t variant) {
    auto profile = profile_answers(n);
    if (variant % 3 == 0) profile["sex"] = "female";  // the menopause line
    static const int pain_now[] = {2, 6};
    auto all = findings;
    if (c.one_leg_unsafe_finding) all.push_back("balance_unsafe");
    if (c.safety.state() == safety::SafetyState::red_flag) all.push_back("red_flag");
    const nlohmann::json session{{"api", 1},
                                 {"lang", "en"},
                                 {"findings", all},
                                 {"refer_findings", refer},
                                 {"tests", measures_for(findings, variant / 2)},
                                 {"screening", {{"answers", {{"pain_now", pain_now[variant % 2]}}}}},
                                 {"profile", {{"answers", profile}}},
                                 {"safety", session::to_json(c.safety)},
                                 {"stopped", !c.safety.allows_tests()}};
    ++report_.sessions;
    std::vector<std::string> problems;
    std::optional<Plan> plan;
    const auto call = rules_.call("plan", {session});
    try {
      if (call.error) throw PlanError(call.error->to_string());
      plan = decode_plan(assets_, *call.value, "en");
      problems = plan_violations(assets_, *plan, c.safety, refer, report_.limits);
    } catch (const PlanError& e) {
      problems.push_back(fmt::format("the rules failed: {}", e.what()));
    }
    if (plan) {
      if (c.safety.allows_tests())
        for (const auto& ex : plan->exercises) ++report_.card_use[ex.card->id];
      Plan guarded = *plan;
      hold_to_safety(assets_, guarded, c.safety, refer);
      PlanLimits any;  // the guard answers for safety, not for counts or minutes
      any.min_exercises = 0;
      any.max_daily_minutes = 1e9;
      if (!plan_violations(assets_, guarded, c.safety, refer, any).empty()) ++report_.unsafe_after_guard;
    }
    if (problems.empty()) return;
    ++report_.violating_sessions;
    const auto label = describe(c, all, profile);
    for (auto& p : problems) {
      auto it = std::find_if(report_.violations.begin(), report_.violations.end(),
                             [&](const RulesCheck::Violation& v) { return v.problem == p; });
      if (it != report_.violations.end())
        ++it->times;
      else if (report_.violations.size() < kMaxReported)
        report_.violations.push_back({std::move(p), label, 1});
    }
  }

 private:
  const HandoutAssets& assets_;
  script::RulesRunner& rules_;
  RulesCheck& report_;
};

}  // namespace

RulesCheck check_rules(const HandoutAssets& assets, const std::filesystem::path& rules_file,
                       const script::Catalogue& catalogue, std::size_t stop_after) {
  RulesCheck report;
  // An offline check, not a patient waiting: a call may take 2 s (a loaded machine must not fail it).
  auto options = assets.sandbox;
  options.limits.cpu_per_resume = std::max(options.limits.cpu_per_resume, std::chrono::milliseconds(2000));
  script::RulesRunner rules(rules_file, options);
  if (auto err = rules.load()) {
    report.error = err->to_string();
    return report;
  }
  if (auto err = rules.set_extra_arg(assets.library.rules_view())) {
    report.error = err->to_string();
    return report;
  }
  report.limits = read_limits(rules, report);
  const auto groups = finding_groups(catalogue);
  std::size_t combos = 1;
  for (const auto& g : groups) combos <<= g.findings.size();
  const auto cases = safety_cases();
  report.finding_combinations = combos;
  if (combos * cases.size() > kMaxSessions) {
    report.error =
        fmt::format("{} finding combinations are too many to try (the scripts declare too many findings)", combos);
    return report;
  }
  Checker checker(assets, rules, report);
  for (const auto& c : cases)
    for (std::size_t combo = 0; combo < combos; ++combo) {
      std::vector<std::string> findings, refer;
      std::size_t bit = 0;
      for (const auto& g : groups)
        for (const auto& f : g.findings)
          if (combo & (std::size_t{1} << bit++)) {
            findings.push_back(f);
            if (std::find(g.refer.begin(), g.refer.end(), f) != g.refer.end()) refer.push_back(f);
          }
      checker.check(c, findings, refer, combo % (kProfileCycle * 6 * 3), combo % 47);
      if (stop_after > 0 && report.violating_sessions >= stop_after) return report;
    }
  return report;
}

}  // namespace kiosk::handout
