#include "handout/exercise.h"

#include <algorithm>
#include <cmath>

namespace kiosk::handout {

std::string_view to_string(ExerciseKind kind) {
  switch (kind) {
    case ExerciseKind::relief:
      return "relief";
    case ExerciseKind::mobility:
      return "mobility";
    case ExerciseKind::strength:
      return "strength";
    case ExerciseKind::balance:
      return "balance";
  }
  return "strength";
}

const std::vector<std::string>& Exercise::steps_in(std::string_view lang) const {
  static const std::vector<std::string> none;
  if (auto it = steps.find(lang); it != steps.end()) return it->second;
  if (auto it = steps.find("en"); it != steps.end()) return it->second;
  return none;
}

double dose_minutes(const Dose& d, int extra_sets) {
  double per_set = 0;  // seconds
  if (d.reps > 0)
    per_set = std::max(d.reps, d.reps_max) * d.rep_s;
  else if (d.hold_s > 0)
    per_set = std::max(d.hold_s, d.hold_s_max);
  else
    per_set = std::max(d.minutes, d.minutes_max) * 60;
  if (d.each_way) per_set *= 4;  // up, down, in, out
  const int sets = d.sets * (d.each_side ? 2 : 1) + std::max(extra_sets, 0);
  const double seconds = sets * per_set + (sets - 1) * d.rest_s;
  return std::ceil(seconds / 30 - 1e-9) / 2;
}

const std::vector<std::string>& known_tags() {
  static const std::vector<std::string> tags{"calf_mobility", "fascia_mobility", "shin_mobility",
                                             "foot_strength", "ankle_strength",  "calf_strength",
                                             "balance",       "hip_strength",    "symptom_relief"};
  return tags;
}

}  // namespace kiosk::handout
