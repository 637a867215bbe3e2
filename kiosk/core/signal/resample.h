// Uneven sampling onto a uniform time grid. A Bluetooth plate (the Wii
// Balance Board) reports when its radio gets a slot: 30–100 reports a second
// with jitter of milliseconds. The event detectors need no grid (they use
// each sample's own time); the metrics that assume one sample interval —
// the sway metrics' duration, path and Welch spectrum — get one here, and
// sway_metrics() (metrics.h) calls it for any recording that needs it.
// Measured on the same trials at 30, 60 and 100 Hz with 3 ms jitter against
// an even 100 Hz (tests/signal/bluetooth_rate_test.cpp): RMS, range and the
// 95 % ellipse agree within 1 % (range 1.5 % at 30 Hz); path/velocity and
// mean frequency depend on bandwidth and differ by up to 12 % and 2 %.
#pragma once
#include "core/signal/recording.h"

namespace kiosk::signal {

// The grid the sway norms were measured on (BDS: 100 Hz, shared/datasets/bds).
inline constexpr double kMetricGridHz = 100;

// True when the intervals differ from their mean by more than 1 %: the
// recording needs resampling for metrics. (An even recording at any rate is
// measured at its own rate, as the metrics are defined.)
bool needs_metric_grid(const Recording& recording);

// Fz and COP linearly interpolated at t0 + k/rate_hz up to the last sample
// (cells are not carried). Linear interpolation keeps every value inside
// the range of its neighbours: no overshoot, so ranges and the touch-down
// threshold are never made up. Needs rate_hz > 0 and a recording with load
// columns and increasing times (equal times keep the later sample), else
// throws RecordingError.
Recording resample_uniform(const Recording& recording, double rate_hz);

}  // namespace kiosk::signal
