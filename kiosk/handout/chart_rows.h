// The results charts, one home for the results screen and the handout: each
// test's two sides against the norm zone its script declares (script/chart.h)
// for the patient's age band, and the side-to-side difference.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/session/session.h"
#include "handout/plan.h"
#include "script/chart.h"

namespace kiosk::handout {

// One row per test in `session` (in the order they ran) whose script
// declares a chart and that measured at least one side. Texts in `lang`.
std::vector<ChartRow> chart_rows(const session::Session& session, const script::ChartCatalogue& charts,
                                 std::string_view lang);

// Where `value` sits on the row's scale: 0 at scale_min, 1 at scale_max (clamped).
double scale_fraction(const ChartRow& row, double value);

// How the zone reads in words: "Goal: 10 cm or more" (at_least), "... or
// less" (at_most), "... 10 to 20 cm" (between).
enum class ZoneShape { at_least, at_most, between };
ZoneShape zone_shape(const ChartRow& row);
// The zone in words, from the texts "results.goal", "results.goal_at_most",
// "results.goal_between" and "results.no_goal" of `text` (the screen's strings
// and the handout's have the same keys), {value}, {to} and {unit} filled in.
std::string zone_text(const ChartRow& row, const std::function<std::string(std::string_view key)>& text);

}  // namespace kiosk::handout
