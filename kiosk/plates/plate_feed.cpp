#include "plates/plate_feed.h"

#include <cmath>
#include <stdexcept>

#include "core/calibration/calibration_math.h"
#include "core/log.h"

namespace kiosk::plates {

PlateFeed::PlateFeed(std::unique_ptr<DeviceStream> stream, FeedOptions options)
    : stream_(std::move(stream)), options_(std::move(options)) {
  if (options_.auto_zero && !options_.layout) throw std::invalid_argument("an auto-zero needs the plate's layout");
  batch_.reserve(4096);
}

PlateFeed::~PlateFeed() { stream_->stop(); }

void PlateFeed::start(uint32_t rate_hz) {
  have_t0_ = false;  // a new stream starts its own time
  stream_->start(rate_hz);
}

void PlateFeed::stop() { stream_->stop(); }

FeedSample PlateFeed::through(double t_s, const kp_sample& raw) const {
  FeedSample s;
  s.t_s = t_s;
  s.sample = &raw;
  for (std::size_t c = 0; c < signal::kCellCount; ++c) s.cells[c] = raw.raw[c];
  if (options_.layout)
    s.load = signal::cells_to_load(*options_.layout, s.cells, t_s);
  else
    s.load.t_s = t_s;
  return s;
}

std::size_t PlateFeed::pump(const Sink& sink) {
  batch_.clear();
  stream_->drain(batch_);
  std::size_t handed = 0;
  for (const auto& raw : batch_) {
    if (!have_t0_) {
      have_t0_ = true;
      t0_ns_ = raw.t_ns;
      zero_decided_ = !options_.auto_zero;
    }
    const double t_s = static_cast<double>(raw.t_ns - t0_ns_) * 1e-9;
    if (!zero_decided_) {
      if (hold_for_zero(t_s, raw)) continue;
      const auto held_back = std::move(pre_roll_);  // released once, even if the sink stops early
      pre_roll_.clear();
      for (const auto& held : held_back) {
        ++handed;
        if (!sink(through(held.t_s, held.sample))) return handed;
      }
      continue;
    }
    ++handed;
    if (!sink(through(t_s, raw))) return handed;
  }
  return handed;
}

bool PlateFeed::hold_for_zero(double t_s, const kp_sample& raw) {
  pre_roll_.push_back({t_s, raw});
  // Someone on the plate already: no zero; otherwise wait for the whole window.
  if (std::abs(through(t_s, raw).load.fz_n) >= kAutoZeroMax_n || t_s >= kAutoZero_s) decide_zero();
  return !zero_decided_;
}

void PlateFeed::decide_zero() {
  zero_decided_ = true;
  auto& layout = *options_.layout;
  const double gain =
      (layout.gain_n_per_unit[0] + layout.gain_n_per_unit[1] + layout.gain_n_per_unit[2] + layout.gain_n_per_unit[3]) /
      4;
  calibration::ReadingAccumulator empty(gain, 0);
  for (const auto& held : pre_roll_) {
    const auto s = through(held.t_s, held.sample);
    if (std::abs(s.load.fz_n) >= kAutoZeroMax_n) return;  // loaded: keep the zero
    empty.push(held.t_s, s.cells);
  }
  const auto reading = empty.reading();
  if (reading.duration_s + 0.05 < kAutoZero_s || !reading.stable()) return;
  layout.offset_units = reading.mean;
  zeroed_ = true;
  log::get("plates")->info("{}: zeroed on the empty plate ({} samples)", options_.name, reading.samples);
}

}  // namespace kiosk::plates
