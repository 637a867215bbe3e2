// What a patient reads from the bundled scripts: Spanish side names agree
// with their noun in every text, and the numbers in the texts follow
// scripts/lib/norms.lua (change a norm, the words change with it).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "script_fixture.h"

using namespace kiosk::script;
using nlohmann::json;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

std::string read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every Spanish text of a file: Lua `es = "..."` and TOML `key = "..."` in es.toml files.
std::vector<std::string> spanish_texts(const std::filesystem::path& file) {
  static const std::regex lua_es(R"re(\bes\s*=\s*"((?:[^"\\]|\\.)*)")re");
  static const std::regex toml_text(R"re(=\s*"((?:[^"\\]|\\.)*)")re");
  const auto text = read(file);
  const bool whole_file = file.filename() == "es.toml";
  std::vector<std::string> out;
  const auto& re = whole_file ? toml_text : lua_es;
  for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) out.push_back((*it)[1]);
  return out;
}

// kit.lua's Spanish side names: masculine ({side}) and feminine ({side_f}).
std::map<std::string, std::vector<std::string>> kit_sides() {
  const auto kit = read(kSource / "scripts/lib/kit.lua");
  std::map<std::string, std::vector<std::string>> out;
  static const std::regex name(
      R"re((kit\.side_names(?:_f)?) = \{\s*left = \{[^}]*es = "([^"]+)" \},\s*right = \{[^}]*es = "([^"]+)" \})re");
  for (std::sregex_iterator it(kit.begin(), kit.end(), name), end; it != end; ++it)
    out[(*it)[1] == "kit.side_names" ? "{side}" : "{side_f}"] = {(*it)[2], (*it)[3]};
  return out;
}

std::string replaced(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
    text.replace(at, key.size(), value);
  return text;
}

}  // namespace

TEST_CASE("Spanish: every text with a side agrees in gender with its noun, for both sides") {
  auto sides = kit_sides();
  REQUIRE(sides.size() == 2);
  REQUIRE(sides["{side}"] == std::vector<std::string>{"izquierdo", "derecho"});
  // A feminine noun with a masculine side, or the other way round: "la pierna izquierdo".
  static const std::regex mismatch(
      R"re((pierna|pantorrilla|rodilla|cadera|mano|planta)\s+(izquierdo|derecho)|(^|[^a-z])(pie|tobillo|talón|lado|muslo|brazo|dedo)\s+(izquierda|derecha))re",
      std::regex::icase);
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(kSource / "scripts"))
    if (e.path().extension() == ".lua") files.push_back(e.path());
  for (const char* f : {"assets/handout/es.toml", "assets/strings/es.toml"}) files.push_back(kSource / f);
  int rendered = 0;
  for (const auto& file : files)
    for (const auto& text : spanish_texts(file)) {
      if (text.find("{side") == std::string::npos) continue;
      for (int i = 0; i < 2; ++i) {
        std::string s = text;
        for (const auto& [key, names] : sides) s = replaced(s, key, names[i]);
        INFO(file.filename().string() << ": " << s);
        CHECK_FALSE(std::regex_search(s, mismatch));
        ++rendered;
      }
    }
  CHECK(rendered >= 20);  // the assessment scripts' instructions and results, both sides
  // And the checker itself catches the mistake the issue found.
  CHECK(std::regex_search(std::string("Tu pantorrilla derecho hizo 3"), mismatch));
  CHECK(std::regex_search(std::string("Sobre la pierna izquierdo aguantaste"), mismatch));
}

TEST_CASE("Spanish: one neutral variety (no vosotros, no regional imperatives)") {
  // Whole words only: std::regex's \b counts the bytes of "ñ" or "á" as word ends ("pequeños").
  static const std::regex regional(
      R"re((^|[\s¡¿(])(párate|túmbate|encimera|os|vosotros|coged|haced)(?=[\s,.;:!?)]|$))re", std::regex::icase);
  std::vector<std::filesystem::path> files{kSource / "assets/handout/es.toml", kSource / "assets/strings/es.toml"};
  for (const auto& e : std::filesystem::directory_iterator(kSource / "scripts"))
    if (e.path().extension() == ".lua") files.push_back(e.path());
  for (const auto& e : std::filesystem::directory_iterator(kSource / "assets/exercises"))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  for (const auto& file : files)
    for (const auto& text : spanish_texts(file)) {
      INFO(file.filename().string() << ": " << text);
      CHECK_FALSE(std::regex_search(text, regional));
    }
}

TEST_CASE("norms: changing a norm in norms.lua changes what the patient reads") {
  test::TempDir dir;
  std::filesystem::copy(kSource / "scripts", dir.path,
                        std::filesystem::copy_options::recursive | std::filesystem::copy_options::overwrite_existing);
  auto norms = read(dir.path / "lib/norms.lua");
  for (auto [from, to] : {std::pair<std::string, std::string>{"low_reps = 20,", "low_reps = 25,"},
                          {"adequate_cm = 10,", "adequate_cm = 12,"}}) {
    const auto at = norms.find(from);
    REQUIRE(at != std::string::npos);
    norms.replace(at, from.size(), to);
  }
  dir.write("lib/norms.lua", norms);
  auto run = [&](const std::filesystem::path& scripts, const char* script, json answers) {
    JsonAnswers source(std::move(answers));
    NoPlate no_plate;
    SandboxOptions o;
    o.lib_dirs = {scripts / "lib"};
    RunContext context;
    context.clinic.min_age = 18;
    const auto out = run_script(scripts / script, o, context, source, no_plate);
    INFO((out.script_error ? out.script_error->to_string() : out.input_error.value_or("")));
    REQUIRE(out.result);
    return *out.result;
  };
  const json raises{{"left.reps", 22}, {"right.reps", 22}, {"left.ended_by", "tired"}, {"right.ended_by", "tired"}};
  const json k2w{{"left.distance_cm", 11}, {"right.distance_cm", 11}};
  // Bundled norms: 22 raises and 11 cm are fine.
  CHECK(run(kSource / "scripts", "heel_raise.lua", raises).findings.empty());
  CHECK(run(kSource / "scripts", "knee_to_wall.lua", k2w).findings.empty());
  // Edited norms: the finding and the number in the words follow.
  const auto calf = run(dir.path, "heel_raise.lua", raises);
  CHECK_THAT(calf.interpretation.in("en"), Catch::Contains("Fewer than 25"));
  CHECK_THAT(calf.interpretation.in("es"), Catch::Contains("Menos de 25"));
  const auto ankle = run(dir.path, "knee_to_wall.lua", k2w);
  CHECK_THAT(ankle.interpretation.in("en"), Catch::Contains("12 cm or more"));
  CHECK_THAT(ankle.interpretation.in("es"), Catch::Contains("12 cm o más"));
}

namespace {

// A test double for the plate (the detector itself is tested on recordings in
// tests/signal): each capture answers the next heel-lift count in the list.
class LiftingPlate final : public CaptureHost {
 public:
  explicit LiftingPlate(std::vector<double> lifts) : lifts_(std::move(lifts)) {}
  bool plate_available() const override { return true; }
  std::optional<CaptureResult> capture(const CaptureRequest& r) override {
    CHECK(r.detector == "heel_contact");
    const double lifts = captures < lifts_.size() ? lifts_[captures] : 0;
    ++captures;
    return CaptureResult{{{"heel_lifts", lifts}}, {}};
  }
  std::size_t captures = 0;

 private:
  std::vector<double> lifts_;
};

// Answers, and every instruction's English text kept.
class Recording final : public AnswerSource {
 public:
  explicit Recording(const json& answers) : inner_(answers) {}
  std::optional<kiosk::session::Answer> answer(const Step& step) override {
    texts.push_back(step.text.in("en"));
    return inner_.answer(step);
  }
  std::vector<std::string> texts;

 private:
  JsonAnswers inner_;
};

}  // namespace

TEST_CASE("knee to wall: a heel lift the plate feels voids that try and asks again") {
  SandboxOptions o;
  o.lib_dirs = {kSource / "scripts/lib"};
  const json answers{{"left.distance_cm", 11}, {"right.distance_cm", 11}};
  // Left: the heel lifted once, then stayed down. Right: down at once.
  LiftingPlate plate({2, 0, 0});
  Recording source(answers);
  auto out = run_script(kSource / "scripts/knee_to_wall.lua", o, {}, source, plate);
  REQUIRE(out.result);
  CHECK(plate.captures == 3);
  CHECK(std::count_if(source.texts.begin(), source.texts.end(), [](const std::string& t) {
          return t.find("left heel lift, so that try does not count") != std::string::npos;
        }) == 1);
  CHECK(out.result->interpretation.in("en").find("keep your heel down next time") == std::string::npos);
  // A heel that keeps lifting: asked again twice (norms heel_lift_retries), then the note.
  LiftingPlate stubborn({1, 1, 1, 0});
  Recording again(answers);
  out = run_script(kSource / "scripts/knee_to_wall.lua", o, {}, again, stubborn);
  REQUIRE(out.result);
  CHECK(stubborn.captures == 4);  // left: 3 tries; right: 1
  CHECK_THAT(out.result->interpretation.in("en"),
             Catch::Contains("left heel lift. Please keep your heel down next time"));
}
