// Signal library costs. Budgets (issue 4): all sway metrics over 60 s at
// 1 kHz in < 5 ms; detectors cheap enough per sample for 10 kHz streams.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "signal/body_weight.h"
#include "signal/heel_raise.h"
#include "signal/lowpass.h"
#include "signal/metrics.h"
#include "signal/touchdown.h"
#include "sim/scenario.h"

using namespace kiosk;

namespace {

// 60 s of quiet stance at 1 kHz: a real BDS trial resampled when shared/ is there.
const signal::Recording& quiet_60s_1khz() {
  static const signal::Recording rec = [] {
    sim::ScenarioConfig c;
    c.rate_hz = 1000;
    c.duration_s = 60;
    const auto trial = std::filesystem::path(KIOSK_SOURCE_DIR) / ".." / "shared/datasets/bds/trials/BDS00001.txt";
    if (std::filesystem::exists(trial)) c.replay_bds = trial;
    return sim::generate_recording(c);
  }();
  return rec;
}

const signal::Recording& raises_1khz() {
  static const signal::Recording rec = [] {
    sim::ScenarioConfig c;
    c.scenario = sim::Scenario::heel_raises;
    c.rate_hz = 1000;
    c.reps = 30;
    c.cell_noise_n = 2;
    return sim::generate_recording(c);
  }();
  return rec;
}

const signal::Recording& touchdown_1khz() {
  static const signal::Recording rec = [] {
    sim::ScenarioConfig c;
    c.scenario = sim::Scenario::single_leg_touchdown;
    c.rate_hz = 1000;
    c.touchdown_s = 55;  // late, so nearly every sample goes through the full check
    c.cell_noise_n = 2;
    return sim::generate_recording(c);
  }();
  return rec;
}

void BM_AllMetrics_60s_1kHz(benchmark::State& state) {
  const auto& rec = quiet_60s_1khz();
  for (auto _ : state) benchmark::DoNotOptimize(signal::sway_metrics(rec));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rec.size()));
}
BENCHMARK(BM_AllMetrics_60s_1kHz)->Unit(benchmark::kMillisecond);

void BM_MeanPowerFrequency_60s_1kHz(benchmark::State& state) {
  const auto& rec = quiet_60s_1khz();
  for (auto _ : state) benchmark::DoNotOptimize(signal::mean_power_frequency_hz(rec.cop_x_mm, rec.cop_y_mm, 1000));
}
BENCHMARK(BM_MeanPowerFrequency_60s_1kHz)->Unit(benchmark::kMillisecond);

void BM_LowpassZeroPhase_60s_1kHz(benchmark::State& state) {
  const auto& rec = quiet_60s_1khz();
  for (auto _ : state) benchmark::DoNotOptimize(signal::lowpass_zero_phase(rec.cop_x_mm, 1000, 10));
}
BENCHMARK(BM_LowpassZeroPhase_60s_1kHz)->Unit(benchmark::kMillisecond);

// Per-sample cost: items/s is samples per second of one core.
template <typename Make>
void per_sample(benchmark::State& state, const signal::Recording& rec, Make make) {
  for (auto _ : state) {
    auto detector = make();
    for (std::size_t i = 0; i < rec.size(); ++i) benchmark::DoNotOptimize(detector.update(rec.sample(i)));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(rec.size()));
}

void BM_BodyWeight_PerSample(benchmark::State& state) {
  per_sample(state, quiet_60s_1khz(), [] { return signal::BodyWeightDetector{}; });
}
BENCHMARK(BM_BodyWeight_PerSample);

void BM_Touchdown_PerSample(benchmark::State& state) {
  per_sample(state, touchdown_1khz(), [] { return signal::TouchdownDetector(1000); });
}
BENCHMARK(BM_Touchdown_PerSample);

void BM_HeelRaise_PerSample(benchmark::State& state) {
  per_sample(state, raises_1khz(), [] { return signal::HeelRaiseCounter(1000); });
}
BENCHMARK(BM_HeelRaise_PerSample);

}  // namespace

BENCHMARK_MAIN();
