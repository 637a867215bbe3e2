// `kioskctl script check|run` and `kioskctl session run`, run as the real
// binary on the answers files in tests/fixtures/.
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "script_fixture.h"
#include "signal/recording_io.h"
#include "sim/scenario_spec.h"

using kiosk::script::test::TempDir;
using nlohmann::json;

namespace {

struct Ran {
  int exit_code = -1;  // -1: killed by a signal (a crash)
  std::string out, err;
  double seconds = 0;
  json json_out() const { return json::parse(out); }
};

std::string slurp(const std::filesystem::path& f) {
  std::ifstream in(f);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A simulated plate recording (calibrated CSV) of the scenario `spec`.
std::filesystem::path write_scenario(const TempDir& dir, const std::string& name, const std::string& spec) {
  const auto file = dir.path / name;
  std::ofstream out(file);
  kiosk::signal::write_calibrated_csv(out, kiosk::sim::generate_recording(kiosk::sim::parse_spec(spec).scenario));
  return file;
}

Ran kioskctl(const std::string& args) {
  TempDir dir;
  const auto out = dir.path / "out.txt", err = dir.path / "err.txt";
  const auto cmd = fmt::format("cd '{}' && '{}/kioskctl' --data-dir '{}' {} >'{}' 2>'{}'", KIOSK_SOURCE_DIR,
                               KIOSK_BIN_DIR, (dir.path / "data").string(), args, out.string(), err.string());
  const auto t0 = std::chrono::steady_clock::now();
  const int status = std::system(cmd.c_str());
  Ran r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

std::vector<std::string> ids_of(const json& list, const char* key) {
  std::vector<std::string> out;
  for (const auto& e : list) out.push_back(e[key].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("kioskctl script check: bundled scripts are clean") {
  const auto r = kioskctl(
      "script check scripts/screening.lua scripts/profile.lua scripts/knee_to_wall.lua "
      "scripts/single_leg_balance.lua scripts/heel_raise.lua");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
}

TEST_CASE("kioskctl script check: scripts/*.lua is clean, handout.lua checked as the rules file it is") {
  const auto r = kioskctl("script check scripts/handout.lua scripts/screening.lua scripts/heel_raise.lua");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.empty());
  TempDir dir;
  const auto no_plan = dir.write("handout.lua", R"(return { api = 1, id = "handout", version = "1" })");
  const auto bad = kioskctl("script check '" + no_plan.string() + "'");
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.out, Catch::Contains("a rules file needs plan = function(session, library)"));
}

TEST_CASE("kioskctl script check: one file:line: message per problem, exit 1") {
  const auto r = kioskctl(
      "script check tests/fixtures/scripts/syntax_error.lua "
      "tests/fixtures/scripts/wrong_api.lua tests/fixtures/scripts/endless.lua");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::StartsWith("tests/fixtures/scripts/syntax_error.lua:3: "));
  CHECK_THAT(r.out, Catch::Contains("\ntests/fixtures/scripts/wrong_api.lua: declares api = 2"));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // endless.lua loads fine
}

TEST_CASE("kioskctl script check: a malformed results chart names the line of kiosk.chart and the field") {
  const auto r = kioskctl("script check tests/fixtures/scripts/bad_chart.lua");
  CHECK(r.exit_code == 1);
  CHECK(r.out == "tests/fixtures/scripts/bad_chart.lua:9: chart: norm.from: 25 is outside the scale 0 to 20\n");
}

TEST_CASE("kioskctl script check: an illustration or sound the assets lack is a warning naming its line") {
  const auto r = kioskctl("script check tests/fixtures/scripts/unknown_media.lua");
  INFO(r.err);
  CHECK(r.exit_code == 0);  // the kiosk still offers it; the step shows without the picture
  CHECK_THAT(r.err, Catch::Contains("0 problem(s), 2 warning(s)"));
  CHECK_THAT(r.out, Catch::StartsWith("tests/fixtures/scripts/unknown_media.lua:6: warning: illustration "
                                      "\"knee_too_wall\": no such illustration in "));
  CHECK_THAT(r.out, Catch::Contains(" or tests/fixtures/scripts/illustrations (there are: "));
  CHECK_THAT(r.out, Catch::Contains("(there are: heel_raise, knee_to_wall, single_leg_balance, toe_lift)"));
  CHECK_THAT(r.out, Catch::Contains(
                        "\ntests/fixtures/scripts/unknown_media.lua:7: warning: sound \"bleep\": no such sound in "));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);  // known ids and comments pass
}

TEST_CASE("kioskctl script run: the result JSON") {
  const auto r = kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall.json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = r.json_out();
  CHECK(j["test"] == "knee_to_wall");
  CHECK(j["version"] == "1.0.0");
  CHECK(j["findings"] == json({"dorsiflexion_restricted_left", "dorsiflexion_asymmetry"}));
  CHECK(j["flags"] == json::array());
  REQUIRE(j["measures"].size() == 3);
  CHECK(j["measures"][0] == json({{"id", "distance_cm"}, {"side", "left"}, {"value", 9.5}, {"unit", "cm"}}));
  CHECK(j["measures"][2]["side"].is_null());
  CHECK(j["measures"][2]["value"] == 2.5);
  CHECK_THAT(j["interpretation"].get<std::string>(), Catch::Contains("left"));
}

TEST_CASE("kioskctl script run --lang es gives Spanish words") {
  const auto r =
      kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall.json --lang es");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.json_out()["interpretation"].get<std::string>(), Catch::Contains("tobillo izquierdo"));
  CHECK(kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall.json "
                 "--lang xx")
            .exit_code != 0);
}

TEST_CASE("kioskctl script run: the profile key in an answers file feeds the norms") {
  const auto r = kioskctl(
      "script run scripts/single_leg_balance.lua "
      "--answers tests/fixtures/answers/single_leg_balance_profile.json");
  REQUIRE(r.exit_code == 0);
  CHECK(r.json_out()["findings"] == json({"balance_below_norm_left"}));  // 26.9 s < 27 s (60-69)
}

TEST_CASE("kioskctl script run: bad answers exit 2 naming the ask id") {
  auto r =
      kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall_out_of_range.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'left.distance_cm'") && Catch::Contains("above the maximum 20"));
  CHECK(r.out.empty());
  r = kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall_missing.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no answer for 'right.distance_cm'"));
  r = kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/knee_to_wall_wrong_type.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'left.distance_cm' must be a number"));
  r = kioskctl("script run scripts/knee_to_wall.lua --answers tests/fixtures/answers/nope.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("nope.json"));
}

TEST_CASE("kioskctl script run: a hostile script exits 1 in time, naming file and line") {
  const auto r =
      kioskctl("script run tests/fixtures/scripts/endless.lua --answers tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 1);
  CHECK(r.seconds < 5.0);
  CHECK_THAT(r.err, Catch::Contains("tests/fixtures/scripts/endless.lua:4: ") && Catch::Contains("CPU limit"));
  TempDir dir;
  const auto big = dir.write("big.lua", std::string(15u << 20, '-'));
  const auto b =
      kioskctl(fmt::format("script run '{}' --answers tests/fixtures/answers/knee_to_wall.json", big.string()));
  CHECK(b.exit_code == 1);
  CHECK_THAT(b.err, Catch::Contains(big.string()) && Catch::Contains("at most"));
}

TEST_CASE("kioskctl script run --recording: a file that is no recording is an error naming it") {
  const auto r = kioskctl(
      "script run scripts/heel_raise.lua --answers tests/fixtures/answers/knee_to_wall.json "
      "--recording left=tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("knee_to_wall.json"));
  const auto missing = kioskctl(
      "script run scripts/heel_raise.lua --answers tests/fixtures/answers/knee_to_wall.json "
      "--recording left=/nonexistent.csv");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent.csv"));
}

TEST_CASE("kioskctl script run --recording: heel raises counted from simulated plate recordings") {
  TempDir dir;
  const auto left = write_scenario(dir, "left.csv", "scenario=heel_raises reps=12 seed=1");
  const auto right = write_scenario(dir, "right.csv", "scenario=heel_raises reps=22 seed=2");
  const auto answers = dir.write("answers.json", R"({"left.ended_by": "tired", "right.ended_by": "tired"})");
  const auto r =
      kioskctl(fmt::format("script run scripts/heel_raise.lua --answers '{}' --recording left='{}' "
                           "--recording right='{}'",
                           answers.string(), left.string(), right.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = r.json_out();
  std::map<std::string, double> reps;
  for (const auto& m : j["measures"])
    if (m["id"] == "reps") reps[m["side"]] = m["value"];
  CHECK(reps["left"] == 12);
  CHECK(reps["right"] == 22);
  const auto findings = j["findings"].dump();
  CHECK_THAT(findings, Catch::Contains("calf_capacity_low_left") && Catch::Contains("calf_asymmetry"));
  CHECK_THAT(findings, !Catch::Contains("calf_capacity_low_right"));
}

TEST_CASE("kioskctl script run --recording: single-leg stance timed to the touch-down with sway") {
  TempDir dir;
  const auto left = write_scenario(dir, "left.csv", "scenario=single_leg_touchdown touchdown_s=20 duration_s=30");
  const auto right = write_scenario(dir, "right.csv", "scenario=single_leg_touchdown touchdown_s=50 duration_s=60");
  const auto answers = dir.write("answers.json", "{}");
  const auto r =
      kioskctl(fmt::format("script run scripts/single_leg_balance.lua --answers '{}' --recording left='{}' "
                           "--recording right='{}'",
                           answers.string(), left.string(), right.string()));
  INFO(r.err);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  const auto j = r.json_out();  // kept: iterating a temporary's member would dangle
  std::map<std::string, double> stance, path;
  for (const auto& m : j["measures"]) {
    if (m["id"] == "stance_s") stance[m["side"]] = m["value"];
    if (m["id"] == "path_mm") path[m["side"]] = m["value"];
  }
  CHECK(stance["left"] == Approx(20).margin(0.05));
  CHECK(stance["right"] == Approx(45));  // capped at the test's 45 s
  CHECK(path["left"] > 0);
  CHECK(path["right"] > path["left"]);  // longer stance, longer path
}

TEST_CASE("kioskctl script run --recording: knee-to-wall tells the person the plate felt a heel lift") {
  TempDir dir;
  const auto left = write_scenario(dir, "left.csv", "scenario=lunge heel_lift_s=5 duration_s=12");
  const auto right = write_scenario(dir, "right.csv", "scenario=lunge duration_s=12");
  const auto answers = dir.write("answers.json", R"({"left.distance_cm": 9, "right.distance_cm": 12})");
  const auto r =
      kioskctl(fmt::format("script run scripts/knee_to_wall.lua --answers '{}' --recording left='{}' "
                           "--recording right='{}'",
                           answers.string(), left.string(), right.string()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = r.json_out();
  const auto words = j["interpretation"].get<std::string>();
  CHECK_THAT(words, Catch::Contains("left heel lift"));
  CHECK_THAT(words, !Catch::Contains("right heel lift"));
}

TEST_CASE("kioskctl session run: a whole session from one answers file") {
  const auto r = kioskctl("session run --answers tests/fixtures/answers/session_full.json");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto s = r.json_out();
  CHECK(s["stopped"] == false);
  CHECK(s["screening"]["test"] == "screening");
  CHECK(s["profile"]["answers"]["age_band"] == "40-49");
  CHECK(ids_of(s["tests"], "test") == std::vector<std::string>{"knee_to_wall", "single_leg_balance", "heel_raise"});
  CHECK(s["skipped"].empty());
  // the balance norm came from the profile (40-49: 40 s; best left 38.2 s)
  CHECK(s["tests"][1]["findings"] == json({"balance_below_norm_left"}));
  CHECK(s["findings"] == json({"load_spike", "dorsiflexion_restricted_left", "dorsiflexion_asymmetry",
                               "balance_below_norm_left", "calf_capacity_low_left", "calf_asymmetry"}));
}

TEST_CASE("kioskctl session run: a red flag stops the session, skipped tests are absent") {
  const auto r = kioskctl("session run --answers tests/fixtures/answers/session_red_flag.json");
  REQUIRE(r.exit_code == 0);
  const auto s = r.json_out();
  CHECK(s["stopped"] == true);
  // The red flag stops the screening at its answer: it is the session's, not a finding the script returned.
  CHECK(s["findings"] == json({"red_flag"}));
  CHECK(s["safety"]["state"] == "red_flag");
  CHECK(s["safety"]["flags"][0]["raised_by"] == "screening.night_pain");
  CHECK(s["profile"].is_null());
  CHECK(s["tests"].empty());
  CHECK(ids_of(s["skipped"], "test") ==
        std::vector<std::string>{"profile", "knee_to_wall", "single_leg_balance", "heel_raise"});
}

TEST_CASE("kioskctl session run: not safe on one leg keeps only knee-to-wall") {
  const auto r = kioskctl("session run --answers tests/fixtures/answers/session_one_leg_unsafe.json");
  REQUIRE(r.exit_code == 0);
  const auto s = r.json_out();
  CHECK(ids_of(s["tests"], "test") == std::vector<std::string>{"knee_to_wall"});
  CHECK(ids_of(s["skipped"], "test") == std::vector<std::string>{"single_leg_balance", "heel_raise"});
  CHECK(s["findings"] == json({"balance_unsafe"}));
}

TEST_CASE("kioskctl session run: a bad answer names the prefixed key, exit 2") {
  const auto r = kioskctl("session run --answers tests/fixtures/answers/session_bad_answer.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("'screening.pain_now'") && Catch::Contains("above the maximum 10"));
}

TEST_CASE("kioskctl session run --recording: keys name a script and a side") {
  auto r = kioskctl(
      "session run --answers tests/fixtures/answers/session_full.json "
      "--recording knee_to_wal.left=tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("no script 'knee_to_wal'"));
  r = kioskctl(
      "session run --answers tests/fixtures/answers/session_full.json "
      "--recording heel_raise.middle=tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("SIDE is left, right or both"));
  r = kioskctl(
      "session run --answers tests/fixtures/answers/session_full.json "
      "--recording heel_raise.left=tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 2);  // not a recording: the error names the file and what is wrong with it
  CHECK_THAT(r.err, Catch::Contains("knee_to_wall.json:1: missing column 't_s'"));
}

TEST_CASE("kioskctl script run: every hostile script exits 1 within 5 s naming the file") {
  const std::vector<std::string> bodies = {
      "while true do end",
      "while true do pcall(function() while true do end end) end",
      "local s = string.rep('x', 1e9)",
      "local t, i = {}, 0 while true do i = i + 1; t[i] = i end",
      "collectgarbage('stop')",
      "local function f() return 1 + f() end f()",
      "os.execute('true')",
      "io.open('/tmp/x', 'w')",
      "require('os')",
      "package.loadlib('libc.so.6', 'system')",
      "debug.sethook()",
      "local f = assert(load('\\27Lua'))",
      "getmetatable('').__index = {}",
      "local x = string.rep('a', 20000):find('.-.-.-.-b')",
      "coroutine.yield({ kind = 'dance' })",
  };
  TempDir dir;
  int n = 0;
  for (const auto& body : bodies) {
    const auto file = dir.write(fmt::format("hostile_{}.lua", n++), kiosk::script::test::probe_script(body));
    const auto r =
        kioskctl(fmt::format("script run '{}' --answers tests/fixtures/answers/knee_to_wall.json", file.string()));
    INFO(body << "\n" << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.seconds < 5.0);
    CHECK_THAT(r.err, Catch::StartsWith(file.string() + ":"));
    CHECK(r.out.empty());
  }
  const auto bad_utf8 = dir.write("latin1.lua", "-- caf\xe9\n");
  auto r =
      kioskctl(fmt::format("script run '{}' --answers tests/fixtures/answers/knee_to_wall.json", bad_utf8.string()));
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::StartsWith(bad_utf8.string() + ":1: "));
  r = kioskctl("script run tests/fixtures/scripts/wrong_api.lua --answers tests/fixtures/answers/knee_to_wall.json");
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("wrong_api.lua: declares api = 2"));
}

TEST_CASE("kioskctl script list: the bundled catalogue in session order") {
  const auto r = kioskctl("script list");
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto j = r.json_out();
  CHECK(ids_of(j["available"], "id") ==
        std::vector<std::string>{"screening", "profile", "knee_to_wall", "single_leg_balance", "heel_raise"});
  CHECK(j["invalid"].empty());
  CHECK(j["available"][2]["plate"] == "optional");
  CHECK(j["available"][2]["title"]["es"] == "Flexión del tobillo (rodilla a la pared)");
}
