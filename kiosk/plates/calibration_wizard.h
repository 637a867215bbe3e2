// The calibration wizard, headless: one plate's live stream driven through
// zeroing → the mass on mark 1 of n (lift it between marks) → the report
// → accept or reject. The technician screen draws it
// (ui/screens/calibration_screen.h); `kioskctl calibrate` runs it on a
// terminal. Readings are taken by themselves once the plate is steady, so
// the same flow runs unattended. The maths is core/calibration's.
// The daily spot check is the same wizard with one mark (the centre) and
// the stored calibration in place of a fit.
// Thread: main (UI) thread; call pump() every frame or every few ms.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/calibration/calibration_record.h"
#include "core/calibration/positions_file.h"
#include "core/config.h"
#include "plates/device_stream.h"
#include "plates/plate_feed.h"
#include "plates/sim_clock.h"

namespace kiosk::plates {

struct WizardSetup {
  calibration::RunKind kind = calibration::RunKind::calibration;
  double mass_kg = 20;
  std::string positions_name;            // shown and stored
  std::vector<calibration::Mark> marks;  // a check uses only the first (the centre)
  calibration::Timing timing;            // timeout_s: longest wait for one step
  calibration::Thresholds thresholds;
  std::string technician;
  // check: the calibration under test (its gains; the zero is taken afresh).
  std::optional<calibration::CalibrationRecord> checked;
};

// A setup from the config's thresholds: a calibration over the file's marks
// and timing, or (RunKind::check) the daily check on the centre mark with
// `checked`, the calibration in force. Thread: any.
WizardSetup calibration_setup(const Config& config, double mass_kg, const calibration::PositionsFile& positions,
                              std::string technician);
WizardSetup check_setup(const Config& config, double mass_kg, calibration::CalibrationRecord checked,
                        std::string technician);

// Live values for the plots, about 25 points a second, the last ~10 s.
struct ChannelPlot {
  static constexpr std::size_t kPoints = 256;
  std::array<std::array<float, kPoints>, signal::kCellCount> raw{};  // per cell, raw units
  std::array<float, kPoints> fz_n{}, cop_x_mm{}, cop_y_mm{};         // through the current layout
  std::size_t size = 0, next = 0;                                    // ring: oldest at `next` when full
};

class CalibrationWizard {
 public:
  enum class Phase { zeroing, placing, lifting, report, refused, accepted, rejected };

  // Starts the stream. Throws PlateError (device) or std::invalid_argument
  // (a plate the host cannot calibrate, a setup without marks or mass).
  CalibrationWizard(std::unique_ptr<DeviceStream> stream, WizardSetup setup);
  ~CalibrationWizard();
  CalibrationWizard(const CalibrationWizard&) = delete;
  CalibrationWizard& operator=(const CalibrationWizard&) = delete;

  Phase pump();
  Phase phase() const { return phase_; }
  bool finished() const { return phase_ == Phase::accepted || phase_ == Phase::rejected || phase_ == Phase::refused; }
  // In report: the technician's decision (refused runs are final already).
  void accept();
  void reject();
  // Any time before the end: stops, and the run is refused as cancelled.
  void cancel();

  const WizardSetup& setup() const { return setup_; }
  std::size_t mark_count() const { return setup_.marks.size(); }
  std::size_t mark_index() const { return mark_; }  // the mark in use (placing/lifting)
  const calibration::Mark& target() const { return setup_.marks[std::min(mark_, setup_.marks.size() - 1)]; }
  double stability() const;         // 0..1 of the current phase's meter
  double reading_progress() const;  // 0..1 of the reading being taken
  double phase_elapsed_s() const { return elapsed_s_ - phase_since_s_; }
  double load_n() const { return load_n_; }  // Σ nominal gain × (raw − zero), N
  const ChannelPlot& plot() const { return plot_; }
  const signal::CellValues& latest_raw() const { return latest_raw_; }
  const signal::PlateSample& latest_calibrated() const { return latest_; }
  // Filled as the run goes; whole from report on (status set by accept/reject/refusal).
  const calibration::CalibrationRecord& record() const { return record_; }
  const std::string& refusal() const { return record_.refused; }
  const kp_device_info& device() const { return feed_.info(); }

 private:
  void take(const FeedSample& s);
  // Feeds the meter, and the reading while steady; true once it is min_s long and steady.
  bool steady_reading(double t_s, const signal::CellValues& raw, double min_s);
  void enter(Phase phase);
  void refuse(std::string why);
  void finish_readings();
  void plot_point(const FeedSample& s);
  double expected_n() const;
  void use_layout(const signal::CellLayout& layout);  // for the calibrated plots, from the next sample

  PlateFeed feed_;  // drain, time zero; Fz and COP through current_ (raw cells for the maths)
  WizardSetup setup_;
  signal::CellLayout nominal_, current_;  // current: what the calibrated plots use
  double nominal_gain_ = 0;               // mean of the nominal gains (stability, load)
  calibration::StabilityMeter meter_;
  calibration::ReadingAccumulator reading_;
  calibration::CalibrationRecord record_;
  Phase phase_ = Phase::zeroing;
  std::size_t mark_ = 0;
  double elapsed_s_ = 0, phase_since_s_ = 0, next_plot_s_ = 0, load_n_ = 0;
  signal::CellValues latest_raw_{};
  signal::PlateSample latest_{};
  ChannelPlot plot_;
};

std::string_view to_string(CalibrationWizard::Phase phase);

// The rate the wizard streams at: 1 kHz when offered, else the fastest below, else the first.
uint32_t calibration_rate(const kp_device_info& info);

// On the simulated plate, plays the technician: the empty plate, then the
// mass on each mark with the setup's timing, at `pace` (its own pace,
// KIOSK_SIM_PLATE, by default; tests: the virtual clock). False for any other plate.
bool act_out_on_sim(const LoadedPlugin& plugin, const WizardSetup& setup, SimPace pace = {});

}  // namespace kiosk::plates
