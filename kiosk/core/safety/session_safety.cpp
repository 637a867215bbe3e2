#include "core/safety/session_safety.h"

#include <algorithm>
#include <array>
#include <utility>

namespace kiosk::safety {
namespace {

constexpr std::array<std::pair<SafetyState, std::string_view>, 3> kStates{
    {{SafetyState::unscreened, "unscreened"}, {SafetyState::cleared, "cleared"}, {SafetyState::red_flag, "red_flag"}}};
constexpr std::array<std::pair<Need, std::string_view>, 5> kNeeds{{{Need::one_leg, "one_leg"},
                                                                   {Need::step, "step"},
                                                                   {Need::running, "running"},
                                                                   {Need::band, "band"},
                                                                   {Need::floor, "floor"}}};

template <typename E, std::size_t N>
std::string_view name_in(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "?";
}
template <typename E, std::size_t N>
std::optional<E> value_in(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

bool is_override_reason(std::string_view reason) {
  const auto& known = override_reasons();
  return std::find(known.begin(), known.end(), reason) != known.end();
}

}  // namespace

std::string_view to_string(SafetyState state) { return name_in(kStates, state); }
std::optional<SafetyState> parse_safety_state(std::string_view text) { return value_in(kStates, text); }
std::string_view to_string(Need need) { return name_in(kNeeds, need); }
std::optional<Need> parse_need(std::string_view text) { return value_in(kNeeds, text); }

const std::vector<Need>& all_needs() {
  static const std::vector<Need> needs = [] {
    std::vector<Need> out;
    for (const auto& [n, name] : kNeeds) out.push_back(n);
    return out;
  }();
  return needs;
}

Needs::Needs(std::initializer_list<Need> needs) {
  for (auto n : needs) add(n);
}

std::vector<Need> Needs::list() const {
  std::vector<Need> out;
  for (auto n : all_needs())
    if (has(n)) out.push_back(n);
  return out;
}

Needs one_leg_unsafe_excludes() { return {Need::one_leg, Need::step, Need::running}; }

const std::vector<std::string>& override_reasons() {
  static const std::vector<std::string> reasons{"clinician_assessed", "answered_by_mistake", "known_and_managed"};
  return reasons;
}

SafetyState SessionSafety::state() const {
  if (open_flag()) return SafetyState::red_flag;
  return screening_done_ ? SafetyState::cleared : SafetyState::unscreened;
}

bool SessionSafety::raise(std::string raised_by, std::string answer, bool from_answer) {
  for (const auto& f : flags_)
    if (f.raised_by == raised_by) return false;
  flags_.push_back({std::move(raised_by), std::move(answer), from_answer, {}, {}});
  return true;
}

void SessionSafety::restore(RedFlag flag) {
  if (!is_override_reason(flag.override_reason)) {
    flag.override_reason.clear();
    flag.override_at.clear();
  }
  for (const auto& f : flags_)
    if (f.raised_by == flag.raised_by) return;
  if (flag.overridden() && !flag.from_answer) one_leg_unsafe_sticky_ = true;
  flags_.push_back(std::move(flag));
}

const RedFlag* SessionSafety::open_flag() const {
  for (const auto& f : flags_)
    if (!f.overridden()) return &f;
  return nullptr;
}

bool SessionSafety::override_flags(const std::string& reason, const std::string& at_utc) {
  if (!is_override_reason(reason) || !open_flag()) return false;
  for (auto& f : flags_) {
    if (f.overridden()) continue;
    f.override_reason = reason;
    f.override_at = at_utc;
    if (!f.from_answer) one_leg_unsafe_sticky_ = true;
  }
  return true;
}

void SessionSafety::forget_derived() {
  screening_done_ = false;
  one_leg_unsafe_ = false;
  unscreened_reason_.clear();
}

void SessionSafety::screening_failed(std::string why) {
  screening_done_ = false;
  unscreened_reason_ = std::move(why);
}

Needs SessionSafety::excluded_needs() const { return one_leg_unsafe() ? one_leg_unsafe_excludes() : Needs{}; }

}  // namespace kiosk::safety
