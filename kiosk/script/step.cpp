#include "script/step.h"

#include <array>
#include <utility>

namespace kiosk::script {
namespace {

constexpr std::array<std::pair<StepKind, std::string_view>, 8> kNames{{
    {StepKind::instruct, "instruct"},
    {StepKind::ask_number, "ask_number"},
    {StepKind::choose, "choose"},
    {StepKind::confirm, "confirm"},
    {StepKind::countdown, "countdown"},
    {StepKind::metronome, "metronome"},
    {StepKind::capture, "capture"},
    {StepKind::result, "result"},
}};

}  // namespace

std::string_view to_string(StepKind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "?";
}

std::optional<StepKind> step_kind_from(std::string_view name) {
  for (const auto& [k, n] : kNames)
    if (n == name) return k;
  return std::nullopt;
}

bool is_question(StepKind kind) {
  return kind == StepKind::ask_number || kind == StepKind::choose || kind == StepKind::confirm;
}

}  // namespace kiosk::script
