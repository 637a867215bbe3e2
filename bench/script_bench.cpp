// The Lua sandbox's string-pattern cost guard: a pattern just under the
// budget (about 4.8e7 matcher steps) still runs, and how long it takes
// (budget 1 s: the time a patient could wait on one step).
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "script/answers.h"
#include "script/capture.h"
#include "script/runner.h"

namespace {

using namespace kiosk::script;

void BM_ScriptPattern_NearCostBudget(benchmark::State& state) {
  const auto file = std::filesystem::temp_directory_path() / "kiosk-bench-pattern.lua";
  std::ofstream(file) << "return { api = 1, id = 'near', version = '1', title = 'Near', run = function(t)\n"
                         "  local s = string.rep('a', 30)\n"
                         "  assert(s:match(string.rep('a?', 15) .. string.rep('a', 15) .. 'b') == nil)\n"
                         "  return { findings = { 'ran' } } end }\n";
  bool ran = false;
  for (auto _ : state) {
    JsonAnswers answers(nlohmann::json::object());
    NoPlate plate;
    ran = run_script(file, {}, {}, answers, plate).result.has_value();
  }
  std::filesystem::remove(file);
  if (!ran) state.SkipWithError("the pattern under the budget was refused");
}
BENCHMARK(BM_ScriptPattern_NearCostBudget)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
