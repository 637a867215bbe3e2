#include "sim/scenario_spec.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <string>
#include <vector>

namespace kiosk::sim {
namespace {

double number(std::string_view key, std::string_view value, double lo, double hi) {
  double v = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || end != value.data() + value.size() || !(v >= lo && v <= hi))
    throw std::invalid_argument(fmt::format("{}={}: must be a number from {} to {}", key, value, lo, hi));
  return v;
}

// Exactly four comma-separated numbers, one per cell.
std::array<double, 4> list(std::string_view key, std::string_view value, double lo, double hi) {
  std::array<double, 4> out{};
  size_t from = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    const size_t comma = std::min(value.find(',', from), value.size());
    if (from > value.size() || (i + 1 < out.size()) == (comma == value.size()))
      throw std::invalid_argument(
          fmt::format("{}={}: must be four numbers, one per cell, e.g. 10,-5,0,20", key, value));
    out[i] = number(key, value.substr(from, comma - from), lo, hi);
    from = comma + 1;
  }
  return out;
}

template <typename E>
E choice(std::string_view key, std::string_view value, std::initializer_list<std::pair<std::string_view, E>> options) {
  std::string names;
  for (const auto& [name, e] : options) {
    if (name == value) return e;
    names += names.empty() ? std::string(name) : ", " + std::string(name);
  }
  throw std::invalid_argument(fmt::format("{}={}: must be one of {}", key, value, names));
}

// Comma-separated numbers, any count.
std::vector<double> numbers(std::string_view key, std::string_view value, double lo, double hi) {
  std::vector<double> out;
  for (size_t from = 0; from <= value.size();) {
    const size_t comma = std::min(value.find(',', from), value.size());
    out.push_back(number(key, value.substr(from, comma - from), lo, hi));
    from = comma + 1;
  }
  return out;
}

// x:y,x:y,... in mm.
std::vector<std::array<double, 2>> marks(std::string_view key, std::string_view value) {
  std::vector<std::array<double, 2>> out;
  for (size_t from = 0; from <= value.size();) {
    const size_t comma = std::min(value.find(',', from), value.size());
    const auto xy = value.substr(from, comma - from);
    const size_t colon = xy.find(':');
    if (colon == std::string_view::npos)
      throw std::invalid_argument(fmt::format("{}={}: each mark is x:y in mm", key, value));
    out.push_back({number(key, xy.substr(0, colon), -1000, 1000), number(key, xy.substr(colon + 1), -1000, 1000)});
    from = comma + 1;
  }
  return out;
}

// One key of the spec: its name and what it does to the spec (the header lists them with their meaning).
struct Key {
  std::string_view name;
  void (*set)(std::string_view key, std::string_view value, SimSpec& spec);
};

using K = std::string_view;
using V = std::string_view;
using S = SimSpec;

// Every key, the single table parse_spec reads (like the config's schema).
constexpr Key kKeys[] = {
    {"scenario",
     [](K k, V v, S& s) {
       s.scenario.scenario = choice<Scenario>(k, v,
                                              {{"quiet_stance", Scenario::quiet_stance},
                                               {"single_leg_touchdown", Scenario::single_leg_touchdown},
                                               {"heel_raises", Scenario::heel_raises},
                                               {"step_off", Scenario::step_off},
                                               {"lunge", Scenario::lunge},
                                               {"placements", Scenario::placements}});
     }},
    {"seed", [](K k, V v, S& s) { s.scenario.seed = static_cast<std::uint64_t>(number(k, v, 0, 1e15)); }},
    {"weight_n", [](K k, V v, S& s) { s.scenario.body_weight_n = number(k, v, 100, 3000); }},
    {"duration_s", [](K k, V v, S& s) { s.scenario.duration_s = number(k, v, 0.1, 3600); }},
    {"touchdown_s", [](K k, V v, S& s) { s.scenario.touchdown_s = number(k, v, 0, 3600); }},
    {"touchdown",
     [](K k, V v, S& s) {
       s.scenario.touchdown_place = choice<TouchdownPlace>(
           k, v, {{"off_plate", TouchdownPlace::off_plate}, {"on_plate", TouchdownPlace::on_plate}});
     }},
    {"reps", [](K k, V v, S& s) { s.scenario.reps = static_cast<int>(number(k, v, 0, 200)); }},
    {"rate_per_min", [](K k, V v, S& s) { s.scenario.raises_per_min = number(k, v, 5, 120); }},
    {"first_mm", [](K k, V v, S& s) { s.scenario.first_excursion_mm = number(k, v, 1, 200); }},
    {"last_mm", [](K k, V v, S& s) { s.scenario.last_excursion_mm = number(k, v, 1, 200); }},
    {"stop",
     [](K k, V v, S& s) {
       s.scenario.stop = choice<RaiseStop>(k, v,
                                           {{"two_small_rises", RaiseStop::two_small_rises},
                                            {"touchdown", RaiseStop::touchdown},
                                            {"step_off", RaiseStop::step_off},
                                            {"stand_still", RaiseStop::stand_still}});
     }},
    {"lunge_period_s", [](K k, V v, S& s) { s.scenario.lunge_period_s = number(k, v, 1, 60); }},
    {"heel_lift_s", [](K k, V v, S& s) { s.scenario.heel_lift_s = numbers(k, v, 0, 3600); }},
    {"heel_lift_hold_s", [](K k, V v, S& s) { s.scenario.heel_lift_hold_s = number(k, v, 0.05, 60); }},
    {"step_off_s", [](K k, V v, S& s) { s.scenario.step_off_s = number(k, v, 0, 3600); }},
    {"noise_n", [](K k, V v, S& s) { s.scenario.cell_noise_n = number(k, v, 0, 1000); }},
    {"drift_n_per_s", [](K k, V v, S& s) { s.scenario.cell_drift_n_per_s = number(k, v, 0, 100); }},
    {"gain_error_pct",
     [](K k, V v, S& s) {  // alternating sign per cell, so a calibration has something to find
       const double e = number(k, v, 0, 50) / 100;
       for (size_t i = 0; i < signal::kCellCount; ++i)
         s.scenario.true_layout.gain_n_per_unit[i] = kSimNewtonsPerCount * (1 + (i % 2 ? -e : e));
     }},
    {"offset_counts",
     [](K k, V v, S& s) {
       const double o = number(k, v, -1e7, 1e7);
       s.scenario.true_layout.offset_units = {o, -o, o * 0.5, -o * 0.5};
     }},
    {"cell_gains_pct",
     [](K k, V v, S& s) {  // the true gain of each cell, % off nominal
       const auto pct = list(k, v, -50, 50);
       for (size_t i = 0; i < signal::kCellCount; ++i)
         s.scenario.true_layout.gain_n_per_unit[i] = kSimNewtonsPerCount * (1 + pct[i] / 100);
     }},
    {"cell_offsets_counts",
     [](K k, V v, S& s) {
       const auto counts = list(k, v, -1e7, 1e7);
       for (size_t i = 0; i < signal::kCellCount; ++i) s.scenario.true_layout.offset_units[i] = counts[i];
     }},
    {"mass_kg", [](K k, V v, S& s) { s.scenario.mass_kg = number(k, v, 0.1, 300); }},
    {"marks", [](K k, V v, S& s) { s.scenario.marks_mm = marks(k, v); }},
    {"zero_s", [](K k, V v, S& s) { s.scenario.zero_s = number(k, v, 0, 600); }},
    {"hold_s", [](K k, V v, S& s) { s.scenario.hold_s = number(k, v, 0.5, 600); }},
    {"move_s", [](K k, V v, S& s) { s.scenario.move_s = number(k, v, 0.5, 600); }},
    {"wobble_n", [](K k, V v, S& s) { s.scenario.wobble_n = number(k, v, 0, 1000); }},
    {"replay_bds", [](K, V v, S& s) { s.scenario.replay_bds = std::string(v); }},
    {"speed", [](K k, V v, S& s) { s.speed = number(k, v, 0.1, 1000); }},
    {"clock",
     [](K k, V v, S& s) {
       s.stepped = choice<bool>(k, v, {{"wall", false}, {"stepped", true}});
     }},
    {"unplug_s", [](K k, V v, S& s) { s.unplug_s = number(k, v, 0, 3600); }},
    {"board",
     [](K k, V v, S& s) {
       s.wii_board = choice<bool>(k, v, {{"plate", false}, {"wii", true}});
     }},
};

const Key& key_named(std::string_view name) {
  for (const auto& key : kKeys)
    if (key.name == name) return key;
  std::string names;
  for (const auto& key : kKeys) names += (names.empty() ? "" : ", ") + std::string(key.name);
  throw std::invalid_argument(fmt::format("unknown key \"{}\" (keys: {})", name, names));
}

}  // namespace

SimSpec parse_spec(std::string_view text) {
  SimSpec spec;
  // The simulated plate reports 1 count per 0.01 N on every cell unless told otherwise.
  spec.scenario.true_layout.gain_n_per_unit = {kSimNewtonsPerCount, kSimNewtonsPerCount, kSimNewtonsPerCount,
                                               kSimNewtonsPerCount};
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    const size_t end = std::min(text.find(' ', start), text.size());
    const std::string_view pair = text.substr(start, end - start);
    pos = end;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw std::invalid_argument(fmt::format("\"{}\": expected key=value", pair));
    const std::string_view key = pair.substr(0, eq);
    key_named(key).set(key, pair.substr(eq + 1), spec);
  }
  if (spec.wii_board) {  // the same relative errors on the Wii board's cells and unit
    auto& layout = spec.scenario.true_layout;
    for (auto& g : layout.gain_n_per_unit) g *= kWiiNewtonsPerCount / kSimNewtonsPerCount;
    layout.half_span_x_mm = kWiiHalfSpanX_mm;
    layout.half_span_y_mm = kWiiHalfSpanY_mm;
  }
  return spec;
}

}  // namespace kiosk::sim
