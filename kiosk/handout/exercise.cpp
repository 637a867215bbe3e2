#include "handout/exercise.h"

namespace kiosk::handout {

std::string_view to_string(ExerciseKind kind) {
  switch (kind) {
    case ExerciseKind::relief: return "relief";
    case ExerciseKind::mobility: return "mobility";
    case ExerciseKind::strength: return "strength";
    case ExerciseKind::balance: return "balance";
  }
  return "strength";
}

const std::vector<std::string>& Exercise::steps_in(std::string_view lang) const {
  static const std::vector<std::string> none;
  if (auto it = steps.find(lang); it != steps.end()) return it->second;
  if (auto it = steps.find("en"); it != steps.end()) return it->second;
  return none;
}

const std::vector<std::string>& known_tags() {
  static const std::vector<std::string> tags{
      "calf_mobility", "fascia_mobility", "shin_mobility", "foot_strength", "ankle_strength",
      "calf_strength", "balance",         "hip_strength",  "symptom_relief"};
  return tags;
}

}  // namespace kiosk::handout
