#include "plates/live_capture.h"

#include <fmt/format.h>

#include <stdexcept>

#include "core/log.h"

namespace kiosk::plates {
namespace {
constexpr double kTrailInterval_s = 0.02;  // 50 Hz is smooth on screen at any plate rate
constexpr double kTraceInterval_s = 0.04;  // 25 Hz: 10 s of trace in LiveView::kTrace points

FeedOptions feed_options(const signal::CellLayout& layout, const LiveCaptureOptions& options) {
  return {layout, options.auto_zero, fmt::format("capture {}", options.analyzer)};
}
}  // namespace

LiveCapture::LiveCapture(std::unique_ptr<DeviceStream> stream, const signal::CellLayout& layout,
                         LiveCaptureOptions options)
    : options_(std::move(options)), feed_(std::move(stream), feed_options(layout, options_)) {
  signal::CaptureSettings settings;
  settings.rate_hz = options_.rate_hz;
  settings.cap_s = options_.max_s;
  settings.bpm = options_.bpm;
  analyzer_ = signal::make_capture_analyzer(options_.analyzer, settings);
  if (!analyzer_) throw std::invalid_argument(fmt::format("no detector named '{}'", options_.analyzer));
  feed_.start(options_.rate_hz);
}

LiveCapture::~LiveCapture() { feed_.stop(); }

LiveCapture::State LiveCapture::pump() {
  if (state_ != State::running) return state_;
  feed_.pump([this](const FeedSample& s) { return process(s.load); });
  if (state_ != State::running) return state_;
  const auto stats = feed_.stats();
  if (stats.ended) {
    failure_ = fmt::format("the plate stopped streaming ({}) after {:.1f} s", stats.end_reason, elapsed_s_);
    end(State::failed);
  }
  return state_;
}

bool LiveCapture::process(const signal::PlateSample& s) {
  const double t_s = s.t_s;
  if (t_s > options_.max_s) {
    timed_out_ = true;
    end(State::done);
    return false;
  }
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
  if (t_s >= next_trace_s_) {
    next_trace_s_ = t_s + kTraceInterval_s;
    view_.trace_t_s[view_.trace_next] = static_cast<float>(t_s);
    view_.trace_y_mm[view_.trace_next] = static_cast<float>(s.cop_y_mm);
    view_.trace_next = (view_.trace_next + 1) % LiveView::kTrace;
    view_.trace_size = std::min(view_.trace_size + 1, LiveView::kTrace);
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
  feed_.stop();
  const auto s = feed_.stats();
  auto logger = log::get("plates");
  logger->info("capture {} {} after {:.2f} s: {} samples, {} lost, {} dropped, {} misordered", options_.analyzer,
               state == State::done ? "done" : "failed", elapsed_s_, s.received, s.lost, s.ring_dropped, s.misordered);
  if (state == State::failed) logger->warn("capture {}: {}", options_.analyzer, failure_);
}

signal::CaptureProgress LiveCapture::progress() const {
  auto p = analyzer_->progress();
  if (p.end_reason.empty() && timed_out_) p.end_reason = "cap";
  return p;
}

signal::CaptureAnalysis LiveCapture::result() {
  if (state_ == State::running) finish_now();
  return analyzer_->result();
}

}  // namespace kiosk::plates
