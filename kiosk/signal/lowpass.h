// Optional smoothing, kept apart from the reference metrics (which use the
// raw COP, as the BDS authors did).
#pragma once
#include <span>
#include <vector>

namespace kiosk::signal {

// Zero-phase low-pass: a 2nd-order Butterworth section (bilinear transform
// with pre-warping of H(s) = 1/(s² + √2·s + 1)) run forward then backward,
// so the result has no lag and an effective 4th-order roll-off (−6 dB at
// cutoff_hz). The ends are padded with an odd reflection of 3·(2+1) = 9
// samples and the state starts at steady state, as scipy's filtfilt does.
// Needs 0 < cutoff_hz < rate_hz/2, else throws std::invalid_argument;
// fewer than 2 samples are returned unchanged.
std::vector<double> lowpass_zero_phase(std::span<const double> samples, double rate_hz, double cutoff_hz);

}  // namespace kiosk::signal
