// The step API (kiosk.*, api 1) end to end through ScriptRun and run_script.
#include <catch2/catch.hpp>

#include "core/session/session_json.h"
#include "script/rules.h"
#include "script_fixture.h"

using namespace kiosk::script;
using kiosk::script::test::probe_script;
using kiosk::script::test::TempDir;
using nlohmann::json;

namespace {

RunOutcome run(const TempDir& dir, const std::string& text, json answers, CaptureHost* captures = nullptr,
               RunContext context = {}) {
  const auto file = dir.write("probe.lua", text);
  JsonAnswers source(std::move(answers));
  NoPlate no_plate;
  return run_script(file, dir.options(), std::move(context), source, captures ? *captures : no_plate);
}

// A plate that answers every capture with fixed metrics, and records requests.
class FakePlate final : public CaptureHost {
 public:
  std::vector<CaptureRequest> requests;
  bool plate_available() const override { return true; }
  std::optional<CaptureResult> capture(const CaptureRequest& r) override {
    requests.push_back(r);
    CaptureResult out;
    out.metrics["stance_s"] = r.side == "left" ? 31.5 : 12.0;
    out.events.push_back({"touch_down", out.metrics["stance_s"]});
    return out;
  }
};

}  // namespace

TEST_CASE("ask_number returns a number, or a list when attempts > 1") {
  TempDir dir;
  const auto text = probe_script(R"(
    local one = kiosk.ask_number{ id = 'one', text = 'One?', min = 0, max = 10, step = 0.5 }
    local tries = kiosk.ask_number{ id = 'tries', text = { en = 'Tries?', es = '¿Intentos?' },
                                    min = 0, max = 20, step = 0.5, unit = 'cm', attempts = 3 }
    local best = math.max(table.unpack(tries))
    return { measures = { { id = 'one', value = one, unit = '' },
                          { id = 'best', side = 'left', value = best, unit = 'cm' } },
             findings = { 'n' .. #tries } })");
  const auto out = run(dir, text, {{"one", 2.5}, {"tries", {8, 9.5, 9}}});
  REQUIRE(out.result);
  REQUIRE(out.result->measures.size() == 2);
  CHECK(out.result->measures[0].value == 2.5);
  CHECK(out.result->measures[1].value == 9.5);
  CHECK(out.result->measures[1].side == "left");
  CHECK(out.result->findings == std::vector<std::string>{"n3"});
  CHECK(kiosk::session::to_json(out.result->answers)["tries"] == json({8.0, 9.5, 9.0}));
  // a single value for a multi-attempt question is one attempt
  const auto single = run(dir, text, {{"one", 0}, {"tries", 4}});
  REQUIRE(single.result);
  CHECK(single.result->findings == std::vector<std::string>{"n1"});
}

TEST_CASE("bad answers stop the run with an error naming the ask id") {
  TempDir dir;
  const auto text = probe_script(
      "kiosk.ask_number{ id = 'left.distance_cm', text = 'x', min = 0, max = 20, step = 0.5, attempts = 3 }\n"
      "return {}");
  auto error_for = [&](json answers) {
    const auto out = run(dir, text, std::move(answers));
    REQUIRE(out.input_error);
    CHECK_FALSE(out.result);
    return *out.input_error;
  };
  CHECK_THAT(error_for(json::object()), Catch::Contains("no answer for 'left.distance_cm'"));
  CHECK_THAT(error_for({{"left.distance_cm", 20.5}}),
             Catch::Contains("'left.distance_cm'") && Catch::Contains("above the maximum 20"));
  CHECK_THAT(error_for({{"left.distance_cm", -1}}), Catch::Contains("below the minimum 0"));
  CHECK_THAT(error_for({{"left.distance_cm", 3.2}}), Catch::Contains("steps of 0.5"));
  CHECK_THAT(error_for({{"left.distance_cm", "ten"}}), Catch::Contains("'left.distance_cm' must be a number"));
  CHECK_THAT(error_for({{"left.distance_cm", {1, 2, 3, 4}}}), Catch::Contains("at most 3"));
  CHECK_THAT(error_for({{"left.distance_cm", json::array()}}), Catch::Contains("empty list"));
  // edges are in range
  CHECK(run(dir, text, {{"left.distance_cm", 0}}).result);
  CHECK(run(dir, text, {{"left.distance_cm", 20}}).result);
}

TEST_CASE("choose and confirm") {
  TempDir dir;
  const auto text = probe_script(R"(
    local band = kiosk.choose{ id = 'age_band', text = 'Age?', options = {
      { value = '18-39', text = '18 to 39' }, { value = '40-49', text = '40 to 49' } } }
    local yes = kiosk.confirm{ id = 'numbness', text = 'Numb?' }
    return { findings = { band == '40-49' and 'forties' or 'other', yes and 'yes' or 'no' } })");
  auto out = run(dir, text, {{"age_band", "40-49"}, {"numbness", "yes"}});
  REQUIRE(out.result);
  CHECK(out.result->findings == std::vector<std::string>{"forties", "yes"});
  out = run(dir, text, {{"age_band", "18-39"}, {"numbness", false}});
  REQUIRE(out.result);
  CHECK(out.result->findings == std::vector<std::string>{"other", "no"});
  out = run(dir, text, {{"age_band", "90+"}, {"numbness", "no"}});
  REQUIRE(out.input_error);
  CHECK_THAT(*out.input_error, Catch::Contains("'age_band'") && Catch::Contains("18-39, 40-49"));
  out = run(dir, text, {{"age_band", "18-39"}, {"numbness", "maybe"}});
  REQUIRE(out.input_error);
  CHECK_THAT(*out.input_error, Catch::Contains("'numbness'"));
}

TEST_CASE("capture: nil without a plate, detector output with one") {
  TempDir dir;
  const auto text = probe_script(R"(
    local got = kiosk.capture{ side = 'left', seconds = 45, view = 'cop', detector = 'single_leg_stance' }
    if not got then
      local s = kiosk.ask_number{ id = 'left.seconds', text = 'Seconds?', min = 0, max = 45, step = 0.1, input = 'timer' }
      return { measures = { { id = 'stance_s', side = 'left', value = s, unit = 's' } }, flags = { 'manual' } }
    end
    return { measures = { { id = 'stance_s', side = 'left', value = got.metrics.stance_s, unit = 's' } },
             findings = { got.events[1].kind } })");
  auto manual = run(dir, text, {{"left.seconds", 22.4}});
  REQUIRE(manual.result);
  CHECK(manual.result->flags == std::vector<std::string>{"manual"});
  CHECK(manual.result->measures[0].value == Approx(22.4));
  FakePlate plate;
  auto plated = run(dir, text, json::object(), &plate);
  REQUIRE(plated.result);
  CHECK(plated.result->measures[0].value == 31.5);
  CHECK(plated.result->findings == std::vector<std::string>{"touch_down"});
  REQUIRE(plate.requests.size() == 1);
  CHECK(plate.requests[0].detector == "single_leg_stance");
  CHECK(plate.requests[0].seconds == 45);
}

TEST_CASE("a capture naming a detector that is not built in is an input error naming it") {
  TempDir dir;
  RecordingCaptureHost host({{"left", dir.path / "rec.csv"}}, built_in_detectors());
  const auto out =
      run(dir, probe_script("kiosk.capture{ side = 'left', seconds = 5, detector = 'toe_tapping' } return {}"),
          json::object(), &host);
  REQUIRE(out.input_error);
  CHECK_THAT(*out.input_error, Catch::Contains("toe_tapping"));
}

TEST_CASE("the built-in detectors serve the names the bundled scripts use") {
  const auto table = built_in_detectors();
  CHECK(table.count("single_leg_stance") == 1);
  CHECK(table.count("heel_raise_count") == 1);
  CHECK(table.count("heel_contact") == 1);
}

TEST_CASE("run(t) sees lang, plate, sides and profile") {
  TempDir dir;
  RunContext context;
  context.lang = "es";
  context.profile = {{"age_band", std::string("60-69")}};
  const auto out = run(dir, R"(return { api = 1, id = 'ctx', version = '1', title = { en = 'C' },
      sides = { 'left', 'right' },
      run = function(t)
        return { findings = { t.lang, tostring(t.plate), t.sides[2], (t.profile.age_band:gsub('-', '_')) },
                 interpretation = { en = 'English', es = 'Español' } }
      end })",
                       json::object(), nullptr, context);
  REQUIRE(out.result);
  CHECK(out.result->findings == std::vector<std::string>{"es", "false", "right", "60_69"});
  CHECK(to_part(*out.result, "es").interpretation == "Español");
  CHECK(to_part(*out.result, "en").interpretation == "English");
}

TEST_CASE("require loads lib modules once, with the sandbox environment") {
  TempDir dir;
  dir.write("lib/counter.lua", "local M = { loads = (M_loads or 0) } return M");
  dir.write("lib/tables/unit.lua", "return { name = 'cm' }");
  dir.write("lib/helpers.lua", "local M = {}\nfunction M.best(list) return math.max(table.unpack(list)) end\nreturn M");
  auto out = run(dir,
                 probe_script("local h = require('helpers')\n"
                              "assert(require('helpers') == h)\n"
                              "assert(require('tables.unit').name == 'cm')\n"
                              "return { measures = { { id = 'best', value = h.best({ 3, 9, 4 }), unit = '' } } }"),
                 json::object());
  REQUIRE(out.result);
  CHECK(out.result->measures[0].value == 9);
  // the lib runs in the sandbox too: its unknown global is an error naming the lib file
  out = run(dir, probe_script("require('counter') return {}"), json::object());
  REQUIRE(out.script_error);
  CHECK_THAT(out.script_error->file, Catch::EndsWith("counter.lua"));
  CHECK(out.script_error->line == 1);
  CHECK_THAT(out.script_error->message, Catch::Contains("unknown global 'M_loads'"));
}

TEST_CASE("each ask id is asked once per run") {
  TempDir dir;
  const auto out =
      run(dir, probe_script("kiosk.confirm{ id = 'a', text = 'x' }\nkiosk.confirm{ id = 'a', text = 'x' }\nreturn {}"),
          {{"a", "yes"}});
  REQUIRE(out.script_error);
  CHECK(out.script_error->line == 5);
  CHECK_THAT(out.script_error->message, Catch::Contains("asked twice"));
}

TEST_CASE("metadata problems are all listed, a good script's metadata is read") {
  TempDir dir;
  const auto bad = dir.write("bad.lua",
                             "return { api = 1, id = 'Bad Id', title = 'x', plate = 'maybe', "
                             "sides = { 'up' }, colour = 'red' }");
  auto problems = check_script(bad, dir.options());
  REQUIRE(problems.size() >= 5);
  std::string all;
  for (const auto& p : problems) {
    CHECK(p.file == bad.string());
    all += p.message + "\n";
  }
  CHECK_THAT(all, Catch::Contains("'id'") && Catch::Contains("'version'") && Catch::Contains("'plate'") &&
                      Catch::Contains("sides[1]") && Catch::Contains("'colour'") && Catch::Contains("'run'"));
  const auto good = dir.write("good.lua", R"(return { api = 1, id = 'good', version = '2.1', kind = 'test',
    title = { en = 'Good', es = 'Bueno' }, plate = 'optional', sides = { 'left', 'right' }, order = 30,
    run = function(t) return {} end })");
  TestInfo info;
  REQUIRE(check_script(good, dir.options(), &info).empty());
  CHECK(info.id == "good");
  CHECK(info.version == "2.1");
  CHECK(info.plate == PlateUse::optional);
  CHECK(info.sides == std::vector<std::string>{"left", "right"});
  CHECK(info.order == 30);
  CHECK(info.title.in("es") == "Bueno");
  CHECK(info.run_line == 3);
}

TEST_CASE("a syntax error names file and line") {
  TempDir dir;
  const auto file = dir.write("syntax.lua", "local a = 1\nlocal b = = 2\n");
  const auto problems = check_script(file, dir.options());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].file == file.string());
  CHECK(problems[0].line == 2);
}

TEST_CASE("the step-by-step interface serves steps in order (what the kiosk UI uses)") {
  TempDir dir;
  const auto file = dir.write("steps.lua", probe_script(R"(
    kiosk.instruct{ text = 'Stand up', illustration = 'stand', sound = 'chime' }
    kiosk.countdown{ seconds = 3 }
    kiosk.metronome{ bpm = 60, seconds = 60, text = 'Up and down' }
    local n = kiosk.ask_number{ id = 'reps', text = 'How many?', min = 0, max = 100 }
    kiosk.result{ text = 'Done' }
    return { measures = { { id = 'reps', side = 'left', value = n, unit = 'reps' } } })"));
  ScriptRun run(file, dir.options());
  REQUIRE(run.load().empty());
  auto p = run.start({});
  REQUIRE(p.step);
  CHECK(p.step->kind == StepKind::instruct);
  CHECK(p.step->illustration == "stand");
  CHECK(p.step->sound == "chime");
  p = run.answer(std::nullopt);
  REQUIRE(p.step);
  CHECK(p.step->kind == StepKind::countdown);
  CHECK(p.step->seconds == 3);
  p = run.answer(std::nullopt);
  REQUIRE(p.step);
  CHECK(p.step->kind == StepKind::metronome);
  CHECK(p.step->bpm == 60);
  p = run.answer(std::nullopt);
  REQUIRE(p.step);
  CHECK(p.step->kind == StepKind::ask_number);
  CHECK(p.step->id == "reps");
  p = run.answer(normalize_answer(*p.step, 23.0));
  REQUIRE(p.step);
  CHECK(p.step->kind == StepKind::result);
  p = run.answer(std::nullopt);
  REQUIRE(p.result);
  CHECK(p.result->measures[0].value == 23);
  CHECK(p.result->test == "probe");
  // nothing more to answer
  CHECK(run.answer(std::nullopt).error);
}

TEST_CASE("absurd metadata numbers are reported and never converted") {
  TempDir dir;
  const auto file = dir.write("huge.lua",
                              "return { api = 1e300, id = 'h', version = '1', title = 'H', "
                              "order = 1e300, run = function() end }");
  const auto problems = check_script(file, dir.options());
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0].message, Catch::Contains("api = 1e+300"));
  CHECK_THAT(problems[1].message, Catch::Contains("'order'"));
}

TEST_CASE("rules runner: one file for many calls, a call the deadline kills does not kill the next") {
  TempDir dir;
  const auto file = dir.write("rules.lua", R"(
    return { api = 1, id = "r", version = "1",
      plan = function(n, extra) if n < 0 then while true do end end return n * extra end }
  )");
  SandboxOptions options;
  options.limits.cpu_per_resume = std::chrono::milliseconds(100);
  RulesRunner rules(file, options);
  REQUIRE_FALSE(rules.load());
  REQUIRE_FALSE(rules.set_extra_arg(10));
  CHECK(*rules.call("plan", {json(2)}).value == json(20));
  const auto stuck = rules.call("plan", {json(-1)});
  REQUIRE(stuck.error);
  CHECK_THAT(stuck.error->message, Catch::Contains("CPU"));
  CHECK(*rules.call("plan", {json(3)}).value == json(30));  // a fresh state, the extra argument kept
  CHECK(rules.call("missing", {}).error->message.find("'missing' must be a function") != std::string::npos);
}

TEST_CASE("declared red flags: the run stops at the flagging answer and keeps the answers so far") {
  TempDir dir;
  const auto out = run(dir, R"(
    return { api = 1, id = "s", version = "1", kind = "screening", title = "S",
      run = function(t)
        kiosk.confirm { id = "a", text = "A?", red_flag = true }
        kiosk.ask_number { id = "b", text = "B?", min = 0, max = 10, red_flag_above = 7 }
        kiosk.choose { id = "c", text = "C?", options = { { value = "x", text = "X" }, { value = "y", text = "Y" } },
                       red_flag = { "y" } }
        return {}
      end }
  )",
                       {{"a", "no"}, {"b", 8}, {"c", "x"}});
  REQUIRE(out.red_flag);
  CHECK(out.red_flag->ask_id == "b");
  CHECK(out.red_flag->answer == "8");
  CHECK(kiosk::session::to_json(out.red_flag->answers) == json({{"a", false}, {"b", 8}}));
  CHECK_FALSE(out.result);
  const auto bad = run(dir, R"(
    return { api = 1, id = "s", version = "1", title = "S",
      run = function(t) kiosk.choose { id = "c", text = "C?", options = { { value = "x", text = "X" } }, red_flag = { "z" } } end }
  )",
                       {{"c", "x"}});
  REQUIRE(bad.script_error);
  CHECK_THAT(bad.script_error->message, Catch::Contains("'red_flag' must list option values"));
}
