#include "signal/lowpass.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace kiosk::signal {
namespace {

struct Biquad {
  double b0, b1, b2, a1, a2;  // a0 normalised to 1
};

Biquad butterworth2(double rate_hz, double cutoff_hz) {
  const double k = std::tan(std::numbers::pi * cutoff_hz / rate_hz);
  const double norm = 1 / (1 + std::numbers::sqrt2 * k + k * k);
  const double b0 = k * k * norm;
  return {b0, 2 * b0, b0, 2 * (k * k - 1) * norm, (1 - std::numbers::sqrt2 * k + k * k) * norm};
}

// Direct form II transposed, state set as if x[0] had been there forever.
void run(const Biquad& f, std::vector<double>& x) {
  double z1 = (1 - f.b0) * x.front();
  double z2 = (f.b2 - f.a2) * x.front();
  for (double& v : x) {
    const double in = v;
    const double out = f.b0 * in + z1;
    z1 = f.b1 * in - f.a1 * out + z2;
    z2 = f.b2 * in - f.a2 * out;
    v = out;
  }
}

}  // namespace

std::vector<double> lowpass_zero_phase(std::span<const double> x, double rate_hz, double cutoff_hz) {
  if (!(rate_hz > 0) || !(cutoff_hz > 0) || !(cutoff_hz < rate_hz / 2))
    throw std::invalid_argument("lowpass: need 0 < cutoff < rate/2");
  if (x.size() < 2) return {x.begin(), x.end()};
  const std::size_t pad = std::min<std::size_t>(9, x.size() - 1);
  std::vector<double> y;
  y.reserve(x.size() + 2 * pad);
  for (std::size_t i = pad; i >= 1; --i) y.push_back(2 * x.front() - x[i]);
  y.insert(y.end(), x.begin(), x.end());
  for (std::size_t i = 1; i <= pad; ++i) y.push_back(2 * x.back() - x[x.size() - 1 - i]);
  const auto f = butterworth2(rate_hz, cutoff_hz);
  run(f, y);
  std::reverse(y.begin(), y.end());
  run(f, y);
  std::reverse(y.begin(), y.end());
  return {y.begin() + static_cast<std::ptrdiff_t>(pad), y.end() - static_cast<std::ptrdiff_t>(pad)};
}

}  // namespace kiosk::signal
