// A patient's plan: what scripts/handout.lua decided from one session's
// results, checked and joined to the exercise cards. The UI calls
// make_plan() on its thread (it runs Lua; a few ms), then render().
//
// kioskctl prints plan_json(): {"refer", "exercises": [{"id","title","tags",
// "dose","side", ...}], "advice": [{"id","text"}], "charts": [{"test","title",
// "unit","scale","zone","left","right",...}], ...} (format version 2: charts
// from the scripts' declarations; 1 had the rules' good_from/scale_max rows).
#pragma once
#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/safety/session_safety.h"
#include "core/session/session.h"
#include "handout/assets.h"
#include "handout/exercise.h"
#include "script/chart.h"

namespace kiosk::handout {

struct PlannedExercise {
  const Exercise* card = nullptr;  // into HandoutAssets::library (outlives the plan)
  std::string side;                // "left" | "right" (extra work there) | "both" | "none" (not sided)
  Dose dose;
  int extra_sets = 0;                // on `side` when it is left or right
  std::vector<std::string> because;  // finding ids this exercise answers
  double minutes = 0;                // dose_minutes(dose, extra_sets): recomputed, never taken from the rules
  // Where the card stands on its loading ladder (scripts/handout.lua, LADDERS), when it is on one.
  struct Rung {
    std::string ladder;              // e.g. "calf": texts "rung.move_up.<ladder>", "rung.step_down.<ladder>"
    int step = 0, of = 0;            // 1-based; of = the ladder's rungs
    const Exercise* next = nullptr;  // the next rung's card; none at the top
  };
  std::optional<Rung> rung;
};

// One result row: each side against the norm zone for the patient's age
// band, as the test's script declares its chart (script/chart.h). Made only by
// chart_rows() (handout/chart_rows.h), for the handout and the results screen alike.
// A measure's change between two visits, read against its declared
// measurement error (handout/chart_rows.h change_between).
enum class Change { better, worse, about_the_same };

struct ChartRow {
  std::string test, measure;  // stable ids, e.g. "knee_to_wall", "distance_cm"
  std::string title, unit;    // in the plan's language, from the script
  std::optional<double> left, right;
  double scale_min = 0, scale_max = 1;   // the declared scale, widened to hold both values
  std::optional<script::NormZone> zone;  // none: no norm for this age band
  bool higher_is_better = true;
  double measurement_error = 0;  // the script's declared measurement error, in `unit`
  struct Difference {
    double value = 0;      // |left - right| in `unit`, rounded to 0.1
    bool flagged = false;  // the script's asymmetry finding is in the session
  };
  std::optional<Difference> difference;  // both sides measured
  // The change since the patient's previous visit (same visit code): none
  // without one. A side is absent when either visit lacks its value.
  struct SinceLast {
    std::string date;  // the previous visit's day, YYYY-MM-DD (UTC)
    struct Side {
      double before = 0, now = 0;  // in `unit`
      Change change = Change::about_the_same;
    };
    std::optional<Side> left, right;
  };
  std::optional<SinceLast> since_last;
};

struct Plan {
  int format = 2;
  std::string lang = "en";
  bool refer = false;                      // a red flag: no exercises, "please speak to the clinic team"
  std::vector<PlannedExercise> exercises;  // in doing order
  std::vector<std::string> advice;         // ids: texts "advice.<id>"
  std::vector<std::string> progression;    // ids: texts "progression.<id>"
  int recheck_days = 0;
  double total_minutes = 0;
  std::vector<ChartRow> charts;
  std::string rules_version;
  safety::Needs excluded;  // what this patient must not be asked (harder versions too)
  // Numbers the texts name as {placeholders}, from norms.lua via the rules (e.g. pain_ok = 3).
  std::map<std::string, double, std::less<>> numbers;
};

// The rules failed or returned something malformed: "file:line: message".
class PlanError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kMaxExercises = 6;  // what fits on two pages

// Runs the rules on `session` (they read its document, core/session/session_json.h),
// then holds the result to the session's safety whatever the rules returned
// (handout/plan_safety.h): a session that is not cleared gets the refer plan
// without the rules being run at all. A plan that is not a refer plan gets one
// chart row per test whose script declares a chart (`charts`: the catalogue's,
// script::Catalogue::charts()); with `previous` (the same visit code's last
// visit), each row says what changed since. Throws PlanError.
struct PreviousVisit;  // handout/chart_rows.h
Plan make_plan(const HandoutAssets& assets, const session::Session& session, std::string_view lang,
               const script::ChartCatalogue& charts, const PreviousVisit* previous = nullptr);
// The rules' own answer, decoded but not yet held to the session's safety
// (what `kioskctl handout check` judges). Throws PlanError.
Plan plan_from_rules(const HandoutAssets& assets, const session::Session& session, std::string_view lang);
// Decodes one value plan() returned. Throws PlanError naming the field.
Plan decode_plan(const HandoutAssets& assets, const nlohmann::json& value, std::string_view lang);

// The dose in words, e.g. "3 sets of 10 on each side. Every day."
std::string dose_text(const HandoutAssets& assets, const PlannedExercise& ex, std::string_view lang);

// The text `key` in the plan's language with each {number} of plan.numbers filled in.
std::string plan_text(const HandoutAssets& assets, const Plan& plan, std::string_view key);

// {name} → value in a text from the assets.
std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string>> values);
// 10 not 10.0; 8.5.
std::string number_text(double v);

nlohmann::json plan_json(const HandoutAssets& assets, const Plan& plan);

}  // namespace kiosk::handout
