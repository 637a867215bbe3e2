// The five bundled scripts, run as the kiosk runs them, scored at and
// around every cut-off in the clinical brief (values from scripts/lib/norms.lua).
#include <catch2/catch.hpp>

#include <algorithm>

#include "script_fixture.h"

using namespace kiosk::script;
using nlohmann::json;

namespace {

const std::filesystem::path kScripts = std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts";

SandboxOptions bundled_options() {
  SandboxOptions o;
  o.lib_dirs = {kScripts / "lib"};
  return o;
}

// Answers from JSON, and every step's text checked for English and Spanish.
class CheckedAnswers final : public AnswerSource {
 public:
  explicit CheckedAnswers(json answers) : inner_(std::move(answers)) {}
  json answer(const Step& step) override {
    if (!step.text.empty()) {
      CHECK(step.text.by_lang.contains("en"));
      CHECK(step.text.by_lang.contains("es"));
    }
    for (const auto& o : step.options) CHECK(o.text.by_lang.contains("es"));
    return inner_.answer(step);
  }

 private:
  JsonAnswers inner_;
};

class FakePlate final : public CaptureHost {
 public:
  std::map<std::string, CaptureResult> by_detector_side;  // "detector/side"
  bool plate_available() const override { return true; }
  std::optional<CaptureResult> capture(const CaptureRequest& r) override {
    return by_detector_side.at(r.detector + "/" + r.side);
  }
};

TestResult run_ok(const std::string& script, json answers, json profile = json::object(),
                  CaptureHost* plate = nullptr) {
  CheckedAnswers source(std::move(answers));
  NoPlate no_plate;
  RunContext context;
  context.profile = std::move(profile);
  const auto out = run_script(kScripts / (script + ".lua"), bundled_options(), context, source,
                              plate ? *plate : no_plate);
  INFO((out.script_error ? out.script_error->to_string() : out.input_error.value_or("")));
  REQUIRE(out.result);
  return *out.result;
}

bool has(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

double measure(const TestResult& r, const std::string& id, const std::string& side = "") {
  for (const auto& m : r.measures)
    if (m.id == id && m.side == side) return m.value;
  FAIL("no measure " << id << " side '" << side << "'");
  return 0;
}

bool has_measure(const TestResult& r, const std::string& id) {
  return std::any_of(r.measures.begin(), r.measures.end(), [&](const Measure& m) { return m.id == id; });
}

}  // namespace

TEST_CASE("every bundled script checks clean, declares api 1 and both languages") {
  for (const char* name : {"screening", "profile", "knee_to_wall", "single_leg_balance", "heel_raise"}) {
    TestInfo info;
    const auto problems = check_script(kScripts / (std::string(name) + ".lua"), bundled_options(), &info);
    INFO(name << ": " << (problems.empty() ? "" : problems.front().to_string()));
    CHECK(problems.empty());
    CHECK(info.id == name);
    CHECK(info.api == 1);
    CHECK(info.title.by_lang.contains("es"));
  }
}

TEST_CASE("screening: each yes/no red flag stops the session") {
  for (const char* flag : {"numbness", "night_pain", "swelling", "fever", "injury"}) {
    json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"}, {"fever", "no"},
                    {"injury", "no"}, {"pain_now", 2}, {"one_leg_safe", "yes"}};
    answers[flag] = "yes";
    const auto r = run_ok("screening", answers);
    INFO(flag);
    CHECK(r.findings == std::vector<std::string>{"red_flag"});
    CHECK(r.flags == std::vector<std::string>{"stop_session"});
  }
}

TEST_CASE("screening: pain now above 7/10 is a red flag, 7 is not") {
  json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"}, {"fever", "no"},
                  {"injury", "no"}, {"one_leg_safe", "yes"}};
  answers["pain_now"] = 7;
  CHECK(run_ok("screening", answers).findings.empty());
  answers["pain_now"] = 8;
  CHECK(run_ok("screening", answers).findings == std::vector<std::string>{"red_flag"});
  answers["pain_now"] = 0;
  CHECK(run_ok("screening", answers).flags.empty());
}

TEST_CASE("screening: not safe on one leg skips balance and heel raises") {
  const json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"}, {"fever", "no"},
                        {"injury", "no"}, {"pain_now", 3}, {"one_leg_safe", "no"}};
  const auto r = run_ok("screening", answers);
  CHECK(r.findings == std::vector<std::string>{"balance_unsafe"});
  CHECK(r.flags == std::vector<std::string>{"skip:single_leg_balance", "skip:heel_raise"});
}

TEST_CASE("profile: a recent jump in running is a load spike") {
  json answers = {{"age_band", "40-49"}, {"sex", "female"}, {"painful_side", "left"},
                  {"weekly_km", 30},    {"recent_jump", "yes"}, {"shoe_change", "no"},
                  {"pain_weeks", 6}};
  auto r = run_ok("profile", answers);
  CHECK(r.findings == std::vector<std::string>{"load_spike"});
  CHECK(r.answers["age_band"] == "40-49");
  answers["recent_jump"] = "no";
  CHECK(run_ok("profile", answers).findings.empty());
}

TEST_CASE("knee to wall: restricted below 10 cm, adequate at 10") {
  auto r = run_ok("knee_to_wall", {{"left.distance_cm", 9.5}, {"right.distance_cm", 10}});
  CHECK(has(r.findings, "dorsiflexion_restricted_left"));
  CHECK_FALSE(has(r.findings, "dorsiflexion_restricted_right"));
  CHECK(measure(r, "distance_cm", "left") == 9.5);
  CHECK(measure(r, "distance_cm", "right") == 10);
  r = run_ok("knee_to_wall", {{"left.distance_cm", 10.5}, {"right.distance_cm", 0}});
  CHECK_FALSE(has(r.findings, "dorsiflexion_restricted_left"));
  CHECK(has(r.findings, "dorsiflexion_restricted_right"));  // 0 = could not touch the wall
}

TEST_CASE("knee to wall: the best of up to 3 tries counts") {
  const auto r = run_ok("knee_to_wall", {{"left.distance_cm", {8, 10.5, 9}}, {"right.distance_cm", {11}}});
  CHECK(measure(r, "distance_cm", "left") == 10.5);
  CHECK(r.findings.empty());
}

TEST_CASE("knee to wall: a difference of 2 cm or more is asymmetry") {
  auto r = run_ok("knee_to_wall", {{"left.distance_cm", 12}, {"right.distance_cm", 10}});
  CHECK(has(r.findings, "dorsiflexion_asymmetry"));
  CHECK(measure(r, "asymmetry_cm") == 2);
  r = run_ok("knee_to_wall", {{"left.distance_cm", 11.5}, {"right.distance_cm", 10}});
  CHECK_FALSE(has(r.findings, "dorsiflexion_asymmetry"));
  CHECK(measure(r, "asymmetry_cm") == 1.5);
  r = run_ok("knee_to_wall", {{"left.distance_cm", 10}, {"right.distance_cm", 12.5}});
  CHECK(has(r.findings, "dorsiflexion_asymmetry"));
}

TEST_CASE("balance: below the Springer 2007 age-band mean, at and around it") {
  const std::vector<std::pair<std::string, double>> bands = {
      {"18-39", 43}, {"40-49", 40}, {"50-59", 37}, {"60-69", 27}, {"70-79", 15}, {"80+", 6}};
  for (const auto& [band, norm] : bands) {
    INFO(band);
    const auto r = run_ok("single_leg_balance",
                          {{"left.seconds", norm}, {"right.seconds", norm - 0.1}},
                          {{"age_band", band}});
    CHECK_FALSE(has(r.findings, "balance_below_norm_left"));
    CHECK(has(r.findings, "balance_below_norm_right"));
    CHECK(measure(r, "stance_s", "right") == Approx(norm - 0.1));
    const auto above = run_ok("single_leg_balance",
                              {{"left.seconds", norm + 0.1}, {"right.seconds", {1, norm, 2}}},
                              {{"age_band", band}});
    CHECK_FALSE(has(above.findings, "balance_below_norm_left"));
    CHECK_FALSE(has(above.findings, "balance_below_norm_right"));
  }
}

TEST_CASE("balance: without an age band no norm is applied") {
  const auto r = run_ok("single_leg_balance", {{"left.seconds", 2}, {"right.seconds", 2}});
  CHECK(r.findings.empty());
}

TEST_CASE("balance: 45 s cap and 25 % asymmetry (kiosk default)") {
  auto r = run_ok("single_leg_balance", {{"left.seconds", 40}, {"right.seconds", 30}},
                  {{"age_band", "70-79"}});
  CHECK(has(r.findings, "balance_asymmetry"));
  CHECK(measure(r, "asymmetry_pct") == 25);
  r = run_ok("single_leg_balance", {{"left.seconds", 40}, {"right.seconds", 30.1}},
             {{"age_band", "70-79"}});
  CHECK_FALSE(has(r.findings, "balance_asymmetry"));
  CHECK(measure(r, "asymmetry_pct") == Approx(24.75).margin(0.05));  // reported to 0.1
  JsonAnswers over(json{{"left.seconds", 45.1}, {"right.seconds", 3}});
  NoPlate no_plate;
  const auto out = run_script(kScripts / "single_leg_balance.lua", bundled_options(), {}, over, no_plate);
  REQUIRE(out.input_error);
  CHECK_THAT(*out.input_error, Catch::Contains("left.seconds") && Catch::Contains("45"));
}

TEST_CASE("balance with a plate: stance time and sway come from the detector") {
  FakePlate plate;
  plate.by_detector_side["single_leg_stance/left"].metrics = {
      {"stance_s", 45}, {"path_mm", 812.5}, {"velocity_mm_s", 18.1}, {"area95_mm2", 420}};
  plate.by_detector_side["single_leg_stance/right"].metrics = {
      {"stance_s", 20}, {"path_mm", 990}, {"velocity_mm_s", 49.5}, {"area95_mm2", 900}};
  const auto r = run_ok("single_leg_balance", json::object(), {{"age_band", "40-49"}}, &plate);
  CHECK(measure(r, "stance_s", "left") == 45);
  CHECK(measure(r, "path_mm", "right") == 990);
  CHECK(measure(r, "velocity_mm_s", "left") == Approx(18.1));
  CHECK(measure(r, "area95_mm2", "right") == 900);
  CHECK(has(r.findings, "balance_below_norm_right"));
  CHECK(has(r.findings, "balance_asymmetry"));
  CHECK(r.answers.empty());
}

TEST_CASE("heel raises: fewer than 20 is low capacity, 20 is not") {
  auto r = run_ok("heel_raise", {{"left.reps", 19}, {"right.reps", 20}});
  CHECK(has(r.findings, "calf_capacity_low_left"));
  CHECK_FALSE(has(r.findings, "calf_capacity_low_right"));
  CHECK(measure(r, "reps", "left") == 19);
}

TEST_CASE("heel raises: limb symmetry index below 90 % is asymmetry, 90 % is not") {
  auto r = run_ok("heel_raise", {{"left.reps", 18}, {"right.reps", 20}});
  CHECK(measure(r, "lsi_pct") == 90);
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
  r = run_ok("heel_raise", {{"left.reps", 27}, {"right.reps", 30}});
  CHECK(measure(r, "lsi_pct") == 90);
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
  r = run_ok("heel_raise", {{"left.reps", 26}, {"right.reps", 29}});  // 89.66 %
  CHECK(has(r.findings, "calf_asymmetry"));
  CHECK(measure(r, "lsi_pct") == Approx(89.7));
  r = run_ok("heel_raise", {{"left.reps", 0}, {"right.reps", 0}});
  CHECK_FALSE(has_measure(r, "lsi_pct"));
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
}

TEST_CASE("heel raises with a plate: the detector counts") {
  FakePlate plate;
  plate.by_detector_side["heel_raise_count/left"].metrics = {{"reps", 24}};
  plate.by_detector_side["heel_raise_count/right"].metrics = {{"reps", 15}};
  const auto r = run_ok("heel_raise", json::object(), json::object(), &plate);
  CHECK(measure(r, "reps", "right") == 15);
  CHECK(has(r.findings, "calf_capacity_low_right"));
  CHECK(has(r.findings, "calf_asymmetry"));
}

TEST_CASE("interpretations are plain words in English and Spanish") {
  const auto r = run_ok("knee_to_wall", {{"left.distance_cm", 9.5}, {"right.distance_cm", 12}});
  const auto en = r.interpretation.in("en");
  const auto es = r.interpretation.in("es");
  CHECK_THAT(en, Catch::Contains("9.5 cm") && Catch::Contains("left"));
  CHECK_THAT(es, Catch::Contains("9.5 cm") && Catch::Contains("izquierdo"));
  CHECK(en != es);
}
