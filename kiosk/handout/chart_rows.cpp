#include "handout/chart_rows.h"

#include <algorithm>
#include <cmath>

namespace kiosk::handout {
namespace {

std::string age_band_of(const session::Session& session) {
  if (!session.profile) return {};
  const auto it = session.profile->answers.find("age_band");
  if (it == session.profile->answers.end()) return {};
  const auto* band = std::get_if<std::string>(&it->second);
  return band ? *band : std::string();
}

bool has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

struct Sides {
  std::optional<double> left, right;
};

// The first value of `measure` on each side.
Sides sides_of(const session::ScriptPart& test, std::string_view measure) {
  Sides out;
  for (const auto& m : test.measures) {
    if (m.id != measure) continue;
    if (m.side == "left" && !out.left) out.left = m.value;
    if (m.side == "right" && !out.right) out.right = m.value;
  }
  return out;
}

std::optional<ChartRow::SinceLast::Side> side_since(std::optional<double> before, std::optional<double> now,
                                                    const ChartRow& row) {
  const auto change = change_between(before, now, row.measurement_error, row.higher_is_better);
  if (!change) return std::nullopt;
  return ChartRow::SinceLast::Side{*before, *now, *change};
}

std::optional<ChartRow::SinceLast> since_last(const ChartRow& row, const PreviousVisit& previous) {
  for (const auto& test : previous.session.tests) {
    if (test.test != row.test) continue;
    const Sides before = sides_of(test, row.measure);
    ChartRow::SinceLast out{previous.date, side_since(before.left, row.left, row),
                            side_since(before.right, row.right, row)};
    if (out.left || out.right) return out;
  }
  return std::nullopt;
}

std::optional<ChartRow> row_of(const session::ScriptPart& test, const script::ChartedTest& declared,
                               const session::Session& session, std::string_view lang) {
  const script::ChartSpec& c = declared.chart;
  ChartRow row;
  const Sides sides = sides_of(test, c.measure);
  row.left = sides.left;
  row.right = sides.right;
  if (!row.left && !row.right) return std::nullopt;
  row.test = test.test;
  row.measure = c.measure;
  row.title = declared.title.in(lang);
  row.unit = c.unit.in(lang);
  row.scale_min = c.scale_min;
  row.scale_max = c.scale_max;
  for (const auto& v : {row.left, row.right})
    if (v) {
      row.scale_min = std::min(row.scale_min, *v);
      row.scale_max = std::max(row.scale_max, *v);
    }
  script::ChartSpec widened = c;  // an undeclared end of the zone follows the widened scale
  widened.scale_min = row.scale_min;
  widened.scale_max = row.scale_max;
  row.zone = script::norm_zone(widened, age_band_of(session));
  row.higher_is_better = c.better == script::ChartSpec::Better::higher;
  row.measurement_error = c.measurement_error.value;
  if (row.left && row.right)
    row.difference = ChartRow::Difference{std::round(std::abs(*row.left - *row.right) * 10) / 10,
                                          !c.asymmetry_finding.empty() && has(session.findings, c.asymmetry_finding)};
  return row;
}

}  // namespace

std::vector<ChartRow> chart_rows(const session::Session& session, const script::ChartCatalogue& charts,
                                 std::string_view lang, const PreviousVisit* previous) {
  std::vector<ChartRow> rows;
  for (const auto& test : session.tests)
    if (const auto it = charts.find(test.test); it != charts.end())
      if (auto row = row_of(test, it->second, session, lang)) {
        if (previous) row->since_last = since_last(*row, *previous);
        rows.push_back(std::move(*row));
      }
  return rows;
}

std::optional<Change> change_between(std::optional<double> before, std::optional<double> now, double measurement_error,
                                     bool higher_is_better) {
  if (!before || !now) return std::nullopt;
  const double change = std::round((*now - *before) * 10) / 10;  // as the patient reads the numbers
  if (std::abs(change) <= measurement_error + 1e-9) return Change::about_the_same;
  return (change > 0) == higher_is_better ? Change::better : Change::worse;
}

double scale_fraction(const ChartRow& row, double value) {
  const double span = row.scale_max - row.scale_min;
  return span > 0 ? std::clamp((value - row.scale_min) / span, 0.0, 1.0) : 0.0;
}

ZoneShape zone_shape(const ChartRow& row) {
  if (!row.zone || row.zone->to >= row.scale_max) return ZoneShape::at_least;
  if (row.zone->from <= row.scale_min) return ZoneShape::at_most;
  return ZoneShape::between;
}

std::string zone_text(const ChartRow& row, const std::function<std::string(std::string_view key)>& text) {
  if (!row.zone) return text("results.no_goal");
  const auto shape = zone_shape(row);
  const char* key = shape == ZoneShape::at_least  ? "results.goal"
                    : shape == ZoneShape::at_most ? "results.goal_at_most"
                                                  : "results.goal_between";
  return fill(text(key), {{"value", number_text(shape == ZoneShape::at_most ? row.zone->to : row.zone->from)},
                          {"to", number_text(row.zone->to)},
                          {"unit", row.unit}});
}

std::string since_last_text(const ChartRow& row, const std::function<std::string(std::string_view key)>& text) {
  if (!row.since_last) return {};
  std::string sides;
  for (const auto& [key, side] : {std::pair{"results.since_left", row.since_last->left},
                                  std::pair{"results.since_right", row.since_last->right}}) {
    if (!side) continue;
    const char* change = side->change == Change::better  ? "results.change_better"
                         : side->change == Change::worse ? "results.change_worse"
                                                         : "results.change_same";
    if (!sides.empty()) sides += "; ";
    sides += fill(text("results.since_side"), {{"side", text(key)},
                                               {"before", number_text(side->before)},
                                               {"now", number_text(side->now)},
                                               {"unit", row.unit},
                                               {"change", text(change)}});
  }
  return fill(text("results.since"), {{"date", row.since_last->date}, {"sides", sides}});
}

}  // namespace kiosk::handout
