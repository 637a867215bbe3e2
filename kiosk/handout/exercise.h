// One exercise card of the handout, as read from assets/exercises/<id>.toml
// (format: assets/exercises/README.md, version 1). Words per language; the
// dose as numbers (the handout's strings turn it into words).
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/safety/session_safety.h"
#include "script/text.h"

namespace kiosk::handout {

using script::LocalText;

// Plan order: relief first, then mobility → strength → balance (clinical brief).
enum class ExerciseKind { relief, mobility, strength, balance };
std::string_view to_string(ExerciseKind kind);

struct Dose {
  int sets = 1;
  double reps = 0, reps_max = 0;        // repetitions per set (0: not counted in reps)
  double hold_s = 0, hold_s_max = 0;    // seconds per hold
  double minutes = 0, minutes_max = 0;  // continuous time
  double rep_s = 0;                     // seconds one repetition takes (the tempo); needed with reps
  double rest_s = 0;                    // seconds of rest between two sets (or holds)
  bool each_side = false;               // the dose is done on each side
  bool each_way = false;                // ... in each direction (four-way band)

  bool operator==(const Dose&) const = default;
};

struct Exercise {
  std::string id;  // stable, = file name without .toml
  ExerciseKind kind = ExerciseKind::strength;
  std::vector<std::string> tags;  // the brief's target tags, e.g. "calf_strength"
  bool sided = false;             // done one side at a time
  safety::Needs needs;            // what it asks of the body or home (one_leg, step, running, band, floor)
  safety::Needs harder_needs;     // what its harder version asks (default: needs)
  double daily_minutes = 0;       // the default dose's minutes (dose_minutes), not written in the card
  Dose dose;                      // default dose; the rules may change it
  LocalText name, why, feel, easier, harder, safety;
  std::map<std::string, std::vector<std::string>, std::less<>> steps;  // lang → 3–6 steps
  std::filesystem::path illustration;                                  // <id>.svg beside the file

  // Steps in `lang`, else English.
  const std::vector<std::string>& steps_in(std::string_view lang) const;
};

// How long a day's dose takes, in minutes rounded up to the half minute:
// every set (each side, each way, plus extra sets) × its reps × rep_s, or its
// hold, or its minutes (the top of a range), plus rest_s between sets.
double dose_minutes(const Dose& dose, int extra_sets = 0);

// The target tags the library may use (the clinical brief's table).
const std::vector<std::string>& known_tags();

}  // namespace kiosk::handout
