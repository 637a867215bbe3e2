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

std::optional<ChartRow> row_of(const session::ScriptPart& test, const script::ChartedTest& declared,
                               const session::Session& session, std::string_view lang) {
  const script::ChartSpec& c = declared.chart;
  ChartRow row;
  for (const auto& m : test.measures) {
    if (m.id != c.measure) continue;
    if (m.side == "left" && !row.left) row.left = m.value;
    if (m.side == "right" && !row.right) row.right = m.value;
  }
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
                                 std::string_view lang) {
  std::vector<ChartRow> rows;
  for (const auto& test : session.tests)
    if (const auto it = charts.find(test.test); it != charts.end())
      if (auto row = row_of(test, it->second, session, lang)) rows.push_back(std::move(*row));
  return rows;
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

}  // namespace kiosk::handout
