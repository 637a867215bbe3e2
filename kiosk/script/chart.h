// How a test's main measure is drawn, as its script declares it with
// `chart = kiosk.chart { ... }` (Lua `kiosk` API 1, addition; scripts/README.md
// "Results chart"): the unit, the scale, the norm zone by the patient's age
// band, which way is better and the measure's published measurement error.
// The results screen and the handout both draw from it (handout/chart_rows.h).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "script/text.h"

namespace kiosk::script {

struct ChartSpec {
  std::string measure;                  // the sided measure id run() returns for left and right, e.g. "distance_cm"
  LocalText unit;                       // as the patient reads it, e.g. {en = "raises", es = "elevaciones"}
  double scale_min = 0, scale_max = 1;  // the drawn range, in the measure's unit
  enum class Better { higher, lower } better = Better::higher;
  // One end of the norm zone: the same for everyone, or one value per profile
  // age band ("18-39" → 43); an age band without a value has no zone.
  struct Bound {
    std::optional<double> all;
    std::map<std::string, double, std::less<>> by_age_band;
    bool given() const { return all || !by_age_band.empty(); }
  };
  Bound norm_from, norm_to;  // a missing end is the scale's end
  struct MeasurementError {
    double value = 0;    // in the measure's unit: a change smaller than this may be noise
    std::string source;  // "Powden 2015", or "KIOSK DEFAULT ..."
  };
  MeasurementError measurement_error;
  std::string asymmetry_finding;  // the finding that says the sides differ meaningfully ("" = none)
  int line = 0;                   // where kiosk.chart was called, for errors
};

// The norm zone for a patient in `age_band` ("" = unknown): none when either
// declared end has no value for that band. The one place the zone is decided.
struct NormZone {
  double from = 0, to = 0;
};
std::optional<NormZone> norm_zone(const ChartSpec& chart, std::string_view age_band);

// A test with a chart, as the catalogue knows it.
struct ChartedTest {
  LocalText title;
  ChartSpec chart;
};
using ChartCatalogue = std::map<std::string, ChartedTest, std::less<>>;  // by test id

}  // namespace kiosk::script
