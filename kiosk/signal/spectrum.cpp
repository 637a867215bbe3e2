#include "signal/spectrum.h"

#include <fftw3.h>

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numbers>
#include <numeric>
#include <stdexcept>

#include "signal/fast_sum.h"

namespace kiosk::signal {
namespace {

// FFTW's planner is not thread-safe (executing a plan is), and planning
// costs far more than a transform (~7 ms against ~0.1 ms for n = 30000).
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

struct FftwFree {
  void operator()(void* p) const { fftw_free(p); }
};

struct Plan {
  fftw_plan plan = nullptr;
  std::vector<double> hann;  // periodic Hann window of the plan's length
  double hann_power = 0;     // Σ w²
  ~Plan() {
    std::lock_guard lock(planner_mutex());
    fftw_destroy_plan(plan);
  }
};

// A plan per transform size, kept for the next call; at most 8 sizes (a
// plan still in use by another thread lives on through its shared_ptr).
std::shared_ptr<const Plan> plan_for(std::size_t n) {
  static std::map<std::size_t, std::shared_ptr<const Plan>> cache;
  std::shared_ptr<const Plan> evicted;  // destroyed after the lock is released: ~Plan takes the lock too
  std::lock_guard lock(planner_mutex());
  if (auto it = cache.find(n); it != cache.end()) return it->second;
  std::unique_ptr<double, FftwFree> in(static_cast<double*>(fftw_malloc(sizeof(double) * n)));
  std::unique_ptr<fftw_complex, FftwFree> out(
      static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * (n / 2 + 1))));
  if (!in || !out) throw std::bad_alloc();
  auto plan = std::make_shared<Plan>();
  plan->plan = fftw_plan_dft_r2c_1d(static_cast<int>(n), in.get(), out.get(), FFTW_ESTIMATE);
  if (!plan->plan) throw std::runtime_error("FFTW could not plan a transform");
  plan->hann.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    // Periodic ("DFT-even") Hann, as scipy's get_window('hann', N) returns.
    plan->hann[k] = 0.5 - 0.5 * std::cos(2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(n));
    plan->hann_power += plan->hann[k] * plan->hann[k];
  }
  if (cache.size() >= 8) {
    evicted = std::move(cache.begin()->second);
    cache.erase(cache.begin());
  }
  cache.emplace(n, plan);
  return plan;
}

// A real-to-complex FFT of one size. Its aligned buffers are per thread and
// reused (fftw_malloc gives every buffer the alignment the cached plan expects).
class RealFft {
 public:
  explicit RealFft(std::size_t n) : n_(n), plan_(plan_for(n)) {
    thread_local Buffers buffers;
    if (buffers.n < n) {
      buffers.in.reset(static_cast<double*>(fftw_malloc(sizeof(double) * n)));
      buffers.out.reset(static_cast<fftw_complex*>(fftw_malloc(sizeof(fftw_complex) * (n / 2 + 1))));
      if (!buffers.in || !buffers.out) {
        buffers.n = 0;
        throw std::bad_alloc();
      }
      buffers.n = n;
    }
    in_ = buffers.in.get();
    out_ = buffers.out.get();
  }

  double* input() { return in_; }
  const std::vector<double>& hann() const { return plan_->hann; }
  double hann_power() const { return plan_->hann_power; }
  // Transforms input() and adds |X_k|² to sum[k] for k = 0..n/2.
  void add_power(std::vector<double>& sum) {
    fftw_execute_dft_r2c(plan_->plan, in_, out_);
    for (std::size_t k = 0; k <= n_ / 2; ++k) sum[k] += out_[k][0] * out_[k][0] + out_[k][1] * out_[k][1];
  }

 private:
  struct Buffers {
    std::unique_ptr<double, FftwFree> in;
    std::unique_ptr<fftw_complex, FftwFree> out;
    std::size_t n = 0;
  };
  std::size_t n_;
  std::shared_ptr<const Plan> plan_;
  double* in_ = nullptr;
  fftw_complex* out_ = nullptr;
};

}  // namespace

Spectrum welch_bds(std::span<const double> x, double rate_hz) {
  const std::size_t n = x.size();
  if (n < 8 || !(rate_hz > 0)) throw std::invalid_argument("welch: need at least 8 samples and a positive rate");
  const std::size_t nperseg = n / 2;
  const std::size_t noverlap = n / 4;
  const std::size_t step = nperseg - noverlap;
  const std::size_t segments = (n - noverlap) / step;

  RealFft fft(nperseg);
  const auto& window = fft.hann();
  Spectrum s;
  s.df_hz = rate_hz / static_cast<double>(nperseg);
  s.power.assign(nperseg / 2 + 1, 0.0);
  double* in = fft.input();
  for (std::size_t seg = 0; seg < segments; ++seg) {
    const double* first = x.data() + seg * step;
    const double mean = detail::sum4(nperseg, [&](std::size_t k) { return first[k]; }) / static_cast<double>(nperseg);
    for (std::size_t k = 0; k < nperseg; ++k) in[k] = (first[k] - mean) * window[k];
    fft.add_power(s.power);
  }
  const double scale = 1.0 / (rate_hz * fft.hann_power() * static_cast<double>(segments));
  const std::size_t last_doubled = nperseg % 2 == 0 ? s.power.size() - 1 : s.power.size();
  for (std::size_t k = 0; k < s.power.size(); ++k) s.power[k] *= (k > 0 && k < last_doubled) ? 2 * scale : scale;
  return s;
}

double mean_frequency_hz(const Spectrum& s) {
  if (s.power.size() < 2) return 0;
  // Uniform spacing: trapezoid = df·(Σ v − (v_first + v_last)/2); df cancels.
  double fp = 0, p = 0;
  for (std::size_t k = 0; k < s.power.size(); ++k) {
    const double w = (k == 0 || k + 1 == s.power.size()) ? 0.5 : 1.0;
    fp += w * static_cast<double>(k) * s.df_hz * s.power[k];
    p += w * s.power[k];
  }
  return p > 0 ? fp / p : 0;
}

double power_sum(const Spectrum& s) { return std::accumulate(s.power.begin(), s.power.end(), 0.0); }

}  // namespace kiosk::signal
