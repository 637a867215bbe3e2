// Centre-of-pressure sway metrics, defined exactly as the BDS authors define
// theirs (shared/datasets/bds/README.md; Santos & Duarte 2016), so the
// kiosk's numbers can be checked against published results. An even
// recording is neither filtered nor detrended; an uneven one gets the sway
// band of resample.h (the one exception, for Bluetooth plates).
#pragma once
#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "signal/recording.h"

namespace kiosk::signal {

struct SwayMetrics {
  std::size_t samples = 0;
  double duration_s = 0;     // n · mean sample interval (n/100 s for BDS)
  double path_mm = 0;        // Σ √(Δx² + Δy²)
  double velocity_mm_s = 0;  // path / duration
  double rms_x_mm = 0;       // about the mean (population form, 1/n)
  double rms_y_mm = 0;
  double range_x_mm = 0;  // max − min
  double range_y_mm = 0;
  double area95_mm2 = 0;    // 95 % prediction ellipse
  double mean_freq_hz = 0;  // Welch mean power frequency, axes combined
};

inline constexpr std::size_t kMinMetricSamples = 32;

// A recording sampled unevenly (a Bluetooth plate) is first put on the
// uniform 100 Hz grid the norms were measured on, its COP limited to the
// 10 Hz sway band so the metrics do not depend on the board's rate
// (sway_grid, resample.h); an even one is used as it is (the BDS definition).
// Throws RecordingError if the recording has no COP columns, fewer than
// kMinMetricSamples samples, or any sample with Fz below kUnloadedFz_n
// (nobody on the plate: the COP means nothing there).
SwayMetrics sway_metrics(const Recording& recording);

// The sway measures by the one name each has everywhere (scripts' measures,
// kioskctl, the session record, CSV, FHIR, docs): x is medio-lateral ("ml"),
// y antero-posterior ("ap"). path_mm, velocity_mm_s, area95_mm2, ml_range_mm,
// ap_range_mm, ml_rms_mm, ap_rms_mm, mean_freq_hz, in that order.
std::vector<std::pair<std::string_view, double>> named_sway_measures(const SwayMetrics& m);

double path_length_mm(std::span<const double> x, std::span<const double> y);
double rms_about_mean(std::span<const double> v);
double value_range(std::span<const double> v);

// Quantile of the F distribution with 2 and m degrees of freedom. With d1 = 2
// the CDF is I_z(1, m/2) = 1 − (1 + 2x/m)^(−m/2) (Abramowitz & Stegun 26.6.2
// with I_z(1, b) = 1 − (1 − z)^b), so x = (m/2)·((1 − p)^(−2/m) − 1) exactly.
// Needs 0 < p < 1 and m > 0, else throws std::invalid_argument.
double f_quantile_2dof(double p, double m);

// Area of the 95 % prediction ellipse: π·k·√(λ1·λ2) = π·k·√det(C), where C
// is the sample covariance (1/(n−1)) of (x, y) and k = F(0.95; 2, n−2) ·
// 2(n−1)(n+1) / (n(n−2)) (the BDS README's factor). Needs n >= 3.
double prediction_ellipse_area95(std::span<const double> x, std::span<const double> y);

// Each axis: Welch spectrum (spectrum.h, BDS settings), mean frequency by the
// trapezoid rule; the two combined weighted by each axis's plain Σ P.
double mean_power_frequency_hz(std::span<const double> x, std::span<const double> y, double rate_hz);

}  // namespace kiosk::signal
