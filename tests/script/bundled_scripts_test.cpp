// The five bundled scripts, run as the kiosk runs them, scored at and
// around every cut-off in the clinical brief (values from scripts/lib/norms.lua).
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/session/session_json.h"
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
  explicit CheckedAnswers(const json& answers) : inner_(answers) {}
  std::optional<kiosk::session::Answer> answer(const Step& step) override {
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

// t.clinic from its JSON form ({min_age, balance_skip_from_age}), as these tests write it.
ClinicSettings clinic_of(const json& clinic) {
  ClinicSettings c;
  c.min_age = clinic.value("min_age", c.min_age);
  if (clinic.contains("balance_skip_from_age")) c.balance_skip_from_age = clinic["balance_skip_from_age"].get<int>();
  return c;
}

RunOutcome run(const std::string& script, json answers, json profile, CaptureHost* plate, json clinic) {
  CheckedAnswers source(std::move(answers));
  NoPlate no_plate;
  RunContext context;
  context.profile = kiosk::session::answers_from_json(profile);
  context.clinic = clinic_of(clinic);
  return run_script(kScripts / (script + ".lua"), bundled_options(), context, source, plate ? *plate : no_plate);
}

TestResult run_ok(const std::string& script, json answers, json profile = json::object(), CaptureHost* plate = nullptr,
                  json clinic = {{"min_age", 18}}) {
  const auto out = run(script, std::move(answers), std::move(profile), plate, std::move(clinic));
  INFO((out.script_error ? out.script_error->to_string() : out.input_error.value_or("")));
  REQUIRE_FALSE(out.red_flag);
  REQUIRE(out.result);
  return *out.result;
}

// The run stopped at an answer that raised its question's declared red flag.
RunOutcome::Flagged run_flagged(const std::string& script, json answers, json clinic = {{"min_age", 18}}) {
  const auto out = run(script, std::move(answers), json::object(), nullptr, std::move(clinic));
  INFO((out.script_error ? out.script_error->to_string() : out.input_error.value_or("")));
  REQUIRE(out.red_flag);
  CHECK_FALSE(out.result);
  return *out.red_flag;
}

// Heel-raise answers for both sides; what ended each side ("tired", "pain", "balance").
json raises(int left, int right, const char* left_end = "tired", const char* right_end = "tired") {
  return {{"left.reps", left}, {"right.reps", right}, {"left.ended_by", left_end}, {"right.ended_by", right_end}};
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
    json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"},     {"fever", "no"},
                    {"injury", "no"},   {"pain_now", 2},      {"one_leg_safe", "yes"}};
    answers[flag] = "yes";
    INFO(flag);
    const auto stop = run_flagged("screening", answers);  // the kiosk stops at the answer itself
    CHECK(stop.ask_id == flag);
    CHECK(stop.answer == "yes");
  }
}

TEST_CASE("screening: pain now above 7/10 is a red flag, 7 is not") {
  json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"},
                  {"fever", "no"},    {"injury", "no"},     {"one_leg_safe", "yes"}};
  answers["pain_now"] = 7;
  CHECK(run_ok("screening", answers).findings.empty());
  answers["pain_now"] = 8;
  CHECK(run_flagged("screening", answers).ask_id == "pain_now");
  answers["pain_now"] = 0;
  CHECK(run_ok("screening", answers).flags.empty());
}

TEST_CASE("screening: not safe on one leg skips balance and heel raises") {
  const json answers = {{"numbness", "no"}, {"night_pain", "no"}, {"swelling", "no"},    {"fever", "no"},
                        {"injury", "no"},   {"pain_now", 3},      {"one_leg_safe", "no"}};
  const auto r = run_ok("screening", answers);
  CHECK(r.findings == std::vector<std::string>{"balance_unsafe"});
  CHECK(r.flags == std::vector<std::string>{"skip:single_leg_balance", "skip:heel_raise"});
}

TEST_CASE("profile: a recent jump in running is a load spike") {
  json answers = {{"age_band", "40-49"},  {"sex", "female"},     {"painful_side", "left"}, {"weekly_km", 30},
                  {"recent_jump", "yes"}, {"shoe_change", "no"}, {"pain_weeks", 6}};
  auto r = run_ok("profile", answers);
  CHECK(r.findings == std::vector<std::string>{"load_spike"});
  CHECK(kiosk::session::to_json(r.answers)["age_band"] == "40-49");
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
  const std::vector<std::pair<std::string, double>> bands = {{"18-39", 43}, {"40-49", 40}, {"50-59", 37},
                                                             {"60-69", 27}, {"70-79", 15}, {"80+", 6}};
  for (const auto& [band, norm] : bands) {
    INFO(band);
    const auto r =
        run_ok("single_leg_balance", {{"left.seconds", norm}, {"right.seconds", norm - 0.1}}, {{"age_band", band}});
    CHECK_FALSE(has(r.findings, "balance_below_norm_left"));
    CHECK(has(r.findings, "balance_below_norm_right"));
    CHECK(measure(r, "stance_s", "right") == Approx(norm - 0.1));
    const auto above = run_ok("single_leg_balance", {{"left.seconds", norm + 0.1}, {"right.seconds", {1, norm, 2}}},
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
  auto r = run_ok("single_leg_balance", {{"left.seconds", 40}, {"right.seconds", 30}}, {{"age_band", "70-79"}});
  CHECK(has(r.findings, "balance_asymmetry"));
  CHECK(measure(r, "asymmetry_pct") == 25);
  r = run_ok("single_leg_balance", {{"left.seconds", 40}, {"right.seconds", 30.1}}, {{"age_band", "70-79"}});
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
  // 49.5 mm/s on the right is at or above norms sway_velocity_high_mm_s (40): high sway, once.
  CHECK(std::count(r.findings.begin(), r.findings.end(), "balance_sway_high") == 1);
  CHECK_THAT(r.interpretation.in("en"), Catch::Contains("right foot had to make a lot of quick corrections"));
  plate.by_detector_side["single_leg_stance/right"].metrics["velocity_mm_s"] = 39.9;
  CHECK_FALSE(
      has(run_ok("single_leg_balance", json::object(), {{"age_band", "40-49"}}, &plate).findings, "balance_sway_high"));
}

TEST_CASE("heel raises: fewer than 20 is low capacity, 20 is not") {
  auto r = run_ok("heel_raise", raises(19, 20));
  CHECK(has(r.findings, "calf_capacity_low_left"));
  CHECK_FALSE(has(r.findings, "calf_capacity_low_right"));
  CHECK(measure(r, "reps", "left") == 19);
}

TEST_CASE("heel raises: limb symmetry index below 90 % is asymmetry, 90 % is not") {
  auto r = run_ok("heel_raise", raises(18, 20));
  CHECK(measure(r, "lsi_pct") == 90);
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
  r = run_ok("heel_raise", raises(27, 30));
  CHECK(measure(r, "lsi_pct") == 90);
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
  r = run_ok("heel_raise", raises(26, 29));  // 89.66 %
  CHECK(has(r.findings, "calf_asymmetry"));
  CHECK(measure(r, "lsi_pct") == Approx(89.7));
  r = run_ok("heel_raise", raises(0, 0));
  CHECK_FALSE(has_measure(r, "lsi_pct"));
  CHECK_FALSE(has(r.findings, "calf_asymmetry"));
}

TEST_CASE("heel raises: a pain stop is its own finding and no raise at all sends the person to the team") {
  auto r = run_ok("heel_raise", raises(12, 22, "pain", "tired"));
  CHECK(has(r.findings, "calf_pain_stop"));
  CHECK(has(r.findings, "calf_capacity_low_left"));
  CHECK_FALSE(has(r.findings, "calf_no_raise_left"));
  CHECK_THAT(r.interpretation.in("en"), Catch::Contains("pain"));
  r = run_ok("heel_raise", raises(0, 21));
  CHECK(has(r.findings, "calf_no_raise_left"));
  CHECK_FALSE(has(r.findings, "calf_no_raise_right"));
  CHECK_FALSE(has(r.findings, "calf_pain_stop"));
  CHECK_THAT(r.interpretation.in("en"), Catch::Contains("check your calf") && !Catch::Contains("stronger"));
  r = run_ok("heel_raise", raises(1, 21));  // one raise: weak, not a referral
  CHECK_FALSE(has(r.findings, "calf_no_raise_left"));
}

TEST_CASE("heel raises: the instructions say to stop when the heel pain turns sharp") {
  // The first step the script yields for the left side is its instruction.
  ScriptRun run(kScripts / "heel_raise.lua", bundled_options());
  REQUIRE(run.load().empty());
  const auto p = run.start({});
  REQUIRE(p.step);
  CHECK_THAT(p.step->text.in("en"), Catch::Contains("Stop at once if the heel pain turns sharp"));
  CHECK_THAT(p.step->text.in("es"), Catch::Contains("dolor del talón se vuelve agudo"));
}

TEST_CASE("profile: an age band below the clinic's minimum age raises a red flag") {
  const json answers = {{"age_band", "under-18"}, {"sex", "skip"},       {"painful_side", "left"}, {"weekly_km", 10},
                        {"recent_jump", "no"},    {"shoe_change", "no"}, {"pain_weeks", 3}};
  CHECK(run_flagged("profile", answers).ask_id == "age_band");
  CHECK(run_flagged("profile", answers).answer == "under-18");
  CHECK(kiosk::session::to_json(
            run_ok("profile", answers, json::object(), nullptr, {{"min_age", 0}}).answers)["age_band"] == "under-18");
  json adult = answers;
  adult["age_band"] = "18-39";
  CHECK(run_ok("profile", adult).findings.empty());
  CHECK(run_flagged("profile", adult, {{"min_age", 40}}).answer == "18-39");  // a clinic for 40 and over
}

TEST_CASE("balance: beside a wall for everyone, fingertips on it from 70, skipped from the clinic's age") {
  auto first_text = [](const json& profile, const json& clinic) {
    ScriptRun run(kScripts / "single_leg_balance.lua", bundled_options());
    REQUIRE(run.load().empty());
    RunContext c;
    c.profile = kiosk::session::answers_from_json(profile);
    c.clinic = clinic_of(clinic);
    const auto p = run.start(c);
    REQUIRE(p.step);
    return p.step->text.in("en");
  };
  const json clinic = {{"min_age", 18}};
  CHECK_THAT(first_text({{"age_band", "40-49"}}, clinic),
             Catch::Contains("wall or a rail") && Catch::Contains("arms over your chest"));
  CHECK_THAT(first_text({{"age_band", "70-79"}}, clinic), Catch::Contains("fingertips on it the whole time"));
  CHECK_THAT(first_text({{"age_band", "80+"}}, clinic), Catch::Contains("fingertips on it the whole time"));
  const json skip_from_70 = {{"min_age", 18}, {"balance_skip_from_age", 70}};
  CHECK_THAT(first_text({{"age_band", "70-79"}}, skip_from_70), Catch::Contains("not done at your age"));
  CHECK_THAT(first_text({{"age_band", "60-69"}}, skip_from_70), Catch::Contains("wall or a rail"));
  const auto skipped = run_ok("single_leg_balance", json::object(), {{"age_band", "80+"}}, nullptr, skip_from_70);
  CHECK(skipped.measures.empty());
  CHECK(skipped.findings.empty());
}

TEST_CASE("heel raises with a plate: the detector counts") {
  FakePlate plate;
  plate.by_detector_side["heel_raise_count/left"].metrics = {{"reps", 24}};
  plate.by_detector_side["heel_raise_count/right"].metrics = {{"reps", 15}};
  const auto r =
      run_ok("heel_raise", {{"left.ended_by", "tired"}, {"right.ended_by", "balance"}}, json::object(), &plate);
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
