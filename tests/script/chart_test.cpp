// A test's results chart as its script declares it (chart = kiosk.chart {...}):
// read into script::ChartSpec, checked field by field with the line of the
// declaration, and the norm zone for an age band (script/chart.h).
#include <catch2/catch.hpp>

#include "script/catalogue.h"
#include "script/chart.h"
#include "script_fixture.h"

using namespace kiosk::script;
using kiosk::script::test::line_of;
using kiosk::script::test::TempDir;

namespace {

const std::filesystem::path kScripts = std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts";

// A test script whose chart declaration is `chart` (the fields inside kiosk.chart { }).
std::string charted(std::string_view chart, std::string_view extra = "") {
  return fmt::format(
      "return {{ api = 1, id = \"grip\", version = \"1\", title = {{ en = \"Grip\", es = \"Agarre\" }},\n"
      "  sides = {{ \"left\", \"right\" }}, findings = {{ \"grip_asymmetry\" }},{}\n"
      "  chart = kiosk.chart {{ --here\n{}\n  }},\n"
      "  run = function(t) return {{}} end }}\n",
      extra, chart);
}

constexpr std::string_view kGood = R"(measure = "grip_kg", unit = { en = "kg", es = "kg" }, scale = { 0, 60 },
    better = "higher", norm = { from = { ["18-39"] = 40, ["40-49"] = 36 } },
    measurement_error = { value = 2.5, source = "KIOSK DEFAULT" }, asymmetry = "grip_asymmetry")";

std::vector<ScriptError> check(const TempDir& dir, const std::string& text, TestInfo* info = nullptr) {
  return check_script(dir.write("grip.lua", text), dir.options(), info);
}

}  // namespace

TEST_CASE("chart: the bundled tests declare their charts from norms.lua") {
  Catalogue catalogue({kScripts});
  catalogue.scan();
  const auto charts = catalogue.charts();
  REQUIRE(charts.size() == 3);
  const auto& knee = charts.at("knee_to_wall").chart;
  CHECK(knee.measure == "distance_cm");
  CHECK(knee.scale_min == 0);
  CHECK(knee.scale_max == 20);  // norms.knee_to_wall.max_cm
  CHECK(knee.better == ChartSpec::Better::higher);
  CHECK(knee.measurement_error.value == Approx(1.9));
  CHECK(knee.measurement_error.source == "Powden 2015");
  CHECK(knee.asymmetry_finding == "dorsiflexion_asymmetry");
  const auto knee_zone = norm_zone(knee, "");  // the same for every age
  REQUIRE(knee_zone);
  CHECK(knee_zone->from == 10);  // norms.knee_to_wall.adequate_cm
  CHECK(knee_zone->to == 20);
  const auto& balance = charts.at("single_leg_balance");
  CHECK(balance.title.in("es") == "Equilibrio en una pierna");
  CHECK(balance.chart.unit.in("es") == "segundos");
  CHECK(norm_zone(balance.chart, "40-49")->from == 40);  // norms.single_leg_balance.age_mean_s
  CHECK(norm_zone(balance.chart, "80+")->from == 6);
  CHECK_FALSE(norm_zone(balance.chart, ""));                          // age unknown: no zone rather than a wrong one
  CHECK(charts.at("heel_raise").chart.measurement_error.value == 6);  // Hebert-Losier 2017
}

TEST_CASE("chart: a good declaration is read, a zone by age band, and one end for lower-is-better") {
  TempDir dir;
  TestInfo info;
  REQUIRE(check(dir, charted(kGood), &info).empty());
  REQUIRE(info.chart);
  CHECK(info.chart->line == line_of(charted(kGood), "--here"));
  CHECK(norm_zone(*info.chart, "40-49")->from == 36);
  CHECK(norm_zone(*info.chart, "40-49")->to == 60);  // the scale's top: no 'to' declared
  CHECK_FALSE(norm_zone(*info.chart, "70-79"));
  const std::string lower = R"(measure = "time_s", unit = "s", scale = { 5, 30 }, better = "lower",
    norm = { to = 12 }, measurement_error = { value = 1, source = "KIOSK DEFAULT" })";
  REQUIRE(check(dir, charted(lower), &info).empty());
  CHECK(info.chart->better == ChartSpec::Better::lower);
  CHECK(norm_zone(*info.chart, "any")->from == 5);
  CHECK(norm_zone(*info.chart, "any")->to == 12);
}

TEST_CASE("chart: a malformed declaration is an error at the line of kiosk.chart, naming the field") {
  TempDir dir;
  const std::pair<std::string, std::string> cases[] = {
      {R"(measure = "grip_kg", unit = "kg", scale = { 60, 0 }, better = "higher",
          measurement_error = { value = 2, source = "x" })",
       "'scale'"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher", norm = { from = { ["18-39"] = 70 } },
          measurement_error = { value = 2, source = "x" })",
       "norm.from[\"18-39\"]: 70 is outside the scale 0 to 60"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher", norm = { from = 30, to = 20 },
          measurement_error = { value = 2, source = "x" })",
       "'from' (30) must be below 'to' (20)"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "up",
          measurement_error = { value = 2, source = "x" })",
       "'better'"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher")", "'measurement_error'"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher", colour = "red",
          measurement_error = { value = 2, source = "x" })",
       "unknown field 'colour'"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher", asymmetry = "grip_gap",
          measurement_error = { value = 2, source = "x" })",
       "'asymmetry'"},
      {R"(measure = "grip_kg", unit = "kg", scale = { 0, 60 }, better = "higher", norm = { from = "forty" },
          measurement_error = { value = 2, source = "x" })",
       "'norm'"},
  };
  for (const auto& [chart, says] : cases) {
    INFO(chart);
    const auto text = charted(chart);
    const auto problems = check(dir, text);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].line == line_of(text, "--here"));
    CHECK_THAT(problems[0].message, Catch::StartsWith("chart: ") && Catch::Contains(says));
    CHECK_THAT(problems[0].to_string(), Catch::Contains(fmt::format("grip.lua:{}: chart: ", problems[0].line)));
  }
  // Written as a plain table, not through kiosk.chart.
  const std::string table =
      R"(return { api = 1, id = "grip", version = "1", title = "Grip", sides = { "left", "right" },
  chart = { measure = "grip_kg" }, run = function(t) return {} end })";
  const auto problems = check(dir, table);
  REQUIRE(problems.size() == 1);
  CHECK_THAT(problems[0].message, Catch::Contains("chart = kiosk.chart {"));
  // A chart needs two sides to draw.
  std::string no_sides = charted(kGood);
  const std::string sides = R"(sides = { "left", "right" }, )";
  no_sides.replace(no_sides.find(sides), sides.size(), std::string(sides.size(), ' '));
  const auto one_sided = check(dir, no_sides);
  REQUIRE_FALSE(one_sided.empty());
  CHECK_THAT(one_sided[0].message, Catch::Contains("sides"));
}
