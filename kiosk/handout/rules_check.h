// `kioskctl handout check`: runs a rules file (scripts/handout.lua or a
// clinician's edit of it) on every combination of findings the catalogue's
// scripts declare, every safety state and the profile answers the rules
// read, and holds each plan to handout/plan_safety.h. A clinician who
// breaks a safety rule finds out here, before the kiosk corrects a plan.
// Thread: the caller's; about 98 000 plans (measures and pain now vary too), 20-30 s.
#pragma once
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "handout/assets.h"
#include "handout/plan_safety.h"
#include "script/catalogue.h"

namespace kiosk::handout {

struct RulesCheck {
  struct Violation {
    std::string problem;
    std::string session;    // the first session that shows it, in words
    std::size_t times = 0;  // how many sessions show it
  };
  std::size_t sessions = 0;                     // sessions planned
  std::size_t violating_sessions = 0;           // sessions whose plan broke a rule
  std::vector<Violation> violations;            // each distinct problem once, in the order found
  std::size_t unsafe_after_guard = 0;           // plans still unsafe after hold_to_safety(): must be 0
  std::map<std::string, std::size_t> card_use;  // card id → cleared plans that give it
  std::size_t finding_combinations = 0;
  PlanLimits limits;
  bool limits_declared = false;      // the rules file has limits()
  std::optional<std::string> error;  // the rules could not be run at all
};

// stop_after: stop once this many sessions broke a rule (0: try them all).
RulesCheck check_rules(const HandoutAssets& assets, const std::filesystem::path& rules_file,
                       const script::Catalogue& catalogue, std::size_t stop_after = 0);

}  // namespace kiosk::handout
