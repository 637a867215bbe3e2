// The handout end to end with real parts: the bundled exercise library and
// rules, real PDFs (pdftotext / pdftoppm read them back) and a real IPP
// printer (ippeveprinter) on loopback for the print tests.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "core/session/session_json.h"
#include "handout/assets.h"
#include "handout/chart_rows.h"
#include "handout/handout_service.h"
#include "handout/plan.h"
#include "handout/print_job.h"
#include "handout/render.h"
#include "ipp_printer.h"
#include "script/catalogue.h"
#include "support/bundled_assets.h"
#include "support/process.h"
#include "support/temp_dir.h"

using namespace kiosk;
using namespace kiosk::handout;

namespace {

const std::filesystem::path kSource = KIOSK_SOURCE_DIR;

const HandoutAssets& assets() { return test::bundled_assets(); }

// A session as `kioskctl session run` prints it, with the given findings and per-side measures.
nlohmann::json session_doc(std::vector<std::string> findings, std::string painful = "both") {
  nlohmann::json tests = nlohmann::json::array();
  auto test = [&](const char* id, const char* measure, double l, double r) {
    tests.push_back({{"test", id},
                     {"measures",
                      {{{"id", measure}, {"side", "left"}, {"value", l}, {"unit", "x"}},
                       {{"id", measure}, {"side", "right"}, {"value", r}, {"unit", "x"}}}}});
  };
  test("knee_to_wall", "distance_cm", 8.5, 11);
  test("single_leg_balance", "stance_s", 30, 45);
  test("heel_raise", "reps", 17, 24);
  // The safety the session's screening would give: cleared, unless a finding says otherwise.
  kiosk::safety::SessionSafety safety;
  safety.screening_finished();
  for (const auto& f : findings) {
    if (f == "balance_unsafe") safety.one_leg_unsafe_found();
    if (f == "red_flag") safety.raise("screening.numbness", "yes", true);
  }
  return {{"api", 1},
          {"findings", findings},
          {"stopped", !safety.allows_tests()},
          {"tests", tests},
          {"safety", kiosk::session::to_json(safety)},
          {"profile", {{"answers", {{"age_band", "40-49"}, {"painful_side", painful}, {"pain_weeks", 6}}}}}};
}

// The plan the kiosk makes: the rules, held to the session's recorded safety,
// with the bundled scripts' results charts.
Plan make_plan(const HandoutAssets& a, const nlohmann::json& s, std::string_view lang) {
  return kiosk::handout::make_plan(a, kiosk::session::session_from_json(s), lang, test::bundled_charts());
}

std::string pdf_text(const std::filesystem::path& pdf) {
  auto r = test::run("pdftotext -layout '" + pdf.string() + "' -");
  std::string out;
  for (char c : r.out) out += (c == '\n' || c == ' ') ? ' ' : c;  // lines and columns do not matter
  out.erase(std::unique(out.begin(), out.end(), [](char a, char b) { return a == ' ' && b == ' '; }), out.end());
  return out;
}

bool has_words(const std::string& text, const std::string& words) {
  std::istringstream in(words);
  std::string w, pos;
  size_t at = 0;
  while (in >> w) {  // each word in order (a title may wrap across a column)
    at = text.find(w, at);
    if (at == std::string::npos) return false;
  }
  return true;
}

int ids_index(const Plan& p, const std::string& id) {
  for (size_t i = 0; i < p.exercises.size(); ++i)
    if (p.exercises[i].card->id == id) return static_cast<int>(i);
  return -1;
}

void check_plan_shape(const Plan& p) {
  REQUIRE_FALSE(p.refer);
  CHECK(p.exercises.size() >= 4);
  CHECK(p.exercises.size() <= 6);
  CHECK(ids_index(p, "plantar_fascia_stretch") >= 0);
  // The load advice: running less, or (not safe on one leg) asking the team before running.
  const auto running = std::count(p.advice.begin(), p.advice.end(), "load_reduce");
  const auto ask_first = std::count(p.advice.begin(), p.advice.end(), "run_ask_first");
  CHECK(running + ask_first == 1);
  CHECK(ask_first == (p.excluded.has(kiosk::safety::Need::running) ? 1 : 0));
  double minutes = 0;
  for (size_t i = 0; i < p.exercises.size(); ++i) {
    minutes += dose_minutes(p.exercises[i].dose, p.exercises[i].extra_sets);
    if (i > 0) CHECK(p.exercises[i - 1].card->kind <= p.exercises[i].card->kind);  // mobility → strength → balance
  }
  CHECK(minutes <= 20);
  CHECK(p.total_minutes == minutes);
  CHECK(p.recheck_days == 14);
}

}  // namespace

TEST_CASE("library: all 21 exercises load in English and Spanish with 3 to 6 steps") {
  const auto& lib = assets().library;
  REQUIRE(lib.all().size() == 21);
  for (const auto& e : lib.all()) {
    INFO(e.id);
    for (auto lang : {"en", "es"}) {
      CHECK(!e.name.in(lang).empty());
      CHECK(e.steps_in(lang).size() >= 3);
      CHECK(e.steps_in(lang).size() <= 6);
    }
    CHECK(e.name.in("en") != e.name.in("es"));
    CHECK(std::filesystem::is_regular_file(e.illustration));
  }
}

TEST_CASE("library: a bad exercise file is refused naming file line and key") {
  test::TempDir dir;
  std::filesystem::copy(kSource / "assets/exercises/glute_bridge.svg", dir / "bad.svg");
  std::ofstream(dir / "bad.toml") << "id = \"bad\"\nkind = \"stretchy\"\ntags = [\"calf_strength\", \"nonsense\"]\n"
                                     "sided = true\none_leg = false\ndaily_minutes = 3\n[dose]\nsets = 3\n";
  try {
    ExerciseLibrary::load(dir.path());
    FAIL("a bad file was accepted");
  } catch (const LibraryError& e) {
    const std::string all = e.what();
    const std::string file = (dir / "bad.toml").string();
    CHECK(all.find(file + ":2: kind: must be relief") != std::string::npos);
    CHECK(all.find(file + ":3: tags: unknown tag \"nonsense\"") != std::string::npos);
    CHECK(all.find(file + ":7: dose: give exactly one of reps") != std::string::npos);
    CHECK(all.find(file + ":1: steps: missing") != std::string::npos);
  }
}

TEST_CASE("library: handout strings have the same keys in English and Spanish") {
  CHECK(assets().texts.keys("en") == assets().texts.keys("es"));
}

TEST_CASE("figures: regenerating the SVGs gives byte-identical files") {
  test::TempDir dir;
  auto r = test::run("python3 '" + (kSource / "assets/exercises/figures/draw_figures.py").string() + "' --out '" +
                     dir.path().string() + "'");
  REQUIRE(r.exit_code == 0);
  for (const auto& e : assets().library.all()) {
    std::ifstream a(e.illustration), b(dir / (e.id + ".svg"));
    std::stringstream sa, sb;
    sa << a.rdbuf();
    sb << b.rdbuf();
    INFO(e.id);
    CHECK(sa.str() == sb.str());
  }
}

TEST_CASE("rules: each finding alone brings its exercises and the plan keeps its shape") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"dorsiflexion_restricted_left", "knee_to_wall_rock"},
      {"dorsiflexion_asymmetry", "knee_to_wall_rock"},  // 8.5 cm
      {"calf_capacity_low_right", "heel_raise_step"},
      {"calf_asymmetry", "heel_raise_step"},  // 17 raises: one leg
      {"balance_below_norm_left", "single_leg_balance"},
      {"balance_asymmetry", "single_leg_deadlift"},
      {"balance_unsafe", "heel_raise_supported"}};
  for (const auto& [finding, expected] : cases) {
    INFO(finding);
    const Plan p = make_plan(assets(), session_doc({finding}), "en");
    check_plan_shape(p);
    CHECK(ids_index(p, expected) >= 0);
  }
  const Plan none = make_plan(assets(), session_doc({}), "en");
  check_plan_shape(none);
  CHECK(ids_index(none, "heel_raise_step") >= 0);
}

TEST_CASE("rules: the weaker side gets the extra set") {
  const Plan left = make_plan(assets(), session_doc({"calf_capacity_low_left"}), "en");
  const auto& heel = left.exercises[ids_index(left, "heel_raise_step")];
  CHECK(heel.side == "left");
  CHECK(heel.extra_sets == 1);
  const Plan right = make_plan(assets(), session_doc({"dorsiflexion_restricted_right"}), "en");
  CHECK(right.exercises[ids_index(right, "knee_to_wall_rock")].side == "right");
  CHECK(make_plan(assets(), session_doc({}, "left"), "en").exercises[0].side == "left");  // painful side
}

TEST_CASE("rules: all findings together stay within 6 exercises and 20 minutes") {
  const Plan p =
      make_plan(assets(),
                session_doc({"dorsiflexion_restricted_left", "dorsiflexion_asymmetry", "balance_below_norm_left",
                             "calf_capacity_low_left", "calf_asymmetry", "load_spike"}),
                "en");
  check_plan_shape(p);
  // One rung of every ladder a finding calls for: hip and foot work keep their slot.
  for (auto id : {"heel_raise_step", "knee_to_wall_rock", "single_leg_balance", "towel_scrunch", "clamshell_band"})
    CHECK(ids_index(p, id) >= 0);
  CHECK(std::count(p.advice.begin(), p.advice.end(), "load_spike") == 1);
}

TEST_CASE("rules: not safe on one leg means no one-leg exercise") {
  const Plan p = make_plan(assets(), session_doc({"balance_unsafe", "dorsiflexion_restricted_left"}), "en");
  check_plan_shape(p);
  for (const auto& e : p.exercises) CHECK_FALSE(e.card->needs.intersects(kiosk::safety::one_leg_unsafe_excludes()));
  CHECK(std::count(p.progression.begin(), p.progression.end(), "one_leg_later") == 1);
}

TEST_CASE("rules: a red flag gives no exercises and the speak-to-the-team sheet") {
  auto s = session_doc({"red_flag"});
  const Plan p = make_plan(assets(), s, "en");
  CHECK(p.refer);
  CHECK(p.exercises.empty());
  CHECK(p.charts.empty());  // no results on a "please speak to the team" sheet
  s["findings"] = nlohmann::json::array();
  s["stopped"] = true;
  CHECK(make_plan(assets(), s, "en").refer);
  test::TempDir dir;
  RenderOptions o;
  o.today = std::chrono::year_month_day{std::chrono::year(2025), std::chrono::month(3), std::chrono::day(4)};
  CHECK(render_pdf(assets(), p, o, dir / "refer.pdf").pages == 1);
  CHECK(has_words(pdf_text(dir / "refer.pdf"), "Please speak to the clinic team"));
}

TEST_CASE("render: every exercise renders with its name and dose in both languages") {
  test::TempDir dir;
  for (const auto& e : assets().library.all()) {
    for (auto lang : {"en", "es"}) {
      Plan p;
      p.lang = lang;
      p.exercises.push_back({&e, e.sided ? "both" : "none", e.dose, 0, {}, e.daily_minutes, std::nullopt});
      p.advice = {"load_reduce"};
      const auto pdf = dir / (e.id + lang + ".pdf");
      INFO(e.id << " " << lang);
      REQUIRE(render_pdf(assets(), p, {}, pdf).pages >= 1);
      const auto text = pdf_text(pdf);
      CHECK(has_words(text, e.name.in(lang)));
      CHECK(has_words(text, e.steps_in(lang).front()));
    }
  }
}

TEST_CASE("render: six exercises fit two pages on A4 and Letter in both languages (PNG artifacts)") {
  const auto artifacts = std::filesystem::path(KIOSK_BIN_DIR) / ".." / "test-artifacts" / "handout";
  std::filesystem::create_directories(artifacts);
  const Plan en = make_plan(assets(), session_doc({"balance_unsafe", "dorsiflexion_restricted_left"}), "en");
  REQUIRE(en.exercises.size() == 6);
  for (auto paper : {"a4", "letter"})
    for (auto lang : {"en", "es"}) {
      Plan p = make_plan(assets(), session_doc({"balance_unsafe", "dorsiflexion_restricted_left"}), lang);
      RenderOptions o;
      o.paper = paper;
      const auto pdf = artifacts / fmt::format("handout-{}-{}.pdf", paper, lang);
      const auto done = render_pdf(assets(), p, o, pdf);
      INFO(paper << " " << lang);
      CHECK(done.pages == 2);
      CHECK(done.bytes < 1024 * 1024);
      const auto text = pdf_text(pdf);
      for (const auto& e : p.exercises) CHECK(has_words(text, e.card->name.in(lang)));
      CHECK(test::run(fmt::format("pdftoppm -r 60 -png '{}' '{}'", pdf.string(),
                                  (artifacts / fmt::format("handout-{}-{}", paper, lang)).string()))
                .exit_code == 0);
    }
}

TEST_CASE("print: the job arrives at a real IPP printer and holds the planned titles") {
  test::TempDir dir;
  test::IppPrinter printer(dir / "spool");
  const Plan p = make_plan(assets(), session_doc({"calf_capacity_low_left"}), "en");
  render_pdf(assets(), p, {}, dir / "h.pdf");
  const auto start = std::chrono::steady_clock::now();
  auto job = PrintJob::start({dir / "h.pdf", printer.uri(), dir / "kept"});
  const auto s = job->wait();
  INFO(s.detail);
  REQUIRE(s.state == PrintState::done);
  CHECK(s.patient_text_key == "print.done");
  CHECK(record_status(s) == storage::PrintStatus::printed);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK_FALSE(std::filesystem::exists(dir / "kept"));
  const auto files = printer.job_files();
  REQUIRE(files.size() == 1);
  const auto text = pdf_text(files[0]);
  for (const auto& e : p.exercises) CHECK(has_words(text, e.card->name.in("en")));
}

TEST_CASE("print: a printer stopped mid-job is reported offline and the PDF is kept") {
  test::TempDir dir;
  std::ofstream(dir / "slow.sh") << "#!/bin/sh\nsleep 20\n";
  std::filesystem::permissions(dir / "slow.sh", std::filesystem::perms::owner_all);
  test::IppPrinter printer(dir / "spool", "application/pdf", (dir / "slow.sh").string());
  render_pdf(assets(), make_plan(assets(), session_doc({}), "en"), {}, dir / "h.pdf");
  auto job = PrintJob::start({dir / "h.pdf", printer.uri(), dir / "kept"});
  for (int i = 0; i < 200 && job->status().state != PrintState::printing; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(job->status().state == PrintState::printing);
  CHECK(record_status(job->status()) == storage::PrintStatus::pending);
  printer.stop();
  const auto s = job->wait();
  CHECK(s.state == PrintState::failed);
  CHECK(s.failure == PrintFailure::offline);
  CHECK(s.patient_text_key == "print.failed_offline");
  CHECK(record_status(s) == storage::PrintStatus::failed);
  REQUIRE(std::filesystem::is_regular_file(s.saved_to));
  CHECK(std::filesystem::file_size(s.saved_to) == std::filesystem::file_size(dir / "h.pdf"));
}

TEST_CASE("print: a printer that takes no PDF rejects the job and the PDF is kept") {
  test::TempDir dir;
  test::IppPrinter printer(dir / "spool", "image/pwg-raster");
  render_pdf(assets(), make_plan(assets(), session_doc({}), "en"), {}, dir / "h.pdf");
  const auto s = PrintJob::start({dir / "h.pdf", printer.uri(), dir / "kept"})->wait();
  CHECK(s.failure == PrintFailure::rejected);
  CHECK(std::filesystem::is_regular_file(s.saved_to));
  CHECK(printer.job_files().empty());
}

TEST_CASE("print: without a printer the PDF is saved to the data dir (demo mode)") {
  test::TempDir dir;
  render_pdf(assets(), make_plan(assets(), session_doc({}), "en"), {}, dir / "h.pdf");
  const auto s = PrintJob::start({dir / "h.pdf", "", dir / "handouts"})->wait();
  CHECK(s.state == PrintState::done);
  CHECK(s.patient_text_key == "print.saved");
  CHECK(record_status(s) == storage::PrintStatus::saved);
  CHECK(s.saved_to.parent_path() == dir / "handouts");
}

TEST_CASE("print: printer state reasons map to calm failure kinds") {
  CHECK(failure_from_reasons({"media-empty-error"}) == PrintFailure::out_of_paper);
  CHECK(failure_from_reasons({"none", "media-needed-warning"}) == PrintFailure::out_of_paper);
  CHECK(failure_from_reasons({"offline-report"}) == PrintFailure::offline);
  CHECK(failure_from_reasons({"none"}) == PrintFailure::none);
}

TEST_CASE("cli: handout plan prints the plan JSON for the full session fixture") {
  test::TempDir dir;
  auto s = test::run(test::program("kioskctl") + " --data-dir '" + dir.path().string() + "' session run --answers '" +
                     (kSource / "tests/fixtures/answers/session_full.json").string() + "' > '" +
                     (dir / "s.json").string() + "'");
  REQUIRE(s.exit_code == 0);
  auto r = test::run(test::program("kioskctl") + " --data-dir '" + dir.path().string() + "' handout plan --results '" +
                     (dir / "s.json").string() + "'");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j["refer"] == false);
  CHECK(j["exercises"].size() >= 4);
  for (const auto& e : j["exercises"]) {
    CHECK(e.contains("title"));
    CHECK(e.contains("dose"));
    CHECK(e.contains("side"));
    CHECK(e.contains("tags"));
  }
  CHECK(j["exercises"][0]["side"] == "left");  // profile: painful left, left findings
  // The charts from the scripts' declarations, as the kiosk's catalogue reads them (format 2).
  CHECK(j["format"] == 2);
  REQUIRE(j["charts"].size() == 3);
  CHECK(j["charts"][0]["test"] == "knee_to_wall");
  CHECK(j["charts"][0]["zone"] == nlohmann::json{10, 20});
  CHECK(j["charts"][0]["left"] == 8.5);
  CHECK(j["charts"][1]["zone"] == nlohmann::json{40, 45});  // age band 40-49
}

TEST_CASE("minutes: a card's minutes are its dose's sets, reps, tempo, holds and rests") {
  const auto& lib = assets().library;
  // Slow drops: 3 × 15 a side at 6 s a drop, 30 s between the 6 sets: 540 + 150 s = 11.5 min.
  CHECK(lib.find("eccentric_heel_drop")->daily_minutes == 11.5);
  // Holds on two legs: 5 × 45 s (the top of 30-45), 45 s between them: 225 + 180 s = 7 min.
  CHECK(lib.find("isometric_heel_hold")->daily_minutes == 7);
  // The sole stretch: 10 × 10 s a side, no rest: 200 s, rounded up to 3.5 min.
  CHECK(lib.find("plantar_fascia_stretch")->daily_minutes == 3.5);
  Dose d = lib.find("heel_raise_step")->dose;  // 3 × 15 a side at 3 s, 30 s rests
  CHECK(dose_minutes(d) == 7);                 // 6 × 45 + 5 × 30 = 420 s
  CHECK(dose_minutes(d, 1) == 8.5);            // an extra set: 7 × 45 + 6 × 30 = 495 s, rounded up
}

TEST_CASE("rules: every number on the sheet comes from norms.lua, and every placeholder is filled") {
  test::TempDir dir;
  std::filesystem::copy(kSource / "scripts", dir.path(), std::filesystem::copy_options::recursive);
  std::ifstream in(dir / "lib/norms.lua");
  std::stringstream text;
  text << in.rdbuf();
  std::string norms = text.str();
  for (auto [from, to] : {std::pair<std::string, std::string>{"pain_ok = 3,", "pain_ok = 2,"},
                          {"see_clinician_weeks = 6,", "see_clinician_weeks = 8,"},
                          {"move_up_days = 3,", "move_up_days = 4,"}}) {
    const auto at = norms.find(from);
    REQUIRE(at != std::string::npos);
    norms.replace(at, from.size(), to);
  }
  std::ofstream(dir / "lib/norms.lua") << norms;
  HandoutAssets edited = assets();
  edited.rules_file = dir / "handout.lua";
  edited.sandbox.lib_dirs = {dir / "lib"};
  const auto s = session_doc({"calf_capacity_low_left", "dorsiflexion_restricted_left", "balance_below_norm_left"});
  auto words = [&](const HandoutAssets& a, const char* lang) {
    const Plan p = make_plan(a, s, lang);
    std::string all;
    for (const auto& id : p.advice) all += plan_text(a, p, "advice." + id) + "\n";
    for (const auto& id : p.progression) all += plan_text(a, p, "progression." + id) + "\n";
    for (const auto& e : p.exercises)
      if (e.rung)
        all += plan_text(a, p, "rung.move_up." + e.rung->ladder) + plan_text(a, p, "rung.step_down." + e.rung->ladder);
    return all;
  };
  for (auto lang : {"en", "es"}) {
    INFO(lang);
    const auto bundled = words(assets(), lang), changed = words(edited, lang);
    CHECK(bundled.find('{') == std::string::npos);  // no placeholder left unfilled
    CHECK(changed.find('{') == std::string::npos);
    CHECK(bundled != changed);
  }
  const auto en = words(edited, "en");
  CHECK_THAT(en, Catch::Contains("up to 2 out of 10") && Catch::Contains("not better in 8 weeks") &&
                     Catch::Contains("on 4 days running"));
  CHECK_THAT(words(assets(), "en"), Catch::Contains("up to 3 out of 10") && Catch::Contains("not better in 6 weeks"));
}

TEST_CASE("render: the results chart shows the plain difference between the sides") {
  test::TempDir dir;
  const Plan p = make_plan(assets(), session_doc({"calf_asymmetry"}), "en");  // 17 and 24 raises
  const auto pdf = dir / "chart.pdf";
  render_pdf(assets(), p, {}, pdf);
  const auto text = pdf_text(pdf);
  CHECK(has_words(text, "Difference between sides: 7 raises"));
  CHECK(text.find("70.8") == std::string::npos);  // not the symmetry index dressed as a difference
}

TEST_CASE("charts: a new test script's chart declaration gets its row and its age band's zone, on paper too") {
  test::TempDir dir;
  std::filesystem::copy(kSource / "scripts", dir.path(), std::filesystem::copy_options::recursive);
  std::ofstream(dir / "toe_grip.lua") << R"(return {
  api = 1, id = "toe_grip", version = "1.0.0", order = 60,
  title = { en = "Toe grip", es = "Agarre de los dedos" },
  sides = { "left", "right" },
  chart = kiosk.chart {
    measure = "grip_kg", unit = "kg", scale = { 0, 12 }, better = "higher",
    norm = { from = { ["18-39"] = 8, ["40-49"] = 7.5 } },
    measurement_error = { value = 1, source = "KIOSK DEFAULT" },
  },
  run = function(t) return {} end,
})";
  kiosk::script::Catalogue catalogue({dir.path()});
  catalogue.scan();
  REQUIRE(catalogue.invalid().empty());
  auto s = session_doc({});
  s["tests"].push_back({{"test", "toe_grip"},
                        {"measures",
                         {{{"id", "grip_kg"}, {"side", "left"}, {"value", 5}, {"unit", "kg"}},
                          {{"id", "grip_kg"}, {"side", "right"}, {"value", 9.5}, {"unit", "kg"}}}}});
  const Plan p = kiosk::handout::make_plan(assets(), kiosk::session::session_from_json(s), "en", catalogue.charts());
  REQUIRE(p.charts.size() == 4);  // the three bundled tests and the new one, in the order they ran
  const ChartRow& row = p.charts[3];
  CHECK(row.test == "toe_grip");
  CHECK(row.title == "Toe grip");
  CHECK(row.unit == "kg");
  REQUIRE(row.zone);
  CHECK(row.zone->from == 7.5);  // the 40-49 band of the declaration
  CHECK(row.zone->to == 12);
  CHECK(row.left == 5);
  CHECK(row.right == 9.5);
  REQUIRE(row.difference);
  CHECK(row.difference->value == 4.5);
  CHECK(p.charts[1].zone->from == 40);  // balance: norms.lua's mean for 40-49 (Springer 2007)
  // Another age band, another zone; no age band, no zone.
  s["profile"]["answers"]["age_band"] = "18-39";
  CHECK(chart_rows(kiosk::session::session_from_json(s), catalogue.charts(), "en")[3].zone->from == 8);
  s["profile"]["answers"].erase("age_band");
  CHECK_FALSE(chart_rows(kiosk::session::session_from_json(s), catalogue.charts(), "en")[3].zone);
  const auto pdf = dir / "grip.pdf";
  render_pdf(assets(), p, {}, pdf);
  const auto text = pdf_text(pdf);
  CHECK(has_words(text, "Toe grip"));
  CHECK(has_words(text, "Goal: 7.5 kg or more"));
  CHECK(has_words(text, "Left 5 kg"));
}

TEST_CASE("charts: a value beyond the declared scale widens it, so no marker is drawn off the end") {
  auto s = session_doc({});
  s["tests"][2]["measures"][1]["value"] = 55;  // heel raises right: above the scale's 40
  const Plan p = make_plan(assets(), s, "en");
  REQUIRE(p.charts.size() == 3);
  const ChartRow& raises = p.charts[2];
  CHECK(raises.scale_max == 55);
  CHECK(raises.zone->to == 55);  // the zone has no declared top: it follows the scale
  CHECK(scale_fraction(raises, 55) == 1);
  CHECK(scale_fraction(raises, 27.5) == 0.5);
}

TEST_CASE("since last time: a change within the declared measurement error is about the same") {
  // knee to wall: higher is better, error 1.9 cm (Powden 2015)
  CHECK(change_between(8, 9.9, 1.9, true) == Change::about_the_same);  // exactly the error
  CHECK(change_between(8, 6.1, 1.9, true) == Change::about_the_same);
  CHECK(change_between(8, 10, 1.9, true) == Change::better);  // just above
  CHECK(change_between(8, 6, 1.9, true) == Change::worse);
  CHECK(change_between(8, 8, 1.9, true) == Change::about_the_same);
  // heel raises: error 6 reps
  CHECK(change_between(17, 23, 6, true) == Change::about_the_same);
  CHECK(change_between(17, 11, 6, true) == Change::about_the_same);
  CHECK(change_between(17, 24, 6, true) == Change::better);
  CHECK(change_between(17, 10, 6, true) == Change::worse);
  // lower is better: a smaller value is the better one
  CHECK(change_between(10, 8, 1, false) == Change::better);
  CHECK(change_between(10, 12, 1, false) == Change::worse);
  CHECK(change_between(10, 11, 1, false) == Change::about_the_same);
  CHECK(change_between(10, 9, 1, false) == Change::about_the_same);
  // no declared error: any change counts
  CHECK(change_between(10, 10.1, 0, true) == Change::better);
  CHECK(change_between(10, 10, 0, true) == Change::about_the_same);
  // a value missing on either visit: no change to tell
  CHECK_FALSE(change_between(std::nullopt, 10, 1, true));
  CHECK_FALSE(change_between(10, std::nullopt, 1, true));
}

TEST_CASE("since last time: each chart row compares each side with the previous visit, on paper too") {
  auto before = session_doc({});                    // knee to wall 8.5 / 11, balance 30 / 45, raises 17 / 24
  before["tests"][0]["measures"][0]["value"] = 6;   // left 6 → 8.5: better (beyond 1.9)
  before["tests"][0]["measures"][1]["value"] = 12;  // right 12 → 11: about the same
  before["tests"][2]["measures"][1]["value"] = 31;  // raises right 31 → 24: worse (beyond 6)
  before["tests"][1]["measures"].erase(0);          // balance: no left last time
  const PreviousVisit previous{"2026-11-20", kiosk::session::session_from_json(before)};
  const auto now = kiosk::session::session_from_json(session_doc({}));

  const auto rows = chart_rows(now, test::bundled_charts(), "en", &previous);
  REQUIRE(rows.size() == 3);
  REQUIRE(rows[0].since_last);
  CHECK(rows[0].since_last->date == "2026-11-20");
  REQUIRE(rows[0].since_last->left);
  CHECK(rows[0].since_last->left->before == 6);
  CHECK(rows[0].since_last->left->change == Change::better);
  CHECK(rows[0].since_last->right->change == Change::about_the_same);
  CHECK_FALSE(rows[1].since_last->left);  // absent: the previous visit lacks it
  CHECK(rows[1].since_last->right->change == Change::about_the_same);
  CHECK(rows[2].since_last->left->change == Change::about_the_same);
  CHECK(rows[2].since_last->right->change == Change::worse);
  const auto text = [&](std::string_view key) { return std::string(assets().texts.get("en", key)); };
  CHECK(since_last_text(rows[0], text) ==
        "Since last time (2026-11-20): left 6 to 8.5 cm, better; right 12 to 11 cm, about the same.");
  CHECK(since_last_text(chart_rows(now, test::bundled_charts(), "en")[0], text).empty());  // no previous visit

  test::TempDir dir;
  const Plan p = kiosk::handout::make_plan(assets(), now, "es", test::bundled_charts(), &previous);
  const auto pdf = dir / "since.pdf";
  render_pdf(assets(), p, {}, pdf);
  CHECK(has_words(pdf_text(pdf), "Desde la última vez (2026-11-20): izquierda de 6 a 8.5 cm, mejor"));
}

TEST_CASE("since last time: a red-flagged patient's sheet shows no results and no history") {
  auto before = session_doc({});
  const PreviousVisit previous{"2026-11-20", kiosk::session::session_from_json(before)};
  const Plan p = kiosk::handout::make_plan(assets(), kiosk::session::session_from_json(session_doc({"red_flag"})), "en",
                                           test::bundled_charts(), &previous);
  CHECK(p.refer);
  CHECK(p.exercises.empty());
  CHECK(p.charts.empty());
}

TEST_CASE("render: each ladder card shows the patient's level and the next one") {
  test::TempDir dir;
  const Plan p = make_plan(assets(), session_doc({"calf_capacity_low_left"}), "en");  // 17 raises: one leg, rung 3 of 5
  const auto& calf = p.exercises[ids_index(p, "heel_raise_step")];
  REQUIRE(calf.rung);
  CHECK(calf.rung->step == 3);
  CHECK(calf.rung->of == 5);
  REQUIRE(calf.rung->next);
  CHECK(calf.rung->next->id == "eccentric_heel_drop");
  const auto pdf = dir / "rung.pdf";
  render_pdf(assets(), p, {}, pdf);
  const auto text = pdf_text(pdf);
  CHECK(has_words(text, "Your level: 3 of 5. Next: Slow heel drops"));
  CHECK(has_words(text, "Go back a level"));
}

TEST_CASE("rules: the calf starts on the rung its raises, the pain stop and pain now allow") {
  auto rung_of = [](nlohmann::json s) {
    const Plan p = make_plan(assets(), s, "en");
    for (const auto& e : p.exercises)
      if (e.rung && e.rung->ladder == "calf") return e.card->id;
    return std::string("none");
  };
  auto with_reps = [](double left, double right, std::vector<std::string> findings) {
    auto s = session_doc(std::move(findings));
    for (auto& t : s["tests"])
      if (t["test"] == "heel_raise") {
        t["measures"][0]["value"] = left;
        t["measures"][1]["value"] = right;
      }
    return s;
  };
  CHECK(rung_of(with_reps(3, 24, {"calf_capacity_low_left"})) == "isometric_heel_hold");
  CHECK(rung_of(with_reps(9, 24, {"calf_capacity_low_left"})) == "heel_raise_supported");
  CHECK(rung_of(with_reps(17, 24, {"calf_capacity_low_left"})) == "heel_raise_step");
  CHECK(rung_of(with_reps(22, 30, {"calf_asymmetry"})) == "eccentric_heel_drop");
  CHECK(rung_of(with_reps(30, 31, {})) == "heel_raise_loaded");
  CHECK(rung_of(with_reps(17, 24, {"calf_capacity_low_left", "calf_pain_stop"})) == "isometric_heel_hold");
  auto sore = with_reps(22, 30, {"calf_asymmetry"});
  sore["screening"] = {{"answers", {{"pain_now", 6}}}};
  CHECK(rung_of(sore) == "isometric_heel_hold");  // pain now high: holds first
  // Not safe on one leg: the highest rung without one-leg work, whatever the count.
  CHECK(rung_of(with_reps(30, 31, {"balance_unsafe"})) == "heel_raise_supported");
}

TEST_CASE("rules: the profile chooses the advice (distance, age and sex, how long the pain has lasted)") {
  auto advice_for = [](nlohmann::json answers) {
    auto s = session_doc({"calf_capacity_low_left"});
    for (auto& [k, v] : answers.items()) s["profile"]["answers"][k] = v;
    return make_plan(assets(), s, "en");
  };
  auto has_line = [](const Plan& p, const char* id) { return std::count(p.advice.begin(), p.advice.end(), id) == 1; };
  const Plan none = advice_for({{"weekly_km", 0}});
  for (auto id : {"load_reduce", "load_high_km", "load_easy_pace", "run_pain_rule", "return_to_run", "race_goals"})
    CHECK_FALSE(has_line(none, id));  // not running: no running advice at all
  CHECK(has_line(none, "timeline"));
  const Plan some = advice_for({{"weekly_km", 30}});
  CHECK(has_line(some, "load_reduce"));
  CHECK(has_line(some, "run_pain_rule"));
  CHECK_FALSE(has_line(some, "race_goals"));
  const Plan lots = advice_for({{"weekly_km", 120}});
  CHECK(has_line(lots, "load_high_km"));
  CHECK_FALSE(has_line(lots, "load_reduce"));
  CHECK(has_line(lots, "race_goals"));
  CHECK(has_line(lots, "recovery"));
  CHECK_THAT(plan_text(assets(), lots, "advice.load_high_km"), Catch::Contains("120 km a week"));
  CHECK(has_line(advice_for({{"age_band", "50-59"}, {"sex", "female"}}), "menopause"));
  CHECK(has_line(advice_for({{"age_band", "60-69"}, {"sex", "male"}}), "masters"));
  const Plan young = advice_for({{"age_band", "18-39"}, {"sex", "female"}});
  CHECK_FALSE(has_line(young, "menopause"));
  CHECK_FALSE(has_line(young, "masters"));
  CHECK(has_line(advice_for({{"pain_weeks", 20}}), "long_pain"));
  CHECK_FALSE(has_line(advice_for({{"pain_weeks", 6}}), "long_pain"));
  CHECK(has_line(advice_for({{"weekly_km", 30}, {"recent_jump", true}}), "timeline"));
}
