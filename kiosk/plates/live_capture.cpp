#include "plates/live_capture.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/calibration/calibration_math.h"
#include "core/log.h"

namespace kiosk::plates {
namespace {
constexpr double kTrailInterval_s = 0.02;  // 50 Hz is smooth on screen at any plate rate
}

LiveCapture::LiveCapture(std::unique_ptr<DeviceStream> stream, const signal::CellLayout& layout,
                         LiveCaptureOptions options)
    : stream_(std::move(stream)), layout_(layout), options_(std::move(options)) {
  signal::CaptureSettings settings;
  settings.rate_hz = options_.rate_hz;
  settings.cap_s = options_.max_s;
  settings.bpm = options_.bpm;
  analyzer_ = signal::make_capture_analyzer(options_.analyzer, settings);
  if (!analyzer_) throw std::invalid_argument(fmt::format("no detector named '{}'", options_.analyzer));
  batch_.reserve(4096);
  stream_->start(options_.rate_hz);
}

LiveCapture::~LiveCapture() { stream_->stop(); }

LiveCapture::State LiveCapture::pump() {
  if (state_ != State::running) return state_;
  batch_.clear();
  stream_->drain(batch_);
  for (const auto& raw : batch_) {
    if (!have_t0_) {
      have_t0_ = true;
      t0_ns_ = raw.t_ns;
      zero_decided_ = !options_.auto_zero;
    }
    signal::CellValues cells;
    for (std::size_t c = 0; c < signal::kCellCount; ++c) cells[c] = raw.raw[c];
    const double t_s = static_cast<double>(raw.t_ns - t0_ns_) * 1e-9;
    if (!zero_decided_) {
      pre_roll_.emplace_back(t_s, cells);
      // Someone on the plate already: no zero; otherwise wait for the whole window.
      if (std::abs(signal::cells_to_load(layout_, cells).fz_n) >= kAutoZeroMax_n || t_s >= kAutoZero_s) decide_zero();
      if (!zero_decided_) continue;
      for (const auto& [t, c] : pre_roll_)
        if (!process(t, c)) return state_;
      pre_roll_.clear();
      continue;
    }
    if (!process(t_s, cells)) return state_;
  }
  const auto stats = stream_->stats();
  if (stats.ended) {
    failure_ = fmt::format("the plate stopped streaming ({}) after {:.1f} s", stats.end_reason, elapsed_s_);
    end(State::failed);
  }
  return state_;
}

void LiveCapture::decide_zero() {
  zero_decided_ = true;
  const double gain = (layout_.gain_n_per_unit[0] + layout_.gain_n_per_unit[1] + layout_.gain_n_per_unit[2] +
                       layout_.gain_n_per_unit[3]) / 4;
  calibration::ReadingAccumulator empty(gain, 0);
  for (const auto& [t, c] : pre_roll_) {
    if (std::abs(signal::cells_to_load(layout_, c).fz_n) >= kAutoZeroMax_n) return;  // loaded: keep the zero
    empty.push(t, c);
  }
  const auto reading = empty.reading();
  if (reading.duration_s + 0.05 < kAutoZero_s || !reading.stable()) return;
  layout_.offset_units = reading.mean;
  zeroed_ = true;
  log::get("plates")->info("capture {}: zeroed on the empty plate ({} samples)", options_.analyzer, reading.samples);
}

bool LiveCapture::process(double t_s, const signal::CellValues& cells) {
  if (t_s > options_.max_s) {
    end(State::done);
    return false;
  }
  const auto s = signal::cells_to_load(layout_, cells, t_s);
  analyzer_->push(s);
  elapsed_s_ = t_s;
  view_.latest = s;
  view_.peak_fz_n = std::max(view_.peak_fz_n, s.fz_n);
  if (t_s >= next_trail_s_) {
    next_trail_s_ = t_s + kTrailInterval_s;
    view_.trail_x_mm[view_.trail_next] = static_cast<float>(s.cop_x_mm);
    view_.trail_y_mm[view_.trail_next] = static_cast<float>(s.cop_y_mm);
    view_.trail_next = (view_.trail_next + 1) % LiveView::kTrail;
    view_.trail_size = std::min(view_.trail_size + 1, LiveView::kTrail);
  }
  if (analyzer_->finished()) {
    end(State::done);
    return false;
  }
  return true;
}

void LiveCapture::finish_now() {
  if (state_ == State::running) end(State::done);
}

void LiveCapture::end(State state) {
  state_ = state;
  stream_->stop();
  const auto s = stream_->stats();
  auto logger = log::get("plates");
  logger->info("capture {} {} after {:.2f} s: {} samples, {} lost, {} dropped, {} misordered",
               options_.analyzer, state == State::done ? "done" : "failed", elapsed_s_, s.received, s.lost,
               s.ring_dropped, s.misordered);
  if (state == State::failed) logger->warn("capture {}: {}", options_.analyzer, failure_);
}

signal::CaptureAnalysis LiveCapture::result() {
  if (state_ == State::running) finish_now();
  return analyzer_->result();
}

}  // namespace kiosk::plates
