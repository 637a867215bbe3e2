#include "sim/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "signal/recording_io.h"

namespace kiosk::sim {
namespace {

using std::numbers::pi;
constexpr double kGravity_mm_s2 = 9810;
constexpr double kSwayTau_s = 0.8;  // sway correlation time
constexpr double kForceTau_s = 0.3;
constexpr double kForceSd = 0.004;  // Fz wobble, fraction of body weight (well inside ±2 %)

double smoothstep(double u) {
  u = std::clamp(u, 0.0, 1.0);
  return u * u * (3 - 2 * u);
}

const char* name_of(Scenario s) {
  switch (s) {
    case Scenario::quiet_stance:
      return "quiet_stance";
    case Scenario::single_leg_touchdown:
      return "single_leg_touchdown";
    case Scenario::heel_raises:
      return "heel_raises";
    case Scenario::step_off:
      return "step_off";
    case Scenario::lunge:
      return "lunge";
    case Scenario::placements:
      return "placements";
  }
  return "?";
}

}  // namespace

ScenarioGenerator::ScenarioGenerator(ScenarioConfig config) : c_(std::move(config)), rng_(c_.seed) {
  if (!(c_.rate_hz >= 1 && c_.rate_hz <= 100000)) throw std::invalid_argument("scenario: rate must be 1..100000 Hz");
  if (!(c_.duration_s > 0) || !(c_.body_weight_n > 0))
    throw std::invalid_argument("scenario: duration and body weight must be positive");
  if (c_.scenario == Scenario::heel_raises) {
    if (c_.reps < 1 || c_.reps > 500 || !(c_.raises_per_min > 0) || !(c_.first_excursion_mm > 0) ||
        !(c_.last_excursion_mm > 0) || !(c_.lead_in_s >= 0))
      throw std::invalid_argument("scenario: heel raises need 1..500 reps, a positive cadence and excursions");
    const double period = 60 / c_.raises_per_min;
    for (int k = 0; k < c_.reps; ++k) {
      const double along = c_.reps == 1 ? 0 : static_cast<double>(k) / (c_.reps - 1);
      const double jitter = 1 + 0.03 * (2 * (static_cast<double>(rng_() >> 11) * 0x1p-53) - 1);  // ±3 %
      excursion_mm_.push_back((c_.first_excursion_mm + (c_.last_excursion_mm - c_.first_excursion_mm) * along) *
                              jitter);
    }
    double tail = 3;
    if (c_.stop == RaiseStop::two_small_rises) {
      excursion_mm_.insert(excursion_mm_.end(), 2, 0.25 * c_.first_excursion_mm);
    } else if (c_.stop == RaiseStop::stand_still) {
      tail = 3 * period + 2;
    }
    duration_s_ = c_.lead_in_s + static_cast<double>(excursion_mm_.size()) * period + tail;
  } else if (c_.scenario == Scenario::single_leg_touchdown) {
    duration_s_ = std::max(c_.duration_s, c_.touchdown_s + 2);
  } else if (c_.scenario == Scenario::lunge) {
    if (!(c_.lunge_period_s > 0.5) || !(c_.heel_lift_hold_s > 0))
      throw std::invalid_argument("scenario: a lunge needs a period over 0.5 s and a positive heel-lift hold");
    const double last_lift =
        c_.heel_lift_s.empty() ? 0 : *std::max_element(c_.heel_lift_s.begin(), c_.heel_lift_s.end());
    duration_s_ = std::max(c_.duration_s, last_lift + c_.heel_lift_hold_s + 1);
  } else if (c_.scenario == Scenario::placements) {
    if (c_.marks_mm.empty() || !(c_.mass_kg > 0) || !(c_.hold_s > 0.5) || !(c_.zero_s >= 0) || !(c_.move_s >= 0.5))
      throw std::invalid_argument(
          "scenario: placements need marks, a positive mass, hold_s over 0.5 s and move_s of 0.5 s or more");
    duration_s_ = c_.zero_s + static_cast<double>(c_.marks_mm.size()) * (c_.hold_s + c_.move_s) + 1;
  } else if (c_.scenario == Scenario::step_off) {
    duration_s_ = std::max(c_.duration_s, c_.step_off_s + 2);
  } else {
    duration_s_ = c_.duration_s;
  }
  total_ = static_cast<std::size_t>(std::floor(duration_s_ * c_.rate_hz));

  if (!c_.replay_bds.empty()) {
    replay_ = signal::read_recording(c_.replay_bds, signal::RecordingFormat::bds);
    const double n = static_cast<double>(replay_.size());
    replay_mean_fz_ = std::accumulate(replay_.fz_n.begin(), replay_.fz_n.end(), 0.0) / n;
    replay_mean_x_ = std::accumulate(replay_.cop_x_mm.begin(), replay_.cop_x_mm.end(), 0.0) / n;
    replay_mean_y_ = std::accumulate(replay_.cop_y_mm.begin(), replay_.cop_y_mm.end(), 0.0) / n;
    if (!(replay_mean_fz_ > signal::kUnloadedFz_n))
      throw signal::RecordingError(fmt::format("{}: nobody stands on this plate", c_.replay_bds.string()));
  }
}

double ScenarioGenerator::normal() {
  // Box–Muller on the raw 64-bit engine: the same numbers on every platform.
  const double u1 = (static_cast<double>(rng_() >> 11) + 1) * 0x1p-53;  // (0, 1]
  const double u2 = static_cast<double>(rng_() >> 11) * 0x1p-53;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * pi * u2);
}

void ScenarioGenerator::sway(double dt, double sd_mm) {
  // Exact discretisation of an Ornstein–Uhlenbeck process: same statistics at any rate.
  const double a = std::exp(-dt / kSwayTau_s), b = std::exp(-dt / kForceTau_s);
  sway_x_ = a * sway_x_ + sd_mm * std::sqrt(1 - a * a) * normal();
  sway_y_ = a * sway_y_ + sd_mm * std::sqrt(1 - a * a) * normal();
  sway_fz_ = b * sway_fz_ + kForceSd * std::sqrt(1 - b * b) * normal();
}

signal::PlateSample ScenarioGenerator::replay(double t) const {
  // BDS sample j is at j/100 s; loop by playing backwards then forwards (no jump).
  const double last = static_cast<double>(replay_.size() - 1);
  double p = std::fmod(t * 100, 2 * last);
  if (p > last) p = 2 * last - p;
  const auto j = std::min(static_cast<std::size_t>(p), replay_.size() - 2);
  const double w = p - static_cast<double>(j);
  auto at = [&](const std::vector<double>& v) { return v[j] + w * (v[j + 1] - v[j]); };
  return {t, at(replay_.fz_n) * c_.body_weight_n / replay_mean_fz_, at(replay_.cop_x_mm) - replay_mean_x_,
          at(replay_.cop_y_mm) - replay_mean_y_};
}

signal::PlateSample ScenarioGenerator::quiet(double t) {
  if (!replay_.t_s.empty()) return replay(t);
  return {t, c_.body_weight_n * (1 + sway_fz_), sway_x_, sway_y_};
}

signal::PlateSample ScenarioGenerator::heel_raise(double t) {
  constexpr double kHeelDownY_mm = -20;      // COP over the mid-foot, behind the plate centre
  constexpr double kLiftPerExcursion = 0.6;  // body rise per mm of forward COP travel
  signal::PlateSample s{t, c_.body_weight_n * (1 + sway_fz_), sway_x_, kHeelDownY_mm + sway_y_};
  const double period = 60 / c_.raises_per_min;
  const double since = t - c_.lead_in_s;
  if (since < 0) return s;
  const auto k = static_cast<std::size_t>(since / period);
  if (k < excursion_mm_.size()) {
    const double phase = since / period - static_cast<double>(k);
    const double e = excursion_mm_[k];
    s.cop_y_mm += e * (1 - std::cos(2 * pi * phase)) / 2;
    const double w = 2 * pi / period;
    s.fz_n += c_.body_weight_n * kLiftPerExcursion * e / 2 * w * w * std::cos(2 * pi * phase) / kGravity_mm_s2;
    return s;
  }
  const double after = since - static_cast<double>(excursion_mm_.size()) * period - 0.5;
  if (c_.stop == RaiseStop::touchdown) s.fz_n *= 1 - 0.6 * smoothstep(after / 0.05);
  if (c_.stop == RaiseStop::step_off) s.fz_n *= 1 - smoothstep(after / 0.3);
  return s;
}

signal::PlateSample ScenarioGenerator::lunge(double t) {
  constexpr double kHeelDownY_mm = -30;   // COP between heel and forefoot
  constexpr double kKneeForward_mm = 15;  // drift forward as the knee reaches the wall, heel down
  constexpr double kForefootY_mm = 60;    // COP with the heel up: on the metatarsal heads
  constexpr double kLoadFraction = 0.7;   // of body weight on the front (test) foot
  const double knee = (1 - std::cos(2 * pi * t / c_.lunge_period_s)) / 2;  // 0 upright .. 1 at the wall
  double heel_up = 0;
  for (const double at : c_.heel_lift_s)
    heel_up = std::max(heel_up, smoothstep((t - at) / 0.1) * (1 - smoothstep((t - at - c_.heel_lift_hold_s) / 0.1)));
  const double y = kHeelDownY_mm + kKneeForward_mm * knee;
  return {t, c_.body_weight_n * kLoadFraction * (1 + sway_fz_), sway_x_, y + (kForefootY_mm - y) * heel_up + sway_y_};
}

signal::PlateSample ScenarioGenerator::placement(double t) const {
  constexpr double kStandardGravity = 9.80665;
  constexpr double kPutDown_s = 0.2;
  const double since = t - c_.zero_s;
  if (since < 0) return {t, 0, 0, 0};
  const double slot = c_.hold_s + c_.move_s;
  const auto k = static_cast<std::size_t>(since / slot);
  if (k >= c_.marks_mm.size()) return {t, 0, 0, 0};
  const double in = since - static_cast<double>(k) * slot;
  const double on = smoothstep(in / kPutDown_s) * (1 - smoothstep((in - c_.hold_s) / kPutDown_s));
  const double fz = on * (c_.mass_kg * kStandardGravity + c_.wobble_n * std::sin(2 * pi * 1.5 * t));
  return {t, fz, c_.marks_mm[k][0], c_.marks_mm[k][1]};
}

SimSample ScenarioGenerator::next() {
  const double t = static_cast<double>(index_) / c_.rate_hz;
  ++index_;
  const double single_leg_sd = 6, two_leg_sd = 3, raise_sd = 2;
  signal::PlateSample s;
  switch (c_.scenario) {
    case Scenario::quiet_stance:
      sway(1 / c_.rate_hz, two_leg_sd);
      s = quiet(t);
      break;
    case Scenario::step_off:
      sway(1 / c_.rate_hz, two_leg_sd);
      s = quiet(t);
      s.fz_n *= 1 - smoothstep((t - c_.step_off_s) / 0.3);
      break;
    case Scenario::single_leg_touchdown: {
      sway(1 / c_.rate_hz, single_leg_sd);
      s = {t, c_.body_weight_n * (1 + sway_fz_), sway_x_, sway_y_};
      const double landed = smoothstep((t - c_.touchdown_s) / 0.04);  // 40 ms from first contact to settled
      if (c_.touchdown_place == TouchdownPlace::off_plate) {
        s.fz_n *= 1 - 0.5 * landed;
        s.cop_x_mm += 8 * landed;
      } else {
        s.cop_x_mm -= 60 * landed;  // the other foot, ~15 cm to the left, takes ~40 % of the weight
      }
      break;
    }
    case Scenario::heel_raises:
      sway(1 / c_.rate_hz, raise_sd);
      s = heel_raise(t);
      break;
    case Scenario::lunge:
      sway(1 / c_.rate_hz, raise_sd);
      s = lunge(t);
      break;
    case Scenario::placements:
      s = placement(t);
      break;
  }
  if (s.fz_n < signal::kUnloadedFz_n) s.cop_x_mm = s.cop_y_mm = 0;
  SimSample out{s, signal::load_to_cells(c_.true_layout, s.fz_n, s.cop_x_mm, s.cop_y_mm)};
  for (std::size_t cell = 0; cell < signal::kCellCount; ++cell) {
    const double sign = cell % 2 == 0 ? 1 : -1;
    double newtons = sign * c_.cell_drift_n_per_s * t;
    if (c_.cell_noise_n > 0) newtons += c_.cell_noise_n * normal();
    out.cells[cell] += newtons / c_.true_layout.gain_n_per_unit[cell];
  }
  return out;
}

signal::Recording generate_recording(const ScenarioConfig& config, const signal::CellLayout& layout) {
  ScenarioGenerator gen(config);
  signal::Recording rec;
  rec.source = fmt::format("sim:{} seed {} at {} Hz", name_of(config.scenario), config.seed, config.rate_hz);
  rec.t_s.reserve(gen.total_samples());
  rec.cells.reserve(gen.total_samples());
  while (!gen.done()) {
    const auto s = gen.next();
    rec.push_back(signal::cells_to_load(layout, s.cells, s.truth.t_s));
    rec.cells.push_back(s.cells);
  }
  return rec;
}

signal::Recording generate_recording(const ScenarioConfig& config) {
  return generate_recording(config, config.true_layout);
}

}  // namespace kiosk::sim
