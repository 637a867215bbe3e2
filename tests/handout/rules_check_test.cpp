// The safety rules of every plan, proved exhaustively: the real
// scripts/handout.lua with the real card library, on every combination of
// the findings the bundled scripts declare, every safety state and the
// profile answers the rules read (handout/rules_check.h, about 98 000
// sessions). Then the same check catches each way a clinician could break a
// rule, and the kiosk's own guard still keeps every one of those plans safe.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "handout/assets.h"
#include "handout/rules_check.h"
#include "support/bundled_assets.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace kiosk;
using namespace kiosk::handout;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

const HandoutAssets& assets() { return test::bundled_assets(); }

script::Catalogue& catalogue() {
  static script::Catalogue c = [] {
    script::Catalogue cat({kSource / "scripts"});
    cat.scan();
    return cat;
  }();
  return c;
}

// The bundled scripts without the balance test (1024 finding combinations):
// enough for every edit below to show, at a twentieth of the whole check.
script::Catalogue& small_catalogue() {
  static test::TempDir dir;
  static script::Catalogue c = [] {
    const auto scripts = dir / "scripts";
    std::filesystem::create_directories(scripts);
    for (const auto* f : {"screening.lua", "profile.lua", "knee_to_wall.lua", "heel_raise.lua"})
      std::filesystem::copy_file(kSource / "scripts" / f, scripts / f);
    std::filesystem::copy(kSource / "scripts/lib", scripts / "lib", std::filesystem::copy_options::recursive);
    script::Catalogue cat({scripts});
    cat.scan();
    return cat;
  }();
  return c;
}

std::string bundled_rules() {
  std::ifstream in(kSource / "scripts/handout.lua");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The bundled rules with one piece of text replaced: a clinician's edit.
std::filesystem::path edited(const test::TempDir& dir, const std::string& from, const std::string& to) {
  auto text = bundled_rules();
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  const auto file = dir / "handout.lua";
  std::ofstream(file) << text;
  return file;
}

bool reports(const RulesCheck& r, const std::string& words) {
  for (const auto& v : r.violations)
    if (v.problem.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("rules check: the bundled rules keep every safety rule in every combination", "[handout][safety]") {
  const auto r = check_rules(assets(), assets().rules_file, catalogue());
  REQUIRE_FALSE(r.error);
  CHECK(r.limits_declared);
  CHECK(r.finding_combinations >= 4096);  // knee-to-wall, balance, heel raises and profile findings
  CHECK(r.sessions == r.finding_combinations * 6);
  std::string problems;
  for (const auto& v : r.violations) problems += v.problem + " — e.g. " + v.session + "\n";
  INFO(problems);
  CHECK(r.violating_sessions == 0);
  CHECK(r.unsafe_after_guard == 0);
  CHECK(r.card_use.at("heel_raise_supported") > 0);  // one-leg-unsafe patients still get calf work
  // No card is dead weight: each one is in some cleared patient's plan
  // (plan_violations above also held every plan's minutes, recomputed from
  // its doses, to the cap and to the rules' own total).
  for (const auto& card : assets().library.all()) {
    INFO(card.id);
    CHECK(r.card_use.contains(card.id));
  }
}

TEST_CASE("rules check: each way an edit can break a safety rule is found, and the guard still holds",
          "[handout][safety]") {
  struct Edit {
    const char* what;
    std::string from, to, expected;
  };
  const std::vector<Edit> edits{
      {"plans for anyone",
       "if safety.state ~= \"cleared\" or has(findings, \"red_flag\") then return refer_plan(session) end", "",
       "but the plan gives"},
      {"ignores needs", "return card and allowed(card.needs) and not", "return card and not",
       "which this patient must not do"},
      {"forgets the see-the-team line", "if no_calf then add(\"see_team\") end", "", "sends the patient to the team"},
      {"ignores the running lines", "local runs = may_run and km ~= 0", "local runs = km ~= 0", "needs running"},
      {"raises the minutes cap", "max_daily_minutes = H.max_daily_minutes,", "max_daily_minutes = 60,",
       "minutes a day; the cap is 20"},
      {"claims fewer minutes than the doses take", "total_minutes = total(),", "total_minutes = total() - 1,",
       "total_minutes says"},
  };
  for (const auto& e : edits) {
    INFO(e.what);
    test::TempDir dir;
    const auto r = check_rules(assets(), edited(dir, e.from, e.to), small_catalogue(), /*stop_after=*/50);
    REQUIRE_FALSE(r.error);
    CHECK(r.violating_sessions > 0);
    CHECK(reports(r, e.expected));
    CHECK(r.unsafe_after_guard == 0);
  }
}

TEST_CASE("rules check: kioskctl handout check prints each broken rule with a session that shows it",
          "[handout][safety]") {
  // The real program on a smaller catalogue (screening, profile, heel raises: 768 sessions), so
  // the sanitizer build runs it in seconds; the whole catalogue is the in-process test above.
  test::TempDir dir;
  const auto scripts = dir / "scripts";
  std::filesystem::create_directories(scripts);
  for (const auto* f : {"screening.lua", "profile.lua", "heel_raise.lua", "handout.lua"})
    std::filesystem::copy_file(kSource / "scripts" / f, scripts / f);
  std::filesystem::copy(kSource / "scripts/lib", scripts / "lib", std::filesystem::copy_options::recursive);
  std::ofstream(dir / "kiosk.toml") << "[paths]\nscript_dirs = [\"" << scripts.string() << "\"]\n";
  const auto ctl = test::program("kioskctl") + " --config '" + (dir / "kiosk.toml").string() + "' --data-dir '" +
                   dir.path().string() + "' handout check";
  auto r = test::run(ctl);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("0 of 768 sessions break a rule"));
  const auto bad = edited(dir, "return card and allowed(card.needs) and not", "return card and not");
  r = test::run(ctl + " '" + bad.string() + "'");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out,
             Catch::Contains("VIOLATION: exercise heel_raise_step needs one_leg, which this patient must not do"));
  CHECK_THAT(r.out, Catch::Contains("first: cleared, not safe on one leg; findings:"));
}
