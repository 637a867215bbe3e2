// The safety rules every plan obeys, whatever scripts/handout.lua returns:
// one home, used by the planner (to correct a plan before it is printed)
// and by `kioskctl handout check` (to tell the clinician who wrote it).
//   - a session that is not cleared gets no exercises: the refer plan;
//   - nothing the patient's safety excludes: no card, no harder version is
//     offered, no advice or progression line needing it;
//   - a refer finding brings the "see the team" line (advice.see_team);
//   - a plan holds min..max cards and at most max_daily_minutes a day.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/safety/session_safety.h"
#include "handout/assets.h"
#include "handout/plan.h"

namespace kiosk::handout {

inline constexpr std::string_view kReferLine = "refer";       // advice.refer: the whole sheet is "see the team"
inline constexpr std::string_view kSeeTeamLine = "see_team";  // advice.see_team: one result needs the team

// What the rules file declares with limits() (from scripts/lib/norms.lua).
struct PlanLimits {
  int min_exercises = 1;
  int max_exercises = static_cast<int>(kMaxExercises);
  double max_daily_minutes = 20;
};

// No exercises: "please speak to the clinic team" (advice.refer).
Plan refer_plan(std::string_view lang);

// Each way `plan` breaks the rules above for this session, in words.
std::vector<std::string> plan_violations(const HandoutAssets& assets, const Plan& plan,
                                         const safety::SessionSafety& safety,
                                         const std::vector<std::string>& refer_findings, const PlanLimits& limits);

// Corrects `plan` for this session (drops what is excluded, adds the see-the-team
// line; a plan left with no exercise becomes the refer plan) and says what it changed.
std::vector<std::string> hold_to_safety(const HandoutAssets& assets, Plan& plan, const safety::SessionSafety& safety,
                                        const std::vector<std::string>& refer_findings);

}  // namespace kiosk::handout
