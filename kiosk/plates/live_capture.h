// One `capture` step on a real (or simulated) plate: streams the device,
// turns raw cells into Fz and COP through the plate's calibration (a
// PlateFeed), feeds a capture analyzer, and keeps a small live view for the screen. Ends when
// the analyzer says the test ended, the time is up, the person presses
// Done, or the plate goes away (then it has failed: the script falls back
// to its manual version). Thread: main thread; call pump() every frame.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/session/session.h"

#include "plates/device_stream.h"
#include "plates/plate_feed.h"
#include "signal/capture_analyzer.h"
#include "signal/cell_layout.h"

namespace kiosk::plates {

struct LiveCaptureOptions {
  std::string analyzer;    // a name from signal::capture_analyzer_names()
  uint32_t rate_hz = 100;  // one of the plate's rates
  double max_s = 45;       // the capture ends here at the latest (device time)
  double bpm = 0;          // metronome the person follows (heel raises)
  // Zero the plate from the capture's first kAutoZero_s when it is empty and
  // steady then (the person steps on after): the stored offsets drift (PlateFeed).
  bool auto_zero = false;
  // Which plate and calibration measure (kept with the result in the session record).
  std::optional<session::PlateUsed> plate = std::nullopt;
};

// What the screen draws while capturing: latest values and a short COP trail.
struct LiveView {
  static constexpr std::size_t kTrail = 128;  // points, ~2.5 s at the 50 Hz trail rate
  signal::PlateSample latest{};               // t_s from the capture start
  std::array<float, kTrail> trail_x_mm{}, trail_y_mm{};
  std::size_t trail_size = 0, trail_next = 0;  // ring: oldest at trail_next when full
  double peak_fz_n = 0;
  // COP forward travel (heel height, heel raises) over the last ~10 s, for a scrolling trace.
  static constexpr std::size_t kTrace = 250;  // points at the 25 Hz trace rate
  std::array<float, kTrace> trace_t_s{}, trace_y_mm{};
  std::size_t trace_size = 0, trace_next = 0;  // ring, as the trail
};

class LiveCapture {
 public:
  enum class State { running, done, failed };

  // Starts streaming. Throws PlateError (device) or std::invalid_argument (analyzer name).
  LiveCapture(std::unique_ptr<DeviceStream> stream, const signal::CellLayout& layout, LiveCaptureOptions options);
  ~LiveCapture();

  // Moves what arrived into the analyzer and the view. Returns the state.
  State pump();
  // The person pressed Done (or the step was cancelled): ends a running capture.
  void finish_now();
  State state() const { return state_; }
  // Device time since the first sample, s.
  double elapsed_s() const { return elapsed_s_; }
  const LiveView& view() const { return view_; }
  // The analyzer's state now (count, missed beats, heel light, stance; events so
  // far); once the capture ran out of time by itself, end_reason "cap".
  signal::CaptureProgress progress() const;
  StreamStats stats() const { return feed_.stats(); }
  // Why it failed, for staff (the plate's own words).
  const std::string& failure() const { return failure_; }
  // True once the empty start was used as the zero; layout() then has its offsets.
  bool zeroed() const { return feed_.zeroed(); }
  const signal::CellLayout& layout() const { return *feed_.layout(); }
  // The plate and calibration this capture measures with (LiveCaptureOptions::plate).
  const std::optional<session::PlateUsed>& plate() const { return options_.plate; }
  // The analysis; valid once the state is done. Stops the stream.
  signal::CaptureAnalysis result();

 private:
  void end(State state);
  bool process(const signal::PlateSample& s);  // false once the capture ended

  LiveCaptureOptions options_;
  PlateFeed feed_;  // drain, time zero, auto-zero, calibration: Fz and COP
  std::unique_ptr<signal::CaptureAnalyzer> analyzer_;
  State state_ = State::running;
  double elapsed_s_ = 0, next_trail_s_ = 0, next_trace_s_ = 0;
  bool timed_out_ = false;  // ended at max_s
  LiveView view_;
  std::string failure_;
};

}  // namespace kiosk::plates
