#include "plates/calibration_wizard.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "core/log.h"
#include "kiosk_plate_sim.h"
#include "plates/plate_calibration.h"

namespace kiosk::plates {
namespace {
constexpr double kPlotInterval_s = 0.04;  // 25 points a second
constexpr double kOnFraction = 0.5;       // the mass is on once the load reads half of it
constexpr double kOffFraction = 0.1;      // ... and lifted below a tenth

signal::CellLayout nominal_or_throw(const kp_device_info& info) {
  auto layout = nominal_layout(info);
  if (auto* why = std::get_if<std::string>(&layout)) throw std::invalid_argument(*why);
  return std::get<signal::CellLayout>(layout);
}
}  // namespace

std::string_view to_string(CalibrationWizard::Phase phase) {
  using P = CalibrationWizard::Phase;
  switch (phase) {
    case P::zeroing:
      return "zeroing";
    case P::placing:
      return "placing";
    case P::lifting:
      return "lifting";
    case P::report:
      return "report";
    case P::refused:
      return "refused";
    case P::accepted:
      return "accepted";
    case P::rejected:
      return "rejected";
  }
  return "?";
}

WizardSetup calibration_setup(const Config& config, double mass_kg, const calibration::PositionsFile& positions,
                              std::string technician) {
  WizardSetup s;
  s.kind = calibration::RunKind::calibration;
  s.mass_kg = mass_kg;
  s.positions_name = positions.name;
  s.marks = positions.marks;
  s.timing = positions.timing;
  s.thresholds = {config.calibration_force_tolerance_pct, config.calibration_cop_tolerance_mm};
  s.technician = std::move(technician);
  return s;
}

WizardSetup check_setup(const Config& config, double mass_kg, calibration::CalibrationRecord checked,
                        std::string technician) {
  WizardSetup s;
  s.kind = calibration::RunKind::check;
  s.mass_kg = mass_kg;
  s.positions_name = "centre";
  s.marks = {{"centre", 0, 0}};
  s.timing.timeout_s = 30;  // the daily check takes about 10 s of plate time; give up well inside 30 s a step
  s.thresholds = {config.calibration_force_tolerance_pct, config.calibration_cop_tolerance_mm};
  s.technician = std::move(technician);
  s.checked = std::move(checked);
  return s;
}

uint32_t calibration_rate(const kp_device_info& info) {
  uint32_t best = 0;
  for (uint32_t i = 0; i < std::min<uint32_t>(info.rate_count, KIOSK_PLATE_MAX_RATES); ++i)
    if (info.rates_hz[i] <= 1000) best = std::max(best, info.rates_hz[i]);
  return best ? best : info.rates_hz[0];
}

CalibrationWizard::CalibrationWizard(std::unique_ptr<DeviceStream> stream, WizardSetup setup)
    : feed_(std::move(stream), FeedOptions::raw_cells("calibration")),
      setup_(std::move(setup)),
      nominal_(nominal_or_throw(feed_.info())),
      current_(nominal_),
      nominal_gain_(std::accumulate(nominal_.gain_n_per_unit.begin(), nominal_.gain_n_per_unit.end(), 0.0) / 4),
      meter_(nominal_gain_, 0),
      reading_(nominal_gain_, 0) {
  if (!(setup_.mass_kg > 0)) throw std::invalid_argument("the mass must be positive");
  if (setup_.marks.empty()) throw std::invalid_argument("no marks to put the mass on");
  if (setup_.kind == calibration::RunKind::check) {
    if (!setup_.checked) throw std::invalid_argument("a spot check needs the calibration it checks");
    setup_.marks.resize(1);
    current_ = setup_.checked->layout;
  }
  use_layout(current_);
  const auto& info = feed_.info();
  record_.kind = setup_.kind;
  record_.status = calibration::RunStatus::refused;
  record_.device_serial = info.serial;
  record_.device_id = info.id;
  record_.device_model = info.model;
  record_.technician = setup_.technician;
  record_.mass_kg = setup_.mass_kg;
  record_.positions_name = setup_.positions_name;
  record_.marks = setup_.marks;
  if (setup_.checked) record_.checks_calibration = setup_.checked->id;
  feed_.start(calibration_rate(info));
  log::get("calibration")
      ->info("{} of {} started: {} marks, {} kg, technician={}", to_string(setup_.kind), info.id, setup_.marks.size(),
             setup_.mass_kg, setup_.technician);
}

CalibrationWizard::~CalibrationWizard() { feed_.stop(); }

void CalibrationWizard::use_layout(const signal::CellLayout& layout) {
  current_ = layout;
  feed_.set_layout(current_);
}

double CalibrationWizard::expected_n() const { return setup_.mass_kg * calibration::kGravity_m_s2; }

CalibrationWizard::Phase CalibrationWizard::pump() {
  const auto running = [this] {
    return phase_ == Phase::zeroing || phase_ == Phase::placing || phase_ == Phase::lifting;
  };
  if (!running()) return phase_;
  feed_.pump([&](const FeedSample& s) {
    take(s);
    return running();
  });
  if (!running()) return phase_;
  if (feed_.stats().ended) refuse(fmt::format("the plate stopped streaming after {:.1f} s", elapsed_s_));
  return phase_;
}

void CalibrationWizard::take(const FeedSample& s) {
  const double t = s.t_s;
  const auto& raw = s.cells;
  elapsed_s_ = t;
  latest_raw_ = raw;
  load_n_ = 0;
  for (std::size_t c = 0; c < signal::kCellCount; ++c)
    load_n_ += nominal_.gain_n_per_unit[c] * (raw[c] - current_.offset_units[c]);
  plot_point(s);
  if (phase_elapsed_s() > setup_.timing.timeout_s) {
    if (phase_ == Phase::zeroing)
      refuse(
          fmt::format("zero: the empty plate did not stay steady for {:.0f} s in {:.0f} s (it moved {:.1f} N) — "
                      "take everything off the plate and keep it still",
                      calibration::kMinZero_s, setup_.timing.timeout_s, meter_.spread_n()));
    else if (phase_ == Phase::placing)
      refuse(fmt::format("mark {}: no steady reading of the mass in {:.0f} s — put it on the mark and let go",
                         target().name, setup_.timing.timeout_s));
    else
      refuse(
          fmt::format("mark {}: the mass was not lifted off within {:.0f} s", target().name, setup_.timing.timeout_s));
    return;
  }
  const double w = expected_n();
  switch (phase_) {
    case Phase::zeroing:
      if (steady_reading(t, raw, calibration::kMinZero_s)) {
        record_.zero = reading_.reading();
        auto zeroed = current_;
        zeroed.offset_units = record_.zero.mean;
        use_layout(zeroed);
        enter(Phase::placing);
      }
      return;
    case Phase::placing:
      if (load_n_ < -kOnFraction * w) {
        refuse(
            fmt::format("mark {}: the mass reads negative ({:.0f} N) — check the cell wiring, and that the plate "
                        "was empty while zeroing",
                        target().name, load_n_));
        return;
      }
      if (load_n_ < kOnFraction * w) {  // not on yet (or just lifted again)
        meter_.reset();
        reading_.reset();
        return;
      }
      if (steady_reading(t, raw, calibration::kMinHold_s)) {
        record_.placements.push_back(reading_.reading());
        if (record_.placements.size() == setup_.marks.size()) {
          finish_readings();
        } else {
          enter(Phase::lifting);
        }
      }
      return;
    case Phase::lifting:
      if (load_n_ < kOffFraction * w) {
        ++mark_;
        enter(Phase::placing);
      }
      return;
    default:
      return;
  }
}

bool CalibrationWizard::steady_reading(double t, const signal::CellValues& raw, double min_s) {
  meter_.push(t, raw);
  if (!meter_.stable()) {  // a reading is only of a plate that has been steady for the last second
    reading_.reset();
    return false;
  }
  reading_.push(t, raw);
  return reading_.duration_s() >= min_s && reading_.reading().stable();
}

void CalibrationWizard::enter(Phase phase) {
  phase_ = phase;
  phase_since_s_ = elapsed_s_;
  const double load = phase == Phase::placing ? expected_n() : 0;
  meter_ = calibration::StabilityMeter(nominal_gain_, load);
  reading_ = calibration::ReadingAccumulator(nominal_gain_, load);
  log::get("calibration")
      ->info("{}: {} mark={}/{}", record_.device_id, to_string(phase), mark_ + 1, setup_.marks.size());
}

void CalibrationWizard::finish_readings() {
  feed_.stop();
  if (setup_.kind == calibration::RunKind::calibration) {
    auto out = calibration::fit_gains(nominal_, record_.zero, setup_.marks, record_.placements, setup_.mass_kg,
                                      setup_.thresholds);
    if (!out.fit) {
      refuse(out.refused);
      return;
    }
    record_.layout = out.fit->layout;
    record_.condition = out.fit->condition;
    record_.verification = out.fit->verification;
  } else {
    record_.layout = setup_.checked->layout;
    record_.layout.offset_units = record_.zero.mean;
    record_.verification =
        calibration::verify(record_.layout, setup_.marks, record_.placements, setup_.mass_kg, setup_.thresholds);
  }
  use_layout(record_.layout);
  phase_ = Phase::report;
  log::get("calibration")
      ->info("{}: report passed={} rms_force_pct={:.3f} rms_cop_mm={:.2f}", record_.device_id,
             record_.verification.passed, record_.verification.rms_force_pct, record_.verification.rms_cop_mm);
}

void CalibrationWizard::refuse(std::string why) {
  feed_.stop();
  record_.refused = std::move(why);
  record_.status = calibration::RunStatus::refused;
  phase_ = Phase::refused;
  log::get("calibration")->warn("{}: refused: {}", record_.device_id, record_.refused);
}

void CalibrationWizard::accept() {
  if (phase_ != Phase::report) return;
  record_.status = calibration::RunStatus::accepted;
  phase_ = Phase::accepted;
}

void CalibrationWizard::reject() {
  if (phase_ != Phase::report) return;
  record_.status = calibration::RunStatus::rejected;
  phase_ = Phase::rejected;
}

void CalibrationWizard::cancel() {
  if (phase_ == Phase::report) return reject();
  if (!finished()) refuse("cancelled by the technician");
}

double CalibrationWizard::stability() const {
  if (phase_ == Phase::placing && load_n_ < kOnFraction * expected_n()) return 0;
  return meter_.stability();
}

double CalibrationWizard::reading_progress() const {
  const double need = phase_ == Phase::zeroing ? calibration::kMinZero_s : calibration::kMinHold_s;
  return std::clamp(reading_.duration_s() / need, 0.0, 1.0);
}

void CalibrationWizard::plot_point(const FeedSample& s) {
  const double t = s.t_s;
  const auto& raw = s.cells;
  latest_ = s.load;  // through current_
  if (t < next_plot_s_) return;
  next_plot_s_ = t + kPlotInterval_s;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) plot_.raw[c][plot_.next] = static_cast<float>(raw[c]);
  plot_.fz_n[plot_.next] = static_cast<float>(latest_.fz_n);
  plot_.cop_x_mm[plot_.next] = static_cast<float>(latest_.cop_x_mm);
  plot_.cop_y_mm[plot_.next] = static_cast<float>(latest_.cop_y_mm);
  plot_.next = (plot_.next + 1) % ChannelPlot::kPoints;
  plot_.size = std::min(plot_.size + 1, ChannelPlot::kPoints);
}

bool act_out_on_sim(const LoadedPlugin& plugin, const WizardSetup& setup, SimPace pace) {
  const auto* sim = static_cast<const kp_sim_v1*>(plugin.plugin->get_extension(KP_EXT_SIM_V1));
  if (!sim) return false;
  std::string marks;
  const std::size_t n = setup.kind == calibration::RunKind::check ? 1 : setup.marks.size();
  for (std::size_t i = 0; i < n; ++i)
    marks += fmt::format("{}{}:{}", i ? "," : "", setup.marks[i].x_mm, setup.marks[i].y_mm);
  auto spec = fmt::format("scenario=placements mass_kg={} marks={} zero_s={} hold_s={} move_s={}", setup.mass_kg, marks,
                          setup.timing.zero_s, setup.timing.hold_s, setup.timing.move_s);
  spec += pace.keys();
  if (sim->set_scenario(spec.c_str()) != KP_OK) {
    log::get("calibration")->warn("the simulated plate cannot play '{}': {}", spec, plugin.devices->last_error());
    return false;
  }
  return true;
}

}  // namespace kiosk::plates
