// Typed answers (script/answers.h): what an answers file becomes, the checks
// every answer passes before a script sees it, and the red-flag test on the
// typed value.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "script/answers.h"
#include "script_fixture.h"

using namespace kiosk::script;
using kiosk::session::Answer;
using nlohmann::json;

namespace {

Step number_step(int attempts = 1) {
  Step s;
  s.kind = StepKind::ask_number;
  s.id = "left.distance_cm";
  s.min = 0;
  s.max = 20;
  s.step = 0.5;
  s.attempts = attempts;
  return s;
}

Step confirm_step() {
  Step s;
  s.kind = StepKind::confirm;
  s.id = "night_pain";
  s.red_flag.when = true;
  return s;
}

Step choice_step() {
  Step s;
  s.kind = StepKind::choose;
  s.id = "age_band";
  s.options = {{"18-39", {}}, {"40-49", {}}, {"under-18", {}}};
  s.red_flag.values = {"under-18"};
  return s;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const AnswerError& e) {
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("answers: a number is checked against range and grid, and becomes a list when tries are offered",
          "[script][answers]") {
  CHECK(normalize_answer(number_step(), 8.5) == Answer(8.5));
  CHECK(normalize_answer(number_step(3), 8.5) == Answer(std::vector<double>{8.5}));
  CHECK(normalize_answer(number_step(3), std::vector<double>{8, 9.5}) == Answer(std::vector<double>{8, 9.5}));
  CHECK(normalize_answer(number_step(1), std::vector<double>{7}) == Answer(7.0));
  CHECK_THAT(error_of([] { normalize_answer(number_step(), 21.0); }), Catch::Contains("above the maximum 20"));
  CHECK_THAT(error_of([] { normalize_answer(number_step(), 8.2); }), Catch::Contains("not in steps of 0.5"));
  CHECK_THAT(error_of([] {
               normalize_answer(number_step(2), std::vector<double>{1, 2, 3});
             }),
             Catch::Contains("3 attempts; at most 2"));
  CHECK_THAT(error_of([] { normalize_answer(number_step(3), std::vector<double>{}); }), Catch::Contains("empty list"));
  CHECK_THAT(error_of([] { normalize_answer(number_step(), std::string("8")); }),
             Catch::Contains("must be a number from 0 to 20 (got \"8\")"));
}

TEST_CASE("answers: yes and no come as booleans or words, a choice must be one of the options", "[script][answers]") {
  CHECK(normalize_answer(confirm_step(), true) == Answer(true));
  CHECK(normalize_answer(confirm_step(), std::string("no")) == Answer(false));
  CHECK_THAT(error_of([] { normalize_answer(confirm_step(), std::string("maybe")); }),
             Catch::Contains("\"yes\" or \"no\""));
  CHECK(normalize_answer(choice_step(), std::string("40-49")) == Answer(std::string("40-49")));
  CHECK_THAT(error_of([] { normalize_answer(choice_step(), std::string("50-59")); }),
             Catch::Contains("choose one of: 18-39, 40-49, under-18"));
  CHECK_THAT(error_of([] { normalize_answer(choice_step(), 3.0); }), Catch::Contains("one of the choices"));
}

TEST_CASE("answers: the red flag is read from the typed answer, any try counting", "[script][answers]") {
  CHECK(raises_red_flag(confirm_step(), true));
  CHECK_FALSE(raises_red_flag(confirm_step(), false));
  CHECK(raises_red_flag(choice_step(), std::string("under-18")));
  CHECK_FALSE(raises_red_flag(choice_step(), std::string("18-39")));
  auto pain = number_step(3);
  pain.red_flag.above = 7;
  CHECK(raises_red_flag(pain, std::vector<double>{2, 8}));
  CHECK_FALSE(raises_red_flag(pain, std::vector<double>{2, 7}));
  CHECK_FALSE(raises_red_flag(number_step(), 20.0));  // no rule declared: never a flag
}

TEST_CASE("answers: an answers file is read once into a book, sections and unreadable values are kept apart",
          "[script][answers]") {
  const auto book = AnswerBook::from_json(json{{"screening.night_pain", "no"},
                                               {"knee_to_wall.left.distance_cm", json::array({8, 9.5})},
                                               {"knee_to_wall.right.distance_cm", nullptr},
                                               {"profile", {{"age_band", "40-49"}}}});
  REQUIRE(book.sections.contains("profile"));
  CHECK(book.sections.at("profile").at("age_band") == Answer(std::string("40-49")));
  CHECK(book.find("profile") == nullptr);

  BookAnswers knee(book, "knee_to_wall.");
  auto left = number_step(3);
  CHECK(knee.answer(left) == Answer(std::vector<double>{8, 9.5}));
  auto right = left;
  right.id = "right.distance_cm";
  CHECK_THAT(error_of([&] { knee.answer(right); }),
             Catch::Contains("'knee_to_wall.right.distance_cm' is not an answer (got null)"));
  CHECK(knee.unused_keys().empty());

  BookAnswers screening(book, "screening.");
  CHECK(screening.unused_keys() == std::set<std::string>{"screening.night_pain"});
  auto missing = confirm_step();
  missing.id = "numbness";
  CHECK_THAT(error_of([&] { screening.answer(missing); }), Catch::Contains("no answer for 'screening.numbness'"));

  CHECK_THAT(error_of([] { AnswerBook::from_json(json::array()); }), Catch::Contains("JSON object keyed by ask id"));
}

TEST_CASE("answers: reading an answers file names the file in every error", "[script][answers]") {
  kiosk::script::test::TempDir dir;
  CHECK_THAT(error_of([&] { AnswerBook::read(dir.path / "none.json"); }), Catch::Contains("none.json: cannot open"));
  const auto bad = dir.write("bad.json", "{ not json");
  CHECK_THAT(error_of([&] { AnswerBook::read(bad); }), Catch::Contains("bad.json: not valid JSON"));
  const auto list = dir.write("list.json", "[1, 2]");
  CHECK_THAT(error_of([&] { AnswerBook::read(list); }), Catch::Contains("list.json: must be a JSON object"));
  const auto good = dir.write("good.json", R"({"lang": "es", "screening.numbness": false})");
  const auto book = AnswerBook::read(good);
  REQUIRE(book.find("screening.numbness"));
  CHECK(std::get<Answer>(*book.find("screening.numbness")) == Answer(false));
}
