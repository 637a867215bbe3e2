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

// The patient's previous visit with the same visit code (storage's last
// session for it), for the "since last time" line.
struct PreviousVisit {
  std::string date;  // YYYY-MM-DD (UTC), when it ended
  session::Session session;
};

// One row per test in `session` (in the order they ran) whose script
// declares a chart and that measured at least one side. Texts in `lang`.
// With `previous`, each row says how each side changed since then.
std::vector<ChartRow> chart_rows(const session::Session& session, const script::ChartCatalogue& charts,
                                 std::string_view lang, const PreviousVisit* previous = nullptr);

// How a measure changed from `before` to `now`: about the same when the
// change (to 0.1) is within `measurement_error` (the script's declared one,
// in the measure's unit), else better or worse by which way is better.
// None when either value is missing.
std::optional<Change> change_between(std::optional<double> before, std::optional<double> now, double measurement_error,
                                     bool higher_is_better);

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
// "Since last time (2026-11-20): left 8 to 10 cm, better; right 11 to 11.5 cm,
// about the same." from the texts "results.since", "results.since_side",
// "results.since_left"/"_right" and "results.change_better"/"_worse"/"_same";
// "" when the row has no change to show.
std::string since_last_text(const ChartRow& row, const std::function<std::string(std::string_view key)>& text);

}  // namespace kiosk::handout
