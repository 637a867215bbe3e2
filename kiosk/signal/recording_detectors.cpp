#include "signal/recording_detectors.h"

#include <algorithm>

namespace kiosk::signal {
void require_load(const Recording& recording) {
  if (!recording.has_load())
    throw RecordingError(recording.source + ": no force and COP columns (raw cells need a cell layout first)");
}

HeelRaiseResult count_heel_raises(const Recording& recording, HeelRaiseConfig config) {
  require_load(recording);
  HeelRaiseCounter counter(recording.rate_hz(), config);
  for (std::size_t i = 0; i < recording.size() && !counter.ended(); ++i) counter.update(recording.sample(i));
  counter.finish();
  return {counter.reps(), std::string(counter.end_reason()), counter.confidence(), counter.events()};
}

StanceTracker::StanceTracker(double rate_hz, double cap_s) : cap_s_(cap_s), detector_(rate_hz) {}

void StanceTracker::push(const PlateSample& s) {
  if (finished_) return;
  if (!t0_) t0_ = s.t_s;
  if (s.t_s - *t0_ > cap_s_) {
    finished_ = true;
    return;
  }
  kept_.push_back(s);
  if (detector_.update(s)) finished_ = true;
}

double StanceTracker::stance_s() const {
  const double t0 = t0_.value_or(0);
  if (const auto td = detector_.touchdown_s()) return std::min(cap_s_, *td - t0);
  if (kept_.t_s.empty()) return 0;
  return std::min(cap_s_, kept_.t_s.back() - t0 + kept_.mean_interval_s());
}

StanceResult StanceTracker::result() const {
  StanceResult r;
  const double t0 = t0_.value_or(0);
  // The touch-down is found after its onset: the stance ends at the onset.
  std::size_t end = kept_.size();
  if (const auto td = detector_.touchdown_s()) {
    r.touchdown_s = *td - t0;
    end = static_cast<std::size_t>(std::lower_bound(kept_.t_s.begin(), kept_.t_s.end(), *td) - kept_.t_s.begin());
  }
  r.body_weight_n = detector_.weight().body_weight_n();
  r.confidence = detector_.confidence();
  r.events = detector_.weight().events();
  r.events.insert(r.events.end(), detector_.events().begin(), detector_.events().end());
  std::stable_sort(r.events.begin(), r.events.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  r.stance_s = stance_s();

  Recording stance;
  stance.source = kept_.source;
  for (std::size_t i = 0; i < end; ++i) stance.push_back(kept_.sample(i));
  try {
    r.sway = sway_metrics(stance);
  } catch (const RecordingError&) {
    r.sway.reset();  // too short, or nobody on the plate: no sway figures, the stance time stands
  }
  return r;
}

StanceResult single_leg_stance(const Recording& recording, double cap_s) {
  require_load(recording);
  StanceTracker tracker(recording.rate_hz(), cap_s);
  for (std::size_t i = 0; i < recording.size() && !tracker.finished(); ++i) tracker.push(recording.sample(i));
  return tracker.result();
}

}  // namespace kiosk::signal
