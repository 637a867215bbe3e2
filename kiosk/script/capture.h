// The `capture` step is served by the host, not the script: record the plate
// for a while and run a named detector over the signal. The detectors (touch
// down, heel raises, sway metrics) live in kiosk/signal; this is the seam.
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/session/session.h"
#include "signal/capture_analyzer.h"

namespace kiosk::script {

struct CaptureRequest {
  std::string side;      // "left" | "right" | "both"
  double seconds = 0;    // longest recording
  std::string view;      // live view kind (kiosk UI only)
  std::string detector;  // e.g. "single_leg_stance", "heel_raise_count"
  double bpm = 0;        // metronome played while recording; 0 = none
};

struct CaptureEvent {
  std::string kind;  // e.g. "touch_down", "rise", "missed_beat"
  double t_s = 0;    // seconds from the start of the capture
};

struct CaptureResult {
  std::map<std::string, double> metrics;  // detector output, units in the names (path_mm)
  std::vector<CaptureEvent> events;
  std::optional<session::PlateUsed> plate =
      std::nullopt;  // the live plate and calibration it measured with; none: a recording
};

// A capture that cannot be done as asked (e.g. no such detector).
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CaptureHost {
 public:
  virtual ~CaptureHost() = default;
  // True when a plate (or a recording) can serve captures; scripts see it as t.plate.
  virtual bool plate_available() const = 0;
  // nullopt = no plate for this side: the script falls back to manual asks.
  // Throws CaptureError when it cannot do what was asked.
  virtual std::optional<CaptureResult> capture(const CaptureRequest& request) = 0;
};

// Headless without a plate: every capture is unavailable.
class NoPlate final : public CaptureHost {
 public:
  bool plate_available() const override { return false; }
  std::optional<CaptureResult> capture(const CaptureRequest&) override { return std::nullopt; }
};

// A detector run over a recording file (CSV t_s,fz_n,cop_x_mm,cop_y_mm or
// raw cells, or a BDS file — see the brief).
using Detector = std::function<CaptureResult(const std::filesystem::path& recording, const CaptureRequest&)>;
using DetectorTable = std::map<std::string, Detector, std::less<>>;

// The capture analyzers of kiosk/signal (capture_analyzer.h) by the
// names scripts use in capture steps, each run over a recording file.
DetectorTable built_in_detectors();
// What a script gets back from an analysis (live or from a file).
CaptureResult to_capture_result(const signal::CaptureAnalysis& analysis);

// Headless with recordings: `--recording left=rec.csv` serves captures of
// that side by running the named detector over the file.
class RecordingCaptureHost final : public CaptureHost {
 public:
  RecordingCaptureHost(std::map<std::string, std::filesystem::path> recordings_by_side, DetectorTable detectors);
  bool plate_available() const override { return !recordings_.empty(); }
  std::optional<CaptureResult> capture(const CaptureRequest& request) override;

 private:
  std::map<std::string, std::filesystem::path> recordings_;
  DetectorTable detectors_;
};

}  // namespace kiosk::script
