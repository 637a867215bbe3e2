// The Questionnaires found by running scripts headless (script/questionnaire.h):
// every question a patient can meet, with its type, options, range and unit,
// in the order met; none behind an answer that raises a red flag.
#include <catch2/catch.hpp>

#include "core/config.h"
#include "script/questionnaire.h"
#include "script/session.h"
#include "script_fixture.h"

using namespace kiosk;
using records_export::QuestionItem;

namespace {

std::vector<std::string> link_ids(const records_export::QuestionnaireDef& def) {
  std::vector<std::string> ids;
  for (const auto& q : def.items) ids.push_back(q.link_id);
  return ids;
}

// A script whose questions hang on earlier answers.
constexpr std::string_view kBranchy = R"lua(
return {
  api = 1, id = "branchy", version = "3.1.0", title = { en = "Branches", es = "Ramas" },
  run = function(t)
    if kiosk.confirm { id = "numb", text = "Numb?", red_flag = true } then
      kiosk.confirm { id = "never_met", text = "Only after a red flag" }
    end
    local where = kiosk.choose { id = "where", text = { en = "Where?", es = "¿Dónde?" },
      options = { { value = "heel", text = { en = "Heel", es = "Talón" } }, { value = "arch", text = "Arch" } } }
    if where == "arch" then
      kiosk.ask_number { id = "arch_score", text = "Score", min = 0, max = 5, step = 0.5 }
      if kiosk.confirm { id = "arch_sure", text = "Sure?" } then
        kiosk.ask_number { id = "arch_tries", text = "Tries", min = 1, max = 9, attempts = 3, unit = "reps" }
      end
    end
    local ok = kiosk.capture { side = "left", seconds = 5, detector = "stance" }
    if not ok then kiosk.ask_number { id = "left.seconds", text = "Seconds", min = 0, max = 60, unit = "s" } end
    kiosk.result { text = "Done" }
    return { findings = {} }
  end,
}
)lua";

}  // namespace

TEST_CASE("the shipped screening and profile Questionnaires hold every question the scripts ask") {
  script::Catalogue catalogue({std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"});
  catalogue.scan();
  const auto defs = script::questionnaires(catalogue, script::clinic_context(Config{}));
  REQUIRE(defs.size() == 2);
  const auto& screening = defs[0];
  CHECK(screening.script_id == "screening");
  CHECK(screening.version == catalogue.find("screening")->info->version);
  CHECK(link_ids(screening) ==
        std::vector<std::string>{"numbness", "night_pain", "swelling", "fever", "injury", "pain_now", "one_leg_safe"});
  const auto* pain = screening.item("pain_now");
  REQUIRE(pain);
  CHECK(pain->type == QuestionItem::Type::integer);
  CHECK(pain->min == 0);
  CHECK(pain->max == 10);
  CHECK(screening.item("numbness")->text.at("es") == "¿Sientes el pie dormido, con hormigueo o con ardor?");

  const auto& profile = defs[1];
  CHECK(link_ids(profile) == std::vector<std::string>{"age_band", "sex", "painful_side", "weekly_km", "recent_jump",
                                                      "shoe_change", "pain_weeks"});
  const auto* age = profile.item("age_band");
  REQUIRE(age->type == QuestionItem::Type::choice);
  REQUIRE(age->options.size() == 7);  // the bands too young still listed: an answer a patient can give
  CHECK(age->options[0].value == "under-18");
  CHECK(profile.item("pain_weeks")->unit == "weeks");

  // --all: the tests' manual questions too (a capture with no plate asks instead).
  const auto all = script::questionnaires(catalogue, script::clinic_context(Config{}), true);
  CHECK(all.size() == 5);
  const auto* knee =
      records_export::find_questionnaire(all, "knee_to_wall", catalogue.find("knee_to_wall")->info->version);
  REQUIRE(knee);
  CHECK(knee->item("left.distance_cm")->type == QuestionItem::Type::decimal);
  CHECK(knee->item("left.distance_cm")->repeats);
}

TEST_CASE("questions behind an answer are found and questions behind a red flag are not") {
  script::test::TempDir dir;
  const auto file = dir.write("branchy.lua", kBranchy);
  const auto found = script::find_questions(file, dir.options(), script::ClinicSettings{});
  INFO((found.error ? found.error->to_string() : ""));
  REQUIRE_FALSE(found.error);
  CHECK(found.def.version == "3.1.0");
  CHECK(found.def.title.at("es") == "Ramas");
  CHECK(link_ids(found.def) ==
        std::vector<std::string>{"numb", "where", "arch_score", "arch_sure", "arch_tries", "left.seconds"});
  CHECK(found.def.item("arch_score")->type == QuestionItem::Type::decimal);
  CHECK(found.def.item("arch_tries")->repeats);
  CHECK(found.def.item("arch_tries")->type == QuestionItem::Type::integer);
  CHECK(found.def.item("where")->options[1].text.at("en") == "Arch");
  CHECK(found.runs < 20);  // each other answer once, not every combination
}

TEST_CASE("a script that fails while its questions are found says where") {
  script::test::TempDir dir;
  const auto file = dir.write("broken.lua", R"lua(
return { api = 1, id = "broken", version = "1", title = "B",
  run = function(t)
    if kiosk.confirm { id = "go", text = "Go?" } then error("boom") end
    return { findings = {} }
  end }
)lua");
  const auto found = script::find_questions(file, dir.options(), script::ClinicSettings{});
  REQUIRE(found.error);
  CHECK_THAT(found.error->to_string(), Catch::Contains("broken.lua:4") && Catch::Contains("boom"));
}
