#include "script/chart.h"

namespace kiosk::script {
namespace {

// One end for this age band: the declared value, the scale's end when the
// end is not declared, none when the band has no value.
std::optional<double> end_for(const ChartSpec::Bound& bound, std::string_view age_band, double scale_end) {
  if (!bound.given()) return scale_end;
  if (bound.all) return bound.all;
  if (auto it = bound.by_age_band.find(age_band); it != bound.by_age_band.end()) return it->second;
  return std::nullopt;
}

}  // namespace

std::optional<NormZone> norm_zone(const ChartSpec& chart, std::string_view age_band) {
  if (!chart.norm_from.given() && !chart.norm_to.given()) return std::nullopt;
  const auto from = end_for(chart.norm_from, age_band, chart.scale_min);
  const auto to = end_for(chart.norm_to, age_band, chart.scale_max);
  if (!from || !to) return std::nullopt;
  return NormZone{*from, *to};
}

}  // namespace kiosk::script
