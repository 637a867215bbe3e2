#include "handout/plan_safety.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace kiosk::handout {
namespace {

std::string needs_text(safety::Needs needs) {
  std::vector<std::string_view> names;
  for (auto n : needs.list()) names.push_back(to_string(n));
  return fmt::format("{}", fmt::join(names, ", "));
}

bool has(const std::vector<std::string>& list, std::string_view id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

// The lines of one section whose needs the session excludes.
std::vector<std::string> excluded_lines(const HandoutAssets& assets, std::string_view section,
                                        const std::vector<std::string>& ids, safety::Needs excluded) {
  std::vector<std::string> out;
  for (const auto& id : ids)
    if (assets.lines.of(section, id).intersects(excluded)) out.push_back(id);
  return out;
}

}  // namespace

Plan refer_plan(std::string_view lang) {
  Plan p;
  p.lang = std::string(lang);
  p.refer = true;
  p.advice = {std::string(kReferLine)};
  return p;
}

std::vector<std::string> plan_violations(const HandoutAssets& assets, const Plan& plan,
                                         const safety::SessionSafety& safety,
                                         const std::vector<std::string>& refer_findings, const PlanLimits& limits) {
  std::vector<std::string> out;
  if (!safety.allows_tests()) {
    if (!plan.exercises.empty() || !plan.refer)
      out.push_back(fmt::format("the session is {}, but the plan gives {} exercises (it must be refer = true, none)",
                                to_string(safety.state()), plan.exercises.size()));
    return out;
  }
  if (plan.refer) return out;  // a clinician may always send a cleared patient to the team
  const auto excluded = safety.excluded_needs();
  for (const auto& ex : plan.exercises)
    if (ex.card->needs.intersects(excluded))
      out.push_back(
          fmt::format("exercise {} needs {}, which this patient must not do", ex.card->id, needs_text(ex.card->needs)));
  for (const auto& id : excluded_lines(assets, "advice", plan.advice, excluded))
    out.push_back(fmt::format("advice line {} needs {}, which this patient must not do", id,
                              needs_text(assets.lines.of("advice", id))));
  for (const auto& id : excluded_lines(assets, "progression", plan.progression, excluded))
    out.push_back(fmt::format("progression line {} needs {}, which this patient must not do", id,
                              needs_text(assets.lines.of("progression", id))));
  if (!refer_findings.empty() && !has(plan.advice, kSeeTeamLine))
    out.push_back(fmt::format("finding {} sends the patient to the team, but advice has no \"{}\" line",
                              refer_findings.front(), kSeeTeamLine));
  const int n = static_cast<int>(plan.exercises.size());
  if (n < limits.min_exercises || n > limits.max_exercises)
    out.push_back(fmt::format("{} exercises; the limits are {} to {}", n, limits.min_exercises, limits.max_exercises));
  double minutes = 0;  // recomputed from each planned dose, whatever the rules claimed
  for (const auto& ex : plan.exercises) minutes += dose_minutes(ex.dose, ex.extra_sets);
  if (minutes > limits.max_daily_minutes + 1e-9)
    out.push_back(fmt::format("about {} minutes a day; the cap is {}", minutes, limits.max_daily_minutes));
  if (!plan.refer && std::abs(plan.total_minutes - minutes) > 1e-6)
    out.push_back(fmt::format("total_minutes says {} but the doses take {}", plan.total_minutes, minutes));
  return out;
}

std::vector<std::string> hold_to_safety(const HandoutAssets& assets, Plan& plan, const safety::SessionSafety& safety,
                                        const std::vector<std::string>& refer_findings) {
  std::vector<std::string>
      fixed;  // (emplace_back of string_views: g++ 12 -O2 misreads push_back of a literal, -Warray-bounds)
  const auto excluded = safety.excluded_needs();
  plan.excluded = excluded;
  if (!safety.allows_tests()) {
    if (!plan.exercises.empty() || !plan.refer)
      fixed.emplace_back(std::string_view("not cleared: the refer plan instead"));
    plan = refer_plan(plan.lang);
    plan.excluded = excluded;
    return fixed;
  }
  if (plan.refer) return fixed;
  std::erase_if(plan.exercises, [&](const PlannedExercise& ex) {
    if (!ex.card->needs.intersects(excluded)) return false;
    fixed.push_back(fmt::format("dropped exercise {} (needs {})", ex.card->id, needs_text(ex.card->needs)));
    return true;
  });
  for (auto [section, lines] : {std::pair{"advice", &plan.advice}, {"progression", &plan.progression}})
    for (const auto& id : excluded_lines(assets, section, *lines, excluded)) {
      fixed.push_back(fmt::format("dropped {} line {}", section, id));
      std::erase(*lines, id);
    }
  if (!refer_findings.empty() && !has(plan.advice, kSeeTeamLine)) {
    plan.advice.insert(plan.advice.begin(), std::string(kSeeTeamLine));
    fixed.emplace_back(std::string_view("added the see-the-team line"));
  }
  if (plan.exercises.empty()) {
    fixed.emplace_back(std::string_view("no exercise left: the refer plan instead"));
    plan = refer_plan(plan.lang);
    plan.excluded = excluded;
  }
  plan.total_minutes = 0;
  for (const auto& ex : plan.exercises) plan.total_minutes += dose_minutes(ex.dose, ex.extra_sets);
  return fixed;
}

}  // namespace kiosk::handout
