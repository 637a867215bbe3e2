// One step a script yields to the host (API v1). The host shows it (kiosk)
// or answers it from a file (kioskctl) and resumes the script with the answer.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script/text.h"

namespace kiosk::script {

enum class StepKind { instruct, ask_number, choose, confirm, countdown, metronome, capture, result };

std::string_view to_string(StepKind kind);
std::optional<StepKind> step_kind_from(std::string_view name);
// Steps that take an answer keyed by the step's id (the stable ask ids).
bool is_question(StepKind kind);

struct ChoiceOption {
  std::string value;  // what the script gets back, e.g. "40-49"
  LocalText text;     // what the person sees
};

// The answers to a question that raise a red flag, as the script declares
// them. The host stops at such an answer itself, before the script goes on,
// so the flag cannot be undone with Back and no script logic can lose it.
struct RedFlagRule {
  std::optional<bool> when;         // confirm: this answer flags (true: "yes")
  std::optional<double> above;      // ask_number: a value above this flags
  std::vector<std::string> values;  // choose: these option values flag
  bool declared() const { return when || above || !values.empty(); }
};

struct Step {
  StepKind kind = StepKind::instruct;
  std::string id;  // ask id (questions only), e.g. "left.distance_cm"
  LocalText text;
  std::string illustration;  // asset id, e.g. "knee_to_wall"
  std::string sound;         // cue id, e.g. "beep"
  // ask_number
  double min = 0, max = 0, step = 1;
  std::string unit;              // "cm", "s", "reps"
  int attempts = 1;              // > 1: the answer is a list, one per attempt
  std::string input = "keypad";  // "keypad" | "timer" (an on-screen stopwatch)
  // choose
  std::vector<ChoiceOption> options;
  // countdown, metronome, capture
  double seconds = 0;
  double bpm = 0;  // metronome beats per minute (capture: 0 = no metronome)
  // capture
  std::string side;      // "left" | "right" | "both"
  std::string view;      // live view: "cop" | "force" | "none"
  std::string detector;  // signal detector name (kiosk/signal)
  // confirm, ask_number, choose
  RedFlagRule red_flag;
};

}  // namespace kiosk::script
