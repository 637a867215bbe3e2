// Rendering a 2-page handout with 6 illustrated exercises (budget 300 ms,
// docs/ARCHITECTURE.md "Quality bars"): plan already made, PDF written to /tmp.
// The exhaustive safety check of the handout rules (kioskctl handout check):
// every combination of declared findings x 6 safety states, one run.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "handout/assets.h"
#include "handout/plan.h"
#include "handout/render.h"
#include "handout/rules_check.h"

namespace {

using namespace kiosk::handout;

// Renders the 6-exercise plan over and over with `options`.
void render_six(benchmark::State& state, const RenderOptions& options) {
  kiosk::Paths paths;
  paths.assets_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
  paths.script_dirs = {std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"};
  const auto assets = HandoutAssets::load(paths);
  // Not safe on one leg + a stiff left ankle: the rules give 6 exercises.
  kiosk::session::Session session;
  session.lang = "es";
  session.findings = {"balance_unsafe", "dorsiflexion_restricted_left"};
  session.profile = kiosk::session::ScriptPart{"profile", "1", {}, {}, {}, "", {{"painful_side", std::string("left")}}};
  session.safety.screening_finished();  // screened, not safe on one leg
  session.safety.one_leg_unsafe_found();
  const Plan plan = make_plan(assets, session, "es", {});  // no test results: no chart rows
  const auto out = std::filesystem::temp_directory_path() / "kiosk-bench-handout.pdf";
  RenderResult r;
  for (auto _ : state) r = render_pdf(assets, plan, options, out);
  state.counters["pages"] = r.pages;
  state.counters["exercises"] = static_cast<double>(plan.exercises.size());
  state.counters["pdf_kB"] = static_cast<double>(r.bytes) / 1024;
  std::filesystem::remove(out);
}

void BM_HandoutRender_6Exercises_2Pages(benchmark::State& state) { render_six(state, {}); }
BENCHMARK(BM_HandoutRender_6Exercises_2Pages)->Unit(benchmark::kMillisecond);

// The same with the clinic's links as 7 QR codes: the codes are laid out at
// every text size first and, where they leave no room, the sheet again without them.
void BM_HandoutRender_6Exercises_2Pages_QrLinks(benchmark::State& state) {
  RenderOptions options;
  options.exercise_link = "https://clinic.example/exercises/{exercise}";
  options.sheet_link = "https://clinic.example/book";
  render_six(state, options);
}
BENCHMARK(BM_HandoutRender_6Exercises_2Pages_QrLinks)->Unit(benchmark::kMillisecond);

void BM_HandoutRulesCheck_AllSessions(benchmark::State& state) {
  kiosk::Paths paths;
  paths.assets_dir = std::filesystem::path(KIOSK_SOURCE_DIR) / "assets";
  paths.script_dirs = {std::filesystem::path(KIOSK_SOURCE_DIR) / "scripts"};
  const auto assets = HandoutAssets::load(paths);
  kiosk::script::Catalogue catalogue(paths.script_dirs);
  catalogue.scan();
  RulesCheck r;
  for (auto _ : state) r = check_rules(assets, assets.rules_file, catalogue);
  state.counters["sessions"] = static_cast<double>(r.sessions);
  state.counters["violations"] = static_cast<double>(r.violating_sessions);
}
BENCHMARK(BM_HandoutRulesCheck_AllSessions)->Unit(benchmark::kMillisecond);  // one run takes seconds: one iteration

}  // namespace

BENCHMARK_MAIN();
