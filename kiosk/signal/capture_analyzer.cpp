#include "signal/capture_analyzer.h"

#include <array>

#include "signal/heel_contact.h"
#include "signal/heel_raise.h"
#include "signal/recording_detectors.h"

namespace kiosk::signal {
namespace {

class StanceAnalyzer final : public CaptureAnalyzer {
 public:
  explicit StanceAnalyzer(const CaptureSettings& s) : tracker_(s.rate_hz, s.cap_s) {}
  void push(const PlateSample& s) override { tracker_.push(s); }
  bool finished() const override { return tracker_.finished(); }
  CaptureAnalysis result() override {
    const auto r = tracker_.result();
    CaptureAnalysis out;
    out.metrics["stance_s"] = r.stance_s;
    out.metrics["confidence"] = r.confidence;
    if (r.sway)
      for (const auto& [name, value] : named_sway_measures(*r.sway))
        if (name != "mean_freq_hz") out.metrics[std::string(name)] = value;  // not one of a script's measures (yet)
    out.events = r.events;
    return out;
  }
  CaptureProgress progress() const override {
    CaptureProgress p;
    p.stance_s = tracker_.stance_s();
    if (tracker_.finished()) p.end_reason = tracker_.touched_down() ? "touchdown" : "cap";
    p.events = tracker_.touchdown_events();
    return p;
  }

 private:
  StanceTracker tracker_;
};

HeelRaiseConfig heel_raise_config(const CaptureSettings& s) {
  HeelRaiseConfig config;
  if (s.bpm > 0) config.raises_per_min = s.bpm / 2;  // up on one beat, down on the next
  return config;
}

class HeelRaiseAnalyzer final : public CaptureAnalyzer {
 public:
  explicit HeelRaiseAnalyzer(const CaptureSettings& s) : counter_(s.rate_hz, heel_raise_config(s)) {}
  void push(const PlateSample& s) override {
    if (!counter_.ended()) counter_.update(s);
  }
  bool finished() const override { return counter_.ended(); }
  CaptureAnalysis result() override {
    counter_.finish();  // closes a test no end rule stopped; idempotent once ended
    return {{{"reps", counter_.reps()}, {"confidence", counter_.confidence()}}, counter_.events()};
  }
  CaptureProgress progress() const override {
    CaptureProgress p;
    p.reps = counter_.reps();
    p.missed_beats = counter_.missed_beats();
    p.end_reason = counter_.end_reason();
    p.events = counter_.events();
    return p;
  }

 private:
  HeelRaiseCounter counter_;
};

class HeelContactAnalyzer final : public CaptureAnalyzer {
 public:
  void push(const PlateSample& s) override { detector_.update(s); }
  bool finished() const override { return false; }  // the person says when they are done
  CaptureAnalysis result() override {
    return {{{"heel_lifts", detector_.lifts()},
             {"max_forward_mm", detector_.max_forward_mm()},
             {"confidence", detector_.confidence()}},
            detector_.events()};
  }
  CaptureProgress progress() const override {
    CaptureProgress p;
    p.heel_down_known = detector_.baseline_y_mm().has_value();
    p.heel_up = detector_.heel_up();
    p.heel_lifts = detector_.lifts();
    p.events = detector_.events();
    return p;
  }

 private:
  HeelContactDetector detector_;
};

// Event times from the first sample, as scripts and the UI expect.
class FromFirstSample final : public CaptureAnalyzer {
 public:
  explicit FromFirstSample(std::unique_ptr<CaptureAnalyzer> inner) : inner_(std::move(inner)) {}
  void push(const PlateSample& s) override {
    if (!t0_) t0_ = s.t_s;
    PlateSample shifted = s;
    shifted.t_s -= *t0_;
    inner_->push(shifted);
  }
  bool finished() const override { return inner_->finished(); }
  CaptureAnalysis result() override { return inner_->result(); }
  CaptureProgress progress() const override { return inner_->progress(); }

 private:
  std::unique_ptr<CaptureAnalyzer> inner_;
  std::optional<double> t0_;
};

constexpr std::array<std::string_view, 3> kNames{"single_leg_stance", "heel_raise_count", "heel_contact"};

}  // namespace

std::unique_ptr<CaptureAnalyzer> make_capture_analyzer(std::string_view name, const CaptureSettings& settings) {
  std::unique_ptr<CaptureAnalyzer> inner;
  if (name == "single_leg_stance")
    inner = std::make_unique<StanceAnalyzer>(settings);
  else if (name == "heel_raise_count")
    inner = std::make_unique<HeelRaiseAnalyzer>(settings);
  else if (name == "heel_contact")
    inner = std::make_unique<HeelContactAnalyzer>();
  else
    return nullptr;
  return std::make_unique<FromFirstSample>(std::move(inner));
}

std::span<const std::string_view> capture_analyzer_names() { return kNames; }

CaptureAnalysis analyze_recording(std::string_view name, const Recording& recording, CaptureSettings settings) {
  require_load(recording);
  if (recording.size() >= 2) settings.rate_hz = recording.rate_hz();
  auto analyzer = make_capture_analyzer(name, settings);
  if (!analyzer) throw RecordingError(std::string("no detector named '") + std::string(name) + "'");
  for (std::size_t i = 0; i < recording.size() && !analyzer->finished(); ++i) analyzer->push(recording.sample(i));
  return analyzer->result();
}

}  // namespace kiosk::signal
