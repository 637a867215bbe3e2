#include "sim/scenario_spec.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <string>

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
      throw std::invalid_argument(fmt::format("{}={}: must be four numbers, one per cell, e.g. 10,-5,0,20", key, value));
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

}  // namespace

SimSpec parse_spec(std::string_view text) {
  SimSpec spec;
  ScenarioConfig& c = spec.scenario;
  // The simulated plate reports 1 count per 0.01 N on every cell unless told otherwise.
  c.true_layout.gain_n_per_unit = {kSimNewtonsPerCount, kSimNewtonsPerCount, kSimNewtonsPerCount,
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
    const std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "scenario") {
      c.scenario = choice<Scenario>(key, value, {{"quiet_stance", Scenario::quiet_stance},
                                                 {"single_leg_touchdown", Scenario::single_leg_touchdown},
                                                 {"heel_raises", Scenario::heel_raises},
                                                 {"step_off", Scenario::step_off},
                                                 {"lunge", Scenario::lunge},
                                                 {"placements", Scenario::placements}});
    } else if (key == "seed") {
      c.seed = static_cast<std::uint64_t>(number(key, value, 0, 1e15));
    } else if (key == "weight_n") {
      c.body_weight_n = number(key, value, 100, 3000);
    } else if (key == "duration_s") {
      c.duration_s = number(key, value, 0.1, 3600);
    } else if (key == "touchdown_s") {
      c.touchdown_s = number(key, value, 0, 3600);
    } else if (key == "touchdown") {
      c.touchdown_place = choice<TouchdownPlace>(
          key, value, {{"off_plate", TouchdownPlace::off_plate}, {"on_plate", TouchdownPlace::on_plate}});
    } else if (key == "reps") {
      c.reps = static_cast<int>(number(key, value, 0, 200));
    } else if (key == "rate_per_min") {
      c.raises_per_min = number(key, value, 5, 120);
    } else if (key == "first_mm") {
      c.first_excursion_mm = number(key, value, 1, 200);
    } else if (key == "last_mm") {
      c.last_excursion_mm = number(key, value, 1, 200);
    } else if (key == "stop") {
      c.stop = choice<RaiseStop>(key, value, {{"two_small_rises", RaiseStop::two_small_rises},
                                              {"touchdown", RaiseStop::touchdown},
                                              {"step_off", RaiseStop::step_off},
                                              {"stand_still", RaiseStop::stand_still}});
    } else if (key == "lunge_period_s") {
      c.lunge_period_s = number(key, value, 1, 60);
    } else if (key == "heel_lift_s") {  // comma-separated times
      c.heel_lift_s.clear();
      for (size_t from = 0; from <= value.size();) {
        const size_t comma = std::min(value.find(',', from), value.size());
        c.heel_lift_s.push_back(number(key, value.substr(from, comma - from), 0, 3600));
        from = comma + 1;
      }
    } else if (key == "heel_lift_hold_s") {
      c.heel_lift_hold_s = number(key, value, 0.05, 60);
    } else if (key == "step_off_s") {
      c.step_off_s = number(key, value, 0, 3600);
    } else if (key == "noise_n") {
      c.cell_noise_n = number(key, value, 0, 1000);
    } else if (key == "drift_n_per_s") {
      c.cell_drift_n_per_s = number(key, value, 0, 100);
    } else if (key == "gain_error_pct") {
      // Alternating sign per cell, so a calibration has something to find.
      const double e = number(key, value, 0, 50) / 100;
      for (size_t i = 0; i < signal::kCellCount; ++i)
        c.true_layout.gain_n_per_unit[i] = kSimNewtonsPerCount * (1 + (i % 2 ? -e : e));
    } else if (key == "offset_counts") {
      const double o = number(key, value, -1e7, 1e7);
      c.true_layout.offset_units = {o, -o, o * 0.5, -o * 0.5};
    } else if (key == "cell_gains_pct") {  // the true gain of each cell, % off nominal
      const auto v = list(key, value, -50, 50);
      for (size_t i = 0; i < signal::kCellCount; ++i) c.true_layout.gain_n_per_unit[i] = kSimNewtonsPerCount * (1 + v[i] / 100);
    } else if (key == "cell_offsets_counts") {
      const auto v = list(key, value, -1e7, 1e7);
      for (size_t i = 0; i < signal::kCellCount; ++i) c.true_layout.offset_units[i] = v[i];
    } else if (key == "mass_kg") {
      c.mass_kg = number(key, value, 0.1, 300);
    } else if (key == "marks") {  // x:y,x:y,... in mm
      c.marks_mm.clear();
      for (size_t from = 0; from <= value.size();) {
        const size_t comma = std::min(value.find(',', from), value.size());
        const auto xy = value.substr(from, comma - from);
        const size_t colon = xy.find(':');
        if (colon == std::string_view::npos)
          throw std::invalid_argument(fmt::format("{}={}: each mark is x:y in mm", key, value));
        c.marks_mm.push_back({number(key, xy.substr(0, colon), -1000, 1000), number(key, xy.substr(colon + 1), -1000, 1000)});
        from = comma + 1;
      }
    } else if (key == "zero_s") {
      c.zero_s = number(key, value, 0, 600);
    } else if (key == "hold_s") {
      c.hold_s = number(key, value, 0.5, 600);
    } else if (key == "move_s") {
      c.move_s = number(key, value, 0.5, 600);
    } else if (key == "wobble_n") {
      c.wobble_n = number(key, value, 0, 1000);
    } else if (key == "replay_bds") {
      c.replay_bds = std::string(value);
    } else if (key == "speed") {
      spec.speed = number(key, value, 0.1, 1000);
    } else if (key == "unplug_s") {
      spec.unplug_s = number(key, value, 0, 3600);
    } else if (key == "board") {
      if (value != "plate" && value != "wii") throw std::invalid_argument(fmt::format("board={}: must be plate or wii", value));
      spec.wii_board = value == "wii";
    } else {
      throw std::invalid_argument(fmt::format("unknown key \"{}\"", key));
    }
  }
  if (spec.wii_board) {  // the same relative errors on the Wii board's cells and unit
    for (auto& g : c.true_layout.gain_n_per_unit) g *= kWiiNewtonsPerCount / kSimNewtonsPerCount;
    c.true_layout.half_span_x_mm = kWiiHalfSpanX_mm;
    c.true_layout.half_span_y_mm = kWiiHalfSpanY_mm;
  }
  return spec;
}

}  // namespace kiosk::sim
