// Calibration maths of a four-cell plate: the one home used by the wizard
// (kiosk/plates/calibration_wizard.h), kioskctl calibrate and the tests.
//
// Units: raw cell values in the plate's own units ("counts"); force in
// newtons; positions in mm from the plate centre (x + to the right, y +
// toward the toes, as in clinical/BRIEF.md); masses in kg; gravity is the
// standard 9.80665 m/s². Cells as in signal/cell_layout.h: c0
// front-left, c1 front-right, c2 back-left, c3 back-right, at (±hx, ±hy).
//
// 1. Stability. A reading is stable when the means of its consecutive
//    0.25 s blocks over the last second agree within a tolerance
//    (`stability_tolerance_n`: the larger of 1 N and 0.25 % of the load).
//    Block means, not single samples: cell noise averages out, a rocking
//    mass or a hand on the plate does not. stability = tolerance / spread,
//    clamped to 0..1 (1 = stable).
// 2. Zero. offset_c = mean of cell c over ≥ 2 s of a stable, empty plate.
// 3. Gains. A mass m rests at marks p = 1..n (n ≥ 5; centre and four
//    quadrant marks). With r_pc = mean_pc − offset_c and W = m·g, each
//    placement gives three equations in the four unknown gains g_c (N/count):
//        Σ_c g_c·r_pc          = W            (vertical force)
//        Σ_c g_c·r_pc·x_c / hx = W·x_p / hx   (moment about the y axis)
//        Σ_c g_c·r_pc·y_c / hy = W·y_p / hy   (moment about the x axis)
//    Rows are divided by W and the unknowns written as u_c = g_c / nominal_c,
//    so every entry is dimensionless and O(1); the 3n×4 system is solved
//    by least squares (Householder QR). Its condition number (ratio of the
//    largest to the smallest singular value) must stay below
//    kMaxCondition: marks that cannot tell the cells apart (all at the
//    centre, all on one point) are refused, as is any fitted gain ≤ 0.
// 4. Verification. With the fitted layout each placement's mean gives
//    Fz and COP: force error % = 100·(Fz − W)/W, COP error mm = distance
//    from the mark; RMS of both; passed when every placement is within
//    the thresholds (defaults ±1 % and 5 mm; config calibration.*).
// Refusals carry a reason staff can act on ("too few placements: 3 of 5").
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "signal/cell_layout.h"

namespace kiosk::calibration {

inline constexpr double kGravity_m_s2 = 9.80665;
inline constexpr std::size_t kMinPlacements = 5;
inline constexpr double kMinZero_s = 2;          // the zero averages at least this long
inline constexpr double kMinHold_s = 2;          // each placement, likewise
inline constexpr double kBlock_s = 0.25;         // stability block
inline constexpr double kStabilityWindow_s = 1;  // blocks compared for stability
inline constexpr double kMaxCondition = 50;      // centre + 4 quadrant marks on a 300×400 mm plate: ~3

struct Mark {
  std::string name;  // "centre", "front-left", ... (shown to the technician)
  double x_mm = 0;
  double y_mm = 0;
};

struct Thresholds {
  double force_pct = 1;  // |force error| at every placement, %
  double cop_mm = 5;     // COP error at every placement, mm
};

// Mean of a stretch of raw samples, and how steady it was.
struct Reading {
  signal::CellValues mean{};  // raw units
  double duration_s = 0;
  double spread_n = 0;     // max − min of 0.25 s block means of the total force (nominal gains), N
  double tolerance_n = 0;  // the spread allowed for it to count as stable, N
  std::size_t samples = 0;
  bool stable() const { return spread_n <= tolerance_n; }
};

// The spread allowed for a load of `load_n` (0 for the empty plate).
double stability_tolerance_n(double load_n);

// Means of consecutive kBlock_s blocks of the total force (N): push()
// returns a block's mean when the sample after it arrives.
class BlockMeans {
 public:
  explicit BlockMeans(double gain_n_per_unit) : gain_(gain_n_per_unit) {}
  std::optional<double> push(double t_s, const signal::CellValues& raw);
  void reset() { *this = BlockMeans(gain_); }

 private:
  double gain_;
  double start_s_ = 0, sum_ = 0;
  std::size_t n_ = 0;
};

// Streams raw samples; tells how steady the last second was. Total force is
// Σ nominal_gain·raw (the plate's description), enough to judge steadiness.
class StabilityMeter {
 public:
  StabilityMeter(double nominal_gain_n_per_unit, double expected_load_n);
  void push(double t_s, const signal::CellValues& raw);
  void reset();
  // 0..1; 1 once the last second's block means agree within the tolerance.
  double stability() const;
  bool stable() const { return have_window() && spread_n() <= tolerance_n_; }
  double spread_n() const;
  double tolerance_n() const { return tolerance_n_; }

 private:
  bool have_window() const;
  BlockMeans blocks_;
  double tolerance_n_;
  std::vector<double> block_means_;  // finished blocks, newest last (at most a window's worth)
};

// Accumulates a reading (mean, spread) from raw samples.
class ReadingAccumulator {
 public:
  ReadingAccumulator(double nominal_gain_n_per_unit, double expected_load_n);
  void push(double t_s, const signal::CellValues& raw);
  void reset();
  double duration_s() const { return samples_ ? last_s_ - first_s_ : 0; }
  Reading reading() const;

 private:
  BlockMeans blocks_;
  double tolerance_n_;
  signal::CellValues sum_{};
  std::size_t samples_ = 0;
  double first_s_ = 0, last_s_ = 0;
  double block_min_ = 0, block_max_ = 0;
  bool have_block_ = false;
};

struct PlacementCheck {
  Mark mark;
  double fz_n = 0, cop_x_mm = 0, cop_y_mm = 0;
  double force_error_pct = 0;
  double cop_error_mm = 0;
  bool passed = false;
};

struct Verification {
  std::vector<PlacementCheck> placements;
  double rms_force_pct = 0, rms_cop_mm = 0;
  double max_force_pct = 0, max_cop_mm = 0;  // largest magnitudes
  Thresholds thresholds;
  bool passed = false;
};

struct Fit {
  signal::CellLayout layout;  // fitted gains, the zero's offsets, the plate's geometry
  double condition = 0;       // of the scaled least-squares system
  Verification verification;
};

// A fit, or why there is none.
struct FitOutcome {
  std::optional<Fit> fit;
  std::string refused;  // empty when fit has a value
};

// zero: the empty plate; placements[i] the mass at marks[i]. `nominal`
// gives the geometry (half spans) and the scale of the gains.
FitOutcome fit_gains(const signal::CellLayout& nominal, const Reading& zero, const std::vector<Mark>& marks,
                     const std::vector<Reading>& placements, double mass_kg, const Thresholds& thresholds);

// Checks `layout` against the mass at each mark (used by the fit and by the
// daily spot check with the stored layout and a fresh zero).
Verification verify(const signal::CellLayout& layout, const std::vector<Mark>& marks,
                    const std::vector<Reading>& placements, double mass_kg, const Thresholds& thresholds);

// Why a reading cannot be used, or empty. `what` names it ("zero", "mark front-left").
std::string check_reading(const Reading& reading, double min_s, std::string_view what);

}  // namespace kiosk::calibration
