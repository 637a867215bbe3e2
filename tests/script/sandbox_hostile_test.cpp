// The hostile-script suite (issue 3, "Bad input"): each case must end within
// 5 s with an error naming the file (and line), touch nothing outside the
// sandbox, and leave this process able to run the next script.
#include <catch2/catch.hpp>

#include "script_fixture.h"

using namespace kiosk::script;
using kiosk::script::test::line_of;
using kiosk::script::test::probe_script;
using kiosk::script::test::run_timed;
using kiosk::script::test::TempDir;

namespace {

// Runs `text` as a script and checks the common contract; returns the error.
ScriptError expect_refused(const std::string& text, bool expect_line = true, const std::string& marker = "--here",
                           std::chrono::milliseconds cpu = Limits{}.cpu_per_resume) {
  TempDir dir;
  const auto file = dir.write("hostile.lua", text);
  auto options = dir.options();
  options.limits.cpu_per_resume = cpu;
  const auto run = run_timed(file, options);
  CHECK(run.seconds < 5.0);
  REQUIRE(run.outcome.script_error);
  CHECK_FALSE(run.outcome.result);
  const auto& err = *run.outcome.script_error;
  CHECK(err.file == file.string());
  if (expect_line) CHECK(err.line == line_of(text, marker));
  INFO(err.to_string());
  // The process carries on: a good script runs right after.
  const auto good = dir.write("good.lua", probe_script("return { findings = { 'ok' } }"));
  const auto after = run_timed(good, dir.options());
  REQUIRE(after.outcome.result);
  CHECK(after.outcome.result->findings == std::vector<std::string>{"ok"});
  return err;
}

// Memory bombs get more CPU time so that the memory cap, not the clock,
// stops them even on a loaded machine or under ASan.
ScriptError expect_memory_refused(const std::string& text) {
  return expect_refused(text, false, "--here", std::chrono::milliseconds(3000));
}

}  // namespace

TEST_CASE("hostile: an infinite loop is stopped by the CPU deadline") {
  const auto err = expect_refused(probe_script("while true do end --here"));
  CHECK_THAT(err.message, Catch::Contains("CPU limit") && Catch::Contains("200 ms"));
}

TEST_CASE("hostile: an infinite loop inside pcall cannot swallow the kill") {
  const auto err = expect_refused(probe_script("while true do --here\n"
                                               "  pcall(function() while true do end end)\n"
                                               "end"),
                                  false);
  CHECK_THAT(err.message, Catch::Contains("CPU limit"));
  CHECK(err.line > 0);
}

TEST_CASE("hostile: a loop of pcalls that catch every error still ends") {
  const auto err = expect_refused(probe_script("local n = 0\n"
                                               "while true do n = n + 1; pcall(error, 'x'); pcall(pcall, error) end"),
                                  false);
  CHECK_THAT(err.message, Catch::Contains("CPU limit"));
}

TEST_CASE("hostile: an infinite loop inside a coroutine (and pcall around it)") {
  const auto err = expect_refused(probe_script("local co = coroutine.wrap(function()\n"
                                               "  while true do pcall(function() while true do end end) end\n"
                                               "end)\n"
                                               "while true do pcall(co) end"),
                                  false);
  CHECK_THAT(err.message, Catch::Contains("CPU limit"));
  CHECK(err.line > 0);
}

TEST_CASE("hostile: an infinite loop at the top level of the file") {
  const auto err = expect_refused("local x = 0\nwhile true do x = x + 1 end --here\n");
  CHECK_THAT(err.message, Catch::Contains("CPU limit"));
}

TEST_CASE("hostile: an xpcall handler that loops") {
  const auto err =
      expect_refused(probe_script("xpcall(function() error('x') end, function() while true do end end) --here\n"
                                  "while true do end"),
                     false);
  CHECK_THAT(err.message, Catch::Contains("CPU limit"));
}

TEST_CASE("hostile: string.rep memory bomb") {
  const auto err = expect_refused(probe_script("local s = string.rep('x', 1e9) --here"));
  CHECK_THAT(err.message, Catch::Contains("memory limit"));
  const auto method = expect_refused(probe_script("local s = ('xy'):rep(1e8, ',') --here"));
  CHECK_THAT(method.message, Catch::Contains("memory limit"));
}

TEST_CASE("hostile: doubling a string until memory runs out") {
  const auto err = expect_memory_refused(probe_script("local s = 'x'\nwhile true do s = s .. s end"));
  CHECK_THAT(err.message, Catch::Contains("memory"));
  CHECK(err.line > 0);
}

TEST_CASE("hostile: a table that grows without end") {
  const auto err = expect_memory_refused(probe_script("local t, i = {}, 0\nwhile true do i = i + 1; t[i] = i end"));
  CHECK_THAT(err.message, Catch::Contains("memory"));
}

TEST_CASE("hostile: memory errors caught by pcall and retried still end") {
  const auto err =
      expect_refused(probe_script("local keep = {}\n"
                                  "while true do pcall(function() keep[#keep + 1] = ('x'):rep(1e6) .. #keep end) end"),
                     false);
  const bool limit =
      err.message.find("memory") != std::string::npos || err.message.find("CPU limit") != std::string::npos;
  CHECK(limit);
}

TEST_CASE("hostile: the collector cannot be stopped") {
  const auto err = expect_refused(probe_script("collectgarbage('stop') --here"));
  CHECK_THAT(err.message, Catch::Contains("collectgarbage('stop')"));
  expect_refused(probe_script("collectgarbage('generational') --here"));
  expect_refused(probe_script("collectgarbage('setpause', 1000) --here"));
}

TEST_CASE("hostile: a __gc finalizer (runs with hooks off) is refused") {
  const auto err = expect_refused(probe_script("setmetatable({}, { __gc = function() while true do end end }) --here"));
  CHECK_THAT(err.message, Catch::Contains("__gc"));
}

// Lua's stack limit (1e6 slots), the memory cap or (on a busy machine) the
// CPU deadline, whichever comes first.
bool stack_or_memory(const std::string& message) {
  return message.find("stack overflow") != std::string::npos || message.find("memory limit") != std::string::npos ||
         message.find("CPU limit") != std::string::npos;
}

TEST_CASE("hostile: deep recursion") {
  const auto err = expect_refused(probe_script("local function f(n) return 1 + f(n + 1) end\n"
                                               "f(1)"),
                                  false);
  CHECK(stack_or_memory(err.message));
  CHECK(err.line > 0);
  const auto in_coroutine = expect_refused(probe_script("local function f(n) return 1 + f(n + 1) end\n"
                                                        "local ok, e = coroutine.resume(coroutine.create(f), 1)\n"
                                                        "error(e, 0)"),
                                           false);
  CHECK(stack_or_memory(in_coroutine.message));
  const auto metamethods = expect_refused(probe_script("local t = setmetatable({}, {})\n"
                                                       "getmetatable(t).__index = function(s, k) return s[k] end\n"
                                                       "local v = t.a"),
                                          false);
  CHECK(stack_or_memory(metamethods.message));
}

TEST_CASE("hostile: os and io are absent, and nothing is written or run") {
  TempDir witness;
  const auto target = witness.path / "pwned.txt";
  const auto os = expect_refused(probe_script(fmt::format("os.execute('touch {}') --here", target.string())));
  CHECK_THAT(os.message, Catch::Contains("unknown global 'os'"));
  const auto io = expect_refused(probe_script(fmt::format("io.open('{}', 'w'):write('x') --here", target.string())));
  CHECK_THAT(io.message, Catch::Contains("unknown global 'io'"));
  CHECK_FALSE(std::filesystem::exists(target));
}

TEST_CASE("hostile: require reaches only the lib folder") {
  const auto os = expect_refused(probe_script("local m = require('os') --here"));
  CHECK_THAT(os.message, Catch::Contains("no lib 'os'"));
  const auto up = expect_refused(probe_script("local m = require('../../etc/passwd') --here"));
  CHECK_THAT(up.message, Catch::Contains("not a lib name"));
  const auto abs = expect_refused(probe_script("local m = require('/etc/passwd') --here"));
  CHECK_THAT(abs.message, Catch::Contains("not a lib name"));
}

TEST_CASE("hostile: package.loadlib, debug, dofile, loadfile, rawset are absent") {
  CHECK_THAT(expect_refused(probe_script("package.loadlib('libc.so.6', 'system') --here")).message,
             Catch::Contains("unknown global 'package'"));
  CHECK_THAT(expect_refused(probe_script("debug.sethook() --here")).message, Catch::Contains("unknown global 'debug'"));
  CHECK_THAT(expect_refused(probe_script("dofile('/etc/passwd') --here")).message,
             Catch::Contains("unknown global 'dofile'"));
  CHECK_THAT(expect_refused(probe_script("loadfile('/etc/passwd') --here")).message,
             Catch::Contains("unknown global 'loadfile'"));
  CHECK_THAT(expect_refused(probe_script("rawset(_ENV, 'os', 1) --here")).message,
             Catch::Contains("unknown global 'rawset'"));
}

TEST_CASE("hostile: bytecode is refused (load, string.dump, a binary file)") {
  const auto load =
      expect_refused(probe_script("local f, e = load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n')\n"
                                  "error(e) --here"));
  CHECK_THAT(load.message, Catch::Contains("binary"));
  const auto mode = expect_refused(probe_script("load('return 1', 'x', 'b') --here"));
  CHECK_THAT(mode.message, Catch::Contains("text chunks only"));
  const auto dump = expect_refused(probe_script("local b = string.dump(print) --here"));
  CHECK_THAT(dump.message, Catch::Contains("dump"));
  const auto method = expect_refused(probe_script("local b = ('').dump(print) --here"));
  CHECK_THAT(method.message, Catch::Contains("dump"));
  const auto file = expect_refused("\x1bLuaT\x00\x19\x93\r\n\x1a\n", false);
  CHECK_THAT(file.message, Catch::Contains("binary"));
}

TEST_CASE("hostile: unknown globals are errors that name them, read or write") {
  CHECK_THAT(expect_refused(probe_script("local x = undefined_thing --here")).message,
             Catch::Contains("unknown global 'undefined_thing'"));
  CHECK_THAT(expect_refused(probe_script("leaked = 1 --here")).message,
             Catch::Contains("cannot create global 'leaked'"));
}

TEST_CASE("hostile: string-metatable poisoning") {
  const auto set = expect_refused(probe_script("getmetatable('').__index = {} --here"));
  CHECK_THAT(set.message, Catch::Contains("index"));
  const auto lib = expect_refused(probe_script("string.upper = function() return 'pwned' end --here"));
  CHECK_THAT(lib.message, Catch::Contains("read-only"));
  const auto setmt = expect_refused(probe_script("setmetatable(string, {}) --here"));
  CHECK_THAT(setmt.message, Catch::Contains("protected"));
}

TEST_CASE("string methods survive every poisoning attempt caught by pcall") {
  TempDir dir;
  const auto file =
      dir.write("poison.lua", probe_script("pcall(function() getmetatable('').__index = {} end)\n"
                                           "pcall(function() getmetatable('').__index.upper = nil end)\n"
                                           "pcall(function() string.upper = nil end)\n"
                                           "pcall(function() string.format = nil end)\n"
                                           "pcall(setmetatable, string, {})\n"
                                           "assert(getmetatable('') == 'protected')\n"
                                           "assert(('a'):upper() == 'A' and string.format('%d', 3) == '3')\n"
                                           "return { findings = { 'intact' } }"));
  const auto run = run_timed(file, dir.options());
  REQUIRE(run.outcome.result);
  CHECK(run.outcome.result->findings == std::vector<std::string>{"intact"});
}

TEST_CASE("hostile: pathological string patterns are refused before they run") {
  const auto slow =
      expect_refused(probe_script("local s = string.rep('a', 20000)\n"
                                  "local x = s:find('.-.-.-.-b') --here"));
  CHECK_THAT(slow.message, Catch::Contains("string pattern") && Catch::Contains("too long"));
  const auto exponential =
      expect_refused(probe_script("local s = string.rep('a', 40)\n"
                                  "local x = string.match(s, string.rep('a?', 40) .. string.rep('a', 40)) --here"));
  CHECK_THAT(exponential.message, Catch::Contains("string pattern"));
  expect_refused(probe_script("for w in string.gmatch(string.rep('a', 20000), '(.-)(.-)(.-)b') do end --here"));
  expect_refused(probe_script("local s = string.gsub(('a'):rep(20000), '.-.-.-b', '') --here"));
}

TEST_CASE("ordinary patterns on ordinary strings still work") {
  TempDir dir;
  const auto file =
      dir.write("patterns.lua", probe_script("assert(('left.distance_cm'):match('^(%a+)%.(.+)$') == 'left')\n"
                                             "assert(select(2, ('a,b,c'):gsub(',', ';')) == 2)\n"
                                             "local n = 0 for w in ('one two three'):gmatch('%a+') do n = n + 1 end\n"
                                             "assert(n == 3)\n"
                                             "assert(('x'):rep(3, '-') == 'x-x-x' and ('' ):rep(1e15) == '')\n"
                                             "assert(('a+b'):find('+', 1, true) == 2)\n"
                                             "return { findings = { 'ok' } }"));
  const auto run = run_timed(file, dir.options());
  INFO((run.outcome.script_error ? run.outcome.script_error->to_string() : ""));
  REQUIRE(run.outcome.result);
}

// How long it takes is measured in bench/ (BM_ScriptPattern_NearCostBudget), not here.
TEST_CASE("a pattern just under the cost budget runs") {
  TempDir dir;
  // (n+1)(m+1)2^15 = 31 * 47 * 32768 ~ 4.8e7 steps, under the 5e7 budget
  const auto file =
      dir.write("near.lua", probe_script("local s = string.rep('a', 30)\n"
                                         "assert(s:match(string.rep('a?', 15) .. string.rep('a', 15) .. 'b') == nil)\n"
                                         "return { findings = { 'ran' } }"));
  const auto run = run_timed(file, dir.options());
  INFO((run.outcome.script_error ? run.outcome.script_error->to_string() : ""));
  REQUIRE(run.outcome.result);
}

TEST_CASE("hostile: huge C loops (table.move, empty string.rep) are bounded") {
  const auto move = expect_refused(probe_script("local t = table.move({}, 1, 1e12, 1) --here"));
  CHECK_THAT(move.message, Catch::Contains("table.move"));
}

TEST_CASE("hostile: a file that is not UTF-8 names its line") {
  const auto err = expect_refused("-- fine\n-- fine\nlocal s = 'caf\xe9' --here\n");
  CHECK_THAT(err.message, Catch::Contains("UTF-8"));
}

TEST_CASE("hostile: a 15 MB file is refused without being read") {
  std::string big = probe_script("");
  big += "--" + std::string(15u << 20, 'x') + "\n";
  const auto err = expect_refused(big, false);
  CHECK(err.line == 0);
  CHECK_THAT(err.message, Catch::Contains("at most"));
}

TEST_CASE("hostile: a wrong api version") {
  const auto err =
      expect_refused("return { api = 2, id = 'x', version = '1', title = { en = 'X' }, run = function() end }", false);
  CHECK_THAT(err.message, Catch::Contains("api = 2") && Catch::Contains("API 1"));
}

TEST_CASE("hostile: garbage steps are refused at the line that yields them") {
  CHECK_THAT(expect_refused(probe_script("coroutine.yield(42) --here")).message, Catch::Contains("yielded a number"));
  CHECK_THAT(expect_refused(probe_script("coroutine.yield({ kind = 'dance' }) --here")).message,
             Catch::Contains("unknown step kind 'dance'"));
  CHECK_THAT(expect_refused(probe_script("coroutine.yield(1, 2, 3) --here")).message,
             Catch::Contains("yielded 3 values"));
  CHECK_THAT(expect_refused(probe_script("kiosk.ask_number{ id = 'x', text = 'x', min = 5, max = 1 } --here")).message,
             Catch::Contains("'min' <= 'max'"));
  CHECK_THAT(expect_refused(probe_script("kiosk.ask_number{ id = 'x', text = 'x', min = 0, mx = 1 } --here")).message,
             Catch::Contains("unknown field 'mx'"));
  CHECK_THAT(expect_refused(probe_script("kiosk.instruct('hello') --here")).message,
             Catch::Contains("expects a table"));
  CHECK_THAT(expect_refused(probe_script("kiosk.choose{ id = 'c', text = 'x', options = {} } --here")).message,
             Catch::Contains("options"));
  CHECK_THAT(expect_refused(probe_script("coroutine.yield(setmetatable({}, { __index = function() "
                                         "while true do end end })) --here"))
                 .message,
             Catch::Contains("needs a 'kind'"));
}

TEST_CASE("hostile: a script that yields steps forever hits the step limit") {
  const auto err = expect_refused(probe_script("while true do kiosk.instruct{ text = 'hi' } end --here"));
  CHECK_THAT(err.message, Catch::Contains("steps in one run"));
}

TEST_CASE("hostile: error objects that are not strings, and bad results") {
  CHECK_THAT(expect_refused(probe_script("error({}) --here"), false).message, Catch::Contains("table"));
  CHECK_THAT(expect_refused(probe_script("return 42"), false).message, Catch::Contains("must return the result table"));
  CHECK_THAT(expect_refused(probe_script("return { measures = { { id = 'x', value = 'big' } } }"), false).message,
             Catch::Contains("measures[1]"));
}
