#include "core/signal/recording_detectors.h"

#include <algorithm>

#include "core/signal/touchdown.h"

namespace kiosk::signal {
namespace {
void require_load(const Recording& recording) {
  if (!recording.has_load())
    throw RecordingError(recording.source + ": no force and COP columns (raw cells need a cell layout first)");
}
}  // namespace

HeelRaiseResult count_heel_raises(const Recording& recording, HeelRaiseConfig config) {
  require_load(recording);
  HeelRaiseCounter counter(recording.rate_hz(), config);
  for (std::size_t i = 0; i < recording.size() && !counter.ended(); ++i) counter.update(recording.sample(i));
  counter.finish();
  return {counter.reps(), std::string(counter.end_reason()), counter.confidence(), counter.events()};
}

StanceResult single_leg_stance(const Recording& recording, double cap_s) {
  require_load(recording);
  StanceResult r;
  const double t0 = recording.t_s.front();
  TouchdownDetector detector(recording.rate_hz());
  std::size_t end = recording.size();  // samples of the stance: [0, end)
  for (std::size_t i = 0; i < recording.size(); ++i) {
    if (recording.t_s[i] - t0 > cap_s) {
      end = i;
      break;
    }
    if (detector.update(recording.sample(i))) {
      r.touchdown_s = *detector.touchdown_s() - t0;
      end = static_cast<std::size_t>(
          std::lower_bound(recording.t_s.begin(), recording.t_s.end(), *detector.touchdown_s()) -
          recording.t_s.begin());
      break;
    }
  }
  r.body_weight_n = detector.weight().body_weight_n();
  r.confidence = detector.confidence();
  r.events = detector.weight().events();
  r.events.insert(r.events.end(), detector.events().begin(), detector.events().end());
  std::stable_sort(r.events.begin(), r.events.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  r.stance_s = std::min(cap_s, r.touchdown_s ? *r.touchdown_s
                                             : recording.t_s[std::max<std::size_t>(end, 1) - 1] - t0 +
                                                   recording.mean_interval_s());

  Recording stance;
  stance.source = recording.source;
  for (std::size_t i = 0; i < end; ++i) stance.push_back(recording.sample(i));
  try {
    r.sway = sway_metrics(stance);
  } catch (const RecordingError&) {
    r.sway.reset();  // too short, or nobody on the plate: no sway figures, the stance time stands
  }
  return r;
}

}  // namespace kiosk::signal
