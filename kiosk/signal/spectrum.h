// Power spectra for sway analysis (FFTW underneath).
#pragma once
#include <span>
#include <vector>

namespace kiosk::signal {

struct Spectrum {
  double df_hz = 0;           // bin spacing; bin k is at k·df_hz
  std::vector<double> power;  // one-sided power spectral density, units²/Hz
};

// Welch's averaged periodogram with the settings the BDS authors used
// (shared/datasets/bds/README.md), matching scipy.signal.welch semantics:
// periodic Hann window of nperseg = n/2 samples, noverlap = n/4, nfft =
// nperseg, each segment's mean removed, density scaling 1/(fs·Σw²), one-sided
// (bins other than DC and an even-nfft Nyquist doubled), segments averaged.
// Needs n >= 8 and fs > 0, else throws std::invalid_argument.
Spectrum welch_bds(std::span<const double> samples, double rate_hz);

// ∫ f·P df / ∫ P df by the trapezoid rule; 0 for an all-zero spectrum.
double mean_frequency_hz(const Spectrum& spectrum);

// Plain sum of the spectrum's values (how the BDS metric weights the axes).
double power_sum(const Spectrum& spectrum);

}  // namespace kiosk::signal
