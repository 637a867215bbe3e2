// Uneven sampling onto a uniform time grid. A Bluetooth plate (the Wii
// Balance Board) reports when its radio gets a slot: 30–100 reports a second
// with jitter of milliseconds. The event detectors need no grid (they use
// each sample's own time); the metrics that assume one sample interval —
// the sway metrics' duration, path and Welch spectrum — get one here, and
// sway_metrics() (metrics.h) calls it for any recording that needs it.
// Where: sway_metrics() (metrics.cpp) puts an uneven recording through
// sway_grid() below before measuring; an even one (a lab plate, the BDS
// trials the norms come from) is measured raw, as the metrics are defined.
// Why a band: path length (and so velocity) grows with every wiggle the
// samples show, so a raw path depends on the rate — 30 Hz shows nothing
// above 15 Hz, and the board's 10 g steps add white noise whose path grows
// with the rate. Limiting every Bluetooth recording to the same band, below
// the Nyquist frequency of the slowest rate, makes the metrics the same at
// 30, 60 and 100 Hz. Measured: tests/signal/bluetooth_rate_test.cpp
// (`signal_tests "[bluetooth]" -s` prints the table).
#pragma once
#include "signal/recording.h"

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

// The sway band of a Bluetooth plate, Hz: under the 15 Hz Nyquist frequency
// of its slowest rate (30 Hz) with room for the cubic's own roll-off (flat
// within 0.2 % up to a sixth of the rate) and the low-pass's skirt. Quiet-
// stance sway lies well below it (BDS mean frequency about 0.3 Hz).
inline constexpr double kBluetoothSwayBand_hz = 10;

// Natural cubic spline through the samples (Fz, COP; times need not be
// even), read at t0 + k/rate_hz up to the last sample. Unlike a straight
// line between samples it does not flatten the wave between them (a line
// through 30 Hz samples loses 9 % of a 5 Hz wave's amplitude, the spline
// 0.2 %). Same requirements and errors as resample_uniform().
Recording resample_cubic(const Recording& recording, double rate_hz);

// An uneven recording as sway metrics see it: on the kMetricGridHz grid
// (resample_cubic) with the COP low-passed at kBluetoothSwayBand_hz
// (lowpass.h, zero phase). Fz is not filtered.
Recording sway_grid(const Recording& recording);

}  // namespace kiosk::signal
