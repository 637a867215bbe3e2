// The catalogue (scan, validate, poll for changes) and sessions over it.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <thread>

#include "core/session/session_json.h"
#include "script/catalogue.h"
#include "script/run_session.h"
#include "script/session.h"
#include "script_fixture.h"

using namespace kiosk::script;
using kiosk::script::test::TempDir;
using nlohmann::json;

namespace {

std::string test_script(const std::string& id, int order, const std::string& kind = "test",
                        const std::string& body = "return { findings = { 'ran_' .. t.lang } }") {
  return fmt::format(
      "return {{ api = 1, id = '{}', version = '1', kind = '{}', order = {}, "
      "title = {{ en = '{}' }}, run = function(t) {} end }}\n",
      id, kind, order, id, body);
}

std::vector<std::string> ids(const std::vector<const CatalogueEntry*>& entries) {
  std::vector<std::string> out;
  for (const auto* e : entries) out.push_back(e->info ? e->info->id : e->file.filename().string());
  return out;
}

void touch_later(const TempDir& dir, const std::string& name, const std::string& text) {
  // a later mtime than the scan's, even on coarse clocks
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  dir.write(name, text);
}

}  // namespace

TEST_CASE("catalogue: valid scripts in session order, invalid ones listed with errors") {
  TempDir dir;
  dir.write("b_test.lua", test_script("b_test", 30));
  dir.write("a_test.lua", test_script("a_test", 30));
  dir.write("first.lua", test_script("early", 5));
  dir.write("screen.lua", test_script("screen", 99, "screening"));
  dir.write("about.lua", test_script("about", 99, "profile"));
  dir.write("broken.lua", "return {");
  dir.write("twin.lua", test_script("a_test", 40));
  dir.write("lib/helper.lua", "return {}");
  dir.write("notes.txt", "not a script");
  Catalogue catalogue({dir.path});
  catalogue.scan();
  CHECK(ids(catalogue.available()) == std::vector<std::string>{"screen", "about", "early", "a_test", "b_test"});
  const auto bad = catalogue.invalid();
  REQUIRE(bad.size() == 2);
  CHECK(bad[0]->file.filename() == "broken.lua");
  CHECK(bad[0]->problems.at(0).line == 1);
  CHECK(bad[1]->file.filename() == "twin.lua");
  CHECK_THAT(bad[1]->problems.at(0).message, Catch::Contains("already used"));
  CHECK(catalogue.entries().size() == 7);  // lib/ and non-.lua files are not scripts
}

TEST_CASE("catalogue: refresh notices added, changed and fixed scripts and libs") {
  TempDir dir;
  dir.write("one.lua", test_script("one", 1));
  Catalogue catalogue({dir.path});
  catalogue.scan();
  CHECK_FALSE(catalogue.refresh());
  touch_later(dir, "two.lua", "return 42");
  CHECK(catalogue.refresh());
  CHECK(catalogue.invalid().size() == 1);
  touch_later(dir, "two.lua", test_script("two", 2));
  CHECK(catalogue.refresh());
  CHECK(ids(catalogue.available()) == std::vector<std::string>{"one", "two"});
  touch_later(dir, "one.lua", "local m = require('m')\n" + test_script("one", 1));
  CHECK(catalogue.refresh());
  CHECK(catalogue.invalid().size() == 1);  // lib m is missing
  touch_later(dir, "lib/m.lua", "return {}");
  CHECK(catalogue.refresh());
  CHECK(catalogue.invalid().empty());
  std::filesystem::remove(dir.path / "two.lua");
  CHECK(catalogue.refresh());
  CHECK(ids(catalogue.available()) == std::vector<std::string>{"one"});
}

TEST_CASE("catalogue: a missing folder is not fatal") {
  Catalogue catalogue({"/nonexistent/scripts"});
  catalogue.scan();
  CHECK(catalogue.entries().empty());
}

TEST_CASE("session: a script that fails at run time is unavailable, the others carry on") {
  TempDir dir;
  dir.write("screen.lua", test_script("screen", 1, "screening"));
  dir.write("hang.lua", test_script("hang", 10, "test", "while true do end"));
  dir.write("fine.lua", test_script("fine", 20));
  dir.write("broken.lua", "return {");
  Catalogue catalogue({dir.path});
  catalogue.scan();
  SessionInput input;
  input.lang = "es";
  const auto out = run_session(catalogue, input);
  CHECK(out.any_unavailable);
  const auto s = kiosk::session::to_json(out.session);  // the document, as `kioskctl session run` prints it
  CHECK(s["screening"]["findings"] == json({"ran_es"}));
  REQUIRE(s["tests"].size() == 1);
  CHECK(s["tests"][0]["test"] == "fine");
  REQUIRE(s["unavailable"].size() == 2);
  CHECK_THAT(s["unavailable"][0]["error"].get<std::string>(), Catch::Contains("broken.lua:1:"));
  CHECK(s["unavailable"][1]["test"] == "hang");
  CHECK_THAT(s["unavailable"][1]["error"].get<std::string>(),
             Catch::Contains("hang.lua:1:") && Catch::Contains("CPU limit"));
}

TEST_CASE("the README's worked example checks clean and runs as documented") {
  const std::filesystem::path root = KIOSK_SOURCE_DIR;
  SandboxOptions options;
  options.lib_dirs = {root / "scripts" / "lib"};
  JsonAnswers answers(json{{"left.could_lift", "yes"}, {"right.could_lift", "no"}});
  NoPlate no_plate;
  const auto out = run_script(root / "tests/fixtures/scripts/toe_lift.lua", options, {}, answers, no_plate);
  REQUIRE(out.result);
  CHECK(out.result->findings == std::vector<std::string>{"toe_lift_weak_right"});
  CHECK(kiosk::session::to_json(out.result->answers) == json({{"left.could_lift", true}, {"right.could_lift", false}}));
  CHECK(out.result->interpretation.in("en") == "Your toe muscles need some work.");
}

TEST_CASE("the LuaLS stub documents every kiosk.* function the API has") {
  const auto stub = [] {
    std::ifstream in(std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts/meta/kiosk_api.lua");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  const std::string api = kKioskApiLua;
  size_t count = 0;
  for (size_t at = api.find("function kiosk."); at != std::string::npos; at = api.find("function kiosk.", at + 1)) {
    const auto name = api.substr(at, api.find('(', at) - at);
    INFO(name);
    CHECK(stub.find(name + "(") != std::string::npos);
    ++count;
  }
  CHECK(count == 9);
}
