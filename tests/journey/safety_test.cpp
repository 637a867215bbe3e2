// Patient safety through the journey, headless: a broken safety screen fails
// closed (whatever broke), a red flag sticks through Back and only a staff
// override lets the patient go on (the record keeps both), an under-age
// patient is sent to the team, and a one-leg-unsafe patient's sheet holds
// no one-leg, step or running work. Each of these failed before the safety
// state moved into the model (issue 13).
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <fstream>

#include "core/paths.h"
#include "core/session/session_json.h"
#include "core/storage/session_store.h"
#include "handout/assets.h"
#include "handout/plan.h"
#include "journey/autopilot.h"
#include "journey/journey.h"
#include "script/session.h"
#include "support/bundled_assets.h"
#include "support/temp_dir.h"

using namespace kiosk;
using journey::Journey;
using journey::Stage;
using Clock = Journey::Clock;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

nlohmann::json fixture(const std::string& name) {
  std::ifstream in(kSource / "tests/fixtures/answers" / name);
  return nlohmann::json::parse(in);
}

// The bundled scripts copied to a folder of the test's own, screening.lua replaced (or removed).
struct ScriptFolder {
  test::TempDir dir;
  explicit ScriptFolder(const std::optional<std::string>& screening) {
    std::filesystem::copy(kSource / "scripts", dir.path(), std::filesystem::copy_options::recursive);
    std::filesystem::remove(dir / "screening.lua");
    if (screening) std::ofstream(dir / "screening.lua") << *screening;
  }
};

struct Patient {
  script::Catalogue catalogue;
  journey::NoPlates no_plates;
  Clock::time_point now = Clock::now();
  std::vector<std::pair<kiosk::session::Session, std::string>> ended;
  std::unique_ptr<Journey> j;

  explicit Patient(std::filesystem::path scripts = kSource / "scripts", script::ClinicSettings clinic = {})
      : catalogue({std::move(scripts)}) {
    catalogue.scan();
    journey::JourneySettings settings;
    settings.clinic = std::move(clinic);
    j = std::make_unique<Journey>(catalogue, no_plates, settings);
    j->on_session_end([this](const journey::EndedSession& e) { ended.emplace_back(e.session, e.how); });
  }
  bool walk_up() {
    j->touch(now);
    j->start();
    if (j->stage() != Stage::language) return false;
    j->choose_language("en");
    return !j->accept_welcome();
  }
  void answer_all(const nlohmann::json& answers) {
    journey::Autopilot pilot(script::AnswerBook::from_json(answers));
    for (int guard = 0; guard < 300 && j->stage() == Stage::step; ++guard) {
      j->touch(now);
      INFO(j->script_info()->id << "." << j->step()->id);
      REQUIRE(pilot.act(*j));
    }
  }
  // The session's document as the store keeps it.
  nlohmann::json finish() {
    j->next();
    REQUIRE(ended.size() == 1);
    return kiosk::session::to_json(ended[0].first);
  }
};

}  // namespace

TEST_CASE("safety: a missing or invalid screening script starts no session at all", "[journey][safety]") {
  for (const std::optional<std::string>& screening :
       {std::optional<std::string>(), std::optional<std::string>("return {"),
        std::optional<std::string>("return { api = 1, id = 'screening', version = '1', kind = 'screening' }")}) {
    ScriptFolder folder(screening);
    Patient p(folder.dir.path());
    INFO(screening.value_or("(no file)"));
    CHECK_FALSE(p.j->sessions_blocked().empty());
    CHECK_FALSE(p.walk_up());
    CHECK(p.j->stage() == Stage::attract);  // the attract screen says "please ask at the desk"
    CHECK(p.ended.empty());
  }
}

TEST_CASE("safety: a screening script that fails while it runs fails closed: no tests, no exercises",
          "[journey][safety]") {
  const std::string head =
      "return { api = 1, id = 'screening', version = '9', kind = 'screening', title = { en = 'S' },\n"
      "  run = function(t)\n";
  const std::vector<std::pair<const char*, std::string>> failures{
      {"runtime error", "    kiosk.confirm { id = 'numbness', text = 'x' }\n    error('broken on purpose')\n"},
      {"CPU limit", "    kiosk.confirm { id = 'numbness', text = 'x' }\n    while true do end\n"},
      {"memory limit",
       "    kiosk.confirm { id = 'numbness', text = 'x' }\n    local t = {} for i = 1, 1e9 do t[i] = string.rep('x', "
       "1000) .. i end\n"},
      {"bad result", "    kiosk.confirm { id = 'numbness', text = 'x' }\n    return 42\n"},
  };
  for (const auto& [what, body] : failures) {
    INFO(what);
    ScriptFolder folder(head + body + "  end }\n");
    Patient p(folder.dir.path());
    REQUIRE(p.walk_up());
    REQUIRE(p.j->stage() == Stage::step);
    REQUIRE_FALSE(p.j->answer("no"));  // numbness: no — then the script breaks
    REQUIRE(p.j->stage() == Stage::speak_to_team);
    const auto session = kiosk::session::to_json(*p.j->session());
    CHECK(session["safety"]["state"] == "unscreened");
    CHECK_FALSE(session["safety"]["unscreened_reason"].get<std::string>().empty());
    CHECK(session["tests"].empty());
    CHECK(session["profile"].is_null());
    p.j->back();  // nothing to go back to
    CHECK(p.j->stage() == Stage::speak_to_team);
    const auto stored = p.finish();
    CHECK(storage::outcome_of(p.ended[0].first, "finished") == storage::Outcome::unscreened);
  }
}

TEST_CASE("safety: a red flag sticks through Back, and the record keeps the answer that raised it",
          "[journey][safety]") {
  Patient p;
  REQUIRE(p.walk_up());
  p.j->next();                        // the introduction
  REQUIRE_FALSE(p.j->answer("no"));   // numbness
  REQUIRE_FALSE(p.j->answer("yes"));  // night pain: a red flag
  REQUIRE(p.j->stage() == Stage::speak_to_team);
  for (int i = 0; i < 5; ++i) p.j->back();
  CHECK(p.j->stage() == Stage::speak_to_team);
  CHECK_FALSE(p.j->safety().allows_tests());
  const auto stored = p.finish();
  CHECK(stored["safety"]["state"] == "red_flag");
  CHECK(stored["safety"]["flags"][0]["raised_by"] == "screening.night_pain");
  CHECK(stored["safety"]["flags"][0]["answer"] == "yes");
  CHECK(stored["tests"].empty());
}

TEST_CASE("safety: only a staff override with a listed reason lets a flagged patient go on", "[journey][safety]") {
  Patient p;
  REQUIRE(p.walk_up());
  auto answers = fixture("session_full.json");
  answers["screening.fever"] = "yes";
  p.answer_all(answers);
  REQUIRE(p.j->stage() == Stage::speak_to_team);
  CHECK_FALSE(p.j->override_red_flag("because I say so", "2026-12-03T10:00:00Z"));  // not on the list
  CHECK(p.j->stage() == Stage::speak_to_team);
  REQUIRE(p.j->override_red_flag("clinician_assessed", "2026-12-03T10:00:00Z"));
  // The screening goes on from the flagged answer: the one-leg question is still asked.
  REQUIRE(p.j->stage() == Stage::step);
  CHECK(p.j->script_info()->id == "screening");
  p.answer_all(answers);
  REQUIRE(p.j->stage() == Stage::results);
  CHECK(p.j->session()->tests.size() == 3);
  const auto stored = [&] {
    p.j->next();
    return p.finish();
  }();
  const auto& flag = stored["safety"]["flags"][0];
  CHECK(flag["raised_by"] == "screening.fever");
  CHECK(flag["override"]["reason"] == "clinician_assessed");
  CHECK(stored["safety"]["state"] == "cleared");
  CHECK(storage::outcome_of(p.ended[0].first, "finished") == storage::Outcome::completed);
}

TEST_CASE("safety: under the clinic's minimum age the patient is sent to the team", "[journey][safety]") {
  auto answers = fixture("session_full.json");
  answers["profile.age_band"] = "under-18";
  Patient p;
  REQUIRE(p.walk_up());
  p.answer_all(answers);
  REQUIRE(p.j->stage() == Stage::speak_to_team);
  CHECK(p.j->session()->safety.flags().at(0).raised_by == "profile.age_band");
  CHECK(p.j->session()->tests.empty());
  Patient open_to_all(kSource / "scripts", script::ClinicSettings{0, {}});
  REQUIRE(open_to_all.walk_up());
  open_to_all.answer_all(answers);
  CHECK(open_to_all.j->stage() == Stage::results);
}

TEST_CASE("safety: a one-leg-unsafe patient's plan has no one-leg, step or running work",
          "[journey][safety][handout]") {
  const auto& assets = test::bundled_assets();
  Patient p;
  REQUIRE(p.walk_up());
  p.answer_all(fixture("session_one_leg_unsafe.json"));
  REQUIRE(p.j->stage() == Stage::results);
  CHECK(p.j->safety().one_leg_unsafe());
  const auto plan = handout::make_plan(assets, *p.j->session(), "en", p.j->charts());
  REQUIRE(plan.exercises.size() >= 4);
  for (const auto& ex : plan.exercises) {
    INFO(ex.card->id);
    CHECK_FALSE(ex.card->needs.intersects(safety::one_leg_unsafe_excludes()));
  }
  for (const auto& a : plan.advice)
    CHECK_FALSE(assets.lines.of("advice", a).intersects(safety::one_leg_unsafe_excludes()));
  for (const auto& l : plan.progression)
    CHECK_FALSE(assets.lines.of("progression", l).intersects(safety::one_leg_unsafe_excludes()));
  CHECK(std::find(plan.advice.begin(), plan.advice.end(), "run_ask_first") != plan.advice.end());
  CHECK(plan.excluded == safety::one_leg_unsafe_excludes());  // harder versions needing them are not offered
}

TEST_CASE("safety: a pain stop in the heel raises starts the calf work gently", "[journey][safety][handout]") {
  const auto& assets = test::bundled_assets();
  auto answers = fixture("session_full.json");
  answers["heel_raise.left.ended_by"] = "pain";
  Patient p;
  REQUIRE(p.walk_up());
  p.answer_all(answers);
  REQUIRE(p.j->stage() == Stage::results);
  const auto findings = fmt::format("{}", fmt::join(p.j->session()->findings, ","));
  CHECK_THAT(findings, Catch::Contains("calf_pain_stop"));
  const auto plan = handout::make_plan(assets, *p.j->session(), "en", p.j->charts());
  std::vector<std::string> ids;
  for (const auto& ex : plan.exercises) ids.push_back(ex.card->id);
  // The calf ladder's first rung (holds on two legs), nothing above it.
  CHECK(std::find(ids.begin(), ids.end(), "isometric_heel_hold") != ids.end());
  for (const auto* harder : {"heel_raise_supported", "heel_raise_step", "eccentric_heel_drop", "heel_raise_loaded"})
    CHECK(std::find(ids.begin(), ids.end(), harder) == ids.end());
  CHECK(std::find(plan.advice.begin(), plan.advice.end(), "pain_stop") != plan.advice.end());
}
